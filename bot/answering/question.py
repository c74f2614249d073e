"""Cleaning what a person typed or pasted before it is treated as a question."""

from __future__ import annotations

import html
import re

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|mailto:|tg://)[^)\s]*\)")
_MD_MARKS = re.compile(r"\*\*|__|~~|`+|\|\|")
_MD_EMPHASIS = re.compile(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])")


def plain_question(value: str) -> str:
    """The question without HTML or Markdown markup a user may have pasted, spaces collapsed."""
    value = _SCRIPT.sub(" ", value)
    value = _TAG.sub(" ", value)
    value = _MD_LINK.sub(r"\1", value)
    value = _MD_MARKS.sub("", value)
    value = _MD_EMPHASIS.sub(r"\1", value)
    return " ".join(html.unescape(value).split())
