"""Chroma access: the client, the active index generation, and reading and writing records.

An ingest never edits the index that readers use. It writes a new *generation*
collection (copying unchanged records with their embeddings, embedding only what
changed) and then flips a pointer: the collection named ``COLLECTION_NAME`` holds no
records, only metadata naming the active generation and the embedding model that
built it. A failed or interrupted ingest leaves the pointer, and so the index, as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import chromadb
import httpx
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from bot.errors import IndexUnavailable
from bot.index.records import Record
from bot.settings import Settings

log = logging.getLogger(__name__)

BATCH = 1000


def make_client(settings: Settings) -> chromadb.ClientAPI:
    """Embedded ``PersistentClient`` at CHROMA_PATH, or ``HttpClient`` when CHROMA_HOST is set.

    Raises:
        IndexUnavailable: the Chroma server cannot be reached.
    """
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    except Exception as exc:  # chromadb raises several types for an unreachable server
        raise IndexUnavailable(f"cannot open Chroma ({_where(settings)}): {exc}") from exc


def _where(settings: Settings) -> str:
    if settings.chroma_host:
        return f"server {settings.chroma_host}:{settings.chroma_port}"
    return f"path {settings.chroma_path}"


class IndexStore:
    """The index in Chroma: pointer, generations, records."""

    def __init__(self, settings: Settings, client: chromadb.ClientAPI | None = None) -> None:
        self.settings = settings
        self.client = client or make_client(settings)
        self.name = settings.collection_name

    # -- pointer ---------------------------------------------------------------------------
    def active(self) -> dict | None:
        """Metadata of the pointer (active generation, model, build time), or None."""
        try:
            pointer = self.client.get_collection(self.name)
        except NotFoundError:
            return None
        except Exception as exc:
            raise IndexUnavailable(f"cannot read the index pointer: {exc}") from exc
        meta = dict(pointer.metadata or {})
        return meta if meta.get("generation") else None

    def activate(self, generation: str, model_id: str, counts: dict[str, int]) -> None:
        """Point readers at ``generation`` (the commit step of an ingest)."""
        meta = {
            "generation": generation,
            "embedding_model": model_id,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **{f"count_{k}": v for k, v in counts.items()},
        }
        pointer = self.client.get_or_create_collection(self.name, metadata=meta)
        pointer.modify(metadata=meta)

    def generations(self) -> list[str]:
        """Names of all generation collections, oldest first."""
        prefix = f"{self.name}--g"
        names = [c if isinstance(c, str) else c.name for c in self.client.list_collections()]
        return sorted(n for n in names if n.startswith(prefix))

    def new_generation_name(self) -> str:
        """A generation name newer than every existing one."""
        existing = self.generations()
        last = int(existing[-1].rsplit("--g", 1)[1]) if existing else 0
        return f"{self.name}--g{last + 1:06d}"

    def drop(self, generation: str) -> None:
        """Delete a generation collection (old or orphaned)."""
        try:
            self.client.delete_collection(generation)
        except Exception as exc:  # already gone is fine
            log.debug("could not delete %s: %s", generation, type(exc).__name__)

    # -- collections -----------------------------------------------------------------------
    def collection(self, generation: str, *, create: bool = False) -> Collection:
        """The Chroma collection of one generation (cosine distance; we embed, not Chroma)."""
        if create:
            return self.client.create_collection(
                generation, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        return self.client.get_collection(generation, embedding_function=None)

    def iter_records(
        self, generation: str, *, embeddings: bool = False, ids: list[str] | None = None
    ) -> Iterator[tuple[Record, list[float] | None]]:
        """All records of a generation (or those with ``ids``), in batches."""
        collection = self.client.get_collection(generation)
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        if ids is not None:
            batches = (ids[i : i + BATCH] for i in range(0, len(ids), BATCH))
            for batch in batches:
                yield from _rows(collection.get(ids=batch, include=include), embeddings)
            return
        offset = 0
        while True:
            got = collection.get(include=include, limit=BATCH, offset=offset)
            if not got["ids"]:
                return
            yield from _rows(got, embeddings)
            offset += len(got["ids"])

    def hashes(self, generation: str) -> dict[str, str]:
        """Record id → content hash of a generation."""
        collection = self.client.get_collection(generation)
        result: dict[str, str] = {}
        offset = 0
        while True:
            got = collection.get(include=["metadatas"], limit=BATCH * 5, offset=offset)
            if not got["ids"]:
                return result
            for rid, meta in zip(got["ids"], got["metadatas"], strict=True):
                result[rid] = str(meta.get("hash", ""))
            offset += len(got["ids"])

    def write(
        self,
        generation: str,
        records: list[Record],
        vectors: list[list[float]],
    ) -> None:
        """Add records with precomputed embeddings to a generation."""
        collection = self.client.get_collection(generation)
        for start in range(0, len(records), BATCH):
            part = records[start : start + BATCH]
            collection.add(
                ids=[r.id for r in part],
                documents=[r.text for r in part],
                metadatas=[r.metadata for r in part],
                embeddings=vectors[start : start + BATCH],
            )


def _rows(got: dict, with_embeddings: bool) -> Iterator[tuple[Record, list[float] | None]]:
    vectors = got.get("embeddings") if with_embeddings else None
    for i, rid in enumerate(got["ids"]):
        record = Record(id=rid, text=got["documents"][i], metadata=dict(got["metadatas"][i]))
        yield record, (list(vectors[i]) if vectors is not None else None)


def is_connection_problem(exc: BaseException) -> bool:
    """Whether an error means Chroma went away (server down, generation deleted under us)."""
    return isinstance(exc, httpx.TransportError | ConnectionError | NotFoundError | TimeoutError)
