"""Telegram update handlers: they route and render; the AnsweringService answers.

Message texts are never logged: log lines carry the update id, chat type, what was
handled, the outcome and the time taken (see ``handler``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop

from bot.answering.question import plain_question
from bot.errors import IndexUnavailable, QuestionError
from bot.locales import text
from bot.models import Answer
from bot.reference.jurisdictions import NATIONAL
from bot.reference.jurisdictions import label as country_label
from bot.reference.languages import detect_language, normalize_language
from bot.telegram import render
from bot.telegram.context import BotData, Context
from bot.telegram.privacy import looks_personal, question_hash
from bot.telegram.state import CachedQuestion

log = logging.getLogger(__name__)

T = TypeVar("T")
Outcome = str | tuple[str, dict[str, object]] | None
"""What a handler reports for the log: an outcome, optionally with counts."""

ANSWER_TIMEOUT = 30.0
"""Seconds before a hanging index counts as temporarily unavailable."""

SEND_RETRIES = 2
"""Retries of a message the Bot API failed to take (5xx, connection reset)."""

COUNTRY_CHOICES = {c.lower(): c for c in NATIONAL}
ALL_CHOICES = {"all", "alle", "tous", "tout", "allemaal"}
AUTO_CHOICES = {"auto", "automatic", "automatisch", "automatique"}


# -- the decorator every handler wears --------------------------------------------------------
def handler(
    name: str,
) -> Callable[[Callable[[Update, Context], Awaitable[Outcome]]], Callable[..., Coroutine]]:
    """Time and log a handler, and tell the user when the index is unavailable.

    The wrapped coroutine returns its outcome for the log (``"ok"`` when it returns None),
    or ``(outcome, counts)``. ``IndexUnavailable`` becomes the "temporarily unavailable"
    reply and the outcome ``unavailable``.
    """

    def decorate(
        func: Callable[[Update, Context], Awaitable[Outcome]],
    ) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
        @functools.wraps(func)
        async def wrapper(update: Update, context: Context) -> None:
            started = time.perf_counter()
            try:
                result = await func(update, context)
            except IndexUnavailable as exc:
                log.warning("update=%s index unavailable: %s", update.update_id, exc)
                language = ui_language(update, context)
                if update.callback_query:
                    with contextlib.suppress(TelegramError):
                        await update.callback_query.answer()
                await reply(update, text("unavailable", language))
                result = "unavailable"
            outcome, counts = result if isinstance(result, tuple) else (result or "ok", {})
            details = "".join(f" {key}={value}" for key, value in counts.items())
            log.info(
                "update=%s chat=%s handler=%s outcome=%s ms=%.0f%s",
                update.update_id, _chat_type(update), name, outcome,
                (time.perf_counter() - started) * 1000, details,
            )

        return wrapper

    return decorate


# -- helpers ---------------------------------------------------------------------------------
def _chat_type(update: Update) -> str:
    chat = update.effective_chat
    return chat.type if chat else "none"


def ui_language(update: Update, context: Context, sample: str | None = None) -> str:
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


async def _retrying(send: Callable[[], Awaitable[T]]) -> T:
    """Send, retrying when the Bot API failed to take the message (not on a timeout).

    A timed-out request may have been delivered, so it is not repeated; flood limits
    (``RetryAfter``) are handled by the rate limiter of the Application.
    """
    for attempt in range(SEND_RETRIES + 1):
        try:
            return await send()
        except TimedOut:
            raise
        except NetworkError:
            if attempt == SEND_RETRIES:
                raise
            await asyncio.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


async def reply(
    update: Update, content: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Reply in the chat of the update (quoting the message in groups)."""
    message = update.effective_message
    if message is not None and not update.callback_query:
        return await _retrying(lambda: message.reply_html(content, reply_markup=reply_markup))
    if update.callback_query and isinstance(update.callback_query.message, Message):
        # under the answer whose button was pressed (same forum topic, quoted)
        answered = update.callback_query.message
        return await _retrying(
            lambda: answered.reply_html(content, reply_markup=reply_markup, do_quote=True)
        )
    chat = update.effective_chat
    if chat is None:
        return None
    return await _retrying(
        lambda: update.get_bot().send_message(chat.id, content, reply_markup=reply_markup)
    )


