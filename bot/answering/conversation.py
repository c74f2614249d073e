"""Follow-up questions: what a short question borrows from the previous one of the chat.

A worker asks "we found a 16-year-old boy in a cannabis plantation in Antwerp, what now?"
and then "Risque-t-il des poursuites ?": the second question means the same boy, in
Belgium. The previous question is kept in memory only (never stored or logged), for a few
minutes, and the answer says when it leaned on it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.reference.countries import countries_in, without_countries
from bot.reference.text import clip

CONTEXT_TTL = 15 * 60.0
"""Seconds a previous question stays the context of the next one."""

CONTEXT_CHARS = 600
"""Longest context kept (the previous question and what it borrowed itself)."""

FOLLOW_UP_WORDS = 12
"""A question of at most this many words may lean on the previous one for its topic."""


@dataclass(frozen=True)
class FollowUp:
    """How a question is searched, given the previous one.

    Attributes:
        search_text: The question, plus the previous question when it is a follow-up.
        country: The country the question names, else the one the previous question named.
        inherited_country: True when ``country`` came from the previous question.
        leaned: True when the previous question was used at all.
    """

    search_text: str
    country: str | None = None
    inherited_country: bool = False
    leaned: bool = False


def follow_up(question: str, context: str | None, country: str | None = None) -> FollowUp:
    """What a question borrows from the previous one (nothing when there is none).

    Args:
        question: The cleaned question.
        context: The previous question of the conversation (with its own context), or None.
        country: A country chosen explicitly (``--country``, ``/country``): never overridden.
    """
    if not context:
        return FollowUp(question)
    named = countries_in(question)
    chosen = country or (named[0] if len(named) == 1 else None)
    inherited = None
    if not chosen and not named:
        previous = countries_in(context)
        inherited = previous[0] if len(previous) == 1 else None
    short = len(question.split()) <= FOLLOW_UP_WORDS
    # The previous question lends its topic, never its country: "and in Belgium?" after a
    # question about Luxembourg is about Belgium only.
    text = f"{question} {without_countries(context)}" if short else question
    return FollowUp(
        search_text=" ".join(text.split()),
        country=chosen or inherited,
        inherited_country=inherited is not None,
        leaned=short or inherited is not None,
    )


def next_context(previous: str | None, question: str, country: str | None = None) -> str:
    """The context a question leaves for the next one.

    The question, with the country its answer was for; a short follow-up also carries the
    context it leaned on, so a third turn still knows the first ("a boy in Antwerp" →
    "risque-t-il des poursuites ?" → "and in the Netherlands?").
    """
    text = question
    if country and country not in countries_in(question):
        text = f"{text} {country}"
    if previous and len(question.split()) <= FOLLOW_UP_WORDS:
        text = f"{text} {previous}"
    return clip(" ".join(text.split()), CONTEXT_CHARS)


class Conversation:
    """The previous question of one chat, in memory, for ``CONTEXT_TTL`` seconds.

    Args:
        ttl: Seconds the previous question stays the context.
        clock: Monotonic clock (tests).
    """

    def __init__(self, ttl: float = CONTEXT_TTL, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self._clock = clock
        self._text: str | None = None
        self._at = 0.0

    def context(self) -> str | None:
        """The context for the next question, or None when there is none or it is too old."""
        if self._text is None or self._clock() - self._at > self.ttl:
            self._text = None
            return None
        return self._text

    def remember(self, question: str, country: str | None = None) -> None:
        """Keep a question (and the country its answer was for) as the next one's context."""
        self._text = next_context(self.context(), question, country)
        self._at = self._clock()

    def forget(self) -> None:
        """Drop the context."""
        self._text = None
