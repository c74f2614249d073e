"""Typed models along the data flow: document → clause → passage → citation → answer."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from bot.locales import plain
from bot.reference.links import article_link
from bot.reference.text import clip

FIXED_TEXT_KINDS = ("convention", "declaration", "judgment")
"""Kinds of text that do not change once adopted (a treaty changes by a new protocol), so
their age is no reason to look for a newer version."""


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
    translation_of: str = ""
    checked: dt.date | None = None

    @property
    def original_id(self) -> str:
        """Id of the original a language version translates, else the document's own id."""
        return self.translation_of or self.id

    @property
    def display_title(self) -> str:
        """The short title when there is one, else the title."""
        return self.short_title or self.title


class Verification(StrEnum):
    """How far a clause was checked against an official source."""

    OFFICIAL = "official"  # the clause is official text itself
    CHECKED = "checked"  # a fact-sheet rule checked against an official text or page
    PARTLY = "partly"  # checked, but a detail is marked unverified
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class ClauseRefs:
    """The reference lines of a fact-sheet clause (never quoted to users).

    Attributes:
        sources: Official pages the clause rests on (``Source:`` lines), first is its link.
        basis: Ids of the official-text clauses the rule rests on (``Basis:``).
        questions: Questions the clause answers, in its language (``Questions:``).
        verification: The ``Verification:`` line as written.
    """

    sources: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    verification: str = ""

    @property
    def status(self) -> Verification:
        """What the verification line says: checked, partly checked, or unverified.

        ``checked against the official text (…)`` is checked; a checked line that names an
        unverified detail ("— judicial-police competence unverified") is partly checked; a
        line starting with "unverified" (or none at all) is unverified.
        """
        lowered = self.verification.strip().lower()
        if not lowered.startswith("checked"):
            return Verification.UNVERIFIED
        if "unverified" in lowered or "not verified" in lowered:
            return Verification.PARTLY
        return Verification.CHECKED


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
    refs: ClauseRefs = field(default_factory=ClauseRefs)

    @property
    def id(self) -> str:
        """Stable clause id ``<document id>#<clause key>``."""
        return f"{self.document.id}#{self.key}"

    @property
    def group_id(self) -> str:
        """Id shared by the language versions of a clause: the original's clause id."""
        return f"{self.document.original_id}#{self.key}"

    @property
    def content_hash(self) -> str:
        """Hash of everything that would change what the clause's records hold."""
        meta = self.document
        parts = [
            self.id, self.label, self.heading, self.text, meta.title, meta.short_title,
            meta.jurisdiction, meta.language, meta.kind, meta.version_date.isoformat(),
            meta.source_url, str(self.position), meta.translation_of,
            meta.checked.isoformat() if meta.checked else "", repr(self.refs),
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
class BasisRef:
    """An official-text clause that a fact-sheet rule rests on, offered beside the summary."""

    id: str
    label: str
    short_title: str
    jurisdiction: str
    language: str
    version_date: str
    source_url: str
    text: str

    @property
    def name(self) -> str:
        """``Art. 93 — Loi du 29 août 2008 (immigration)``: what the button says."""
        return f"{self.label} — {self.short_title}" if self.short_title else self.label

    def to_json(self) -> dict:
        """The ``basis`` entries of ``ask --json``."""
        return {"id": self.id, "label": self.name, "text": self.text,
                "source_url": self.source_url, "version_date": self.version_date}

    @classmethod
    def from_clause(cls, clause: Clause) -> BasisRef:
        """The reference to an official clause."""
        meta = clause.document
        return cls(
            id=clause.id, label=clause.label, short_title=meta.display_title,
            jurisdiction=meta.jurisdiction, language=meta.language,
            version_date=meta.version_date.isoformat(),
            source_url=article_link(meta.source_url, clause.key, clause.heading),
            text=clause.text,
        )


@dataclass(frozen=True)
class Citation:
    """A retrieved clause as the answer cites it.

    Attributes:
        id: Clause id of the version shown (``group_id`` is the original's).
        version_date: Version date of the document (for a fact sheet, its check date).
        source_url: The clause's own link: its ``Source:`` line, the article on the official
            site, or the document.
        verification: ``official`` for official text, else how far the rule was checked.
        checked: For a fact sheet, the date it was checked.
        text_date: For a fact sheet, the version date of the oldest official text it rests on
            that can change (a convention, a declaration or a judgment does not).
        basis: The official-text clauses the rule rests on.
        stale: The date of the rule's text when it is older than the review period: users
            are told to check the current version.
        note: The verification line of the clause shown, as written.
    """

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
    group_id: str = ""
    kind: str = ""
    verification: str = ""
    checked: str = ""
    text_date: str = ""
    basis: tuple[BasisRef, ...] = ()
    stale: str = ""
    note: str = ""

    @property
    def display_label(self) -> str:
        """The label with the paragraph of the best-matching passage, e.g. ``Art. 93(2)``."""
        return f"{self.label}({self.paragraph})" if self.paragraph else self.label

    def dates(self, language: str) -> str:
        """``checked 2026-11-30, text of 2026-06-12`` for a fact sheet; else the version date."""
        if self.kind != "factsheet":
            return self.version_date
        parts = [plain("checked_on", language, date=self.checked or self.version_date)]
        if self.text_date:
            parts.append(plain("text_of", language, date=self.text_date))
        return ", ".join(parts)

    def mark(self, language: str) -> str:
        """The verification mark: official text, checked, partly or not verified."""
        return plain(f"mark_{self.verification or 'unverified'}", language)

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
            "group_id": self.group_id or self.id,
            "verification": self.verification,
            "checked": self.checked or None,
            "text_date": self.text_date or None,
            "basis": [b.to_json() for b in self.basis],
            "stale_text_date": self.stale or None,
        }

    @classmethod
    def from_clause(
        cls,
        clause: Clause,
        score: float,
        highlight: str = "",
        paragraph: str = "",
        *,
        original: Clause | None = None,
        basis: tuple[Clause, ...] = (),
    ) -> Citation:
        """Build the citation of a retrieved clause.

        Args:
            clause: The clause shown (a language version of a fact sheet, or official text).
            score: Its retrieval score.
            highlight: The sentence that matters most.
            paragraph: Where it matched best (official texts).
            original: The original of a language version, whose verification counts.
            basis: The official clauses the rule rests on, as found in the index.
        """
        meta = clause.document
        factsheet = meta.kind == "factsheet"
        if factsheet:
            link = clause.refs.sources[0] if clause.refs.sources else meta.source_url
            status = (original or clause).refs.status
        else:
            link = article_link(meta.source_url, clause.key, clause.heading)
            status = Verification.OFFICIAL
        refs = tuple(BasisRef.from_clause(b) for b in basis)
        return cls(
            id=clause.id,
            document_id=meta.id,
            title=meta.title,
            short_title=meta.display_title,
            label=clause.label,
            jurisdiction=meta.jurisdiction,
            language=meta.language,
            version_date=meta.version_date.isoformat(),
            source_url=link,
            text=clause.text,
            score=score,
            heading=clause.heading,
            highlight=highlight,
            paragraph=paragraph,
            group_id=clause.group_id,
            kind=meta.kind,
            verification=status.value,
            checked=(meta.checked or meta.version_date).isoformat() if factsheet else "",
            text_date=min((b.document.version_date.isoformat() for b in basis
                           if b.document.kind not in FIXED_TEXT_KINDS), default="")
            if factsheet else "",
            basis=refs,
            note=clause.refs.verification,
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
        status: ``answer``, ``not_covered`` (on topic but no rule: the citations are the
            contacts to ask) or ``off_topic``.
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
    status: str = "answer"

    @property
    def text(self) -> str:
        """Plain-text rendering: lead, written answer, then the quoted clauses."""
        lines = [self.lead]
        notices = list(self.notices)
        if not self.grounded and notices:
            lines += ["", *notices]  # what is covered nearby, before whom to ask
            notices = []
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
                f"({citation.jurisdiction}, {citation.dates(self.language)})"
            )
            lines.append(f"  {citation.mark(self.language)}")
            quoted = citation.highlight or clip(" ".join(citation.text.split()), 300)
            lines.append(f"  « {quoted} »")
            lines.append(f"  {citation.source_url}")
            for basis in citation.basis:
                name = plain("official_text", self.language, name=basis.name)
                lines.append(f"  {name}: {basis.source_url}")
            if citation.stale:
                lines.append(f"  {plain('stale', self.language, date=citation.stale[:4])}")
        lines.extend(["", *notices] if notices else [])
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
            "status": self.status,
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "mode": self.mode,
        }
        if self.mode == "llm":
            data["sentences"] = [
                {"text": s.text, "citation_ids": list(s.citation_ids)} for s in self.sentences
            ]
        return data

