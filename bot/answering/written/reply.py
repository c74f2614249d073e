"""Reading the model's reply: the JSON answer, whatever surrounds it."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.utils.json import parse_json_markdown
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.models import AnswerSentence


class MalformedReply(ValueError):
    """The model's reply is not the JSON answer asked for."""


class _ReplySentence(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1)
    citation_ids: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("citation_ids", "citations", "ids")
    )

    @field_validator("citation_ids", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sentences: list[_ReplySentence]


_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def message_text(message: Any) -> str:
    """The text of a chat model reply (LangChain's ``BaseMessage.text``), or a plain string."""
    return message if isinstance(message, str) else str(getattr(message, "text", "") or "")


def parse_reply(raw: str) -> list[AnswerSentence]:
    """Read the model's JSON answer from its raw text.

    Parsed from the message text rather than by provider tool calling, so that any
    OpenAI-compatible server works. Reasoning blocks (``<think>``) and code fences are
    removed, and prose around the JSON object is ignored.

    Args:
        raw: The model's reply text.

    Returns:
        The sentences in the model's order.

    Raises:
        MalformedReply: When no JSON object of the expected shape is found.
    """
    text = _THINK.sub("", raw).strip()
    try:
        data = parse_json_markdown(text)  # plain JSON or a fenced block
    except (json.JSONDecodeError, ValueError):
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise MalformedReply("no JSON object") from None
        try:
            data = json.loads(text[start : end + 1])
        except json.JSONDecodeError:
            raise MalformedReply("invalid JSON") from None
    if isinstance(data, list):
        data = {"sentences": data}
    try:
        reply = _Reply.model_validate(data)
    except ValidationError:
        raise MalformedReply("unexpected JSON shape") from None
    return [
        AnswerSentence(text=s.text, citation_ids=tuple(s.citation_ids)) for s in reply.sentences
    ]
