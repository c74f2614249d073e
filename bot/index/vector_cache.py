"""A file of passage vectors by (model, text hash): ``--rebuild`` and copies embed nothing again.

The store behind ``CachedEmbeddings`` for ingests: an SQLite file (default
``data/embedding-cache.sqlite``, beside the Chroma folder), safe for several processes.
Vectors are kept as float32, the precision Chroma stores.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path

import numpy as np

from bot.settings import Settings

CACHE_FILE = "embedding-cache.sqlite"


def cache_path(settings: Settings) -> Path:
    """Where the ingest keeps vectors: EMBEDDING_CACHE_PATH, else beside the Chroma folder."""
    return settings.embedding_cache_path or settings.chroma_path.parent / CACHE_FILE


def cache_folder(settings: Settings) -> Path:
    """The folder of the vector cache, where the parsed USE tokenizer is kept too."""
    return cache_path(settings).parent


class VectorCache(MutableMapping[str, list[float]]):
    """Vectors in an SQLite file, keyed by the caller's key (``CachedEmbeddings``: model+text)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Several ingests (and dry runs) may share the file: WAL lets readers and one writer
        # work at once; the busy timeout makes a second writer wait instead of failing.
        self._db = sqlite3.connect(path, timeout=600, check_same_thread=False,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> list[float]:
        with self._lock:
            row = self._db.execute("SELECT vector FROM vectors WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return np.frombuffer(row[0], dtype=np.float32).tolist()

    def __contains__(self, key: object) -> bool:
        with self._lock:
            found = self._db.execute("SELECT 1 FROM vectors WHERE key = ?", (key,)).fetchone()
        return found is not None

    def __setitem__(self, key: str, vector: list[float]) -> None:
        self.update({key: vector})

    def update(self, other: Mapping[str, list[float]] | Iterable = (), /, **kwargs) -> None:
        """Store many vectors in one transaction."""
        items = list(dict(other, **kwargs).items())
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items]
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            self._db.execute("COMMIT")

    def __delitem__(self, key: str) -> None:
        with self._lock:
            deleted = self._db.execute("DELETE FROM vectors WHERE key = ?", (key,)).rowcount
        if not deleted:
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            keys = [row[0] for row in self._db.execute("SELECT key FROM vectors")]
        return iter(keys)

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()
