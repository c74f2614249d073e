"""A loopback OpenAI-compatible chat server with scripted replies, for tests and evaluations.

Serves ``POST /v1/chat/completions`` and ``POST /chat/completions`` on 127.0.0.1 at a
free port, answers in the OpenAI response format with the current reply (a fixed
``Reply`` or one computed from the request), and records every request so that a test
can read the prompt the model was given. Used through the real ``ChatOpenAI`` client.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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


Responder = Callable[[dict], Reply]
"""Computes the reply from the request body (a model that reads its prompt)."""


def answer_json(*sentences: tuple[str, list[str]]) -> str:
    """The JSON answer a written-answer prompt asks for: (text, citation ids) per sentence."""
    return json.dumps(
        {"sentences": [{"text": text, "citation_ids": ids} for text, ids in sentences]},
        ensure_ascii=False,
    )


def prompt_text(body: dict) -> str:
    """All message contents of a chat completion request, joined."""
    return "\n".join(str(m.get("content", "")) for m in body.get("messages", []))


class LLMStub:
    """The stub server; use as a context manager, or ``start()`` and ``stop()``.

    Args:
        reply: The reply every request gets, or a function of the request body.

    Attributes:
        reply: As above; may be changed between requests.
        requests: The JSON bodies received, in order.
    """

    def __init__(self, reply: Reply | Responder | None = None) -> None:
        self.reply: Reply | Responder = reply or Reply(answer_json())
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``, the ``base_url`` of an OpenAI client."""
        assert self._httpd is not None, "stub not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def last_prompt(self) -> list[dict]:
        """The messages of the last request."""
        with self._lock:
            return self.requests[-1]["messages"]

    def start(self) -> LLMStub:
        """Serve in a daemon thread."""
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass  # requests may hold clause texts; nothing is logged

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                stub._handle(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, release delayed replies and free the port."""
        self._release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> LLMStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        if request.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            _send(request, 404, {"error": {"message": "not found"}})
            return
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length) or b"{}")
        with self._lock:
            self.requests.append(body)
        reply = self.reply if isinstance(self.reply, Reply) else self.reply(body)
        if reply.delay_s:
            # Released early when the stub stops, so no test waits the full delay.
            self._release.wait(reply.delay_s)
        if reply.status != 200:
            _send(request, reply.status, json.loads(reply.content or "{}"))
            return
        _send(request, 200, _completion(body.get("model", "stub"), reply.content))


def _send(request: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    try:
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
    except OSError:
        pass  # the client timed out or hung up (timeout tests)


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
