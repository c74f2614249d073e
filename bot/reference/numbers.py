"""Figures in a text and what they measure: numbers, number words, units and date parts.

Shared by the written-answer check (a sentence may state no quantity its clauses do not
state) and the knowledge check (language versions of a fact sheet state the same figures).
Spelled-out numbers of any size are read with ``text2num`` in nl, fr, de and en; this
module adds what it leaves out: spelling variants, halves ("anderhalf jaar", "half a
year"), "a year" meaning one year, and the unit each figure counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from text_to_num import find_numbers

from bot.reference.dates import DAY_MONTH, MONTH_NUMBER, MONTH_YEAR, NUMERIC_DATE
from bot.reference.languages import LANGUAGES

Number = int | Decimal
"""A figure found in a text: an int, or a Decimal for fractions such as 1,5."""


@dataclass(frozen=True)
class Quantity:
    """A figure and the unit it counts.

    Attributes:
        value: The number.
        unit: One of ``UNITS``, or None for a bare number (an article number, a date
            part, a figure whose unit is not one of ``UNITS``).
    """

    value: Number
    unit: str | None = None

    def canonical(self) -> tuple[Number, str | None]:
        """The quantity in its base unit: weeks as days, years as months.

        Only exact conversions are made: a month is not 30 days, and working days,
        hours and ages are compared as they are.
        """
        if self.unit in _BASE_UNIT:
            base, factor = _BASE_UNIT[self.unit]
            return _number(self.value * factor), base
        return self.value, self.unit


UNITS = ("day", "workday", "week", "month", "year", "hour", "euro", "age")
"""Units a quantity can have."""

_BASE_UNIT = {"week": ("day", 7), "year": ("month", 12)}

UNIT_WORDS: dict[str, tuple[str, ...]] = {
    # Most specific first: "working days" before "days", "years old" before "years".
    "age": (
        r"years?[\s-]+olds?", r"jaar\s+oud", r"jahren?\s+alt", r"jahre\s+alt",
        r"ans\s+r[ée]volus",
    ),
    "workday": (
        r"working[\s-]+days?", r"business[\s-]+days?", r"work[\s-]?days?",
        r"jours?\s+ouvr(?:ables?|[ée]s?)", r"werkdag(?:en)?", r"(?:werk|arbeits)tag(?:e|en|es)?",
    ),
    "day": (
        r"(?:calendar\s+)?days?", r"jours?(?:\s+calendaires?)?", r"journ[ée]es?",
        r"(?:kalender)?dag(?:en)?", r"(?:kalender)?tag(?:e|en|es)?", r"t[äa]gig\w*", r"daags\w*",
    ),
    "week": (r"weeks?", r"weken", r"semaines?", r"wochen?", r"w[öo]chig\w*", r"weeks\w*"),
    "month": (r"months?", r"mois", r"maand(?:en)?", r"monat(?:e|en|s)?", r"monatig\w*",
              r"maands\w*"),
    "year": (r"years?", r"ann[ée]es?", r"ans?", r"jaar", r"jaren", r"jahr(?:e|en|es)?",
             r"j[äa]hrig\w*", r"jarig\w*"),
    "hour": (r"hours?", r"heures?", r"uur", r"uren", r"stunden?"),
    "euro": (r"euros?", r"eur", r"€"),
}
"""Words of each unit in nl, fr, de and en (regular expressions, lower-case)."""

FALSE_FRIENDS = {
    "nl": {"onze", "ten", "cent", "sept"},
    "fr": {"tien", "elf"},
    "de": {"cent", "sept"},
    "en": {"cent", "sept", "elf", "null", "nul"},
}
"""Number words of another language that are ordinary words in this one.

