"""What retrieval returns, and the parameters it is tuned with (no heavy imports here)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Clause, Passage
from bot.retrieval.query import QueryFacts


@dataclass(frozen=True)
class RetrievalParams:
    """Fusion and abstention parameters, tuned on ``tests/eval/questions.yaml``.

    A clause's score is ``dense_weight × cosine + lexical_weight × BM25 / best BM25``
    plus fixed bonuses; see docs/benchmarks.md for the search that chose the values.
    """

    dense_k: int = 40
    lexical_k: int = 100
    dense_weight: float = 0.5
    lexical_weight: float = 1.0
    glossary_weight: float = 8.0
    identifier_bonus: float = 1.6
    document_bonus: float = 1.0
    national_bonus: float = 0.6
    supranational_bonus: float = 0.3
    structural_weight: float = 0.3
    min_dense: float = 0.45
    min_dense_with_terms: float = 0.10
    follow_ratio: float = 0.75
    max_citations: int = 3


@dataclass(frozen=True)
class ScoredClause:
    """A retrieved clause with its fused score and the passage that matched best."""

    clause: Clause
    score: float
    dense: float
    passage: Passage


@dataclass(frozen=True)
class Retrieval:
    """Ranked clauses for a question and whether the evidence is strong enough to answer."""

    results: tuple[ScoredClause, ...]
    grounded: bool
    countries: tuple[str, ...]
    facts: QueryFacts
    expansion: tuple[str, ...]
