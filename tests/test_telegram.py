"""The Telegram bot end to end: the real Application polls a fake Bot API on 127.0.0.1.

The answers come from the real AnsweringService over a real Chroma index built by
``bot.index.ingest.ingest`` from a small knowledge folder made here (the Benelux declaration
of the repository plus three tiny factsheets).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from bot.answering.service import AnsweringService
from bot.errors import IndexUnavailable
from bot.index.ingest import ingest
from bot.models import Answer, AnswerSentence, Citation, Clause, DocumentMeta
from bot.telegram import render
from bot.telegram.app import (
    EXIT_CONFIG,
    build_application,
    run,
    webhook_options,
)
from bot.telegram.privacy import looks_personal, question_hash
from bot.telegram.state import QuestionCache, RateLimiter
from tests.conftest import (
    DECLARATION_FILE,
    KNOWLEDGE,
    REPO,
    ChromaServer,
    free_port,
    make_settings,
)
from tests.fake_telegram import (
    MAX_MESSAGE_LENGTH,
    Call,
    FakeTelegramAPI,
    HTMLCheckError,
    parse_telegram_html,
    utf16_len,
)

shared_loop = pytest.mark.asyncio(loop_scope="module")
"""Async tests share the module's event loop, the index and the running bot."""

TOKEN = "123:ABC"
ADMIN = 4242
QUESTION_LU = "How long is the reflection period in Luxembourg?"
LU_REFLECTION = "test-lu-sheet#reflection-period"
LU_LONG = "test-lu-sheet#assistance-and-information"
LONG_PARAGRAPHS = 70

_users = itertools.count(10_000)

HANG = 600.0
"""Seconds before a wait counts as a hang: generous, so a loaded machine is never a failure."""


def factsheet(
    doc_id: str, jurisdiction: str, title: str, short: str, url: str, body: str
) -> str:
    return (
        f"---\nid: {doc_id}\ntitle: {json.dumps(title)}\nshort_title: {json.dumps(short)}\n"
        f"jurisdiction: {jurisdiction}\nlanguage: en\nkind: factsheet\n"
        f"version_date: 2026-01-01\nsource_url: {json.dumps(url)}\n---\n"
        f"# {short}\n\n{body}"
    )


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("knowledge")
    declaration = DECLARATION_FILE
    if declaration.exists():
        shutil.copy(declaration, folder / declaration.name)
    glossary = KNOWLEDGE / "glossary.yaml"
    if glossary.exists():
        shutil.copy(glossary, folder / glossary.name)
    long_clause = "\n\n".join(
        f"Paragraph {i}: the social worker informs the presumed victim about legal aid, "
        f"medical care, interpretation and safe shelter, step {i} of the assistance plan."
        for i in range(1, LONG_PARAGRAPHS + 1)
    )
    (folder / "lu.en.md").write_text(factsheet(
        "test-lu-sheet", "LU", "Luxembourg factsheet <script>alert(1)</script> & co",
        "LU <sheet> & co", "https://example.org/lu?a=1&b=2",
        "## Reflection period\n\nA presumed victim of trafficking in human beings receives a "
        "reflection period of ninety days to decide whether to cooperate with the "
        "authorities. During the reflection period no removal order is enforced.\n\n"
        "## Shelter\n\nVictims get safe accommodation and psychological assistance.\n\n"
        f"## Assistance and information\n\n{long_clause}\n",
    ))
    (folder / "be.en.md").write_text(factsheet(
        "test-be-sheet", "BE", "Belgium factsheet", "BE sheet", "https://example.org/be",
        "## Reflection period\n\nIn Belgium a presumed victim receives an order to leave "
        "the territory valid for forty-five days as reflection period, to recover and to "
        "decide whether to file a complaint.\n",
    ))
    (folder / "nl.en.md").write_text(factsheet(
        "test-nl-sheet", "NL", "Netherlands factsheet", "NL sheet", "https://example.org/nl",
        "## Reflection period\n\nIn the Netherlands a possible victim gets a reflection "
        "period of three months to decide whether to report trafficking to the police.\n",
    ))
    return folder


@pytest.fixture(scope="module")
def index_settings(tmp_path_factory, knowledge, use_embeddings):
    settings = make_settings(tmp_path_factory.mktemp("index"), knowledge)
    ingest(settings, embeddings=use_embeddings)
    return settings


@pytest.fixture(scope="module")
def service(index_settings, use_embeddings) -> AnsweringService:
    service = AnsweringService(index_settings, embeddings=use_embeddings)
    assert service.answer(QUESTION_LU).grounded  # opens the index once
    return service


def bot_settings(base, api: FakeTelegramAPI, tmp: Path, **overrides):
    values = base.model_dump()
    values.update(
        telegram_bot_token=TOKEN, telegram_base_url=api.base_url,
        persistence_path=tmp / "state.pickle", admin_user_ids=[ADMIN],
    )
    values.update(overrides)
    return type(base)(_env_file=None, **values)


@contextlib.asynccontextmanager
async def running(settings, service, typing_delay: float | None = None):
    """The real Application polling the fake API, stopped cleanly afterwards."""
    application = build_application(settings, service)
    application.bot_data.typing_delay = typing_delay
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def api():
    with FakeTelegramAPI(TOKEN) as fake:
        yield fake


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(api, service, index_settings, tmp_path_factory):
    settings = bot_settings(index_settings, api, tmp_path_factory.mktemp("bot"))
    async with running(settings, service) as application:
        yield application


def new_user() -> int:
    return next(_users)


