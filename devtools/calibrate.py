"""Choose the verdict thresholds (answer / not covered / off topic) on the scenario dev split.

``python -m devtools calibrate --index DIR`` asks every dev scenario once, keeps the evidence
retrieval decided on, and searches the thresholds of ``bot.retrieval.hybrid.decide`` that
get most dev scenarios right, never declining an on-topic question as off topic and never
answering an off-topic one. The heldout split is never read.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from bot.answering.conversation import follow_up, next_context
from bot.retrieval.hybrid import decide
from bot.retrieval.results import ANSWER, NOT_COVERED, OFF_TOPIC, Evidence, RetrievalParams
from devtools.scenarios import Scenario


@dataclasses.dataclass(frozen=True)
class Sample:
    """One dev scenario: what it expects, the evidence, and whether the ranking was right."""

    kind: str
    evidence: Evidence
    top1: bool


def collect(service, scenarios: Sequence[Scenario]) -> list[Sample]:
    """Evidence and top-1 correctness for the dev scenarios (follow-ups with their context)."""
    contexts: dict[str, str | None] = {}
    samples = []
    for scenario in scenarios:
        if scenario.split != "dev":
            continue
        context = contexts.get(scenario.follows) if scenario.follows else None
        cleaned, language = service.validate(scenario.question)
        follow = follow_up(cleaned, context)
        retrieval = service.retrieve(follow.search_text, follow.country, language)
        top = retrieval.results[0].clause.group_id if retrieval.results else ""
        samples.append(Sample(scenario.kind, retrieval.evidence, top in scenario.expected))
        country = follow.country or (
            retrieval.countries[0] if len(retrieval.countries) == 1 else None
        )
        contexts[scenario.id] = next_context(context, cleaned, country)
    return samples


def score(samples: Sequence[Sample], params: RetrievalParams) -> tuple[float, dict[str, float]]:
    """How many dev scenarios the thresholds get right, and the share per kind.

    An answer counts only when its first clause is right; declining an on-topic question as
    off topic, or answering an off-topic one, disqualifies the thresholds.
    """
    right = {ANSWER: 0, NOT_COVERED: 0, OFF_TOPIC: 0}
    total = {ANSWER: 0, NOT_COVERED: 0, OFF_TOPIC: 0}
    wanted = {"answer": ANSWER, "not_covered": NOT_COVERED, "off_topic": OFF_TOPIC}
    penalty = 0
    for sample in samples:
        kind = wanted[sample.kind]
        verdict = decide(sample.evidence, params)
        total[kind] += 1
        if kind == ANSWER:
            right[kind] += verdict == ANSWER and sample.top1
            penalty += verdict == OFF_TOPIC
        else:
            right[kind] += verdict == kind
            penalty += kind == OFF_TOPIC and verdict == ANSWER
    shares = {k: right[k] / total[k] if total[k] else 1.0 for k in right}
    return sum(right.values()) - 10 * penalty, shares


def search(samples: Sequence[Sample], base: RetrievalParams) -> list[tuple[float, dict, dict]]:
    """The best threshold combinations, best first."""
    results = []
    grid = itertools.product(
        [x / 100 for x in range(30, 90, 2)],  # min_dense
        [x / 100 for x in range(5, 60, 1)],  # min_dense_with_terms
    )
    for high, with_terms in grid:
        if not with_terms <= high:
            continue
        params = dataclasses.replace(base, min_dense=high, min_dense_with_terms=with_terms)
        value, shares = score(samples, params)
        results.append((value, {"min_dense": high, "min_dense_with_terms": with_terms}, shares))
    return sorted(results, key=lambda r: -r[0])[:10]
