"""Errors that carry a message meant for the user or the maintainer."""

from __future__ import annotations

from enum import StrEnum


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


class QuestionProblem(StrEnum):
    """Why a question cannot be answered as given; each value is a key of the catalogues."""

    EMPTY = "empty"
    TOO_LONG = "too_long"


class QuestionError(BotError):
    """The question cannot be answered as given (empty, too long).

    Attributes:
        problem: What is wrong, a key of the text catalogues.
        values: Values for the placeholders of that text (``length``, ``limit``).
    """

    def __init__(self, problem: QuestionProblem, message: str, **values: object) -> None:
        self.problem = problem
        self.values = values
        super().__init__(message)

    @property
    def code(self) -> str:
        """The problem as a string (``empty``, ``too_long``), for ``ask --json``."""
        return self.problem.value
