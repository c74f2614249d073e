"""Reading knowledge documents: discovery and metadata validation (text: ``converters``).

A knowledge document is either a Markdown / plain-text file that starts with YAML front
matter, or a PDF, DOCX or HTML file with a sidecar ``<file name>.meta.yaml`` beside it.
Every problem raises :class:`bot.errors.KnowledgeError` naming the file and the field, so a
maintainer can fix the knowledge folder without reading a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.bounded_yaml import METADATA_LIMITS, YamlLimits, YamlTooBig, load_bounded
from bot.knowledge.converters import (
    NOT_REGULAR,
    TEXT_SUFFIXES,
    decode,
    extract_text,
    is_regular_file,
    normalise_newlines,
    read_bytes,
)
from bot.models import Document, DocumentMeta
from bot.reference.jurisdictions import CANONICAL

"""Documents whose metadata is YAML front matter."""

SIDECAR_SUFFIXES = (".pdf", ".docx", ".html", ".htm")
"""Documents whose metadata is a ``<file name>.meta.yaml`` sidecar."""

SIDECAR_SUFFIX = ".meta.yaml"

REQUIRED_FIELDS = (
    "id", "title", "jurisdiction", "language", "kind", "version_date", "source_url",
)
_OPTIONAL_FIELDS = ("short_title", "translation_of", "checked")

_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")
_JURISDICTION_RE = re.compile(r"[A-Za-z]{2,10}")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_KIND_RE = re.compile(r"\w[\w-]*")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)

log = logging.getLogger(__name__)


class _MetaLoader(yaml.SafeLoader):
    """Safe YAML loader tuned for metadata written by hand.

    Dates stay strings so that a bad ``version_date`` (``2019-02-30``) becomes a field error
    instead of a crash inside the YAML library, and only ``true``/``false`` are booleans so
    that ``language: no`` or ``jurisdiction: NO`` keep their meaning (YAML 1.1 reads them as
    False).
    """


_MetaLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp) for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MetaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


# --------------------------------------------------------------------------- discovery


def discover(knowledge_dir: Path) -> list[Path]:
    """List the knowledge documents under a folder, walking subfolders.

    Args:
        knowledge_dir: Folder to walk.

    Returns:
        Paths of ``.md``/``.txt``/``.pdf``/``.docx``/``.html``/``.htm`` files, sorted by
        their path relative to ``knowledge_dir``. ``README`` files, hidden files and folders,
        sidecars (``*.meta.yaml``) and other files (``glossary.yaml``, ``sources.yaml``, …)
        are left out. Markdown files without front matter and PDFs without a sidecar are
        listed on purpose, so that :func:`load_document` reports them instead of dropping
        them silently.
    """
    root = Path(knowledge_dir)
    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(root):
        # Pruning in place stops os.walk from entering hidden folders (.git, .cache).
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if _is_document_name(name):
                found.append(Path(folder) / name)
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _is_document_name(name: str) -> bool:
    lower = name.lower()
    if name.startswith(".") or lower.endswith(SIDECAR_SUFFIX):
        return False
    suffix = os.path.splitext(lower)[1]
    if suffix in TEXT_SUFFIXES:
        return os.path.splitext(lower)[0] != "readme"
    return suffix in SIDECAR_SUFFIXES


def sidecar_path(path: Path) -> Path:
    """The sidecar metadata file of a PDF, DOCX or HTML document (``<name>.meta.yaml``)."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


# --------------------------------------------------------------------------- loading


def load_document(path: Path, root: Path | None = None) -> Document:
    """Read one knowledge document: validate its metadata and convert its text.

    Args:
        path: The document file.
        root: Folder the document was found in; ``DocumentMeta.path`` is then the path
            relative to it (posix), else the path as given.

    Returns:
        The document with validated metadata and plain text.

    Raises:
        KnowledgeError: Naming the file (the sidecar for metadata problems of a PDF, DOCX or
            HTML file) and the field: missing or unparsable front matter, missing or badly
            formatted field, missing sidecar, unreadable or empty document.
    """
    path = Path(path)
    rel = path.relative_to(root).as_posix() if root is not None else path.as_posix()
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = decode(read_bytes(path), path)
        data, body = split_front_matter(text, path)
        meta = parse_meta(data, path, rel)
        if not body.strip():
            raise KnowledgeError(path, "empty document body (nothing after the front matter)")
        return Document(meta=meta, text=body)
    if suffix in SIDECAR_SUFFIXES:
        sidecar = sidecar_path(path)
        if not sidecar.exists():
            raise KnowledgeError(
                path, f"missing sidecar metadata file '{sidecar.name}' beside the document"
            )
        data = load_yaml_mapping(decode(read_bytes(sidecar), sidecar), sidecar)
        meta = parse_meta(data, sidecar, rel)
        return Document(meta=meta, text=extract_text(read_bytes(path), suffix, path))
    raise KnowledgeError(path, f"not a knowledge document type ({suffix or 'no extension'})")


