"""Ingest against a real Chroma (embedded and server) with the real embedding model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ingest as ingest_cli
from bot.answering.service import AnsweringService
from bot.errors import IndexUnavailable, KnowledgeError
from bot.index.ingest import ingest
from bot.index.store import IndexStore
from tests.conftest import (
    DECLARATION_FILE,
    clause_ids,
    make_settings,
    process_env,
    server_settings,
    small_knowledge,
)

DECLARATION = "benelux-declaration-2019-trafficking"

FACTSHEET = """---
id: test-sheet
title: "Test sheet"
short_title: "Test"
jurisdiction: LU
language: en
kind: factsheet
version_date: 2026-01-01
source_url: "https://example.org/sheet"
---
# Test sheet

## Reflection period of 90 days (Art. 93)

The minister grants a reflection period of ninety days.

## Shelter

Victims get safe accommodation.
"""


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    """A private copy of two of the repository's documents and its glossary (may change)."""
    return small_knowledge(tmp_path / "knowledge")


def test_corpus_ingests_and_reingest_touches_nothing(tmp_path, corpus_dir, use_embeddings):
    settings = make_settings(tmp_path, corpus_dir)
    first = ingest(settings, embeddings=use_embeddings)
    assert first.documents == 9 and first.clauses > 300 and first.added == first.clauses
    assert "lu-loi-2008-08-29-immigration#art-93" in clause_ids(settings)

    again = ingest(settings, embeddings=use_embeddings)
    assert not again.changed and again.unchanged == first.clauses and again.embedded == 0
    assert again.generation == first.generation


def test_changed_and_removed_clauses_are_replaced_and_deleted(tmp_path, knowledge, use_embeddings):
    settings = make_settings(tmp_path, knowledge)
    (knowledge / "test-sheet.md").write_text(FACTSHEET, encoding="utf-8")
    ingest(settings, embeddings=use_embeddings)
    service = AnsweringService(settings, embeddings=use_embeddings)
    assert service.clause("test-sheet#shelter") is not None

    sheet = FACTSHEET.replace("Victims get safe accommodation.", "Victims get a shelter bed.")
    sheet = sheet.replace("## Reflection period of 90 days (Art. 93)\n\n"
                          "The minister grants a reflection period of ninety days.\n\n", "")
    (knowledge / "test-sheet.md").write_text(sheet, encoding="utf-8")
    report = ingest(settings, embeddings=use_embeddings)
    assert (report.updated, report.removed) == (1, 1)
    assert report.embedded == 2  # only the changed clause: its passage and its topic record

    (knowledge / DECLARATION_FILE.name).unlink()
    report = ingest(settings, embeddings=use_embeddings)
    assert report.removed == 13
    service.reload()
    assert service.clause(f"{DECLARATION}#par-3") is None
    assert "shelter bed" in service.clause("test-sheet#shelter").text
    assert DECLARATION not in {d.id for d in service.sources()}


