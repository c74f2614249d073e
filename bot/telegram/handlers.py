"""Telegram update handlers: they route and render; the AnsweringService answers.

Message texts are never logged: log lines carry the update id, chat type, what was
handled, the outcome and the time taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar, cast

from telegram import InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.errors import IndexUnavailable, QuestionError
from bot.language import detect_language, normalize_language
from bot.models import NATIONAL, Answer
from bot.question import plain_question
from bot.telegram import render
from bot.telegram.privacy import looks_personal, question_hash
from bot.telegram.state import CachedQuestion
from bot.telegram.texts import text

if TYPE_CHECKING:
    from bot.telegram.app import AssistantApplication

log = logging.getLogger(__name__)

T = TypeVar("T")

ANSWER_TIMEOUT = 30.0
"""Seconds before a hanging index counts as temporarily unavailable."""

COUNTRY_CHOICES = {c.lower(): c for c in NATIONAL}


# -- helpers ---------------------------------------------------------------------------------
def _app(context: ContextTypes.DEFAULT_TYPE) -> AssistantApplication:
    return cast("AssistantApplication", context.application)


def _chat_type(update: Update) -> str:
    chat = update.effective_chat
    return chat.type if chat else "none"


def _done(update: Update, what: str, outcome: str, started: float, **extra: object) -> None:
    details = "".join(f" {key}={value}" for key, value in extra.items())
    log.info(
        "update=%s chat=%s handler=%s outcome=%s ms=%.0f%s",
        update.update_id, _chat_type(update), what, outcome,
        (time.perf_counter() - started) * 1000, details,
    )


def ui_language(
    update: Update, context: ContextTypes.DEFAULT_TYPE, sample: str | None = None
) -> str:
    """Language of fixed texts: the chat's /lang, the user's Telegram language, the text's."""
    preferred = context.chat_data.get("lang") if context.chat_data is not None else None
    if preferred:
        return preferred
    user = update.effective_user
    from_user = normalize_language(user.language_code) if user else None
    if from_user:
        return from_user
    if sample:
        return detect_language(sample)
    return "en"


async def _reply(
    update: Update, content: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Reply in the chat of the update (quoting the message in groups)."""
    message = update.effective_message
    if message is not None and not update.callback_query:
        return await message.reply_html(content, reply_markup=reply_markup)
    if update.callback_query and isinstance(update.callback_query.message, Message):
        # under the answer whose button was pressed (same forum topic, quoted)
        return await update.callback_query.message.reply_html(
            content, reply_markup=reply_markup, do_quote=True
        )
    chat = update.effective_chat
    if chat is None:
        return None
    return await update.get_bot().send_message(chat.id, content, reply_markup=reply_markup)


async def _reply_all(
    update: Update, messages: list[str], reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send several messages in order; the keyboard goes with the last one."""
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        await _reply(update, message, reply_markup if last else None)


async def _in_thread(context: ContextTypes.DEFAULT_TYPE, call: Callable[[], T]) -> T:
    """Run blocking service work in the answering threads, bounded in time."""
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_app(context).executor, call)
    try:
        return await asyncio.wait_for(future, ANSWER_TIMEOUT)
    except TimeoutError:
        raise IndexUnavailable(f"no answer from the index within {ANSWER_TIMEOUT:.0f} s") from None


async def _typing_while(
    update: Update, context: ContextTypes.DEFAULT_TYPE, work: Awaitable[T]
) -> T:
    """Await ``work``; show "typing…" in the chat when it takes longer than the typing delay."""
    task = asyncio.ensure_future(work)
    delay = _app(context).typing_delay
    chat = update.effective_chat
    if delay is not None and chat is not None:
        done, _ = await asyncio.wait({task}, timeout=delay)
        if not done:
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    return await task


def _stats(context: ContextTypes.DEFAULT_TYPE) -> dict[str, int]:
    return context.bot_data.setdefault(
        "stats", {"questions": 0, "grounded": 0, "not_grounded": 0}
    )


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True when the user is listed in ADMIN_USER_IDS."""
    user = update.effective_user
    return bool(user and user.id in _app(context).settings.admin_user_ids)


def mentions_bot(message: Message, username: str | None, bot_id: int) -> bool:
    """True when the message mentions the bot (@username or a text mention)."""
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    entities.update(
        message.parse_caption_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    )
    for entity, value in entities.items():
        if entity.type == MessageEntity.MENTION and username:
            if value.lstrip("@").lower() == username.lower():
                return True
        elif entity.user is not None and entity.user.id == bot_id:
            return True
    return False


def replies_to_bot(message: Message, bot_id: int) -> bool:
    """True when the message replies to one of the bot's messages."""
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def strip_mention(value: str, username: str | None) -> str:
    """The message text without the bot's @username."""
    if not username:
        return value
    return re.sub(rf"@{re.escape(username)}\b", " ", value, flags=re.IGNORECASE).strip()