def load_knowledge(knowledge_dir: Path, extra_dirs: Iterable[Path] = ()) -> list[Document]:
    """Load every document of the knowledge folder and of extra folders.

    All files are read and validated before anything is returned, so a caller that
    replaces its index only on success changes nothing when one file is wrong.

    Args:
        knowledge_dir: The knowledge folder (must exist).
        extra_dirs: More folders, e.g. the ``--fetch`` cache; a missing extra folder is
            skipped because the cache does not exist before the first fetch.

    Returns:
        The documents, knowledge folder first, each folder in :func:`discover` order.

    Raises:
        KnowledgeError: For the first invalid file, for a missing knowledge folder
            ("folder not found"), or for two files with the same ``id`` in one folder
            (naming both). Across folders the earlier folder wins: a document maintained
            in the knowledge folder over a downloaded copy, a download over a mirror copy.
    """
    knowledge_dir = Path(knowledge_dir)
    if not knowledge_dir.is_dir():
        raise KnowledgeError(knowledge_dir, "folder not found")
    roots = [knowledge_dir, *(Path(d) for d in extra_dirs if Path(d).is_dir())]
    documents: list[Document] = []
    seen: dict[str, Path] = {}
    loaded: set[Path] = set()
    for root in roots:
        for path in discover(root):
            # A cache folder placed inside the knowledge folder is walked twice; a file is
            # still one document.
            if path.resolve() in loaded:
                continue
            loaded.add(path.resolve())
            if not is_regular_file(path):
                # A FIFO named x.md would hang the ingest; a device would never end.
                log.warning("%s: %s, skipped", path, NOT_REGULAR)
                continue
            document = load_document(path, root)
            first = seen.get(document.meta.id)
            if first is not None and not first.is_relative_to(root):
                log.info("%s: id %s already loaded from %s, skipped", path, document.meta.id,
                         first)
                continue
            if first is not None:
                raise KnowledgeError(
                    path, f"duplicate document id '{document.meta.id}': also used by {first}",
                    "id",
                )
            seen[document.meta.id] = path
            documents.append(document)
    return documents


def due_for_review(meta: DocumentMeta, today: dt.date, max_age_days: int) -> bool:
    """True when the document's version is older than ``max_age_days`` on ``today``."""
    return (today - meta.version_date).days > max_age_days


# --------------------------------------------------------------------------- metadata


def split_front_matter(text: str, path: Path | str) -> tuple[dict, str]:
    """Split a Markdown/text document into its front matter mapping and its body.

    Args:
        text: The whole file text (any line endings).
        path: The file, for error messages.

    Returns:
        The front matter as a mapping (not yet validated) and the body with Unix line
        endings.

    Raises:
        KnowledgeError: When the front matter is missing, not closed or not valid YAML.
    """
    text = normalise_newlines(text)
    if not re.match(r"---[ \t]*(?:\n|\Z)", text):
        raise KnowledgeError(
            path, "missing YAML front matter (the file must start with a '---' line)"
        )
    match = _FRONT_MATTER_RE.match(text)
    if match is None:
        raise KnowledgeError(path, "front matter is not closed by a '---' line")
    # Line 1 of the file is the opening '---', so YAML line 0 is file line 2.
    data = load_yaml_mapping(match.group(1), path, first_line=2)
    return data, text[match.end():]


