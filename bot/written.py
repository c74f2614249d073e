"""Optional written (LLM) answers whose every citation and figure is checked before sending.

The extractive answer stays the default. With ``LLM_PROVIDER`` set, ``WrittenAnswerer``
asks a chat model for a short answer that cites the retrieved clauses, then keeps only
the sentences whose citations are retrieved clauses and whose numbers, durations, dates,
countries and links appear in the clauses they cite. When nothing survives, or the model
fails in any way, the extractive answer is returned unchanged.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import logging
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.errors import BotError
from bot.models import NATIONAL, Answer, AnswerSentence, Citation
from bot.months import MONTH_NUMBER, MONTH_PATTERN
from bot.prompts import MAX_SENTENCES, build_messages

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

    from bot.settings import LLMSettings

logger = logging.getLogger(__name__)

Number = int | Decimal
"""A figure found in a text: an int, or a Decimal for fractions such as 1,5."""

MAX_SENTENCE_CHARS = 600
"""Longer "sentences" are removed: a written answer is meant to be short."""


class LLMConfigError(BotError):
    """The LLM settings cannot give a chat model (unknown provider, missing package)."""


# --------------------------------------------------------------------------- numbers

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

# A month name counts only next to a day or a year ("15 juli 2026", "July 2026"), so that
# "may" the verb or "mars" the planet are not read as 5 and 3.
_DAY_MONTH = re.compile(
    rf"(?<!\d)\d{{1,2}}(?:er|e|ème|st|nd|rd|th)?\.?\s+(?:of\s+)?({MONTH_PATTERN})\b"
)
_MONTH_YEAR = re.compile(
    rf"\b({MONTH_PATTERN})\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4}}(?!\d)"
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?!\d)")
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
    for pattern in (_DAY_MONTH, _MONTH_YEAR):
        for match in pattern.finditer(lowered):
            found.add(MONTH_NUMBER[match.group(1)])

    def take_date(match: re.Match[str]) -> str:
        found.update(int(match.group(i)) for i in (1, 3, 4))
        return " " * len(match.group(0))

    rest = _NUMERIC_DATE.sub(take_date, lowered)
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


# --------------------------------------------------------------------------- countries

_COUNTRY_PATTERNS = {
    "BE": re.compile(r"\bbelg", re.IGNORECASE),
    "NL": re.compile(
        r"\b(?:nederland|netherland|niederl|néerland|neerland|dutch|pays[\s-]+bas)",
        re.IGNORECASE,
    ),
    "LU": re.compile(r"\bluxemb", re.IGNORECASE),
}


def countries_in(text: str) -> set[str]:
    """Countries a sentence names (BE, NL, LU), in any of the four languages.

    Args:
        text: A sentence.

    Returns:
        The country codes named.
    """
    return {code for code, pattern in _COUNTRY_PATTERNS.items() if pattern.search(text)}


# --------------------------------------------------------------------------- links

_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)


def links_in(text: str) -> set[str]:
    """Web addresses and e-mail addresses in a text, lower-cased, without end punctuation."""
    return {m.group(0).rstrip(".,;:!?").lower() for m in _LINK.finditer(text)}


# --------------------------------------------------------------------------- verification

_MARKER = re.compile(r"\s*\[(?:\d+|[^\]\s]*#[^\]\s]*)\]")


def _source_text(citation: Citation) -> str:
    # Title, label and heading belong to the clause as much as its text: a sentence may
    # rightly give the law's date from its title or the article number from its label.
    return "\n".join(
        (citation.title, citation.short_title, citation.label, citation.heading, citation.text)
    )


def verify_sentences(
    sentences: Iterable[AnswerSentence],
    citations: Sequence[Citation],
    language: str | None = None,
) -> tuple[list[AnswerSentence], list[str]]:
    """Keep the sentences that the clauses they cite support.

    A sentence is removed when it cites no clause, cites a clause that was not retrieved,
    states a figure (number, duration, date part) that none of its cited clauses states,
    names a country none of its cited clauses belongs to (EU, Council of Europe and
    Benelux clauses cover all three), gives a link its clauses do not give, or is empty
    or overly long.

    Args:
        sentences: The sentences of a written answer.
        citations: The retrieved clauses.
        language: Language of the sentences, for number words.

    Returns:
        The kept sentences (citation markers stripped, ids deduplicated) and one reason
        per removed sentence, e.g. ``sentence 2: unsupported number``. Reasons never
        contain text from the sentence or the clauses.
    """
    by_id = {c.id: c for c in citations}
    figures: dict[str, set[Number]] = {}
    links: dict[str, str] = {}
    kept: list[AnswerSentence] = []
    reasons: list[str] = []
    for index, sentence in enumerate(sentences, start=1):
        text = " ".join(_MARKER.sub("", sentence.text).split())
        ids = tuple(dict.fromkeys(i.strip() for i in sentence.citation_ids if i.strip()))
        problem = None
        if not text:
            problem = "empty"
        elif len(text) > MAX_SENTENCE_CHARS:
            problem = "too long"
        elif not ids:
            problem = "no citation"
        elif any(i not in by_id for i in ids):
            problem = "cites a clause that was not retrieved"
        else:
            cited = [by_id[i] for i in ids]
            for c in cited:
                if c.id not in figures:
                    source = _source_text(c)
                    figures[c.id] = numbers_in(source, c.language)
                    links[c.id] = f"{source}\n{c.source_url}".lower()
            supported = set().union(*(figures[c.id] for c in cited))
            jurisdictions = {c.jurisdiction for c in cited}
            if not numbers_in(text, language) <= supported:
                problem = "unsupported number"
            elif not jurisdictions - set(NATIONAL) and not countries_in(text) <= jurisdictions:
                problem = "country not in its clauses"
            elif any(all(link not in links[c.id] for c in cited) for link in links_in(text)):
                problem = "unsupported link"
        if problem:
            reasons.append(f"sentence {index}: {problem}")
        else:
            kept.append(AnswerSentence(text=text, citation_ids=ids))
    return kept, reasons


# --------------------------------------------------------------------------- parsing


class MalformedReply(ValueError):
    """The model's reply is not the JSON answer asked for."""


