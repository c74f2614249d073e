"""One ingest at a time per index: a file lock (embedded Chroma) or a lock record (server).

Two ingests at once used to destroy the index: each deleted every generation but its own.
The second ingest now waits for the first, saying so, and then sees the index the first
one made (usually nothing left to do).

Embedded mode locks a file beside the Chroma database (``filelock``), released by the
kernel when the process dies. A Chroma server can be written from several machines, so
there the lock is a collection that only one client can create: it names its owner and an
expiry that the owner keeps pushing forward; a lock whose owner died is taken over once
it has expired.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from chromadb.errors import ChromaError, NotFoundError, UniqueConstraintError
from filelock import FileLock, Timeout

from bot.errors import IndexUnavailable
from bot.index.store import IndexStore

log = logging.getLogger(__name__)

LOCK_FILE = "ingest.lock"
OWNER_FILE = "ingest.lock.owner"
LOCK_TTL_S = 600.0
"""A server lock not renewed for this long belongs to a dead ingest and may be taken over."""
RENEW_EVERY_S = LOCK_TTL_S / 5
POLL_S = 1.0
"""How often a waiting ingest looks at a server lock again."""


def owner_label() -> str:
    """Who holds a lock, for the message of the ingest that waits: host, pid, start time."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return f"pid {os.getpid()} on {socket.gethostname()} since {now}"


@contextmanager
def writer_lock(
    store: IndexStore, on_wait: Callable[[str], None] | None = None
) -> Iterator[WriterLock]:
    """Hold the index's writer lock for the block; wait (announcing it once) while another has it.

    Args:
        store: The index whose writer lock to take.
        on_wait: Told once, with a sentence naming the other ingest, when this one must wait
            (default: a warning in the log).

    Raises:
        IndexUnavailable: the Chroma server went away while taking the lock.
    """
    announce = on_wait or (lambda message: log.warning("%s", message))
    if store.settings.chroma_host:
        lock: WriterLock = ServerLock(store)
    else:
        lock = FileWriterLock(store)
    lock.acquire(announce)
    try:
        yield lock
    finally:
        lock.release()


class WriterLock:
    """What the ingest holding a lock may ask of it."""

    def acquire(self, announce: Callable[[str], None]) -> None:  # pragma: no cover
        """Take the lock, waiting as long as another ingest holds it."""
        raise NotImplementedError

    def release(self) -> None:  # pragma: no cover
        """Give the lock up."""
        raise NotImplementedError

    def confirm(self) -> None:
        """Check the lock is still ours right before switching the pointer.

        Raises:
            IndexUnavailable: another ingest took it over (ours was not renewed in time).
        """


class FileWriterLock(WriterLock):
    """``filelock`` on ``<CHROMA_PATH>/ingest.lock``; the kernel frees it if the process dies."""

    def __init__(self, store: IndexStore) -> None:
        folder = store.settings.chroma_path
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(folder / LOCK_FILE)
        self._owner = folder / OWNER_FILE

    def acquire(self, announce: Callable[[str], None]) -> None:
        """Take the lock, waiting as long as another ingest holds it."""
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            try:
                holder = self._owner.read_text(encoding="utf-8").strip() or "unknown"
            except OSError:
                holder = "unknown"
            announce(f"another ingest is writing this index ({holder}); waiting for it to "
                     "finish…")
            self._lock.acquire()
        self._owner.write_text(owner_label(), encoding="utf-8")

    def release(self) -> None:
        """Give the lock up."""
        self._lock.release()


class ServerLock(WriterLock):
    """A lock collection ``<COLLECTION_NAME>--lock`` on the Chroma server.

    Creating a collection whose name exists fails, so exactly one client creates it. Its
    metadata names the owner and an expiry; a thread renews the expiry while the ingest runs.
    """

    def __init__(self, store: IndexStore) -> None:
        self._client = store.client
        self.name = f"{store.name}--lock"
        self.token = uuid.uuid4().hex
        self._label = owner_label()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _metadata(self) -> dict:
        return {"owner": self.token, "holder": self._label,
                "expires_at": time.time() + LOCK_TTL_S}

    def acquire(self, announce: Callable[[str], None]) -> None:
        """Take the lock, waiting as long as another live ingest holds it."""
        announced = False
        try:
            while True:
                try:
                    self._client.create_collection(self.name, metadata=self._metadata())
                    break
                except (UniqueConstraintError, ChromaError) as exc:
                    if not _already_exists(exc):
                        raise
                holder = self._holder()
                if holder is None:
                    continue  # released between our two calls: try again at once
                meta, collection = holder
                if float(meta.get("expires_at", 0)) < time.time():
                    self._take_over(collection, meta)
                    continue
                if not announced:
                    announce(f"another ingest is writing this index ({meta.get('holder')}); "
                             "waiting for it to finish…")
                    announced = True
                self._stop.wait(POLL_S)
        except (httpx.TransportError, ConnectionError, TimeoutError) as exc:
            raise IndexUnavailable(
                f"cannot take the ingest lock on the Chroma server: {exc}"
            ) from exc
        self._renewer = threading.Thread(target=self._renew, name="ingest-lock", daemon=True)
        self._renewer.start()

    def _holder(self):
        try:
            collection = self._client.get_collection(self.name)
        except NotFoundError:
            return None
        return dict(collection.metadata or {}), collection

    def _take_over(self, collection, meta: dict) -> None:
        # Renaming goes by the collection's id: if another waiter already moved this stale
        # lock away and created its own, our rename touches only the stale one.
        log.warning("taking over the ingest lock of %s: not renewed since it expired",
                    meta.get("holder"))
        stale = f"{self.name}-stale-{uuid.uuid4().hex}"
        try:
            collection.modify(name=stale)
            self._client.delete_collection(stale)
        except (NotFoundError, ChromaError) as exc:
            log.debug("stale lock already gone: %s", type(exc).__name__)

    def _renew(self) -> None:
        while not self._stop.wait(RENEW_EVERY_S):
            try:
                holder = self._holder()
                if holder is None or holder[0].get("owner") != self.token:
                    return
                holder[1].modify(metadata=self._metadata())
            except Exception as exc:  # the ingest itself reports an unreachable server
                log.debug("could not renew the ingest lock: %s", type(exc).__name__)

    def confirm(self) -> None:
        """Check the lock is still ours right before switching the pointer."""
        holder = self._holder()
        if holder is None or holder[0].get("owner") != self.token:
            raise IndexUnavailable(
                "another ingest took over the ingest lock (this one was not renewed in time); "
                "the index was not changed by this run"
            )

    def release(self) -> None:
        """Give the lock up (only if it is still ours)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        try:
            holder = self._holder()
            if holder is not None and holder[0].get("owner") == self.token:
                self._client.delete_collection(self.name)
        except Exception as exc:  # server gone: the lock expires by itself
            log.debug("could not release the ingest lock: %s", type(exc).__name__)


def _already_exists(exc: Exception) -> bool:
    return isinstance(exc, UniqueConstraintError) or "already exists" in str(exc)
