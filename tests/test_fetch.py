from __future__ import annotations

import datetime as dt
import html
import io
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.errors import KnowledgeError
from bot.knowledge.documents import load_knowledge, split_front_matter
from bot.knowledge.fetch import FetchFailure, fetch_sources, load_manifest
from tests.conftest import CORPUS, free_port
from tests.loopback import LoopbackServer, Request

CORPUS_MD = CORPUS / "lu-rgd-2014-03-10-comite-suivi.fr.md"
TIMEOUT_S = 0.5

Route = tuple[int, str, bytes]
"""Status, content type (or Location of a 3xx), body; status 0 answers only after a delay."""


class Server(LoopbackServer):
    """A loopback HTTP server whose routes the test sets."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[], Route]] = {}
        self.release = threading.Event()
        super().__init__(self._get)

    def _get(self, request: Request) -> None:
        route = self.routes.get(request.path)
        if route is None:
            status, ctype, body = 404, "text/plain", b"not found"
        elif callable(route):
            status, ctype, body = route()
        else:
            status, ctype, body = route
        if status == 0:  # the "slow" route: hold the answer past the client timeout
            self.release.wait(10)
            status = 200
        request.reply(status, body, {"Location" if 300 <= status < 400 else "Content-Type": ctype})

    def close(self) -> None:
        self.release.set()
        super().close()


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as srv:
        yield srv


@pytest.fixture
def corpus_md() -> Path:
    if not CORPUS_MD.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS_MD


def entry(doc_id: str, url: str, fmt: str, **extra: object) -> dict:
    return {
        "id": doc_id,
        "title": f"Title of {doc_id}",
        "short_title": doc_id.upper(),
        "jurisdiction": "LU",
        "language": "fr",
        "kind": "regulation",
        "version_date": "2020-08-25",
        "url": url,
        "format": fmt,
        **extra,
    }


def write_manifest(path: Path, sources: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
    return path


def body_paragraphs(md: Path, limit: int = 30) -> list[str]:
    _, body = split_front_matter(md.read_text(encoding="utf-8"), md)
    return [p.strip() for p in body.split("\n\n") if p.strip()][:limit]


def render_html(paragraphs: list[str]) -> bytes:
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body>",
             "<nav>Accueil | Recherche</nav><main>"]
    for text in paragraphs:
        tag = "h3" if text.startswith("Art.") else "p"
        parts.append(f"<{tag}>{html.escape(text)}</{tag}>")
    parts.append("</main><footer>Legilux</footer></body></html>")
    return "\n".join(parts).encode("utf-8")


def render_pdf(paragraphs: list[str]) -> bytes:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["BodyText"]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph(html.escape(t), style) for t in paragraphs])
    return buffer.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --------------------------------------------------------------------------- fetch


def test_fetch_good_and_failing_sources(
    tmp_path: Path, server: Server, corpus_md: Path
) -> None:
    paragraphs = body_paragraphs(corpus_md)
    # The corpus file is read from its place at request time, never copied into the repo.
    server.routes["/rgd.md"] = lambda: (200, "text/markdown", corpus_md.read_bytes())
    server.routes["/plain.txt"] = (200, "text/plain", "\n\n".join(paragraphs).encode())
    server.routes["/rgd.html"] = (200, "text/html; charset=utf-8", render_html(paragraphs))
    server.routes["/rgd.pdf"] = (200, "application/pdf", render_pdf(paragraphs))
    server.routes["/slow.pdf"] = (0, "application/pdf", render_pdf(paragraphs))
    server.routes["/corrupt.pdf"] = (200, "application/pdf", os.urandom(4096))
    url = server.url
    manifest = write_manifest(tmp_path / "sources.yaml", [
        entry("lu-rgd-2014-03-10-comite-suivi", f"{url}/rgd.md", "md"),
        entry("lu-rgd-txt", f"{url}/plain.txt", "txt", reuse="CC-BY"),
        entry("lu-rgd-html", f"{url}/rgd.html", "html"),
        entry("lu-rgd-pdf", f"{url}/rgd.pdf", "pdf"),
        entry("lu-missing", f"{url}/missing.html", "html"),
        entry("lu-slow", f"{url}/slow.pdf", "pdf"),
        entry("lu-corrupt", f"{url}/corrupt.pdf", "pdf"),
    ])
    cache = tmp_path / "cache"
    cache.mkdir()
    # An older good copy of a source that now fails must survive the run untouched.
    (cache / "lu-corrupt.pdf").write_bytes(render_pdf(["Art. 1er.", "Ancienne version."]))
    (cache / "lu-corrupt.pdf.meta.yaml").write_text(yaml.safe_dump(
        {**{k: v for k, v in entry("lu-corrupt", f"{url}/corrupt.pdf", "pdf").items()
            if k not in ("url", "format")}, "source_url": f"{url}/corrupt.pdf"}
    ), encoding="utf-8")
    before = snapshot(cache)

    report = fetch_sources(manifest, cache, TIMEOUT_S)

    assert report.fetched == [
        "lu-rgd-2014-03-10-comite-suivi", "lu-rgd-txt", "lu-rgd-html", "lu-rgd-pdf",
    ]
    failed = {f.id: f for f in report.failed}
    assert set(failed) == {"lu-missing", "lu-slow", "lu-corrupt"}
    assert failed["lu-missing"] == FetchFailure("lu-missing", f"{url}/missing.html",
                                                "HTTP 404 Not Found")
    assert "timed out" in failed["lu-slow"].reason
    assert failed["lu-slow"].url == f"{url}/slow.pdf"
    assert "cannot read PDF" in failed["lu-corrupt"].reason
    assert report.kept_previous == ["lu-corrupt"]
    assert not report.ok
    assert any("lu-corrupt" in line and "previous copy kept" in line for line in report.lines())

    after = snapshot(cache)
    for name in ("lu-corrupt.pdf", "lu-corrupt.pdf.meta.yaml"):
        assert after[name] == before[name]
    assert not any(name.startswith(("lu-missing", "lu-slow")) for name in after)
    assert not any(name.startswith(".") for name in after)  # no temporary files left

    # The Markdown download already had front matter: kept byte for byte.
    assert after["lu-rgd-2014-03-10-comite-suivi.md"] == corpus_md.read_bytes()
    sidecar = yaml.safe_load(after["lu-rgd-pdf.pdf.meta.yaml"])
    assert sidecar["source_url"] == f"{url}/rgd.pdf"
    assert sidecar["short_title"] == "LU-RGD-PDF"
    assert "fetched" in sidecar

    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    documents = {d.meta.id: d for d in load_knowledge(knowledge, extra_dirs=[cache])}
    assert set(documents) == {
        "lu-rgd-2014-03-10-comite-suivi", "lu-rgd-txt", "lu-rgd-html", "lu-rgd-pdf",
        "lu-corrupt",
    }
    assert "Ancienne version." in documents["lu-corrupt"].text
    assert "### Art. 1er." in documents["lu-rgd-html"].text
    assert "Accueil" not in documents["lu-rgd-html"].text
    assert "Art. 1er." in documents["lu-rgd-pdf"].text.splitlines()
    assert "Comité" in documents["lu-rgd-pdf"].text
    txt = documents["lu-rgd-txt"]
    assert txt.meta.path == "lu-rgd-txt.txt"
    assert ("reuse", "CC-BY") in txt.meta.provenance
    assert any(key == "fetched" for key, _ in txt.meta.provenance)
    assert txt.text.lstrip().startswith(paragraphs[0])


def test_failures_keep_cache_without_corpus(tmp_path: Path, server: Server) -> None:
    server.routes["/bad.pdf"] = (200, "application/pdf", b"%PDF-1.7\n" + os.urandom(2048))
    server.routes["/empty.html"] = (200, "text/html", b"<html><body><nav>x</nav></body></html>")
    server.routes["/page"] = (200, "text/html", b"<!DOCTYPE html><html><p>x</p></html>")
    url = server.url
    manifest = write_manifest(tmp_path / "sources.yaml", [
        entry("a-bad", f"{url}/bad.pdf", "pdf"),
        entry("b-empty", f"{url}/empty.html", "html"),
        entry("c-html-as-md", f"{url}/page", "md"),
        # A port just released on the loopback refuses connections: an error, not a hang.
        entry("d-refused", f"http://127.0.0.1:{free_port()}/x.html", "html"),
    ])
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "b-empty.html").write_text("<p>Old text</p>", encoding="utf-8")
    before = snapshot(cache)

    report = fetch_sources(manifest, cache, TIMEOUT_S)

    assert report.fetched == []
    reasons = {f.id: f.reason for f in report.failed}
    assert "cannot read PDF" in reasons["a-bad"]
    assert "empty document body" in reasons["b-empty"]
    assert "HTML page" in reasons["c-html-as-md"]
    assert "download failed" in reasons["d-refused"]
    assert report.kept_previous == ["b-empty"]
    assert snapshot(cache) == before


def test_format_change_replaces_old_copy(tmp_path: Path, server: Server) -> None:
    server.routes["/doc.html"] = (200, "text/html", b"<h2>Art. 1.</h2><p>Nouveau.</p>")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "lu-doc.pdf").write_bytes(b"%PDF old")
    (cache / "lu-doc.pdf.meta.yaml").write_text("id: lu-doc\n", encoding="utf-8")
    manifest = write_manifest(tmp_path / "sources.yaml",
                              [entry("lu-doc", f"{server.url}/doc.html", "html")])

    report = fetch_sources(manifest, cache, TIMEOUT_S)

    assert report.fetched == ["lu-doc"]
    assert sorted(p.name for p in cache.iterdir()) == ["lu-doc.html", "lu-doc.html.meta.yaml"]


def test_source_removed_from_manifest_leaves_the_cache(tmp_path: Path, server: Server) -> None:
    server.routes["/a.html"] = (200, "text/html", b"<h2>Art. 1.</h2><p>Un.</p>")
    server.routes["/b.html"] = (200, "text/html", b"<h2>Art. 1.</h2><p>Deux.</p>")
    cache = tmp_path / "cache"
    both = [entry("lu-a", f"{server.url}/a.html", "html"),
            entry("lu-b", f"{server.url}/b.html", "html")]
    fetch_sources(write_manifest(tmp_path / "sources.yaml", both), cache, TIMEOUT_S)

    report = fetch_sources(write_manifest(tmp_path / "sources.yaml", both[:1]), cache, TIMEOUT_S)

    assert report.retired == ["lu-b"]
    assert sorted(p.name for p in cache.iterdir()) == ["lu-a.html", "lu-a.html.meta.yaml"]
    assert any("retired lu-b" in line for line in report.lines())


def test_redirect_followed_with_given_client(tmp_path: Path, server: Server) -> None:
    server.routes["/final.txt"] = (200, "text/plain", b"Artikel 1\n\nTekst.\n")
    server.routes["/old"] = (302, f"{server.url}/final.txt", b"")
    manifest = write_manifest(tmp_path / "sources.yaml",
                              [entry("nl-doc", f"{server.url}/old", "txt", language="nl")])
    with httpx.Client() as client:
        report = fetch_sources(manifest, tmp_path / "cache", TIMEOUT_S, client=client)
    assert report.fetched == ["nl-doc"]
    text = (tmp_path / "cache" / "nl-doc.txt").read_text(encoding="utf-8")
    assert text.startswith("---\nid: nl-doc\n")
    assert text.endswith("\n\nArtikel 1\n\nTekst.\n")


# --------------------------------------------------------------------------- manifest


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"url": None}, "url", "missing"),
        ({"title": None}, "title", "missing"),
        ({"format": "exe"}, "format", "must be one of"),
        ({"version_date": "12/06/2026"}, "version_date", "YYYY-MM-DD"),
        ({"url": "file:///etc/passwd"}, "url", "http"),
    ],
)
def test_manifest_errors_name_file_entry_and_field(
    tmp_path: Path, change: dict, field: str, words: str
) -> None:
    good = entry("lu-good", "https://example.org/a", "html")
    bad = {k: v for k, v in {**entry("lu-bad", "https://example.org/b", "pdf"),
                              **change}.items() if v is not None}
    manifest = write_manifest(tmp_path / "sources.yaml", [good, bad])
    with pytest.raises(KnowledgeError) as info:
        load_manifest(manifest)
    message = str(info.value)
    assert "sources.yaml" in message
    assert "sources[1] (lu-bad)" in message
    assert info.value.field == field
    assert words in message


def test_manifest_duplicate_and_missing(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "sources.yaml", [
        entry("lu-a", "https://example.org/a", "html"),
        entry("lu-a", "https://example.org/b", "html"),
    ])
    with pytest.raises(KnowledgeError, match=r"sources\[1\].*duplicate"):
        load_manifest(manifest)
    with pytest.raises(KnowledgeError, match="file not found"):
        load_manifest(tmp_path / "nope.yaml")


def test_invalid_manifest_downloads_nothing(tmp_path: Path, server: Server) -> None:
    hits: list[str] = []

    def route() -> tuple[int, str, bytes]:
        hits.append("x")
        return 200, "text/plain", b"text"

    server.routes["/a.txt"] = route
    bad = entry("lu-b", f"{server.url}/a.txt", "txt")
    del bad["kind"]
    manifest = write_manifest(tmp_path / "sources.yaml",
                              [entry("lu-a", f"{server.url}/a.txt", "txt"), bad])
    with pytest.raises(KnowledgeError, match="kind"):
        fetch_sources(manifest, tmp_path / "cache", TIMEOUT_S)
    assert hits == []


def test_a_current_text_gets_the_version_date_the_site_shows(tmp_path: Path, server: Server):
    page = ["Vreemdelingenbesluit 2000", "Geldend van 01-07-2025 t/m heden",
            "Artikel 3.48", "1. Een verblijfsvergunning kan worden verleend."]
    server.routes["/vb.html"] = (200, "text/html; charset=utf-8", render_html(page))
    server.routes["/undated.html"] = (200, "text/html; charset=utf-8", render_html(page[2:]))
    manifest = write_manifest(tmp_path / "sources.yaml", [
        entry("nl-vb", f"{server.url}/vb.html", "html", current=True, version_date="2026-11-30"),
        entry("nl-undated", f"{server.url}/undated.html", "html", current=True),
        entry("nl-fixed", f"{server.url}/vb.html", "html"),
    ])
    cache = tmp_path / "cache"
    report = fetch_sources(manifest, cache, TIMEOUT_S)
    assert report.ok
    dates = {d.meta.id: d.meta.version_date.isoformat() for d in load_knowledge(cache)}
    assert dates["nl-vb"] == "2025-07-01"  # what the site shows, not the manifest's placeholder
    assert dates["nl-undated"] == dt.date.today().isoformat()  # the site shows none
    assert dates["nl-fixed"] == "2020-08-25"  # a fixed version keeps the manifest's date
