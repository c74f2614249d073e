from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge.converters import extract_text
from bot.knowledge.documents import discover, due_for_review, load_document, load_knowledge

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

META = {
    "id": "be-test-doc",
    "title": "Test document",
    "jurisdiction": "BE",
    "language": "fr",
    "kind": "statute",
    "version_date": "2019-12-10",
    "source_url": "https://example.org/doc",
}


def front_matter(**changes: object) -> str:
    meta = {**META, **changes}
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_sidecar(path: Path, **changes: object) -> Path:
    meta = {**META, **changes}
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    return write(path.with_name(path.name + ".meta.yaml"), "\n".join(lines) + "\n")


def error_of(path: Path, root: Path | None = None) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        load_document(path, root)
    return info.value


# --------------------------------------------------------------------------- md / txt


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    body = "# Titre\r\n\r\nArt. 93.\r\nLes victimes sont protégées.\r\n"
    path = write(tmp_path / "be" / "doc.md", front_matter(short_title='"Loi test"') + body)

    document = load_document(path, tmp_path)

    meta = document.meta
    assert meta.id == "be-test-doc"
    assert meta.title == "Test document"
    assert meta.short_title == "Loi test"
    assert meta.jurisdiction == "BE"
    assert meta.language == "fr"
    assert meta.kind == "statute"
    assert meta.version_date == dt.date(2019, 12, 10)
    assert meta.source_url == "https://example.org/doc"
    assert meta.path == "be/doc.md"
    assert meta.provenance == ()
    assert "\r" not in document.text
    assert "Art. 93.\nLes victimes sont protégées." in document.text


def test_txt_document(tmp_path: Path) -> None:
    path = write(tmp_path / "doc.txt", front_matter(id="nl-tekst") + "Artikel 8\n\nTekst.\n")
    document = load_document(path)
    assert document.meta.id == "nl-tekst"
    assert document.meta.path == path.as_posix()
    assert document.text.strip() == "Artikel 8\n\nTekst."


def test_provenance_kept_sorted(tmp_path: Path) -> None:
    text = front_matter(reuse='"CC-BY"', source_repository='"github.com/x/y"', pages=12)
    document = load_document(write(tmp_path / "doc.md", text + "Body.\n"))
    assert document.meta.provenance == (
        ("pages", "12"), ("reuse", "CC-BY"), ("source_repository", "github.com/x/y"),
    )


def test_jurisdiction_and_language_normalised(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.md", front_matter(jurisdiction="benelux") + "x\n"))
    assert doc.meta.jurisdiction == "BENELUX"
    doc = load_document(write(tmp_path / "b.md", front_matter(jurisdiction="CoE") + "x\n"))
    assert doc.meta.jurisdiction == "CoE"
    # YAML 1.1 would read these as False; they must keep their meaning.
    doc = load_document(
        write(tmp_path / "c.md", front_matter(jurisdiction="NO", language="no") + "x\n")
    )
    assert (doc.meta.jurisdiction, doc.meta.language) == ("NO", "no")


def test_yaml_date_object_accepted(tmp_path: Path) -> None:
    # Unquoted and quoted dates both work.
    doc = load_document(write(tmp_path / "a.md", front_matter(version_date='"2020-01-02"') + "x"))
    assert doc.meta.version_date == dt.date(2020, 1, 2)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"jurisdiction": None}, "jurisdiction", "missing"),
        ({"id": None}, "id", "missing"),
        ({"title": '""'}, "title", "missing"),
        ({"version_date": "10/12/2019"}, "version_date", "must be a date YYYY-MM-DD"),
        ({"version_date": "2019-02-30"}, "version_date", "must be a date YYYY-MM-DD"),
        ({"id": "Bad Id"}, "id", "slug"),
        ({"language": "fra"}, "language", "ISO 639-1"),
        ({"jurisdiction": "B1"}, "jurisdiction", "letters"),
        ({"source_url": "ftp://example.org/x"}, "source_url", "http"),
        ({"kind": '"two words"'}, "kind", "one word"),
    ],
)
def test_bad_field_names_file_and_field(
    tmp_path: Path, changes: dict, field: str, words: str
) -> None:
    path = write(tmp_path / "bad.md", front_matter(**changes) + "Body.\n")
    error = error_of(path)
    assert error.field == field
    assert str(path) in str(error)
    assert f"field '{field}'" in str(error)
    assert words in str(error)


def test_missing_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.md", "# Just text\n\nNo metadata.\n")
    error = error_of(path)
    assert str(path) in str(error)
    assert "front matter" in str(error)


def test_unclosed_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "open.md", "---\nid: x\n\nBody\n")
    assert "not closed" in str(error_of(path))


def test_unparsable_yaml_names_line(tmp_path: Path) -> None:
    path = write(tmp_path / "yaml.md", "---\nid: a\ntitle: [unclosed\nkind: x\n---\nBody\n")
    error = error_of(path)
    assert str(path) in str(error)
    assert "unparsable YAML at line" in str(error)


