"""The Telegram bot: building the python-telegram-bot Application and running it.

``python -m bot run`` calls ``run(settings)``: long polling by default, a webhook when
WEBHOOK_URL is set. Tests and the benchmark call ``build_application(settings, service)``
and drive the Application themselves.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    TypeHandler,
    filters,
)
from threadpoolctl import threadpool_limits

from bot.answering.service import AnsweringService, build_service
from bot.errors import BotError, IndexUnavailable
from bot.locales import commands
from bot.reference.languages import LANGUAGES
from bot.settings import BotSettings
from bot.telegram import handlers
from bot.telegram.context import CONTEXT_TYPES, BotData
from bot.telegram.state import RateLimiter

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_CONFIG = 2
"""Exit code for a missing or malformed token or base URL."""

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,200}$")
"""Shape of a Bot API token, e.g. ``123456789:AAH...``."""

WARM_UP_QUESTION = "How long is the reflection period?"
"""Asked once at start so that the first user does not wait for the model to load."""

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
"""The update types the bot handles (asked of Telegram, so no other traffic arrives)."""

CONCURRENT_UPDATES = 32


class ConfigurationError(BotError):
    """The bot cannot start as configured (token, base URL)."""


class PrivacyPersistence(PicklePersistence):
    """PicklePersistence that keeps no empty entries.

    A user or chat without preferences or feedback leaves no trace (not even its id), and
    /forget cannot be undone by a later write of an empty dict.
    """

    async def update_user_data(self, user_id: int, data: dict) -> None:
        """Store a user's data, or drop the entry when it is empty."""
        if data:
            await super().update_user_data(user_id, data)
        elif self.user_data and user_id in self.user_data:
            await self.drop_user_data(user_id)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        """Store a chat's data, or drop the entry when it is empty."""
        if data:
            await super().update_chat_data(chat_id, data)
        elif self.chat_data and chat_id in self.chat_data:
            await self.drop_chat_data(chat_id)


def check_token(settings: BotSettings) -> str:
    """The bot token, checked for presence and shape.

    Raises:
        ConfigurationError: missing or malformed token, or a base URL that is not http(s).
    """
    secret = settings.telegram_bot_token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        raise ConfigurationError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token "
            "in the environment or in .env"
        )
    if not TOKEN_PATTERN.match(token):
        raise ConfigurationError(
            "TELEGRAM_BOT_TOKEN is malformed: expected digits, a colon and the key, as "
            "given by @BotFather (e.g. 123456789:AA...); the value is not shown"
        )
    base = urlsplit(settings.telegram_base_url)
    if base.scheme not in {"http", "https"} or not base.netloc:
        raise ConfigurationError(
            f"TELEGRAM_BASE_URL must be an http(s) URL such as https://api.telegram.org/bot, "
            f"not {settings.telegram_base_url!r}"
        )
    return token


def build_application(
    settings: BotSettings, service: AnsweringService, *, persistence: bool = True,
    flood_limits: bool = True,
) -> Application:
    """Build the Application: handlers, HTML defaults, flood limits, persistence.

    Args:
        settings: Bot settings (token, base URL, access lists, persistence path, …).
        service: The answering service; the Telegram code never answers by itself.
        persistence: Keep chat preferences and feedback in ``settings.persistence_path``.
        flood_limits: Respect Telegram's flood limits with ``AIORateLimiter`` (retrying
            after "Too Many Requests"); only the benchmark turns this off, to measure the
            bot itself.

    Returns:
        The Application, not yet initialized.

    Raises:
        ConfigurationError: missing or malformed token or base URL.
    """
    token = check_token(settings)
    quiet_third_party_loggers()
    builder = (
        Application.builder()
        .context_types(CONTEXT_TYPES)
        .token(token)
        .base_url(settings.telegram_base_url)
        .defaults(Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_sending_without_reply=True,
        ))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if flood_limits:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if persistence:
        path = Path(settings.persistence_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        builder = builder.persistence(PrivacyPersistence(
            filepath=path,
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=30,
        ))
    application = builder.build()
    data: BotData = application.bot_data
    data.service, data.settings = service, settings
    data.limiter = RateLimiter(settings.rate_limit_per_minute)
    add_handlers(application)
    return application


def add_handlers(application: Application) -> None:
    """Register the handlers (access control first, then commands, buttons, messages)."""
    application.add_handler(TypeHandler(Update, handlers.guard), group=-1)
    for name, callback in (
        ("start", handlers.start), ("help", handlers.help_command),
        ("privacy", handlers.privacy), ("forget", handlers.forget),
        ("sources", handlers.sources), ("country", handlers.country),
        ("lang", handlers.lang), ("ask", handlers.ask), ("reload", handlers.reload),
        ("stats", handlers.stats),
    ):
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(handlers.button))
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, handlers.private_text)
    )
    application.add_handler(
        MessageHandler(groups & filters.TEXT & ~filters.COMMAND, handlers.group_text)
    )
    application.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(
        (private | groups) & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.unsupported
    ))
    application.add_error_handler(handlers.on_error)


