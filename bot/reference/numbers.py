"""Figures in a text: digits, number words in nl, fr, de and en, and the parts of dates.

Shared by the written-answer check (a sentence may state no figure its clauses do not
state) and the knowledge check (language versions of a fact sheet state the same figures).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from bot.reference.dates import DAY_MONTH, MONTH_NUMBER, MONTH_YEAR, NUMERIC_DATE

Number = int | Decimal
"""A figure found in a text: an int, or a Decimal for fractions such as 1,5."""

_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NL_UNITS = (
    "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
    "vijftien zestien zeventien achttien negentien"
).split()
_NL_TENS = "twintig dertig veertig vijftig zestig zeventig tachtig negentig".split()
_DE_UNITS = (
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
    "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn"
).split()
_DE_TENS = "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split()
_FR_UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize"
).split()
_FR_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante"}


def _fr_below_20(n: int) -> list[str]:
    if n == 1:
        return ["un", "une"]
    if n <= 16:
        return [_FR_UNITS[n]]
    return [f"dix {_FR_UNITS[n - 10]}"]


def _fr_tens_forms(tens: str, n: int) -> list[str]:
    """Forms of ``tens`` + n (0–9) in the regular pattern (vingt, vingt et un, vingt-deux)."""
    if n == 0:
        return [tens]
    if n == 1:
        return [f"{tens} et un", f"{tens} et une"]
    return [f"{tens} {_FR_UNITS[n]}"]


def _below_100(
    units: list[str], tens: list[str], compounds: Callable[[str, int], list[str]]
) -> dict[str, int]:
    """Words 0–99: ``units`` (0–19), ``tens`` (20–90) and ``compounds(tens word, 1–9)``."""
    table = {word: n for n, word in enumerate(units)}
    for i, word in enumerate(tens):
        table[word] = 20 + 10 * i
        for unit in range(1, 10):
            for form in compounds(word, unit):
                table[form] = 20 + 10 * i + unit
    return table


def _english() -> dict[str, int]:
    table = _below_100(_EN_UNITS, _EN_TENS, lambda tens, unit: [f"{tens} {_EN_UNITS[unit]}"])
    table.update({"hundred": 100, "one hundred": 100, "a hundred": 100})
    table.update({f"{_EN_UNITS[u]} hundred": 100 * u for u in range(2, 10)})
    table.update({"thousand": 1000, "one thousand": 1000, "a thousand": 1000})
    return table


def _dutch_compounds(tens: str, unit: int) -> list[str]:
    head = "een" if unit == 1 else _NL_UNITS[unit]
    # twee-ën-twintig is spelt with a diaeresis; writers often drop it.
    joins = ["ën", "en"] if head.endswith("e") else ["en"]
    return [f"{head}{join}{tens}" for join in joins]


def _dutch() -> dict[str, int]:
    table = _below_100(_NL_UNITS, _NL_TENS, _dutch_compounds)
    table.update({"honderd": 100, "eenhonderd": 100, "duizend": 1000, "eenduizend": 1000})
    table.update({f"{_NL_UNITS[u]}honderd": 100 * u for u in range(2, 10)})
    return table


def _german() -> dict[str, int]:
    table = _below_100(
        _DE_UNITS, _DE_TENS,
        lambda tens, unit: [f"{'ein' if unit == 1 else _DE_UNITS[unit]}und{tens}"],
    )
    table.update({"hundert": 100, "einhundert": 100, "tausend": 1000, "eintausend": 1000})
    table.update({f"{_DE_UNITS[u]}hundert": 100 * u for u in range(2, 10)})
    # Swiss spelling and keyboards without umlauts: dreissig, fuenf, zwoelf.
    for word, value in list(table.items()):
        plain = word.replace("ß", "ss").replace("ü", "ue").replace("ö", "oe")
        table.setdefault(plain, value)
    return table


def _french() -> dict[str, int]:
    table: dict[str, int] = {"zéro": 0, "zero": 0}
    for n in range(2, 20):
        for form in _fr_below_20(n):
            table[form] = n
    for base, tens in _FR_TENS.items():
        for unit in range(10):
            for form in _fr_tens_forms(tens, unit):
                table[form] = base + unit
    # 70–99 in France (soixante-dix, quatre-vingts, quatre-vingt-dix) ...
    for n in range(10, 20):
        for form in _fr_below_20(n):
            table[f"soixante {form}"] = 60 + n
    table["soixante et onze"] = 71
    table["quatre vingts"] = 80
    for n in range(20):
        for form in _fr_below_20(n) if n else [""]:
            table[f"quatre vingt {form}".strip()] = 80 + n
    # ... and in Belgium and Luxembourg, where septante and nonante are usual.
    for base, tens in {70: "septante", 80: "huitante", 90: "nonante"}.items():
        for unit in range(10):
            for form in _fr_tens_forms(tens, unit):
                table[form] = base + unit
    for unit in range(10):
        for form in _fr_tens_forms("octante", unit):
            table[form] = 80 + unit
    table["cent"] = 100
    for u in range(2, 10):
        table[f"{_FR_UNITS[u]} cent"] = table[f"{_FR_UNITS[u]} cents"] = 100 * u
    table["mille"] = 1000
    return table


NUMBER_WORDS: dict[str, dict[str, int]] = {
    "nl": _dutch(),
    "fr": _french(),
    "de": _german(),
    "en": _english(),
}
"""Number words 0–100, the hundreds and 1000 per language; compounds joined by spaces.

