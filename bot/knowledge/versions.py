"""Checks across documents: language versions of a fact sheet say the same, basis ids exist.

A Dutch, French or German version of a fact sheet must state what the English original
states: the same clauses (keys, in order), the same numbers (days, months, years, ages,
amounts), the same article references, links and ``Basis:`` ids. A version that disagrees
is refused at ingest, naming the file and the clause, because a worker would read a
different rule depending on her language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from bot.errors import KnowledgeError
from bot.knowledge.clauses import own_heading
from bot.models import Clause, Document
from bot.reference.numbers import numbers_in

_LINK = re.compile(r"https?://[^\s<>\"')\]]+")
# Article numbers with a suffix ("433quinquies", "98bis", "273f"), which the numbers alone
# would not tell apart.
_SUFFIXED = re.compile(
    r"\b\d+(?:bis|ter|quater|quinquies|sexies|septies|octies)\b|\b\d+[a-z]\b", re.IGNORECASE
)
_IGNORED_NUMBERS = {0, 1}
"""0 and 1 are words more often than figures ("one of", "een van", "l'un des")."""


def check_versions(documents: Sequence[Document], clauses: Mapping[str, list[Clause]]) -> None:
    """Refuse language versions that disagree with their original.

    Args:
        documents: All loaded documents.
        clauses: Document id → its clauses in order.

    Raises:
        KnowledgeError: naming the version's file and the clause (or field) that differs.
    """
    by_id = {d.meta.id: d for d in documents}
    for document in documents:
        original_id = document.meta.translation_of
        if not original_id:
            continue
        where = document.meta.path or document.meta.id
        original = by_id.get(original_id)
        if original is None:
            raise KnowledgeError(where, f"no document with id '{original_id}'", "translation_of")
        for field in ("jurisdiction", "kind"):
            if getattr(document.meta, field) != getattr(original.meta, field):
                raise KnowledgeError(where, f"differs from {original_id}", field)
        mine = {c.key: c for c in clauses.get(document.meta.id, [])}
        theirs = {c.key: c for c in clauses.get(original_id, [])}
        if list(mine) != list(theirs):
            missing = [k for k in theirs if k not in mine]
            extra = [k for k in mine if k not in theirs]
            detail = "; ".join(
                part for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"not in the original: {', '.join(extra)}" if extra else "",
                    "" if missing or extra else "in another order",
                ) if part
            )
            raise KnowledgeError(where, f"clauses differ from {original_id}: {detail}")
        for key, clause in mine.items():
            problem = disagreement(clause, theirs[key])
            if problem:
                raise KnowledgeError(where, f"clause '{key}' {problem} than {original_id}")


def disagreement(version: Clause, original: Clause) -> str:
    """What a language version of a clause states differently from the original, or ""."""
    checks = (
        ("states other numbers", _numbers),
        ("cites other articles", _articles),
        ("gives other links", _links),
    )
    for problem, facts in checks:
        mine, theirs = facts(version), facts(original)
        if mine != theirs:
            only_mine = ", ".join(sorted(map(str, mine - theirs)))
            only_theirs = ", ".join(sorted(map(str, theirs - mine)))
            return f"{problem} ({only_mine or '–'} where the original has {only_theirs or '–'})"
    if version.refs.basis != original.refs.basis:
        return "names other Basis ids"
    return ""


def _text(clause: Clause) -> str:
    return f"{own_heading(clause)}\n{clause.text}"


def _numbers(clause: Clause) -> set:
    text = _LINK.sub(" ", _text(clause))
    # Figures only: "permanent" read as an unlimited duration is a word, not a number.
    return {
        n for n in numbers_in(text, clause.document.language)
        if n not in _IGNORED_NUMBERS and math.isfinite(n)
    }


def _articles(clause: Clause) -> set[str]:
    return {m.group(0).lower() for m in _SUFFIXED.finditer(_LINK.sub(" ", _text(clause)))}


def _links(clause: Clause) -> set[str]:
    found = {u.rstrip(".,;:") for u in _LINK.findall(clause.text)}
    return found | set(clause.refs.sources)


def unknown_basis(clauses: Sequence[Clause], listed: set[str] = frozenset()) -> list[str]:
    """Warnings for ``Basis:`` ids that name no indexed clause.

    An id whose document is indexed but has no such clause is a mistake in the fact sheet:
    one warning naming the sheet and the heading. An id whose document is neither indexed
    nor ``listed`` in sources.yaml is one warning per document; a listed text that is not
    indexed yet (not downloaded) is reported by the ingest as a missing source instead.
    """
    known = {c.id for c in clauses}
    documents = {c.document.id for c in clauses}
    warnings: list[str] = []
    absent: dict[str, int] = {}
    for clause in clauses:
        if clause.document.translation_of:
            continue  # the original is checked; a version names the same ids
        for basis in clause.refs.basis:
            document = basis.split("#", 1)[0]
            if basis in known:
                continue
            if document in documents:
                warnings.append(
                    f"{clause.document.path or clause.document.id}: clause '{clause.heading}' "
                    f"names basis {basis}, which {document} does not have"
                )
            elif document not in listed:
                absent[document] = absent.get(document, 0) + 1
    warnings += [
        f"{count} basis id(s) name {document}, which is neither indexed nor in sources.yaml"
        for document, count in sorted(absent.items())
    ]
    return warnings
