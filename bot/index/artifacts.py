"""Files kept beside each index generation, so that opening it is a load and not a build.

For every generation the ingest writes, in ``<CHROMA_PATH>/bot-generations/<collection>/
<generation>/`` (embedded) or ``<INDEX_CACHE_DIR>/<host>_<port>/<collection>/<generation>/``
(server mode, a cache local to the machine):

- ``generation.json``: the Chroma collections (name → id, and their sizes) the files belong
  to (small: a reader checks it first).
- ``manifest.json``: every record's content hash (an ingest compares against these instead
  of reading Chroma back), the documents and their version dates (for the review list), the
  sources fingerprint.
- ``passages.json``: the passages (id, text, metadata) in retrieval order.
- ``lexical/``: the BM25 index with its glossary concept tokens (``bm25s``, memory-mapped)
  and ``lexical.json``, the glossary and code it was built with. When ``glossary.yaml``
  changes, the next opening rebuilds only this folder (no embedding).

The files are only trusted when the collection ids they name are those in Chroma, so a
server reset or another server with the same names cannot mix generations. Anything
missing or stale is rebuilt from Chroma by the reader that needs it and saved for the next.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from pathlib import Path

from filelock import FileLock

from bot.index.fingerprint import code_fingerprint, file_digest
from bot.index.records import Record
from bot.retrieval.glossary import glossary_path
from bot.retrieval.lexical import LexicalIndex
from bot.settings import Settings

log = logging.getLogger(__name__)

EMBEDDED_FOLDER = "bot-generations"
SERVER_CACHE_FOLDER = "index-cache"
IDENTITY = "generation.json"
MANIFEST = "manifest.json"
PASSAGES = "passages.json"
LEXICAL = "lexical"
LEXICAL_KEY = "lexical.json"
_GENERATION = re.compile(r"\.?(.*?--g\d+)(?:$|\.)")


def artifacts_root(settings: Settings) -> Path:
    """The folder holding one folder per generation of this index."""
    if settings.chroma_host:
        cache = settings.index_cache_dir or settings.chroma_path.parent / SERVER_CACHE_FOLDER
        server = f"{settings.chroma_host}_{settings.chroma_port}".replace("/", "_")
        return cache / server / settings.collection_name
    return settings.chroma_path / EMBEDDED_FOLDER / settings.collection_name


def lexical_key(knowledge_dir: Path) -> str:
    """What the lexical index depends on besides the passages: the glossary and the code."""
    glossary = glossary_path(Path(knowledge_dir))  # the folder's own, else the project's
    glossary_digest = file_digest(glossary) if glossary is not None else "none"
    return hashlib.sha256(f"{glossary_digest}\x1f{code_fingerprint()}".encode()).hexdigest()[:32]


class GenerationFiles:
    """The files of one generation (which may not exist yet)."""

    def __init__(self, settings: Settings, generation: str) -> None:
        self.folder = artifacts_root(settings) / generation
        self.generation = generation

    # -- writing -------------------------------------------------------------------------
    def write(
        self,
        *,
        collections: dict[str, str],
        counts: dict[str, int],
        records: list[Record],
        passages: list[Record],
        documents: list[tuple[str, str]],
        sources: str | None,
        lexical: LexicalIndex,
        lexical_key: str,
    ) -> None:
        """Write every file of the generation at once (a half-written folder is never seen).

        Args:
            collections: Chroma collection name → collection id.
            counts: Chroma collection name → records in it.
            records: Every record of the generation (passages and topic records).
            passages: The passage records in retrieval order (the rows of ``lexical``).
            documents: (display path, version date) of each document, for the review list.
            sources: The sources fingerprint the generation was built from.
            lexical: The BM25 index over ``passages``.
            lexical_key: The glossary and code ``lexical`` was built with.
        """
        staging = self.folder.with_name(f".{self.generation}.{uuid.uuid4().hex}")
        staging.mkdir(parents=True)
        try:
            _write_json(staging / IDENTITY, {"generation": self.generation,
                                             "collections": collections, "counts": counts})
            _write_json(staging / MANIFEST, {
                "records": {r.id: r.hash for r in records},
                "documents": documents,
                "sources": sources,
            })
            _write_json(staging / PASSAGES, [[r.id, r.text, r.metadata] for r in passages])
            lexical.save(staging / LEXICAL)
            _write_json(staging / LEXICAL_KEY, {"key": lexical_key})
            if self.folder.exists():
                shutil.rmtree(self.folder)
            os.replace(staging, self.folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def save_passages(self, collections: dict[str, str], counts: dict[str, int],
                      passages: list[Record]) -> None:
        """Save the passages a reader read from Chroma (server mode, another machine)."""
        with self._lock():
            staging = self.folder.with_name(f".{self.generation}.{uuid.uuid4().hex}")
            staging.mkdir(parents=True)
            try:
                _write_json(staging / PASSAGES, [[r.id, r.text, r.metadata] for r in passages])
                _write_json(staging / IDENTITY, {"generation": self.generation,
                                                 "collections": collections, "counts": counts})
                if self.folder.exists():
                    shutil.rmtree(self.folder)
                os.replace(staging, self.folder)
            finally:
                shutil.rmtree(staging, ignore_errors=True)

    def save_lexical(self, lexical: LexicalIndex, key: str) -> None:
        """Replace the lexical index (after a glossary change), leaving the other files."""
        with self._lock():
            staging = self.folder / f".{LEXICAL}.{uuid.uuid4().hex}"
            try:
                lexical.save(staging)
                _write_json(staging / LEXICAL_KEY, {"key": key})
                old = self.folder / f".{LEXICAL}.old.{uuid.uuid4().hex}"
                if (self.folder / LEXICAL).exists():
                    # Readers that memory-mapped the old arrays keep them until they close.
                    os.replace(self.folder / LEXICAL, old)
                os.replace(staging, self.folder / LEXICAL)
                os.replace(self.folder / LEXICAL / LEXICAL_KEY, self.folder / LEXICAL_KEY)
                shutil.rmtree(old, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)

    def _lock(self) -> FileLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(self.folder.with_name(f".{self.generation}.lock"))

    # -- reading -------------------------------------------------------------------------
    def identity(self, collections: dict[str, str]) -> dict | None:
        """``generation.json`` if the files belong to these collections (name → id), else None."""
        data = _read_json(self.folder / IDENTITY)
        if not isinstance(data, dict) or data.get("collections") != collections:
            return None
        return data

    def manifest(self, collections: dict[str, str]) -> dict | None:
        """The record hashes, documents and sources, or None when missing or for others."""
        if self.identity(collections) is None:
            return None
        data = _read_json(self.folder / MANIFEST)
        return data if isinstance(data, dict) else None

    def passages(self, collections: dict[str, str]) -> list[Record] | None:
        """The passages in retrieval order, or None when missing or for other collections."""
        if self.identity(collections) is None:
            return None
        rows = _read_json(self.folder / PASSAGES)
        if not isinstance(rows, list):
            return None
        return [Record(id=rid, text=text, metadata=meta) for rid, text, meta in rows]

    def lexical_key(self) -> str | None:
        """The key the saved lexical index was built with, or None when there is none."""
        stored = _read_json(self.folder / LEXICAL_KEY)
        return stored.get("key") if isinstance(stored, dict) else None

    def lexical(self, key: str) -> LexicalIndex | None:
        """The lexical index if it was built with this glossary and code, else None."""
        stored = _read_json(self.folder / LEXICAL_KEY)
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        try:
            return LexicalIndex.load(self.folder / LEXICAL)
        except (OSError, ValueError, KeyError) as exc:
            log.info("lexical index of %s unreadable (%s): rebuilding", self.generation,
                     type(exc).__name__)
            return None


def passage_order(metadata: dict) -> tuple:
    """Where a passage stands in retrieval order: document, clause position, passage index.

    The rows of the saved lexical index follow this order, so the ingest that writes them
    and a reader that rebuilds them from Chroma must sort alike.
    """
    return (str(metadata["document_id"]), int(metadata.get("position", 0)),
            int(metadata.get("passage", 0)))


def remove_files(settings: Settings, keep: set[str]) -> None:
    """Delete the folders of generations not in ``keep`` (retired ones)."""
    root = artifacts_root(settings)
    if not root.is_dir():
        return
    for folder in root.iterdir():
        match = _GENERATION.match(folder.name)  # also staging folders and lock files
        if match and match.group(1) not in keep:
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
            else:
                folder.unlink(missing_ok=True)


def _write_json(path: Path, data: object) -> None:
    with path.open("w", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False, separators=(",", ":"))


def _read_json(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError):
        return None