def test_empty_body(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.md", front_matter() + "\n  \n")
    error = error_of(path)
    assert str(path) in str(error)
    assert "empty document body" in str(error)


def test_pdf_without_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "loi.pdf"
    path.write_bytes(make_pdf(["Art. 1.", "Texte."]))
    error = error_of(path)
    assert str(path) in str(error)
    assert "loi.pdf.meta.yaml" in str(error)


def test_sidecar_field_error_names_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<p>Texte</p>", encoding="utf-8")
    write_sidecar(path, version_date="10/12/2019")
    error = error_of(path)
    assert "page.html.meta.yaml" in str(error)
    assert error.field == "version_date"


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    write_sidecar(path)
    error = error_of(path)
    assert str(path) in str(error)
    assert "cannot read PDF" in str(error)


def test_pdf_without_text(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(100, 100, 200, 200)  # a drawing, like a scanned page: no text layer
    pdf.showPage()
    pdf.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    write_sidecar(path)
    assert "no extractable text" in str(error_of(path))


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "one.md", front_matter() + "One.\n")
    second = write(tmp_path / "b" / "two.md", front_matter() + "Two.\n")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    message = str(info.value)
    assert info.value.field == "id"
    assert str(first) in message
    assert str(second) in message


def test_knowledge_folder_wins_over_extra_dir_copy(tmp_path: Path) -> None:
    write(tmp_path / "knowledge" / "one.md", front_matter() + "One.\n")
    write(tmp_path / "cache" / "one.md", front_matter() + "Two.\n")
    documents = load_knowledge(tmp_path / "knowledge", extra_dirs=[tmp_path / "cache"])
    assert [d.text.strip() for d in documents] == ["One."]


def test_duplicate_id_inside_extra_dir(tmp_path: Path) -> None:
    write(tmp_path / "knowledge" / "zero.md", front_matter(id="zero") + "Zero.\n")
    write(tmp_path / "cache" / "one.md", front_matter() + "One.\n")
    write(tmp_path / "cache" / "two.md", front_matter() + "Two.\n")
    with pytest.raises(KnowledgeError, match="duplicate"):
        load_knowledge(tmp_path / "knowledge", extra_dirs=[tmp_path / "cache"])


def test_missing_knowledge_dir(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="folder not found"):
        load_knowledge(tmp_path / "nope")


def test_one_bad_file_fails_the_whole_load(tmp_path: Path) -> None:
    write(tmp_path / "a.md", front_matter(id="good") + "Fine.\n")
    write(tmp_path / "z.md", front_matter(id="bad", language=None) + "Broken.\n")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    assert info.value.field == "language"
    assert "z.md" in str(info.value)


# --------------------------------------------------------------------------- discovery


def test_discover_skips_readme_hidden_sidecars_and_yaml(tmp_path: Path) -> None:
    write(tmp_path / "README.md", "# About this folder\n")
    write(tmp_path / "nl" / "ReadMe.MD", "# Over\n")
    write(tmp_path / "glossary.yaml", "terms: []\n")
    write(tmp_path / "sources.yaml", "sources: []\n")
    write(tmp_path / ".hidden.md", front_matter(id="hidden") + "x\n")
    write(tmp_path / ".cache" / "c.md", front_matter(id="cached") + "x\n")
    write(tmp_path / "notes.json", "{}")
    doc_b = write(tmp_path / "nl" / "b.md", front_matter(id="b") + "x\n")
    doc_a = write(tmp_path / "be" / "deep" / "a.txt", front_matter(id="a") + "x\n")
    doc_top = write(tmp_path / "top.md", front_matter(id="top") + "x\n")
    html = write(tmp_path / "lu" / "page.html", "<p>Texte</p>")
    write_sidecar(html, id="page")

    found = discover(tmp_path)

    assert found == [doc_a, html, doc_b, doc_top]
    ids = [doc.meta.id for doc in load_knowledge(tmp_path)]
    assert ids == ["a", "page", "b", "top"]


def test_discover_lists_pdf_without_sidecar_so_it_is_reported(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert discover(tmp_path) == [tmp_path / "x.pdf"]
    with pytest.raises(KnowledgeError, match="sidecar"):
        load_knowledge(tmp_path)


# --------------------------------------------------------------------------- converters


def make_pdf(paragraphs: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph(text, styles["BodyText"]) for text in paragraphs]
    )
    return buffer.getvalue()


def test_pdf_keeps_article_heading_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "be" / "loi.pdf"
    path.parent.mkdir()
    path.write_bytes(make_pdf([
        "Chapitre 3. Victimes",
        "Art. 93.",
        "Le ministre délivre une autorisation de séjour à la victime qui coopère avec les "
        "autorités, pendant la durée de la procédure pénale, sans condition de ressources "
        "suffisantes, et cette autorisation est renouvelable.",
        "Art. 94.",
        "Deuxième article.",
    ]))
    write_sidecar(path, id="be-loi-pdf", source_note='"test"')

    document = load_document(path, tmp_path)

    lines = [line.strip() for line in document.text.splitlines()]
    assert "Art. 93." in lines
    assert "Art. 94." in lines
    # Headings start a block, so the splitter sees where each article begins.
    assert "\n\nArt. 93.\nLe ministre" in document.text
    assert "autorisation de séjour" in document.text
    assert document.meta.path == "be/loi.pdf"
    assert document.meta.provenance == (("source_note", "test"),)


def test_pdf_hyphenated_line_break_joined() -> None:
    pdf = make_pdf(["Art. 1.<br/>protec-<br/>tion des victimes; EU-<br/>Richtlijn"])
    text = extract_text(pdf, ".pdf", "x.pdf")
    assert "protection des victimes" in text
    assert "EU-\nRichtlijn" in text


def test_docx_heading_becomes_markdown(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Titel", level=1)
    document.add_heading("Hoofdstuk 2 Bescherming", level=2)
    document.add_paragraph("Artikel 8")
    document.add_paragraph("")
    document.add_paragraph("Het slachtoffer krijgt bedenktijd.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Termijn"
    table.cell(0, 1).text = "drie maanden"
    path = tmp_path / "circ.docx"
    document.save(path)
    write_sidecar(path, id="nl-circ", language="nl", jurisdiction="NL")

    text = load_document(path).text

    assert text.startswith("# Titel\n\n## Hoofdstuk 2 Bescherming\n\nArtikel 8\n\n")
    assert "Artikel 8\n\nHet slachtoffer krijgt bedenktijd." in text
    assert "Termijn | drie maanden" in text


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip file")
    write_sidecar(path)
    assert "cannot read DOCX" in str(error_of(path))


def test_html_to_markdown_like_text(tmp_path: Path) -> None:
    html = """<!DOCTYPE html><html><head><title>Ignored</title>
    <style>p { color: red }</style><script>var x = 1;</script></head>
    <body><header>Site header</header><nav><a href="/">Home</a></nav>
    <main><h1>Loi du 8 mai 2009</h1>
    <h2>Art.&nbsp;93.</h2>
    <p>Les victimes
       bénéficient <b>d'un délai</b> de réflexion.</p>
    <div>(1) Pre<i>mier</i>.<br>(2) Second.</div>
    <ul><li>point un</li><li>point deux</li></ul>
    <!-- a comment -->
    </main><footer>Contact</footer></body></html>"""
    path = write(tmp_path / "loi.html", html)
    write_sidecar(path, id="lu-loi-html", jurisdiction="LU")

    text = load_document(path).text

    assert text == (
        "# Loi du 8 mai 2009\n\n## Art. 93.\n\n"
        "Les victimes bénéficient d'un délai de réflexion.\n\n"
        "(1) Premier.\n(2) Second.\n\npoint un\n\npoint deux\n"
    )


def test_empty_html(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.htm", "<html><body><nav>menu</nav></body></html>")
    write_sidecar(path)
    assert "empty document body" in str(error_of(path))


# --------------------------------------------------------------------------- review


def test_due_for_review(tmp_path: Path) -> None:
    meta = load_document(write(tmp_path / "a.md", front_matter() + "x\n")).meta
    limit = meta.version_date + dt.timedelta(days=730)
    assert not due_for_review(meta, limit, 730)
    assert due_for_review(meta, limit + dt.timedelta(days=1), 730)
    assert not due_for_review(meta, dt.date(2020, 1, 1), 730)


# --------------------------------------------------------------------------- shared corpus


def test_shared_corpus_loads() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")

    documents = load_knowledge(CORPUS)

    ids = {doc.meta.id for doc in documents}
    assert {"lu-loi-2008-08-29-immigration", "coe-cets197-en", "coe-cets197-nl",
            "benelux-declaration-2019-trafficking", "nl-vc2000-b8-3"} <= ids
    assert not any(path.name == "README.md" for path in discover(CORPUS))
    by_id = {doc.meta.id: doc for doc in documents}
    lu = by_id["lu-loi-2008-08-29-immigration"]
    assert lu.meta.jurisdiction == "LU"
    assert lu.meta.version_date == dt.date(2026, 6, 12)
    assert dict(lu.meta.provenance)["source_repository"].startswith("github.com/")
    assert by_id["coe-cets197-en"].meta.jurisdiction == "CoE"
    assert "Art. 93." in lu.text
    for doc in documents:
        keys = dict(doc.meta.provenance)
        if doc.meta.id != "benelux-declaration-2019-trafficking":  # it has only a note
            assert "source_repository" in keys, doc.meta.id


def test_extra_dir_inside_knowledge_dir_loaded_once(tmp_path: Path) -> None:
    write(tmp_path / "fetched" / "one.md", front_matter() + "One.\n")
    documents = load_knowledge(tmp_path, extra_dirs=[tmp_path / "fetched", tmp_path / "nope"])
    assert [d.meta.id for d in documents] == ["be-test-doc"]
