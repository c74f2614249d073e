"""The one place that converts passages to and from Chroma records (flat scalar metadata)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from bot.models import Clause, ClauseRefs, DocumentMeta, Passage
from bot.reference.jurisdictions import name as jurisdiction_name

EMBEDDING_TEXT_VERSION = 4
"""Bump when `embedding_text` changes, so that the next ingest embeds every passage again."""


@dataclass(frozen=True)
class Record:
    """A Chroma record: id, text, flat metadata."""

    id: str
    text: str
    metadata: dict[str, str | int | float | bool]

    @property
    def hash(self) -> str:
        """Content hash stored with the record; unchanged hash means skip on ingest."""
        return str(self.metadata["hash"])

    @property
    def clause_id(self) -> str:
        """Id of the clause the record is a passage of."""
        return str(self.metadata["clause_id"])


def passage_to_record(passage: Passage) -> Record:
    """Flatten a passage, its clause and its document into a Chroma record."""
    clause = passage.clause
    meta = clause.document
    digest = hashlib.sha256(
        f"{EMBEDDING_TEXT_VERSION}\x1f{clause.content_hash}\x1f{passage.index}\x1f{passage.text}"
        .encode()
    ).hexdigest()[:32]
    metadata: dict[str, str | int | float | bool] = {
        "clause_id": clause.id,
        "key": clause.key,
        "label": clause.label,
        "heading": clause.heading,
        "position": clause.position,
        "passage": passage.index,
        "paragraph": passage.paragraph,
        "document_id": meta.id,
        "title": meta.title,
        "short_title": meta.short_title,
        "jurisdiction": meta.jurisdiction,
        "language": meta.language,
        "kind": meta.kind,
        "version_date": meta.version_date.isoformat(),
        "source_url": meta.source_url,
        "path": meta.path,
        "provenance": json.dumps(dict(meta.provenance), ensure_ascii=False),
        "translation_of": meta.translation_of,
        "checked": meta.checked.isoformat() if meta.checked else "",
        "sources": json.dumps(clause.refs.sources, ensure_ascii=False),
        "basis": json.dumps(clause.refs.basis, ensure_ascii=False),
        "questions": json.dumps(clause.refs.questions, ensure_ascii=False),
        "verification": clause.refs.verification,
        "hash": digest,
    }
    return Record(id=passage.id, text=passage.text, metadata=metadata)


TOPIC = -1
"""Passage index of a clause's topic record (its cleaned heading, embedded on its own)."""

_PARENTHESES = re.compile(r"\([^()]*\)")


def topic_text(clause: Clause) -> str:
    """What a clause is about, in a few words: its heading without legal references.

    Sentence encoders match a question like "Wie lange dauert die Bedenkzeit in Belgien?"
    far better against "Reflection period of 45 days — Belgium" than against a heading
    cluttered with article numbers and act names, or a long passage.
    """
    heading = clause.heading if clause.document.kind != "factsheet" else ""
    words = " — ".join(part for part in (clause.label, heading) if part)
    words = _PARENTHESES.sub(" ", words)
    words = re.sub(r"\s+", " ", words).strip(" —-")
    place = jurisdiction_name(clause.document.jurisdiction, "en")
    return f"{words} — {place}" if words else place


def topic_record(clause: Clause) -> Record:
    """The topic record of a clause (metadata of its first passage, text from `topic_text`)."""
    first = passage_to_record(Passage(clause=clause, index=0, text=topic_text(clause)))
    metadata = dict(first.metadata, passage=TOPIC, paragraph="")
    return Record(id=f"{clause.id}~topic", text=first.text, metadata=metadata)


QUESTION = -2
"""Passage index of the records that hold one question a clause answers (its ``Questions:``)."""


def question_records(clause: Clause) -> list[Record]:
    """One record per question of a clause's ``Questions:`` line, embedded on its own.

    A worker's question is closest to another question: "Can she stay if she does not go to
    the police?" meets "May a victim stay without filing a complaint?" far better than the
    rule's own wording does.
    """
    records = []
    for number, question in enumerate(clause.refs.questions):
        first = passage_to_record(Passage(clause=clause, index=0, text=question))
        metadata = dict(first.metadata, passage=QUESTION, paragraph="")
        records.append(Record(id=f"{clause.id}~q{number}", text=question, metadata=metadata))
    return records


