"""User-facing texts, one catalogue per language (``en.py``, ``nl.py``, ``fr.py``, ``de.py``).

Every catalogue has the same keys (a test checks it). Texts are Telegram HTML: values put
into a ``{placeholder}`` are escaped by the caller. The texts of answers and question errors
(``lead`` … ``outdated``, ``empty``, ``too_long``) hold no markup, and ``plain`` strips any
for the command line.
"""

from __future__ import annotations

import html
import re
from types import ModuleType

from bot.locales import de, en, fr, nl
from bot.reference.languages import DEFAULT_LANGUAGE

CATALOGUES: dict[str, ModuleType] = {"en": en, "nl": nl, "fr": fr, "de": de}
_TAG = re.compile(r"<[^>]+>")


def text(key: str, language: str | None, **values: object) -> str:
    """The text ``key`` in ``language`` (English when the language is unknown), formatted.

    Args:
        key: A key of the catalogues' ``TEXTS``.
        language: nl, fr, de or en; anything else gives English.
        **values: Values for the placeholders (escaped by the caller where the text is HTML).
    """
    catalogue = CATALOGUES.get(language or DEFAULT_LANGUAGE, CATALOGUES[DEFAULT_LANGUAGE])
    template = catalogue.TEXTS[key]
    return template.format(**values) if values else template


def plain(key: str, language: str | None, **values: object) -> str:
    """Like ``text``, without markup, for the command line."""
    return html.unescape(_TAG.sub("", text(key, language, **values)))


def commands(language: str) -> dict[str, str]:
    """Command name → description for Telegram's menu in a language."""
    return CATALOGUES.get(language, CATALOGUES[DEFAULT_LANGUAGE]).COMMANDS