def mentions_or_replies_to_bot(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for mentions of the bot and replies to the bot."""
    bot = context.bot
    return mentions_bot(message, bot.username, bot.id) or replies_to_bot(message, bot.id)


def addressed_to_bot(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for commands, mentions of the bot, and replies to the bot."""
    if message.text and message.text.startswith("/"):
        return True
    return mentions_or_replies_to_bot(message, context)


# -- access control ----------------------------------------------------------------------------
def is_allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """ALLOWED_USER_IDS / ALLOWED_CHAT_IDS: a user or chat on either list (admins always)."""
    settings = _app(context).settings
    users, chats = settings.allowed_user_ids, settings.allowed_chat_ids
    if not users and not chats:
        return True
    user, chat = update.effective_user, update.effective_chat
    if user and (user.id in users or user.id in settings.admin_user_ids):
        return True
    return bool(chat and chat.id in chats)


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Refuse politely, and stop, when the user or chat is not allowed."""
    if is_allowed(update, context):
        return
    started = time.perf_counter()
    language = ui_language(update, context)
    message = update.effective_message
    if update.callback_query:
        await update.callback_query.answer(text("not_allowed", language), show_alert=True)
    elif message is not None and (
        _chat_type(update) == ChatType.PRIVATE or addressed_to_bot(message, context)
    ):
        await message.reply_html(text("not_allowed", language))
    _done(update, "guard", "refused", started)
    raise ApplicationHandlerStop


# -- commands ----------------------------------------------------------------------------------
async def _send_text(
    update: Update, context: ContextTypes.DEFAULT_TYPE, key: str,
    what: str | None = None, outcome: str = "ok",
) -> None:
    """Reply with the fixed text ``key``; logged as handler ``what`` (default ``key``)."""
    started = time.perf_counter()
    await update.effective_message.reply_html(text(key, ui_language(update, context)))
    _done(update, what or key, outcome, started)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what the bot does and does not do, with a privacy note and example questions."""
    await _send_text(update, context, "start")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask and list the commands."""
    await _send_text(update, context, "help")


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what is stored, what is kept in memory and for how long."""
    await _send_text(update, context, "privacy")


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete everything stored about the user: user_data, feedback, their private chat_data."""
    started = time.perf_counter()
    language = ui_language(update, context)
    user = update.effective_user
    app = _app(context)
    if user is not None:
        app.questions.forget_user(user.id)
        app.limiter.forget(user.id)
    await update.effective_message.reply_html(text("forgotten", language))
    if user is not None:  # after the last await: nothing writes these back in between
        app.drop_user_data(user.id)
        app.drop_chat_data(user.id)  # the private chat with a user has the user's id
    _done(update, "forget", "ok", started)


async def country(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set the chat's country (BE, NL, LU) or ``all``."""
    started = time.perf_counter()
    language = ui_language(update, context)
    choice = context.args[0].lower() if context.args else ""
    if choice in COUNTRY_CHOICES:
        context.chat_data["country"] = COUNTRY_CHOICES[choice]
        reply = text("country_set", language, country=text(f"country_{COUNTRY_CHOICES[choice]}",
                                                              language))
    elif choice in {"all", "alle", "tous", "tout"}:
        context.chat_data.pop("country", None)
        reply = text("country_all", language)
    else:
        current = context.chat_data.get("country")
        shown = text(f"country_{current}", language) if current else text("all_countries",
                                                                         language)
        reply = text("country_usage", language, current=shown)
    await update.effective_message.reply_html(reply)
    _done(update, "country", "set" if choice else "usage", started)


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set the chat's answer language (nl, fr, de, en) or ``auto``."""
    started = time.perf_counter()
    choice = normalize_language(context.args[0]) if context.args else None
    if choice:
        context.chat_data["lang"] = choice
        reply = text("lang_set", choice)
    elif context.args and context.args[0].lower() in {"auto", "automatic", "automatisch"}:
        context.chat_data.pop("lang", None)
        reply = text("lang_auto", ui_language(update, context))
    else:
        language = ui_language(update, context)
        current = context.chat_data.get("lang") or text("auto", language)
        reply = text("lang_usage", language, current=current)
    await update.effective_message.reply_html(reply)
    _done(update, "lang", "set" if choice else "usage", started)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the indexed documents by jurisdiction with version date and link."""
    started = time.perf_counter()
    language = ui_language(update, context)
    try:
        documents = await _in_thread(context, _app(context).service.sources)
    except IndexUnavailable as exc:
        log.warning("update=%s index unavailable: %s", update.update_id, exc)
        await update.effective_message.reply_html(text("unavailable", language))
        _done(update, "sources", "unavailable", started)
        return
    await _reply_all(update, render.render_sources(documents, language))
    _done(update, "sources", "ok", started, documents=len(documents))


async def _refused_unless_admin(
    update: Update, context: ContextTypes.DEFAULT_TYPE, command: str, language: str,
    started: float,
) -> bool:
    """Tell a non-admin the command is for admins; True when the command was refused."""
    if is_admin(update, context):
        return False
    await update.effective_message.reply_html(text("admin_only", language))
    _done(update, command, "refused", started)
    return True


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reopen the index after an ingest (admins only)."""
    started = time.perf_counter()
    language = ui_language(update, context)
    if await _refused_unless_admin(update, context, "reload", language, started):
        return
    service = _app(context).service
    try:
        await _in_thread(context, service.reload)
        count = len(await _in_thread(context, service.sources))
    except IndexUnavailable as exc:
        log.warning("update=%s reload failed: %s", update.update_id, exc)
        await update.effective_message.reply_html(
            text("reload_failed", language, reason=render.esc(exc))
        )
        _done(update, "reload", "unavailable", started)
        return
    await update.effective_message.reply_html(text("reload_done", language, count=count))
    _done(update, "reload", "ok", started, documents=count)


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Counts only (admins): questions, grounded or not, feedback, chats with preferences."""
    started = time.perf_counter()
    language = ui_language(update, context)
    if await _refused_unless_admin(update, context, "stats", language, started):
        return
    counts = dict(_stats(context))
    ratings = [
        bool(item.get("helpful"))
        for data in context.application.user_data.values()
        for item in data.get("feedback", {}).values()
    ]
    up = sum(ratings)
    down = len(ratings) - up
    chats = sum(
        1 for data in context.application.chat_data.values()
        if data.get("lang") or data.get("country")
    )
    await update.effective_message.reply_html(
        text("stats", language, up=up, down=down, chats=chats, **counts)
    )
    _done(update, "stats", "ok", started)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point to /help for commands the bot does not know (private chats)."""
    await _send_text(update, context, "unknown_command", what="command", outcome="unknown")


# -- questions -------------------------------------------------------------------------------
async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer ``/ask <question>`` (groups and private chats)."""
    message = update.effective_message
    command = message.entities[0].length if message.entities else 0
    question = message.text[command:] if message.text else ""
    question = strip_mention(question, context.bot.username)
    if not question.strip():
        await _send_text(update, context, "ask_usage", what="ask", outcome="usage")
        return
    await answer_question(update, context, question)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer free text in a private chat as a question."""
    await answer_question(update, context, update.effective_message.text or "")


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, answer mentions of the bot and replies to it; ignore other chatter."""
    message = update.effective_message
    if not mentions_or_replies_to_bot(message, context):
        log.debug("update=%s chat=%s ignored: not addressed", update.update_id, _chat_type(update))
        return
    question = strip_mention(message.text or "", context.bot.username)
    if not question.strip():
        await _send_text(update, context, "empty", what="group", outcome="empty")
        return
    await answer_question(update, context, question)


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, voice, files, locations…: ask for a typed question."""
    message = update.effective_message
    if _chat_type(update) != ChatType.PRIVATE and not mentions_or_replies_to_bot(message, context):
        return
    started = time.perf_counter()
    language = ui_language(update, context)
    key = "empty" if message.text is not None else "unsupported"
    await message.reply_html(text(key, language))
    _done(update, "unsupported", key, started)


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str
) -> None:
    """Answer a question with quoted clauses, buttons and, if needed, a privacy reminder."""
    started = time.perf_counter()
    app = _app(context)
    personal = looks_personal(question)
    question = plain_question(question)
    language = ui_language(update, context, question)
    if not question:
        await _reply(update, text("empty", language))
        _done(update, "question", "empty", started)
        return
    limit = app.settings.max_question_chars
    if len(question) > limit:
        await _reply(update, text("too_long", language, length=len(question), limit=limit))
        _done(update, "question", "too_long", started, chars=len(question))
        return
    user = update.effective_user
    wait = app.limiter.wait_time(user.id) if user else 0.0
    if wait:
        await _reply(update, text("rate_limited", language, seconds=max(1, round(wait))))
        _done(update, "question", "rate_limited", started)
        return
    country = context.chat_data.get("country")
    preferred = context.chat_data.get("lang")
    call = functools.partial(app.service.answer, question, country=country, language=preferred)
    try:
        answer: Answer = await _typing_while(update, context, _in_thread(context, call))
    except IndexUnavailable as exc:
        log.warning("update=%s index unavailable: %s", update.update_id, exc)
        await _reply(update, text("unavailable", language))
        _done(update, "question", "unavailable", started)
        return
    except QuestionError as exc:
        if "long" in exc.code:
            reply = text("too_long", language, length=len(question), limit=limit)
        else:
            reply = text("empty" if "empty" in exc.code else "question_invalid", language)
        await _reply(update, reply)
        _done(update, "question", f"refused:{exc.code}", started)
        return
    token = None
    if answer.grounded and answer.citations:
        token = app.questions.put(
            question, language=answer.language, country=country,
            citation_ids=tuple(c.id for c in answer.citations),
            question_hash=question_hash(question), user_id=user.id if user else None,
        )
    messages, keyboard = render.render_answer(answer, token=token, personal_data=personal)
    await _reply_all(update, messages, keyboard)
    counts = _stats(context)
    counts["questions"] += 1
    counts["grounded" if answer.grounded else "not_grounded"] += 1
    _done(
        update, "question", "grounded" if answer.grounded else "not_grounded", started,
        citations=len(answer.citations), messages=len(messages), personal=personal,
        language=answer.language, country=country or "all",
    )