async def exchange(
    api: FakeTelegramAPI, text: str | None, *, user_id: int, chat_id: int | None = None,
    until=None, timeout: float | None = None, **kwargs,
) -> list[Call]:
    """Send a message and return the bot's new messages to that chat once ``until`` holds."""
    chat = chat_id if chat_id is not None else user_id
    before = len(api.sent(chat))
    api.push_message(text, user_id=user_id, chat_id=chat_id, **kwargs)
    done = until or (lambda new: len(new) >= 1)

    def new_messages(_calls):
        new = api.sent(chat)[before:]
        return new if new and done(new) else None

    return await api.wait_for(new_messages, timeout or HANG)


def answered(new: list[Call]) -> bool:
    """The bot finished an answer (its last message carries the buttons) or said no."""
    return any("reply_markup" in c.params for c in new) or "<blockquote" not in new[-1].text


def keyboard(call: Call) -> list[dict]:
    return [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]


def button_data(call: Call, prefix: str) -> str:
    return next(b["callback_data"] for b in keyboard(call) if b["callback_data"].startswith(prefix))


async def press(api: FakeTelegramAPI, data: str, *, message: Call, user_id: int, **kwargs):
    before = len(api.sent(method="answerCallbackQuery"))
    api.push_callback(data, message=message, user_id=user_id, **kwargs)
    answers = await api.wait_for(
        lambda _: api.sent(method="answerCallbackQuery")[before:], HANG
    )
    return answers[0]


# -- conversation ------------------------------------------------------------------------------
@shared_loop
@pytest.mark.parametrize(
    ("code", "markers"),
    [
        ("nl", ("bedenktijd", "geen juridisch advies", "/privacy")),
        ("fr", ("délai de réflexion", "pas d'un avis juridique", "/privacy")),
        ("de", ("Bedenkzeit", "keine Rechtsberatung", "/privacy")),
        ("en", ("reflection period", "not legal advice", "/privacy")),
        ("nl-BE", ("bedenktijd",)),
        ("pt-BR", ("reflection period", "not legal advice")),
        (None, ("reflection period",)),
    ],
)
async def test_start_speaks_the_users_language(api, bot, code, markers):
    user = new_user()
    [reply] = await exchange(api, "/start", user_id=user, language_code=code)
    assert reply.ok and reply.params["parse_mode"] == "HTML"
    for marker in markers:
        assert marker in reply.text


@shared_loop
async def test_question_is_answered_with_an_escaped_cited_clause(api, bot):
    user = new_user()
    new = await exchange(api, QUESTION_LU, user_id=user, until=answered)
    assert all(c.ok for c in new)  # the fake API parsed every message as Telegram would
    answer = "\n".join(c.text for c in new)
    assert "<blockquote" in answer
    assert "<b>A presumed victim of trafficking" in answer  # the highlight, in bold
    assert 'href="https://example.org/lu?a=1&amp;b=2"' in answer
    assert "LU &lt;sheet&gt; &amp; co" in answer and "<sheet>" not in answer
    assert "2026-01-01" in answer and "LU ·" in answer
    assert all(c.params["link_preview_options"] == {"is_disabled": True} for c in new)
    buttons = keyboard(new[-1])
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    kinds = {b["callback_data"][0] for b in buttons}
    assert {"f", "c", "h"} <= kinds


@shared_loop
async def test_sticky_country_and_language(api, bot, service):
    user = new_user()
    [reply] = await exchange(api, "/country lu", user_id=user)
    assert "Luxembourg" in reply.text
    new = await exchange(api, "How long is the reflection period?", user_id=user, until=answered)
    answer = "\n".join(c.text for c in new)
    assert "LU &lt;sheet&gt;" in answer and "NL sheet" not in answer and "BE sheet" not in answer
    [reply] = await exchange(api, "/lang fr", user_id=user)
    assert "français" in reply.text
    new = await exchange(api, "How long is the reflection period?", user_id=user, until=answered)
    expected = service.answer("How long is the reflection period?", country="LU", language="fr")
    assert render.esc(expected.lead) in new[0].text
    [reply] = await exchange(api, "/country all", user_id=user)
    assert "Belgique" in reply.text  # confirmation in the chat's language
    [reply] = await exchange(api, "/lang", user_id=user)
    assert "<code>/lang nl</code>" in reply.text
    [reply] = await exchange(api, "/lang auto", user_id=user, language_code="de")
    assert "Sprache der jeweiligen Frage" in reply.text
    assert bot.chat_data[user] == {}


@shared_loop
async def test_sources_help_privacy_and_unknown_commands(api, bot):
    user = new_user()
    new = await exchange(api, "/sources", user_id=user)
    listing = "\n".join(c.text for c in new)
    for heading in ("<b>🇧🇪 Belgium</b>", "<b>🇳🇱 Netherlands</b>", "<b>🇱🇺 Luxembourg</b>"):
        assert heading in listing
    assert "LU &lt;sheet&gt; &amp; co" in listing and "checked 2026-01-01" in listing
    assert 'href="https://example.org/be"' in listing
    [reply] = await exchange(api, "/help", user_id=user)
    assert "/country" in reply.text and "/forget" in reply.text
    [reply] = await exchange(api, "/privacy", user_id=user, language_code="nl")
    assert "1.000" in reply.text and "één uur" in reply.text and "/forget" in reply.text
    [reply] = await exchange(api, "/frobnicate", user_id=user)
    assert "/help" in reply.text


