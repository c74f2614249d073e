"""Answers, clauses and source lists as Telegram HTML messages (pure functions).

Every document and user string is escaped with ``html.escape``. Messages are built from
blocks (the lead, each quoted clause, the notices) and packed into messages of at most
``MAX_LENGTH`` characters, counted on the HTML itself in UTF-16 code units, which is
never less than what Telegram counts; a message is only ever split between blocks, so
never inside a tag. A single quote too long for one message is shortened with "…".
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot.locales import text
from bot.models import Answer, BasisRef, Citation, DocumentMeta
from bot.reference.jurisdictions import NATIONAL
from bot.reference.jurisdictions import label as country_label
from bot.reference.text import clip, sentences

MAX_LENGTH = MessageLimit.MAX_TEXT_LENGTH
"""Telegram's limit on one message."""

QUOTE_LIMIT = 1200
"""Characters of a clause quoted in an answer; the full text is one button away."""

COMPARE_QUOTE_LIMIT = 350
"""Characters of the key sentence quoted per country in the BE/NL/LU comparison."""

MAX_BASIS_BUTTONS = 3
"""Official-text buttons under an answer at most."""

BUTTON_TEXT = 64
"""Characters of a button label at most (Telegram clips long labels on phones)."""

EXPANDABLE_FROM = 400
"""Quotes at least this long are sent as expandable blockquotes."""

MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
"""Telegram's limit on callback data."""

_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Callback:
    """Parsed callback data of an answer's buttons.

    Attributes:
        kind: ``full`` (clause text), ``compare`` (BE/NL/LU), ``feedback`` or ``unknown``.
        token: Key of the question in the in-memory cache (``compare``, ``feedback``, and
            ``full`` when the clause id is too long for the callback data).
        clause_id: Clause id (``full``), when it fits in the callback data.
        index: Position of the cited clause (``full`` via the cache).
        helpful: The rating (``feedback``).
    """

    kind: str
    token: str = ""
    clause_id: str = ""
    index: int = 0
    helpful: bool = False


def tg_len(message: str) -> int:
    """Length of a message as counted for the 4096 limit (UTF-16 code units of the HTML)."""
    return len(message.encode("utf-16-le")) // 2


def esc(value: object) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)



def is_http(url: str) -> bool:
    """True for an http(s) URL with a host."""
    parts = urlsplit(url.strip())
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def link(url: str, label: str) -> str:
    """An ``<a>`` link for http(s) URLs; other values are shown as escaped text."""
    if is_http(url):
        return f'<a href="{esc(url.strip())}">{esc(label)}</a>'
    return esc(url) if url else ""


# -- quotes --------------------------------------------------------------------------------
def _find(haystack: str, needle: str) -> tuple[int, int] | None:
    """Span of ``needle`` in ``haystack``, tolerant of differences in whitespace."""
    needle = needle.strip()
    if not needle:
        return None
    start = haystack.find(needle)
    if start != -1:
        return start, start + len(needle)
    pattern = r"\s+".join(re.escape(word) for word in needle.split())
    match = re.search(pattern, haystack)
    return (match.start(), match.end()) if match else None


def quote(body: str, highlight: str = "", limit: int = QUOTE_LIMIT) -> str:
    """A ``<blockquote>`` of ``body``, the ``highlight`` sentence in bold.

    A body longer than ``limit`` is cut to whole sentences around the highlight (or from the
    start), with "…" where sentences were left out; a single sentence longer than the limit
    is cut at a word. A quote never starts or ends inside a sentence otherwise.
    """
    body, span = _window(body.strip(), highlight, limit)
    if span is not None and span[1] > span[0]:
        start, end = span
        inner = f"{esc(body[:start])}<b>{esc(body[start:end])}</b>{esc(body[end:])}"
    else:
        inner = esc(body)
    tag = "blockquote expandable" if len(body) >= EXPANDABLE_FROM else "blockquote"
    return f"<{tag}>{inner}</blockquote>"


