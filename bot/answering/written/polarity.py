"""Polarity of a written sentence against its clauses: deny only what a clause denies.

A sentence that negates ("there is no reflection period", "er is geen bedenktijd", "il
n'y a pas de délai", "es gibt keine Bedenkzeit", "not entitled", "was abolished") is
supported only when a cited clause negates the same thing: a negating sentence of the
clause contains every content word the sentence denies, and the word the clause denies
first (the one next to its negation word) is one of them. "There is no reflection
period" is therefore not supported by "during the reflection period no removal order is
enforced".

A sentence that does not negate is refused when it contains every content word next to
a negation of a cited clause, unless that clause also states them without negation ("a
removal decision may be enforced" against "no removal decision may be enforced").

Words are compared (the same word, or the same stem in the sentence's or the clause's
language), not meanings: a correct negation paraphrased in another language than its
clause is refused too, and the extractive answer is sent instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from bot.reference.countries import countries_in
from bot.reference.negation import NEGATIONS, SENTENCE_BREAKS, Negation, negations, words
from bot.reference.numbers import numbers_in
from bot.reference.text import sentences
from bot.retrieval.text import ALL_STOPWORDS, STOPWORDS, stem_word

MAX_DENIED_WORDS = 4
"""Content words of a negated part that are compared (those next to the negation word)."""

_NEGATION_WORDS = frozenset().union(*NEGATIONS.values())


@lru_cache(maxsize=8192)
def _is_content(word: str, language: str | None) -> bool:
    stop = STOPWORDS.get(language or "", ALL_STOPWORDS)
    return not (
        len(word) < 3
        or not word.isalpha()
        or word in stop
        or word in _NEGATION_WORDS
        or numbers_in(word, language)
        or countries_in(word)
    )


def content_words(tokens: tuple[str, ...] | list[str], language: str | None) -> list[str]:
    """The words that carry meaning: no stopwords, negation words, numbers or countries."""
    return list(dict.fromkeys(w for w in tokens if _is_content(w, language)))


def denied(negation: Negation, language: str | None, limit: int | None = None) -> list[str]:
    """What a negation denies, nearest word first.

    The content words after the negation word; when there are none ("... gibt es
    nicht", "... krijgt hij niet"), those before it, the nearest first.
    """
    after = content_words(negation.after, language)
    found = after or content_words(reversed(negation.before), language)
    return found[:limit] if limit else found


class _Words:
    """Words of a piece of text, compared as words or as stems."""

    def __init__(self, words: list[str] | tuple[str, ...]) -> None:
        self.words = frozenset(words)
        self._stems: dict[str, frozenset[str]] = {}

    def stems(self, language: str) -> frozenset[str]:
        if language not in self._stems:
            self._stems[language] = frozenset(stem_word(w, language) for w in self.words)
        return self._stems[language]

    def has(self, word: str, languages: tuple[str, ...]) -> bool:
        return word in self.words or any(
            stem_word(word, lang) in self.stems(lang) for lang in languages
        )


@dataclass
class _Denial:
    head: str  # the content word next to the negation word
    window: _Words  # every content word of the negation's sentence
    near: list[str] = field(default_factory=list)  # the first few, up to a comma


@dataclass
class _Sentence:
    words: _Words
    denials: list[_Denial]


class ClausePolarity:
    """The sentences of one clause, each with its words and what it denies.

    Args:
        text: The clause text.
        language: The clause's language.
    """

    def __init__(self, text: str, language: str) -> None:
        self.language = language
        self.sentences: list[_Sentence] = []
        for sentence in sentences(text):
            denials = []
            parts = negations(sentence, language)
            for whole, part in zip(negations(sentence, language, SENTENCE_BREAKS), parts,
                                   strict=True):
                near = denied(part, language, MAX_DENIED_WORDS)
                nearest = near or denied(whole, language)
                if nearest:
                    # The whole sentence is in reach (German and Dutch put the verb after
                    # "nicht"/"niet"), but the word next to the negation must be denied too.
                    reach = content_words([*whole.before, *whole.after], language)
                    denials.append(_Denial(nearest[0], _Words(reach), near))
            self.sentences.append(
                _Sentence(_Words([w for w in words(sentence) if w.isalpha()]), denials)
            )

    def _languages(self, language: str | None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x for x in (language, self.language) if x in STOPWORDS))

    def denies(self, terms: list[str], language: str | None) -> bool:
        """True when a negation of the clause reaches every term, its nearest word among them.

        Args:
            terms: What a sentence denies (``denied``), nearest first.
            language: The sentence's language.
        """
        languages = self._languages(language)
        asserted = _Words(terms)
        return any(
            all(d.window.has(t, languages) for t in terms) and asserted.has(d.head, languages)
            for s in self.sentences
            for d in s.denials
        )

    def contradicted_by(self, text_words: list[str], language: str | None) -> bool:
        """True when a sentence states, without negation, what the clause denies.

        Args:
            text_words: Folded words of the sentence.
            language: Its language.
        """
        languages = self._languages(language)
        sentence = _Words(text_words)
        for clause_sentence in self.sentences:
            for denial in clause_sentence.denials:
                if not denial.near or not all(sentence.has(t, languages) for t in denial.near):
                    continue
                # The clause may state the same words without negation elsewhere
                # ("the minister may take a removal decision when ...").
                if not any(
                    not s.denials and all(s.words.has(t, languages) for t in denial.near)
                    for s in self.sentences
                ):
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
        terms = denied(negation, language, MAX_DENIED_WORDS)
        if not terms or not any(c.denies(terms, language) for c in clauses):
            return "negation not in its clauses"
    if not found:
        text_words = [w for w in words(text) if w.isalpha()]
        if any(c.contradicted_by(text_words, language) for c in clauses):
            return "contradicts its clauses"
    return None