# -- buttons -----------------------------------------------------------------------------------
@shared_loop
async def test_buttons_full_text_compare_and_feedback(api, bot, service):
    user = new_user()
    new = await exchange(api, QUESTION_LU, user_id=user, until=answered)
    last = new[-1]

    # full text of the cited clause
    before = len(api.sent(user))
    await press(api, button_data(last, "f:"), message=last, user_id=user)
    [full] = await api.wait_for(lambda _: api.sent(user)[before:], HANG)
    assert "ninety days" in full.text and "<blockquote>" in full.text

    # a long clause comes whole, over several messages, never cut inside a tag
    assert service.clause(LU_LONG) is not None
    before = len(api.sent(user))
    await press(api, f"f:{LU_LONG}", message=last, user_id=user)
    pages = await api.wait_for(
        lambda _: (s := api.sent(user)[before:]) and f"Paragraph {LONG_PARAGRAPHS}:" in s[-1].text
        and s, 10,
    )
    assert len(pages) >= 2 and all(p.ok and utf16_len(p.text) <= MAX_MESSAGE_LENGTH for p in pages)
    shown = "".join(parse_telegram_html(p.text) for p in pages)
    for i in range(1, LONG_PARAGRAPHS + 1):
        assert f"Paragraph {i}:" in shown

    # the same question for BE, NL and LU in one comparison
    before = len(api.sent(user))
    await press(api, button_data(last, "c:"), message=last, user_id=user)
    compared = await api.wait_for(lambda _: api.sent(user)[before:], HANG)
    comparison = "\n".join(c.text for c in compared)
    for marker in ("🇧🇪", "🇳🇱", "🇱🇺", "BE sheet", "NL sheet", "LU &lt;sheet&gt;"):
        assert marker in comparison
    assert "forty-five days" in comparison and "three months" in comparison
    assert comparison.index("BE sheet") < comparison.index("NL sheet") < comparison.index("LU &lt;")

    # feedback: stored with clause ids and a hash of the question, never its text
    reply = await press(api, button_data(last, "h:"), message=last, user_id=user)
    assert "Thank you" in reply.params["text"]
    [item] = bot.user_data[user]["feedback"].values()
    assert item["helpful"] is True and LU_REFLECTION in item["clauses"]
    assert item["question"] == question_hash(QUESTION_LU)
    reply = await press(api, button_data(last, "h:").replace(":1", ":0"), message=last,
                        user_id=user)
    assert "improve" in reply.params["text"]
    [item] = bot.user_data[user]["feedback"].values()  # one rating per question
    assert item["helpful"] is False


@shared_loop
async def test_expired_or_unknown_button_asks_to_ask_again(api, bot):
    user = new_user()
    new = await exchange(api, QUESTION_LU, user_id=user, until=answered)
    data = button_data(new[-1], "c:")
    bot.bot_data.questions._entries.clear()  # as after an hour, or 1,000 newer questions
    reply = await press(api, data, message=new[-1], user_id=user, language_code="de")
    assert reply.params["show_alert"] is True and "erneut" in reply.params["text"]
    reply = await press(api, "garbage", message=new[-1], user_id=user)
    assert "ask it again" in reply.params["text"]
    reply = await press(api, "f:no-such-doc#nothing", message=new[-1], user_id=user)
    [gone] = await api.wait_for(
        lambda _: [c for c in api.sent(user) if "no longer" in c.text], HANG
    )
    assert gone.ok


# -- groups ------------------------------------------------------------------------------------
@shared_loop
async def test_group_answers_ask_mentions_and_replies_only(api, bot):
    group, user = -100_777, new_user()
    kwargs = {"chat_id": group, "chat_type": "supergroup"}
    chatter = [
        api.push_message("Lunch at noon, everyone?", user_id=user, **kwargs),
        api.push_message("how long is the reflection period in Luxembourg", user_id=user,
                         **kwargs),
    ]
    asked = api.push_message(f"/ask {QUESTION_LU}", user_id=user, **kwargs)
    first = await api.wait_for(lambda _: api.sent(group), HANG)
    assert first[0].params["reply_parameters"]["message_id"] == asked["message_id"]
    assert "<blockquote" in first[0].text

    new = await exchange(
        api, f"@{api.username} how long is the reflection period in the Netherlands?",
        user_id=user, until=answered, **kwargs,
    )
    assert "NL sheet" in new[0].text
    new = await exchange(
        api, "And in Belgium, how long is the reflection period?", user_id=user,
        reply_to_message=first[-1].result, until=answered, **kwargs,
    )
    assert "BE sheet" in new[0].text
    new = await exchange(api, f"/ask@{api.username} {QUESTION_LU}", user_id=user,
                         until=answered, **kwargs)
    assert "LU &lt;sheet&gt;" in new[0].text
    [usage] = await exchange(api, "/ask", user_id=user, **kwargs)
    assert "/ask How long" in usage.text
    [usage] = await exchange(api, f"@{api.username}", user_id=user, **kwargs)
    assert "type a question" in usage.text

    other = api.message("hi", user_id=user + 1, **kwargs)
    chatter.append(api.push_message("reflection period?", user_id=user, reply_to_message=other,
                                    **kwargs))
    chatter.append(api.push_message("/ask@another_bot reflection period", user_id=user, **kwargs))
    chatter.append(api.push_message(None, user_id=user, sticker={
        "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 512,
        "height": 512, "is_animated": False, "is_video": False}, **kwargs))
    [reply] = await exchange(api, "/help", user_id=user, **kwargs)  # a marker after them
    await asyncio.sleep(0.3)
    replied_to = {c.params.get("reply_parameters", {}).get("message_id") for c in api.sent(group)}
    assert not replied_to & {m["message_id"] for m in chatter}


