"""The multilingual glossary (``knowledge/glossary.yaml``) that expands questions across languages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.retrieval.text import stems

GLOSSARY_FILE = "glossary.yaml"
_LANGS = ("nl", "fr", "de", "en")


@dataclass(frozen=True)
class Family:
    """Terms meaning the same thing in nl, fr, de and en."""

    id: str
    terms: tuple[tuple[str, str], ...]  # (language, term)


class Glossary:
    """Finds glossary terms in a question and returns their other-language equivalents."""

    def __init__(self, families: list[Family]) -> None:
        self.families = families
        # Patterns are matched on stems so that plurals and inflections still hit.
        self._patterns: list[tuple[tuple[str, ...], str, int]] = []
        for index, family in enumerate(families):
            for language, term in family.terms:
                pattern = tuple(stems(term, language, keep_stopwords=True))
                if pattern:
                    self._patterns.append((pattern, language, index))

    @classmethod
    def load(cls, knowledge_dir: Path) -> Glossary:
        """Read the glossary of a knowledge folder; an absent file gives an empty glossary.

        Raises:
            KnowledgeError: the file is not valid YAML or an entry is malformed.
        """
        path = Path(knowledge_dir) / GLOSSARY_FILE
        if not path.is_file():
            return cls([])
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise KnowledgeError(path, f"invalid YAML: {exc}") from exc
        families = []
        for number, entry in enumerate(data.get("families") or [], start=1):
            if not isinstance(entry, dict) or not entry.get("id"):
                raise KnowledgeError(path, f"family {number} has no id", field="id")
            terms = []
            for language in _LANGS:
                values = entry.get(language) or []
                if isinstance(values, str):
                    values = [values]
                terms.extend((language, str(v)) for v in values if str(v).strip())
            families.append(Family(id=str(entry["id"]), terms=tuple(terms)))
        return cls(families)

    def match(self, question: str) -> list[Family]:
        """Families with a term present in the question (any language)."""
        found: dict[int, None] = {}
        stem_cache: dict[str, list[str]] = {}
        for pattern, language, index in self._patterns:
            if index in found:
                continue
            if language not in stem_cache:
                stem_cache[language] = stems(question, language, keep_stopwords=True)
            if _contains(stem_cache[language], pattern):
                found[index] = None
        return [self.families[i] for i in found]


def _contains(tokens: list[str], pattern: tuple[str, ...]) -> bool:
    size = len(pattern)
    return any(tuple(tokens[i : i + size]) == pattern for i in range(len(tokens) - size + 1))
