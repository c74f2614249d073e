"""Negation words in nl, fr, de and en, and where a text negates.

Used by the written-answer check: a sentence may deny only what a clause it cites
denies ("there is no reflection period" against a clause that grants one must fail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reference.text import fold

NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "no not never none nobody nothing neither nor without cannot non nowhere "
        "abolished abolish repealed repeal revoked refuse refuses refused deny denies "
        "denied".split()
    ),
    "nl": frozenset(
        "geen niet nooit niets niemand zonder noch nergens generlei afgeschaft opgeheven "
        "herroepen weigert weigeren geweigerd".split()
    ),
    "fr": frozenset(
        "pas jamais aucun aucune aucuns aucunes sans rien ni non nul nulle nullement guere "
        "aboli abolie abolis abolies abroge abrogee abroges abrogees supprime supprimee "
        "refuse refusee refuses refusent refuser".split()
    ),
    "de": frozenset(
        "kein keine keinen keinem keiner keines nicht nie niemals nichts niemand ohne weder "
        "nirgends abgeschafft aufgehoben verweigert verweigern abgelehnt".split()
    ),
}
"""Words that negate, per language (accent-folded, lower-case), with the verbs that end
or refuse a rule ("abolished", "afgeschaft", "aboli", "abgeschafft", "refused").

A text is read with its own language's list only: Dutch "pas" means "only" and French
"non" or English "no" are no negation in the other languages.
"""

FRENCH_AFTER_NE = frozenset({"plus", "personne", "point"})
"""French words that negate only after "ne"/"n'" ("ne ... plus", "n'... personne")."""

_ALL = frozenset().union(*NEGATIONS.values())
_WORDS = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
PART_BREAKS = frozenset(".;:!?()[]«»\"“”,")
"""Punctuation that ends a part of a sentence: what one negation word reaches."""

SENTENCE_BREAKS = frozenset(".;!?")
"""Punctuation that ends a sentence."""
# "No. 5", "no 12": the abbreviation of "number", not a negation.
_NUMBER_ABBREVIATION = re.compile(r"\bno\.?\s*(?=\d)")


@dataclass(frozen=True)
class Negation:
    """One negation word and the words around it, up to the nearest break.

    Attributes:
        before: Words before the negation word, folded.
        after: Words after it, folded.
    """

    before: tuple[str, ...]
    after: tuple[str, ...]


def words(text: str) -> list[str]:
    """Folded words, numbers and punctuation of a text; "n't" becomes "not"."""
    folded = fold(text).replace("’", "'")
    folded = re.sub(r"n't\b", " not", folded)
    folded = _NUMBER_ABBREVIATION.sub("number ", folded)
    return _WORDS.findall(folded)


NOT_ONLY = frozenset({"only", "just", "nur", "seulement", "uniquement", "alleen", "enkel"})
"""Words after which a negation word adds rather than denies ("not only", "nicht nur")."""


def _negates(tokens: list[str], index: int, cues: frozenset[str], french: bool) -> bool:
    if tokens[index] in cues:
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        return following not in NOT_ONLY
    return (
        french
        and tokens[index] in FRENCH_AFTER_NE
        and any(w in ("ne", "n") for w in tokens[max(0, index - 3) : index])
    )


def negations(
    text: str, language: str | None, breaks: frozenset[str] = PART_BREAKS
) -> list[Negation]:
    """The negations of a text, each with the words of its part of the sentence.

    Args:
        text: Any text.
        language: Its language; None reads the negation words of all four.
        breaks: Punctuation that ends the words around a negation (``PART_BREAKS``,
            or ``SENTENCE_BREAKS`` for the whole sentence).

    Returns:
        One entry per negation word, in order.
    """
    cues = NEGATIONS.get(language or "", _ALL)
    french = language in ("fr", None)
    tokens = words(text)
    found = []
    start = 0
    for index, token in enumerate(tokens):
        if token in breaks:
            start = index + 1
        elif _negates(tokens, index, cues, french):
            end = next(
                (i for i in range(index + 1, len(tokens)) if tokens[i] in breaks),
                len(tokens),
            )
            found.append(Negation(tuple(tokens[start:index]), tuple(tokens[index + 1 : end])))
    return found


def negates(text: str, language: str | None) -> bool:
    """True when the text contains a negation (see ``negations``)."""
    cues = NEGATIONS.get(language or "", _ALL)
    french = language in ("fr", None)
    tokens = words(text)
    return any(_negates(tokens, i, cues, french) for i in range(len(tokens)))
