"""Splitting a document into the units a lawyer cites (clauses), and clauses into passages.

A clause is an article (``Art. 93``, ``Artikel 273f``, ``Article 13``), a numbered section of a
circular (``B8/3.1``), a recital of an EU act (``Overweging (12)``), the preamble, a heading of
a fact sheet, or — for texts without any numbering — a paragraph. Chapter and section headings
are not clauses: they become the ``heading`` of the clauses that follow them.

The mode is chosen from the text itself: article or section markers select the legal-text
scanner, ``kind: factsheet`` (or a text made of ``##`` headings) the Markdown scanner, and
anything else is split into paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.knowledge.references import split_references
from bot.models import Clause, ClauseRefs, Document, Passage
from bot.reference.dates import MONTH_PATTERN
from bot.reference.text import clip, glue_forward

# ------------------------------------------------------------------------------- patterns

_SUFFIXES = r"bis|ter|quater|quinquies|sexies|septies|octies|novies|nonies|decies"

# "Art. 1er.", "Article premier", "Art. 98bis.", "Art. 33ter .", "Art. 61/2", "###Artikel 273f",
# "Artikel 3.48", "### Article  13", "Artikel 18 ter". What may follow the number is checked
# in _article().
_ARTICLE_RE = re.compile(
    r"^(?P<hashes>#*)[ \t*]*"
    r"(?P<word>art(?:icle|ikel)?\b\.?)[ \t]*"
    r"(?P<num>\d+(?:[./-]\d+)*|premier\b)(?P<er>er\b)?"
    r"(?:(?P<letter>(?-i:[a-z]))(?![\w'’])"
    rf"|[ \t]?(?P<latin>(?:{_SUFFIXES})\b))?"
    r"[ \t]*(?P<dot>\.(?!\d))?(?P<rest>.*)$",
    re.IGNORECASE,
)

# "Chapitre 1er.", "Sous-section 5bis.", "### CHAPTER  I", "### HOOFDSTUK  II", "Section 4".
_STRUCTURE_LEVELS = {
    "partie": 1, "part": 1, "deel": 1, "teil": 1, "livre": 1, "boek": 1, "buch": 1,
    "titre": 1, "title": 1, "titel": 1,
    "chapitre": 2, "chapter": 2, "hoofdstuk": 2, "kapitel": 2,
    "section": 3, "afdeling": 3, "abschnitt": 3,
    "sous-section": 4, "subsection": 4, "paragraaf": 4, "unterabschnitt": 4,
}
_STRUCTURE_RE = re.compile(
    r"^#*[ \t]*(?P<word>(?i:"
    + "|".join(sorted(_STRUCTURE_LEVELS, key=len, reverse=True))
    + r"))[ \t]+(?P<num>[IVXLCDM]+|\d+)(?P<suf>er|re|bis|ter|quater|quinquies)?\b"
    r"[ \t]*\.?(?P<rest>.*)$"
)
# A chapter heading glued to the end of the previous line by a crawler that flattened all
# whitespace ("… stop te zetten. HOOFDSTUK V SLOTBEPALINGEN").
_TRAILING_CHAPTER_RE = re.compile(
    r"\s(?P<word>HOOFDSTUK|CHAPITRE|CHAPTER|KAPITEL|TITEL|TITRE|TITLE)\s+(?P<num>[IVXLC]+|\d+)"
    r"\s+(?P<title>[^a-zà-ÿ]{3,150})$"
)

# "B8/3.1 …" written out, and the chapter code that makes a bare "### 3.1" read "B8/3.1".
_CODED_SECTION_RE = re.compile(
    r"^#*[ \t]*(?P<code>[A-Z]{1,2}\d{1,2})/(?P<num>\d+(?:\.\d+)*)\.?(?:[ \t]+(?P<rest>.*))?$"
)
_CODE_CONTEXT_RE = re.compile(r"^#+[ \t]*(?P<code>[A-Z]{1,2}\d{1,2})(?![\w/])")
_NUMBERED_SECTION_RE = re.compile(r"^#+[ \t]*(?P<num>\d+(?:\.\d+)*)\.?(?:[ \t]+(?P<rest>.*))?$")

_RECITAL_RE = re.compile(r"^[ \t]*\((?P<num>\d{1,3})\)[ \t]+(?P<rest>\S.*)$")
_BANNER_RE = re.compile(r"^={3,}[ \t]*(?P<text>.*?)[ \t]*=*[ \t]*$")
_NOTE_LINE_RE = re.compile(r"^\[note \d+\]\s+\S")
_NOTE_REF_LINE_RE = re.compile(r"^\[note \d+\]$")
_EXPLICIT_KEY_RE = re.compile(r"\s*\{#(?P<key>[a-z0-9][a-z0-9-]*)\}\s*$")
_MD_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})(?!#)[ \t]*(?P<text>.*?)[ \t]*$")

# Flattened EU footnotes at the very end: "… De voorzitter M. McDOWELL ( 1 ) PB C 126 …".
_FOOTNOTE_MARK_RE = re.compile(r"\(\s?(\d{1,3})\s?\)\s")

# Words that start the first sentence of a flattened EU article, so that what comes before
# them on the article's first line is its title ("Bedenktijd 1. De lidstaten …",
# "Doel Het doel van deze richtlijn …").
_STARTERS = (
    "De", "Het", "Een", "Deze", "Dit", "Die", "Voor", "Wanneer", "Indien", "Onverminderd",
    "Bij", "Zij", "Elke", "Iedere", "Alle", "Le", "La", "Les", "Un", "Une", "Lorsque", "Sans",
    "Tout", "Toute", "Chaque", "Aux", "Au", "Pour", "The", "Each", "Any", "This", "These",
    "Where", "When", "Without", "Member", "Der", "Das", "Ein", "Eine", "Diese", "Dieser",
    "Jeder", "Jede", "Wenn", "Unbeschadet",
)
_FLAT_TITLE_RE = re.compile(
    r"^(?P<title>[A-ZÀ-Þ][^.:;!?“”«»()]{0,120}?)\s+(?:1\.\s|(?:"
    + "|".join(_STARTERS)
    + r")\s)"
)

_PREAMBLE_LABELS = {"nl": "Preambule", "fr": "Préambule", "de": "Präambel", "en": "Preamble"}
_RECITAL_LABELS = {"nl": "Overweging", "fr": "Considérant", "de": "Erwägungsgrund",
                   "en": "Recital"}
_NOTES_LABELS = {"nl": "Voetnoten", "fr": "Notes de bas de page", "de": "Fußnoten",
                 "en": "Notes"}
_INTRO_LABELS = {"nl": "Inleiding", "fr": "Introduction", "de": "Einleitung",
                 "en": "Introduction"}
_PARAGRAPH_LABEL = "par."
_SIGNATURE_HEADINGS = {"nl": "Plaats en datum van ondertekening",
                       "fr": "Lieu et date de signature",
                       "de": "Ort und Datum der Unterzeichnung",
                       "en": "Place and date of signature"}

# The closing line of a declaration or letter: "Luxemburg, 10 december 2019",
# "Fait à Bruxelles, le 5 mai 2020", "Done at Warsaw on 16 May 2005", "Den Haag, 1.3.2021".
_SIGNATURE_LINE_RE = re.compile(
    r"^(?:(?:done|fait|gedaan|opgemaakt|geschehen|gegeben)\s+(?:at|à|a|te|zu|in)\s+)?"
    r"[^\W\d_][^\d,;:.!?]{0,60},?\s+(?:(?:le|den|am|op|on|the|this)\s+)?"
    rf"(?:\d{{1,2}}(?:er|e|ème|st|nd|rd|th)?\.?\s+(?:day\s+of\s+)?(?:{MONTH_PATTERN})"
    r"|\d{1,2}[./-]\d{1,2}[./-])\s*\d{4}\.?$",
    re.IGNORECASE,
)

# Start of a numbered paragraph, point, bullet or footnote: "(2)", "2. ", "a) ", "1°", "§ 3",
# "– ", "* ", "[note 12] Loi du …".
_ITEM_START_RE = re.compile(
    r"^\s*(?:\[note \d+\]\s+\S|\(\d+[a-z]*\)|\(?[a-z]\)|\d+[a-z]*[.)](?:\s|$)|\d+°|§\s*\d|[–•*-]\s)"
)

_LABEL_LIMIT = 80
_SLUG_LIMIT = 60
_TITLE_LIMIT = 300


# ------------------------------------------------------------------------------- drafts


@dataclass
class _Draft:
    """A clause being collected: key, label and heading known, lines still arriving."""

    key: str
    label: str
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    kind: str = ""
    structure: str = ""
    title: str = ""
    start: int = 0
    flat: bool = False


def split_clauses(document: Document) -> list[Clause]:
    """Split a document body into clauses in document order.

    Legal texts are cut at article headings (``Art. 93.``, ``Artikel 273f``, ``### Article 13``),
    numbered sections (``B8/3.1``, ``### 3.1``) and recitals (``(12)`` before the first
    article); the text before them is the preamble. Fact sheets are cut at ``##`` headings.
    Texts without any numbering give one clause per paragraph (``par-1``, ``par-2`` …).

    Args:
        document: The document; its text is the body without front matter.

    Returns:
        The non-empty clauses, with keys unique within the document and ``position`` equal
        to the index in the returned list.
    """
    text = document.text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    language = document.meta.language
    if document.meta.kind == "factsheet":
        return _finish(document, _markdown_drafts(lines, language), references=True)
    drafts = _legal_drafts(text, lines, language)
    if drafts is None:
        if sum(1 for line in lines if line.startswith("## ")) >= 2:
            return _finish(document, _markdown_drafts(lines, language), references=True)
        drafts = _paragraph_drafts(lines)
        _name_signature(drafts, language)
    return _finish(document, drafts)


def own_heading(clause: Clause) -> str:
    """The ``##`` heading a fact-sheet clause was written under.

    A short heading is the clause's label (its ``heading`` is then the sheet's title, which
    search uses); a long one is kept whole as ``heading`` and shortened as the label.
    """
    return clause.heading if clause.label.endswith("…") and clause.heading else clause.label


def split_passages(clause: Clause, max_chars: int = 1200) -> list[Passage]:
    """Cut a clause into consecutive, non-overlapping passages small enough to embed.

    Passages break only where the clause text has a blank line, so that the passage texts
    joined with blank lines give back exactly the clause text. Paragraphs are packed greedily
    up to ``max_chars``; a paragraph marker standing alone (``(2)``, ``§ 3``) stays with the
    paragraph it introduces. A single paragraph longer than ``max_chars`` becomes one
    passage of its own: cutting it at a sentence would break the join guarantee, because the
    text has no blank line there (``split_clauses`` already puts numbered paragraphs and points
    on paragraphs of their own, so this is rare: long preambles, recitals, footnotes).

    Args:
        clause: The clause to cut.
        max_chars: Target maximum length of a passage, in characters.

    Returns:
        At least one passage; a short clause gives exactly one. Each passage's ``paragraph``
        is the paragraph number it starts with, else the last one seen before it, else "".
    """
    units = _units(clause.text)
    numbering = _paragraph_numbering(clause.text)
    groups: list[list[str]] = []
    current: list[str] = []
    size = 0
    for unit in units:
        extra = len(unit) + (2 if current else 0)
        if current and size + extra > max_chars:
            groups.append(current)
            current, size, extra = [], 0, len(unit)
        current.append(unit)
        size += extra
    if current or not groups:
        groups.append(current)
    passages = []
    # "Bedenktijd 1. De lidstaten …": the first passage starts in paragraph 1 after the title.
    last = "1" if numbering == "dot-titled" else ""
    for index, group in enumerate(groups):
        text = "\n\n".join(group)
        first_line = text.lstrip().split("\n", 1)[0]
        starts_with = _paragraph_number(first_line, numbering)
        passages.append(Passage(clause=clause, index=index, text=text,
                                paragraph=starts_with or last))
        for line in text.split("\n"):
            number = _paragraph_number(line.strip(), numbering)
            if number:
                last = number
    return passages


# ------------------------------------------------------------------------------- legal texts


def _legal_drafts(text: str, lines: list[str], language: str) -> list[_Draft] | None:
    """Scan statutes, treaties, directives and circulars; None when there is no marker."""
    notes_start = _notes_start(lines)
    acts = _act_names(lines[:notes_start])
    mixed_acts = len(set(acts)) >= 2
    offsets = _line_offsets(lines)
    quotes = _quote_spans(text)

    preamble = _Draft("preamble", _PREAMBLE_LABELS.get(language, "Preamble"))
    drafts: list[_Draft] = [preamble]
    current = preamble
    structure: dict[int, tuple[str, str]] = {}
    act = ""
    code = ""
    section_titles: dict[str, str] = {}
    next_recital = 1
    articles = sections = 0
    # What the next non-empty line may be the title of: ("structure", level) after a chapter
    # heading, ("clause", None) after a Markdown article or section heading.
    awaiting: tuple[str, int | None] | None = None
    i = 0
    while i < notes_start:
        line = lines[i]
        stripped = line.strip()
        i += 1
        if awaiting and not stripped:
            continue
        if awaiting:
            target, level = awaiting
            awaiting = None
            if not _is_marker(stripped) and len(stripped) <= _TITLE_LIMIT:
                if target == "structure" and level is not None:
                    title = _clean_title(stripped)
                    # An amendment note reference printed under a title ("[note 56]") is about
                    # the title; it would only clutter the heading or the next article.
                    while i < notes_start and _NOTE_REF_LINE_RE.match(lines[i].strip()):
                        i += 1
                    label, _ = structure[level]
                    structure[level] = (label, title)
                    continue
                if target == "clause" and stripped.startswith("#"):
                    current.title = _clean_title(stripped)
                    if current.kind == "section":
                        section_titles[current.key] = current.title
                    continue

        banner = _BANNER_RE.match(stripped)
        if banner:
            content = banner.group("text")
            if content and not content.lower().startswith("source:"):
                act = content
                structure = {0: (content, "")}
            continue

        article = _article(stripped)
        if article and not _quoted(offsets[i - 1], current.start, quotes):
            _move_trailing_chapter(current, structure)
            key, label, title, first_text = article
            if mixed_acts and act:
                label = f"{label} {_act_name(act)}"
            current = _Draft(key, label, kind="article", structure=_structure_label(structure),
                             title=title, start=offsets[i - 1])
            current.heading = _deepest(structure)
            # A crawler-flattened article has its title and text on the very next line.
            current.flat = not stripped.startswith("#") and i < notes_start and bool(
                lines[i].strip()) and not _is_marker(lines[i].strip())
            if first_text:
                current.lines.append(first_text)
            drafts.append(current)
            articles += 1
            if stripped.startswith("#") and not title:
                awaiting = ("clause", None)
            continue

        section = _section(stripped, code)
        if section:
            _move_trailing_chapter(current, structure)
            key, label, number, title, code = section
            parent = section_titles.get(key.rsplit("-", 1)[0], "") if "." in number else ""
            current = _Draft(key, label, kind="section", title=title, start=offsets[i - 1])
            current.structure = parent
            if title:
                section_titles[key] = title
            drafts.append(current)
            # A chapter code ("B8/3.1") is a sure sign of a circular; bare numbers need company.
            sections += 2 if code else 1
            if not title:
                awaiting = ("clause", None)
            continue

        struct = _structure(stripped)
        if struct:
            level, label, title = struct
            structure = {k: v for k, v in structure.items() if k < level}
            structure[level] = (label, title)
            if not title:
                awaiting = ("structure", level)
            continue

        context = _CODE_CONTEXT_RE.match(stripped)
        if context:
            code = context.group("code")
            continue

        recital = _RECITAL_RE.match(line) if not (articles or sections) else None
        if recital and int(recital.group("num")) == next_recital:
            number = recital.group("num")
            current = _Draft(f"rec-{number}",
                             f"{_RECITAL_LABELS.get(language, 'Recital')} ({number})",
                             kind="recital", start=offsets[i - 1])
            current.lines.append(recital.group("rest"))
            drafts.append(current)
            next_recital += 1
            continue

        current.lines.append(line)

    if not articles and sections < 2:
        return None
    if notes_start < len(lines):
        notes = _Draft("notes", _NOTES_LABELS.get(language, "Notes"), kind="notes")
        notes.lines = [ln for ln in lines[notes_start:] if not _BANNER_RE.match(ln.strip())]
        drafts.append(notes)
    else:
        _split_flat_footnotes(drafts, language)
    for draft in drafts:
        _settle_heading(draft)
    return drafts


def _article(line: str) -> tuple[str, str, str, str] | None:
    """Key, label, same-line title and same-line text of an article heading line, else None."""
    match = _ARTICLE_RE.match(line)
    if not match:
        return None
    rest = match.group("rest").strip().strip("*#").strip()
    word = match.group("word")
    if rest:
        if match.group("dot"):
            # "Art. 93. Le ministre …": the text follows on the heading line; a lowercase
            # start is a sentence about the article ("Art. 12. est modifié …").
            if rest[0].islower():
                return None
        elif len(rest) > 120 or not (rest[0].isupper() or rest[0] in "–—-:(["):
            return None
    number = match.group("num").lower()
    suffix = (match.group("letter") or match.group("latin") or "").lower()
    key = "art-" + re.sub(r"[./]", "-", "1" if number == "premier" else number) + suffix
    spaced = bool(match.group("latin")) and line[match.start("latin") - 1] in " \t"
    shown = number + (match.group("er") or "").lower() + (" " if spaced else "") + suffix
    label = f"{_article_word(word)} {shown}"
    if match.group("dot"):
        return key, label, "", rest
    return key, label, _clean_title(rest.lstrip("–—-: ")), ""


def _article_word(word: str) -> str:
    word = word.rstrip(".").lower()
    return "Art." if word == "art" else word.capitalize()


def _section(line: str, code: str) -> tuple[str, str, str, str, str] | None:
    """Key, label, number, title and chapter code of a numbered section heading, else None."""
    match = _CODED_SECTION_RE.match(line)
    if match and (line.startswith("#") or not match.group("rest")):
        code, number = match.group("code"), match.group("num")
    else:
        match = _NUMBERED_SECTION_RE.match(line)
        if not match:
            return None
        number = match.group("num")
    rest = (match.group("rest") or "").strip().strip("*").strip()
    if rest and not (rest[0].isupper() and len(rest) <= 120):
        return None
    slug = number.replace(".", "-")
    if code:
        return f"{code.lower()}-{slug}", f"{code}/{number}", number, _clean_title(rest), code
    return f"sec-{slug}", number, number, _clean_title(rest), ""


def _structure(line: str) -> tuple[int, str, str] | None:
    """Level, label and same-line title of a chapter/section heading, else None."""
    match = _STRUCTURE_RE.match(line)
    if not match:
        return None
    rest = match.group("rest").strip().strip("*#").strip()
    if rest:
        if rest[0] in "–—-:.":
            rest = rest.lstrip("–—-:. ")
        elif not rest[0].isupper() or len(rest) > _TITLE_LIMIT:
            return None
    word = match.group("word")
    level = _STRUCTURE_LEVELS[word.lower()]
    word = word.capitalize() if word.isupper() else word
    label = f"{word} {match.group('num')}{match.group('suf') or ''}"
    return level, label, _clean_title(rest)


def _is_marker(line: str) -> bool:
    return bool(
        _article(line) or _structure(line) or _BANNER_RE.match(line)
        or _NUMBERED_SECTION_RE.match(line) or _CODED_SECTION_RE.match(line)
    )


def _clean_title(text: str) -> str:
    """A heading or title line as shown to a user: no Markdown, no shouting."""
    text = re.sub(r"\s+", " ", text.strip().strip("#").strip("* \t"))
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) > 3 and all(ch.isupper() for ch in letters):
        text = text[0] + text[1:].lower()
    return text


def _structure_label(structure: dict[int, tuple[str, str]]) -> str:
    if not structure:
        return ""
    label, _ = structure[max(structure)]
    return _act_name(label) if max(structure) == 0 else label


def _deepest(structure: dict[int, tuple[str, str]]) -> str:
    if not structure:
        return ""
    label, title = structure[max(structure)]
    return f"{label}. {title}" if title else label


def _settle_heading(draft: _Draft) -> None:
    """Decide what a clause shows as heading once its title is known."""
    if draft.kind == "article" and not draft.title and draft.flat:
        first = next((ln.strip() for ln in draft.lines if ln.strip()), "")
        match = _FLAT_TITLE_RE.match(first)
        if match:
            draft.title = match.group("title").strip()
    if draft.title:
        draft.heading = f"{draft.structure} – {draft.title}" if draft.structure else draft.title


def _move_trailing_chapter(draft: _Draft, structure: dict[int, tuple[str, str]]) -> None:
    """Lift a chapter heading glued to the end of a clause into the heading context."""
    for index in range(len(draft.lines) - 1, -1, -1):
        line = draft.lines[index].rstrip()
        if not line:
            continue
        match = _TRAILING_CHAPTER_RE.search(line)
        if match and any(ch.isalpha() for ch in match.group("title")):
            draft.lines[index] = line[: match.start()].rstrip()
            word = match.group("word").capitalize()
            level = _STRUCTURE_LEVELS[word.lower()]
            for k in [k for k in structure if k >= level]:
                del structure[k]
            structure[level] = (f"{word} {match.group('num')}", _clean_title(match.group("title")))
        return


def _notes_start(lines: list[str]) -> int:
    """Index of the first line of a trailing footnote block, or len(lines) if there is none."""
    for index, line in enumerate(lines):
        banner = _BANNER_RE.match(line.strip())
        if banner and banner.group("text").lower().startswith("notes"):
            return index
    start = len(lines)
    index = len(lines) - 1
    while index >= 0:
        stripped = lines[index].strip()
        if stripped and not _NOTE_LINE_RE.match(stripped):
            break
        if stripped:
            start = index
        index -= 1
    return start


def _act_names(lines: list[str]) -> list[str]:
    names = []
    for line in lines:
        banner = _BANNER_RE.match(line.strip())
        if banner and banner.group("text") and not banner.group("text").lower().startswith(
            "source:"
        ):
            names.append(_act_name(banner.group("text")))
    return names


def _act_name(banner: str) -> str:
    """The act a banner line names: "Vreemdelingenwet 2000 (BWBR…), artikel 8" → its name."""
    return re.split(r"\s\(|,", banner, maxsplit=1)[0].strip()


def _line_offsets(lines: list[str]) -> list[int]:
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    return offsets


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Matched typographic quotation spans (“…”, «…»).

    Amending acts quote whole new articles ("wordt vervangen door: “Artikel 18 …”"); a heading
    inside such a quote belongs to the amended act, not to this one.
    """
    spans = []
    for opener, closer in (("“", "”"), ("«", "»")):
        if opener not in text:
            continue
        stack: list[int] = []
        for match in re.finditer(f"[{opener}{closer}]", text):
            if match.group() == opener:
                stack.append(match.start())
            elif stack:
                spans.append((stack.pop(), match.start()))
    return spans