def load_yaml_mapping(
    text: str, path: Path | str, first_line: int = 1, limits: YamlLimits = METADATA_LIMITS
) -> dict:
    """Parse YAML metadata (front matter or sidecar) into a mapping.

    Args:
        text: The YAML text.
        path: The file, for error messages.
        first_line: File line number of the first YAML line, so errors point at the file.
        limits: Size and alias-expansion limits (a few dozen fields for metadata).

    Returns:
        The mapping; an empty document gives an empty mapping.

    Raises:
        KnowledgeError: When the YAML does not parse, is over ``limits`` or is not a mapping.
    """
    try:
        # A SafeLoader subclass: no arbitrary objects; bounded: no alias bombs.
        data = load_bounded(text, _MetaLoader, limits)
    except YamlTooBig as exc:
        raise KnowledgeError(path, str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f" at line {mark.line + first_line}" if mark is not None else ""
        raise KnowledgeError(path, f"unparsable YAML{where}: {problem}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeError(path, "metadata must be a YAML mapping of 'field: value' lines")
    return data


def parse_meta(data: Mapping, path: Path | str, rel_path: str = "") -> DocumentMeta:
    """Validate a metadata mapping and build the document metadata.

    Args:
        data: Front matter or sidecar mapping.
        path: The file holding the metadata, for error messages.
        rel_path: Value of ``DocumentMeta.path``.

    Returns:
        The metadata; fields other than the known ones are kept as sorted ``provenance``.

    Raises:
        KnowledgeError: Naming the file and the missing or badly formatted field.
    """
    values = {name: _required(data, name, path) for name in REQUIRED_FIELDS}
    doc_id = _text(values["id"], "id", path)
    if not _ID_RE.fullmatch(doc_id):
        raise KnowledgeError(
            path, f"must be a slug of lowercase letters, digits, '-', '_' or '.' (got {doc_id!r})",
            "id",
        )
    short_title = data.get("short_title")
    provenance = tuple(sorted(
        (str(key), _provenance_value(value))
        for key, value in data.items()
        if key not in REQUIRED_FIELDS and key not in _OPTIONAL_FIELDS
    ))
    return DocumentMeta(
        id=doc_id,
        title=_text(values["title"], "title", path),
        jurisdiction=_jurisdiction(values["jurisdiction"], path),
        language=_language(values["language"], path),
        kind=_kind(values["kind"], path),
        version_date=_date(values["version_date"], path),
        source_url=_url(values["source_url"], path),
        short_title=_text(short_title, "short_title", path) if short_title is not None else "",
        path=rel_path,
        provenance=provenance,
        translation_of=_translation_of(data.get("translation_of"), doc_id, path),
        checked=_date(data["checked"], path, "checked") if data.get("checked") else None,
    )


def _translation_of(value: object, doc_id: str, path: Path | str) -> str:
    if value is None:
        return ""
    original = _text(value, "translation_of", path)
    if not _ID_RE.fullmatch(original) or original == doc_id:
        raise KnowledgeError(path, f"must be the id of another document (got {original!r})",
                             "translation_of")
    return original


def _required(data: Mapping, name: str, path: Path | str) -> object:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise KnowledgeError(path, "missing required field", name)
    return value


def _text(value: object, name: str, path: Path | str) -> str:
    # Numbers are accepted because YAML turns an unquoted title like "2004" into an int.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise KnowledgeError(path, f"must be text (got {type(value).__name__})", name)
    text = str(value).strip()
    if not text and name != "short_title":
        raise KnowledgeError(path, "missing required field", name)
    return text


def _jurisdiction(value: object, path: Path | str) -> str:
    if isinstance(value, bool):
        raise KnowledgeError(path, "must be a code of 2-10 letters (quote it)", "jurisdiction")
    code = str(value).strip()
    if not _JURISDICTION_RE.fullmatch(code):
        raise KnowledgeError(
            path, f"must be a code of 2-10 letters such as BE, NL, LU, EU, BENELUX or CoE "
            f"(got {code!r})", "jurisdiction",
        )
    return CANONICAL.get(code.upper(), code)


def _language(value: object, path: Path | str) -> str:
    code = str(value).strip().lower() if not isinstance(value, bool) else ""
    if not _LANGUAGE_RE.fullmatch(code):
        raise KnowledgeError(
            path, f"must be an ISO 639-1 code of two lowercase letters such as nl or fr "
            f"(got {value!r})", "language",
        )
    return code


def _kind(value: object, path: Path | str) -> str:
    kind = str(value).strip() if isinstance(value, str) else ""
    if not _KIND_RE.fullmatch(kind):
        raise KnowledgeError(
            path, f"must be one word such as statute, directive or guide (got {value!r})", "kind"
        )
    return kind


def _date(value: object, path: Path | str, field: str = "version_date") -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not _DATE_RE.fullmatch(text):
        raise KnowledgeError(path, f"must be a date YYYY-MM-DD (got {text!r})", field)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise KnowledgeError(path, f"must be a date YYYY-MM-DD ({text!r}: {exc})", field) from exc


def _url(value: object, path: Path | str) -> str:
    url = str(value).strip() if isinstance(value, str) else ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise KnowledgeError(
            path, f"must be an http:// or https:// URL (got {value!r})", "source_url"
        )
    return url


def _provenance_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
