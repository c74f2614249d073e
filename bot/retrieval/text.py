"""Tokenising and stemming for the four languages (and the identifiers lawyers write)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import (
    STOPWORDS_DUTCH,
    STOPWORDS_EN_PLUS,
    STOPWORDS_FRENCH,
    STOPWORDS_GERMAN,
)

from bot.reference.languages import LANGUAGES, NAMES
from bot.reference.text import fold

STEMMER_NAMES = {code: name.lower() for code, name in NAMES.items()}
"""Snowball stemmer of each language (named after the language in English)."""
STOPWORDS = {
    "nl": frozenset(STOPWORDS_DUTCH),
    "fr": frozenset(STOPWORDS_FRENCH),
    "de": frozenset(STOPWORDS_GERMAN),
    "en": frozenset(STOPWORDS_EN_PLUS),
}
# How frontline workers phrase questions ("my client", "how long", "mag ze"): words that
# say nothing about which rule is meant, but match long texts in another language.
QUESTION_WORDS = frozenset(
    "client clients cliente clientes cliënt cliënte klient klientin mandant mandante "
    "combien comment quand pourquoi hoeveel hoelang wanneer waarom welke wieviel wann warum "
    "welche lang lange long dauert duurt dure get gets krijgt krijgen bekommt obtient "
    "mag mogen darf durfen dürfen peut peuvent kan kann moet muss doit faut".split()
)
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
_WORD = re.compile(r"\w+", re.UNICODE)



QUERY_STOPWORDS = ALL_STOPWORDS | {fold(w) for w in QUESTION_WORDS}


def words(text: str) -> list[str]:
    """Accent-folded word tokens."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_NAMES.get(language, "english"))


@lru_cache(maxsize=16384)
def stem_word(word: str, language: str) -> str:
    """The stem of one folded word in one language."""
    return _stemmer(language).stemWord(word)


def stems(text: str, language: str, *, keep_stopwords: bool = False) -> list[str]:
    """Stemmed tokens of a text in one language, stopwords of that language removed."""
    return stem_words(words(text), language, keep_stopwords=keep_stopwords)


def stem_words(tokens: list[str], language: str, *, keep_stopwords: bool = False) -> list[str]:
    """Like `stems`, for a text already split by `words` (fold a long text only once)."""
    stop = frozenset() if keep_stopwords else STOPWORDS.get(language, ALL_STOPWORDS)
    kept = [w for w in tokens if w not in stop and (len(w) > 1 or w.isdigit())]
    return _stemmer(language).stemWords(kept)


def query_stems(text: str, languages: tuple[str, ...] = LANGUAGES) -> list[str]:
    """Stems of a question under every language's stemmer (its language may be unsure)."""
    tokens = [w for w in words(text) if w not in QUERY_STOPWORDS and (len(w) > 1 or w.isdigit())]
    seen: dict[str, None] = {}
    for language in languages:
        for stem in _stemmer(language).stemWords(tokens):
            seen.setdefault(stem, None)
    return list(seen)