# -- access control, admins, rate limit ------------------------------------------------------------
@shared_loop
async def test_access_control_admin_commands_and_rate_limit(service, index_settings, tmp_path):
    allowed, allowed2, stranger, group = 5001, 5002, 5003, -100_500
    with FakeTelegramAPI(TOKEN) as api:
        settings = bot_settings(
            index_settings, api, tmp_path, allowed_user_ids=[allowed, allowed2],
            allowed_chat_ids=[group], rate_limit_per_minute=3,
        )
        async with running(settings, service) as application:
            [refusal] = await exchange(api, "/start", user_id=stranger, language_code="fr")
            assert "réservé aux organisations" in refusal.text
            [refusal] = await exchange(api, QUESTION_LU, user_id=stranger)
            assert "only available" in refusal.text
            new = await exchange(api, QUESTION_LU, user_id=allowed, until=answered)
            assert "<blockquote" in new[0].text
            reply = await press(api, button_data(new[-1], "h:"), message=new[-1],
                                user_id=stranger)
            assert reply.params["show_alert"] is True and "only available" in reply.params["text"]

            # any member of an allowed group; in other groups only addressed messages get a no
            new = await exchange(api, f"/ask {QUESTION_LU}", user_id=stranger, chat_id=group,
                                 chat_type="group", until=answered)
            assert "<blockquote" in new[0].text
            other_group = -100_501
            api.push_message("chatter", user_id=stranger, chat_id=other_group, chat_type="group")
            [refusal] = await exchange(api, "/ask hello", user_id=stranger, chat_id=other_group,
                                       chat_type="group")
            assert "only available" in refusal.text
            assert len(api.sent(other_group)) == 1

            # admins: /stats (counts only) and /reload; others are told no
            [no] = await exchange(api, "/reload", user_id=allowed)
            assert "administrators only" in no.text
            [no] = await exchange(api, "/stats", user_id=allowed)
            assert "administrators only" in no.text
            [done] = await exchange(api, "/reload", user_id=ADMIN)
            assert "Index reopened: 4 documents" in done.text
            await exchange(api, "/country NL", user_id=allowed)
            [counts] = await exchange(api, "/stats", user_id=ADMIN)
            assert "Questions answered: 2" in counts.text and "👍 0 · 👎 0" in counts.text
            assert "Chats with preferences: 1" in counts.text
            assert "reflection" not in counts.text.lower()

            # per-user rate limit with a friendly message
            for _ in range(3):
                await exchange(api, QUESTION_LU, user_id=allowed2, until=answered)
            [wait] = await exchange(api, QUESTION_LU, user_id=allowed2)
            assert "Please wait about" in wait.text
            assert application.bot_data.limiter.wait_time(allowed2) > 0


# -- bad input ---------------------------------------------------------------------------------
STICKER = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 512,
           "height": 512, "is_animated": False, "is_video": False}


@shared_loop
@pytest.mark.parametrize(
    ("text", "content", "expected"),
    [
        (None, {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}],
                "caption": "see photo"}, "only read text"),
        (None, {"sticker": STICKER}, "only read text"),
        (None, {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
         "only read text"),
        (None, {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "case.pdf"}},
         "only read text"),
        (None, {"location": {"latitude": 50.85, "longitude": 4.35}}, "only read text"),
        ("", {}, "type a question"),
        ("   \n\t ", {}, "type a question"),
        ("🙂🙂🙂", {}, "type a question"),
        ("a " * 5000, {}, "too long"),
        ("<b>How long</b> is the <i>reflection period</i> in Luxembourg? "
         "<script>alert(1)</script> &amp;", {}, "<blockquote"),
        ("**How long** is the _reflection period_ in `Luxembourg`? [x](http://e.org)", {},
         "<blockquote"),
        ("⏳ How long is the reflection period in Luxembourg? 🇱🇺🙏", {}, "<blockquote"),
        ("ما هي مدة فترة التفكير في لوكسمبورغ؟", {}, ""),
        ("כמה זמן נמשכת תקופת ההתלבטות? reflection period Luxembourg", {}, ""),
    ],
    ids=["photo", "sticker", "voice", "document", "location", "empty", "blank", "emoji-only",
         "10000-chars", "html", "markdown", "emoji", "arabic-rtl", "hebrew-rtl-mixed"],
)
async def test_bad_input_gets_a_clear_reply(api, bot, text, content, expected):
    user = new_user()
    new = await exchange(api, text, user_id=user, until=answered, **content)
    assert all(c.ok for c in new)
    assert expected in "\n".join(c.text for c in new)
    assert not any("went wrong" in c.text for c in new)
    if text and "<script>" in text:
        assert "<script>" not in "".join(c.text for c in new)


@shared_loop
async def test_edited_question_is_answered(api, bot):
    user = new_user()
    new = await exchange(api, QUESTION_LU, user_id=user, edited=True, until=answered)
    assert "<blockquote" in new[0].text


