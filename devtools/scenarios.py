"""The scenario evaluation: questions written the way frontline workers ask them.

``tests/eval/scenarios.yaml`` holds situations in everyday words, follow-ups that only make
sense after the previous question, questions the knowledge base cannot answer (the right
outcome is an honest "not covered" pointing to the country's contacts) and off-topic
questions. Answers are graded, not ids alone: the first citation must be one of the clauses
that answer the question (any language version of it) and, where it matters, state the fact
the worker needs. Every entry is in a ``dev`` or a ``heldout`` split; tuning looks at dev only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.answering.conversation import next_context
from bot.models import Answer
from bot.reference.jurisdictions import NATIONAL
from bot.reference.text import fold

KINDS = ("answer", "not_covered", "off_topic")
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class Scenario:
    """One message a worker sends, and what a right reply does."""

    id: str
    question: str
    language: str
    kind: str
    split: str
    country: str | None = None
    follows: str | None = None
    expected: tuple[str, ...] = ()
    fact: str = ""
    need: str = ""


def load_scenarios(path: Path) -> list[Scenario]:
    """Read ``scenarios.yaml`` (a list under ``scenarios``), checking its shape.

    Raises:
        ValueError: an unknown kind or split, a duplicate id, or a ``follows`` that does not
            name an earlier entry.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for entry in data.get("scenarios") or []:
        scenario = Scenario(
            id=str(entry["id"]),
            question=str(entry["question"]),
            language=str(entry["language"]),
            kind=str(entry["kind"]),
            split=str(entry["split"]),
            country=entry.get("country"),
            follows=entry.get("follows"),
            expected=tuple(entry.get("expected") or ()),
            fact=str(entry.get("fact") or ""),
            need=str(entry.get("need") or ""),
        )
        if scenario.kind not in KINDS or scenario.split not in SPLITS:
            raise ValueError(f"{scenario.id}: kind or split unknown")
        if scenario.id in seen:
            raise ValueError(f"{scenario.id}: duplicate id")
        if scenario.follows and scenario.follows not in seen:
            raise ValueError(f"{scenario.id}: follows {scenario.follows}, not an earlier entry")
        seen.add(scenario.id)
        scenarios.append(scenario)
    return scenarios


@dataclass(frozen=True)
class Outcome:
    """What the assistant replied to one scenario, graded."""

    scenario: Scenario
    status: str
    cited: tuple[str, ...]
    language: str
    top1: bool
    top3: bool
    wrong_jurisdiction: int
    wrong_named: int = 0

    @property
    def right(self) -> bool:
        """The reply does what the scenario expects (top-1 for answers)."""
        if self.scenario.kind == "answer":
            return self.top1
        return self.status == self.scenario.kind


def grade(scenario: Scenario, answer: Answer) -> Outcome:
    """Grade one reply: status, first and top-3 citations, fact, jurisdiction, language."""
    citations = answer.citations
    cited = tuple(c.group_id or c.id for c in citations)

    def right(index: int) -> bool:
        citation = citations[index]
        if (citation.group_id or citation.id) not in scenario.expected:
            return False
        if not scenario.fact:
            return True
        shown = fold(f"{citation.label} {citation.heading} {citation.text}")
        return fold(scenario.fact) in shown

    answered = answer.status == "answer"
    top = [answered and right(i) for i in range(min(3, len(citations)))]
    wrong = 0
    if scenario.country:
        wrong = sum(
            1 for c in citations
            if c.jurisdiction in NATIONAL and c.jurisdiction != scenario.country
        )
    # The same count where the question named the country or inherited it from the previous
    # turn: a question that names no country is shown the rules of all three.
    named = wrong if answer.country == scenario.country else 0
    return Outcome(
        scenario=scenario,
        status=answer.status,
        cited=cited,
        language=answer.language,
        top1=bool(top[:1]) and top[0],
        top3=any(top),
        wrong_jurisdiction=wrong,
        wrong_named=named,
    )


def run(service, scenarios: Sequence[Scenario]) -> list[Outcome]:
    """Ask every scenario, follow-ups with the context of the turn they follow."""
    contexts: dict[str, str | None] = {}
    outcomes = []
    for scenario in scenarios:
        context = contexts.get(scenario.follows) if scenario.follows else None
        answer = service.answer(scenario.question, context=context)
        # As in the chat: an off-topic message leaves the conversation as it was.
        contexts[scenario.id] = (
            context if answer.status == "off_topic"
            else next_context(context, scenario.question, answer.country)
        )
        outcomes.append(grade(scenario, answer))
    return outcomes


def summary(outcomes: Iterable[Outcome]) -> dict:
    """The scenario metrics of a set of outcomes."""
    outcomes = list(outcomes)

    def share(values: list[bool]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.scenario.kind].append(outcome)
    answers = by_kind["answer"]
    per_language = {
        language: {
            "questions": len(rows),
            "top1_right": share([o.top1 for o in rows if o.scenario.kind == "answer"]),
            "right": share([o.right for o in rows]),
        }
        for language, rows in sorted(_group(outcomes, lambda o: o.scenario.language).items())
    }
    return {
        "questions": len(outcomes),
        "answer_questions": len(answers),
        "top1_right": share([o.top1 for o in answers]),
        "top3_right": share([o.top3 for o in answers]),
        "not_covered_right": share([o.status == "not_covered" for o in by_kind["not_covered"]]),
        "off_topic_declined": share([o.status == "off_topic" for o in by_kind["off_topic"]]),
        "wrong_jurisdiction_citations": sum(o.wrong_jurisdiction for o in outcomes),
        "wrong_jurisdiction_country_named": sum(o.wrong_named for o in outcomes),
        "reply_language_right": share([o.language == o.scenario.language for o in outcomes]),
        "follow_ups_right": share([o.right for o in outcomes if o.scenario.follows]),
        "per_language": per_language,
    }


def report(outcomes: Sequence[Outcome]) -> dict:
    """Metrics per split and overall."""
    splits = _group(outcomes, lambda o: o.scenario.split)
    return {
        **{split: summary(splits.get(split, [])) for split in SPLITS},
        "all": summary(outcomes),
    }


def misses(outcomes: Sequence[Outcome], split: str = "dev") -> list[str]:
    """One line per wrong reply of a split (for tuning on dev; never read heldout's)."""
    lines = []
    for o in outcomes:
        if o.scenario.split != split or (o.right and o.language == o.scenario.language):
            continue
        lines.append(
            f"{o.scenario.id}: {o.scenario.kind} → {o.status} ({o.language}); "
            f"cited {', '.join(o.cited[:3]) or '–'}; expected {', '.join(o.scenario.expected)}"
        )
    return lines


def _group(outcomes: Iterable[Outcome], key) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[key(outcome)].append(outcome)
    return groups
