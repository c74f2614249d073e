"""The check a written answer must pass: every sentence supported by the clauses it cites."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answering.written.polarity import ClausePolarity, polarity_problem
from bot.answering.written.untrusted import untrusted_ids
from bot.models import AnswerSentence, Citation
from bot.reference.countries import countries_in
from bot.reference.jurisdictions import NATIONAL
from bot.reference.links import Link, covered, links_in
from bot.reference.numbers import Quantity, quantities_in

MAX_SENTENCE_CHARS = 600
"""Longer "sentences" are removed: a written answer is meant to be short."""

_MARKER = re.compile(r"\s*\[(?:\d+|[^\]\s]*#[^\]\s]*)\]")


def _source_text(citation: Citation) -> str:
    # Title, label and heading belong to the clause as much as its text: a sentence may
    # rightly give the law's date from its title or the article number from its label.
    return "\n".join(
        (citation.title, citation.short_title, citation.label, citation.heading, citation.text)
    )


@dataclass(frozen=True)
class _Support:
    """What one clause states: its quantities, links and sentences with their polarity."""

    quantities: frozenset[Quantity]
    links: frozenset[Link]
    polarity: ClausePolarity

    @classmethod
    def of(cls, citation: Citation) -> _Support:
        source = _source_text(citation)
        return cls(
            frozenset(quantities_in(source, citation.language)),
            frozenset(links_in(f"{source}\n{citation.source_url}")),
            ClausePolarity(citation.text, citation.language),
        )


def supported(quantity: Quantity, stated: Iterable[Quantity]) -> bool:
    """True when the clauses' quantities state ``quantity``.

    A bare number needs the same number in any unit; a number with a unit needs the
    same amount of that unit (weeks compare as days, years as months: "half a year" is
    "six months", "90 weeks" is not "90 days"). An age is stated by the same number of
    years, or by the bare number ("under 18").

    Args:
        quantity: A quantity of the sentence.
        stated: The quantities of its cited clauses.
    """
    stated = list(stated)
    if quantity.unit is None:
        return any(q.value == quantity.value for q in stated)
    if quantity.unit == "age":
        return any(q.value == quantity.value and q.unit in ("age", "year", None) for q in stated)
    if quantity.unit == "year" and any(
        q.value == quantity.value and q.unit == "age" for q in stated
    ):
        return True
    canonical = quantity.canonical()
    return any(q.unit is not None and q.canonical() == canonical for q in stated)


def verify_sentences(
    sentences: Iterable[AnswerSentence],
    citations: Sequence[Citation],
    language: str | None = None,
) -> tuple[list[AnswerSentence], list[str]]:
    """Keep the sentences that the clauses they cite support.

    A sentence is removed when it is empty or overly long, cites no clause, cites a
    clause that was not retrieved or that holds instructions to a model (or whose
    document does), states a quantity none of its cited clauses states (numbers with
    their unit, in digits or words of nl, fr, de or en, dates), names a country none of
    its cited clauses belongs to (EU, Council of Europe and Benelux clauses cover all
    three), gives a link or domain its clauses do not give, denies what its clauses do
    not deny, or affirms what its clauses only deny.

    Args:
        sentences: The sentences of a written answer.
        citations: The retrieved clauses.
        language: Language of the sentences.

    Returns:
        The kept sentences (citation markers stripped, ids deduplicated) and one reason
        per removed sentence, e.g. ``sentence 2: unsupported number``. Reasons never
        contain text from the sentence or the clauses.
    """
    by_id = {c.id: c for c in citations}
    untrusted = untrusted_ids(citations)
    support: dict[str, _Support] = {}
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
        elif any(i in untrusted for i in ids):
            problem = "cites a clause that holds instructions"
        else:
            cited = [by_id[i] for i in ids]
            for c in cited:
                if c.id not in support:
                    support[c.id] = _Support.of(c)
            problem = _problem(text, language, cited, [support[c.id] for c in cited])
        if problem:
            reasons.append(f"sentence {index}: {problem}")
        else:
            kept.append(AnswerSentence(text=text, citation_ids=ids))
    return kept, reasons


def _problem(
    text: str, language: str | None, cited: list[Citation], support: list[_Support]
) -> str | None:
    stated = [q for s in support for q in s.quantities]
    if not all(supported(q, stated) for q in quantities_in(text, language)):
        return "unsupported number"
    jurisdictions = {c.jurisdiction for c in cited}
    if not jurisdictions - set(NATIONAL) and not set(countries_in(text)) <= jurisdictions:
        return "country not in its clauses"
    sources = {link for s in support for link in s.links}
    if not all(covered(link, sources) for link in links_in(text)):
        return "unsupported link"
    return polarity_problem(text, language, [s.polarity for s in support])