The indefinite articles een, un/une and ein/eine are left out on purpose: they mean
"a" far more often than "1", and reading them as 1 would make most sentences fail.
"""

FALSE_FRIENDS = {
    "nl": {"onze", "ten", "cent"},
    "fr": {"nul"},
    "de": {"cent"},
    "en": {"cent", "sept", "elf", "null"},
}
"""Number words of another language that are ordinary words in this one.

"onze" is "our" in Dutch but 11 in French; "ten" in "ten minste" is not 10. Words of
the text's own language always count.
"""

_MAX_PHRASE = max(len(key.split()) for table in NUMBER_WORDS.values() for key in table)

_FIGURE = re.compile(
    r"(?<!\d)(?:(?P<grouped>\d{1,3}(?:[., \u00a0\u202f\u2009]\d{3})+)|(?P<plain>\d+))"
    r"(?:[.,](?P<frac>\d+))?(?!\d)"
)
_WORD = re.compile(r"[^\W\d_]+")
_JOINER = re.compile(r"[\s\-\u2010\u2011\u2012\u2013]*")


def _word_table(language: str | None) -> dict[str, int]:
    if language in NUMBER_WORDS:
        table = {}
        excluded = FALSE_FRIENDS.get(language, set())
        for other, words in NUMBER_WORDS.items():
            if other != language:
                table.update({w: n for w, n in words.items() if w not in excluded})
        table.update(NUMBER_WORDS[language])
        return table
    excluded = set().union(*FALSE_FRIENDS.values())
    return {
        w: n for words in NUMBER_WORDS.values() for w, n in words.items() if w not in excluded
    }


_TABLES = {lang: _word_table(lang) for lang in (*NUMBER_WORDS, None)}


def _figure_value(match: re.Match[str]) -> Number:
    whole = match.group("grouped") or match.group("plain")
    digits = re.sub(r"\D", "", whole)
    frac = match.group("frac")
    if frac and frac.strip("0"):
        return Decimal(f"{digits}.{frac}")
    return int(digits)


def numbers_in(text: str, language: str | None = None) -> set[Number]:
    """Every figure a text states: digits, number words, and the parts of dates.

    Digits are read with thousands separators (``1.000``, ``1 000``, ``1,000`` are 1000)
    and decimal commas or points (``1,5`` is 1.5). Number words 0–100, the hundreds and
    1000 are read in nl, fr, de and en (``quatre-vingt-dix``, ``nonante``, ``vijfenveertig``,
    ``fünfundvierzig``, ``forty-five``); words of other languages than ``language`` are read
    too, except ordinary words of ``language`` (e.g. Dutch "onze"). A date counts by its
    numeric parts: ``15 July 2026`` and ``2026-07-15`` both give 15, 7 and 2026.

    Args:
        text: Any text.
        language: Language of the text (nl, fr, de or en), None when unknown.

    Returns:
        The figures as ints, or Decimals for fractions.
    """
    lowered = unicodedata.normalize("NFC", text).lower()
    found: set[Number] = set()
    # A month name counts only next to a day or a year ("15 juli 2026", "July 2026"), so
    # that "may" the verb or "mars" the planet are not read as 5 and 3.
    for pattern in (DAY_MONTH, MONTH_YEAR):
        for match in pattern.finditer(lowered):
            found.add(MONTH_NUMBER[match.group(1)])

    def take_date(match: re.Match[str]) -> str:
        found.update(int(match.group(i)) for i in (1, 3, 4))
        return " " * len(match.group(0))

    rest = NUMERIC_DATE.sub(take_date, lowered)
    found.update(_figure_value(m) for m in _FIGURE.finditer(rest))
    found.update(_number_words(rest, _TABLES.get(language, _TABLES[None])))
    return found


def _number_words(text: str, table: dict[str, int]) -> set[int]:
    words = list(_WORD.finditer(text))
    found: set[int] = set()
    i = 0
    while i < len(words):
        # Longest phrase first, so "quatre vingt dix" is 90, not 4, 20 and 10; a phrase
        # only spans words separated by spaces or hyphens, never across punctuation.
        end = i + 1
        while (
            end < len(words)
            and end - i < _MAX_PHRASE
            and _JOINER.fullmatch(text, words[end - 1].end(), words[end].start())
        ):
            end += 1
        for stop in range(end, i, -1):
            value = table.get(" ".join(w.group(0) for w in words[i:stop]))
            if value is not None:
                found.add(value)
                i = stop
                break
        else:
            i += 1
    return found


