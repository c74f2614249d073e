"""Incremental ingest: knowledge documents → clauses → passages → a new index generation.

One ingest writes an index at a time (``writer_lock``); records are embedded and written
batch by batch (never every vector in memory), vectors are cached on disk by model and
text, and the files that make opening the index a load are written beside the generation
(``artifacts``). An ingest whose sources and code are those of the active generation stops
after hashing the files.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.errors import IndexUnavailable, KnowledgeError
from bot.index.artifacts import GenerationFiles, lexical_key, passage_order, remove_files
from bot.index.embeddings import CachedEmbeddings, make_embeddings
from bot.index.fingerprint import sources_fingerprint
from bot.index.records import (
    Record,
    embedding_text,
    is_passage,
    passage_to_record,
    question_records,
    record_to_passage,
    topic_record,
)
from bot.index.retention import orphan_segments, remove_orphan_segments, retire_generations
from bot.index.store import (
    LAYOUT,
    IndexStore,
    is_connection_problem,
    jurisdiction_collection,
)
from bot.index.vector_cache import VectorCache, cache_path
from bot.index.writer_lock import writer_lock
from bot.knowledge.clauses import split_clauses, split_passages
from bot.knowledge.documents import load_knowledge
from bot.knowledge.folders import extra_folders, manifest_sources, missing_sources
from bot.knowledge.versions import check_versions, unknown_basis
from bot.models import Clause, Document
from bot.retrieval.glossary import GLOSSARY_FILE, Glossary, glossary_path
from bot.retrieval.lexical import LexicalIndex
from bot.settings import Settings

log = logging.getLogger(__name__)

NOTES_KEY = "notes"
PASSAGE_CHARS = 500
"""Passages are embedded one by one; the sentence encoder matches short texts best."""
COPY_BATCH = 1000
"""Unchanged records whose vectors are copied from the previous generation at a time."""
EMBED_BATCH = 256
"""Changed records embedded and written at a time (the vectors held in memory at once)."""


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
    lexical_rebuilt: bool = False

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
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Bring the index in line with the knowledge folder, touching only what changed.

    Args:
        settings: Where the knowledge and the index are.
        rebuild: Re-embed everything into a fresh generation (vectors still come from the
            on-disk cache when the model and text are the same).
        dry_run: Report what would change, write nothing.
        progress: Show a progress bar (rate, time left) while writing.
        extra_dirs: More document folders; by default the ``--fetch`` cache and the mirror
            of official texts (``bot.knowledge.folders.extra_folders``).
        embeddings: The embedding backend (from settings, with the on-disk cache, when None).
        today: Date used for the review flag (tests).
        on_wait: Told once when another ingest holds the writer lock and this one waits.

    Returns:
        The report; the index is switched atomically when anything changed.

    Raises:
        KnowledgeError: invalid input; nothing is changed.
        IndexUnavailable: Chroma cannot be reached; the message says whether the new index
            went live.
    """
    folders = extra_folders(settings) if extra_dirs is None else list(extra_dirs)
    run = _Run(settings, rebuild, dry_run, progress, folders, today or dt.date.today())
    own_cache = None
    if embeddings is None:
        own_cache = VectorCache(cache_path(settings))
        embeddings = CachedEmbeddings(make_embeddings(settings), own_cache)
    try:
        return run.execute(embeddings, on_wait)
    except (IndexUnavailable, KnowledgeError):
        raise
    except Exception as exc:
        if is_connection_problem(exc):
            raise IndexUnavailable(run.unreachable_message(exc)) from exc
        raise
    finally:
        if own_cache is not None:
            own_cache.close()


