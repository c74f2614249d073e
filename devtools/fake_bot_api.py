"""A fake Telegram Bot API server on 127.0.0.1 for tests and the Telegram benchmark.

It serves ``/bot<token>/<method>`` like the real Bot API (JSON, form-encoded or query
parameters), records every call, hands queued updates to ``getUpdates`` (long polling,
bounded), checks ``parse_mode=HTML`` texts the way Telegram does (known tags, balanced,
at most 4096 characters after parsing) and answers ``sendMessage`` with a real Message.

Example:
    >>> api = FakeTelegramAPI().start()
    >>> question = api.push_message("How long is the reflection period?", language_code="en")
    >>> await api.wait_for(lambda calls: api.sent(chat_id=1001))
    >>> api.stop()
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit on a message text, in UTF-16 code units after entity parsing."""

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "tg-emoji", "code", "pre", "blockquote",
}
"""Tags that Telegram's HTML parse mode accepts."""

_STRING_PARAMS = {
    "text", "caption", "callback_query_id", "query", "secret_token", "url", "parse_mode",
    "action", "description", "short_description", "name", "language_code", "emoji",
}
_BOT_ID = 999_000


class HTMLCheckError(ValueError):
    """A text that Telegram would refuse with "can't parse entities"."""


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise HTMLCheckError(f"unsupported start tag \"{tag}\"")
        if tag == "a" and not dict(attrs).get("href"):
            raise HTMLCheckError("a tag without href")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise HTMLCheckError(f"unsupported self-closing tag \"{tag}\"")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise HTMLCheckError(f"unmatched end tag \"{tag}\"")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def parse_telegram_html(text: str) -> str:
    """The plain text Telegram shows for an HTML message.

    Args:
        text: A message text in Telegram's HTML parse mode.

    Returns:
        The text without tags, entities decoded.

    Raises:
        HTMLCheckError: an unknown or unbalanced tag, or a bare ``<`` or ``&``.
    """
    for index, char in enumerate(text):
        if char == "<" and not text[index + 1 : index + 2].isalpha() and (
            text[index + 1 : index + 2] != "/"
        ):
            raise HTMLCheckError(f"unescaped < at offset {index}")
        if char == "&":
            end = text.find(";", index)
            name = text[index + 1 : end] if end != -1 else ""
            if name not in {"lt", "gt", "amp", "quot"} and not (
                name.startswith("#") and name[1:].lstrip("xX").isalnum()
            ):
                raise HTMLCheckError(f"unescaped & at offset {index}")
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise HTMLCheckError(f"unclosed tag \"{parser.stack[-1]}\"")
    if parser.rawdata:
        raise HTMLCheckError("unfinished tag")
    return "".join(parser.parts)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True
    result: Any = None

    @property
    def chat_id(self) -> Any:
        """The ``chat_id`` parameter, if any."""
        return self.params.get("chat_id")

    @property
    def text(self) -> str:
        """The ``text`` parameter (empty when absent)."""
        return str(self.params.get("text", ""))


@dataclass
class _Failure:
    method: str
    count: int
    error_code: int
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