def _window(body: str, highlight: str, limit: int) -> tuple[str, tuple[int, int] | None]:
    """The part of ``body`` to quote and the span of the highlight in it."""
    span = _find(body, highlight) if highlight else None
    if len(body) <= limit:
        return body, span
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in sentences(body):
        found = _find(body[position:], sentence)
        if found is None:
            continue
        spans.append((position + found[0], position + found[1]))
        position += found[1]
    if not spans:
        return clip(body, limit), None
    first = 0
    if span is not None:
        first = next((i for i, (s, e) in enumerate(spans) if s <= span[0] < e), 0)
    last = first

    def fits(i: int, j: int) -> bool:
        return spans[j][1] - spans[i][0] + 4 <= limit  # room for the "… " marks

    while last + 1 < len(spans) and fits(first, last + 1):
        last += 1
    while first > 0 and fits(first - 1, last):
        first -= 1
    start, end = spans[first][0], spans[last][1]
    prefix = "… " if first > 0 else ""
    suffix = " …" if last + 1 < len(spans) else ""
    if end - start > limit - len(prefix):
        text = prefix + clip(body[start:end], limit - len(prefix))
        return text, (len(prefix), len(text)) if span is not None else None
    text = prefix + body[start:end] + suffix
    if span is None or not start <= span[0] < end:
        return text, None
    offset = len(prefix) - start
    return text, (span[0] + offset, min(span[1], end) + offset)


def citation_heading(number: int | None, citation: Citation, language: str) -> str:
    """``[n] Short title, Art. 93 — heading`` and ``JUR · version date · source link``."""
    title = citation.short_title or citation.title
    label = citation.display_label
    heading = citation.heading.strip()
    known = {label.casefold(), citation.title.casefold(), citation.short_title.casefold()}
    if heading and heading.casefold().startswith(label.rstrip("… ").casefold()):
        label = heading  # the label is the heading, shortened
    elif heading and heading.casefold() not in known:
        label = f"{label} — {heading}"
    prefix = f"[{number}] " if number is not None else ""
    first = f"<b>{esc(prefix)}{esc(clip(title, 200))}</b>, {esc(clip(label, 200))}"
    if citation.kind == "factsheet":
        dates = esc(citation.dates(language))
    else:
        dates = f"{text('version', language)} {esc(citation.version_date)}"
    details = [esc(citation.jurisdiction), dates, esc(citation.mark(language))]
    source = link(citation.source_url, text("source", language))
    if source:
        details.append(f"🔗 {source}")
    lines = [first, " · ".join(details)]
    if citation.stale:
        lines.append(f"<i>{esc(text('stale', language, date=citation.stale[:4]))}</i>")
    return "\n".join(lines)


def citation_block(
    number: int | None, citation: Citation, language: str, limit: int = QUOTE_LIMIT
) -> str:
    """One quoted clause: heading line, details line, and the quote."""
    return (
        f"{citation_heading(number, citation, language)}\n"
        f"{quote(citation.text, citation.highlight, limit)}"
    )


# -- packing -------------------------------------------------------------------------------
def pack(blocks: Iterable[str], limit: int = MAX_LENGTH) -> list[str]:
    """Join blocks into as few messages as fit within ``limit``, splitting only between blocks.

    A block longer than ``limit`` on its own is reduced to its escaped plain text, clipped.
    """
    fitted = (b if tg_len(b) <= limit else _plain_clip(b, limit) for b in blocks if b)
    return _join_while(fitted, _SEPARATOR, lambda message: tg_len(message) <= limit)


def _join_while(parts: Iterable[str], separator: str, fits: Callable[[str], bool]) -> list[str]:
    """Join consecutive parts with ``separator`` as long as the result ``fits``.

    A part that would not fit after the ones before it starts the next piece; each part is
    expected to fit on its own.
    """
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if not current or fits(candidate):
            current = candidate
        else:
            pieces.append(current)
            current = part
    if current:
        pieces.append(current)
    return pieces


def _plain_clip(block: str, limit: int) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", "", block))
    size = limit
    while True:
        candidate = esc(clip(plain, size))
        if tg_len(candidate) <= limit:
            return candidate
        size = int(size * 0.8)