async def _post_init(application: Application) -> None:
    """Publish the command menu in each language (failure only logged)."""
    bot = application.bot
    for language in LANGUAGES:
        menu = [BotCommand(name, about) for name, about in commands(language).items()]
        try:
            await bot.set_my_commands(
                menu, language_code=None if language == "en" else language
            )
        except TelegramError as exc:
            log.warning("could not set the command menu (%s): %s", language, exc)
    log.info("bot @%s ready", bot.username)


async def _post_shutdown(application: Application) -> None:
    application.bot_data.executor.shutdown(wait=False, cancel_futures=True)


def quiet_third_party_loggers() -> None:
    """Keep request URLs (which hold the token) and update contents out of the logs.

    httpx logs every request URL at INFO; python-telegram-bot logs update contents and
    request parameters at DEBUG. Both are raised to WARNING whatever LOG_LEVEL says.
    """
    for name in ("httpx", "httpcore", "telegram", "apscheduler"):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) would follow the root's level
            logger.setLevel(logging.WARNING)


class RedactFilter(logging.Filter):
    """Replace the token in log records, and drop the traceback of a rejected token."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never suppress it."""
        if not self.secret:
            return True
        if record.exc_info and isinstance(record.exc_info[1], InvalidToken):
            record.exc_info, record.exc_text = None, None
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "<token>"), None
        if record.exc_info:
            formatted = "".join(traceback.format_exception(*record.exc_info)).rstrip()
            if self.secret in formatted:
                record.exc_text = formatted.replace(self.secret, "<token>")
        return True


def configure_logging(settings: BotSettings, token: str | None = None) -> None:
    """Root logging at LOG_LEVEL (if not configured yet), token redacted on every handler."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=getattr(logging, str(settings.log_level).upper(), logging.INFO),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    if token:
        for handler in root.handlers:
            if not any(isinstance(f, RedactFilter) for f in handler.filters):
                handler.addFilter(RedactFilter(token))
    quiet_third_party_loggers()


def limit_blas_threads(count: int = 1) -> None:
    """Let the BLAS library numpy uses run ``count`` threads in this process.

    The bot embeds many short questions at once from several threads, where
    multi-threaded BLAS mostly spins: with 50 chats asking at once on 2 cores busy with
    another process, the Telegram benchmark measured 35 s of CPU and 9-38 replies per
    second with the default threads, 5.5 s and about 100 replies per second with one.
    """
    threadpool_limits(limits=count, user_api="blas")


def run(settings: BotSettings, service: AnsweringService | None = None) -> int:
    """Run the bot until interrupted (SIGINT/SIGTERM); used by ``python -m bot run``.

    Long polling by default; a webhook server on WEBHOOK_LISTEN:WEBHOOK_PORT when
    WEBHOOK_URL is set. The index is opened once at start (if it is missing or the Chroma
    server is down, users get "temporarily unavailable" until it is back).

    Args:
        settings: Bot settings.
        service: The answering service (built from settings when None).

    Returns:
        0 after a normal stop, 2 for a missing, malformed or rejected token or base URL,
        1 when the Bot API cannot be reached at start.
    """
    try:
        token = check_token(settings)
    except ConfigurationError as exc:
        configure_logging(settings)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings, token)
    limit_blas_threads(1)
    service = service or build_service(settings)
    try:
        count = len(service.sources())
        service.answer(WARM_UP_QUESTION)  # loads the embedding model before the first user
        log.info("index opened: %d documents", count)
    except IndexUnavailable as exc:
        log.warning("index unavailable at start (answers resume once it is back): %s", exc)
    application = build_application(settings, service)
    api = urlsplit(settings.telegram_base_url)
    try:
        if settings.webhook_url:
            options = webhook_options(settings)
            log.info(
                "webhook for %s, listening on %s:%d",
                urlsplit(settings.webhook_url).netloc, options["listen"], options["port"],
            )
            application.run_webhook(**options)
        else:
            log.info("long polling %s://%s", api.scheme, api.netloc)
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print(
            f"error: the Bot API at {api.scheme}://{api.netloc} rejected TELEGRAM_BOT_TOKEN "
            "(revoked or mistyped?); the value is not shown",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except NetworkError as exc:
        print(
            f"error: cannot reach the Bot API at {api.scheme}://{api.netloc}: "
            f"{str(exc).replace(token, '<token>')}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return EXIT_OK


def webhook_options(settings: BotSettings) -> dict[str, Any]:
    """Arguments of ``Application.run_webhook`` / ``Updater.start_webhook`` from settings.

    Without WEBHOOK_SECRET_TOKEN a random secret is made for this run: it is registered
    with Telegram by ``setWebhook``, and python-telegram-bot drops every request that does
    not carry it, so nobody who merely knows the URL can post updates as any user.
    """
    url = settings.webhook_url or ""
    configured = settings.webhook_secret_token
    secret = configured.get_secret_value().strip() if configured is not None else ""
    if not secret:
        log.warning("WEBHOOK_SECRET_TOKEN is not set: using a random secret for this run")
        secret = secrets.token_urlsafe(32)
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(url).path.lstrip("/"),
        "webhook_url": url,
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
    }