async def reply_all(
    update: Update, messages: list[str], reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send several messages in order; the keyboard goes with the last one."""
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        await reply(update, message, reply_markup if last else None)


async def in_thread(context: Context, call: Callable[[], T]) -> T:
    """Run blocking service work in the answering threads, bounded in time."""
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(context.bot_data.executor, call)
    try:
        return await asyncio.wait_for(future, ANSWER_TIMEOUT)
    except TimeoutError:
        raise IndexUnavailable(f"no answer from the index within {ANSWER_TIMEOUT:.0f} s") from None


async def _typing_while(update: Update, context: Context, work: Awaitable[T]) -> T:
    """Await ``work``; show "typing…" in the chat when it takes longer than the typing delay."""
    task = asyncio.ensure_future(work)
    delay = context.bot_data.typing_delay
    chat = update.effective_chat
    if delay is not None and chat is not None:
        done, _ = await asyncio.wait({task}, timeout=delay)
        if not done:
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    return await task


def _data(context: Context) -> BotData:
    return context.bot_data


def is_admin(update: Update, context: Context) -> bool:
    """True when the user is listed in ADMIN_USER_IDS."""
    user = update.effective_user
    return bool(user and user.id in _data(context).settings.admin_user_ids)


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


def mentions_or_replies_to_bot(message: Message, context: Context) -> bool:
    """True for mentions of the bot and replies to the bot."""
    bot = context.bot
    return mentions_bot(message, bot.username, bot.id) or replies_to_bot(message, bot.id)


def addressed_to_bot(message: Message, context: Context) -> bool:
    """True for commands, mentions of the bot, and replies to the bot."""
    if message.text and message.text.startswith("/"):
        return True
    return mentions_or_replies_to_bot(message, context)


# -- access control ----------------------------------------------------------------------------
def is_allowed(update: Update, context: Context) -> bool:
    """ALLOWED_USER_IDS / ALLOWED_CHAT_IDS: a user or chat on either list (admins always)."""
    settings = _data(context).settings
    users, chats = settings.allowed_user_ids, settings.allowed_chat_ids
    if not users and not chats:
        return True
    user, chat = update.effective_user, update.effective_chat
    if user and (user.id in users or user.id in settings.admin_user_ids):
        return True
    return bool(chat and chat.id in chats)


def _is_forget(update: Update) -> bool:
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0] if message and message.text else ""
    return command.split("@", 1)[0].lower() == "/forget"


@handler("guard")
async def _refuse(update: Update, context: Context) -> Outcome:
    """Tell a user or chat that is not allowed so (private chats, or when addressed)."""
    language = ui_language(update, context)
    message = update.effective_message
    if update.callback_query:
        await update.callback_query.answer(text("not_allowed", language), show_alert=True)
    elif message is not None and (
        _chat_type(update) == ChatType.PRIVATE or addressed_to_bot(message, context)
    ):
        await reply(update, text("not_allowed", language))
    return "refused"


async def guard(update: Update, context: Context) -> None:
    """Refuse politely, and stop, when the user or chat is not allowed (/forget always works)."""
    if is_allowed(update, context) or _is_forget(update):
        return
    await _refuse(update, context)
    raise ApplicationHandlerStop


# -- commands ----------------------------------------------------------------------------------
@handler("start")
async def start(update: Update, context: Context) -> Outcome:
    """Say what the bot does and does not do, with a privacy note and example questions."""
    await reply(update, text("start", ui_language(update, context)))


@handler("help")
async def help_command(update: Update, context: Context) -> Outcome:
    """Explain how to ask and list the commands."""
    await reply(update, text("help", ui_language(update, context)))


@handler("privacy")
async def privacy(update: Update, context: Context) -> Outcome:
    """Say what is stored, what is kept in memory and for how long."""
    await reply(update, text("privacy", ui_language(update, context)))


@handler("forget")
async def forget(update: Update, context: Context) -> Outcome:
    """Delete everything kept about the user, write that to disk, then say so."""
    language = ui_language(update, context)
    user = update.effective_user
    data = _data(context)
    if user is not None:
        data.questions.forget_user(user.id)
        data.limiter.forget(user.id)
        data.conversations.pop(user.id, None)
        _drop(context, user.id)
        # Written before the reply: "deleted" must hold even if the bot stops right after.
        await context.application.update_persistence()
    await reply(update, text("forgotten", language))
    if user is not None:
        _drop(context, user.id)  # writing recreated empty entries in memory; no await follows


def _drop(context: Context, user_id: int) -> None:
    context.application.drop_user_data(user_id)
    context.application.drop_chat_data(user_id)  # the private chat has the user's id


@handler("country")
async def country(update: Update, context: Context) -> Outcome:
    """Set the chat's country (BE, NL, LU) or ``all``."""
    language = ui_language(update, context)
    choice = context.args[0].lower() if context.args else ""
    if choice in COUNTRY_CHOICES:
        code = COUNTRY_CHOICES[choice]
        context.chat_data["country"] = code
        answer = text("country_set", language, country=country_label(code, language))
    elif choice in ALL_CHOICES:
        context.chat_data.pop("country", None)
        answer = text("country_all", language)
    else:
        current = context.chat_data.get("country")
        shown = country_label(current, language) if current else text("all_countries", language)
        answer = text("country_usage", language, current=shown)
    await reply(update, answer)
    return "set" if choice else "usage"


@handler("lang")
async def lang(update: Update, context: Context) -> Outcome:
    """Set the chat's answer language (nl, fr, de, en) or ``auto``."""
    choice = normalize_language(context.args[0]) if context.args else None
    if choice:
        context.chat_data["lang"] = choice
        answer = text("lang_set", choice)
    elif context.args and context.args[0].lower() in AUTO_CHOICES:
        context.chat_data.pop("lang", None)
        answer = text("lang_auto", ui_language(update, context))
    else:
        language = ui_language(update, context)
        current = context.chat_data.get("lang") or text("auto", language)
        answer = text("lang_usage", language, current=current)
    await reply(update, answer)
    return "set" if choice else "usage"


@handler("sources")
async def sources(update: Update, context: Context) -> Outcome:
    """List the indexed documents by jurisdiction with version date and link."""
    language = ui_language(update, context)
    documents = await in_thread(context, _data(context).service.sources)
    await reply_all(update, render.render_sources(documents, language))
    return "ok", {"documents": len(documents)}


def admin_only(
    func: Callable[[Update, Context], Awaitable[Outcome]],
) -> Callable[[Update, Context], Awaitable[Outcome]]:
    """Tell a user who is not in ADMIN_USER_IDS that the command is for admins."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> Outcome:
        if is_admin(update, context):
            return await func(update, context)
        await reply(update, text("admin_only", ui_language(update, context)))
        return "refused"

    return wrapper


@handler("reload")
@admin_only
async def reload(update: Update, context: Context) -> Outcome:
    """Reopen the index after an ingest (admins only)."""
    language = ui_language(update, context)
    service = _data(context).service
    try:
        await in_thread(context, service.reload)
        count = len(await in_thread(context, service.sources))
    except IndexUnavailable as exc:
        log.warning("update=%s reload failed: %s", update.update_id, exc)
        await reply(update, text("reload_failed", language, reason=render.esc(exc)))
        return "unavailable"
    await reply(update, text("reload_done", language, count=count))
    return "ok", {"documents": count}


@handler("stats")
@admin_only
async def stats(update: Update, context: Context) -> Outcome:
    """Counts only (admins): questions, grounded or not, feedback, chats with preferences."""
    language = ui_language(update, context)
    counts = _data(context).stats
    ratings = [
        bool(item.get("helpful"))
        for data in context.application.user_data.values()
        for item in data.get("feedback", {}).values()
    ]
    up = sum(ratings)
    chats = sum(
        1 for data in context.application.chat_data.values()
        if data.get("lang") or data.get("country")
    )
    await reply(update, text(
        "stats", language, up=up, down=len(ratings) - up, chats=chats,
        questions=counts["questions"], grounded=counts["grounded"],
        not_grounded=counts["not_grounded"],
    ))


@handler("command")
async def unknown_command(update: Update, context: Context) -> Outcome:
    """Point to /help for commands the bot does not know (private chats)."""
    await reply(update, text("unknown_command", ui_language(update, context)))
    return "unknown"


# -- questions -------------------------------------------------------------------------------
@handler("ask")
async def ask(update: Update, context: Context) -> Outcome:
    """Answer ``/ask <question>`` (groups and private chats)."""
    message = update.effective_message
    command = message.entities[0].length if message.entities else 0
    question = message.text[command:] if message.text else ""
    question = strip_mention(question, context.bot.username)
    if not question.strip():
        await reply(update, text("ask_usage", ui_language(update, context)))
        return "usage"
    return await answer_question(update, context, question)


@handler("question")
async def private_text(update: Update, context: Context) -> Outcome:
    """Answer free text in a private chat as a question."""
    return await answer_question(update, context, update.effective_message.text or "")


async def group_text(update: Update, context: Context) -> None:
    """In groups, answer mentions of the bot and replies to it; ignore other chatter."""
    message = update.effective_message
    if not mentions_or_replies_to_bot(message, context):
        log.debug("update=%s chat=%s ignored: not addressed", update.update_id, _chat_type(update))
        return
    await _group_question(update, context)


@handler("group")
async def _group_question(update: Update, context: Context) -> Outcome:
    question = strip_mention(update.effective_message.text or "", context.bot.username)
    if not question.strip():
        await reply(update, text("empty", ui_language(update, context)))
        return "empty"
    return await answer_question(update, context, question)


async def unsupported(update: Update, context: Context) -> None:
    """Photos, stickers, voice, files, locations…: ask for a typed question."""
    message = update.effective_message
    if _chat_type(update) != ChatType.PRIVATE and not mentions_or_replies_to_bot(message, context):
        return
    await _unsupported(update, context)


@handler("unsupported")
async def _unsupported(update: Update, context: Context) -> Outcome:
    key = "empty" if update.effective_message.text is not None else "unsupported"
    await reply(update, text(key, ui_language(update, context)))
    return key


async def _rate_limited(update: Update, context: Context, language: str) -> bool:
    """Whether the user asked too often; the first refusal of a window says so, once."""
    user = update.effective_user
    verdict = _data(context).limiter.check(user.id) if user else None
    if verdict is None or verdict.allowed:
        return False
    if verdict.notify:
        seconds = max(1, round(verdict.wait))
        if update.callback_query:
            await update.callback_query.answer(
                text("rate_limited", language, seconds=seconds), show_alert=True
            )
        else:
            await reply(update, text("rate_limited", language, seconds=seconds))
    elif update.callback_query:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    return True


async def answer_question(update: Update, context: Context, question: str) -> Outcome:
    """Answer a question with quoted clauses, buttons and, if needed, a privacy reminder."""
    data = _data(context)
    # The rate limit comes first: a flood must cost as little as possible.
    if await _rate_limited(update, context, ui_language(update, context)):
        return "rate_limited"
    personal = looks_personal(question)
    cleaned = plain_question(question)
    language = ui_language(update, context, cleaned)
    country = context.chat_data.get("country")
    preferred = context.chat_data.get("lang")
    chat = update.effective_chat
    conversation = data.conversations.get(chat.id) if chat else None
    call = functools.partial(
        data.service.answer, cleaned, country=country, language=preferred,
        context=conversation.context() if conversation else None,
    )
    try:
        answer: Answer = await _typing_while(update, context, in_thread(context, call))
    except QuestionError as exc:
        await reply(update, text(exc.problem, language, **exc.values))
        return f"refused:{exc.code}"
    if conversation is not None and answer.status != "off_topic":
        conversation.remember(cleaned, answer.country)
    user = update.effective_user
    token = None
    if answer.citations:
        token = data.questions.put(
            cleaned, language=answer.language, country=country,
            citation_ids=tuple(c.id for c in answer.citations),
            basis_ids=render.basis_ids(answer),
            question_hash=question_hash(cleaned), user_id=user.id if user else None,
        )
    messages, keyboard = render.render_answer(answer, token=token, personal_data=personal)
    await reply_all(update, messages, keyboard)
    outcome = "grounded" if answer.grounded else "not_grounded"
    data.stats["questions"] += 1
    data.stats[outcome] += 1
    return outcome, {
        "citations": len(answer.citations), "messages": len(messages), "personal": personal,
        "language": answer.language, "country": country or "all",
    }


# -- buttons ---------------------------------------------------------------------------------
@handler("button")
async def button(update: Update, context: Context) -> Outcome:
    """Route a button press: full text, BE/NL/LU comparison, or feedback."""
    query = update.callback_query
    data = render.parse_callback(query.data)
    entry = _data(context).questions.get(data.token) if data.token else None
    language = entry.language if entry else ui_language(update, context)
    if data.kind == "unknown" or (data.token and entry is None):
        await query.answer(text("expired", language), show_alert=True)
        return f"{data.kind}:expired"
    if data.kind == "feedback":
        await _feedback(update, context, entry, data.helpful)
    elif data.kind == "full":
        await _full_text(update, context, entry, data, language)
    else:
        await _compare(update, context, entry)
    return data.kind


async def _feedback(
    update: Update, context: Context, entry: CachedQuestion, helpful: bool
) -> None:
    feedback = context.user_data.setdefault("feedback", {})
    feedback[entry.question_hash] = {
        "question": entry.question_hash, "clauses": list(entry.citation_ids),
        "helpful": helpful,
    }
    key = "thanks_up" if helpful else "thanks_down"
    await update.callback_query.answer(text(key, entry.language))


async def _full_text(
    update: Update, context: Context, entry: CachedQuestion | None,
    data: render.Callback, language: str,
) -> None:
    query = update.callback_query
    clause_id = data.clause_id
    if not clause_id and entry is not None:
        clause_id = entry.clause_id(data.index)
    if not clause_id:
        await query.answer(text("expired", language), show_alert=True)
        return
    await query.answer()
    service = _data(context).service
    citation = await in_thread(context, functools.partial(service.citation, clause_id))
    if citation is None:
        await reply(update, text("clause_gone", language))
        return
    await reply_all(update, render.render_clause(citation, language, citation.note))


async def _compare(update: Update, context: Context, entry: CachedQuestion) -> None:
    if await _rate_limited(update, context, entry.language):
        return
    await update.callback_query.answer()
    service = _data(context).service

    def compare() -> dict[str, Answer]:
        return {
            country: service.answer(entry.question, country=country, language=entry.language)
            for country in NATIONAL
        }

    try:
        answers = await _typing_while(update, context, in_thread(context, compare))
    except QuestionError:
        await reply(update, text("question_invalid", entry.language))
        return
    await reply_all(update, render.render_comparison(answers, entry.language, entry.question))


# -- errors ----------------------------------------------------------------------------------
async def on_error(update: object, context: Context) -> None:
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
        await reply(update, text("error", language))
    except TelegramError as exc:
        log.warning("update=%s could not report the error to the chat: %s", update_id, exc)
