"""``python -m bot bench``: ingest cost, ask latency, memory, and how they grow with the corpus."""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bot.knowledge.folders import extra_folders
from bot.settings import Settings
from devtools.evaluation import DEFAULT_QUESTIONS, load_questions
from devtools.measure import machine, percentile, rss_mb


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
    from bot.answering.written.verify import verify_sentences
    from bot.models import AnswerSentence

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
    from bot.index.store import IndexStore

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


def run_bench(settings: Settings, scale: int = 10, questions_path: Path | None = None) -> dict:
    """Measure on the default folders (knowledge, downloads, mirror), in temporary indexes."""
    from bot.answering.service import AnsweringService
    from bot.index.ingest import ingest

    questions = [q.question for q in load_questions(questions_path or DEFAULT_QUESTIONS)]
    extra = extra_folders(settings)
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
        "ask_p95_ms": round(percentile(timings, 0.95), 1),
        "verify_p50_ms": round(statistics.median(verify_timings), 2),
        "verify_p95_ms": round(percentile(verify_timings, 0.95), 2),
        "clauses_10x": clauses_scaled,
        "open_10x_s": round(open_scaled_s, 2),
        "ask_p50_ms_10x": round(statistics.median(timings_scaled), 1),
        "ask_p95_ms_10x": round(percentile(timings_scaled, 0.95), 1),
        "rss_mb": round(rss_mb(), 1),
        "machine": machine(),
    }


def run_telegram_bench(settings: Settings) -> dict:
    """The Telegram benchmark over a temporary index of the default folders."""
    from bot.index.ingest import ingest
    from devtools.telegram_bench import bench_telegram_cli

    extra = extra_folders(settings)
    with tempfile.TemporaryDirectory(prefix="bot-bench-telegram-") as tmp:
        local = settings.model_copy(
            update={"chroma_path": Path(tmp) / "chroma", "chroma_host": None,
                    "persistence_path": Path(tmp) / "state.pickle"}
        )
        ingest(local, extra_dirs=extra)
        result = bench_telegram_cli(local)
    result["machine"] = machine()
    return result