# -- privacy -----------------------------------------------------------------------------------
@shared_loop
async def test_privacy_no_text_in_logs_or_state_and_forget(api, bot, caplog):
    caplog.set_level(logging.DEBUG)
    user = new_user()
    secret = "Quixotic Zebulon, born 12/03/1998, +32 470 12 34 56"
    question = f"{secret}: how long is the reflection period in Luxembourg?"
    await exchange(api, "/country LU", user_id=user)
    new = await exchange(api, question, user_id=user, until=answered)
    answer = "\n".join(c.text for c in new)
    assert "identifying details of victims" in answer and "<blockquote" in answer
    await press(api, button_data(new[-1], "h:"), message=new[-1], user_id=user)
    await bot.update_persistence()

    state = Path(bot.persistence.filepath).read_bytes()
    for fragment in ("Zebulon", "470 12 34", "reflection period in Luxembourg", "12/03/1998"):
        assert fragment.encode() not in state
    data = pickle.loads(state)
    assert data["chat_data"][user] == {"country": "LU"}
    [item] = data["user_data"][user]["feedback"].values()
    assert item["question"] == question_hash(question) and len(item["question"]) == 16

    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for fragment in ("Zebulon", "470 12 34", "reflection period", TOKEN):
        assert fragment not in logged
    assert any(getattr(r, "msg", "").startswith("update=") for r in caplog.records)

    [done] = await exchange(api, "/forget", user_id=user)
    assert "deleted" in done.text
    await api.wait_for(lambda _: user not in bot.user_data, HANG)  # the handler has finished
    await bot.update_persistence()
    data = pickle.loads(Path(bot.persistence.filepath).read_bytes())
    assert user not in data["user_data"] and user not in data["chat_data"]
    assert user not in bot.user_data and user not in bot.chat_data
    assert all(e.user_id != user for e in bot.bot_data.questions._entries.values())


async def test_forget_is_on_disk_before_the_reply_and_works_for_a_removed_user(
    service, index_settings, tmp_path
):
    user, other = 6101, 6102
    with FakeTelegramAPI(TOKEN) as api:
        settings = bot_settings(index_settings, api, tmp_path, allowed_user_ids=[user, other])
        async with running(settings, service) as application:
            await exchange(api, "/country LU", user_id=user)
            await exchange(api, QUESTION_LU, user_id=user, until=answered)
            await application.update_persistence()
        state = settings.persistence_path
        assert user in pickle.loads(state.read_bytes())["chat_data"]

        # The user is no longer allowed; /forget still erases, and the file holds that as
        # soon as the reply is there (a crash right after it cannot bring the data back).
        settings = bot_settings(index_settings, api, tmp_path, allowed_user_ids=[other])
        async with running(settings, service):
            [refusal] = await exchange(api, QUESTION_LU, user_id=user)
            assert "only available" in refusal.text
            [done] = await exchange(api, "/forget", user_id=user)
            assert "deleted" in done.text
            data = pickle.loads(state.read_bytes())
            assert user not in data["chat_data"] and user not in data["user_data"]


async def test_a_flood_gets_one_notice_and_does_not_delay_another_user(
    service, index_settings, tmp_path
):
    flooder, normal = 6201, 6202
    with FakeTelegramAPI(TOKEN) as api:
        settings = bot_settings(index_settings, api, tmp_path, rate_limit_per_minute=3)
        async with running(settings, service):
            for _ in range(3):
                await exchange(api, QUESTION_LU, user_id=flooder, until=answered)
            for _ in range(40):
                api.push_message("4" * 4096, user_id=flooder)
            new = await exchange(api, QUESTION_LU, user_id=normal, until=answered)
            assert "<blockquote" in new[0].text
            def notices(_calls=None):
                return [c for c in api.sent(flooder) if "Please wait about" in c.text]

            await api.wait_for(notices, HANG)
            await exchange(api, "/help", user_id=flooder)  # taken after the flood
            assert len(notices()) == 1


@shared_loop
async def test_typing_indicator_and_flood_limit_retry(api, bot):
    user = new_user()
    bot.bot_data.typing_delay = 0.0
    try:
        await exchange(api, QUESTION_LU, user_id=user, until=answered)
    finally:
        bot.bot_data.typing_delay = None
    actions = api.sent(user, method="sendChatAction")
    assert actions and actions[0].params["action"] == "typing"
    assert actions[0].at <= api.sent(user)[0].at

    user = new_user()
    api.fail("sendMessage", retry_after=1)  # Telegram's "Too Many Requests: retry after 1"
    new = await exchange(api, QUESTION_LU, user_id=user, until=answered)
    assert "<blockquote" in new[0].text
    assert any(not c.ok and c.chat_id == user for c in api.snapshot())


