"""Text helpers every layer uses: accent folding, sentences, and cutting at a word boundary."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

ELLIPSIS = "…"


class _CombiningMarks(dict):
    """``str.translate`` table deleting combining marks, filled in as characters are met.

    Folding runs over every passage when the lexical index is built; a per-character
    Python loop there cost 52 million calls at 100 times the corpus.
    """

    def __missing__(self, codepoint: int) -> int | None:
        kept = None if unicodedata.combining(chr(codepoint)) else codepoint
        self[codepoint] = kept
        return kept


_COMBINING_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Lowercase and strip accents (``Période`` → ``periode``) so spellings meet."""
    lowered = text.lower()
    if lowered.isascii():  # nothing to decompose
        return lowered
    return unicodedata.normalize("NFKD", lowered).translate(_COMBINING_MARKS)


def clip(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters at a word boundary, ending in "…".

    Args:
        text: Any text; whitespace is kept as it is.
        limit: Maximum length of the result, "…" included.
    """
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():  # the cut falls inside a word: drop the word
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space > 0:
            cut = cut[:space]
    return cut.rstrip(" ,;:–—-(\n") + ELLIPSIS


# Words after which a period does not end a sentence, in nl, fr, de and en (lower-case,
# without the final period): legal references ("Art. 93", "L. 572-5", "al. 2", "lid 3",
# "nr. 5", "par. 2"), Latin and everyday abbreviations ("e.g.", "cf.", "vgl.", "z.B.",
# "p. ex.", "bijv.", "bzw.").
ABBREVIATIONS = frozenset(
    """
    art arts artt artikel al alin par para paras pt pts nr nrs no nos n° num lid ld sub
    l r d c cass ch chap sect sec ss s p pp vol ed fig hfdst afd abs ziff lit bst
    e.g eg i.e ie cf cfr vgl z.b zb u.a ua usw bzw ggf evtl inkl exkl ca etc resp vs viz
    p.ex ex bijv bv o.a oa i.v.m ivm m.b.t mbt d.w.z dwz enz zgn jo jis
    dr mr mrs ms prof st mme mlle me
    jan feb febr mar apr jun jul aug sep sept okt oct nov dec
    """.split()
)
"""Lower-case abbreviations (without their final period) that do not end a sentence."""

_BREAK = re.compile(
    r"(?<=[.!?…])[\"»”’)]*\s+(?=[\"«“‘(\[]*[A-ZÀ-Ý0-9])"  # end of sentence, capital next
    r"|\n\s*\n"  # blank line
    r"|\n(?=\s*(?:[-–•*]|\(?\d+[.)°]|\(?[a-z]\))\s)"  # list item on the next line
)
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_NUMBERING = re.compile(r"^(?:\(?\d+[a-z]?[.)°]?|\(?[a-z][.)]|[IVXLC]+\.?|§\s*\d+)$")


def sentences(text: str) -> list[str]:
    """The sentences and list items of a text, whole: never cut after an abbreviation.

    A period ends a sentence when it follows a word that is not a known abbreviation
    (``Art.``, ``L.``, ``al.``, ``lid``, ``nr.``, ``z.B.``, ``p. ex.`` …), a single capital
    letter (an initial), or the number of a list item, and the next word starts with a
    capital letter or a digit. Blank lines and list items also separate.

    Args:
        text: A clause or paragraph.

    Returns:
        The sentences, whitespace-trimmed, in order (pieces of one or two characters are
        joined to the next).
    """
    pieces: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        before = text[start : match.start()].rstrip()
        if "\n" not in match.group(0) and not _ends_sentence(before):
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    squashed = [" ".join(piece.split()) for piece in pieces]
    # A list number ("2.", "b)") starts the sentence after it, not one of its own.
    return glue_forward([p for p in squashed if p],
                        lambda p: len(p) <= 2 or bool(_NUMBERING.match(p)), " ")


def glue_forward(
    pieces: Iterable[str], leads_in: Callable[[str], bool], separator: str
) -> list[str]:
    """The pieces, each one that only leads into the next joined to it with ``separator``.

    Args:
        pieces: Sentences, paragraphs or other units in order.
        leads_in: Whether a piece (with what was joined to it so far) only introduces the
            next one: a list number, a lone marker, a subheading.
        separator: What joins two pieces.
    """
    out: list[str] = []
    carry = ""
    for piece in pieces:
        if carry:
            piece = f"{carry}{separator}{piece}"
            carry = ""
        if leads_in(piece):
            carry = piece
            continue
        out.append(piece)
    if carry:
        out.append(carry)
    return out


def _ends_sentence(before: str) -> bool:
    """Whether the text before a candidate break really ends a sentence."""
    if not before or before[-1] not in ".!?…\"»”’)":
        return False
    stripped = before.rstrip("\"»”’)")
    if not stripped.endswith("."):
        return True
    token = _TOKEN_BEFORE.search(stripped[:-1])
    if token is None:
        return True
    word = token.group(1).lstrip("(«\"“'[")
    lowered = word.lower()
    if lowered in ABBREVIATIONS or lowered.rstrip(".") in ABBREVIATIONS:
        return False
    if re.fullmatch(r"[A-ZÀ-Ýa-z]", word):  # an initial ("M. McDowell", "L. 572-5"), "z. B."
        return False
    if re.fullmatch(r"(?:[a-zA-Z]\.)+[a-zA-Z]", word):  # "z.B", "i.e", "p.ex" written whole
        return False
    # "p. ex." and "z. B." written with a space: the word before the first part.
    two = re.search(r"(\S+)\s+(\S+)$", stripped[:-1])
    if two and f"{two.group(1)}{two.group(2)}".lower().rstrip(".") in ABBREVIATIONS:
        return False
    # The number of a list item at the start ("1. De lidstaten …") is no sentence.
    return not _NUMBERING.match(stripped)
