"""Shared fixtures: settings, the shared corpus, the embedding model, a real Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from bot.index.embeddings import CachedEmbeddings, USEEmbeddings
from bot.settings import BotSettings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
KNOWLEDGE = REPO / "knowledge"
DECLARATION_FILE = CORPUS / "benelux-declaration-2019.nl.md"
"""The Benelux declaration, read from the corpus in place (the index takes it from the mirror)."""
SMALL_KNOWLEDGE = (
    KNOWLEDGE / "factsheets" / "lu-protection-rules.en.md",
    DECLARATION_FILE,
    KNOWLEDGE / "glossary.yaml",
)
"""Two real documents in two jurisdictions (LU, BENELUX) and the project's glossary.

Enough for the tests of the ingest's mechanics (changes, generations, locks, failures): an
ingest of them takes well under a second, one of the whole ``knowledge/`` folder about ten
(its 4,000 records). Retrieval over the whole knowledge is tested on the session's index.
"""


def small_knowledge(target: Path) -> Path:
    """A private copy of ``SMALL_KNOWLEDGE`` in ``target`` (created), that a test may change."""
    target.mkdir(parents=True)
    for path in SMALL_KNOWLEDGE:
        shutil.copy(path, target / path.name)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    return CORPUS


@pytest.fixture(scope="session")
def use_embeddings() -> CachedEmbeddings:
    """The real default model, loaded once per test session.

    Passages are embedded once per session: the many small indexes tests build from the
    same documents reuse the vectors (questions are always embedded).
    """
    return CachedEmbeddings(USEEmbeddings(), {})


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, corpus_dir, use_embeddings) -> BotSettings:
    """An index of knowledge/ plus the official-text corpus, built once per session.

    Tests read it and never change it; a test that ingests builds its own index.
    """
    from bot.index.ingest import ingest

    settings = make_settings(tmp_path_factory.mktemp("corpus-index"), KNOWLEDGE)
    ingest(settings, extra_dirs=[corpus_dir], embeddings=use_embeddings)
    return settings


@pytest.fixture(scope="session")
def corpus_service(corpus_settings, use_embeddings):
    """The answering service over the session's corpus index (opened once)."""
    from bot.answering.service import AnsweringService

    return AnsweringService(corpus_settings, embeddings=use_embeddings)


SLOW_FIXTURES = frozenset(
    {"use_embeddings", "corpus_dir", "chroma_server", "corpus_settings", "corpus_service", "e5"}
)
"""Tests that use one of these need the model, the corpus or a Chroma server: marked slow."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need the model, the corpus or a server (``make test-fast`` skips)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def make_settings(tmp_path: Path, knowledge_dir: Path, **overrides) -> BotSettings:
    """Settings built explicitly (no environment, no .env)."""
    values = {
        "knowledge_dir": knowledge_dir,
        "chroma_path": tmp_path / "chroma",
        "collection_name": "knowledge",
        "persistence_path": tmp_path / "state.pickle",
        "fetch_cache_dir": tmp_path / "fetched",
        "sources_mirror": None,  # tests name the corpus where they want it
        "index_cache_dir": tmp_path / "index-cache",
    }
    values.update(overrides)
    return BotSettings(_env_file=None, **values)


def server_settings(
    tmp_path: Path, knowledge_dir: Path, chroma_server: tuple[str, int], **overrides
) -> BotSettings:
    """Settings for the shared ``chroma run`` server, with collections of this test's own."""
    host, port = chroma_server
    return make_settings(tmp_path, knowledge_dir, chroma_host=host, chroma_port=port,
                         collection_name=f"t{uuid.uuid4().hex[:12]}", **overrides)


def process_env(monkeypatch, cwd: Path, **values: str) -> None:
    """The environment of a fresh process for an in-process ``main()``: of the settings'
    variables only ``values``, and no ``.env`` (the working directory is ``cwd``)."""
    from bot.settings import BotSettings, LLMSettings

    names = {name.upper() for cls in (BotSettings, LLMSettings) for name in cls.model_fields}
    for name in list(os.environ):
        if name.upper() in names:
            monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cwd)


def clause_ids(settings) -> set[str]:
    """Clause ids of the active index generation."""
    from bot.index.store import IndexStore  # chromadb only for the tests that index

    store = IndexStore(settings)
    return {r.clause_id for r, _ in store.iter_records(store.active()["generation"])}


class ChromaServer:
    """A real `chroma run` process on 127.0.0.1 that tests can stop and start again."""

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port, self.process = path, port, None

    def start(self) -> None:
        chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which(
            "chroma"
        )
        if chroma is None:
            pytest.skip("the chroma CLI is not installed")
        self.process = subprocess.Popen(
            [chroma, "run", "--path", str(self.path), "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_chroma("127.0.0.1", self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


def wait_for_chroma(host: str, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"chroma server on {host}:{port} did not start")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> tuple[str, int]:
    """The server started by .ci/run (CHROMA_TEST_HOST/PORT), else one started here."""
    host = os.environ.get("CHROMA_TEST_HOST")
    if host:
        port = int(os.environ.get("CHROMA_TEST_PORT", "8000"))
        wait_for_chroma(host, port)
        yield host, port
        return
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"), free_port())
    server.start()
    yield "127.0.0.1", server.port
    server.stop()
