"""The multilingual glossary (``knowledge/glossary.yaml``) that expands questions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.bounded_yaml import MANIFEST_LIMITS, YamlTooBig, load_bounded
from bot.knowledge.converters import decode, read_bytes
from bot.reference.languages import LANGUAGES
from bot.retrieval.text import stem_words, stems, words

GLOSSARY_FILE = "glossary.yaml"
PROJECT_GLOSSARY = Path(__file__).resolve().parents[2] / "knowledge" / GLOSSARY_FILE
"""The project's glossary, used for a knowledge folder that has none of its own."""


def glossary_path(knowledge_dir: Path) -> Path | None:
    """The glossary a knowledge folder uses: its own, else the project's, else none."""
    own = Path(knowledge_dir) / GLOSSARY_FILE
    if own.exists() or own.is_symlink():  # a FIFO or a dangling link is named when read
        return own
    return PROJECT_GLOSSARY if PROJECT_GLOSSARY.is_file() else None


@dataclass(frozen=True)
class Family:
    """Terms meaning the same thing in nl, fr, de and en."""

    id: str
    terms: tuple[tuple[str, str], ...]  # (language, term)
    weak: bool = False  # common words ("police", "child"): alone not enough to be on topic


class Glossary:
    """Finds glossary terms in a question and returns their other-language equivalents.

    Args:
        families: The term families.
        practice: (language, phrase) pairs that ask how things go in practice (waiting
            times, averages, statistics, forms, a person to recommend) rather than what
            the rule is; they expand nothing.
    """

    def __init__(
        self, families: list[Family], practice: tuple[tuple[str, str], ...] = ()
    ) -> None:
        self.families = families
        self._practice = Glossary([Family("practice", practice)]) if practice else None
        # Patterns are matched on stems so that plurals and inflections still hit.
        self._by_language: dict[str, dict[str, list[tuple[tuple[str, ...], int]]]] = {}
        for index, family in enumerate(families):
            for language, term in family.terms:
                pattern = tuple(stems(term, language, keep_stopwords=True))
                if pattern:
                    by_first = self._by_language.setdefault(language, {})
                    by_first.setdefault(pattern[0], []).append((pattern, index))

    @classmethod
    def load(cls, knowledge_dir: Path) -> Glossary:
        """Read the glossary of a knowledge folder (the project's when it has none).

        A maintainer's own folder of statutes has no glossary.yaml; without one, questions
        in everyday words would find little, so the project's glossary serves it.

        Raises:
            KnowledgeError: the file is not valid YAML or an entry is malformed.
        """
        path = glossary_path(knowledge_dir)
        if path is None:
            return cls([])
        try:
            # libyaml when present: the glossary is read at every opening of the index.
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            data = load_bounded(decode(read_bytes(path), path), loader, MANIFEST_LIMITS) or {}
        except YamlTooBig as exc:
            raise KnowledgeError(path, str(exc)) from None
        except yaml.YAMLError as exc:
            raise KnowledgeError(path, f"invalid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise KnowledgeError(path, "must be a mapping with a 'families' list")
        families = []
        for number, entry in enumerate(data.get("families") or [], start=1):
            if not isinstance(entry, dict) or not entry.get("id"):
                raise KnowledgeError(path, f"family {number} has no id", field="id")
            families.append(Family(id=str(entry["id"]), terms=_terms(entry),
                                   weak=bool(entry.get("weak"))))
        practice = data.get("practice") or {}
        if not isinstance(practice, dict):
            raise KnowledgeError(path, "must map languages to lists of phrases",
                                 field="practice")
        return cls(families, _terms(practice))

    def asks_practice(self, text: str) -> bool:
        """Whether the text asks how things go in practice (see the ``practice`` list)."""
        return self._practice is not None and bool(self._practice.occurrences(text))

    def index_of(self, family_id: str) -> int | None:
        """Index of the family with this id, or None when the glossary has none."""
        return next((i for i, f in enumerate(self.families) if f.id == family_id), None)

    def match(self, text: str) -> list[Family]:
        """Families with a term present in the text (any language, any inflection)."""
        return [self.families[i] for i in self.match_indexes(text)]

    def match_indexes(self, text: str) -> list[int]:
        """Indexes of the families with a term present in the text."""
        return list(self.occurrences(text))

    def occurrences(self, text: str) -> dict[int, int]:
        """Family index → how many times one of its terms occurs in the text."""
        return self.occurrences_in_words(words(text))

    def occurrences_in_words(self, text_words: list[str]) -> dict[int, int]:
        """Like `occurrences`, for a text already split by `words`."""
        found: dict[int, int] = {}
        for language, by_first in self._by_language.items():
            tokens = stem_words(text_words, language, keep_stopwords=True)
            for start, token in enumerate(tokens):
                for pattern, index in by_first.get(token, ()):
                    if tuple(tokens[start : start + len(pattern)]) == pattern:
                        found[index] = found.get(index, 0) + 1
        return found


def _terms(entry: dict) -> tuple[tuple[str, str], ...]:
    terms = []
    for language in LANGUAGES:
        values = entry.get(language) or []
        if isinstance(values, str):
            values = [values]
        terms.extend((language, str(v)) for v in values if str(v).strip())
    return tuple(terms)
