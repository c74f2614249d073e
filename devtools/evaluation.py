"""``python -m bot eval``: retrieval quality on both evaluation sets, beside a plain baseline."""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.models import Answer, Clause
from bot.reference.jurisdictions import NATIONAL
from bot.settings import Settings
from devtools.scenarios import Scenario, misses
from devtools.scenarios import report as scenario_report
from devtools.scenarios import run as run_scenarios

REPO = Path(__file__).resolve().parents[1]
DEFAULT_QUESTIONS = REPO / "tests" / "eval" / "questions.yaml"
DEFAULT_SCENARIOS = REPO / "tests" / "eval" / "scenarios.yaml"


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question and what a correct answer cites."""

    id: str
    question: str
    language: str
    expected: tuple[str, ...] = ()
    country: str | None = None
    off_topic: bool = False


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read the evaluation YAML (a list under ``questions``)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    questions = []
    for entry in data["questions"]:
        questions.append(
            EvalQuestion(
                id=str(entry["id"]),
                question=entry["question"],
                language=entry["language"],
                expected=tuple(entry.get("expected") or ()),
                country=entry.get("country"),
                off_topic=bool(entry.get("off_topic", False)),
            )
        )
    return questions


@dataclass
class Scores:
    """Accumulates the metrics of one system over the questions."""

    hits1: list[float] = field(default_factory=list)
    hits3: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)
    abstention: list[float] = field(default_factory=list)
    wrong_jurisdiction: int = 0
    by_language: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, question: EvalQuestion, ranked_ok: list[bool], grounded: bool) -> None:
        """Record one question's outcome (ranked_ok: is each ranked result correct)."""
        self.abstention.append(float(grounded != question.off_topic))
        if question.off_topic:
            return
        ok = ranked_ok if grounded else []
        hit1 = float(bool(ok[:1]) and ok[0])
        hit3 = float(any(ok[:3]))
        first = next((i for i, good in enumerate(ok[:10]) if good), None)
        self.hits1.append(hit1)
        self.hits3.append(hit3)
        self.rr.append(0.0 if first is None else 1.0 / (first + 1))
        self.by_language[question.language].append((hit1, hit3))

    def summary(self) -> dict:
        """The metrics as a JSON-ready dict."""
        def mean(values: list[float]) -> float:
            return round(sum(values) / len(values), 4) if values else 0.0

        return {
            "questions": len(self.abstention),
            "recall_at_1": mean(self.hits1),
            "recall_at_3": mean(self.hits3),
            "mrr": mean(self.rr),
            "abstention_accuracy": mean(self.abstention),
            "wrong_jurisdiction_citations": self.wrong_jurisdiction,
            "per_language": {
                lang: {
                    "questions": len(rows),
                    "recall_at_1": mean([r[0] for r in rows]),
                    "recall_at_3": mean([r[1] for r in rows]),
                }
                for lang, rows in sorted(self.by_language.items())
            },
        }


def wrong_jurisdiction(answer: Answer, country: str | None) -> int:
    """Citations of another country's national rules than the one asked about."""
    if not country:
        return 0
    return sum(
        1 for c in answer.citations if c.jurisdiction in NATIONAL and c.jurisdiction != country
    )


def key_sentence(clause: Clause) -> str:
    """A distinctive sentence of a clause, to recognise it inside a baseline chunk."""
    from bot.reference.text import sentences

    candidates = [s for s in sentences(clause.text) if len(s) >= 30] or [clause.text]
    return _squash(max(candidates, key=len)[:120])


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def evaluate(
    settings: Settings,
    questions: list[EvalQuestion] | None,
    scenarios: list[Scenario] | None = None,
    *,
    baseline: bool = True,
    llm: bool = False,
    extra_dirs: list[Path] | None = None,
    index_dir: Path | None = None,
) -> dict:
    """Build a temporary index of the default folders and score the system on both sets.

    The index holds what ``python ingest.py`` indexes (the knowledge folder, downloaded
    official texts and the mirror), so the figures are those of the index users get.

    Returns:
        ``{"system": {...}, "baseline": {...}, "scenarios": {...}}``: recall@1, recall@3,
        MRR, abstention and wrong-jurisdiction citations on the question set; top-1/top-3
        right, not-covered, off-topic, wrong jurisdiction and reply language per split on
        the scenario set.
    """
    from bot.answering.service import build_service
    from bot.index.ingest import ingest
    from bot.knowledge.folders import extra_folders

    extra = extra_folders(settings) if extra_dirs is None else extra_dirs
    with tempfile.TemporaryDirectory(prefix="bot-eval-") as tmp:
        # A kept index (--index) is brought up to date incrementally: tuning runs skip the
        # embedding of an unchanged knowledge base.
        where = Path(index_dir) if index_dir else Path(tmp) / "chroma"
        local = settings.model_copy(update={"chroma_path": where, "chroma_host": None})
        ingest(local, extra_dirs=extra)
        service = build_service(local) if llm else _plain_service(local)
        result: dict = {}
        if questions:
            result.update(_question_set(service, questions, llm))
            if baseline:
                result["baseline"] = _baseline(local, service, questions, extra)
        if scenarios:
            outcomes = run_scenarios(service, scenarios)
            result["scenarios"] = scenario_report(outcomes)
            result["dev_misses"] = misses(outcomes, "dev")
        return result