def clause_of_record(record_id: str) -> tuple[str, int]:
    """The clause id a record belongs to, and its kind (passage ≥ 0, ``TOPIC``, ``QUESTION``).

    Read from the id alone (``<clause>``, ``<clause>~<n>``, ``~topic``, ``~q<n>``), so that a
    dense search need not fetch metadata: with it, a query cost five times as much.
    """
    clause_id, _, suffix = record_id.partition("~")
    if not suffix:
        return clause_id, 0
    if suffix == "topic":
        return clause_id, TOPIC
    if suffix[0] == "q":
        return clause_id, QUESTION
    return clause_id, int(suffix)


def is_passage(metadata: dict) -> bool:
    """Whether a record is a passage of the clause text (not a topic or question record)."""
    return int(metadata.get("passage", 0)) >= 0


def record_to_passage(
    record_id: str, text: str, metadata: dict, documents: dict[str, DocumentMeta] | None = None
) -> Passage:
    """Rebuild a passage (with a clause holding only this passage's text) from a record.

    Args:
        record_id: The record's id.
        text: The record's text.
        metadata: The record's metadata.
        documents: Documents rebuilt so far, by id: the passages of one document share one
            (opening an index of 100,000 clauses rebuilt the same document 2,000 times).
    """
    known = documents.get(metadata["document_id"]) if documents is not None else None
    meta = known or _document_meta(metadata)
    if documents is not None and known is None:
        documents[meta.id] = meta
    refs = ClauseRefs(
        sources=tuple(json.loads(metadata.get("sources") or "[]")),
        basis=tuple(json.loads(metadata.get("basis") or "[]")),
        questions=tuple(json.loads(metadata.get("questions") or "[]")),
        verification=metadata.get("verification", ""),
    )
    clause = Clause(
        document=meta,
        key=metadata["key"],
        label=metadata["label"],
        text=text,
        heading=metadata.get("heading", ""),
        position=int(metadata.get("position", 0)),
        refs=refs,
    )
    return Passage(
        clause=clause,
        index=int(metadata.get("passage", 0)),
        text=text,
        paragraph=metadata.get("paragraph", ""),
    )


def assemble_clauses(passages: list[Passage]) -> dict[str, Clause]:
    """Join the passages of each clause back into whole clauses, keyed by clause id."""
    by_clause: dict[str, list[Passage]] = {}
    for passage in passages:
        by_clause.setdefault(passage.clause.id, []).append(passage)
    clauses = {}
    for clause_id, parts in by_clause.items():
        parts.sort(key=lambda p: p.index)
        first = parts[0].clause
        clauses[clause_id] = Clause(
            document=first.document,
            key=first.key,
            label=first.label,
            text="\n\n".join(p.text for p in parts),
            heading=first.heading,
            position=first.position,
            refs=first.refs,
        )
    return clauses


_SOURCE_LINES = re.compile(r"^(?:Sources?|Verification)\s*:.*$", re.MULTILINE)
_URLS = re.compile(r"https?://\S+")


def embedding_text(record: Record) -> str:
    """What the embedding model sees: where the passage stands and what it says.

    The heading and label carry the subject of many articles ("Recovery and reflection
    period") that their text never names. Source and verification lines, links and
    parenthesised asides (legal references, terms in other languages) are left out: they
    are for the reader, and they pull a sentence encoder away from the rule itself
    (measured in docs/benchmarks.md).
    """
    meta = record.metadata
    if int(meta.get("passage", 0)) == QUESTION:
        # A question is compared with a question: the clause's heading would blur it.
        return " ".join(record.text.split())
    head = " — ".join(str(p) for p in (meta["label"], meta["heading"]) if p)
    text = f"{head}\n{record.text}" if head else record.text
    text = _PARENTHESES.sub(" ", _URLS.sub(" ", _SOURCE_LINES.sub(" ", text)))
    return re.sub(r"[ \t]+", " ", text).strip()


def _document_meta(metadata: dict) -> DocumentMeta:
    return DocumentMeta(
        id=metadata["document_id"],
        title=metadata["title"],
        short_title=metadata.get("short_title", ""),
        jurisdiction=metadata["jurisdiction"],
        language=metadata["language"],
        kind=metadata["kind"],
        version_date=dt.date.fromisoformat(metadata["version_date"]),
        source_url=metadata["source_url"],
        path=metadata.get("path", ""),
        provenance=tuple(sorted(json.loads(metadata.get("provenance") or "{}").items())),
        translation_of=metadata.get("translation_of", ""),
        checked=dt.date.fromisoformat(metadata["checked"]) if metadata.get("checked") else None,
    )