@shared_loop
async def test_unexpected_error_is_logged_and_reported(api, bot, caplog, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(bot.bot_data.service, "answer", boom)
    user = new_user()
    [reply] = await exchange(api, QUESTION_LU, user_id=user, language_code="nl")
    assert "ging bij mij iets mis" in reply.text
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert isinstance(record.exc_info[1], RuntimeError)
    assert "reflection" not in caplog.text


@shared_loop
async def test_fifty_chats_at_once_are_all_answered(api, bot):
    users = [new_user() for _ in range(50)]
    started = time.monotonic()
    for user in users:
        api.push_message(QUESTION_LU, user_id=user)

    def all_answered(_calls):
        return all(any("reply_markup" in c.params for c in api.sent(u)) for u in users)

    await api.wait_for(all_answered, HANG)
    assert time.monotonic() - started < 60
    for user in users:
        assert all(c.ok for c in api.sent(user)) and "<blockquote" in api.sent(user)[0].text


# -- written answers -----------------------------------------------------------------------------
@shared_loop
async def test_written_answer_is_sent_only_when_every_sentence_checks_out(
    index_settings, use_embeddings, tmp_path
):
    from langchain_openai import ChatOpenAI

    from bot.answering.written.answerer import WrittenAnswerer
    from tests.llm_stub import LLMStub, Reply

    # The fixture clause says "ninety days" and "no removal order is enforced".
    cases = [
        ("In Luxembourg the reflection period is 90 days.", True),
        ("In Luxembourg the reflection period is hundertzwanzig days.", False),
        ("In Luxembourg the reflection period is 90 weeks.", False),
        ("There is no reflection period in Luxembourg.", False),
        ("More information: evil-example.com/lu-help", False),
    ]
    with LLMStub() as stub, FakeTelegramAPI(TOKEN) as fake:
        model = ChatOpenAI(model="stub", base_url=stub.base_url, api_key="test",
                           max_retries=0, timeout=5)
        service = AnsweringService(index_settings, embeddings=use_embeddings,
                                   writer=WrittenAnswerer(model))
        async with running(bot_settings(index_settings, fake, tmp_path), service):
            for text, written in cases:
                stub.reply = Reply(json.dumps(
                    {"sentences": [{"text": text, "citation_ids": [LU_REFLECTION]}]}
                ))
                new = await exchange(fake, QUESTION_LU, user_id=new_user(), until=answered)
                shown = "\n".join(c.text for c in new)
                assert all(c.ok for c in new) and "<blockquote" in shown
                assert (f"{text} [1]" in shown) is written, text
                if not written:
                    assert "hundertzwanzig" not in shown and "evil-example" not in shown


# -- the index unavailable ---------------------------------------------------------------------
@shared_loop
async def test_missing_index_says_temporarily_unavailable(knowledge, use_embeddings, tmp_path):
    settings = make_settings(tmp_path, knowledge, chroma_path=tmp_path / "empty-chroma")
    service = AnsweringService(settings, embeddings=use_embeddings)
    with pytest.raises(IndexUnavailable):
        service.sources()
    with FakeTelegramAPI(TOKEN) as api:
        async with running(bot_settings(settings, api, tmp_path), service):
            [reply] = await exchange(api, QUESTION_LU, user_id=1, language_code="fr")
            assert "temporairement indisponible" in reply.text
            [reply] = await exchange(api, "/sources", user_id=1, language_code="de")
            assert "vorübergehend nicht verfügbar" in reply.text


@shared_loop
async def test_chroma_server_stopped_and_restarted(knowledge, use_embeddings, tmp_path):
    server = ChromaServer(tmp_path / "chroma-server", free_port())
    server.start()  # skips when the chroma CLI is missing
    try:
        settings = make_settings(tmp_path, knowledge, chroma_host="127.0.0.1",
                                 chroma_port=server.port)
        ingest(settings, embeddings=use_embeddings)
        service = AnsweringService(settings, embeddings=use_embeddings)
        with FakeTelegramAPI(TOKEN) as api:
            async with running(bot_settings(settings, api, tmp_path), service):
                new = await exchange(api, QUESTION_LU, user_id=1, until=answered)
                assert "<blockquote" in new[0].text

                server.stop()
                [down] = await exchange(api, QUESTION_LU, user_id=1)
                assert "temporarily unavailable" in down.text

                await asyncio.to_thread(server.start)  # same path, same port
                for _attempt in range(5):
                    new = await exchange(api, QUESTION_LU, user_id=1, until=answered)
                    if "<blockquote" in new[0].text:
                        break
                    await asyncio.sleep(1)
                assert "<blockquote" in new[0].text
    finally:
        server.stop()


# -- webhook and start-up --------------------------------------------------------------------------
@shared_loop
async def test_webhook_mode_with_secret_token(service, index_settings, tmp_path):
    port = free_port()
    with FakeTelegramAPI(TOKEN) as api:
        settings = bot_settings(
            index_settings, api, tmp_path, webhook_url="https://bot.example.org/tg/hook",
            webhook_listen="127.0.0.1", webhook_port=port, webhook_secret_token="s3cret_Token-1",
        )
        options = webhook_options(settings)
        assert options["url_path"] == "tg/hook" and options["port"] == port
        application = build_application(settings, service)
        application.bot_data.typing_delay = None
        await application.initialize()
        await application.start()
        await application.updater.start_webhook(**options)
        try:
            [hook] = api.sent(method="setWebhook")
            assert hook.params["url"] == "https://bot.example.org/tg/hook"
            assert hook.params["secret_token"] == "s3cret_Token-1"
            update = {"update_id": 1, "message": api.message(QUESTION_LU, user_id=77)}
            async with httpx.AsyncClient() as client:
                url = f"http://127.0.0.1:{port}/tg/hook"
                wrong = await client.post(url, json=update,
                                          headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
                assert wrong.status_code == 403
                right = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret_Token-1"}
                )
                assert right.status_code == 200
            [reply] = await api.wait_for(lambda _: api.sent(77), HANG)
            assert "<blockquote" in reply.text
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()


async def test_webhook_without_a_configured_secret_registers_a_random_one(
    service, index_settings, tmp_path, caplog
):
    port = free_port()
    with FakeTelegramAPI(TOKEN) as api:
        settings = bot_settings(
            index_settings, api, tmp_path, webhook_url="https://bot.example.org/tg/hook",
            webhook_listen="127.0.0.1", webhook_port=port, webhook_secret_token=None,
        )
        options = webhook_options(settings)
        assert len(options["secret_token"]) >= 32
        assert "WEBHOOK_SECRET_TOKEN is not set" in caplog.text
        assert webhook_options(settings)["secret_token"] != options["secret_token"]
        application = build_application(settings, service)
        await application.initialize()
        await application.start()
        await application.updater.start_webhook(**options)
        try:
            [hook] = api.sent(method="setWebhook")
            assert hook.params["secret_token"] == options["secret_token"]
            update = {"update_id": 1, "message": api.message(QUESTION_LU, user_id=ADMIN)}
            async with httpx.AsyncClient() as client:
                url = f"http://127.0.0.1:{port}/tg/hook"
                forged = await client.post(url, json=update)  # no secret at all
                assert forged.status_code == 403
            assert not api.sent(ADMIN)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()


@pytest.mark.parametrize(
    ("token", "base_url", "message"),
    [
        ("not-a-token", "https://api.telegram.org/bot", "malformed"),
        ("123:abc def", "https://api.telegram.org/bot", "malformed"),
        (None, "https://api.telegram.org/bot", "not set"),
        ("", "https://api.telegram.org/bot", "not set"),
        ("123:ABC", "ftp://example.org/bot", "TELEGRAM_BASE_URL"),
    ],
)
def test_missing_or_malformed_token_exits_2(tmp_path, knowledge, capsys, token, base_url,
                                            message):
    settings = make_settings(tmp_path, knowledge, telegram_bot_token=token,
                             telegram_base_url=base_url)
    assert run(settings) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    if token:
        assert token not in err


def test_blas_of_numpy_can_be_limited_to_one_thread():
    from threadpoolctl import threadpool_info, threadpool_limits

    assert any(pool["user_api"] == "blas" for pool in threadpool_info())
    with threadpool_limits(limits=1, user_api="blas"):  # what run() does for the whole process
        assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")


@pytest.mark.slow
def test_token_rejected_by_the_bot_api_exits_2(tmp_path, knowledge):
    with FakeTelegramAPI(TOKEN) as api:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "WEBHOOK"))},
            "TELEGRAM_BOT_TOKEN": "123:WRONGKEY", "TELEGRAM_BASE_URL": api.base_url,
            "KNOWLEDGE_DIR": str(knowledge), "CHROMA_PATH": str(tmp_path / "chroma"),
            "PERSISTENCE_PATH": str(tmp_path / "state.pickle"), "PYTHONPATH": str(REPO),
        }
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True,
            text=True,
        )
    assert done.returncode == EXIT_CONFIG, done.stderr
    assert "rejected TELEGRAM_BOT_TOKEN" in done.stderr
    assert "WRONGKEY" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