def _question_set(service, questions: list[EvalQuestion], llm: bool) -> dict:
    """Recall, MRR, abstention and wrong jurisdiction on the question set (ids any version)."""
    system = Scores()
    written = {"llm": 0, "extractive": 0, "precision": []}
    for question in questions:
        answer, retrieval = service.respond(question.question, language=question.language)
        ranked = [r.clause.group_id in question.expected for r in retrieval.results]
        system.add(question, ranked, answer.grounded)
        system.wrong_jurisdiction += wrong_jurisdiction(
            answer, question.country or (retrieval.countries[0]
                                         if len(retrieval.countries) == 1 else None)
        )
        if llm and answer.grounded and not question.off_topic:
            written[answer.mode] += 1
            if answer.mode == "llm":
                value = citation_precision(answer, set(question.expected))
                if value is not None:
                    written["precision"].append(value)
    result = {"system": system.summary()}
    if llm:
        total = written["llm"] + written["extractive"] or 1
        result["llm"] = {
            "written_share": round(written["llm"] / total, 4),
            "fallback_share": round(written["extractive"] / total, 4),
            "citation_precision": round(
                sum(written["precision"]) / len(written["precision"]), 4
            ) if written["precision"] else None,
        }
    return result


def _plain_service(settings: Settings):
    from bot.answering.service import AnsweringService

    return AnsweringService(settings)


def _baseline(
    settings: Settings, service, questions: list[EvalQuestion], extra: list[Path]
) -> dict:
    """The plain LangChain recipe: 1000/200 character chunks, same model, Chroma top 3."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from bot.knowledge.documents import load_knowledge

    documents = load_knowledge(settings.knowledge_dir, extra)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = splitter.split_documents(
        [
            LCDocument(page_content=d.text, metadata={"jurisdiction": d.meta.jurisdiction})
            for d in documents
        ]
    )
    retriever = service._open()
    embeddings = retriever.embeddings
    with tempfile.TemporaryDirectory(prefix="bot-baseline-") as tmp:
        client = chromadb.PersistentClient(
            path=tmp, settings=ChromaSettings(anonymized_telemetry=False)
        )
        store = Chroma(
            collection_name="baseline",
            embedding_function=embeddings,
            client=client,
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        store.add_documents(chunks)
        scores = Scores()
        for question in questions:
            hits = store.similarity_search(question.question, k=3)
            wanted = set(question.expected)
            expected = [  # any language version of an expected clause counts
                key_sentence(clause)
                for clause in retriever.clauses.values()
                if clause.id in wanted or clause.group_id in wanted
            ]
            ranked = [any(s in _squash(h.page_content) for s in expected) for h in hits]
            # The recipe has no abstention: it always answers with its top 3.
            scores.add(question, ranked, grounded=True)
            if question.country:
                scores.wrong_jurisdiction += sum(
                    1
                    for h in hits
                    if h.metadata["jurisdiction"] in NATIONAL
                    and h.metadata["jurisdiction"] != question.country
                )
        return scores.summary()


def format_report(result: dict) -> str:
    """Human-readable table of the evaluation."""
    lines = []
    for name in ("system", "baseline"):
        if name not in result:
            continue
        s = result[name]
        lines.append(
            f"{name:9s} recall@1 {s['recall_at_1']:.3f}  recall@3 {s['recall_at_3']:.3f}  "
            f"MRR {s['mrr']:.3f}  abstention {s['abstention_accuracy']:.3f}  "
            f"wrong-jurisdiction {s['wrong_jurisdiction_citations']}  ({s['questions']} questions)"
        )
        for lang, row in s["per_language"].items():
            lines.append(
                f"  {lang}: recall@1 {row['recall_at_1']:.3f}  recall@3 {row['recall_at_3']:.3f}"
                f"  ({row['questions']} on-topic)"
            )
    if "llm" in result:
        lines.append(f"llm: {result['llm']}")
    if "scenarios" in result:
        lines.append("scenarios (questions as workers ask them):")
        for split, s in result["scenarios"].items():
            lines.append(
                f"  {split:8s} top-1 {_pct(s['top1_right'])}  top-3 {_pct(s['top3_right'])}  "
                f"not covered {_pct(s['not_covered_right'])}  off-topic declined "
                f"{_pct(s['off_topic_declined'])}  wrong-jurisdiction "
                f"{s['wrong_jurisdiction_citations']} (country named: "
                f"{s['wrong_jurisdiction_country_named']})  reply language "
                f"{_pct(s['reply_language_right'])}  follow-ups {_pct(s['follow_ups_right'])}  "
                f"({s['questions']} questions)"
            )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "  –  " if value is None else f"{value:.3f}"


def citation_precision(answer: Answer, expected_ids: set[str]) -> float | None:
    """Share of the clause ids cited by a written answer that are expected ones.

    Args:
        answer: An answer; only its written sentences are scored.
        expected_ids: Clause ids a correct answer may cite (the evaluation's gold).

    Returns:
        Distinct expected ids cited / distinct ids cited, or None when the answer has
        no written sentences (extractive) or there is no gold to compare with.
    """
    cited = {cid for sentence in answer.sentences for cid in sentence.citation_ids}
    if answer.mode != "llm" or not cited or not expected_ids:
        return None
    return len(cited & expected_ids) / len(cited)
