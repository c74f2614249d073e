"""The check a written answer must pass: every sentence supported by the clauses it cites."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.models import AnswerSentence, Citation
from bot.reference.countries import countries_in
from bot.reference.jurisdictions import NATIONAL
from bot.reference.numbers import Number, numbers_in

MAX_SENTENCE_CHARS = 600
"""Longer "sentences" are removed: a written answer is meant to be short."""

_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)


def links_in(text: str) -> set[str]:
    """Web addresses and e-mail addresses in a text, lower-cased, without end punctuation."""
    return {m.group(0).rstrip(".,;:!?").lower() for m in _LINK.finditer(text)}


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
            elif not jurisdictions - set(NATIONAL) and not set(countries_in(text)) <= jurisdictions:
                problem = "country not in its clauses"
            elif any(all(link not in links[c.id] for c in cited) for link in links_in(text)):
                problem = "unsupported link"
        if problem:
            reasons.append(f"sentence {index}: {problem}")
        else:
            kept.append(AnswerSentence(text=text, citation_ids=ids))
    return kept, reasons


