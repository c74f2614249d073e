"""The reference lines that end a fact-sheet clause (Source, Basis, Questions, Verification).

They are read by the assistant, not quoted to users: the sources become the clause's link,
the basis ids its official articles, the questions are searched with the clause, and the
verification line becomes a mark next to the citation.
"""

from __future__ import annotations

import re

from bot.models import ClauseRefs

_LINE = re.compile(
    r"^(?P<key>Sources?|Basis|Questions|Verification)\s*:\s*(?P<value>.*?)\s*$", re.MULTILINE
)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*#[a-z0-9][a-z0-9-]*")


def split_references(text: str) -> tuple[str, ClauseRefs]:
    """Separate a fact-sheet clause into its body and its reference lines.

    Args:
        text: The clause text as written under its ``##`` heading.

    Returns:
        The body (what users read) and the references. A clause without reference lines
        gives its text unchanged and empty references.
    """
    sources: list[str] = []
    basis: list[str] = []
    questions: list[str] = []
    verification = ""
    for match in _LINE.finditer(text):
        key, value = match.group("key"), match.group("value")
        if key.startswith("Source"):
            sources += [url.rstrip(".,;:") for url in _URL.findall(value)]
        elif key == "Basis":
            basis += _ID.findall(value)
        elif key == "Questions":
            questions += [q.strip() for q in value.split("|") if q.strip()]
        else:
            verification = value
    body = _LINE.sub("", text)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    refs = ClauseRefs(
        sources=tuple(dict.fromkeys(sources)),
        basis=tuple(dict.fromkeys(basis)),
        questions=tuple(dict.fromkeys(questions)),
        verification=verification,
    )
    return body, refs

