"""Incremental ingest: knowledge documents → clauses → passages → a new index generation."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.errors import KnowledgeError
from bot.index.embeddings import make_embeddings
from bot.index.records import (
    Record,
    embedding_text,
    is_passage,
    passage_to_record,
    question_records,
    topic_record,
)
from bot.index.store import IndexStore
from bot.knowledge.clauses import split_clauses, split_passages
from bot.knowledge.documents import due_for_review, load_knowledge
from bot.knowledge.folders import extra_folders, manifest_sources, missing_sources
from bot.knowledge.versions import check_versions, unknown_basis
from bot.models import Clause, Document
from bot.retrieval.glossary import GLOSSARY_FILE, Glossary, glossary_path
from bot.settings import Settings

log = logging.getLogger(__name__)

NOTES_KEY = "notes"
PASSAGE_CHARS = 500
"""Passages are embedded one by one; the sentence encoder matches short texts best."""


@dataclass
class IngestReport:
    """What an ingest found and did (clause-level counts)."""

    documents: int = 0
    clauses: int = 0
    passages: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    rebuilt: bool = False
    generation: str | None = None
    due_for_review: list[str] = field(default_factory=list)
    missing_sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the index differs (or would differ) from what was there."""
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def summary(self) -> str:
        """One closing line for the maintainer."""
        verb = "would change" if self.dry_run else "changed" if self.changed else "unchanged"
        return (
            f"{self.documents} documents, {self.clauses} clauses ({self.passages} passages): "
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged; index {verb}; {self.seconds:.2f} s"
        )


def build_records(documents: Sequence[Document]) -> tuple[list[Clause], list[Record]]:
    """Split documents into clauses and their passage records.

    Raises:
        KnowledgeError: a document yields no clause (empty document).
    """
    clauses: list[Clause] = []
    for document in documents:
        found = split_clauses(document)
        if not found:
            raise KnowledgeError(document.meta.path or document.meta.id, "document has no text")
        # Footnote blocks hold amendment history, not rules; indexed, the LU law's 128 KB
        # of notes would outrank real articles.
        clauses.extend(c for c in found if c.key != NOTES_KEY)
    records = [
        passage_to_record(p) for clause in clauses for p in split_passages(clause, PASSAGE_CHARS)
    ]
    records += [topic_record(c) for c in clauses if c.document.kind == "factsheet"]
    records += [record for c in clauses for record in question_records(c)]
    return clauses, records


def ingest(
    settings: Settings,
    *,
    rebuild: bool = False,
    dry_run: bool = False,
    progress: bool = False,
    extra_dirs: Sequence[Path] | None = None,
    embeddings: Embeddings | None = None,
    today: dt.date | None = None,
) -> IngestReport:
    """Bring the index in line with the knowledge folder, touching only what changed.

    Args:
        settings: Where the knowledge and the index are.
        rebuild: Re-embed everything into a fresh generation.
        dry_run: Report what would change, write nothing.
        progress: Show a progress bar while embedding.
        extra_dirs: More document folders; by default the ``--fetch`` cache and the mirror
            of official texts (``bot.knowledge.folders.extra_folders``).
        embeddings: The embedding backend (built from settings when None).
        today: Date used for the review flag (tests).

    Returns:
        The report; the index is switched atomically when anything changed.

    Raises:
        KnowledgeError: invalid input; nothing is changed.
        IndexUnavailable: Chroma cannot be reached.
    """
    started = time.perf_counter()
    folders = extra_folders(settings) if extra_dirs is None else list(extra_dirs)
    documents = load_knowledge(settings.knowledge_dir, folders)
    Glossary.load(settings.knowledge_dir)  # a broken glossary fails here, not when users ask
    if not documents:
        raise KnowledgeError(settings.knowledge_dir, "no knowledge documents found")
    clauses, records = build_records(documents)
    by_document: dict[str, list[Clause]] = {}
    for clause in clauses:
        by_document.setdefault(clause.document.id, []).append(clause)
    check_versions(documents, by_document)
    sources = manifest_sources(settings)
    warnings = unknown_basis(clauses, {s.id for s in sources})
    glossary = glossary_path(settings.knowledge_dir)
    if glossary is not None and glossary != Path(settings.knowledge_dir) / GLOSSARY_FILE:
        warnings.append(
            f"{settings.knowledge_dir} has no {GLOSSARY_FILE}: using the project's glossary "
            f"({glossary})"
        )
    today = today or dt.date.today()
    report = IngestReport(
        documents=len(documents),
        clauses=len(clauses),
        passages=sum(1 for r in records if is_passage(r.metadata)),
        dry_run=dry_run,
        due_for_review=[
            f"{d.meta.path or d.meta.id} (version_date {d.meta.version_date.isoformat()})"
            for d in documents
            if due_for_review(d.meta, today, settings.review_after_days)
        ],
        missing_sources=missing_sources(sources, documents),
        warnings=warnings,
    )

    store = IndexStore(settings)
    embeddings = embeddings or make_embeddings(settings)
    active = store.active()
    if active and active.get("embedding_model") != embeddings.model_id:
        log.warning(
            "index was built with %s, now %s: rebuilding",
            active.get("embedding_model"),
            embeddings.model_id,
        )
        rebuild = True
    old_hashes = store.hashes(active["generation"]) if active and not rebuild else {}
    report.rebuilt = rebuild and active is not None

    new_by_clause = _group(records)
    old_by_clause: dict[str, set[tuple[str, str]]] = {}
    for rid, digest in old_hashes.items():
        old_by_clause.setdefault(rid.split("~", 1)[0], set()).add((rid, digest))
    for clause_id, pairs in new_by_clause.items():
        if clause_id not in old_by_clause:
            report.added += 1
        elif old_by_clause[clause_id] != pairs:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = len(set(old_by_clause) - set(new_by_clause))

    if dry_run or (active and not report.changed):
        report.generation = active["generation"] if active else None
        report.seconds = time.perf_counter() - started
        return report

    keep = [r for r in records if old_hashes.get(r.id) == r.hash]
    fresh = [r for r in records if old_hashes.get(r.id) != r.hash]
    generation = store.new_generation_name()
    try:
        store.collection(generation, create=True)
        if keep:
            copied = list(store.iter_records(active["generation"], embeddings=True,
                                             ids=[r.id for r in keep]))
            store.write(generation, [r for r, _ in copied], [v for _, v in copied])
        vectors = _embed(embeddings, [embedding_text(r) for r in fresh], progress)
        store.write(generation, fresh, vectors)
        store.activate(
            generation,
            embeddings.model_id,
            {"documents": report.documents, "clauses": report.clauses, "passages": len(records)},
        )
    except BaseException:
        store.drop(generation)  # the pointer still names the previous, complete generation
        raise
    for other in store.generations():
        if other != generation:
            store.drop(other)
    report.embedded = len(fresh)
    report.generation = generation
    report.seconds = time.perf_counter() - started
    return report


def _group(records: list[Record]) -> dict[str, set[tuple[str, str]]]:
    grouped: dict[str, set[tuple[str, str]]] = {}
    for record in records:
        grouped.setdefault(record.clause_id, set()).add((record.id, record.hash))
    return grouped


def _embed(embeddings: Embeddings, texts: list[str], progress: bool) -> list[list[float]]:
    vectors: list[list[float]] = []
    step = 64
    with tqdm(total=len(texts), unit="passage", disable=not progress, desc="embedding") as bar:
        for start in range(0, len(texts), step):
            batch = texts[start : start + step]
            vectors.extend(embeddings.embed_documents(batch))
            bar.update(len(batch))
    return vectors
