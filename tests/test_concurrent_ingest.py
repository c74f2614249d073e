"""Two ingests at once, while questions are being answered: the index survives and answers.

Real processes against a real Chroma, embedded and server: ``python ingest.py`` where one
ingest waits for another, and for the ten rounds of two ingests at once, processes forked
from a server that imported the ingest's modules once (``tests/ingest_forks.py``), so that
the rounds spend their time ingesting rather than importing. The question-asking side is a
long-lived answering service in this process, like a bot.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering.service import AnsweringService
from bot.index.embeddings import CachedEmbeddings
from bot.index.ingest import ingest
from bot.index.store import IndexStore
from bot.index.vector_cache import VectorCache, cache_path
from bot.index.writer_lock import writer_lock
from tests.conftest import REPO, make_settings, server_settings
from tests.conftest import small_knowledge as copy_small_knowledge
from tests.ingest_forks import IngestForks

ROUNDS = 10
ASKERS = 2
QUESTION = "Combien dure le délai de réflexion au Luxembourg ?"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture()
def small_knowledge(tmp_path: Path) -> Path:
    """Two documents in two jurisdictions (LU, BENELUX): each ingest process stays quick."""
    return copy_small_knowledge(tmp_path / "knowledge")


@pytest.fixture(scope="module")
def forks() -> Iterator[IngestForks]:
    """The server that forks the rounds' ingest processes (imports paid once)."""
    server = IngestForks({"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(REPO)})
    yield server
    server.close()


def warm_vector_cache(settings, use_embeddings) -> None:
    """First ingest in this process, filling the on-disk vector cache the processes share."""
    store = VectorCache(cache_path(settings))
    try:
        ingest(settings, embeddings=CachedEmbeddings(use_embeddings, store))
    finally:
        store.close()


def ingest_env(settings) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(settings.chroma_path),
           "KNOWLEDGE_DIR": str(settings.knowledge_dir), "CHROMA_PATH": str(settings.chroma_path),
           "COLLECTION_NAME": settings.collection_name,
           "EMBEDDING_CACHE_PATH": str(cache_path(settings))}
    if settings.chroma_host:
        env.update(CHROMA_HOST=settings.chroma_host, CHROMA_PORT=str(settings.chroma_port),
                   INDEX_CACHE_DIR=str(settings.index_cache_dir))
    return env


def two_ingests_at_once_while_asking(settings, use_embeddings, workdir: Path,
                                     forks: IngestForks) -> int:
    """ROUNDS times: two `ingest.py --rebuild` processes at once while askers keep asking."""
    service = AnsweringService(settings, embeddings=use_embeddings)
    assert service.answer(QUESTION).grounded
    env = ingest_env(settings)
    asked, failures = [0], []
    lock = threading.Lock()

    def ask_until(done: threading.Event) -> None:
        first = True
        while first or not done.is_set():
            first = False
            try:
                answer = service.answer(QUESTION)
                problem = None if answer.grounded and answer.citations[0].jurisdiction == "LU" \
                    else f"ungrounded or wrong answer: {[c.id for c in answer.citations]}"
            except Exception as exc:  # every failure is collected and reported
                problem = repr(exc)
            with lock:
                asked[0] += 1
                if problem:
                    failures.append(problem)

    runs = [{"argv": ["--quiet", "--rebuild"], "env": env, "cwd": str(workdir),
             "out": str(workdir / f"ingest-{i}.out"), "err": str(workdir / f"ingest-{i}.err")}
            for i in range(2)]
    for _ in range(ROUNDS):
        done = threading.Event()
        askers = [threading.Thread(target=ask_until, args=(done,)) for _ in range(ASKERS)]
        for thread in askers:
            thread.start()
        statuses = forks.run_at_once(runs)
        done.set()
        for thread in askers:
            thread.join()
        for status, run in zip(statuses, runs, strict=True):
            assert status == 0, Path(run["err"]).read_text(encoding="utf-8")

    assert not failures, failures[:5]
    assert asked[0] >= 2 * ROUNDS * ASKERS // 2
    fresh = AnsweringService(settings, embeddings=use_embeddings).answer(QUESTION)
    assert fresh.grounded and fresh.citations[0].jurisdiction == "LU"
    store = IndexStore(settings)
    active = store.active()["generation"]
    assert store.collection_names(active)  # the pointer names a generation that exists
    assert len(store.generations()) <= settings.keep_generations + 1
    return asked[0]


def test_two_ingests_at_once_embedded(tmp_path, small_knowledge, use_embeddings, forks):
    settings = make_settings(tmp_path, small_knowledge)
    warm_vector_cache(settings, use_embeddings)
    two_ingests_at_once_while_asking(settings, use_embeddings, tmp_path, forks)

    # Chroma leaves a folder per deleted collection; retired generations leave none here:
    # 2 collections (LU, BENELUX) for each generation kept.
    folders = [p for p in settings.chroma_path.iterdir() if UUID.fullmatch(p.name)]
    assert len(folders) <= (settings.keep_generations + 1) * 2


@pytest.mark.server
def test_two_ingests_at_once_against_a_chroma_server(tmp_path, small_knowledge,
                                                      use_embeddings, chroma_server, forks):
    settings = server_settings(tmp_path, small_knowledge, chroma_server)
    warm_vector_cache(settings, use_embeddings)
    two_ingests_at_once_while_asking(settings, use_embeddings, tmp_path, forks)
    names = [c.name for c in IndexStore(settings).client.list_collections()
             if c.name.startswith(settings.collection_name)]
    assert not any("--lock" in name for name in names)  # released


def second_ingest_waits_for_the_first(settings, workdir: Path) -> None:
    """Hold the writer lock here; an ingest process says it waits, and finishes once freed."""
    store = IndexStore(settings)
    before = store.active()["generation"]
    with writer_lock(store):
        process = subprocess.Popen(
            [sys.executable, str(REPO / "ingest.py"), "--quiet", "--rebuild"],
            env=ingest_env(settings), cwd=workdir, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        line = process.stderr.readline()  # blocks until the process has something to say
        assert "another ingest is writing this index" in line and "waiting" in line, line
        assert store.active()["generation"] == before  # it has not touched the index
    out, err = process.communicate()
    assert process.returncode == 0, err
    assert store.active()["generation"] != before and "changed" in out


def test_second_ingest_waits_embedded(tmp_path, small_knowledge, use_embeddings):
    settings = make_settings(tmp_path, small_knowledge)
    warm_vector_cache(settings, use_embeddings)
    second_ingest_waits_for_the_first(settings, tmp_path)


@pytest.mark.server
def test_second_ingest_waits_server(tmp_path, small_knowledge, use_embeddings, chroma_server):
    settings = server_settings(tmp_path, small_knowledge, chroma_server)
    warm_vector_cache(settings, use_embeddings)
    second_ingest_waits_for_the_first(settings, tmp_path)
