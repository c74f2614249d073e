"""Typed models along the data flow: document → clause → passage → citation → answer."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from bot.reference.text import clip


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one knowledge document (front matter or sidecar)."""

    id: str
    title: str
    jurisdiction: str
    language: str
    kind: str
    version_date: dt.date
    source_url: str
    short_title: str = ""
    path: str = ""
    provenance: tuple[tuple[str, str], ...] = ()

    @property
    def display_title(self) -> str:
        """The short title when there is one, else the title."""
        return self.short_title or self.title


@dataclass(frozen=True)
class Document:
    """A knowledge document: its metadata and its plain text body."""

    meta: DocumentMeta
    text: str


@dataclass(frozen=True)
class Clause:
    """A unit a lawyer cites: an article, a numbered section, a heading, a recital, a paragraph.

    Attributes:
        document: Metadata of the document the clause belongs to.
        key: Stable key within the document, e.g. ``art-93`` or ``par-3``.
        label: Human label, e.g. ``Art. 93``.
        text: The whole clause text.
        heading: Chapter, section or article title where there is one.
        position: Order of the clause in its document.
    """

    document: DocumentMeta
    key: str
    label: str
    text: str
    heading: str = ""
    position: int = 0

    @property
    def id(self) -> str:
        """Stable clause id ``<document id>#<clause key>``."""
        return f"{self.document.id}#{self.key}"

    @property
    def content_hash(self) -> str:
        """Hash of everything that would change what the clause's records hold."""
        meta = self.document
        parts = [
            self.id, self.label, self.heading, self.text, meta.title, meta.short_title,
            meta.jurisdiction, meta.language, meta.kind, meta.version_date.isoformat(),
            meta.source_url, str(self.position),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Passage:
    """A piece of a clause small enough to embed; a short clause is one passage.

    Attributes:
        clause: The clause the passage belongs to.
        index: Order of the passage within the clause, from 0.
        text: The passage text (passages of a clause joined by blank lines give its text).
        paragraph: Paragraph number where the passage starts with one, e.g. ``2``.
    """

    clause: Clause
    index: int
    text: str
    paragraph: str = ""

    @property
    def id(self) -> str:
        """Record id: the clause id, plus ``~n`` for passages after the first."""
        return self.clause.id if self.index == 0 else f"{self.clause.id}~{self.index}"


@dataclass(frozen=True)
class Citation:
    """A retrieved clause as the answer cites it."""

    id: str
    document_id: str
    title: str
    short_title: str
    label: str
    jurisdiction: str
    language: str
    version_date: str
    source_url: str
    text: str
    score: float
    heading: str = ""
    highlight: str = ""
    paragraph: str = ""

    @property
    def display_label(self) -> str:
        """The label with the paragraph of the best-matching passage, e.g. ``Art. 93(2)``."""
        return f"{self.label}({self.paragraph})" if self.paragraph else self.label

    def to_json(self) -> dict:
        """The stable JSON shape of ``python -m bot ask --json``."""
        return {
            "id": self.id,
            "document_id": self.document_id,
            "title": self.title,
            "short_title": self.short_title,
            "label": self.label,
            "jurisdiction": self.jurisdiction,
            "language": self.language,
            "version_date": self.version_date,
            "source_url": self.source_url,
            "text": self.text,
            "score": round(self.score, 4),
        }

    @classmethod
    def from_clause(
        cls, clause: Clause, score: float, highlight: str = "", paragraph: str = ""
    ) -> Citation:
        """Build the citation of a retrieved clause (``paragraph``: where it matched best)."""
        meta = clause.document
        return cls(
            id=clause.id,
            document_id=meta.id,
            title=meta.title,
            short_title=meta.display_title,
            label=clause.label,
            jurisdiction=meta.jurisdiction,
            language=meta.language,
            version_date=meta.version_date.isoformat(),
            source_url=meta.source_url,
            text=clause.text,
            score=score,
            heading=clause.heading,
            highlight=highlight,
            paragraph=paragraph,
        )


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of a written (LLM) answer and the clause ids that support it."""

    text: str
    citation_ids: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """What the answering service returns for one question.

    Attributes:
        question: The question as asked.
        language: Language of the answer (nl, fr, de or en).
        grounded: True when the answer cites at least one clause.
        lead: Short lead line in the asker's language.
        citations: Cited clauses in rank order (empty when not grounded).
        country: Country the question was restricted to, if any (BE, NL, LU).
        notices: Extra remarks for the user (e.g. outdated sources, personal data).
        mode: ``extractive`` or ``llm``.
        sentences: The verified sentences of a written answer (mode ``llm``).
    """

    question: str
    language: str
    grounded: bool
    lead: str
    citations: tuple[Citation, ...] = ()
    country: str | None = None
    notices: tuple[str, ...] = ()
    mode: str = "extractive"
    sentences: tuple[AnswerSentence, ...] = field(default=())

    @property
    def text(self) -> str:
        """Plain-text rendering: lead, written answer, then the quoted clauses."""
        lines = [self.lead]
        if self.sentences:
            lines.append("")
            for sentence in self.sentences:
                marks = "".join(
                    f"[{self.citation_number(cid)}]" for cid in sentence.citation_ids
                )
                lines.append(f"{sentence.text} {marks}".rstrip())
        for number, citation in enumerate(self.citations, start=1):
            lines.append("")
            lines.append(
                f"[{number}] {citation.short_title}, {citation.display_label} "
                f"({citation.jurisdiction}, {citation.version_date})"
            )
            quoted = citation.highlight or clip(" ".join(citation.text.split()), 300)
            lines.append(f"  « {quoted} »")
            lines.append(f"  {citation.source_url}")
        lines.extend(["", *self.notices] if self.notices else [])
        return "\n".join(lines)

    def citation_number(self, citation_id: str) -> int:
        """1-based number of a cited clause, as shown next to the quotes."""
        for number, citation in enumerate(self.citations, start=1):
            if citation.id == citation_id:
                return number
        raise KeyError(citation_id)

    def to_json(self) -> dict:
        """The stable JSON shape of ``python -m bot ask --json``."""
        data = {
            "question": self.question,
            "language": self.language,
            "grounded": self.grounded,
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "mode": self.mode,
        }
        if self.mode == "llm":
            data["sentences"] = [
                {"text": s.text, "citation_ids": list(s.citation_ids)} for s in self.sentences
            ]
        return data