def _quoted(position: int, clause_start: int, spans: list[tuple[int, int]]) -> bool:
    # Only quotes opened inside the current clause count, so that one stray opening mark
    # earlier in a long statute cannot swallow every article after it.
    return any(clause_start <= start < position < end for start, end in spans)


def _split_flat_footnotes(drafts: list[_Draft], language: str) -> None:
    """Move footnotes that a flattened EU text glued to its last article into a notes clause."""
    last = drafts[-1]
    if last.kind != "article":
        return
    body = "\n".join(last.lines)
    marks = list(_FOOTNOTE_MARK_RE.finditer(body))
    for index, mark in enumerate(marks):
        if mark.group(1) != "1":
            continue
        following = [int(m.group(1)) for m in marks[index:]]
        sequential = following == list(range(1, len(following) + 1))
        tail = body[mark.end():].lstrip()
        if mark.start() > 0 and sequential and (
            len(following) >= 2 or re.match(r"(PB|OJ|JO|ABl)\b", tail)
        ):
            last.lines = body[: mark.start()].rstrip().split("\n")
            notes = _Draft("notes", _NOTES_LABELS.get(language, "Notes"), kind="notes")
            # One footnote per paragraph, so that the notes can be cut into passages.
            parts = re.split(r"\s+(?=\(\s?\d{1,3}\s?\)\s)", body[mark.start():])
            notes.lines = "\n\n".join(parts).split("\n")
            drafts.append(notes)
            return


