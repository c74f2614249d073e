"""``python ingest.py --fetch``: download the official texts listed in ``sources.yaml``.

Each source is downloaded, checked (a PDF must parse and hold text, HTML and Markdown must
give text) and only then written into the cache folder, atomically, together with its
metadata. A failed download never touches the copy cached by an earlier run, so an outage
of one official site does not remove its text from the index. The cache folder is then
loaded with ``load_knowledge(knowledge_dir, extra_dirs=[cache_dir])``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import httpx
import yaml

from bot.errors import KnowledgeError
from bot.knowledge.bounded_yaml import MANIFEST_LIMITS
from bot.knowledge.converters import decode, extract_text, read_bytes
from bot.knowledge.documents import (
    SIDECAR_SUFFIX,
    load_yaml_mapping,
    parse_meta,
    split_front_matter,
)
from bot.reference.dates import dates_in

FORMATS = ("html", "pdf", "md", "txt", "docx")
"""Formats a manifest entry may declare; each is also the cached file's extension."""

MANIFEST_FIELDS = ("id", "title", "jurisdiction", "language", "kind", "version_date", "url",
                   "format")
"""Required fields of a manifest entry (``short_title`` and any others are optional)."""

MAX_BYTES = 64 * 1024 * 1024
"""Largest download accepted; official texts are far smaller, a bigger answer is an error."""

USER_AGENT = "trafficking-protection-bot/0.1 (ingest --fetch of official legal texts)"

# Order of the keys in the written metadata, so cached files read like the hand-written ones.
_META_ORDER = ("id", "title", "short_title", "jurisdiction", "language", "kind",
               "version_date", "source_url")


class FetchFailure(NamedTuple):
    """A source that could not be fetched."""

    id: str
    url: str
    reason: str


