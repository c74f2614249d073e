"""Every quote the evaluation questions get is whole sentences, never a reference line."""

from __future__ import annotations

import html
import re

from bot.reference.text import sentences
from bot.telegram.render import COMPARE_QUOTE_LIMIT, QUOTE_LIMIT, quote
from devtools.evaluation import DEFAULT_QUESTIONS, DEFAULT_SCENARIOS, load_questions
from devtools.scenarios import load_scenarios

REFERENCE_LINE = re.compile(r"^\s*(?:Sources?|Basis|Questions|Verification)\s*:", re.MULTILINE)


def squash(text: str) -> str:
    return " ".join(text.split())


def whole_sentences(shown: str, body: str, limit: int) -> bool:
    """Whether a quote is whole sentences of the body (or one too-long sentence cut at a word)."""
    inner = squash(shown.removeprefix("… ").removesuffix(" …"))
    parts = [squash(s) for s in sentences(body)]
    starts = any(inner.startswith(p[:60]) for p in parts)
    ends = any(inner.endswith(p[-60:]) for p in parts)
    cut_sentence = inner.endswith("…") and any(
        len(p) > limit - 4 and p.startswith(inner[:-1].rstrip()[:60]) for p in parts
    )
    return starts and (ends or cut_sentence)


def test_every_quote_of_both_evaluation_sets_is_whole_sentences(corpus_service):
    questions = [q.question for q in load_questions(DEFAULT_QUESTIONS)]
    questions += [s.question for s in load_scenarios(DEFAULT_SCENARIOS)]
    checked = 0
    for question in questions:
        for citation in corpus_service.answer(question).citations:
            for limit in (QUOTE_LIMIT, COMPARE_QUOTE_LIMIT):
                shown = html.unescape(re.sub(r"<[^>]+>", "", quote(citation.text,
                                                                    citation.highlight, limit)))
                assert not REFERENCE_LINE.search(shown), (question, citation.id)
                assert whole_sentences(shown, citation.text, limit), (question, citation.id, shown)
                checked += 1
    assert checked > 500
