"""The fake Telegram Bot API server for tests (it lives in the package for the benchmark)."""

from devtools.fake_bot_api import (
    ALLOWED_TAGS,
    MAX_MESSAGE_LENGTH,
    Call,
    FakeTelegramAPI,
    HTMLCheckError,
    auto_entities,
    parse_telegram_html,
    utf16_len,
)

__all__ = [
    "ALLOWED_TAGS",
    "MAX_MESSAGE_LENGTH",
    "Call",
    "FakeTelegramAPI",
    "HTMLCheckError",
    "auto_entities",
    "parse_telegram_html",
    "utf16_len",
]