class _Run:
    """One ingest: its inputs, and how far it got (for a truthful error message)."""

    def __init__(self, settings: Settings, rebuild: bool, dry_run: bool, progress: bool,
                 extra_dirs: list[Path], today: dt.date) -> None:
        self.settings = settings
        self.rebuild = rebuild
        self.dry_run = dry_run
        self.progress = progress
        self.extra_dirs = extra_dirs
        self.today = today
        self.started = time.perf_counter()
        self.phase = "preparing"  # → "switching" → "live"
        self.generation: str | None = None

    def unreachable_message(self, exc: BaseException) -> str:
        """What an unreachable Chroma means for the index, given how far the ingest got."""
        where = (f"server {self.settings.chroma_host}:{self.settings.chroma_port}"
                 if self.settings.chroma_host else f"path {self.settings.chroma_path}")
        reason = f"Chroma ({where}) became unreachable during the ingest: {exc}."
        if self.phase == "live":
            return (f"{reason} The new index {self.generation} is live; tidying up after it "
                    "did not finish (the next `python ingest.py` does it).")
        if self.phase == "switching":
            return (f"{reason} It is not known whether the new index {self.generation} went "
                    "live; run `python ingest.py` again when Chroma is back: it finishes "
                    "or repairs the index.")
        return (f"{reason} The index was not changed: the previous one is still live. Run "
                "`python ingest.py` again when Chroma is back.")

    # -- the run ---------------------------------------------------------------------------
    def execute(self, embeddings: Embeddings, on_wait) -> IngestReport:
        settings = self.settings
        glossary = Glossary.load(settings.knowledge_dir)  # a broken glossary fails here
        sources = sources_fingerprint(settings.knowledge_dir, self.extra_dirs)
        store = IndexStore(settings)
        if not self.rebuild:
            report = self._unchanged(store, sources, embeddings.model_id, glossary, on_wait)
            if report is not None:
                return report

        documents = load_knowledge(settings.knowledge_dir, self.extra_dirs)
        if not documents:
            raise KnowledgeError(settings.knowledge_dir, "no knowledge documents found")
        clauses, records = build_records(documents)
        by_document: dict[str, list[Clause]] = {}
        for clause in clauses:
            by_document.setdefault(clause.document.id, []).append(clause)
        check_versions(documents, by_document)
        manifest = manifest_sources(settings)
        report = IngestReport(
            documents=len(documents),
            clauses=len(clauses),
            passages=sum(1 for r in records if is_passage(r.metadata)),
            dry_run=self.dry_run,
            due_for_review=self._review(
                (d.meta.path or d.meta.id, d.meta.version_date.isoformat()) for d in documents
            ),
            missing_sources=missing_sources(manifest, documents),
            warnings=unknown_basis(clauses, {s.id for s in manifest}) + self._glossary_note(),
        )
        if self.dry_run:
            active = self._live(store)
            old = self._old_hashes(store, active) if active and not self.rebuild else {}
            _compare(report, records, old)
            report.generation = active["generation"] if active else None
            return self._done(report)

        with writer_lock(store, on_wait) as lock:
            active = store.active()
            live = self._live(store, active)
            if active and live is None:
                report.warnings.append(
                    f"the index pointer named {active['generation']}, which no longer exists: "
                    "a new index was built"
                )
            rebuild = self.rebuild
            if live and live.get("embedding_model") != embeddings.model_id:
                log.warning("index was built with %s, now %s: rebuilding",
                            live.get("embedding_model"), embeddings.model_id)
                rebuild = True
            old_hashes = self._old_hashes(store, live) if live and not rebuild else {}
            _compare(report, records, old_hashes)
            report.rebuilt = rebuild and live is not None
            documents_list = [
                (d.meta.path or d.meta.id, d.meta.version_date.isoformat()) for d in documents
            ]
            # The records hold everything from here on; the documents' text is let go
            # before the heavy part (100× the corpus is 72 MB of text, twice over).
            del documents, clauses
            if live and not report.changed and live.get("layout") == LAYOUT:
                # The same records from changed bytes (or code): remember the new sources so
                # that the next run stops early, and make sure the files are there.
                generation = live["generation"]
                collections = _collection_ids(store, generation)
                files = GenerationFiles(settings, generation)
                if files.manifest(collections) is None or self._stale_lexical(files):
                    counts = {name: store.collection(name).count() for name in collections}
                    self._write_files(files, collections, counts, records, documents_list,
                                      sources, glossary)
                if sources:
                    store.update_pointer(sources=sources)
                report.generation = generation
                self._tidy(store, generation, report)
                return self._done(report)

            generation = store.new_generation_name()
            self.generation = generation
            try:
                collections, counts, embedded = self._fill(
                    store, generation, records, live, old_hashes, embeddings
                )
                self._write_files(GenerationFiles(settings, generation), collections, counts,
                                  records, documents_list, sources, glossary)
                lock.confirm()
                self.phase = "switching"
                store.activate(
                    generation,
                    embeddings.model_id,
                    {"documents": report.documents, "clauses": report.clauses,
                     "passages": report.passages, "records": len(records)},
                    layout=LAYOUT,
                    jurisdictions=",".join(sorted({j for j in _jurisdictions(records)})),
                    sources=sources or "",
                )
                self.phase = "live"
            except BaseException:
                self._abandon(store, generation)
                raise
            report.embedded = embedded
            report.generation = generation
            self._tidy(store, generation, report)
        return self._done(report)

    # -- steps -----------------------------------------------------------------------------
    def _unchanged(self, store: IndexStore, sources: str | None, model_id: str,
                   glossary: Glossary, on_wait) -> IngestReport | None:
        """The report of a run with nothing to do, read from the manifest; else None."""
        active = store.active()
        if not (sources and active and active.get("sources") == sources
                and active.get("embedding_model") == model_id
                and active.get("layout") == LAYOUT):
            return None
        generation = active["generation"]
        collections = _collection_ids(store, generation)
        files = GenerationFiles(self.settings, generation)
        manifest = files.manifest(collections) if collections else None
        if not manifest or manifest.get("documents") is None:
            return None
        clauses = int(active.get("count_clauses", 0))
        report = IngestReport(
            documents=len(manifest["documents"]),
            clauses=clauses,
            passages=int(active.get("count_passages", 0)),
            unchanged=clauses,
            dry_run=self.dry_run,
            generation=generation,
            due_for_review=self._review(tuple(d) for d in manifest["documents"]),
        )
        if self.dry_run:
            return self._done(report)
        if self._stale_lexical(files):
            passages = files.passages(collections)
            if passages is None:
                return None
            key = lexical_key(self.settings.knowledge_dir)
            files.save_lexical(_lexical(passages, glossary), key)
            report.lexical_rebuilt = True
        if self._untidy(store, generation):
            with writer_lock(store, on_wait):
                if (store.active() or {}).get("generation") == generation:
                    self._tidy(store, generation, report)
        return self._done(report)

    def _glossary_note(self) -> list[str]:
        """A warning when the knowledge folder has no glossary and the project's is used."""
        knowledge = Path(self.settings.knowledge_dir)
        used = glossary_path(knowledge)
        if used is None or used == knowledge / GLOSSARY_FILE:
            return []
        return [f"{knowledge} has no {GLOSSARY_FILE}: using the project's glossary ({used})"]

    def _live(self, store: IndexStore, active: dict | None = ...) -> dict | None:
        """The active pointer if its generation exists (a dangling pointer counts as none)."""
        if active is ...:
            active = store.active()
        if active and store.collection_names(active["generation"]):
            return active
        return None

    def _old_hashes(self, store: IndexStore, active: dict) -> dict[str, str]:
        generation = active["generation"]
        manifest = GenerationFiles(self.settings, generation).manifest(
            _collection_ids(store, generation)
        )
        if manifest and manifest.get("records") is not None:
            return manifest["records"]
        return store.hashes(generation)  # no local manifest (another machine, older index)

    def _stale_lexical(self, files: GenerationFiles) -> bool:
        stored = files.lexical_key()
        return stored != lexical_key(self.settings.knowledge_dir)

    def _fill(self, store: IndexStore, generation: str, records: list[Record],
              live: dict | None, old_hashes: dict[str, str],
              embeddings: Embeddings) -> tuple[dict[str, str], dict[str, int], int]:
        """Write every record into the new generation: copied vectors, then new ones."""
        old = live["generation"] if live else None
        old_names = set(store.collection_names(old)) if old else set()
        collections: dict[str, str] = {}
        counts: dict[str, int] = {}
        embedded = 0
        by_jurisdiction: dict[str, list[Record]] = {}
        for record in records:
            by_jurisdiction.setdefault(str(record.metadata["jurisdiction"]), []).append(record)
        with tqdm(total=len(records), unit="passage", desc="indexing",
                  disable=not self.progress) as bar:
            for jurisdiction, group in sorted(by_jurisdiction.items()):
                name = jurisdiction_collection(generation, jurisdiction)
                collection = store.collection(name, create=True)
                collections[name] = str(collection.id)
                counts[name] = len(group)
                source = None
                if old in old_names:  # layout 1: one collection per generation
                    source = old
                elif old and jurisdiction_collection(old, jurisdiction) in old_names:
                    source = jurisdiction_collection(old, jurisdiction)
                keep = [r for r in group if old_hashes.get(r.id) == r.hash] if source else []
                kept_ids = {r.id for r in keep}
                fresh = [r for r in group if r.id not in kept_ids]
                for start in range(0, len(keep), COPY_BATCH):
                    batch = keep[start : start + COPY_BATCH]
                    found = store.vectors(source, [r.id for r in batch])
                    have = [r for r in batch if r.id in found]
                    fresh += [r for r in batch if r.id not in found]  # missing: embed again
                    store.write(collection, have, [found[r.id] for r in have])
                    bar.update(len(have))
                for start in range(0, len(fresh), EMBED_BATCH):
                    batch = fresh[start : start + EMBED_BATCH]
                    vectors = embeddings.embed_documents([embedding_text(r) for r in batch])
                    store.write(collection, batch, vectors)
                    embedded += len(batch)
                    bar.update(len(batch))
        return collections, counts, embedded

    def _write_files(self, files: GenerationFiles, collections: dict[str, str],
                     counts: dict[str, int], records: list[Record],
                     documents: list[tuple[str, str]],
                     sources: str | None, glossary: Glossary) -> None:
        passages = [r for r in records if is_passage(r.metadata)]
        passages.sort(key=lambda r: passage_order(r.metadata))
        files.write(
            collections=collections, counts=counts, records=records, passages=passages,
            documents=documents, sources=sources, lexical=_lexical(passages, glossary),
            lexical_key=lexical_key(self.settings.knowledge_dir),
        )

    def _abandon(self, store: IndexStore, generation: str) -> None:
        """After a failure: drop the new generation unless it is (or may be) live."""
        if self.phase == "switching":
            try:
                now = (store.active() or {}).get("generation")
            except Exception:  # server gone: whether the switch happened is unknown
                return
            if now == generation:
                self.phase = "live"
                return
        try:
            store.drop(generation)  # the pointer still names the previous, complete generation
        except Exception as exc:  # server gone: the next ingest drops it as half-built
            log.debug("could not drop %s: %s", generation, type(exc).__name__)
        remove_files(self.settings, keep=_file_names_to_keep(store, generation))

    def _untidy(self, store: IndexStore, generation: str) -> bool:
        if len(store.generations()) > self.settings.keep_generations + 1:
            return True
        return not self.settings.chroma_host and bool(orphan_segments(self.settings.chroma_path))

    def _tidy(self, store: IndexStore, generation: str, report: IngestReport) -> None:
        """Retire old generations, their files and orphaned folders; failures only warn."""
        try:
            retire_generations(store, generation, self.settings.keep_generations)
            remove_files(self.settings, keep=set(store.generations()))
            if not self.settings.chroma_host:
                remove_orphan_segments(self.settings.chroma_path)
        except Exception as exc:
            if self.phase == "live" or not is_connection_problem(exc):
                report.warnings.append(
                    f"the index {generation} is live, but retiring old generations failed "
                    f"({type(exc).__name__}: {exc}); the next ingest tries again"
                )
            else:
                raise

    def _review(self, documents) -> list[str]:
        due = []
        for path, version in documents:
            # Same rule as documents.due_for_review, from the manifest's dates.
            if (self.today - dt.date.fromisoformat(version)).days > self.settings.review_after_days:
                due.append(f"{path} (version_date {version})")
        return due

    def _done(self, report: IngestReport) -> IngestReport:
        report.seconds = time.perf_counter() - self.started
        return report


def _compare(report: IngestReport, records: list[Record], old_hashes: dict[str, str]) -> None:
    """Count added, updated, unchanged and removed clauses against the previous hashes."""
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


def _lexical(passages: list[Record], glossary: Glossary) -> LexicalIndex:
    # One passage object at a time: 150,000 of them at once cost hundreds of MB at 100×;
    # the documents they belong to are rebuilt once each.
    documents: dict = {}
    return LexicalIndex(
        (record_to_passage(r.id, r.text, r.metadata, documents) for r in passages), glossary
    )


def _collection_ids(store: IndexStore, generation: str) -> dict[str, str]:
    return {name: str(store.collection(name).id) for name in store.collection_names(generation)}


def _jurisdictions(records: list[Record]) -> set[str]:
    return {str(r.metadata["jurisdiction"]) for r in records}


def _file_names_to_keep(store: IndexStore, failed: str) -> set[str]:
    try:
        return {g for g in store.generations() if g != failed}
    except Exception:
        return set()


def _group(records: list[Record]) -> dict[str, set[tuple[str, str]]]:
    grouped: dict[str, set[tuple[str, str]]] = {}
    for record in records:
        grouped.setdefault(record.clause_id, set()).add((record.id, record.hash))
    return grouped