class FakeTelegramAPI:
    """In-process fake of the Telegram Bot API (stdlib only).

    Args:
        token: The token the bot must use; other tokens get 401 Unauthorized.
        username: The bot's username (without @).
        max_poll_wait: Upper bound in seconds on how long one ``getUpdates`` is held.
    """

    def __init__(
        self, token: str = "123:ABC", *, username: str = "protect_test_bot",
        max_poll_wait: float = 5.0,
    ) -> None:
        self.token = token
        self.bot_user = {
            "id": _BOT_ID, "is_bot": True, "first_name": "Protection assistant",
            "username": username, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
        }
        self.max_poll_wait = max_poll_wait
        self.calls: list[Call] = []
        self.reject_token = False
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._chat_types: dict[int, str] = {}
        self._failures: list[_Failure] = []
        self._lock = threading.Condition()
        self._closing = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeTelegramAPI:
        """Listen on a free port of 127.0.0.1 in a background thread."""
        api = self

        class Handler(_Handler):
            fake = api

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-telegram-api", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release held long polls and stop the server."""
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTelegramAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "start() the fake API first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """Value for TELEGRAM_BASE_URL (the token is appended by the bot)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def bot_id(self) -> int:
        """The bot's user id."""
        return self.bot_user["id"]

    @property
    def username(self) -> str:
        """The bot's username (without @)."""
        return self.bot_user["username"]

    # -- what the bot sent -------------------------------------------------------------------
    def snapshot(self) -> list[Call]:
        """A copy of the calls recorded so far."""
        with self._lock:
            return list(self.calls)

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[Call]:
        """Successful calls of ``method`` (to ``chat_id`` when given)."""
        return [
            c for c in self.snapshot()
            if c.method == method and c.ok and (chat_id is None or c.chat_id == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of the messages sent (to ``chat_id`` when given)."""
        return [c.text for c in self.sent(chat_id)]

    async def wait_for(
        self, predicate: Callable[[list[Call]], Any], timeout: float = 10.0
    ) -> Any:
        """Wait until ``predicate(calls)`` is truthy and return its value.

        Raises:
            TimeoutError: the predicate stayed falsy for ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            value = predicate(self.snapshot())
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            await asyncio.sleep(0.01)

    def fail(
        self, method: str, *, count: int = 1, error_code: int = 429,
        retry_after: int | None = 1, description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail (default: flood control 429)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else {}
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429 else "Bad Request"
            )
        with self._lock:
            self._failures.append(_Failure(method, count, error_code, description, parameters))

    def clear(self) -> None:
        """Forget the recorded calls."""
        with self._lock:
            self.calls.clear()

    # -- updates -----------------------------------------------------------------------------
    def push_update(self, update: dict) -> int:
        """Queue a raw update (``update_id`` is filled in) and return its id."""
        with self._lock:
            update = dict(update)
            update["update_id"] = next(self._update_ids)
            for key in ("message", "edited_message"):
                if key in update:
                    chat = update[key]["chat"]
                    self._chat_types[chat["id"]] = chat["type"]
            self._updates.append(update)
            self._lock.notify_all()
            return update["update_id"]

    def message(
        self, text: str | None = None, *, user_id: int = 1001, chat_id: int | None = None,
        chat_type: str = "private", language_code: str | None = "en",
        first_name: str = "Alex", entities: list[dict] | None = None,
        reply_to_message: dict | None = None, **content: Any,
    ) -> dict:
        """A Message object from a user.

        Commands (``/ask``) and mentions (``@name``) get their entities unless
        ``entities`` is given; ``content`` adds e.g. ``photo=[...]`` or ``sticker={...}``.
        """
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else -1_000_000 - user_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Test group"
        sender = _user(user_id, first_name, language_code)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": chat, "from": sender,
        }
        if text is not None:
            message["text"] = text
            found = entities if entities is not None else auto_entities(text)
            if found:
                message["entities"] = found
        if reply_to_message is not None:
            message["reply_to_message"] = reply_to_message
        message.update(content)
        return message

    def push_message(
        self, text: str | None = None, *, edited: bool = False, **kwargs: Any
    ) -> dict:
        """Queue a message (or an ``edited_message``) update and return the message.

        See ``message`` for the arguments.
        """
        message = self.message(text, **kwargs)
        if edited:
            message["edit_date"] = int(time.time())
        self.push_update({"edited_message" if edited else "message": message})
        return message

    def push_callback(
        self, data: str, *, message: dict | Call, user_id: int = 1001,
        language_code: str | None = "en", first_name: str = "Alex",
    ) -> int:
        """Queue a button press on ``message`` (a bot message or its sendMessage call)."""
        if isinstance(message, Call):
            message = message.result
        sender = _user(user_id, first_name, language_code)
        query = {
            "id": str(next(self._message_ids) * 7919), "from": sender, "message": message,
            "chat_instance": "1", "data": data,
        }
        return self.push_update({"callback_query": query})

    def _take_updates(self, offset: int, limit: int, timeout: float) -> list[dict]:
        deadline = time.monotonic() + min(max(timeout, 0.0), self.max_poll_wait)
        with self._lock:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._closing:
                    return self._updates[:limit]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._lock.wait(remaining)

    # -- request handling ----------------------------------------------------------------------
    def _failure_for(self, method: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.method.lower() == method.lower() and failure.count > 0:
                    failure.count -= 1
                    return failure
        return None

    def handle(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        """Answer one Bot API call: (HTTP status, JSON body)."""
        if token != self.token or self.reject_token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        call = Call(method=method, params=params, at=time.monotonic())
        failure = self._failure_for(method)
        if failure is not None:
            call.ok = False
            status, body = failure.error_code, {
                "ok": False, "error_code": failure.error_code,
                "description": failure.description,
            }
            if failure.parameters:
                body["parameters"] = failure.parameters
        else:
            try:
                result = self._result(method, params)
            except HTMLCheckError as exc:
                call.ok = False
                status, body = 400, {
                    "ok": False, "error_code": 400,
                    "description": f"Bad Request: can't parse entities: {exc}",
                }
            except _BadRequest as exc:
                call.ok = False
                status, body = 400, {
                    "ok": False, "error_code": 400, "description": f"Bad Request: {exc}",
                }
            else:
                call.result = result
                status, body = 200, {"ok": True, "result": result}
        with self._lock:
            self.calls.append(call)
        return status, body

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        name = method.lower()
        if name == "getme":
            return self.bot_user
        if name == "getupdates":
            return self._take_updates(
                int(params.get("offset") or 0), int(params.get("limit") or 100),
                float(params.get("timeout") or 0),
            )
        if name in {"sendmessage", "editmessagetext"}:
            return self._message_result(name, params)
        if name == "getwebhookinfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True  # sendChatAction, answerCallbackQuery, setMyCommands, setWebhook, ...

    def _message_result(self, name: str, params: dict[str, Any]) -> dict:
        text = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            shown = parse_telegram_html(text)
        elif params.get("parse_mode"):
            raise _BadRequest(f"unsupported parse_mode {params['parse_mode']}")
        else:
            shown = text
        if not shown.strip():
            raise _BadRequest("message text is empty")
        if utf16_len(shown) > MAX_MESSAGE_LENGTH:
            raise _BadRequest("message is too long")
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise _BadRequest("chat not found") from None
        chat_type = self._chat_types.get(chat_id, "private" if chat_id > 0 else "group")
        message_id = (
            int(params.get("message_id", 0)) if name == "editmessagetext"
            else next(self._message_ids)
        )
        message = {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type}, "from": self.bot_user, "text": shown,
        }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message


class _BadRequest(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up (the bot stopping mid long poll)."""


def _user(user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
    """A User object of a person (not a bot)."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


def auto_entities(text: str) -> list[dict]:
    """Entities Telegram would add: a leading ``/command`` and ``@username`` mentions."""
    found = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0] if text.split() else text
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command)})
    index = 0
    while (index := text.find("@", index)) != -1:
        end = index + 1
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        preceded = index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "/")
        if end - index > 1 and preceded:
            found.append({
                "type": "mention", "offset": utf16_len(text[:index]),
                "length": utf16_len(text[index:end]),
            })
        index = end
    return found


def _decode_form(raw: dict[str, list[str]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, values in raw.items():
        value = values[-1]
        if key in _STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTelegramAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep the test output quiet."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        """Serve a GET call (parameters in the query string)."""
        self._serve(b"")

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        """Serve a POST call (JSON or form-encoded body)."""
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length) if length else b"")

    def _serve(self, body: bytes) -> None:
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = parts[0][3:], parts[1]
        params = _decode_form(parse_qs(url.query))
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            if kind == "application/json" and body:
                params.update(json.loads(body))
            elif body:
                params.update(_decode_form(parse_qs(body.decode("utf-8"), keep_blank_values=True)))
        except ValueError:
            self._reply(400, {"ok": False, "error_code": 400, "description": "Bad Request"})
            return
        status, reply = self.fake.handle(token, method, params)
        self._reply(status, reply)

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
