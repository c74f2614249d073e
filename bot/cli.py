"""Command line: ``python -m bot ask|chat|eval|bench|run``."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from bot.errors import BotError, IndexUnavailable, QuestionError
from bot.language import LANGUAGES
from bot.models import NATIONAL
from bot.service import build_service
from bot.settings import BotSettings, Settings

EXIT_OK, EXIT_ERROR, EXIT_UNAVAILABLE = 0, 1, 2


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
    _answer_options(ask)

    chat = commands.add_parser("chat", help="interactive console chat")
    _answer_options(chat)

    evaluate = commands.add_parser("eval", help="retrieval quality on the evaluation set")
    evaluate.add_argument("--questions", help="evaluation YAML (default tests/eval/questions.yaml)")
    evaluate.add_argument("--corpus", help="extra document folder (default ../shared/corpus)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    evaluate.add_argument("--llm", action="store_true", help="also score written answers")

    bench = commands.add_parser("bench", help="ingest and latency benchmark")
    bench.add_argument("--corpus", help="extra document folder (default ../shared/corpus)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--telegram", action="store_true", help="benchmark the Telegram bot")
    bench.add_argument("--scale", type=int, default=10, help="corpus multiple for growth (10)")

    commands.add_parser("run", help="start the Telegram bot (or the console chat without token)")
    return parser


def _answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--country", type=str.upper, choices=[*NATIONAL, "ALL"],
                        help="answer from this country's rules plus EU/CoE/Benelux")
    parser.add_argument("--lang", choices=LANGUAGES, help="answer language (default: detected)")


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question and print it."""
    service = build_service(settings)
    question = " ".join(args.question)
    country = None if args.country in (None, "ALL") else args.country
    try:
        answer = service.answer(question, country=country, language=args.lang)
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


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Interactive console chat on the same answering service."""
    service = build_service(settings)
    country = None if args.country in (None, "ALL") else args.country
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
            print(service.answer(question, country=country, language=args.lang).text)
        except QuestionError as exc:
            print(exc)
        except IndexUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_UNAVAILABLE


def cmd_run(args: argparse.Namespace, settings: BotSettings) -> int:
    """Start the Telegram bot when a token is set, else the console chat."""
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set: starting the console chat instead.")
        logging.getLogger().setLevel(logging.WARNING)  # keep the chat screen clean
        args.country, args.lang = None, None
        return cmd_chat(args, settings)
    from bot.telegram.app import run

    return run(settings, build_service(settings))


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bot``."""
    args = build_parser().parse_args(argv)
    try:
        settings = BotSettings()
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
        if args.command == "ask":
            return cmd_ask(args, settings)
        if args.command == "chat":
            return cmd_chat(args, settings)
        if args.command == "run":
            return cmd_run(args, settings)
        if args.command == "eval":
            from bot.evaluation import cmd_eval

            return cmd_eval(args, settings)
        if args.command == "bench":
            from bot.benchmark import cmd_bench

            return cmd_bench(args, settings)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR
