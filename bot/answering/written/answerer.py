"""Optional written (LLM) answers, sent only when every sentence checks out.

The extractive answer stays the default. With ``LLM_PROVIDER`` set, ``WrittenAnswerer``
asks a chat model for a short answer that cites the retrieved clauses (those that hold
instructions to a model are left out), then checks every sentence: its citations are
retrieved clauses, and its quantities, countries, links and negations are stated by the
clauses it cites. One sentence that fails, too many sentences, or any failure of the
model, and the extractive answer is returned unchanged.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.answering.written.prompts import MAX_SENTENCES, build_messages
from bot.answering.written.providers import failure_reason, make_chat_model
from bot.answering.written.reply import MalformedReply, message_text, parse_reply
from bot.answering.written.untrusted import untrusted_ids
from bot.answering.written.verify import verify_sentences
from bot.models import Answer, AnswerSentence

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

    from bot.settings import LLMSettings

logger = logging.getLogger(__name__)


@dataclass
class WriteStats:
    """Counts of written answers and fallbacks, for evaluation and ``/stats``.

    Attributes:
        written: Answers sent as written answers.
        fallback: Answers that fell back to the extractive answer.
        fallback_reasons: Fallbacks per reason (``timeout``, ``malformed output``, ...).
        removed_reasons: Removed sentences per reason (``unsupported number``, ...).
        verify_ms_total: Time spent verifying, over all answers.
        verify_count: Number of verifications timed.
        verify_ms_max: Slowest verification.
    """

    written: int = 0
    fallback: int = 0
    fallback_reasons: Counter[str] = field(default_factory=Counter)
    removed_reasons: Counter[str] = field(default_factory=Counter)
    verify_ms_total: float = 0.0
    verify_count: int = 0
    verify_ms_max: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, outcome: WriteOutcome) -> None:
        """Count one attempt."""
        with self._lock:
            if outcome.written:
                self.written += 1
            else:
                self.fallback += 1
                self.fallback_reasons[outcome.reason or "unknown"] += 1
            for reason in outcome.removed:
                self.removed_reasons[reason.split(": ", 1)[-1]] += 1
            if outcome.verify_ms is not None:
                self.verify_ms_total += outcome.verify_ms
                self.verify_count += 1
                self.verify_ms_max = max(self.verify_ms_max, outcome.verify_ms)

    @property
    def total(self) -> int:
        """Attempts counted."""
        return self.written + self.fallback

    @property
    def share_written(self) -> float | None:
        """Share of attempts sent as written answers, None before any attempt."""
        return self.written / self.total if self.total else None

    @property
    def verify_ms_mean(self) -> float | None:
        """Mean time of one verification, None before any."""
        return self.verify_ms_total / self.verify_count if self.verify_count else None

    def to_json(self) -> dict:
        """A JSON-ready summary."""
        with self._lock:
            return {
                "written": self.written,
                "fallback": self.fallback,
                "share_written": self.share_written,
                "fallback_reasons": dict(self.fallback_reasons),
                "removed_reasons": dict(self.removed_reasons),
                "verify_ms_mean": self.verify_ms_mean,
                "verify_ms_max": self.verify_ms_max,
            }


@dataclass(frozen=True)
class WriteOutcome:
    """What one written-answer attempt gave.

    Attributes:
        answer: The answer to send: written (mode ``llm``) or the extractive one.
        written: True when ``answer`` is a written answer.
        reason: Why the extractive answer was returned, None when written.
        removed: One reason per sentence that failed the check (no texts).
        model_ms: Time waiting for the model, None when it was not asked.
        verify_ms: Time parsing and verifying the reply, None when there was no reply.
    """

    answer: Answer
    written: bool
    reason: str | None = None
    removed: tuple[str, ...] = ()
    model_ms: float | None = None
    verify_ms: float | None = None





_MODEL_OUTPUT_REASONS = {
    "no clauses", "malformed output", "no sentences", "too many sentences", "unverified sentence",
}


class WrittenAnswerer:
    """Writes short cited answers with a chat model and sends only what checks out.

    Args:
        model: Any LangChain chat model (a provider's, or a scripted one in tests).
        stats: Counter shared with an evaluation; a new one when None.
        max_sentences: Longest written answer; a longer one is not sent.
    """

    def __init__(
        self,
        model: BaseChatModel,
        *,
        stats: WriteStats | None = None,
        max_sentences: int = MAX_SENTENCES,
    ) -> None:
        self.model = model
        self.stats = stats if stats is not None else WriteStats()
        self.max_sentences = max_sentences
        self.last_verify_ms: float | None = None
        self.last_model_ms: float | None = None

    @classmethod
    def from_settings(cls, llm: LLMSettings) -> WrittenAnswerer | None:
        """The answerer of the settings, or None when ``LLM_PROVIDER`` is none.

        Raises:
            LLMConfigError: See ``make_chat_model``.
        """
        if llm.llm_provider.strip().lower() in ("", "none"):
            return None
        return cls(make_chat_model(llm))

    def write(self, answer: Answer) -> Answer:
        """The written answer when it checks out, else ``answer`` unchanged; never raises.

        Args:
            answer: The extractive answer; its citations are the retrieved clauses.

        Returns:
            ``answer`` with mode ``llm`` and the verified sentences, or ``answer`` itself.
        """
        return self.attempt(answer).answer

    async def awrite(self, answer: Answer) -> Answer:
        """Async ``write`` for the bot's event loop; never raises."""
        return (await self.aattempt(answer)).answer

    def attempt(self, answer: Answer) -> WriteOutcome:
        """Like ``write``, with the reason of a fallback and the timings.

        Args:
            answer: The extractive answer.

        Returns:
            The outcome; also counted in ``stats``.
        """
        prepared = self._prepare(answer)
        if isinstance(prepared, WriteOutcome):
            return prepared
        started = time.perf_counter()
        try:
            reply = self.model.invoke(prepared)
        except Exception as exc:
            return self._failed(answer, exc, started)
        return self._finish(answer, reply, started)

    async def aattempt(self, answer: Answer) -> WriteOutcome:
        """Async ``attempt``."""
        prepared = self._prepare(answer)
        if isinstance(prepared, WriteOutcome):
            return prepared
        started = time.perf_counter()
        try:
            reply = await self.model.ainvoke(prepared)
        except Exception as exc:
            return self._failed(answer, exc, started)
        return self._finish(answer, reply, started)

    def _prepare(self, answer: Answer) -> list[BaseMessage] | WriteOutcome:
        """The prompt, or the outcome when there is nothing to ask the model."""
        try:
            # A clause that speaks to the model is never shown to it (see untrusted.py).
            untrusted = untrusted_ids(answer.citations)
            if untrusted:
                # Ids only: a maintainer must find the planted document, no text is logged.
                logger.warning("clauses that address a model, left out: %s", sorted(untrusted))
            clauses = [c for c in answer.citations if c.id not in untrusted]
            if not clauses:
                return self._done(WriteOutcome(answer, written=False, reason="no clauses"))
            return build_messages(answer.question, clauses, answer.language)
        except Exception as exc:
            return self._done(self._internal_error(answer, exc))

    def _failed(self, answer: Answer, exc: Exception, started: float) -> WriteOutcome:
        model_ms = (time.perf_counter() - started) * 1000
        return self._done(
            WriteOutcome(answer, written=False, reason=failure_reason(exc), model_ms=model_ms)
        )

    def _finish(self, answer: Answer, reply: Any, started: float) -> WriteOutcome:
        try:
            outcome = self._check(answer, reply, started)
        except Exception as exc:
            outcome = self._internal_error(answer, exc)
        return self._done(outcome)

    @staticmethod
    def _internal_error(answer: Answer, exc: Exception) -> WriteOutcome:
        # A bug on our side must cost the written answer, never the answer itself.
        return WriteOutcome(answer, written=False, reason=f"internal error ({type(exc).__name__})")

    def _check(self, answer: Answer, reply: Any, started: float) -> WriteOutcome:
        model_ms = (time.perf_counter() - started) * 1000
        began = time.perf_counter()
        try:
            proposed = parse_reply(message_text(reply))
        except MalformedReply:
            proposed = None
        removed: list[str] = []
        kept: list[AnswerSentence] = []
        if proposed and len(proposed) <= self.max_sentences:
            kept, removed = verify_sentences(proposed, answer.citations, answer.language)
        verify_ms = (time.perf_counter() - began) * 1000
        timing = {"model_ms": model_ms, "verify_ms": verify_ms}
        # All or nothing: a sentence left out could be the condition or the exception
        # that the kept ones depend on, so one failed sentence costs the written answer.
        if proposed is None:
            outcome = WriteOutcome(answer, False, "malformed output", **timing)
        elif not proposed:
            outcome = WriteOutcome(answer, False, "no sentences", **timing)
        elif len(proposed) > self.max_sentences:
            outcome = WriteOutcome(answer, False, "too many sentences", **timing)
        elif removed or not kept:
            outcome = WriteOutcome(answer, False, "unverified sentence", tuple(removed), **timing)
        else:
            written = dataclasses.replace(answer, mode="llm", sentences=tuple(kept))
            outcome = WriteOutcome(written, True, None, (), **timing)
        return outcome

    def _done(self, outcome: WriteOutcome) -> WriteOutcome:
        self.last_model_ms = outcome.model_ms
        self.last_verify_ms = outcome.verify_ms
        self.stats.record(outcome)
        if outcome.removed:
            logger.info(
                "llm refused %d sentence(s): %s", len(outcome.removed), "; ".join(outcome.removed)
            )
        if outcome.written:
            logger.info(
                "llm written: %d sentence(s), verify %.1f ms",
                len(outcome.answer.sentences), outcome.verify_ms or 0.0,
            )
        else:
            # Timeouts and model errors are operational problems; the rest is the model
            # writing something unusable, which an evaluation counts instead.
            reason = outcome.reason or "unknown"
            level = logging.INFO if reason in _MODEL_OUTPUT_REASONS else logging.WARNING
            logger.log(level, "llm fallback: %s", reason)
        return outcome
