"""Benchmark of the Telegram bot through the fake Bot API (``python -m bot bench --telegram``).

The real Application (handlers, HTML rendering, AIORateLimiter, persistence) polls a
``FakeTelegramAPI`` on 127.0.0.1 and answers ``chats`` private chats that ask at the same
moment, ``rounds`` times. The time of a reply is when the fake server receives the first
``sendMessage`` for that chat, so it includes the AIORateLimiter's flood limits (30
messages per second overall), as with the real Telegram.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import SecretStr

from bot.answering.service import AnsweringService
from bot.settings import BotSettings, Settings
from bot.telegram.app import build_application, limit_blas_threads
from devtools.fake_bot_api import FakeTelegramAPI
from devtools.measure import machine, percentile, rss_mb

QUESTIONS = (
    "How long is the reflection period in Luxembourg?",
    "Hoe lang duurt de bedenktijd in Nederland?",
    "Combien de temps dure le délai de réflexion en Belgique ?",
    "Wie lange dauert die Bedenkzeit in Luxemburg?",
    "Which residence permit can a victim of trafficking get in the Netherlands?",
    "Quel titre de séjour pour une victime de la traite au Luxembourg ?",
    "Welke opvang krijgt een slachtoffer van mensenhandel in België?",
    "Who identifies victims of human trafficking in Belgium?",
)
"""Questions asked in turn by the benchmark chats (nl, fr, de, en)."""




async def bench_telegram(
    settings: Settings,
    *,
    chats: int = 50,
    rounds: int = 3,
    questions: Sequence[str] = QUESTIONS,
    service: AnsweringService | None = None,
    timeout: float = 120.0,
    flood_limits: bool = True,
) -> dict:
    """Replies per second and time from update to reply with ``chats`` chats asking at once.

    Args:
        settings: Index settings (the index must exist); the Telegram settings are
            replaced by the fake server's (token, base URL, a temporary persistence file,
            no access lists, no per-user rate limit).
        chats: Private chats asking at the same moment.
        rounds: How many times they all ask.
        questions: Questions asked in turn by the chats.
        service: The answering service (built from settings when None).
        timeout: Seconds to wait for all replies of one round.
        flood_limits: Keep the AIORateLimiter (Telegram's 30 messages per second), as in
            production; False measures the bot alone.

    Returns:
        ``chats``, ``rounds``, ``replies``, ``replies_per_s``, ``reply_p50_ms``,
        ``reply_p95_ms``, ``reply_max_ms``, ``grounded_share``, ``rss_mb`` (peak RSS of the
        whole process: bot, index, model and fake server), ``machine``.

    Raises:
        IndexUnavailable: the index is missing or the Chroma server is unreachable.
        TimeoutError: a round was not fully answered within ``timeout``.
    """
    limit_blas_threads(1)  # as ``run`` does
    service = service or AnsweringService(settings)
    service.answer(questions[0])  # open the index and load the model before timing
    with FakeTelegramAPI() as api, tempfile.TemporaryDirectory() as tmp:
        values = settings.model_dump()
        values.update(
            telegram_bot_token=SecretStr(api.token),
            telegram_base_url=api.base_url,
            persistence_path=Path(tmp) / "state.pickle",
            allowed_user_ids=[], allowed_chat_ids=[], admin_user_ids=[],
            rate_limit_per_minute=0, webhook_url=None,
        )
        bot_settings = BotSettings(_env_file=None, **values)
        application = build_application(bot_settings, service, flood_limits=flood_limits)
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        latencies: list[float] = []
        started = time.monotonic()
        try:
            for round_number in range(rounds):
                latencies.extend(await _round(api, chats, round_number, questions, timeout))
        finally:
            elapsed = time.monotonic() - started
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
        answers = [c for c in api.sent() if c.params.get("reply_markup")]
    replies = len(latencies)
    return {
        "chats": chats,
        "rounds": rounds,
        "flood_limits": flood_limits,
        "replies": replies,
        "replies_per_s": round(replies / elapsed, 1),
        "reply_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "reply_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "reply_max_ms": round(max(latencies) * 1000, 1),
        "grounded_share": round(min(1.0, len(answers) / max(1, replies)), 2),
        "rss_mb": round(rss_mb(), 1),
        "machine": machine(),
    }


async def _round(
    api: FakeTelegramAPI, chats: int, round_number: int, questions: Sequence[str],
    timeout: float,
) -> list[float]:
    first_user = 700_000 + round_number * chats
    known = {id(c) for c in api.sent()}
    pushed: dict[int, float] = {}
    for offset in range(chats):
        user_id = first_user + offset
        pushed[user_id] = time.monotonic()
        api.push_message(questions[(round_number + offset) % len(questions)], user_id=user_id)

    def first_replies(calls: list) -> dict[int, float] | None:
        found: dict[int, float] = {}
        for call in calls:
            if call.method == "sendMessage" and call.ok and id(call) not in known:
                if call.chat_id in pushed and call.chat_id not in found:
                    found[call.chat_id] = call.at
        return found if len(found) == chats else None

    replied = await api.wait_for(first_replies, timeout)
    return [replied[user] - pushed[user] for user in pushed]


def bench_telegram_cli(settings: Settings, **options: object) -> dict:
    """Synchronous wrapper for the command line: with Telegram's flood limits, then without.

    Returns:
        The keys of ``bench_telegram`` (with flood limits, as in production) plus
        ``bot_only_replies_per_s``, ``bot_only_reply_p50_ms`` and ``bot_only_reply_p95_ms``
        measured without the AIORateLimiter.
    """
    service = options.pop("service", None) or AnsweringService(settings)
    result = asyncio.run(bench_telegram(settings, service=service, **options))  # type: ignore[arg-type]
    alone = asyncio.run(
        bench_telegram(settings, service=service, flood_limits=False, **options)  # type: ignore[arg-type]
    )
    result.pop("flood_limits", None)
    for key in ("replies_per_s", "reply_p50_ms", "reply_p95_ms"):
        result[f"bot_only_{key}"] = alone[key]
    result["rss_mb"] = round(rss_mb(), 1)
    return result
