"""Which folders make up the index, and which official texts none of them holds.

The folders are the knowledge folder, the downloaded official texts and a local mirror of them.

The bot, ``python ingest.py``, the evaluation and the benchmark all read the same list, so
they measure the index users get.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from bot.knowledge.fetch import Source, load_manifest
from bot.models import Document
from bot.settings import Settings

MANIFEST = "sources.yaml"
_OFFICIAL_ID = re.compile(r"BWB[RV]\d{7}|CELEX[:%]3A?\w+|eli/[\w/]+|\d{10}")


def extra_folders(settings: Settings) -> list[Path]:
    """The folders indexed after the knowledge folder, in order of precedence.

    The download cache of ``ingest.py --fetch`` comes first (the current official text), then
    the mirror folder (``SOURCES_MIRROR``); a folder that does not exist is left out.
    """
    folders = [settings.fetch_cache_dir]
    if settings.sources_mirror is not None:
        folders.append(settings.sources_mirror)
    return [Path(f) for f in folders if Path(f).is_dir() and any(Path(f).iterdir())]


def manifest_sources(settings: Settings) -> list[Source]:
    """The official texts listed in the knowledge folder's ``sources.yaml`` (none without one)."""
    manifest = Path(settings.knowledge_dir) / MANIFEST
    return load_manifest(manifest) if manifest.is_file() else []


def missing_sources(sources: Sequence[Source], documents: Sequence[Document]) -> list[str]:
    """Ids of manifest texts that no indexed document holds.

    A document holds a source when it has the source's id, or comes from the same official
    address (a mirror may keep a text under another id, e.g. extracts of several acts).
    """
    texts = [d for d in documents if d.meta.kind != "factsheet"]  # a summary is no text
    ids = {d.meta.id for d in texts}
    addresses = {_address(d.meta.source_url) for d in texts}
    return [s.id for s in sources if s.id not in ids and _address(s.url) not in addresses]


def _address(url: str) -> str:
    """What identifies an official text in its address (BWBR number, CELEX, ELI), else the URL."""
    match = _OFFICIAL_ID.search(url)
    return match.group(0) if match else url.rstrip("/").lower()
