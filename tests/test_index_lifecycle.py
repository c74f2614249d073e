"""Generations over time: no-change runs, cached vectors, saved files, retirement, failures."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

import ingest as ingest_cli
from bot.answering.service import AnsweringService
from bot.errors import IndexUnavailable
from bot.index import ingest as ingest_module
from bot.index.artifacts import GenerationFiles
from bot.index.embeddings import CachedEmbeddings
from bot.index.ingest import ingest
from bot.index.store import IndexStore
from bot.index.vector_cache import VectorCache
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.lexical import LexicalIndex
from tests.conftest import make_settings, small_knowledge
from tests.test_ingest import FACTSHEET

QUESTION = "Combien dure le délai de réflexion au Luxembourg ?"


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    """Two real documents, the glossary and the test sheet (the mechanics need no more)."""
    target = small_knowledge(tmp_path / "knowledge")
    (target / "test-sheet.md").write_text(FACTSHEET, encoding="utf-8")
    return target


@pytest.fixture()
def settings(tmp_path, knowledge):
    return make_settings(tmp_path, knowledge)


class Counting:
    """An embedding backend that counts the passages it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.model_id, self.embedded = inner, inner.model_id, 0

    def embed_documents(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def refuse(*_args, **_kwargs):
    raise AssertionError("a no-change ingest must not get here")


def test_no_change_ingest_reads_no_documents_hashes_or_vectors(settings, use_embeddings,
                                                                monkeypatch):
    first = ingest(settings, embeddings=use_embeddings)
    monkeypatch.setattr(ingest_module, "load_knowledge", refuse)
    monkeypatch.setattr(IndexStore, "hashes", refuse)
    monkeypatch.setattr(IndexStore, "iter_records", refuse)
    monkeypatch.setattr(IndexStore, "vectors", refuse)
    again = ingest(settings, embeddings=use_embeddings)
    assert not again.changed and again.generation == first.generation
    assert (again.documents, again.clauses, again.unchanged) == (
        first.documents, first.clauses, first.clauses)
    assert again.due_for_review == first.due_for_review  # the 2019 declaration


def test_changed_file_compares_against_the_manifest_not_chroma(settings, knowledge,
                                                               use_embeddings, monkeypatch):
    ingest(settings, embeddings=use_embeddings)
    monkeypatch.setattr(IndexStore, "hashes", refuse)
    sheet = knowledge / "test-sheet.md"
    sheet.write_text(sheet.read_text().replace("safe accommodation", "a shelter bed"))
    report = ingest(settings, embeddings=use_embeddings)
    assert (report.updated, report.embedded) == (1, 2)


def test_rebuild_takes_vectors_from_the_disk_cache(settings, use_embeddings, tmp_path):
    cache = VectorCache(tmp_path / "vectors.sqlite")
    counting = Counting(use_embeddings)
    first = ingest(settings, embeddings=CachedEmbeddings(counting, cache))
    assert counting.embedded == first.embedded > 0
    cache.close()
    cache = VectorCache(tmp_path / "vectors.sqlite")  # as a later process would open it
    again = ingest(settings, embeddings=CachedEmbeddings(counting, cache), rebuild=True)
    assert again.rebuilt and again.generation != first.generation
    assert counting.embedded == first.embedded  # nothing embedded a second time
    assert AnsweringService(settings, embeddings=use_embeddings).answer(QUESTION).grounded


def test_opening_loads_the_saved_lexical_index(settings, use_embeddings, monkeypatch):
    report = ingest(settings, embeddings=use_embeddings)
    assert (GenerationFiles(settings, report.generation).folder / "lexical").is_dir()
    monkeypatch.setattr(LexicalIndex, "__init__", refuse)  # a build would fail the test
    answer = AnsweringService(settings, embeddings=use_embeddings).answer(QUESTION)
    assert answer.grounded and answer.citations[0].jurisdiction == "LU"


def test_glossary_edit_takes_effect_without_re_embedding(settings, knowledge, use_embeddings):
    ingest(settings, embeddings=use_embeddings)
    question = "Qu'est-ce qu'un zorglubaire ?"
    service = AnsweringService(settings, embeddings=use_embeddings)
    before = service.retrieve(question)
    glossary = knowledge / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + (
        "  - id: test-shelter\n    nl: []\n    fr: [zorglubaire]\n    de: []\n"
        "    en: [safe accommodation]\n"), encoding="utf-8")

    counting = Counting(use_embeddings)
    report = ingest(settings, embeddings=counting)
    assert report.lexical_rebuilt and not report.changed and counting.embedded == 0
    service.reload()
    after = service.retrieve(question)
    assert after.results[0].clause.id == "test-sheet#shelter"
    assert "safe accommodation" in after.expansion and "safe accommodation" not in before.expansion

    # Without an ingest, the next opening rebuilds the lexical index itself.
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("zorglubaire", "blorpix"))
    fresh = AnsweringService(settings, embeddings=use_embeddings)
    assert fresh.retrieve("Qu'est-ce qu'un blorpix ?").results[0].clause.id == "test-sheet#shelter"


def test_reader_on_a_retired_generation_reopens_the_current_one(settings, use_embeddings):
    ingest(settings, embeddings=use_embeddings)
    service = AnsweringService(settings, embeddings=use_embeddings)
    assert service.answer(QUESTION).grounded
    opened = service.generation
    for _ in range(settings.keep_generations + 1):
        ingest(settings, embeddings=use_embeddings, rebuild=True)
    assert opened not in IndexStore(settings).generations()  # retired
    answer = service.answer(QUESTION)
    assert answer.grounded and service.generation == IndexStore(settings).active()["generation"]


