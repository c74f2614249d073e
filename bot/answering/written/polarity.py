"""Polarity of a written sentence against its clauses: deny only what a clause denies.

A sentence that negates ("there is no reflection period", "er is geen bedenktijd", "il
n'y a pas de délai", "es gibt keine Bedenkzeit", "not entitled") is supported only when
a sentence of a cited clause negates too and contains every content word of the negated
part (the same word or the same stem). A sentence that does not negate is refused when
it contains every content word that a cited clause denies, unless the clause also
states them without negation ("a removal decision may be enforced during the period"
against "during it no removal decision may be enforced").

Words are compared, not meanings: a correct negation paraphrased in another language
than its clause is refused too, and the extractive answer is sent instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from bot.reference.countries import countries_in
from bot.reference.negation import NEGATIONS, Negation, negations, words
from bot.reference.numbers import numbers_in
from bot.reference.text import sentences
from bot.retrieval.text import ALL_STOPWORDS, STOPWORDS, _stemmer

MAX_SCOPE_WORDS = 4
"""Content words of a negated part that a clause must contain (the first ones)."""

_NEGATION_WORDS = frozenset().union(*NEGATIONS.values())


@lru_cache(maxsize=4096)
def _stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


def content_words(tokens: tuple[str, ...] | list[str], language: str | None) -> list[str]:
    """The words that carry meaning: no stopwords, negation words, numbers or countries."""
    stop = STOPWORDS.get(language or "", ALL_STOPWORDS)
    kept = []
    for word in tokens:
        if (
            len(word) < 3
            or not word.isalpha()
            or word in stop
            or word in _NEGATION_WORDS
            or numbers_in(word, language)
            or countries_in(word)
        ):
            continue
        kept.append(word)
    return list(dict.fromkeys(kept))


def scope(negation: Negation, language: str | None) -> list[str]:
    """The content words a negation denies: those after it, else those before ("nicht")."""
    words_after = content_words(negation.after, language)
    return (words_after or content_words(negation.before, language))[:MAX_SCOPE_WORDS]


@dataclass
class _Sentence:
    words: frozenset[str]
    denied: list[list[str]]
    _stems: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def negated(self) -> bool:
        return bool(self.denied)

    def stems(self, language: str) -> frozenset[str]:
        if language not in self._stems:
            self._stems[language] = frozenset(_stem(w, language) for w in self.words)
        return self._stems[language]

    def contains(self, word: str, languages: tuple[str, ...]) -> bool:
        return word in self.words or any(
            _stem(word, lang) in self.stems(lang) for lang in languages
        )


class ClausePolarity:
    """The sentences of one clause, each with its words and what it denies.

    Args:
        text: The clause text.
        language: The clause's language.
    """

    def __init__(self, text: str, language: str) -> None:
        self.language = language
        self.sentences = [
            _Sentence(
                frozenset(w for w in words(s) if w.isalpha()),
                [terms for n in negations(s, language) if (terms := scope(n, language))],
            )
            for s in sentences(text)
        ]

    def _languages(self, language: str | None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x for x in (language, self.language) if x in STOPWORDS))

    def denies(self, terms: list[str], language: str | None) -> bool:
        """True when one negating sentence of the clause contains every term."""
        languages = self._languages(language)
        return any(
            s.negated and all(s.contains(t, languages) for t in terms) for s in self.sentences
        )

    def contradicted_by(self, text_words: list[str], language: str | None) -> bool:
        """True when a sentence states, without negation, all that the clause denies.

        Args:
            text_words: Folded words of the sentence.
            language: Its language.
        """
        languages = self._languages(language)
        sentence = _Sentence(frozenset(text_words), [])
        for clause_sentence in self.sentences:
            for terms in clause_sentence.denied:
                in_sentence = all(sentence.contains(t, languages) for t in terms)
                # The clause may state the same words without negation elsewhere
                # ("the minister may take a removal decision when ...").
                affirmed = any(
                    not s.negated and all(s.contains(t, languages) for t in terms)
                    for s in self.sentences
                )
                if in_sentence and not affirmed:
                    return True
        return False


def polarity_problem(
    text: str, language: str | None, clauses: list[ClausePolarity]
) -> str | None:
    """Why a sentence's polarity is not supported by its cited clauses, or None.

    Args:
        text: The written sentence.
        language: Its language.
        clauses: The cited clauses.

    Returns:
        ``negation not in its clauses`` or ``contradicts its clauses``, or None.
    """
    found = negations(text, language)
    for negation in found:
        terms = scope(negation, language)
        if not terms or not any(c.denies(terms, language) for c in clauses):
            return "negation not in its clauses"
    if not found:
        text_words = [w for w in words(text) if w.isalpha()]
        if any(c.contradicted_by(text_words, language) for c in clauses):
            return "contradicts its clauses"
    return None
