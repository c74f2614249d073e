"""Development tools: ``python -m devtools eval|bench`` (also ``python -m bot eval|bench``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.errors import BotError
from bot.settings import BotSettings, Settings
from devtools.evaluation import (
    DEFAULT_CORPUS,
    DEFAULT_QUESTIONS,
    evaluate,
    format_report,
    load_questions,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the development tools."""
    parser = argparse.ArgumentParser(prog="python -m devtools")
    commands = parser.add_subparsers(dest="command", required=True)

    evaluate_ = commands.add_parser("eval", help="retrieval quality on the evaluation sets")
    evaluate_.add_argument("--questions", help="evaluation YAML (default: both sets)")
    evaluate_.add_argument("--corpus", help="extra document folder (default ../shared/corpus)")
    evaluate_.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate_.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    evaluate_.add_argument("--llm", action="store_true", help="also score written answers")

    bench = commands.add_parser("bench", help="ingest and latency benchmark")
    bench.add_argument("--corpus", help="extra document folder (default ../shared/corpus)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--telegram", action="store_true", help="benchmark the Telegram bot")
    bench.add_argument("--scale", type=int, default=10,
                       help="largest corpus multiple: measures 1×, 10×, 100× up to it (10)")
    bench.add_argument("--questions", help="questions to time (default tests/eval/questions.yaml)")
    return parser


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score retrieval on the evaluation set, beside the baseline."""
    path = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
    if not path.is_file():
        raise BotError(f"evaluation set not found: {path}")
    corpus = Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    result = evaluate(
        settings, load_questions(path), corpus, baseline=not args.no_baseline, llm=args.llm
    )
    if args.json:
        flat = dict(result["system"])
        flat["baseline"] = result.get("baseline")
        if "llm" in result:
            flat["llm"] = result["llm"]
        print(json.dumps(flat, ensure_ascii=False, indent=2))
    else:
        print(format_report(result))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest cost, latency and memory (or the Telegram bot's throughput)."""
    from devtools.benchmark import run_bench, run_telegram_bench

    corpus = Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    if args.telegram:
        result = run_telegram_bench(settings, corpus)
    else:
        questions = Path(args.questions) if args.questions else None
        result = run_bench(settings, corpus, scale=args.scale, questions_path=questions)
    if args.json:
        print(json.dumps(result, indent=2))
    elif args.telegram:
        for key, value in result.items():
            print(f"{key:16s} {value}")
    else:
        from devtools.benchmark import format_table

        print(format_table(result))
    return 0


def main(argv: list[str] | None = None, *, settings: Settings | None = None) -> int:
    """Entry point of ``python -m devtools``."""
    args = build_parser().parse_args(argv)
    try:
        settings = settings or BotSettings()
        if args.command == "eval":
            return cmd_eval(args, settings)
        return cmd_bench(args, settings)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