# ------------------------------------------------------------------------------- Markdown


def _markdown_drafts(lines: list[str], language: str) -> list[_Draft]:
    """One clause per ``##`` heading; ``###`` and deeper stay inside their ``##`` clause."""
    title = ""
    intro = _Draft("intro", _INTRO_LABELS.get(language, "Introduction"))
    drafts = [intro]
    current = intro
    for line in lines:
        match = _MD_HEADING_RE.match(line.strip())
        if match and len(match.group("hashes")) == 1 and match.group("text"):
            title = _clean_title(match.group("text"))
            for draft in drafts:
                if not draft.heading:
                    draft.heading = title
            continue
        if match and len(match.group("hashes")) == 2 and match.group("text"):
            text = re.sub(r"\s+", " ", match.group("text").strip("# ").strip())
            # "## Bedenktijd … {#reflection-period}": an explicit key keeps the clause id when
            # the heading is reworded or translated; without one the key is the heading's slug.
            explicit = _EXPLICIT_KEY_RE.search(text)
            if explicit:
                text = text[: explicit.start()].rstrip()
            key = explicit.group("key") if explicit else _slug(text)
            label = clip(text, _LABEL_LIMIT)
            # A shortened label loses the end of a long heading, often its article references
            # ("… (Art. 61/2–61/5 Vreemdelingenwet)"); the heading then keeps all of it, since
            # search sees label and heading but the sheet title is the document's title anyway.
            current = _Draft(key, label, heading=title if label == text else text)
            drafts.append(current)
            continue
        current.lines.append(line)
    return drafts


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > _SLUG_LIMIT:
        cut = slug[: _SLUG_LIMIT + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:_SLUG_LIMIT]
    return slug.strip("-") or "section"



# ------------------------------------------------------------------------------- paragraphs


def _paragraph_drafts(lines: list[str]) -> list[_Draft]:
    """One clause per non-empty paragraph, for texts without any numbering."""
    drafts: list[_Draft] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            number = len(drafts) + 1
            drafts.append(_Draft(f"par-{number}", f"{_PARAGRAPH_LABEL} {number}", lines=block))
            block = []
    return drafts


def _name_signature(drafts: list[_Draft], language: str) -> None:
    """Head a closing place-and-date paragraph as the signature it is.

    "Luxemburg, 10 december 2019" shares no word with "Where and when was the declaration
    signed?"; the heading gives both search channels the words, and the citation a name.
    """
    if not drafts:
        return
    last = drafts[-1]
    line = " ".join(part.strip() for part in last.lines if part.strip())
    if len(line) <= 120 and _SIGNATURE_LINE_RE.match(line):
        last.heading = _SIGNATURE_HEADINGS.get(language, _SIGNATURE_HEADINGS["en"])


# ------------------------------------------------------------------------------- assembly


def _finish(document: Document, drafts: list[_Draft], references: bool = False) -> list[Clause]:
    """Clauses from drafts; with ``references``, a fact sheet's reference lines are split off."""
    clauses: list[Clause] = []
    seen: dict[str, int] = {}
    for draft in drafts:
        text = _clean_text(draft.lines)
        refs = ClauseRefs()
        if references:
            text, refs = split_references(text)
        if not text:
            continue
        count = seen.get(draft.key, 0) + 1
        seen[draft.key] = count
        key = draft.key if count == 1 else f"{draft.key}-{count}"
        clauses.append(Clause(document=document.meta, key=key, label=draft.label, text=text,
                              heading=draft.heading, position=len(clauses), refs=refs))
    return clauses


