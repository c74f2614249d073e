"""Loading the slow parts in threads, once per process: model weights, language identifier.

Each unpacks compressed files (about 1 s, much of it outside the GIL). Loaded on the first
question, they made a one-shot ``python -m bot ask`` wait for them one after the other;
started early, they load while the rest of the program is imported and the index opens.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_STARTED: set[str] = set()


def start(name: str, load: Callable[[], object]) -> None:
    """Run ``load`` in a daemon thread unless a load of that name was started already."""
    with _LOCK:
        if name in _STARTED:
            return
        _STARTED.add(name)
    threading.Thread(target=_quietly, args=(load,), name=name, daemon=True).start()


def warm_language() -> None:
    """Load the language identifier in the background."""
    def load() -> None:
        from bot.reference.languages import detect_language

        detect_language("warm up")

    start("warm-language", load)


def warm_default_model(tokenizer_cache: Path | None = None) -> None:
    """Load the default embedding model (USE) in the background.

    Args:
        tokenizer_cache: Folder of the parsed tokenizer (see ``bot.index.tokenizer_cache``).
    """
    def load() -> None:
        from bot.index.embeddings import warm_use

        warm_use(tokenizer_cache)

    start("warm-model", load)


def _quietly(load: Callable[[], object]) -> None:
    try:
        load()
    except Exception as exc:  # the first question reports a broken model itself
        log.debug("warming up failed: %s", type(exc).__name__)