# -- rendering (pure functions) -------------------------------------------------------------------
def citation(n: int, body: str, **overrides) -> Citation:
    values = {
        "id": f"doc-{n}#art-{n}", "document_id": f"doc-{n}", "title": f"Title {n}",
        "short_title": f"Doc {n}", "label": f"Art. {n}", "jurisdiction": "BE",
        "language": "en", "version_date": "2026-01-01", "source_url": f"https://example.org/{n}",
        "text": body, "score": 1.0 / n, "highlight": "",
    }
    values.update(overrides)
    return Citation(**values)


def make_answer(citations, **overrides) -> Answer:
    values = {"question": "q", "language": "en", "grounded": True, "lead": "The rules:",
              "citations": tuple(citations)}
    values.update(overrides)
    return Answer(**values)


def check_messages(messages: list[str]) -> str:
    for message in messages:
        assert utf16_len(message) <= MAX_MESSAGE_LENGTH
        parse_telegram_html(message)  # raises on a tag cut in two or left open
    return "\n".join(parse_telegram_html(m) for m in messages)


def test_answer_is_split_between_clauses_within_4096():
    body = "Every victim has a right to assistance & protection. " * 21  # ~1100 characters
    cites = [citation(n, f"{n}: {body}", highlight="Every victim has a right") for n in range(1, 7)]
    messages, markup = render.render_answer(make_answer(cites, notices=("Check the date.",)))
    assert len(messages) > 1
    shown = check_messages(messages)
    positions = [shown.index(f"[{n}] Doc {n}") for n in range(1, 7)]
    assert positions == sorted(positions)
    for message in messages:  # a clause is never split: its heading and quote stay together
        assert message.count("<blockquote") == message.count("</blockquote>")
        assert message.count("<b>[") == message.count("<blockquote")
    assert markup is not None and messages[-1].endswith("<i>Check the date.</i>")


def test_single_long_quote_is_truncated_with_an_ellipsis():
    body = ("Filler sentence about procedures. " * 400) + "The key rule is ninety days. " + (
        "More filler text follows here. " * 400)
    cite = citation(1, body, highlight="The key rule is ninety days.")
    messages, _ = render.render_answer(make_answer([cite]))
    assert len(messages) == 1
    check_messages(messages)
    assert "…" in messages[0] and "<b>The key rule is ninety days.</b>" in messages[0]
    assert "<blockquote expandable>" in messages[0]


def test_html_in_titles_quotes_and_questions_is_escaped():
    nasty = citation(
        1, "Use <script>alert('x')</script> & <b>bold</b> here.",
        title="<script>alert(1)</script> & co", short_title="A&B <i>", label="Art. <1>",
        heading="Fees & <costs>", source_url='https://e.org/?a=1&b="2"',
        highlight="<b>bold</b>",
    )
    answer = make_answer([nasty], lead="Lead <with> & markup", notices=("<u>note</u> & more",))
    messages, _ = render.render_answer(answer)
    html = "".join(messages)
    check_messages(messages)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A&amp;B &lt;i&gt;" in html and "Art. &lt;1&gt;" in html
    assert 'href="https://e.org/?a=1&amp;b=&quot;2&quot;"' in html
    assert "<b>&lt;b&gt;bold&lt;/b&gt;</b>" in html  # highlight escaped, then marked
    comparison = render.render_comparison(
        {"BE": answer, "NL": make_answer([], grounded=False)}, "en",
        question="Is <script>x</script> & co legal?",
    )
    check_messages(comparison)
    assert "Is &lt;script&gt;x&lt;/script&gt; &amp; co legal?" in comparison[0]
    javascript = citation(2, "text", source_url="javascript:alert(1)")
    assert "<a " not in "".join(render.render_answer(make_answer([javascript]))[0])


