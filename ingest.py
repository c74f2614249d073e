"""Index the knowledge documents into Chroma, incrementally: ``python ingest.py --help``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.errors import BotError, IndexUnavailable, KnowledgeError
from bot.settings import Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options of the ingest."""
    parser = argparse.ArgumentParser(
        description="Split the documents of the knowledge folder into clauses and index them "
        "in Chroma. Unchanged clauses are skipped, changed ones replaced, vanished ones removed."
    )
    parser.add_argument("--knowledge-dir", type=Path, help="folder of documents (KNOWLEDGE_DIR)")
    parser.add_argument(
        "--rebuild", action="store_true",
        help="rebuild the whole index (vectors of texts embedded before come from the cache)",
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would change")
    parser.add_argument(
        "--fetch",
        action="store_true",
        help="download the official texts listed in knowledge/sources.yaml first, and index them",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--check",
        action="store_true",
        help="check the knowledge (verification lines, official links, language versions, "
        "basis ids, review dates) without changing the index; exit 1 on errors",
    )
    return parser.parse_args(argv)


FETCH_FAILED = 3
"""Exit status when the index was brought up to date but a ``--fetch`` download failed."""


def main(argv: list[str] | None = None) -> int:
    """Run the ingest and print a closing summary; non-zero exit on any error.

    Exit status: 0 done, 1 invalid knowledge or other error (index unchanged), 2 Chroma
    unavailable (the message says whether the new index went live), 3 indexed but a
    download of ``--fetch`` failed (its previous copy, if any, is indexed), so that a
    scheduled run can alert a maintainer. A second ingest of the same index waits for the
    first, saying so.
    """
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    overrides = {"knowledge_dir": args.knowledge_dir} if args.knowledge_dir else {}
    settings = Settings(**overrides)

    if args.check:
        return check(settings)

    from bot.index.ingest import ingest

    fetched_all = True
    try:
        if args.fetch:
            fetched_all = fetch(settings)
        report = ingest(
            settings,
            rebuild=args.rebuild,
            dry_run=args.dry_run,
            progress=not args.quiet and sys.stderr.isatty(),
            on_wait=lambda message: print(message, file=sys.stderr, flush=True),
        )
    except KnowledgeError as exc:
        print(f"error: {exc}\nThe index was not changed.", file=sys.stderr)
        return 1
    except IndexUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for item in report.due_for_review:
        print(f"review due: {item} is older than {settings.review_after_days} days")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.lexical_rebuilt:
        print("glossary changed: lexical index rebuilt (no re-embedding)")
    if report.missing_sources:
        where = f"not in the mirror {settings.sources_mirror}" if settings.sources_mirror else (
            "no mirror configured")
        print(f"official texts not indexed (not downloaded — `python ingest.py --fetch` when "
              f"online — and {where}): {', '.join(report.missing_sources)}")
    print(("dry run: " if report.dry_run else "") + report.summary())
    return 0 if fetched_all else FETCH_FAILED


def check(settings: Settings) -> int:
    """Print the findings of the knowledge check; 1 when there is an error."""
    from bot.knowledge.check import check_knowledge

    try:
        report = check_knowledge(settings)
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for finding in report.findings:
        print(finding, file=sys.stderr if finding.error else sys.stdout)
    print(report.summary())
    return 1 if report.errors else 0


def fetch(settings: Settings) -> bool:
    """Download the manifest's official texts into the cache; report failures, keep old copies.

    Returns:
        True when every source was downloaded.
    """
    from bot.knowledge.fetch import fetch_sources

    manifest = settings.knowledge_dir / "sources.yaml"
    if not manifest.is_file():
        raise KnowledgeError(manifest, "manifest not found (needed by --fetch)")
    report = fetch_sources(manifest, settings.fetch_cache_dir, settings.fetch_timeout_s)
    if report.unreachable:
        # Offline: one line, not one per source; the mirror and the cache stand in.
        print(f"--fetch: no official text could be downloaded ({report.failed[0].reason}); "
              "using the cached copies and the mirror", file=sys.stderr)
        return False
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("FAILED") else sys.stdout)
    return report.ok


if __name__ == "__main__":
    sys.exit(main())