def _clean_text(lines: list[str]) -> str:
    """Clause text: Markdown heading marks dropped, trailing spaces and extra blank lines gone.

    Blank lines are normalised to exactly one empty line because passages are cut at
    blank lines and must join back to the very same text.
    """
    out: list[str] = []
    after_heading = False
    for line in lines:
        line = line.rstrip()
        heading = _MD_HEADING_RE.match(line.lstrip()) if line.lstrip().startswith("#") else None
        if heading:
            line = heading.group("text").strip("* \t")
        if not line and (not out or not out[-1]):
            continue
        if line and out and out[-1] and (heading or after_heading or _ITEM_START_RE.match(line)):
            # A subheading, or a numbered paragraph or point that the source only put on a new
            # line (a Markdown hard break, a break re-inserted in flattened text), is a
            # paragraph of its own; passages can only be cut between paragraphs.
            out.append("")
        out.append(line)
        after_heading = bool(heading and line)
    return "\n".join(out).strip()


# ------------------------------------------------------------------------------- passages

_MARKER_ONLY_RE = re.compile(r"^(?:\(\d+[a-z]*\)|§\s*\d+[a-z]*\.?|\d+[a-z]*\.)$")
_PAREN_NUMBER_RE = re.compile(r"^\((\d+[a-z]*)\)(?:\s|$)")
_DOT_NUMBER_RE = re.compile(r"^(\d+)\.(?!\d)")
_SECTION_NUMBER_RE = re.compile(rf"^§\s*(\d+(?:{_SUFFIXES})?)")
_TITLED_FIRST_PARAGRAPH_RE = re.compile(r"^[^.\n]{1,150}?\s1\.\s")