class _ReplySentence(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1)
    citation_ids: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("citation_ids", "citations", "ids")
    )

    @field_validator("citation_ids", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sentences: list[_ReplySentence]


_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z]*\s*(.*?)\s*```", re.DOTALL)


def message_text(message: Any) -> str:
    """The text of a chat model reply, whether its content is a string or content blocks."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    return ""


def parse_reply(raw: str) -> list[AnswerSentence]:
    """Read the model's JSON answer from its raw text.

    Parsed from the message text rather than by provider tool calling, so that any
    OpenAI-compatible server works. Reasoning blocks (``<think>``) and code fences are
    removed, and prose around the JSON object is ignored.

    Args:
        raw: The model's reply text.

    Returns:
        The sentences in the model's order.

    Raises:
        MalformedReply: When no JSON object of the expected shape is found.
    """
    text = _THINK.sub("", raw).strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise MalformedReply("no JSON object") from None
        try:
            data = json.loads(text[start : end + 1])
        except json.JSONDecodeError:
            raise MalformedReply("invalid JSON") from None
    if isinstance(data, list):
        data = {"sentences": data}
    try:
        reply = _Reply.model_validate(data)
    except ValidationError:
        raise MalformedReply("unexpected JSON shape") from None
    return [
        AnswerSentence(text=s.text, citation_ids=tuple(s.citation_ids)) for s in reply.sentences
    ]


# --------------------------------------------------------------------------- statistics


@dataclass
class WriteStats:
    """Counts of written answers and fallbacks, for evaluation and ``/stats``.

    Attributes:
        written: Answers sent as written answers.
        fallback: Answers that fell back to the extractive answer.
        fallback_reasons: Fallbacks per reason (``timeout``, ``malformed output``, ...).
        removed_reasons: Removed sentences per reason (``unsupported number``, ...).
        verify_ms_total: Time spent verifying, over all answers.
        verify_count: Number of verifications timed.
        verify_ms_max: Slowest verification.
    """

    written: int = 0
    fallback: int = 0
    fallback_reasons: Counter[str] = field(default_factory=Counter)
    removed_reasons: Counter[str] = field(default_factory=Counter)
    verify_ms_total: float = 0.0
    verify_count: int = 0
    verify_ms_max: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, outcome: WriteOutcome) -> None:
        """Count one attempt."""
        with self._lock:
            if outcome.written:
                self.written += 1
            else:
                self.fallback += 1
                self.fallback_reasons[outcome.reason or "unknown"] += 1
            for reason in outcome.removed:
                self.removed_reasons[reason.split(": ", 1)[-1]] += 1
            if outcome.verify_ms is not None:
                self.verify_ms_total += outcome.verify_ms
                self.verify_count += 1
                self.verify_ms_max = max(self.verify_ms_max, outcome.verify_ms)

    @property
    def total(self) -> int:
        """Attempts counted."""
        return self.written + self.fallback

    @property
    def share_written(self) -> float | None:
        """Share of attempts sent as written answers, None before any attempt."""
        return self.written / self.total if self.total else None

    @property
    def verify_ms_mean(self) -> float | None:
        """Mean time of one verification, None before any."""
        return self.verify_ms_total / self.verify_count if self.verify_count else None

    def to_json(self) -> dict:
        """A JSON-ready summary."""
        with self._lock:
            return {
                "written": self.written,
                "fallback": self.fallback,
                "share_written": self.share_written,
                "fallback_reasons": dict(self.fallback_reasons),
                "removed_reasons": dict(self.removed_reasons),
                "verify_ms_mean": self.verify_ms_mean,
                "verify_ms_max": self.verify_ms_max,
            }


@dataclass(frozen=True)
class WriteOutcome:
    """What one written-answer attempt gave.

    Attributes:
        answer: The answer to send: written (mode ``llm``) or the extractive one.
        written: True when ``answer`` is a written answer.
        reason: Why the extractive answer was returned, None when written.
        removed: One reason per removed sentence (no texts).
        model_ms: Time waiting for the model, None when it was not asked.
        verify_ms: Time parsing and verifying the reply, None when there was no reply.
    """

    answer: Answer
    written: bool
    reason: str | None = None
    removed: tuple[str, ...] = ()
    model_ms: float | None = None
    verify_ms: float | None = None


def citation_precision(answer: Answer, expected_ids: set[str]) -> float | None:
    """Share of the clause ids cited by a written answer that are expected ones.

    Args:
        answer: An answer; only its written sentences are scored.
        expected_ids: Clause ids a correct answer may cite (the evaluation's gold).

    Returns:
        Distinct expected ids cited / distinct ids cited, or None when the answer has
        no written sentences (extractive) or there is no gold to compare with.
    """
    cited = {cid for sentence in answer.sentences for cid in sentence.citation_ids}
    if answer.mode != "llm" or not cited or not expected_ids:
        return None
    return len(cited & expected_ids) / len(cited)


# --------------------------------------------------------------------------- model factory

_PROVIDERS = {
    "openai": ("langchain_openai", "langchain-openai"),
    "ollama": ("langchain_ollama", "langchain-ollama"),
    "mistralai": ("langchain_mistralai", "langchain-mistralai"),
    "anthropic": ("langchain_anthropic", "langchain-anthropic"),
}
"""Supported LLM_PROVIDER values: the module init_chat_model imports and its package."""

MAX_RETRIES = 0
"""Retries of a failed model call: none, falling back at once beats keeping a worker waiting."""


def _module_available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def chat_model_kwargs(llm: LLMSettings) -> dict[str, Any]:
    """Keyword arguments of ``init_chat_model`` for the configured provider.

    Every provider gets the timeout, token limit and temperature under the name its
    LangChain class expects, and no retries.

    Args:
        llm: The LLM settings (provider other than none).

    Returns:
        The keyword arguments, without ``model`` and ``model_provider``.

    Raises:
        LLMConfigError: For an unknown provider.
    """
    provider = llm.llm_provider.strip().lower()
    key = llm.llm_api_key.get_secret_value() if llm.llm_api_key else None
    timeout = llm.llm_timeout_s
    if provider == "ollama":
        client: dict[str, Any] = {"timeout": timeout}
        if key:
            client["headers"] = {"Authorization": f"Bearer {key}"}
        kwargs = {
            "base_url": llm.llm_base_url, "client_kwargs": client, "format": "json",
            "num_predict": llm.llm_max_tokens, "temperature": llm.llm_temperature,
        }
    elif provider in ("openai", "mistralai", "anthropic"):
        if provider == "openai" and key is None and llm.llm_base_url:
            # Local OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) want no key, but
            # the OpenAI client refuses to start without one.
            key = "unused"
        if provider == "mistralai":
            timeout = max(1, math.ceil(timeout))  # ChatMistralAI takes whole seconds
        kwargs = {
            "base_url": llm.llm_base_url, "api_key": key, "timeout": timeout,
            "max_retries": MAX_RETRIES, "max_tokens": llm.llm_max_tokens,
            "temperature": llm.llm_temperature,
        }
    else:
        supported = ", ".join(["none", *_PROVIDERS])
        raise LLMConfigError(f"LLM_PROVIDER={llm.llm_provider!r} is not one of {supported}.")
    return {k: v for k, v in kwargs.items() if v is not None}


def make_chat_model(llm: LLMSettings) -> BaseChatModel:
    """The LangChain chat model of the settings, imported only now.

    Args:
        llm: The LLM settings (provider other than none).

    Returns:
        The chat model.

    Raises:
        LLMConfigError: Unknown provider, no model name, or the provider's package is
            not installed (the message names what to install).
    """
    provider = llm.llm_provider.strip().lower()
    kwargs = chat_model_kwargs(llm)
    if not llm.llm_model.strip():
        raise LLMConfigError(f"LLM_PROVIDER={provider} needs LLM_MODEL, the model name.")
    module, package = _PROVIDERS[provider]
    if not _module_available(module):
        hint = "pip install '.[llm]'" if provider == "openai" else f"pip install {package}"
        raise LLMConfigError(
            f"LLM_PROVIDER={provider} needs the Python package {package}, which is not "
            f"installed. Install it with: {hint}"
        )
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(llm.llm_model.strip(), model_provider=provider, **kwargs)
    except Exception as exc:
        message = str(exc)
        if llm.llm_api_key and llm.llm_api_key.get_secret_value():
            message = message.replace(llm.llm_api_key.get_secret_value(), "**********")
        raise LLMConfigError(
            f"LLM_PROVIDER={provider}: cannot set up the model: {message}"
        ) from exc


# --------------------------------------------------------------------------- answerer


def _failure_reason(exc: BaseException) -> str:
    from langchain_core import exceptions as lc

    # langchain-core 1.x maps provider errors to shared classes; integrations that do
    # not yet (and bare httpx or asyncio timeouts) are recognised by class and name.
    kinds = (
        (lc.ModelTimeoutError, "timeout"),
        (lc.ModelRateLimitError, "rate limited"),
        (lc.ModelAPIError, "server error"),
        (lc.ModelConnectionError, "unreachable"),
        (lc.ModelAuthenticationError, "authentication failed"),
        (lc.ModelPermissionDeniedError, "authentication failed"),
        (lc.ModelNotFoundError, "model not found"),
        (lc.ContextOverflowError, "prompt too long"),
        (lc.ModelInvalidRequestError, "request rejected"),
    )
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        for kind, reason in kinds:
            if isinstance(seen, kind):
                return reason
        if isinstance(seen, TimeoutError) or "timeout" in type(seen).__name__.lower():
            return "timeout"
        seen = seen.__cause__ or seen.__context__
    # The class name only: provider error messages can quote the request.
    return f"model error ({type(exc).__name__})"


_MODEL_OUTPUT_REASONS = {"no clauses", "malformed output", "no sentences", "nothing verified"}


class WrittenAnswerer:
    """Writes short cited answers with a chat model and sends only what checks out.

    Args:
        model: Any LangChain chat model (a provider's, or a scripted one in tests).
        stats: Counter shared with an evaluation; a new one when None.
        max_sentences: Longest written answer; the model's further sentences are dropped.
    """

    def __init__(
        self,
        model: BaseChatModel,
        *,
        stats: WriteStats | None = None,
        max_sentences: int = MAX_SENTENCES,
    ) -> None:
        self.model = model
        self.stats = stats if stats is not None else WriteStats()
        self.max_sentences = max_sentences
        self.last_verify_ms: float | None = None
        self.last_model_ms: float | None = None

    @classmethod
    def from_settings(cls, llm: LLMSettings) -> WrittenAnswerer | None:
        """The answerer of the settings, or None when ``LLM_PROVIDER`` is none.

        Raises:
            LLMConfigError: See ``make_chat_model``.
        """
        if llm.llm_provider.strip().lower() in ("", "none"):
            return None
        return cls(make_chat_model(llm))

    def write(self, answer: Answer) -> Answer:
        """The written answer when it checks out, else ``answer`` unchanged; never raises.

        Args:
            answer: The extractive answer; its citations are the retrieved clauses.

        Returns:
            ``answer`` with mode ``llm`` and the verified sentences, or ``answer`` itself.
        """
        return self.attempt(answer).answer

    async def awrite(self, answer: Answer) -> Answer:
        """Async ``write`` for the bot's event loop; never raises."""
        return (await self.aattempt(answer)).answer

    def attempt(self, answer: Answer) -> WriteOutcome:
        """Like ``write``, with the reason of a fallback and the timings.

        Args:
            answer: The extractive answer.

        Returns:
            The outcome; also counted in ``stats``.
        """
        if not answer.citations:
            return self._done(WriteOutcome(answer, written=False, reason="no clauses"))
        try:
            messages = self._messages(answer)
        except Exception as exc:
            return self._done(self._internal_error(answer, exc))
        started = time.perf_counter()
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:
            return self._failed(answer, exc, started)
        return self._finish(answer, reply, started)

    async def aattempt(self, answer: Answer) -> WriteOutcome:
        """Async ``attempt``."""
        if not answer.citations:
            return self._done(WriteOutcome(answer, written=False, reason="no clauses"))
        try:
            messages = self._messages(answer)
        except Exception as exc:
            return self._done(self._internal_error(answer, exc))
        started = time.perf_counter()
        try:
            reply = await self.model.ainvoke(messages)
        except Exception as exc:
            return self._failed(answer, exc, started)
        return self._finish(answer, reply, started)

    @staticmethod
    def _messages(answer: Answer) -> list[BaseMessage]:
        return build_messages(answer.question, answer.citations, answer.language)

    def _failed(self, answer: Answer, exc: Exception, started: float) -> WriteOutcome:
        model_ms = (time.perf_counter() - started) * 1000
        return self._done(
            WriteOutcome(answer, written=False, reason=_failure_reason(exc), model_ms=model_ms)
        )

    def _finish(self, answer: Answer, reply: Any, started: float) -> WriteOutcome:
        try:
            outcome = self._check(answer, reply, started)
        except Exception as exc:
            outcome = self._internal_error(answer, exc)
        return self._done(outcome)

    @staticmethod
    def _internal_error(answer: Answer, exc: Exception) -> WriteOutcome:
        # A bug on our side must cost the written answer, never the answer itself.
        return WriteOutcome(answer, written=False, reason=f"internal error ({type(exc).__name__})")

    def _check(self, answer: Answer, reply: Any, started: float) -> WriteOutcome:
        model_ms = (time.perf_counter() - started) * 1000
        began = time.perf_counter()
        try:
            proposed = parse_reply(message_text(reply))
        except MalformedReply:
            proposed = None
        removed: list[str] = []
        kept: list[AnswerSentence] = []
        if proposed is not None:
            removed = [
                f"sentence {n}: over the limit of {self.max_sentences}"
                for n in range(self.max_sentences + 1, len(proposed) + 1)
            ]
            kept, reasons = verify_sentences(
                proposed[: self.max_sentences], answer.citations, answer.language
            )
            removed = reasons + removed
        verify_ms = (time.perf_counter() - began) * 1000
        timing = {"model_ms": model_ms, "verify_ms": verify_ms}
        if proposed is None:
            outcome = WriteOutcome(answer, False, "malformed output", **timing)
        elif not proposed:
            outcome = WriteOutcome(answer, False, "no sentences", **timing)
        elif not kept:
            outcome = WriteOutcome(answer, False, "nothing verified", tuple(removed), **timing)
        else:
            written = dataclasses.replace(answer, mode="llm", sentences=tuple(kept))
            outcome = WriteOutcome(written, True, None, tuple(removed), **timing)
        return outcome

    def _done(self, outcome: WriteOutcome) -> WriteOutcome:
        self.last_model_ms = outcome.model_ms
        self.last_verify_ms = outcome.verify_ms
        self.stats.record(outcome)
        if outcome.removed:
            logger.info(
                "llm removed %d sentence(s): %s", len(outcome.removed), "; ".join(outcome.removed)
            )
        if outcome.written:
            logger.info(
                "llm written: %d sentence(s), verify %.1f ms",
                len(outcome.answer.sentences), outcome.verify_ms or 0.0,
            )
        else:
            # Timeouts and model errors are operational problems; the rest is the model
            # writing something unusable, which an evaluation counts instead.
            reason = outcome.reason or "unknown"
            level = logging.INFO if reason in _MODEL_OUTPUT_REASONS else logging.WARNING
            logger.log(level, "llm fallback: %s", reason)
        return outcome
