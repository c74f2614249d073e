"""``python -m bot bench``: ingest cost, ask latency, memory, and how they grow with the corpus."""

from __future__ import annotations

import json
import platform
import resource
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bot.evaluation import DEFAULT_CORPUS, DEFAULT_QUESTIONS, load_questions
from bot.settings import Settings


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ask_latencies(service, questions: list[str], rounds: int = 2) -> list[float]:
    """Milliseconds per ``answer`` call over the questions, after one warm-up pass."""
    for question in questions[:5]:
        service.answer(question)
    timings = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            service.answer(question)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def verify_latencies(service, questions: list[str]) -> list[float]:
    """Milliseconds that verifying a written answer adds, per grounded question.

    The written answer is stood in for by one sentence per citation: its highlight, citing
    that clause, which is the verification a real written answer of that size goes through.
    """
    from bot.models import AnswerSentence
    from bot.written import verify_sentences

    timings = []
    for question in questions:
        answer = service.answer(question)
        if not answer.grounded:
            continue
        sentences = [AnswerSentence(text=c.highlight, citation_ids=(c.id,))
                     for c in answer.citations]
        started = time.perf_counter()
        verify_sentences(sentences, answer.citations, answer.language)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def scale_index(source: Settings, target: Settings, factor: int) -> int:
    """Copy the active index ``factor`` times under new document ids (no re-embedding).

    Returns:
        The number of clauses in the scaled index.
    """
    from bot.store import IndexStore

    src = IndexStore(source)
    active = src.active()
    rows = list(src.iter_records(active["generation"], embeddings=True))
    dst = IndexStore(target)
    generation = dst.new_generation_name()
    dst.client.create_collection(
        generation, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    clauses = set()
    for copy in range(factor):
        records, vectors = [], []
        for record, vector in rows:
            meta = dict(record.metadata)
            if copy:
                meta["document_id"] = f"{meta['document_id']}-x{copy}"
                meta["clause_id"] = meta["clause_id"].replace("#", f"-x{copy}#", 1)
            rid = record.id if not copy else record.id.replace("#", f"-x{copy}#", 1)
            records.append(replace(record, id=rid, metadata=meta))
            vectors.append(vector)
            clauses.add(meta["clause_id"])
        dst.write(generation, records, vectors)
    dst.activate(generation, active["embedding_model"], {"clauses": len(clauses)})
    return len(clauses)


def run_bench(settings: Settings, corpus: Path | None, scale: int = 10) -> dict:
    """Measure on the knowledge folder plus the corpus, in temporary embedded indexes."""
    from bot.indexer import ingest
    from bot.service import AnsweringService

    questions = [q.question for q in load_questions(DEFAULT_QUESTIONS)]
    extra = [corpus] if corpus and corpus.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="bot-bench-") as tmp:
        local = settings.model_copy(
            update={"chroma_path": Path(tmp) / "x1", "chroma_host": None}
        )
        started = time.perf_counter()
        report = ingest(local, extra_dirs=extra)
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest(local, extra_dirs=extra)
        reingest_s = time.perf_counter() - started
        assert not again.changed, "re-ingest of unchanged documents changed the index"

        service = AnsweringService(local)
        timings = ask_latencies(service, questions)
        verify_timings = verify_latencies(service, questions) or [0.0]

        scaled = local.model_copy(update={"chroma_path": Path(tmp) / f"x{scale}"})
        clauses_scaled = scale_index(local, scaled, scale)
        scaled_service = AnsweringService(scaled, embeddings=service._embeddings)
        started = time.perf_counter()
        scaled_service.sources()
        open_scaled_s = time.perf_counter() - started
        timings_scaled = ask_latencies(scaled_service, questions, rounds=1)

    return {
        "ingest_s": round(ingest_s, 2),
        "clauses": report.clauses,
        "passages": report.passages,
        "clauses_per_s": round(report.clauses / ingest_s, 1),
        "reingest_s": round(reingest_s, 3),
        "ask_p50_ms": round(statistics.median(timings), 1),
        "ask_p95_ms": round(_percentile(timings, 0.95), 1),
        "verify_p50_ms": round(statistics.median(verify_timings), 2),
        "verify_p95_ms": round(_percentile(verify_timings, 0.95), 2),
        "clauses_10x": clauses_scaled,
        "open_10x_s": round(open_scaled_s, 2),
        "ask_p50_ms_10x": round(statistics.median(timings_scaled), 1),
        "ask_p95_ms_10x": round(_percentile(timings_scaled, 0.95), 1),
        "rss_mb": round(_rss_mb(), 1),
        "machine": _machine(),
    }


def run_telegram_bench(settings: Settings, corpus: Path | None) -> dict:
    """The Telegram benchmark over a temporary index of the knowledge folder plus the corpus."""
    from bot.indexer import ingest
    from bot.telegram.bench import bench_telegram_cli

    extra = [corpus] if corpus and corpus.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="bot-bench-telegram-") as tmp:
        local = settings.model_copy(
            update={"chroma_path": Path(tmp) / "chroma", "chroma_host": None,
                    "persistence_path": Path(tmp) / "state.pickle"}
        )
        ingest(local, extra_dirs=extra)
        result = bench_telegram_cli(local)
    result["machine"] = _machine()
    return result


def _machine() -> str:
    import os

    cores = len(os.sched_getaffinity(0))
    return f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"


def cmd_bench(args, settings: Settings) -> int:
    """``python -m bot bench``."""
    corpus = Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    if args.telegram:
        result = run_telegram_bench(settings, corpus)
    else:
        result = run_bench(settings, corpus, scale=args.scale)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:16s} {value}")
    return 0