def _units(text: str) -> list[str]:
    """Blank-line separated paragraphs; a lone marker or subheading glued to what follows it."""
    return glue_forward(
        text.split("\n\n"),
        lambda p: bool(_MARKER_ONLY_RE.match(p.strip())) or _is_subheading(p),
        "\n\n",
    )


def _is_subheading(paragraph: str) -> bool:
    # A short line without closing punctuation ("Verlenging", "Ad 1. De bedenktijd") titles
    # what follows; a passage should not end with it.
    line = paragraph.strip()
    return 0 < len(line) <= _LABEL_LIMIT and "\n" not in line and line[-1] not in ".;:,!?)»”\""


def _paragraph_numbering(text: str) -> str:
    """How a clause numbers its paragraphs: ``paren`` (1), ``section`` § 1, ``dot`` 1., or "".

    When paragraphs are ``(1)`` or ``§ 1``, a line ``1.`` is a point inside a paragraph. A
    ``1.`` line is a paragraph number only when the clause opens with paragraph 1, either on
    its own (``1. Each Party …``) or after a flattened article title (``Bedenktijd 1. De …``,
    then ``dot-titled``); otherwise numbered lines are list items (circulars, fact sheets).
    """
    if re.search(r"(?m)^\(\d+[a-z]*\)(?:\s|$)", text):
        return "paren"
    if re.search(r"(?m)^§\s*\d", text):
        return "section"
    first = text.split("\n", 1)[0]
    if re.match(r"1\.\s", first):
        return "dot"
    if _TITLED_FIRST_PARAGRAPH_RE.match(first):
        return "dot-titled"
    return ""


def _paragraph_number(line: str, numbering: str) -> str:
    pattern = {
        "paren": _PAREN_NUMBER_RE, "section": _SECTION_NUMBER_RE,
        "dot": _DOT_NUMBER_RE, "dot-titled": _DOT_NUMBER_RE,
    }.get(numbering)
    match = pattern.match(line) if pattern else None
    return match.group(1) if match else ""
