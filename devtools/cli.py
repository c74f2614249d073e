"""Development tools: ``python -m devtools eval|bench`` (also ``python -m bot eval|bench``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.errors import BotError
from bot.settings import BotSettings, Settings
from devtools.evaluation import (
    DEFAULT_QUESTIONS,
    DEFAULT_SCENARIOS,
    evaluate,
    format_report,
    load_questions,
)
from devtools.scenarios import load_scenarios


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the development tools."""
    parser = argparse.ArgumentParser(prog="python -m devtools")
    commands = parser.add_subparsers(dest="command", required=True)

    evaluate_ = commands.add_parser("eval", help="retrieval quality on the evaluation sets")
    evaluate_.add_argument("--questions", help="question set (default tests/eval/questions.yaml)")
    evaluate_.add_argument("--scenarios", help="scenario set (default tests/eval/scenarios.yaml)")
    evaluate_.add_argument("--only", choices=["questions", "scenarios"], help="one set only")
    evaluate_.add_argument("--misses", action="store_true",
                           help="list the dev split's wrong replies (never heldout's)")
    evaluate_.add_argument("--corpus", help="mirror folder of official texts (SOURCES_MIRROR)")
    evaluate_.add_argument("--index", help="keep the evaluation index in this folder and reuse "
                           "it (incremental; default: a temporary one)")
    evaluate_.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate_.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    evaluate_.add_argument("--llm", action="store_true", help="also score written answers")
    evaluate_.add_argument(
        "--llm-hostile", action="store_true",
        help="only the hostile-model check of written answers (no index needed): exit 1 "
        "when a false sentence gets through",
    )

    calibrate = commands.add_parser(
        "calibrate", help="choose the verdict thresholds on the scenario dev split"
    )
    calibrate.add_argument("--index", required=True, help="folder of the evaluation index")

    bench = commands.add_parser("bench", help="ingest and latency benchmark")
    bench.add_argument("--corpus", help="mirror folder of official texts (SOURCES_MIRROR)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--telegram", action="store_true", help="benchmark the Telegram bot")
    bench.add_argument("--scale", type=int, default=10,
                       help="largest corpus multiple: measures 1×, 10×, 100× up to it (10)")
    bench.add_argument("--questions", help="questions to time (default tests/eval/questions.yaml)")
    return parser


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score retrieval on the question set and the scenario set, beside the baseline."""
    if args.llm_hostile:
        return cmd_hostile(args)
    questions_path = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
    scenarios_path = Path(args.scenarios) if args.scenarios else DEFAULT_SCENARIOS
    questions = scenarios = None
    if args.only != "scenarios":
        if not questions_path.is_file():
            raise BotError(f"evaluation set not found: {questions_path}")
        questions = load_questions(questions_path)
    if args.only != "questions" and (args.scenarios or not args.questions):
        if not scenarios_path.is_file():
            raise BotError(f"scenario set not found: {scenarios_path}")
        scenarios = load_scenarios(scenarios_path)
    settings = _with_mirror(settings, args.corpus)
    result = evaluate(
        settings, questions, scenarios, baseline=not args.no_baseline, llm=args.llm,
        index_dir=Path(args.index) if args.index else None,
    )
    misses = result.pop("dev_misses", [])
    if args.json:
        flat = dict(result.pop("system", {}))
        flat.update(result)
        print(json.dumps(flat, ensure_ascii=False, indent=2))
    else:
        print(format_report(result))
        if args.misses:
            print("\n".join(["dev misses:", *misses]))
    return 0


def cmd_hostile(args: argparse.Namespace) -> int:
    """Hostile stubs against the written-answer check: 0 when no false sentence got through."""
    from devtools.hostile import format_hostile, passed, run_hostile

    report = run_hostile(verbose=True)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_hostile(report))
    return 0 if passed(report) else 1


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    """Print the best verdict thresholds on the dev split (the heldout split is not read)."""
    from bot.answering.service import AnsweringService
    from bot.index.ingest import ingest
    from bot.knowledge.folders import extra_folders
    from devtools.calibrate import collect, search

    local = settings.model_copy(update={"chroma_path": Path(args.index), "chroma_host": None})
    ingest(local, extra_dirs=extra_folders(settings))
    service = AnsweringService(local)
    samples = collect(service, load_scenarios(DEFAULT_SCENARIOS))
    for value, params, shares in search(samples, service.params):
        print(f"{value:6.1f}  {params}  " + "  ".join(f"{k} {v:.2f}" for k, v in shares.items()))
    return 0


def _with_mirror(settings: Settings, corpus: str | None) -> Settings:
    """The settings with another mirror folder (``--corpus``)."""
    return settings.model_copy(update={"sources_mirror": Path(corpus)}) if corpus else settings


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest cost, latency and memory (or the Telegram bot's throughput)."""
    from devtools.benchmark import run_bench, run_telegram_bench

    settings = _with_mirror(settings, args.corpus)
    if args.telegram:
        result = run_telegram_bench(settings)
    else:
        questions = Path(args.questions) if args.questions else None
        result = run_bench(settings, scale=args.scale, questions_path=questions)
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
        if args.command == "calibrate":
            return cmd_calibrate(args, settings)
        return cmd_bench(args, settings)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
