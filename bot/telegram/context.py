"""What the handlers share, reached through python-telegram-bot's ``ContextTypes``.

``context.bot_data`` is a ``BotData``: the answering service, the settings and the
in-memory state. None of it is persisted: the service cannot be, and question texts must
not be. What is persisted (chat preferences, feedback) lives in ``chat_data`` and
``user_data``.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.telegram.state import Conversations, QuestionCache, RateLimiter

if TYPE_CHECKING:
    from bot.answering.service import AnsweringService
    from bot.settings import BotSettings

QUESTION_CACHE_SIZE = 1000
QUESTION_CACHE_TTL = 3600.0
ANSWER_THREADS = 4


@dataclass
class BotData:
    """The bot's runtime state (memory only).

    Attributes:
        service: The AnsweringService (opened once at start, reopened by /reload).
        settings: The bot settings.
        questions: Question texts by token, for the buttons under answers.
        limiter: Per-user question rate limit.
        executor: Threads for the synchronous service calls.
        conversations: The previous question of each chat, for follow-ups.
        typing_delay: Seconds of answering after which "typing…" is shown (None: never).
        stats: Counts since the start (questions, grounded, not grounded).
    """

    service: AnsweringService | None = None
    settings: BotSettings | None = None
    questions: QuestionCache = field(
        default_factory=lambda: QuestionCache(QUESTION_CACHE_SIZE, QUESTION_CACHE_TTL)
    )
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(0))
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(ANSWER_THREADS, thread_name_prefix="answer")
    )
    conversations: Conversations = field(default_factory=Conversations)
    typing_delay: float | None = 0.3
    stats: Counter[str] = field(default_factory=Counter)


Context = CallbackContext[ExtBot[None], dict, dict, BotData]
"""The context every handler receives."""

CONTEXT_TYPES = ContextTypes(bot_data=BotData)
"""Passed to the Application builder so that ``context.bot_data`` is a ``BotData``."""