def test_an_ask_hit_by_another_process_retiring_its_generation_is_answered(
    settings, use_embeddings, monkeypatch
):
    # When another process deletes the collection under a query, embedded Chroma may return
    # hits whose metadata is None: the retriever fails with a TypeError (seen in the
    # two-ingests-at-once test). The pointer has moved on: the ask goes to the current index.
    service = AnsweringService(settings, embeddings=use_embeddings)
    ingest(settings, embeddings=use_embeddings)
    assert service.answer(QUESTION).grounded
    opened = service.generation
    ingest(settings, embeddings=use_embeddings, rebuild=True)
    retrieve, failed = HybridRetriever.retrieve, []

    def deleted_under_the_query(self, *args, **kwargs):
        if not failed:
            failed.append(self)
            raise TypeError("'NoneType' object is not subscriptable")
        return retrieve(self, *args, **kwargs)

    monkeypatch.setattr(HybridRetriever, "retrieve", deleted_under_the_query)
    answer = service.answer(QUESTION)
    assert failed and answer.grounded and answer.citations[0].jurisdiction == "LU"
    assert service.generation != opened
    assert service.generation == IndexStore(settings).active()["generation"]
    failed.clear()  # the same error on the current generation is no retirement: it is raised
    with pytest.raises(TypeError):
        service.answer(QUESTION)


def test_dangling_pointer_is_repaired_by_a_plain_ingest(settings, use_embeddings):
    first = ingest(settings, embeddings=use_embeddings)
    store = IndexStore(settings)
    store.drop(first.generation)  # what two ingests at once used to leave behind
    with pytest.raises(IndexUnavailable, match="python ingest.py"):
        AnsweringService(settings, embeddings=use_embeddings).answer(QUESTION)
    report = ingest(settings, embeddings=use_embeddings)
    assert report.generation != first.generation
    # Among the report's warnings (the knowledge's own, e.g. basis ids not indexed, come too).
    assert any("no longer exists" in warning for warning in report.warnings), report.warnings
    assert AnsweringService(settings, embeddings=use_embeddings).answer(QUESTION).grounded


def test_orphaned_segment_folders_go_and_nothing_else(settings, use_embeddings):
    ingest(settings, embeddings=use_embeddings)
    orphan = settings.chroma_path / str(uuid.uuid4())
    orphan.mkdir()
    mine = settings.chroma_path / "notes"
    mine.mkdir()
    ingest(settings, embeddings=use_embeddings, rebuild=True)
    assert not orphan.exists() and mine.exists()
    assert AnsweringService(settings, embeddings=use_embeddings).answer(QUESTION).grounded


# -- Chroma going away at each step of an ingest ---------------------------------------------
def gone(*_args, **_kwargs):
    raise httpx.ConnectError("[Errno 111] Connection refused")


def changed_sheet(knowledge: Path) -> None:
    sheet = knowledge / "test-sheet.md"
    sheet.write_text(sheet.read_text().replace("ninety days", "90 days"))


def test_chroma_gone_before_the_switch_leaves_the_index_and_exits_2(
    settings, knowledge, use_embeddings, monkeypatch, capsys
):
    before = ingest(settings, embeddings=use_embeddings).generation
    changed_sheet(knowledge)
    monkeypatch.setattr(IndexStore, "write", gone)
    with pytest.raises(IndexUnavailable, match="previous one is still live"):
        ingest(settings, embeddings=use_embeddings)
    monkeypatch.undo()
    assert IndexStore(settings).active()["generation"] == before
    assert IndexStore(settings).generations() == [before]  # the half-built one was dropped

    monkeypatch.setattr(IndexStore, "write", gone)
    monkeypatch.setattr(ingest_module, "make_embeddings", lambda _settings: use_embeddings)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("CHROMA_PATH", str(settings.chroma_path))
    assert ingest_cli.main(["--quiet"]) == 2
    err = capsys.readouterr().err
    assert "unreachable" in err and "previous one is still live" in err
    assert "Traceback" not in err


def test_chroma_gone_right_after_the_switch_reports_the_new_index_live(
    settings, knowledge, use_embeddings, monkeypatch
):
    before = ingest(settings, embeddings=use_embeddings).generation
    changed_sheet(knowledge)
    monkeypatch.setattr(ingest_module, "retire_generations", gone)
    report = ingest(settings, embeddings=use_embeddings)
    assert report.generation != before
    assert IndexStore(settings).active()["generation"] == report.generation
    assert any("is live" in warning for warning in report.warnings), report.warnings


def test_chroma_gone_during_the_switch_tells_what_happened(
    settings, knowledge, use_embeddings, monkeypatch
):
    ingest(settings, embeddings=use_embeddings)
    changed_sheet(knowledge)
    activate = IndexStore.activate

    def switch_then_fail(self, *args, **kwargs):
        activate(self, *args, **kwargs)  # the switch went through, the answer was lost
        raise httpx.ReadError("connection reset")

    monkeypatch.setattr(IndexStore, "activate", switch_then_fail)
    with pytest.raises(IndexUnavailable, match=r"The new index \S+ is live"):
        ingest(settings, embeddings=use_embeddings)
    monkeypatch.undo()
    assert AnsweringService(settings, embeddings=use_embeddings).answer(QUESTION).grounded
