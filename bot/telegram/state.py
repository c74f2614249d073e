"""In-memory state of the bot: the bounded question cache and the per-user rate limit.

Neither is ever persisted: question texts live here only so that the buttons under an
answer (comparison, feedback) can work, for at most ``ttl`` seconds and ``maxsize`` entries.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.answering.conversation import CONTEXT_TTL, Conversation


@dataclass(frozen=True)
class CachedQuestion:
    """What the buttons of one answer need.

    Attributes:
        question: The question text (memory only).
        language: Language of the answer.
        country: Country the answer was restricted to, if any.
        citation_ids: Ids of the cited clauses, in order.
        basis_ids: Ids of the official clauses offered beside them, in button order.
        question_hash: Fingerprint stored with feedback instead of the text.
        user_id: Who asked (so that /forget can drop the entry).
        created: Monotonic time of the answer.
    """

    question: str
    language: str
    country: str | None
    citation_ids: tuple[str, ...]
    question_hash: str
    user_id: int | None
    created: float
    basis_ids: tuple[str, ...] = ()

    def clause_id(self, index: int) -> str | None:
        """The clause behind full-text button ``index``: cited clauses, then official ones."""
        ids = self.citation_ids + self.basis_ids
        return ids[index] if 0 <= index < len(ids) else None


class QuestionCache:
    """Questions by short random token; the oldest go first, none lives longer than ``ttl``.

    Args:
        maxsize: Entries kept at most (the last questions of all users).
        ttl: Seconds an entry is kept.
        clock: Monotonic clock (tests).
    """

    def __init__(
        self, maxsize: int = 1000, ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self._clock = clock
        self._entries: OrderedDict[str, CachedQuestion] = OrderedDict()

    def put(
        self, question: str, *, language: str, country: str | None,
        citation_ids: tuple[str, ...], question_hash: str, user_id: int | None,
        basis_ids: tuple[str, ...] = (),
    ) -> str:
        """Keep a question and return its token (8 URL-safe characters)."""
        self._prune()
        token = secrets.token_urlsafe(6)
        while token in self._entries:
            token = secrets.token_urlsafe(6)
        self._entries[token] = CachedQuestion(
            question, language, country, tuple(citation_ids), question_hash, user_id,
            self._clock(), tuple(basis_ids),
        )
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return token

    def get(self, token: str) -> CachedQuestion | None:
        """The entry for ``token``, or None when unknown or expired."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        if self._clock() - entry.created > self.ttl:
            del self._entries[token]
            return None
        return entry

    def forget_user(self, user_id: int) -> int:
        """Drop every entry of a user; returns how many were dropped."""
        tokens = [t for t, e in self._entries.items() if e.user_id == user_id]
        for token in tokens:
            del self._entries[token]
        return len(tokens)

    def __len__(self) -> int:
        self._prune()
        return len(self._entries)

    def _prune(self) -> None:
        now = self._clock()
        while self._entries:
            token, entry = next(iter(self._entries.items()))
            if now - entry.created <= self.ttl:
                break
            del self._entries[token]


class Conversations:
    """The previous question of each chat (memory only), for follow-up questions.

    Args:
        maxsize: Chats kept at most; the least recently active go first.
        ttl: Seconds a previous question stays the context of the next one.
    """

    def __init__(self, maxsize: int = 1000, ttl: float = CONTEXT_TTL) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self._chats: OrderedDict[int, Conversation] = OrderedDict()

    def get(self, chat_id: int) -> Conversation:
        """The conversation of a chat (a new, empty one when there is none)."""
        conversation = self._chats.pop(chat_id, None) or Conversation(self.ttl)
        self._chats[chat_id] = conversation
        while len(self._chats) > self.maxsize:
            self._chats.popitem(last=False)
        return conversation

    def pop(self, chat_id: int, default: Conversation | None = None) -> Conversation | None:
        """Drop the conversation of a chat (/forget)."""
        return self._chats.pop(chat_id, default)

    def __len__(self) -> int:
        return len(self._chats)


@dataclass(frozen=True)
class Verdict:
    """The rate limit's answer for one question.

    Attributes:
        allowed: The question may be answered (and was counted).
        wait: Seconds until the next question is allowed (0 when allowed).
        notify: Tell the user to wait: true for the first refusal of a window only, so a
            flood gets one notice, not one reply per message.
    """

    allowed: bool
    wait: float = 0.0
    notify: bool = False


class RateLimiter:
    """At most ``per_minute`` questions per user in any 60 seconds (0 turns it off).

    Args:
        per_minute: Questions allowed per user and minute.
        clock: Monotonic clock (tests).
    """

    window = 60.0

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._notified: dict[int, float] = {}

    def check(self, user_id: int) -> Verdict:
        """Count the question when allowed; else say how long to wait and whether to say so."""
        if self.per_minute <= 0:
            return Verdict(True)
        now = self._clock()
        if len(self._seen) > 10_000:
            self._seen = {u: d for u, d in self._seen.items() if d and now - d[-1] < self.window}
            self._notified = {u: t for u, t in self._notified.items() if u in self._seen}
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.per_minute:
            wait = max(0.0, self.window - (now - times[0]))
            last = self._notified.get(user_id)
            notify = last is None or now - last >= self.window
            if notify:
                self._notified[user_id] = now
            return Verdict(False, wait, notify)
        times.append(now)
        return Verdict(True)

    def wait_time(self, user_id: int) -> float:
        """0 and count the question when allowed, else the seconds until the next is."""
        return self.check(user_id).wait

    def forget(self, user_id: int) -> None:
        """Drop what is kept about a user."""
        self._seen.pop(user_id, None)
        self._notified.pop(user_id, None)
