"""A loopback OpenAI-compatible chat server with scripted replies, for tests.

Serves ``POST /v1/chat/completions`` and ``POST /chat/completions`` on 127.0.0.1 at a
free port, answers with the current script in the OpenAI response format, and records
every request so a test can read the prompt the model was given.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

from tests.loopback import LoopbackServer, Request

# Clause ids of the hand-built citations in tests/test_written.py.
BE_ID = "be-aliens-act#art-61-2"
NL_ID = "nl-vreemdelingencirculaire#b8-3"
LU_ID = "lu-immigration-law#art-93"
PLANTED_ID = "planted-note#par-1"


@dataclass(frozen=True)
class Reply:
    """One scripted reply.

    Attributes:
        content: The assistant message content (``status`` 200).
        status: HTTP status; 200 for a normal reply.
        delay_s: Seconds to wait before replying (longer than the client's timeout
            to script a timeout).
    """

    content: str = ""
    status: int = 200
    delay_s: float = 0.0


def _answer(*sentences: tuple[str, list[str]]) -> str:
    return json.dumps(
        {"sentences": [{"text": text, "citation_ids": ids} for text, ids in sentences]},
        ensure_ascii=False,
    )


SCRIPTS: dict[str, Reply] = {
    "correct": Reply(
        _answer(
            ("In Belgium the reflection period is 45 days.", [BE_ID]),
            ("In Luxembourg it is ninety days.", [LU_ID]),
            ("In the Netherlands it is three months.", [NL_ID]),
        )
    ),
    "fenced": Reply(
        "Here is the answer:\n```json\n"
        + _answer(("In Luxembourg the reflection period is 90 days.", [LU_ID]))
        + "\n```"
    ),
    "unretrieved_citation": Reply(
        _answer(
            ("In Belgium the reflection period is 45 days.", [BE_ID]),
            ("In Luxembourg it can be extended indefinitely.", ["lu-immigration-law#art-999"]),
        )
    ),
    "invented_number": Reply(
        _answer(("In Belgium the reflection period is 60 days.", [BE_ID]))
    ),
    "wrong_country": Reply(
        _answer(("In Luxembourg the reflection period is 45 days.", [BE_ID]))
    ),
    "too_many": Reply(
        _answer(*[(f"In Belgium the reflection period is 45 days ({n}).", [BE_ID])
                  for n in ("a", "b", "c", "d", "e", "f", "g")])
    ),
    "malformed": Reply('Sure! {"sentences": [{"text": "In Belgium it is 45 days", '),
    "server_error": Reply(json.dumps({"error": {"message": "stub failure"}}), status=500),
    "timeout": Reply(_answer(("Too late.", [BE_ID])), delay_s=5.0),
    # What a model that obeyed the planted instruction would say: an invented id and
    # figures that no retrieved clause states, next to one honest sentence.
    "injected": Reply(
        _answer(
            ("Victims must leave Belgium within 7 days.", [PLANTED_ID]),
            ("The reflection period was abolished in 2024.", ["admin#override"]),
            ("Call 0800 99 999 for a residence permit.", [PLANTED_ID, BE_ID]),
            ("In Luxembourg the reflection period is 90 days.", [LU_ID]),
        )
    ),
}
"""Scripts by name: a correct answer and each way a model can go wrong."""


class LLMStub:
    """The stub server; use as a context manager, set ``reply`` or call ``use``.

    Attributes:
        reply: The reply every request gets.
        requests: The JSON bodies received, in order.
        base_url: ``http://127.0.0.1:<port>/v1`` once started.
    """

    def __init__(self, reply: Reply | None = None) -> None:
        self.reply = reply or SCRIPTS["correct"]
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: LoopbackServer | None = None

    def use(self, name: str) -> LLMStub:
        """Reply with the script ``name`` from now on."""
        self.reply = SCRIPTS[name]
        return self

    @property
    def base_url(self) -> str:
        assert self._server is not None, "stub not started"
        return f"{self._server.url}/v1"

    def last_prompt(self) -> list[dict]:
        """The messages of the last request."""
        with self._lock:
            return self.requests[-1]["messages"]

    def start(self) -> LLMStub:
        self._server = LoopbackServer(self._handle, poll_interval=0.02)
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.close()

    def __enter__(self) -> LLMStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handle(self, request: Request) -> None:
        if request.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            request.reply_json(404, {"error": {"message": "not found"}})
            return
        body = request.json_body()
        with self._lock:
            self.requests.append(body)
        reply = self.reply
        if reply.delay_s:
            # Released early when the stub stops, so no test waits the full delay.
            self._release.wait(reply.delay_s)
        if reply.status != 200:
            request.reply_json(reply.status, json.loads(reply.content or "{}"))
            return
        request.reply_json(200, _completion(body.get("model", "stub"), reply.content))


def _completion(model: str, content: str) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