"onze" is "our" in Dutch but 11 in French; "ten" in "ten minste" is not 10; "le tien"
is not Dutch 10. Words of the text's own language always count.
"""

ARTICLES = {
    "nl": ("een", "één"),
    "fr": ("un", "une"),
    "de": ("ein", "eine", "einen", "einem", "einer", "eines"),
    "en": ("a", "an", "one"),
}
"""Words that mean "one" only before a unit ("een jaar", "a year"); alone they are "a"."""

WHOLE = frozenset(
    "full whole entire complete vol volle heel hele ganz ganze ganzes ganzen volles vollen "
    "plein pleine entier entière complet complète".split()
)
"""Words that may stand between "a" and its unit and keep it one ("a full year")."""

_ARTICLE_WORDS = frozenset(w for words in ARTICLES.values() for w in words) - {"one", "één"}

UNLIMITED = Decimal("Infinity")
"""The figure of a duration without end ("permanent", "à durée indéterminée")."""

UNLIMITED_WORDS = (
    r"permanent\w*", r"indefinite(?:ly)?", r"unlimited", r"without\s+(?:a\s+)?time\s+limit",
    r"onbepaalde\s+(?:tijd|duur)", r"onbeperkte?", r"voor\s+altijd", r"unbefristet\w*",
    r"unbegrenzt\w*", r"dauerhaft\w*", r"auf\s+dauer", r"illimit[ée]e?s?",
    r"ind[ée]finiment", r"(?:à|a)\s+dur[ée]e\s+ind[ée]termin[ée]e", r"d[ée]finiti(?:f|ve|fs|ves)",
)
"""Words that state a duration without end, in nl, fr, de and en (regular expressions).