# -- answers -------------------------------------------------------------------------------
def render_answer(
    answer: Answer, *, token: str | None = None, personal_data: bool = False
) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """Messages and buttons for an answer.

    Args:
        answer: The service's answer.
        token: Key of the question in the in-memory cache (for the compare and feedback
            buttons); without it only the full-text buttons that fit are offered.
        personal_data: Append the reminder not to share identifying details of victims.

    Returns:
        The HTML messages in order, and the keyboard for the last of them (None when
        there is nothing to offer).
    """
    language = answer.language
    blocks = [f"<b>{esc(clip(answer.lead, 1000))}</b>"] if answer.lead else []
    if answer.grounded and answer.sentences:
        for sentence in answer.sentences:
            marks = ""
            for cid in sentence.citation_ids:
                try:
                    marks += f"[{answer.citation_number(cid)}]"
                except KeyError:
                    continue
            line = esc(clip(sentence.text, 1500))
            blocks.append(f"{line} {marks}".rstrip())
    notices = [f"<i>{esc(clip(notice, 1000))}</i>" for notice in answer.notices]
    if not answer.grounded:
        # "Not covered": what the knowledge base has nearby comes before whom to ask.
        blocks.extend(notices)
        notices = []
    numbered = _numbered(answer)
    for number, citation in enumerate(answer.citations, start=1):
        blocks.append(citation_block(number if numbered else None, citation, language))
    blocks.extend(notices)
    if personal_data:
        blocks.append(text("personal_data", language))
    if not blocks:
        blocks = [text("question_invalid", language)]
    messages = pack(blocks)
    keyboard = answer_keyboard(answer, token) if answer.citations else None
    return messages, keyboard


def _numbered(answer: Answer) -> bool:
    """Whether the clauses of an answer get numbers: several, or cited by written sentences."""
    return bool(answer.sentences) or len(answer.citations) > 1


def answer_keyboard(answer: Answer, token: str | None) -> InlineKeyboardMarkup | None:
    """Buttons: full text of each cited clause, BE/NL/LU comparison, helpful / not helpful."""
    language = answer.language
    rows: list[list[InlineKeyboardButton]] = []
    full = text("btn_full", language)
    numbered = _numbered(answer)
    buttons = []
    for index, citation in enumerate(answer.citations):
        data = full_text_data(citation.id, token, index)
        if data is None:
            continue
        label = f"📄 {full} [{index + 1}]" if numbered else f"📄 {full}"
        buttons.append(InlineKeyboardButton(label, callback_data=data))
    rows.extend(buttons[i : i + 2] for i in range(0, len(buttons), 2))
    # The official article beside each fact-sheet summary it rests on.
    offset = len(answer.citations)
    for index, basis in enumerate(_basis(answer)):
        data = full_text_data(basis.id, token, offset + index)
        if data is not None:
            label = clip(text("official_text", language, name=basis.name), BUTTON_TEXT)
            rows.append([InlineKeyboardButton(label, callback_data=data)])
    if token:
        compare = InlineKeyboardButton(text("btn_compare", language), callback_data=f"c:{token}")
        rows.append([compare])
        rows.append([
            InlineKeyboardButton(text("btn_up", language), callback_data=f"h:{token}:1"),
            InlineKeyboardButton(text("btn_down", language), callback_data=f"h:{token}:0"),
        ])
    return InlineKeyboardMarkup(rows) if rows else None


def _basis(answer: Answer) -> list[BasisRef]:
    """The official clauses the cited fact-sheet clauses rest on, each once, at most a few."""
    seen: dict[str, BasisRef] = {}
    for citation in answer.citations:
        for basis in citation.basis:
            seen.setdefault(basis.id, basis)
    return list(seen.values())[:MAX_BASIS_BUTTONS]


def basis_ids(answer: Answer) -> tuple[str, ...]:
    """Ids behind the official-text buttons, in order (kept with the question for its buttons)."""
    return tuple(b.id for b in _basis(answer))


def full_text_data(clause_id: str, token: str | None, index: int) -> str | None:
    """Callback data of a full-text button: the clause id itself when it fits, else the cache."""
    direct = f"f:{clause_id}"
    if len(direct.encode("utf-8")) <= MAX_CALLBACK_BYTES:
        return direct
    return f"F:{token}:{index}" if token else None


def parse_callback(data: str | None) -> Callback:
    """Read the callback data of a button made by this module."""
    if not data:
        return Callback("unknown")
    kind, _, rest = data.partition(":")
    if kind == "f" and rest:
        return Callback("full", clause_id=rest)
    if kind == "F":
        token, _, index = rest.partition(":")
        if token and index.isdigit():
            return Callback("full", token=token, index=int(index))
    if kind == "c" and rest:
        return Callback("compare", token=rest)
    if kind == "h":
        token, _, rating = rest.partition(":")
        if token and rating in {"0", "1"}:
            return Callback("feedback", token=token, helpful=rating == "1")
    return Callback("unknown")


