"""BM25 over passages, each stemmed in its own language (``bm25s`` + ``PyStemmer``)."""

from __future__ import annotations

import bm25s
import numpy as np

from bot.models import Passage
from bot.retrieval.text import stems


def lexical_text(passage: Passage) -> str:
    """What BM25 sees of a passage: its clause label and heading, then its text."""
    clause = passage.clause
    return f"{clause.label}\n{clause.heading}\n{passage.text}"


class LexicalIndex:
    """A BM25 index whose rows are the passages given, in order."""

    def __init__(self, passages: list[Passage]) -> None:
        corpus = [stems(lexical_text(p), p.clause.document.language) or ["∅"] for p in passages]
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)
        self.size = len(passages)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for the (already stemmed) query tokens."""
        known = [t for t in dict.fromkeys(query_tokens) if t in self._vocab]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