Read as the figure ``UNLIMITED``: "the permit is permanent" then needs a clause that
says so, like any other figure.
"""

MULTIPLIERS = {
    "thousand": 1000, "mille": 1000, "duizend": 1000, "tausend": 1000,
    "million": 10**6, "millions": 10**6, "miljoen": 10**6, "millionen": 10**6,
    "mio": 10**6, "milliard": 10**9, "milliards": 10**9, "miljard": 10**9,
    "milliarde": 10**9, "milliarden": 10**9, "billion": 10**9,
}
"""Words that multiply a figure written in digits ("1,5 million")."""

_LETTER = r"[^\W\d_½]"  # "½" is a word character to re; here it is a figure
_UNIT_AT = [
    (re.compile(rf"(?:{'|'.join(words)})(?!{_LETTER})"), unit) for unit, words in UNIT_WORDS.items()
]
_UNLIMITED = re.compile(rf"(?<!{_LETTER})(?:{'|'.join(UNLIMITED_WORDS)})(?!{_LETTER})")
_SEPARATOR = re.compile(r"[\s\u00a0\u202f\u2009\-\u2010\u2011]*")
_WORD_AT = re.compile(rf"{_LETTER}+")
_MAX_FILLERS = 2
_CONNECTORS = frozenset(
    "or and to à ou et of tot en tussen oder und bis zwischen between".split()
)
_AFTER_CONNECTOR = re.compile(
    rf"[\s\u00a0]*(?:[-\u2013\u2014]|(?:{'|'.join(sorted(_CONNECTORS))})(?!{_LETTER}))[\s\u00a0]*"
)
_HALF_AFTER = re.compile(r"[\s\u00a0]*½")
_EURO_BEFORE = re.compile(r"(?:€|\beur|\beuros?)[\s\u00a0]*$")
_AGE_BEFORE = re.compile(
    r"(?:\baged|\bage\s+of|\bâg[ée]e?s?\s+de|\bl'âge\s+de|\bleeftijd\s+van|\balter\s+von)"
    r"[\s\u00a0]*$"
)
_OLD_AFTER = re.compile(r"[\s\u00a0-]+(?:old|oud|alt|of\s+age|d'âge)\b")
_NOT_AFTER_FILLERS = frozenset({"an", "a", "ans"})  # too common as ordinary words

_FIGURE = re.compile(
    r"(?<!\d)(?:(?P<grouped>\d{1,3}(?:[., \u00a0\u202f\u2009]\d{3})+)|(?P<plain>\d+))"
    r"(?:[.,](?P<frac>\d+))?(?!\d)"
)
_TOKEN = re.compile(rf"{_LETTER}+|\d+|[^\w\s]|½")
_TENS_NL = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_UNIT_AHEAD = "|".join(w for words in UNIT_WORDS.values() for w in words)
_WHOLE_AHEAD = "|".join(sorted(WHOLE, key=len, reverse=True))

# Rewrites before reading, on the lower-cased text. Halves become "½" so that one rule
# adds them ("twee ½ jaar", "un an ½", "½ year"); idioms that contain a number word but
# state no number are masked; unit adjectives are split off ("neunzig-tägige").
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(twee|drie)en(?={_TENS_NL})"), r"\1ën"),
    (re.compile(r"fuenf"), "fünf"),
    (re.compile(r"zwoelf"), "zwölf"),
    (re.compile(r"\b(in|außer|ausser)\s+acht\b"), r"\1 ____"),
    (re.compile(r"\bacht(?=\s+(?:geben|gegeben|nemen|genomen|neemt|nam|lassen|gelassen)\b)"),
     "____"),
    (re.compile(r"\bno\s+one\b"), "no ___"),
    (re.compile(r"\b(?:anderhal(?:f|ve)|anderthalb|anderhalb|eineinhalb)"), "1½"),
    (re.compile(rf"({_LETTER}+?)(?:ën|en)hal(?:f|ve)\b"), r"\1 ½"),
    (re.compile(rf"({_LETTER}+?)einhalb\b"), r"\1 ½"),
    (re.compile(r"\b(?:and|en|und)\s+(?:a|een|ein)\s+(?:half|halve|halb)\b"), " ½"),
    (re.compile(r"\bet\s+demie?\b"), " ½"),
    (re.compile(r"\bhalf\s+an?\b"), "½"),
    (re.compile(r"\b(?:a|een|ein(?:e[nms]?)?|une?)\s+(?:half|halve|halbe[nrs]?|demie?)(?:\s+|-)"),
     "½ "),
    (re.compile(rf"\b(?:half|halve|halbe[nrs]?|demie?)(?:\s+|-)(?=(?:{_UNIT_AHEAD})(?!{_LETTER}))"),
     "½ "),
    (re.compile(r"(?<=[a-zäöüß])(tägig|wöchig|monatig|jährig)"), r"-\1"),
    (re.compile(r"(?<=[a-zë])(daags|jarig|maands|weeks)(?=e?\b)"), r"-\1"),
]


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    value: Number
    unit: str | None = None
    article: bool = False  # "een", "un", "a": one only before a unit
    digits: bool = False


class NumberReadingError(ValueError):
    """The number reader failed on a text (a bug in it, never a property of the text)."""


class _Token:
    """A word for ``text2num.find_numbers`` (its ``Token`` protocol)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: _Token) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _number(value: float | Decimal | int) -> Number:
    """An int when whole, else a Decimal (so that 1.5 years and 18 months compare)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(exact) if exact == exact.to_integral_value() else exact.normalize()


def quantities_in(text: str, language: str | None = None) -> set[Quantity]:
    """Every figure a text states, with the unit it counts.

    Reads digits (``1.000``, ``1 000`` and ``1,000`` are 1000; ``1,5`` is 1.5), number
    words of any size in nl, fr, de and en (``hundertzwanzig``, ``honderdtwintig``,
    ``cent vingt``, ``quatre-vingt-dix``, ``nonante``, ``one hundred and twenty``),
    halves (``anderhalf jaar``, ``ein halbes Jahr``, ``six mois et demi``), "a"/"een"/
    "un"/"ein" before a unit as one, durations without end (``permanent``,
    ``unbefristet``: ``UNLIMITED``), and the parts of dates (``15 July 2026`` gives 15, 7
    and 2026 without unit). Words of other languages than ``language`` are read too,
    except ordinary words of ``language`` (``FALSE_FRIENDS``). A figure takes the unit
    that follows it (up to two words between, "90 consecutive days"), "€" or "EUR"
    before it, or an age marker ("aged 18", "18 years old"); in "3 to 6 months" both
    figures count months.

    Args:
        text: Any text.
        language: Language of the text (nl, fr, de or en), None when unknown.

    Returns:
        The quantities; ordinals ("first", "premier") are not figures.

    Raises:
        NumberReadingError: The number-word reader failed (never for a valid text).
    """
    rest = unicodedata.normalize("NFC", text).lower()
    for pattern, replacement in _REWRITES:
        rest = pattern.sub(replacement, rest)
    stated: set[Quantity] = set()
    # A month name counts only next to a day or a year ("15 juli 2026", "July 2026"), so
    # that "may" the verb or "mars" the planet are not read as 5 and 3.
    for pattern in (DAY_MONTH, MONTH_YEAR):
        stated.update(Quantity(MONTH_NUMBER[m.group(1)]) for m in pattern.finditer(rest))

    def take_date(match: re.Match[str]) -> str:
        stated.update(Quantity(int(match.group(i))) for i in (1, 3, 4))
        return " " * len(match.group(0))

    rest = NUMERIC_DATE.sub(take_date, rest)
    if _UNLIMITED.search(rest):
        stated.add(Quantity(UNLIMITED))
    found = _digit_figures(rest)
    found = _word_figures(rest, language, found)
    found = _article_figures(rest, language, found)  # after "vingt et un", "one hundred"
    found = _halves(rest, _multiplied(rest, sorted(found, key=lambda f: f.start)))
    return stated | {Quantity(f.value, f.unit) for f in _with_units(rest, found)}


def numbers_in(text: str, language: str | None = None) -> set[Number]:
    """Every number a text states, without units (see ``quantities_in``).

    Args:
        text: Any text.
        language: Language of the text (nl, fr, de or en), None when unknown.

    Returns:
        The figures as ints, or Decimals for fractions.
    """
    return {q.value for q in quantities_in(text, language)}


def _digit_figures(text: str) -> list[_Figure]:
    found = []
    for match in _FIGURE.finditer(text):
        whole = match.group("grouped") or match.group("plain")
        digits = re.sub(r"\D", "", whole)
        frac = match.group("frac")
        value = Decimal(f"{digits}.{frac}") if frac and frac.strip("0") else int(digits)
        found.append(_Figure(match.start(), match.end(), _number(value), digits=True))
    for match in re.finditer(r"(?<![\d½])½", text):
        found.append(_Figure(match.start(), match.end(), Decimal("0.5"), digits=True))
    return found


def _overlaps(start: int, end: int, taken: Iterable[_Figure]) -> bool:
    return any(start < f.end and f.start < end for f in taken)


def _article_figures(text: str, language: str | None, taken: list[_Figure]) -> list[_Figure]:
    """One of a unit for "een jaar", "a year", "eine Woche" (the unit right after)."""
    found = list(taken)
    for lang, words in ARTICLES.items():
        # English "a"/"an" are German and French words too ("an Tagen", "il a").
        usable = [w for w in words if language in (lang, None) or w not in ("a", "an")]
        pattern = re.compile(
            rf"(?<!{_LETTER})(?<!once )(?<!twice )(?:{'|'.join(usable)})(?=[\s\u00a0]+"
            rf"(?:(?:{_WHOLE_AHEAD})[\s\u00a0]+)?(?:{_UNIT_AHEAD})(?!{_LETTER}))"
        )
        for match in pattern.finditer(text):
            if not _overlaps(match.start(), match.end(), found):
                found.append(_Figure(match.start(), match.end(), 1, article=True))
    return found


def _find_numbers(tokens: list[_Token], language: str) -> list:
    try:
        return find_numbers(tokens, language, threshold=0)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: B036 - a Rust panic is a BaseException
        raise NumberReadingError(f"number words ({language}): {type(exc).__name__}") from exc


def _word_figures(text: str, language: str | None, taken: list[_Figure]) -> list[_Figure]:
    """Number words: the text's own language first, then the others."""
    matches = list(_TOKEN.finditer(text))
    tokens = [_Token(m.group(0)) for m in matches]
    if language in LANGUAGES:
        order = (language, *(lang for lang in LANGUAGES if lang != language))
        excluded = FALSE_FRIENDS.get(language, set())
    else:
        order, excluded = LANGUAGES, set().union(*FALSE_FRIENDS.values())
    found = list(taken)
    for lang in order:
        for occurrence in _find_numbers(tokens, lang):
            if occurrence.is_ordinal:
                continue
            span = matches[occurrence.start : occurrence.end]
            words = [m.group(0) for m in span if not m.group(0).isdigit() and m.group(0).isalpha()]
            if not words or (lang != language and all(w in excluded for w in words)):
                continue
            if len(words) == 1 and words[0] in _ARTICLE_WORDS:
                continue  # "een", "un", "ein" alone mean "a"; before a unit see above
            start, end = span[0].start(), span[-1].end()
            if not _overlaps(start, end, found):
                found.append(_Figure(start, end, _number(occurrence.value)))
    return found


