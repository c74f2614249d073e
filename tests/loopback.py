"""A loopback HTTP server for tests: 127.0.0.1 at a free port, served in a daemon thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class Request(BaseHTTPRequestHandler):
    """One request (GET or POST), with quiet logging and one call to answer it."""

    def log_message(self, *args: object) -> None:
        pass  # keep the test output clean

    def json_body(self) -> dict:
        """The request body read as JSON (``{}`` when empty)."""
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        """Send ``status``, ``headers`` and ``body``; a client that gave up is ignored."""
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client timed out or hung up (timeout tests)

    def reply_json(self, status: int, payload: dict) -> None:
        """Send ``payload`` as JSON."""
        self.reply(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})


class LoopbackServer:
    """Calls ``handle(request)`` for every GET and POST until ``close()``.

    Args:
        handle: Answers one request, e.g. with ``request.reply(...)``.
        poll_interval: How often the serving thread looks for ``close()``.

    Attributes:
        url: ``http://127.0.0.1:<port>``.
    """

    def __init__(self, handle: Callable[[Request], None], poll_interval: float = 0.05) -> None:
        class Handler(Request):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                handle(self)

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
