"""Extractive answers: the lead line, the best one to three clauses, the sentence that matters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

from bot.locales import plain as text
from bot.models import FIXED_TEXT_KINDS, Answer, Citation, Clause
from bot.reference.jurisdictions import label as country_label
from bot.reference.languages import LANGUAGES
from bot.reference.text import clip, sentences
from bot.retrieval.results import NOT_COVERED, OFF_TOPIC, Retrieval, RetrievalParams
from bot.retrieval.text import query_stems, stems

NEARBY_TOPICS = 3
"""Rules named as "nearby" when the knowledge base has no answer."""
TOPIC_CHARS = 90
"""Longest name of a nearby topic (the heading up to its legal reference)."""
HIGHLIGHT_CHARS = 700
"""The key sentence of a quote; longer ones (a rare run-on sentence) are cut at a word."""


def compose(
    question: str,
    language: str,
    retrieval: Retrieval,
    params: RetrievalParams,
    *,
    review_after_days: int,
    today: dt.date | None = None,
    inherited_country: bool = False,
    clauses: Mapping[str, Clause] | None = None,
) -> Answer:
    """Turn a retrieval into an answer in the asker's language.

    Args:
        question: The question as asked.
        language: Answer language (nl, fr, de, en).
        retrieval: Ranked clauses and the grounding decision.
        params: Citation cut-offs.
        review_after_days: Clauses from older documents get a notice.
        today: Reference date for that notice (tests).
        inherited_country: The country came from the previous question (a follow-up).
        clauses: Every indexed clause by id, to find originals and official articles.
    """
    country = retrieval.countries[0] if len(retrieval.countries) == 1 else None
    if retrieval.verdict == NOT_COVERED:
        return _not_covered(question, language, retrieval, country, clauses or {})
    if not retrieval.grounded:
        return _declined(question, language, country, OFF_TOPIC)
    top = retrieval.results[0].score
    chosen = [
        result
        for result in retrieval.results[: params.max_citations]
        if result.score >= params.follow_ratio * top
    ]
    # Clauses quote terms of other languages ("reflection period (délai de réflexion)"), and
    # a clause's sentences are stemmed in the clause's language: stem each glossary term the
    # way every language would, so the marked sentence is found whatever the mix.
    terms = set(query_stems(question)) | {
        stem
        for term in retrieval.expansion
        for language in LANGUAGES
        for stem in stems(term, language)
    }
    clauses = clauses or {}
    citations = tuple(
        Citation.from_clause(
            r.clause,
            r.score,
            highlight=best_sentence(r.clause, terms),
            paragraph=r.passage.paragraph if r.clause.document.kind != "factsheet" else "",
            original=clauses.get(r.clause.group_id),
            basis=tuple(clauses[b] for b in r.clause.refs.basis if b in clauses),
        )
        for r in chosen
    )
    if country:
        key = "lead_country_follow" if inherited_country else "lead_country"
        lead = text(key, language, country=country_label(country, language))
    else:
        lead = text("lead", language)
    today = today or dt.date.today()
    citations = tuple(
        dataclasses.replace(c, stale=_stale(c, today, review_after_days)) for c in citations
    )
    return Answer(
        question=question,
        language=language,
        grounded=True,
        lead=lead,
        citations=citations,
        country=country,
    )


def _not_covered(
    question: str, language: str, retrieval: Retrieval, country: str | None,
    clauses: Mapping[str, Clause],
) -> Answer:
    """An honest "not in my knowledge base": what it does cover nearby, and whom to ask.

    The nearby rules are named, not quoted: they do not answer the question. The contacts
    of the country (or of all three) are quoted, since they are the answer that helps.
    """
    nearby = list(dict.fromkeys(
        _topic(r.clause) for r in retrieval.results[:NEARBY_TOPICS * 2]
        if r.clause.key not in {"contacts", "intro", "preamble"}
    ))[:NEARBY_TOPICS]
    notices = (text("nearby", language, topics="; ".join(nearby)),) if nearby else ()
    citations = tuple(
        Citation.from_clause(c, 0.0, original=clauses.get(c.group_id)) for c in retrieval.contacts
    )
    return _declined(question, language, country, NOT_COVERED, citations, notices)


def _declined(
    question: str, language: str, country: str | None, status: str,
    citations: tuple[Citation, ...] = (), notices: tuple[str, ...] = (),
) -> Answer:
    """An answer that quotes no rule: off topic, or not covered (with the contacts)."""
    return Answer(question=question, language=language, grounded=False,
                  lead=text(status, language), citations=citations, country=country,
                  notices=notices, status=status)


def _topic(clause: Clause) -> str:
    """A clause named in a few words: its label, without the legal reference in brackets."""
    # The topic is what comes before the first bracket or dash: the reference after it may
    # be nested ("(Art. 8(5) Directive (EU) 2024/1712)") or clipped.
    topic = re.split(r"\s+\(|\s+[—–]\s+", clause.label, maxsplit=1)[0].strip(" —-")
    return f"{clip(topic or clause.label, TOPIC_CHARS)} ({clause.document.jurisdiction})"


def _stale(citation: Citation, today: dt.date, review_after_days: int) -> str:
    """The date of the rule's text when it is older than the review period, else ""."""
    if citation.kind in FIXED_TEXT_KINDS:
        return ""
    date = citation.text_date if citation.kind == "factsheet" else citation.version_date
    if date and (today - dt.date.fromisoformat(date)).days > review_after_days:
        return date
    return ""



def best_sentence(clause: Clause, terms: set[str]) -> str:
    """The sentence of a clause sharing most stems with the question and its expansion."""
    language = clause.document.language
    best, best_score = "", 0.0
    for sentence in sentences(clause.text):
        tokens = stems(sentence, language)
        if not tokens:
            continue
        overlap = len(terms.intersection(tokens))
        score = overlap + (0.5 if re.search(r"\d", sentence) and overlap else 0.0)
        if score > best_score:
            best, best_score = sentence, score
    if not best:
        found = sentences(clause.text)
        best = found[0] if found else clause.text
    return clip(best, HIGHLIGHT_CHARS)