def _multiplied(text: str, figures: list[_Figure]) -> list[_Figure]:
    """A digit figure times the number word after it: "1,5 million", "10 thousand"."""
    result: list[_Figure] = []
    skip: set[int] = set()
    for i, figure in enumerate(figures):
        if i in skip:
            continue
        following = figures[i + 1] if i + 1 < len(figures) else None
        if (
            figure.digits
            and following is not None
            and not following.digits
            and text[following.start : following.end] in MULTIPLIERS
            and not text[figure.end : following.start].strip()
        ):
            factor = MULTIPLIERS[text[following.start : following.end]]
            figure = replace(figure, end=following.end, value=_number(figure.value * factor))
            skip.add(i + 1)
        result.append(figure)
    return result


def _halves(text: str, figures: list[_Figure]) -> list[_Figure]:
    """A figure followed by "½" ("twee ½ jaar", "1½"): add the half."""
    result: list[_Figure] = []
    halves = {f.start for f in figures if f.digits and text[f.start : f.end] == "½"}
    used: set[int] = set()
    for figure in figures:
        if figure.start in used:
            continue
        match = _HALF_AFTER.match(text, figure.end)
        if match and figure.start not in halves:
            used.add(match.end() - 1)
            figure = replace(figure, end=match.end(), value=_number(figure.value + Decimal("0.5")))
        result.append(figure)
    return [f for f in result if f.start not in used]


def _unit_at(text: str, pos: int) -> tuple[str, int] | None:
    for pattern, unit in _UNIT_AT:
        match = pattern.match(text, pos)
        if match:
            return unit, match.end()
    return None


def _unit_after(text: str, figure: _Figure, starts: set[int]) -> tuple[str, int] | None:
    """The unit after a figure, directly or after up to two words that are neither."""
    pos = _SEPARATOR.match(text, figure.end).end()
    found = _unit_at(text, pos)
    if found:
        return found
    if figure.article:
        # "a full year" is one year; "a few months" is not one of anything.
        whole = _WORD_AT.match(text, pos)
        if whole and whole.group(0) in WHOLE:
            return _unit_at(text, _SEPARATOR.match(text, whole.end()).end())
        return None
    for _ in range(_MAX_FILLERS):
        # Only spaces and hyphens between: a unit across punctuation is another phrase.
        filler = _WORD_AT.match(text, pos)
        if not filler or pos in starts or filler.group(0) in _CONNECTORS:
            return None
        pos = _SEPARATOR.match(text, filler.end()).end()
        if pos == filler.end():
            return None
        found = _unit_at(text, pos)
        if found:
            return None if text[pos : found[1]] in _NOT_AFTER_FILLERS else found
    return None


def _with_units(text: str, figures: list[_Figure]) -> list[_Figure]:
    starts = {f.start for f in figures}
    result: list[_Figure] = []
    halves_used: set[int] = set()
    for figure in figures:
        if figure.start in halves_used:
            continue
        unit = None
        found = _unit_after(text, figure, starts)
        if found:
            unit, end = found
            half = _HALF_AFTER.match(text, end)
            if half:  # "un an ½" (un an et demi), "a year ½" (a year and a half)
                halves_used.add(half.end() - 1)
                figure = replace(figure, value=_number(figure.value + Decimal("0.5")))
            if unit == "year" and _OLD_AFTER.match(text, end):
                unit = "age"
        elif _EURO_BEFORE.search(text, max(0, figure.start - 8), figure.start):
            unit = "euro"
        if unit in (None, "year") and _AGE_BEFORE.search(
            text, max(0, figure.start - 16), figure.start
        ):
            unit = "age"
        if figure.article and unit is None:
            continue
        result.append(replace(figure, unit=unit))
    result = [f for f in result if f.start not in halves_used]
    # "3 to 6 months", "45 of 90 dagen", "drei bis sechs Monate": the unit of the last.
    for i in range(len(result) - 2, -1, -1):
        figure, following = result[i], result[i + 1]
        if figure.unit is None and following.unit is not None:
            link = _AFTER_CONNECTOR.fullmatch(text, figure.end, following.start)
            if link:
                result[i] = replace(figure, unit=following.unit)
    return result