def test_invalid_input_changes_nothing_and_names_file_and_field(
    tmp_path, knowledge, use_embeddings
):
    settings = make_settings(tmp_path, knowledge)
    before = ingest(settings, embeddings=use_embeddings)
    bad = FACTSHEET.replace("jurisdiction: LU\n", "")
    (knowledge / "broken.md").write_text(bad, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        ingest(settings, embeddings=use_embeddings)
    assert "broken.md" in str(info.value) and info.value.field == "jurisdiction"
    assert IndexStore(settings).active()["generation"] == before.generation
    answer = AnsweringService(settings, embeddings=use_embeddings).answer(
        "Wat is de Benelux-intentieverklaring over mensenhandel?"
    )
    assert answer.grounded


def test_interrupted_ingest_leaves_previous_index_complete(tmp_path, knowledge, use_embeddings):
    settings = make_settings(tmp_path, knowledge)
    before = ingest(settings, embeddings=use_embeddings)
    ids_before = clause_ids(settings)

    class Exploding:
        model_id = use_embeddings.model_id

        def embed_documents(self, texts):
            raise KeyboardInterrupt

        def embed_query(self, text):
            return use_embeddings.embed_query(text)

    (knowledge / "test-sheet.md").write_text(FACTSHEET, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        ingest(settings, embeddings=Exploding())
    store = IndexStore(settings)
    assert store.active()["generation"] == before.generation
    assert clause_ids(settings) == ids_before
    assert store.generations() == [before.generation]  # the half-built one was dropped


def test_dry_run_reports_without_writing(tmp_path, knowledge, use_embeddings):
    settings = make_settings(tmp_path, knowledge)
    before = ingest(settings, embeddings=use_embeddings)
    (knowledge / "test-sheet.md").write_text(FACTSHEET, encoding="utf-8")
    report = ingest(settings, embeddings=use_embeddings, dry_run=True)
    assert report.added == 2 and report.dry_run
    assert IndexStore(settings).active()["generation"] == before.generation
    assert "test-sheet#shelter" not in clause_ids(settings)


def test_asking_with_another_model_says_to_rebuild(tmp_path, knowledge, use_embeddings):
    settings = make_settings(tmp_path, knowledge)
    ingest(settings, embeddings=use_embeddings)

    class Other:
        model_id = "some-other-model"

    service = AnsweringService(settings, embeddings=Other())
    with pytest.raises(IndexUnavailable, match="--rebuild"):
        service.answer("Hoe lang duurt de bedenktijd?")


def test_no_index_says_to_run_ingest(tmp_path, knowledge, use_embeddings):
    service = AnsweringService(make_settings(tmp_path, knowledge), embeddings=use_embeddings)
    with pytest.raises(IndexUnavailable, match="python ingest.py"):
        service.answer("Hoe lang duurt de bedenktijd?")


@pytest.mark.server
def test_ingest_and_ask_against_chroma_server(tmp_path, knowledge, use_embeddings, chroma_server):
    settings = server_settings(tmp_path, knowledge, chroma_server)
    first = ingest(settings, embeddings=use_embeddings)
    assert first.added == first.clauses
    assert not ingest(settings, embeddings=use_embeddings).changed
    answer = AnsweringService(settings, embeddings=use_embeddings).answer(
        "Que dit la déclaration Benelux des victimes de pays tiers exploitées dans un autre "
        "État membre ?",
    )
    assert answer.grounded and answer.language == "fr"
    assert answer.citations[0].id.startswith(DECLARATION) or any(
        c.id == f"{DECLARATION}#par-8" for c in answer.citations
    )


def run_ingest_cli(capsys, *args: str) -> tuple[int, str, str]:
    """``python ingest.py --quiet ARGS`` in this process: (exit status, stdout, stderr)."""
    status = ingest_cli.main(["--quiet", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_ingest_cli_summary_and_errors(tmp_path, monkeypatch, capsys, use_embeddings):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    shutil.copy(DECLARATION_FILE, knowledge)
    (knowledge / "sheet.en.md").write_text(FACTSHEET, encoding="utf-8")
    process_env(monkeypatch, tmp_path, CHROMA_PATH=str(tmp_path / "chroma"),
                KNOWLEDGE_DIR=str(knowledge), SOURCES_MIRROR="")
    status, out, err = run_ingest_cli(capsys)
    assert status == 0, err
    assert "added" in out and "clauses" in out
    assert "review due" in out  # the 2019 declaration is older than two years

    (knowledge / "bad.md").write_text(FACTSHEET.replace("2026-01-01", "01/01/2026"))
    status, _, err = run_ingest_cli(capsys)
    assert status == 1
    assert "bad.md" in err and "version_date" in err
    assert "not changed" in err

    status, _, err = run_ingest_cli(capsys, "--knowledge-dir", str(tmp_path / "nowhere"))
    assert status == 1 and "folder not found" in err


def test_broken_glossary_stops_the_ingest(tmp_path, knowledge, use_embeddings):
    settings = make_settings(tmp_path, knowledge)
    (knowledge / "glossary.yaml").write_text("families:\n  - nl: [bedenktijd\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="glossary.yaml"):
        ingest(settings, embeddings=use_embeddings)
    assert IndexStore(settings).active() is None