# -- buttons ---------------------------------------------------------------------------------
async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Route a button press: full text, BE/NL/LU comparison, or feedback."""
    started = time.perf_counter()
    query = update.callback_query
    data = render.parse_callback(query.data)
    app = _app(context)
    entry = app.questions.get(data.token) if data.token else None
    language = entry.language if entry else ui_language(update, context)
    if data.kind == "unknown" or (data.token and entry is None):
        await query.answer(text("expired", language), show_alert=True)
        _done(update, "button", f"{data.kind}:expired", started)
        return
    if data.kind == "feedback":
        await _feedback(update, context, entry, data.helpful)
    elif data.kind == "full":
        await _full_text(update, context, entry, data, language)
    else:
        await _compare(update, context, entry)
    _done(update, "button", data.kind, started)


async def _feedback(
    update: Update, context: ContextTypes.DEFAULT_TYPE, entry: CachedQuestion, helpful: bool
) -> None:
    feedback = context.user_data.setdefault("feedback", {})
    feedback[entry.question_hash] = {
        "question": entry.question_hash, "clauses": list(entry.citation_ids),
        "helpful": helpful,
    }
    key = "thanks_up" if helpful else "thanks_down"
    await update.callback_query.answer(text(key, entry.language))


async def _full_text(
    update: Update, context: ContextTypes.DEFAULT_TYPE, entry: CachedQuestion | None,
    data: render.Callback, language: str,
) -> None:
    query = update.callback_query
    clause_id = data.clause_id
    if not clause_id and entry is not None and data.index < len(entry.citation_ids):
        clause_id = entry.citation_ids[data.index]
    if not clause_id:
        await query.answer(text("expired", language), show_alert=True)
        return
    await query.answer()
    service = _app(context).service
    try:
        clause = await _in_thread(context, functools.partial(service.clause, clause_id))
    except IndexUnavailable as exc:
        log.warning("update=%s index unavailable: %s", update.update_id, exc)
        await _reply(update, text("unavailable", language))
        return
    if clause is None:
        await _reply(update, text("clause_gone", language))
        return
    await _reply_all(update, render.render_clause(clause, language))


async def _compare(
    update: Update, context: ContextTypes.DEFAULT_TYPE, entry: CachedQuestion
) -> None:
    query = update.callback_query
    app = _app(context)
    user = update.effective_user
    wait = app.limiter.wait_time(user.id) if user else 0.0
    if wait:
        await query.answer(
            text("rate_limited", entry.language, seconds=max(1, round(wait))), show_alert=True
        )
        return
    await query.answer()

    def compare() -> dict[str, Answer]:
        return {
            country: app.service.answer(entry.question, country=country, language=entry.language)
            for country in NATIONAL
        }

    try:
        answers = await _typing_while(update, context, _in_thread(context, compare))
    except IndexUnavailable as exc:
        log.warning("update=%s index unavailable: %s", update.update_id, exc)
        await _reply(update, text("unavailable", entry.language))
        return
    except QuestionError:
        await _reply(update, text("question_invalid", entry.language))
        return
    await _reply_all(
        update, render.render_comparison(answers, entry.language, entry.question)
    )


# -- errors ----------------------------------------------------------------------------------
async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception with its traceback and tell the user something went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update=%s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    language = ui_language(update, context) if context.chat_data is not None else "en"
    try:
        if update.callback_query:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer(text("error", language), show_alert=True)
                return
        await _reply(update, text("error", language))
    except TelegramError as exc:
        log.warning("update=%s could not report the error to the chat: %s", update_id, exc)
