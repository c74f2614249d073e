"""BM25 over passages, each stemmed in its own language (``bm25s`` + ``PyStemmer``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import bm25s
import numpy as np

from bot.models import Passage
from bot.retrieval.glossary import Glossary
from bot.retrieval.text import stem_words, words

# bm25s sets its own logger to DEBUG when imported, which would print on every index build.
logging.getLogger("bm25s").setLevel(logging.WARNING)


def lexical_text(passage: Passage) -> str:
    """What BM25 sees of a passage: its document's title (legal texts), label, heading, text.

    The title of a statute or declaration names what all its clauses are about ("relatif
    au Comité de suivi de la lutte contre la traite"), which an article numbered 4 never
    repeats. A fact sheet's title is generic ("protection of victims … — fact sheet") and
    its headings already say what each clause is about, so it is left out.
    """
    clause = passage.clause
    title = clause.document.title if clause.document.kind != "factsheet" else ""
    # The questions a clause answers are searched with its first passage, never shown.
    questions = "\n".join(clause.refs.questions) if passage.index == 0 else ""
    return f"{title}\n{clause.label}\n{clause.heading}\n{questions}\n{passage.text}"


def concept_token(family_index: int) -> str:
    """The token standing for a glossary family, whatever language names it."""
    return f"§{family_index}"


class LexicalIndex:
    """A BM25 index whose rows are the passages given, in order.

    Besides its stemmed words, each passage carries one token per glossary family it
    mentions, so "bedenktijd" in a question matches "délai de réflexion" in a clause
    with the family's own inverse document frequency.
    """

    def __init__(self, passages: Iterable[Passage], glossary: Glossary | None = None) -> None:
        corpus = []
        # One string object per distinct token: at 100 times the corpus the token lists
        # hold 13 million tokens, and a copy of each string would cost about 800 MB.
        canonical: dict[str, str] = {}
        for passage in passages:
            text_words = words(lexical_text(passage))
            tokens = stem_words(text_words, passage.clause.document.language)
            if glossary is not None:
                # A term found under several languages' stemmers counts once per language;
                # the count still orders clauses by how much they are about the concept.
                for index, count in glossary.occurrences_in_words(text_words).items():
                    tokens += [concept_token(index)] * count
            corpus.append([canonical.setdefault(t, t) for t in tokens] or ["∅"])
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)
        self.size = len(corpus)

    def save(self, folder: Path) -> None:
        """Write the index to a folder (``bm25s`` arrays, memory-mappable)."""
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Open an index written by `save`, memory-mapped: a load, not a build."""
        index = cls.__new__(cls)
        index._bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        index._vocab = set(index._bm25.vocab_dict)
        index.size = int(index._bm25.scores["num_docs"])
        return index

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for the (already stemmed) query tokens."""
        known = [t for t in dict.fromkeys(query_tokens) if t in self._vocab]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
