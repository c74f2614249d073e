"""``python -m bot bench``: ingest cost, ask latency, memory, and how they grow with the corpus.

Each corpus multiple is measured in fresh processes (the ingest, a process that opens the
index and answers, a one-shot ``python -m bot ask``), so that peak memory and start-up
costs are those a maintainer or a bot would see.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.errors import BotError
from bot.knowledge.folders import extra_folders
from bot.settings import Settings
from devtools.evaluation import DEFAULT_QUESTIONS, REPO, load_questions
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


SCALE_STEPS = (1, 10, 100)
"""The corpus multiples measured by ``bench --scale N``: every step up to N, and N."""
_ID_LINE = re.compile(r"^(id|translation_of):[ \t]*(\S+)[ \t]*$", re.MULTILINE)


def scales(largest: int) -> list[int]:
    """The multiples to measure: 1, the steps below ``largest``, and ``largest``."""
    return sorted({1, largest, *(s for s in SCALE_STEPS if s < largest)})


def copy_documents(source: Path, target: Path, factor: int) -> None:
    """Copy a document folder ``factor`` times, each copy under new document ids.

    Copy 0 keeps the ids; copy ``c`` lives in ``copy-c/`` and appends ``-xc`` to every
    ``id`` and ``translation_of``. The texts are identical, so their vectors come from the
    embedding cache: only the index grows.
    """
    from bot.knowledge.documents import discover, sidecar_path

    target.mkdir(parents=True, exist_ok=True)
    glossary = source / "glossary.yaml"
    if glossary.is_file():
        shutil.copy(glossary, target / glossary.name)
    for path in discover(source):
        rel = path.relative_to(source)
        sidecar = sidecar_path(path)
        for copy in range(factor):
            folder = target / (f"copy-{copy}" if copy else "") / rel.parent
            folder.mkdir(parents=True, exist_ok=True)
            for file in (path, sidecar):
                if not file.is_file():
                    continue
                data = file.read_bytes()
                if copy and (file is sidecar or file.suffix in (".md", ".txt")):
                    data = _renamed(data.decode("utf-8-sig"), copy, file is sidecar).encode()
                (folder / file.name).write_bytes(data)


def _renamed(text: str, copy: int, whole: bool) -> str:
    """The metadata with ``-x<copy>`` appended to its ids (front matter only, or a sidecar)."""
    def rename(match: re.Match) -> str:
        return f"{match.group(1)}: {match.group(2)}-x{copy}"

    if whole:
        return _ID_LINE.sub(rename, text)
    end = text.find("\n---", 3)
    return _ID_LINE.sub(rename, text[:end]) + text[end:]


def run_measured(command: list[str], env: dict[str, str], cwd: Path) -> dict:
    """Run a process; its wall time, peak RSS, exit status and output.

    Raises:
        BotError: the process failed.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise BotError(f"{' '.join(command[1:3])} failed ({process.returncode}): {stderr[-2000:]}")
    return {"wall_s": wall, "rss_mb": usage.ru_maxrss / 1024, "stdout": stdout}


def worker(questions_path: Path, rounds: int) -> dict:
    """Inside a fresh process: open the index, time questions and dense searches.

    Settings come from the environment, as for a bot process; prints nothing itself.
    """
    from bot.answering.service import AnsweringService
    from bot.index.embeddings import make_embeddings
    from bot.reference.jurisdictions import SUPRANATIONAL
    from bot.reference.languages import detect_language
    from bot.settings import Settings

    questions = [q.question for q in load_questions(questions_path)]
    settings = Settings()
    # Opening the index is timed alone: the model and the language identifier are loaded
    # first (the one-shot ask below measures the whole start-up).
    embeddings = make_embeddings(settings)
    getattr(embeddings, "warm", lambda: None)()
    detect_language("warm up")
    service = AnsweringService(settings, embeddings=embeddings)
    started = time.perf_counter()
    retriever = service._open()
    open_s = time.perf_counter() - started
    timings = ask_latencies(service, questions, rounds=rounds)
    dense = retriever.collection
    vectors = [retriever.embeddings.embed_query(q) for q in questions[:20]]
    one_country = {"jurisdiction": {"$in": ["BE", *SUPRANATIONAL]}}
    filtered, unfiltered = [], []
    for vector in vectors:
        for where, sink in ((one_country, filtered), (None, unfiltered)):
            begun = time.perf_counter()
            dense.query(query_embeddings=[vector], n_results=retriever.params.dense_k,
                        where=where, include=["distances"])
            sink.append((time.perf_counter() - begun) * 1000)
    return {
        "open_s": open_s,
        "ask_p50_ms": statistics.median(timings),
        "ask_p95_ms": percentile(timings, 0.95),
        "dense_country_ms": statistics.median(filtered),
        "dense_all_ms": statistics.median(unfiltered),
        "bot_rss_mb": rss_mb(),
        "clauses": len(retriever.clauses),
    }