# -- full text, comparison, sources -----------------------------------------------------------
def render_clause(
    citation: Citation, language: str, note: str = "", limit: int = MAX_LENGTH
) -> list[str]:
    """The whole text of a clause, split over several messages when long.

    Args:
        citation: The clause as cited (``Service.citation``).
        language: Language of the fixed texts.
        note: The clause's verification line as written, shown under the text.
        limit: Longest message.
    """
    blocks = [f"📄 {citation_heading(None, citation, language)}"]
    chunk_limit = limit - 200
    for chunk in _chunks(citation.text.strip(), chunk_limit):
        blocks.append(f"<blockquote>{esc(chunk)}</blockquote>")
    if note:
        blocks.append(f"<i>{esc(clip(note, 1000))}</i>")
    return pack(blocks, limit)


def _chunks(body: str, limit: int) -> list[str]:
    """Split plain text into pieces whose escaped form fits ``limit``, at paragraphs if possible."""
    paragraphs = _split_long(body.split("\n"), limit)
    return _join_while(paragraphs, "\n", lambda piece: tg_len(esc(piece)) <= limit) or [""]


def _split_long(paragraphs: Sequence[str], limit: int) -> list[str]:
    out: list[str] = []
    for paragraph in paragraphs:
        while tg_len(esc(paragraph)) > limit:
            size = limit
            while tg_len(esc(paragraph[:size])) > limit:
                size = int(size * 0.8)
            cut = paragraph.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            out.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        out.append(paragraph)
    return out


def render_comparison(
    answers: dict[str, Answer], language: str, question: str = ""
) -> list[str]:
    """One comparison of BE, NL and LU, each from its own rules plus EU/CoE (split if long)."""
    title = text("compare_title", language)
    if question:
        title += f"\n<i>{esc(clip(' '.join(question.split()), 300))}</i>"
    blocks = [title]
    for country in NATIONAL:
        answer = answers.get(country)
        heading = f"<b>{esc(country_label(country, language))}</b>"
        if answer is None or not answer.grounded or not answer.citations:
            blocks.append(f"{heading}\n<i>{text('compare_none', language)}</i>")
            continue
        # The country's own rule first; the EU or Council of Europe rule when it has none.
        citation = next(
            (c for c in answer.citations if c.jurisdiction == country), answer.citations[0]
        )
        source = link(citation.source_url, text("source", language))
        details = " · ".join(
            part for part in (esc(clip(citation.short_title, 80)), esc(citation.mark(language)),
                              f"🔗 {source}" if source else "") if part
        )
        fact = citation.highlight or (sentences(citation.text) or [citation.text])[0]
        blocks.append(
            f"{heading} — {esc(clip(citation.label, 120))}\n{details}\n"
            f"<blockquote>{esc(clip(fact, COMPARE_QUOTE_LIMIT))}</blockquote>"
        )
    return pack(blocks)


def render_sources(documents: Sequence[DocumentMeta], language: str) -> list[str]:
    """The indexed documents by jurisdiction: short title (linked) and version date."""
    if not documents:
        return [text("sources_none", language)]
    order = {name: i for i, name in enumerate((*NATIONAL, "BENELUX", "EU", "CoE"))}
    groups: dict[str, list[DocumentMeta]] = {}
    for meta in documents:
        groups.setdefault(meta.jurisdiction, []).append(meta)
    blocks = [text("sources_title", language)]
    version = text("version", language)
    for jurisdiction in sorted(groups, key=lambda j: (order.get(j, 99), j)):
        lines = [f"<b>{esc(jurisdiction)}</b>"]
        for meta in sorted(groups[jurisdiction], key=lambda m: m.display_title.lower()):
            title = clip(meta.display_title, 200)
            shown = link(meta.source_url, title) if is_http(meta.source_url) else esc(title)
            lines.append(f"• {shown} — {version} {esc(meta.version_date.isoformat())}")
        blocks.extend(_line_blocks(lines, MAX_LENGTH // 2))
    return pack(blocks)


def _line_blocks(lines: Sequence[str], limit: int) -> list[str]:
    """Group lines (each far below ``limit``) into blocks of at most ``limit``."""
    return _join_while(lines, "\n", lambda block: tg_len(block) <= limit)
