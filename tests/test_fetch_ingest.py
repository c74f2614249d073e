"""``python ingest.py --fetch`` end to end: its ``main()``, a loopback server, real Chroma."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

import ingest as ingest_cli
from bot.index.store import IndexStore
from tests.conftest import CORPUS, clause_ids, make_settings, process_env
from tests.loopback import LoopbackServer, Request
from tests.test_ingest import FACTSHEET

CORPUS_MD = CORPUS / "lu-rgd-2014-03-10-comite-suivi.fr.md"
RGD = "lu-rgd-2014-03-10-comite-suivi"


class Server(LoopbackServer):
    """Serves the corpus file at /rgd.md (read in place) until ``down`` is set; else 404."""

    def __init__(self) -> None:
        self.down = False
        self.hits: list[str] = []
        super().__init__(self._get)

    def _get(self, request: Request) -> None:
        self.hits.append(request.path)
        if request.path == "/rgd.md" and not self.down:
            status, body = 200, CORPUS_MD.read_bytes()
        else:
            status, body = 404, b"not found"
        request.reply(status, body, {"Content-Type": "text/markdown; charset=utf-8"})


@pytest.fixture()
def server() -> Iterator[Server]:
    if not CORPUS_MD.is_file():
        pytest.skip(f"shared corpus file not found: {CORPUS_MD}")
    with Server() as srv:
        yield srv


def source(doc_id: str, url: str, **extra: str) -> dict:
    return {"id": doc_id, "title": f"Title of {doc_id}", "jurisdiction": "LU", "language": "fr",
            "kind": "regulation", "version_date": "2020-08-25", "url": url, "format": "md",
            **extra}


@pytest.mark.slow
def test_ingest_fetch_end_to_end(tmp_path: Path, server: Server, monkeypatch, capsys) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "test-sheet.md").write_text(FACTSHEET, encoding="utf-8")
    missing_url = f"{server.url}/missing.md"
    (knowledge / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        source(RGD, f"{server.url}/rgd.md", short_title="RGD du 10 mars 2014 (Comité de suivi)"),
        source("lu-missing", missing_url),
    ]}, allow_unicode=True), encoding="utf-8")
    settings = make_settings(tmp_path, knowledge)
    process_env(monkeypatch, tmp_path, EMBEDDING_BACKEND="use", SOURCES_MIRROR="",
                CHROMA_PATH=str(settings.chroma_path),
                FETCH_CACHE_DIR=str(settings.fetch_cache_dir))

    def run() -> SimpleNamespace:
        """``python ingest.py --fetch --quiet --knowledge-dir …``: exit status and output."""
        returncode = ingest_cli.main(["--fetch", "--quiet", "--knowledge-dir", str(knowledge)])
        captured = capsys.readouterr()
        return SimpleNamespace(returncode=returncode, stdout=captured.out, stderr=captured.err)

    first = run()
    assert first.returncode == 3, first.stderr  # indexed, but one download failed
    assert f"fetched {RGD}" in first.stdout
    # The failed source is named with its URL on stderr; the rest is indexed regardless.
    failed = [line for line in first.stderr.splitlines() if "lu-missing" in line]
    assert len(failed) == 1 and missing_url in failed[0] and "404" in failed[0]
    assert "no previous copy" in failed[0]
    assert "2 documents" in first.stdout and "index changed" in first.stdout
    assert (settings.fetch_cache_dir / f"{RGD}.md").read_bytes() == CORPUS_MD.read_bytes()
    ids = clause_ids(settings)
    assert {f"{RGD}#art-1", "test-sheet#shelter"} <= ids
    assert not any(i.startswith("lu-missing") for i in ids)
    generation = IndexStore(settings).active()["generation"]

    # The official site goes away: the cached copy is kept and stays in the index.
    server.down = True
    second = run()
    assert second.returncode == 3, second.stderr
    assert f"{server.url}/rgd.md" in second.stderr and "previous copy kept" in second.stderr
    assert not any(line.startswith("fetched") for line in second.stdout.splitlines())
    assert "2 documents" in second.stdout and "index unchanged" in second.stdout
    assert (settings.fetch_cache_dir / f"{RGD}.md").read_bytes() == CORPUS_MD.read_bytes()
    assert IndexStore(settings).active()["generation"] == generation
    assert clause_ids(settings) == ids
    assert server.hits.count("/rgd.md") == 2

    # The site is back and the broken entry is dropped from the manifest: a clean run.
    server.down = False
    manifest = knowledge / "sources.yaml"
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))["sources"]
    manifest.write_text(yaml.safe_dump({"sources": [e for e in entries if e["id"] == RGD]},
                                       allow_unicode=True), encoding="utf-8")
    third = run()
    assert third.returncode == 0, third.stderr
    assert f"fetched {RGD}" in third.stdout and "index unchanged" in third.stdout
