"""Command line: ``python -m bot ask|chat|run`` (and ``eval|bench`` from a checkout).

Imports stay light here so that ``python -m bot --help`` answers at once: the answering
service (and with it Chroma and the embedding model) is imported by the commands that
need it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from typing import TYPE_CHECKING

from bot.errors import BotError, IndexUnavailable, QuestionError
from bot.reference.jurisdictions import NATIONAL
from bot.reference.languages import LANGUAGES
from bot.settings import BotSettings, Settings

if TYPE_CHECKING:
    from bot.answering.service import AnsweringService

EXIT_OK, EXIT_ERROR, EXIT_UNAVAILABLE = 0, 1, 2

TOOLS = "devtools.cli"
"""Evaluation and benchmarks live beside the package, in a checkout of the repository."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Cited answers on the protection of victims of trafficking (BE, NL, LU).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question", nargs="+", help="the question (quote it)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--context", help="the previous question of the conversation (a follow-up inherits "
        "its country and topic)"
    )
    _answer_options(ask)

    chat = commands.add_parser("chat", help="interactive console chat")
    _answer_options(chat)

    commands.add_parser("run", help="start the Telegram bot (or the console chat without token)")
    feedback = commands.add_parser(
        "feedback", help="the 👍/👎 kept by the bot, per clause (for maintainers)"
    )
    feedback.add_argument("--json", action="store_true", help="print one JSON object")
    for name, about in (("eval", "retrieval quality on the evaluation sets"),
                        ("bench", "ingest and latency benchmark")):
        tool = commands.add_parser(name, help=f"{about} (checkout only)", add_help=False)
        tool.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--country", type=str.upper, choices=[*NATIONAL, "ALL"],
                        help="answer from this country's rules plus EU/CoE/Benelux")
    parser.add_argument("--lang", choices=LANGUAGES, help="answer language (default: detected)")


def _service(settings: Settings, service: AnsweringService | None) -> AnsweringService:
    if service is not None:
        return service
    from bot.answering.service import build_service

    return build_service(settings)


def cmd_ask(args: argparse.Namespace, service: AnsweringService) -> int:
    """Answer one question and print it."""
    question = " ".join(args.question)
    country = None if args.country in (None, "ALL") else args.country
    try:
        answer = service.answer(
            question, country=country, language=args.lang, context=args.context
        )
    except QuestionError as exc:
        return _fail(args, str(exc), EXIT_ERROR, code=exc.code)
    except IndexUnavailable as exc:
        return _fail(args, str(exc), EXIT_UNAVAILABLE, code="index_unavailable")
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
    return EXIT_OK


def _fail(args: argparse.Namespace, message: str, exit_code: int, **extra: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"error": message, **extra}, ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
    return exit_code


def cmd_chat(args: argparse.Namespace, service: AnsweringService) -> int:
    """Interactive console chat on the same answering service; follow-ups keep their context."""
    from bot.answering.conversation import Conversation

    country = None if args.country in (None, "ALL") else args.country
    conversation = Conversation()
    print("Ask a question about the protection of trafficking victims (empty line or Ctrl-D "
          "to quit). Legal information, not legal advice.")
    while True:
        try:
            question = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        if not question:
            return EXIT_OK
        try:
            answer = service.answer(
                question, country=country, language=args.lang,
                context=conversation.context(),
            )
        except QuestionError as exc:
            print(exc)
            continue
        except IndexUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_UNAVAILABLE
        if answer.status != "off_topic":
            conversation.remember(question, answer.country)
        print(answer.text)


def cmd_run(args: argparse.Namespace, settings: BotSettings,
            service: AnsweringService | None) -> int:
    """Start the Telegram bot when a token is set, else the console chat."""
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set: starting the console chat instead.")
        logging.getLogger().setLevel(logging.WARNING)  # keep the chat screen clean
        args.country, args.lang = None, None
        return cmd_chat(args, _service(settings, service))
    from bot.telegram.app import run

    return run(settings, _service(settings, service))


def cmd_feedback(args: argparse.Namespace, settings: BotSettings) -> int:
    """Summarise the kept ratings per clause: which clauses mislead (no question texts)."""
    from bot.telegram.feedback import format_feedback, load_feedback

    rows = load_feedback(settings.persistence_path)
    if args.json:
        print(json.dumps([
            {"clause_id": r.clause_id, "ratings": r.ratings, "unhelpful": r.unhelpful,
             "share_unhelpful": round(r.share_unhelpful, 4)} for r in rows
        ], ensure_ascii=False, indent=2))
    else:
        print(format_feedback(rows))
    return EXIT_OK


def _warm_up(settings: Settings) -> None:
    """Start loading the model and the language identifier while the service is imported."""
    from bot.answering import warmup  # light: imports nothing heavy until its threads run
    from bot.index.vector_cache import cache_folder

    warmup.warm_language()
    if settings.embedding_backend.lower() == "use":
        warmup.warm_default_model(cache_folder(settings))


def cmd_tool(args: argparse.Namespace, settings: Settings) -> int:
    """``eval`` and ``bench``: the development tools of a checkout (``python -m devtools``)."""
    try:
        tools = importlib.import_module(TOOLS)
    except ModuleNotFoundError:
        print(f"error: `{args.command}` is a development tool: run it from a checkout of the "
              f"repository (make {args.command})", file=sys.stderr)
        return EXIT_ERROR
    return tools.main([args.command, *args.args], settings=settings)


def main(
    argv: list[str] | None = None,
    *,
    settings: BotSettings | None = None,
    service: AnsweringService | None = None,
) -> int:
    """Entry point of ``python -m bot``.

    Args:
        argv: Arguments (``sys.argv[1:]`` when None).
        settings: Settings (read from the environment and ``.env`` when None).
        service: The answering service (built from the settings when None; tests pass one).

    Returns:
        The exit status: 0 answered, 1 bad question or input, 2 index unavailable.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("eval", "bench"):
        # The development tools parse their own options: argparse would refuse an
        # option such as "--llm" before a REMAINDER argument.
        args = argparse.Namespace(command=argv[0], args=argv[1:])
    else:
        args = build_parser().parse_args(argv)
    try:
        settings = settings or BotSettings()
        logging.basicConfig(
            level=getattr(logging, settings.log_level.upper(), logging.INFO)
            if args.command == "run"
            else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        # httpx logs request URLs (Bot API URLs contain the token); openai logs request
        # bodies at DEBUG (questions and clauses); bm25s is chatty.
        for noisy in ("httpx", "httpcore", "openai", "bm25s", "chromadb"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        if args.command in ("ask", "chat", "run") and service is None:
            _warm_up(settings)
        if args.command == "ask":
            return cmd_ask(args, _service(settings, service))
        if args.command == "chat":
            return cmd_chat(args, _service(settings, service))
        if args.command == "run":
            return cmd_run(args, settings, service)
        if args.command == "feedback":
            return cmd_feedback(args, settings)
        return cmd_tool(args, settings)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