def test_callback_data_fits_64_bytes():
    long_id = "a-very-long-document-identifier-" * 3 + "#art-12"
    cites = [citation(1, "x", id=long_id), citation(2, "y", id="dök-ü#§-1")]
    _, markup = render.render_answer(make_answer(cites), token="AbCd_12-")
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert all(len(d.encode("utf-8")) <= 64 for d in data)
    assert "F:AbCd_12-:0" in data and "f:dök-ü#§-1" in data
    assert render.parse_callback("F:AbCd_12-:0") == render.Callback("full", token="AbCd_12-")
    assert render.parse_callback("h:tok:1").helpful is True
    assert render.parse_callback("c:").kind == "unknown"
    _, markup = render.render_answer(make_answer(cites), token=None)
    assert [b.callback_data for row in markup.inline_keyboard for b in row] == ["f:dök-ü#§-1"]


def test_written_answer_comes_first_with_numbered_markers():
    cites = [citation(1, "First rule."), citation(2, "Second rule.")]
    answer = make_answer(cites, mode="llm", sentences=(
        AnswerSentence("Victims get ninety days <to decide>.", ("doc-2#art-2",)),
        AnswerSentence("Both rules apply.", ("doc-1#art-1", "doc-2#art-2", "unknown#id")),
    ))
    [message], _ = render.render_answer(answer)
    check_messages([message])
    assert message.index("ninety days &lt;to decide&gt;. [2]") < message.index("<blockquote")
    assert "Both rules apply. [1][2]" in message
    assert message.index("[1] Doc 1") < message.index("[2] Doc 2")


def test_not_grounded_sends_the_lead_without_buttons():
    answer = make_answer([], grounded=False, lead="Nothing found; try 'reflection period'.")
    messages, markup = render.render_answer(answer, token="tok", personal_data=True)
    assert markup is None and "Nothing found" in messages[0]
    assert "identifying details" in messages[0]


def test_full_clause_and_sources_are_split_and_escaped():
    meta = DocumentMeta(id="d", title="T <x>", jurisdiction="LU", language="en", kind="law",
                        version_date=__import__("datetime").date(2026, 1, 1),
                        source_url="https://e.org/d", short_title="S & T")
    body = "\n".join(f"({i}) A paragraph with <angle> & ampersand, number {i}." * 3
                     for i in range(400))
    citation = Citation.from_clause(Clause(meta, "art-1", "Art. 1", body), 0.0)
    messages = render.render_clause(citation, "en")
    shown = check_messages(messages)
    assert len(messages) > 3 and "(399) A paragraph with <angle> & ampersand" in shown
    docs = [meta] + [
        DocumentMeta(id=f"d{i}", title=f"Doc {i}", jurisdiction="BE", language="en",
                     kind="law", version_date=meta.version_date, source_url=f"https://e.org/{i}")
        for i in range(120)
    ]
    listing = render.render_sources(docs, "fr")
    shown = check_messages(listing)
    assert shown.index("Belgique") < shown.index("Luxembourg")
    assert "S & T — version 2026-01-01 (en)" in shown


def test_fake_api_checks_html_like_telegram():
    assert parse_telegram_html('<b>a</b> &amp; <a href="https://x">y</a>') == "a & y"
    for bad in ("<script>x</script>", "<b>open", "a & b", "<b><i>x</b></i>", "1 < 2"):
        with pytest.raises(HTMLCheckError):
            parse_telegram_html(bad)


# -- privacy helpers and in-memory state -------------------------------------------------------
@pytest.mark.parametrize("question", [
    "Maria Jansen, geboren 12-03-1998, welke rechten heeft ze?",
    "Can I call her at +32 470 12 34 56?",
    "Mail ana.k@example.org about the case",
    "Rijksregisternummer 98.03.12-123.45",
    "Her passport number is EH1234567",
    "BSN 123456782",
    "Anna Kowalski 03/04/2001 victim of trafficking",
])
def test_personal_data_is_detected(question):
    assert looks_personal(question)


@pytest.mark.parametrize("question", [
    QUESTION_LU,
    "Art. 61/2 of the Law of 15 December 1980",
    "Directive 2011/36/EU article 11",
    "Wat is er sinds 01/01/2024 veranderd in België?",
    "Combien de temps dure le délai de réflexion au Luxembourg ?",
    "Vreemdelingencirculaire B8/3 and the Council of Europe Convention CETS No. 197",
])
def test_ordinary_questions_are_not_flagged(question):
    assert not looks_personal(question)


def test_question_hash_is_short_stable_and_holds_no_text():
    digest = question_hash("  How long is the REFLECTION period?  ")
    assert digest == question_hash("how long is the reflection   period?")
    assert len(digest) == 16 and "reflection" not in digest


def test_question_cache_is_bounded_in_size_and_time():
    now = [0.0]
    cache = QuestionCache(maxsize=3, ttl=60, clock=lambda: now[0])
    tokens = [cache.put(f"q{i}", language="en", country=None, citation_ids=("a",),
                        question_hash="h", user_id=i % 2) for i in range(4)]
    assert cache.get(tokens[0]) is None and cache.get(tokens[3]).question == "q3"
    assert len(tokens[3]) == 8 and len(cache) == 3
    assert cache.forget_user(1) == 2 and len(cache) == 1
    now[0] = 61
    assert cache.get(tokens[2]) is None and len(cache) == 0


def test_rate_limiter_counts_per_user_per_minute():
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.wait_time(1) == 0 and limiter.wait_time(1) == 0
    assert limiter.wait_time(1) == pytest.approx(60) and limiter.wait_time(2) == 0
    now[0] = 60.5
    assert limiter.wait_time(1) == 0
    assert RateLimiter(0).wait_time(1) == 0
