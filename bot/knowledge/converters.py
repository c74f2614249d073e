"""Converters: the plain text of a PDF, Word, HTML, Markdown or text file.

They keep the structure a clause splitter relies on: one heading per line (``Art. 93.``,
``Artikel 8``, ``## Heading``) and paragraphs separated by blank lines.
"""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path

from bot.errors import KnowledgeError

TEXT_SUFFIXES = (".md", ".txt")
"""Documents that carry their metadata as front matter."""


def extract_text(data: bytes, suffix: str, path: Path | str) -> str:
    """Convert the bytes of a PDF, DOCX, HTML, Markdown or text file to plain text.

    Args:
        data: The file contents.
        suffix: The file type, e.g. ``.pdf`` (with or without the dot, any case).
        path: The file, for error messages.

    Returns:
        Plain text with headings on their own lines and paragraphs separated by blank
        lines. Markdown/text is returned whole (front matter included), only with Unix
        line endings.

    Raises:
        KnowledgeError: When the file cannot be read or gives no text.
    """
    suffix = "." + suffix.lower().lstrip(".")
    if suffix == ".pdf":
        text = _pdf_text(data, path)
        if not text.strip():
            raise KnowledgeError(
                path, "PDF has no extractable text (a scanned image? provide a text PDF)"
            )
        return text
    if suffix == ".docx":
        text = _docx_text(data, path)
    elif suffix in (".html", ".htm"):
        text = _html_text(data)
    elif suffix in TEXT_SUFFIXES:
        text = normalise_newlines(decode(data, path))
    else:
        raise KnowledgeError(path, f"not a knowledge document type ({suffix})")
    if not text.strip():
        raise KnowledgeError(path, "empty document body (no text found)")
    return text


def _pdf_text(data: bytes, path: Path | str) -> str:
    import pypdf  # Imported here: only ingest needs it, the bot starts faster without.

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise KnowledgeError(path, "cannot read PDF: it is encrypted with a password")
        pages = [_clean_pdf_page(page.extract_text() or "") for page in reader.pages]
    except KnowledgeError:
        raise
    except Exception as exc:  # pypdf raises many exception types on corrupt files
        raise KnowledgeError(path, f"cannot read PDF: {exc or type(exc).__name__}") from exc
    text = "\n\n".join(page for page in pages if page)
    # A word broken at a line end ("protec-\ntion") is joined only between two lowercase
    # letters, so "Art. 61-\n2" or "EU-\nRichtlijn" keep their hyphen.
    text = re.sub(r"(?<=[a-zà-öø-ÿß])-\n(?=[a-zà-öø-ÿß])", "", text)
    # PDF text has no blank lines between paragraphs; a blank line before each heading line
    # lets the clause splitter see where an article or chapter starts.
    text = _PDF_HEADING_RE.sub(lambda m: "\n\n" + m.group(1), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


_PDF_HEADING_RE = re.compile(
    r"\n(?=\S)("
    r"(?:Art\.?|Artikel|Article|Artículo)\s+\d+[a-z]*(?:[/.-]\d+)*"
    r"(?:er|bis|ter|quater|quinquies)?\.?[ \t]*"
    r"|(?:Chapitre|Chapter|Hoofdstuk|Kapitel|Titre|Titel|Title|Section|Afdeling|Abschnitt|Partie"
    r"|Part|Deel)\s+(?:\d+|[IVXLC]+)\b[^\n]{0,80}"
    r")$",
    re.M,
)


def _clean_pdf_page(text: str) -> str:
    lines = [line.rstrip() for line in normalise_newlines(text).split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    # Bare page numbers at the top or bottom of a page would become stray "paragraphs".
    if lines and lines[-1].strip().isdigit():
        lines.pop()
    if lines and lines[0].strip().isdigit():
        lines.pop(0)
    return "\n".join(lines)


def _docx_text(data: bytes, path: Path | str) -> str:
    import docx  # Imported here: only ingest needs it.
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zip, XML and package errors alike
        raise KnowledgeError(path, f"cannot read DOCX: {exc or type(exc).__name__}") from exc
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_docx_table_rows(item))
            continue
        text = item.text.strip()
        if not text:
            continue
        level = _heading_level(item.style.name if item.style is not None else "")
        blocks.append(f"{'#' * level} {' '.join(text.split())}" if level else text)
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _docx_table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            # Merged cells are returned once per grid column; keep one copy.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _heading_level(style_name: str) -> int:
    name = style_name.strip().lower()
    if name == "title":
        return 1
    match = re.fullmatch(r"heading\s*(\d)", name)
    return min(int(match.group(1)), 6) if match else 0


_HTML_DROP = ("script", "style", "nav", "header", "footer", "noscript", "template", "head")
_HTML_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_HTML_BLOCKS = frozenset({
    "p", "li", "div", "section", "article", "main", "aside", "blockquote", "ul", "ol", "dl",
    "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "pre", "figure",
    "figcaption", "address", "body", "html", "form", "fieldset", "caption", "hr",
})


def _html_text(data: bytes) -> str:
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    # Bytes let BeautifulSoup honour the page's <meta charset>.
    soup = BeautifulSoup(data, "html.parser")
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    blocks: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        lines = [" ".join(line.split()) for line in "".join(inline).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)
        inline.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                # Source line breaks are layout, not text; only <br> breaks a line.
                inline.append(re.sub(r"\s+", " ", str(child)))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name in _HTML_HEADINGS:
                    flush()
                    heading = " ".join(child.get_text(" ").split())
                    if heading:
                        blocks.append(f"{'#' * _HTML_HEADINGS[name]} {heading}")
                elif name == "br":
                    inline.append("\n")
                elif name in _HTML_BLOCKS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(soup)
    flush()
    return "\n\n".join(blocks) + ("\n" if blocks else "")


# --------------------------------------------------------------------------- helpers


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; anything else is a ``KnowledgeError`` naming it.

    A FIFO, device or socket is refused without being read: reading one would hang the
    ingest or never end.
    """
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise block before fstat.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise KnowledgeError(path, f"cannot read file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise KnowledgeError(path, NOT_REGULAR)
        try:
            return file.read()
        except OSError as exc:
            raise KnowledgeError(path, f"cannot read file: {exc.strerror or exc}") from exc


NOT_REGULAR = "not a regular file (a FIFO, device or socket): not read"


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` is (a link to) a regular file; never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 text (a BOM is dropped); anything else is a ``KnowledgeError`` naming the file."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def normalise_newlines(text: str) -> str:
    """Unix line endings."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