def measure_scale(settings: Settings, knowledge: Path, corpus: Path | None, factor: int,
                  work: Path, questions_path: Path, vectors: Path) -> dict:
    """Every figure of the issue's table at one corpus multiple, in fresh processes."""
    from bot.index.ingest import ingest

    base = work / f"x{factor}"
    copy_documents(knowledge, base / "knowledge", factor)
    extra = base / "corpus"
    if corpus is not None and corpus.is_dir():
        copy_documents(corpus, extra, factor)
    local = settings.model_copy(update={
        "knowledge_dir": base / "knowledge", "chroma_path": base / "chroma", "chroma_host": None,
        "fetch_cache_dir": extra, "embedding_cache_path": vectors, "sources_mirror": None,
    })
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(base),
           "KNOWLEDGE_DIR": str(local.knowledge_dir), "CHROMA_PATH": str(local.chroma_path),
           "FETCH_CACHE_DIR": str(extra), "EMBEDDING_CACHE_PATH": str(vectors),
           "SOURCES_MIRROR": "",  # the copies in FETCH_CACHE_DIR stand in for the mirror
           "EMBEDDING_BACKEND": settings.embedding_backend, "LOG_LEVEL": "WARNING"}
    python = sys.executable
    cold = run_measured([python, str(REPO / "ingest.py"), "--quiet"], env, base)
    started = time.perf_counter()
    again = ingest(local, extra_dirs=[extra] if extra.is_dir() else [])
    reingest_s = time.perf_counter() - started
    if again.changed:
        raise BotError("re-ingest of unchanged documents changed the index")
    rounds = 2 if factor == 1 else 1
    work_run = run_measured([python, "-m", "devtools.benchmark", "worker", str(questions_path),
                             str(rounds)], env, REPO)
    figures = json.loads(work_run["stdout"].strip().splitlines()[-1])
    question = load_questions(questions_path)[0].question
    one_shot = run_measured([python, "-m", "bot", "ask", question], env, REPO)
    return {
        "clauses": figures["clauses"],
        "passages": again.passages,
        "ingest_s": round(cold["wall_s"], 1),
        "ingest_rss_mb": round(cold["rss_mb"]),
        "reingest_s": round(reingest_s, 2),
        "open_s": round(figures["open_s"], 2),
        "ask_p50_ms": round(figures["ask_p50_ms"], 1),
        "ask_p95_ms": round(figures["ask_p95_ms"], 1),
        "dense_country_ms": round(figures["dense_country_ms"], 1),
        "dense_all_ms": round(figures["dense_all_ms"], 1),
        "bot_rss_mb": round(figures["bot_rss_mb"]),
        "one_shot_ask_s": round(one_shot["wall_s"], 2),
        "one_shot_ask_rss_mb": round(one_shot["rss_mb"]),
    }


TABLE_ROWS = (
    ("clauses", "clauses"),
    ("passages", "passages"),
    ("ask_p50_ms", "ask p50 (ms), warm process"),
    ("ask_p95_ms", "ask p95 (ms), warm process"),
    ("dense_country_ms", "Chroma dense search k=100, one country (ms)"),
    ("dense_all_ms", "Chroma dense search k=100, all jurisdictions (ms)"),
    ("open_s", "opening the index (s), model already loaded"),
    ("one_shot_ask_s", "one-shot `python -m bot ask` wall (s)"),
    ("one_shot_ask_rss_mb", "one-shot `python -m bot ask` peak RSS (MB)"),
    ("ingest_s", "cold ingest, new process (s)"),
    ("ingest_rss_mb", "peak RSS of that ingest (MB)"),
    ("reingest_s", "no-change re-ingest (s)"),
    ("bot_rss_mb", "peak RSS of the bot (MB)"),
)


def format_table(result: dict) -> str:
    """The issue's table: one row per measure, one column per corpus multiple."""
    steps = result["scales"]
    lines = ["| measure | " + " | ".join(f"{s}×" for s in steps) + " |",
             "|---|" + "---:|" * len(steps)]
    for key, label in TABLE_ROWS:
        cells = [f"{result[f'{key}_{s}x']:,}" for s in steps]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(f"\nmachine: {result['machine']}")
    return "\n".join(lines)


def run_bench(settings: Settings, scale: int = 10, questions_path: Path | None = None) -> dict:
    """Measure the knowledge folder plus the mirror at 1×, 10× … ``scale``× (temporary indexes).

    The documents are copied under new ids; their vectors are embedded once, at 1×, and
    come from the embedding cache for the larger copies.
    """
    questions_path = questions_path or DEFAULT_QUESTIONS
    result: dict = {"scales": scales(scale)}
    corpus = Path(settings.sources_mirror) if settings.sources_mirror else None
    with tempfile.TemporaryDirectory(prefix="bot-bench-") as tmp:
        work = Path(tmp)
        for factor in result["scales"]:
            # EMBEDDING_CACHE_PATH, when set, keeps the vectors between runs.
            vectors = settings.embedding_cache_path or work / "vectors.sqlite"
            figures = measure_scale(settings, Path(settings.knowledge_dir), corpus, factor, work,
                                    questions_path, vectors)
            result.update({f"{key}_{factor}x": value for key, value in figures.items()})
            # A 100× run takes long: show each multiple's figures as soon as they exist.
            print(f"{factor}×: {json.dumps(figures)}", file=sys.stderr, flush=True)
            shutil.rmtree(work / f"x{factor}", ignore_errors=True)
    result["machine"] = machine()
    return result


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


if __name__ == "__main__":  # ``python -m devtools.benchmark worker QUESTIONS ROUNDS``
    if len(sys.argv) != 4 or sys.argv[1] != "worker":
        sys.exit("usage: python -m devtools.benchmark worker QUESTIONS ROUNDS")
    print(json.dumps(worker(Path(sys.argv[2]), int(sys.argv[3]))))
