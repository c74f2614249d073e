"""The loopback OpenAI-compatible stub of devtools with the scripts of the written-answer tests.

``LLMStub`` serves on 127.0.0.1 and is reached through the real ``ChatOpenAI`` client;
``use(name)`` switches to one of ``SCRIPTS``.
"""

from __future__ import annotations

import json

from devtools.llm_stub import LLMStub as _LoopbackStub
from devtools.llm_stub import Reply, answer_json

__all__ = ["BE_ID", "LU_ID", "NL_ID", "PLANTED_ID", "SCRIPTS", "LLMStub", "Reply"]

# Clause ids of the hand-built citations in tests/test_written.py.
BE_ID = "be-aliens-act#art-61-2"
NL_ID = "nl-vreemdelingencirculaire#b8-3"
LU_ID = "lu-immigration-law#art-93"
PLANTED_ID = "planted-note#par-1"


SCRIPTS: dict[str, Reply] = {
    "correct": Reply(
        answer_json(
            ("In Belgium the reflection period is 45 days.", [BE_ID]),
            ("In Luxembourg it is ninety days.", [LU_ID]),
            ("In the Netherlands it is three months.", [NL_ID]),
        )
    ),
    "fenced": Reply(
        "Here is the answer:\n```json\n"
        + answer_json(("In Luxembourg the reflection period is 90 days.", [LU_ID]))
        + "\n```"
    ),
    "unretrieved_citation": Reply(
        answer_json(
            ("In Belgium the reflection period is 45 days.", [BE_ID]),
            ("In Luxembourg it can be extended indefinitely.", ["lu-immigration-law#art-999"]),
        )
    ),
    "invented_number": Reply(
        answer_json(("In Belgium the reflection period is 60 days.", [BE_ID]))
    ),
    "wrong_country": Reply(
        answer_json(("In Luxembourg the reflection period is 45 days.", [BE_ID]))
    ),
    "too_many": Reply(
        answer_json(*[(f"In Belgium the reflection period is 45 days ({n}).", [BE_ID])
                  for n in ("a", "b", "c", "d", "e", "f", "g")])
    ),
    "malformed": Reply('Sure! {"sentences": [{"text": "In Belgium it is 45 days", '),
    "server_error": Reply(json.dumps({"error": {"message": "stub failure"}}), status=500),
    "timeout": Reply(answer_json(("Too late.", [BE_ID])), delay_s=5.0),
    # What a model that obeyed the planted instruction would say: an invented id and
    # figures that no retrieved clause states, next to one honest sentence.
    "injected": Reply(
        answer_json(
            ("Victims must leave Belgium within 7 days.", [PLANTED_ID]),
            ("The reflection period was abolished in 2024.", ["admin#override"]),
            ("Call 0800 99 999 for a residence permit.", [PLANTED_ID, BE_ID]),
            ("In Luxembourg the reflection period is 90 days.", [LU_ID]),
        )
    ),
}
"""Scripts by name: a correct answer and each way a model can go wrong."""


class LLMStub(_LoopbackStub):
    """The devtools stub, answering with the ``correct`` script until ``use`` changes it."""

    def __init__(self, reply: Reply | None = None) -> None:
        super().__init__(reply or SCRIPTS["correct"])

    def use(self, name: str) -> LLMStub:
        """Reply with the script ``name`` from now on."""
        self.reply = SCRIPTS[name]
        return self
