"""The answering service shared by the command line and the Telegram bot."""

from __future__ import annotations

from bot.models import Answer, Clause, DocumentMeta
from bot.settings import Settings


class AnsweringService:
    """Answers questions from the index; one instance per process.

    Raises ``bot.errors.IndexUnavailable`` (index missing, wrong model, server down)
    and ``bot.errors.QuestionError`` (empty or over-long question) from ``answer``.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def answer(
        self, question: str, *, country: str | None = None, language: str | None = None
    ) -> Answer:
        """Answer a question.

        Args:
            question: The question in nl, fr, de or en.
            country: Restrict to BE, NL or LU plus the supranational documents.
            language: Answer language; detected from the question when None.

        Returns:
            The answer with its citations in rank order.
        """
        raise NotImplementedError

    def clause(self, clause_id: str) -> Clause | None:
        """The whole clause with this id, or None."""
        raise NotImplementedError

    def sources(self) -> list[DocumentMeta]:
        """The indexed documents, sorted by jurisdiction and title."""
        raise NotImplementedError

    def reload(self) -> None:
        """Reopen the index (after an ingest), without a restart."""
        raise NotImplementedError
