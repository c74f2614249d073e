"""Chroma access: the client, the active index generation, and reading and writing records.

An ingest never edits the index that readers use. It writes a new *generation* (one
collection per jurisdiction, copying unchanged records with their embeddings, embedding
only what changed) and then flips a pointer: the collection named ``COLLECTION_NAME`` holds
no records, only metadata naming the active generation and the embedding model that
built it. A failed or interrupted ingest leaves the pointer, and so the index, as it was.
Previous generations are kept for a while so that readers still on them are not broken
(``bot.index.retention``).
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


LAYOUT = 2
"""Layout of a generation: one collection per jurisdiction, ``<generation>--<jurisdiction>``.

A question about Belgium then searches the BE, EU, CoE and BENELUX collections instead of
asking Chroma to filter by metadata, which cost 1.3 s a query at 100 times the corpus.
(Layout 1, one collection per generation, is still read by ingest, to copy its vectors.)
"""


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

    def activate(self, generation: str, model_id: str, counts: dict[str, int],
                 **extra: str | int) -> None:
        """Point readers at ``generation`` (the commit step of an ingest).

        Args:
            generation: The generation to make live.
            model_id: The embedding model that built it.
            counts: Documents, clauses, passages (shown by ``/stats``).
            extra: More pointer fields (layout, jurisdictions, sources fingerprint).
        """
        meta = {
            "generation": generation,
            "embedding_model": model_id,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **{f"count_{k}": v for k, v in counts.items()},
            **extra,
        }
        pointer = self.client.get_or_create_collection(self.name, metadata=meta)
        pointer.modify(metadata=meta)

    def update_pointer(self, **fields: str | int) -> None:
        """Change fields of the pointer without switching generation."""
        pointer = self.client.get_collection(self.name)
        pointer.modify(metadata={**(pointer.metadata or {}), **fields})

    # -- generations -----------------------------------------------------------------------
    def _collections_by_generation(self) -> dict[str, list[str]]:
        prefix = f"{self.name}--g"
        found: dict[str, list[str]] = {}
        for item in self.client.list_collections():
            name = item if isinstance(item, str) else item.name
            if not name.startswith(prefix):
                continue
            number = name[len(prefix):].split("--", 1)[0]
            if number.isdigit():
                found.setdefault(f"{prefix}{number}", []).append(name)
        return found

    def generations(self) -> list[str]:
        """Names of all generations (complete, retired or half-built), oldest first."""
        return sorted(self._collections_by_generation())

    def collection_names(self, generation: str) -> list[str]:
        """The Chroma collections of a generation (one per jurisdiction; layout 1: one)."""
        return sorted(self._collections_by_generation().get(generation, []))

    def new_generation_name(self) -> str:
        """A generation name newer than every existing one and than the pointer's."""
        numbers = [number(g) for g in self.generations()]
        active = self.active()
        if active:
            numbers.append(number(active["generation"]))
        return f"{self.name}--g{max(numbers, default=0) + 1:06d}"

    def drop(self, generation: str) -> None:
        """Delete every collection of a generation (old or half-built); gone already is fine."""
        for name in self.collection_names(generation):
            try:
                self.client.delete_collection(name)
            except NotFoundError:
                pass

    # -- collections -----------------------------------------------------------------------
    def collection(self, name: str, *, create: bool = False) -> Collection:
        """A Chroma collection by name (cosine distance; we embed, not Chroma)."""
        if create:
            return self.client.create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        return self.client.get_collection(name, embedding_function=None)

    def iter_records(
        self, generation: str, *, embeddings: bool = False, ids: list[str] | None = None
    ) -> Iterator[tuple[Record, list[float] | None]]:
        """All records of a generation (or those with ``ids``), in batches."""
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        for name in self.collection_names(generation):
            collection = self.client.get_collection(name)
            if ids is not None:
                for start in range(0, len(ids), BATCH):
                    got = collection.get(ids=ids[start : start + BATCH], include=include)
                    yield from _rows(got, embeddings)
                continue
            offset = 0
            while True:
                got = collection.get(include=include, limit=BATCH, offset=offset)
                if not got["ids"]:
                    break
                yield from _rows(got, embeddings)
                offset += len(got["ids"])

    def vectors(self, collection_name: str, ids: list[str]) -> dict[str, list[float]]:
        """Stored vectors of ``ids`` in one collection (ids it does not hold are left out)."""
        got = self.client.get_collection(collection_name).get(ids=ids, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    def hashes(self, generation: str) -> dict[str, str]:
        """Record id → content hash of a generation (read from Chroma: slow when large)."""
        result: dict[str, str] = {}
        for name in self.collection_names(generation):
            collection = self.client.get_collection(name)
            offset = 0
            while True:
                got = collection.get(include=["metadatas"], limit=BATCH * 5, offset=offset)
                if not got["ids"]:
                    break
                for rid, meta in zip(got["ids"], got["metadatas"], strict=True):
                    result[rid] = str(meta.get("hash", ""))
                offset += len(got["ids"])
        return result

    def write(self, collection: Collection, records: list[Record], vectors: list) -> None:
        """Add records with precomputed embeddings to a collection."""
        for start in range(0, len(records), BATCH):
            part = records[start : start + BATCH]
            collection.add(
                ids=[r.id for r in part],
                documents=[r.text for r in part],
                metadatas=[r.metadata for r in part],
                embeddings=vectors[start : start + BATCH],
            )


def number(generation: str) -> int:
    """The number of a generation name (``knowledge--g000012`` → 12)."""
    return int(generation.rsplit("--g", 1)[1].split("--", 1)[0])


def jurisdiction_collection(generation: str, jurisdiction: str) -> str:
    """Name of the collection holding one jurisdiction's records in a generation."""
    return f"{generation}--{jurisdiction}"


def _rows(got: dict, with_embeddings: bool) -> Iterator[tuple[Record, list[float] | None]]:
    vectors = got.get("embeddings") if with_embeddings else None
    for i, rid in enumerate(got["ids"]):
        record = Record(id=rid, text=got["documents"][i], metadata=dict(got["metadatas"][i]))
        yield record, (list(vectors[i]) if vectors is not None else None)


def is_connection_problem(exc: BaseException) -> bool:
    """Whether an error means Chroma went away (server down, generation deleted under us)."""
    return isinstance(exc, httpx.TransportError | ConnectionError | NotFoundError | TimeoutError)


def is_server_gone(exc: BaseException) -> bool:
    """Whether an error means the Chroma server could not be reached or answer."""
    return isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError)
