"""Errors that carry a message meant for the user or the maintainer."""

from __future__ import annotations


class BotError(Exception):
    """Base class: ``str(error)`` is a clear message for a person."""


class KnowledgeError(BotError):
    """A knowledge document is invalid: names the file and the field or problem."""

    def __init__(self, path: str, problem: str, field: str | None = None) -> None:
        self.path = str(path)
        self.field = field
        self.problem = problem
        where = f"{self.path}: field '{field}'" if field else self.path
        super().__init__(f"{where}: {problem}")


class IndexUnavailable(BotError):
    """The index is missing, built with another model, or the Chroma server is unreachable."""


class QuestionError(BotError):
    """The question cannot be answered as given (empty, too long)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)
