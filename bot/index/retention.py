"""Retiring old generations without breaking readers, and the disk space Chroma leaves behind.

After the pointer flips, bot processes may still be answering from the previous generation
for a moment (an ``ask`` that started before, a bot that has not reloaded). The previous
``KEEP_GENERATIONS`` generations are therefore kept; a reader whose generation was retired
after that reopens the current one by itself (``AnsweringService``).

Chroma does not remove the folder of a deleted collection's vector segment (upstream
chroma-core/chroma #5259, #5520): one orphan folder per retired collection, 56 MB after 20
ingests. In embedded mode the folders that no live segment references are removed here.
Both run under the writer lock, so no collection is being created meanwhile.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from pathlib import Path

from bot.index.store import IndexStore, number

log = logging.getLogger(__name__)

KEEP_GENERATIONS = 2
"""Previous generations kept after a switch (the default of the KEEP_GENERATIONS setting)."""
CHROMA_DATABASE = "chroma.sqlite3"
_SEGMENT_FOLDER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def retire_generations(store: IndexStore, active: str, keep: int) -> list[str]:
    """Drop the generations readers can no longer need.

    Kept: the active generation and the ``keep`` newest ones before it. Dropped: older ones,
    and any newer than the active one (half-built by an ingest that died).

    Returns:
        The generations dropped.
    """
    current = number(active)
    previous = [g for g in store.generations() if number(g) < current]
    kept = set(previous[-keep:]) if keep > 0 else set()
    dropped = [g for g in store.generations() if g != active and g not in kept]
    for generation in dropped:
        store.drop(generation)
    return dropped


def orphan_segments(chroma_path: Path) -> list[Path]:
    """Segment folders of an embedded Chroma that no segment in its database names.

    Chroma 1.5 lays a persistent directory out as ``chroma.sqlite3`` plus one folder per
    vector segment, named by the segment's UUID; the ``segments`` table lists the live ones.
    Only folders named like a UUID and absent from that table count.
    """
    database = chroma_path / CHROMA_DATABASE
    if not database.is_file():
        return []
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        live = {str(row[0]) for row in connection.execute("SELECT id FROM segments")}
    finally:
        connection.close()
    return [
        folder for folder in chroma_path.iterdir()
        if folder.is_dir() and _SEGMENT_FOLDER.fullmatch(folder.name) and folder.name not in live
    ]


def remove_orphan_segments(chroma_path: Path) -> list[str]:
    """Delete the folders `orphan_segments` finds (run under the writer lock).

    Returns:
        The names of the folders removed.
    """
    removed = []
    for folder in orphan_segments(chroma_path):
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    if removed:
        log.info("removed %d orphaned Chroma segment folders", len(removed))
    return removed