@dataclass
class FetchReport:
    """What a fetch run did.

    Attributes:
        fetched: Ids of the sources downloaded and written to the cache.
        failed: Sources that failed, with their URL and the reason.
        kept_previous: Ids of failed sources whose copy from an earlier run is still cached.
        retired: Ids whose cached copy was deleted because the manifest no longer lists them.
    """

    fetched: list[str] = field(default_factory=list)
    failed: list[FetchFailure] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every source was fetched."""
        return not self.failed

    @property
    def unreachable(self) -> bool:
        """True when nothing was fetched and no server answered (offline, not a broken source)."""
        return bool(self.failed) and not self.fetched and not any(
            f.reason.startswith("HTTP") for f in self.failed)

    def lines(self) -> list[str]:
        """Human-readable summary, one line per source outcome."""
        out = [f"fetched {doc_id}" for doc_id in self.fetched]
        out += [f"retired {doc_id} (no longer in the manifest)" for doc_id in self.retired]
        for failure in self.failed:
            kept = (" (previous copy kept)" if failure.id in self.kept_previous
                    else " (no previous copy)")
            out.append(f"FAILED {failure.id} <{failure.url}>: {failure.reason}{kept}")
        return out


@dataclass(frozen=True)
class Source:
    """One validated manifest entry."""

    id: str
    url: str
    format: str
    meta: dict

    @property
    def filename(self) -> str:
        """Name of the cached document file."""
        return f"{self.id}.{self.format}"


class _FetchError(Exception):
    """A source failed; the message is the reason shown in the report."""


def load_manifest(manifest: Path) -> list[Source]:
    """Read and validate ``sources.yaml``.

    Args:
        manifest: The manifest file.

    Returns:
        The sources in manifest order.

    Raises:
        KnowledgeError: Naming the manifest, the entry (index and id) and the field, for a
            missing or unparsable file, a missing or badly formatted field, an unknown
            format or a duplicate id.
    """
    manifest = Path(manifest)
    if not manifest.exists():
        raise KnowledgeError(manifest, "file not found")
    text = decode(read_bytes(manifest), manifest)
    data = load_yaml_mapping(text, manifest, limits=MANIFEST_LIMITS)
    entries = data.get("sources")
    if not isinstance(entries, list):
        raise KnowledgeError(manifest, "must hold a list of sources", "sources")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = f"sources[{index}]"
        if not isinstance(entry, dict):
            raise KnowledgeError(manifest, f"{where}: must be a mapping of 'field: value' lines")
        label = f"{where} ({entry['id']})" if entry.get("id") else where
        for name in MANIFEST_FIELDS:
            value = entry.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise KnowledgeError(manifest, f"{label}: missing required field", name)
        fmt = str(entry["format"]).strip().lower()
        if fmt not in FORMATS:
            raise KnowledgeError(
                manifest, f"{label}: must be one of {', '.join(FORMATS)} (got {fmt!r})", "format"
            )
        meta = {key: entry[key] for key in entry if key not in ("url", "format")}
        meta["source_url"] = entry["url"]
        try:
            checked = parse_meta(meta, manifest)
        except KnowledgeError as exc:
            # The manifest calls the URL field 'url'; report the name the maintainer wrote.
            name = "url" if exc.field == "source_url" else exc.field
            raise KnowledgeError(manifest, f"{label}: {exc.problem}", name) from exc
        if checked.id in seen:
            raise KnowledgeError(
                manifest, f"{label}: duplicate id, also used by sources[{seen[checked.id]}]", "id"
            )
        seen[checked.id] = index
        sources.append(Source(id=checked.id, url=checked.source_url, format=fmt,
                              meta=_sidecar_meta(meta, checked.version_date)))
    return sources


def fetch_sources(
    manifest: Path, cache_dir: Path, timeout_s: float, client: httpx.Client | None = None
) -> FetchReport:
    """Download every source of the manifest into the cache folder.

    The whole manifest is validated before any download. Each source is then downloaded
    (redirects followed, ``timeout_s`` per download), checked, and written atomically with
    its metadata: ``<id>.<format>`` plus ``<id>.<format>.meta.yaml``, or for Markdown/text
    a single ``<id>.md``/``<id>.txt`` with front matter (kept when the download already
    has front matter with the same id). A failure is recorded and the source's previously
    cached files are left untouched; the other sources still proceed.

    Args:
        manifest: ``sources.yaml``.
        cache_dir: Cache folder (created when missing).
        timeout_s: Seconds allowed for one whole download.
        client: HTTP client to use (tests, proxies); one is created and closed otherwise.

    Returns:
        The report of fetched, failed and kept-previous sources.

    Raises:
        KnowledgeError: When the manifest itself is invalid (nothing is downloaded then).
    """
    sources = load_manifest(manifest)
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    report = FetchReport()
    own_client = client is None
    if client is None:
        client = httpx.Client(follow_redirects=True, timeout=timeout_s,
                              headers={"User-Agent": USER_AGENT})
    try:
        for source in sources:
            try:
                data = _download(client, source.url, timeout_s)
                _store(source, data, cache_dir)
            except OSError as exc:
                # A full disk or a read-only cache is the machine's problem, not the source's.
                raise KnowledgeError(cache_dir, f"cannot write the fetch cache: {exc}") from exc
            except _FetchError as exc:
                report.failed.append(FetchFailure(source.id, source.url, str(exc)))
                if _cached_files(cache_dir, source.id):
                    report.kept_previous.append(source.id)
            else:
                report.fetched.append(source.id)
    finally:
        if own_client:
            client.close()
    report.retired = _retire(cache_dir, {source.id for source in sources})
    return report


def _retire(cache_dir: Path, keep: set[str]) -> list[str]:
    """Delete cached copies of sources no longer in the manifest, so they leave the index."""
    retired: set[str] = set()
    for path in cache_dir.iterdir():
        if path.name.startswith(".") or not path.is_file():
            continue
        name = path.name.removesuffix(SIDECAR_SUFFIX)
        doc_id, _, fmt = name.rpartition(".")
        if fmt in FORMATS and doc_id and doc_id not in keep:
            path.unlink()
            retired.add(doc_id)
    return sorted(retired)


def _download(client: httpx.Client, url: str, timeout_s: float) -> bytes:
    # httpx timeouts bound each network operation; the deadline bounds the whole download,
    # so a server that trickles bytes cannot stall the run.
    deadline = time.monotonic() + timeout_s
    try:
        with client.stream("GET", url, follow_redirects=True, timeout=timeout_s) as response:
            if response.status_code >= 400:
                phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
                raise _FetchError(f"HTTP {response.status_code}{phrase}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise _FetchError(f"download larger than {MAX_BYTES // (1024 * 1024)} MB")
                if time.monotonic() > deadline:
                    raise _FetchError(f"timed out after {timeout_s:g} s")
                chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise _FetchError(f"timed out after {timeout_s:g} s") from exc
    except httpx.HTTPError as exc:
        raise _FetchError(f"download failed: {exc or type(exc).__name__}") from exc
    data = b"".join(chunks)
    if not data:
        raise _FetchError("empty response")
    return data


def _store(source: Source, data: bytes, cache_dir: Path) -> None:
    target = cache_dir / source.filename
    try:
        text = extract_text(data, source.format, source.url)
    except KnowledgeError as exc:
        raise _FetchError(exc.problem) from exc
    if source.meta.get("current"):
        # The address serves whatever version is in force today: its date is the one the
        # site shows, not the date of an older copy (the fetch date when it shows none).
        shown = consolidation_date(text)
        dated = dict(source.meta, version_date=(shown or dt.date.today()).isoformat(),
                     version_date_from="the official site" if shown else "the fetch date")
        source = Source(id=source.id, url=source.url, format=source.format, meta=dated)
    if source.format in ("md", "txt"):
        if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
            # Typically a repository's web page instead of its raw file.
            raise _FetchError(f"expected {source.format} text but got an HTML page")
        _write_atomic(target, _with_front_matter(source, text).encode("utf-8"))
    else:
        # Sidecar first: if the run dies between the two writes, an orphan sidecar is
        # ignored by discovery, whereas a document without sidecar would fail the ingest.
        sidecar = target.with_name(target.name + SIDECAR_SUFFIX)
        _write_atomic(sidecar, _dump_yaml(_stamped(source.meta)).encode("utf-8"))
        _write_atomic(target, data)
    # A source whose format changed (html → pdf) must not leave its old copy behind,
    # or the cache would hold the same id twice.
    for old in _cached_files(cache_dir, source.id):
        if old.name not in (target.name, target.name + SIDECAR_SUFFIX):
            old.unlink(missing_ok=True)


_CONSOLIDATED = re.compile(
    r"(?:geldend\s+(?:van|vanaf)|geldig\s+vanaf|versie\s+(?:van|geldend\s+vanaf)|"
    r"mise\s+à\s+jour\s+(?:au|le)|version\s+consolidée\s+au|consolidée?\s+au|"
    r"en\s+vigueur\s+(?:au|le|depuis\s+le)|konsolidierte\s+fassung\s+vom|"
    r"stand(?:\s+vom)?|consolidated\s+(?:version|text)\s+(?:of|as\s+of)|"
    r"in\s+force\s+(?:from|on))\s*:?\s*"
    r"(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:er)?\s+\w+\s+\d{4})",
    re.IGNORECASE,
)


def consolidation_date(text: str) -> dt.date | None:
    """The date of the version a page shows ("Geldend van 01-01-2025", "mise à jour au …").

    Only the start of the text is read, where official sites state the version.
    """
    for match in _CONSOLIDATED.finditer(text[:20000]):
        found = _date_of(match.group("date"))
        if found:
            return found
    return None


def _date_of(value: str) -> dt.date | None:
    written = dates_in(value)
    if written:
        return dt.date.fromisoformat(written[0])
    parts = re.split(r"[-./]", value)
    try:
        if len(parts[0]) == 4:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except (ValueError, IndexError):
        return None


def _with_front_matter(source: Source, text: str) -> str:
    if text.startswith("---"):
        try:
            data, _ = split_front_matter(text, source.url)
            checked = parse_meta(data, source.url)
        except KnowledgeError as exc:
            field_name = f" field '{exc.field}'" if exc.field else ""
            raise _FetchError(f"downloaded front matter is invalid:{field_name} {exc.problem}") \
                from exc
        if checked.id != source.id:
            raise _FetchError(
                f"downloaded front matter has id '{checked.id}', the manifest says '{source.id}'"
            )
        return text
    return f"---\n{_dump_yaml(_stamped(source.meta))}---\n\n{text}"


def _sidecar_meta(meta: Mapping, version_date: dt.date) -> dict:
    out = {key: meta[key] for key in _META_ORDER if meta.get(key) is not None}
    out["version_date"] = version_date.isoformat()
    # Extra manifest fields (reuse, note, …) travel along as provenance.
    out.update({key: value for key, value in meta.items() if key not in out})
    return out


def _stamped(meta: Mapping) -> dict:
    """The metadata with ``fetched`` (UTC, ISO 8601) right after ``source_url``."""
    fetched = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    out: dict = {}
    for key, value in meta.items():
        if key != "fetched":
            out[key] = value
        if key == "source_url":
            out["fetched"] = fetched
    return out


def _dump_yaml(data: Mapping) -> str:
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, width=100)


def _cached_files(cache_dir: Path, doc_id: str) -> list[Path]:
    names = {f"{doc_id}.{fmt}" for fmt in FORMATS}
    names |= {name + SIDECAR_SUFFIX for name in names}
    return sorted(path for path in cache_dir.iterdir() if path.name in names)


def _write_atomic(target: Path, data: bytes) -> None:
    # The temporary name starts with '.' so that discovery never picks up a partial file.
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
