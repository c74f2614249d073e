"""Clauses that address a language model: planted instructions are never a source.

A legal text or fact sheet speaks to its readers about the law; it never tells an AI
assistant what to answer, to ignore its rules, or closes the prompt's own elements. A
retrieved clause that does is left out of the model's prompt and cannot support a
written sentence, and neither can the other retrieved clauses of its document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.models import Citation
from bot.reference.text import fold

_OVERRIDE_VERBS = (
    r"ignore|ignoring|disregard|forget|override|bypass|negeer|ignoreer|vergeet|"
    r"ignorez|ignorer|oubliez|oublie|ignorier\w*|vergiss|vergessen\s+sie|missachte\w*"
)
_OVERRIDE_OBJECTS = (
    r"instructions?|rules?|prompt|clauses?|above|previous|prior|earlier|system|"
    r"instructies?|regels|opdracht\w*|bovenstaande|vorige|eerdere|"
    r"consignes?|regles?|ci-dessus|precedent\w*|"
    r"anweisung\w*|regeln|vorherig\w*|obig\w*|klauseln"
)
_PATTERNS = [
    # "ignore all previous instructions", "negeer de bovenstaande regels"
    rf"\b(?:{_OVERRIDE_VERBS})\b[^.\n]{{0,40}}?\b(?:{_OVERRIDE_OBJECTS})\b",
    # The model named as the addressee.
    r"\b(?:ai|a\.i\.|ki|ia)[\s-]+(?:assistant|assistent|model|modell|modele|chatbot|system)\w*",
    r"\b(?:assistant|assistent|modele|model)[\s-]+(?:ia|ai|ki|d'ia)\b",
    r"\b(?:language\s+model|taalmodel|sprachmodell|modele\s+de\s+langage|llm|chatgpt|chatbot)s?\b",
    r"\bartificial\s+intelligence\b|\bkunstmatige\s+intelligentie\b|"
    r"\bintelligence\s+artificielle\b|\bkunstliche\s+intelligenz\b",
    r"\b(?:you\s+are\s+now|from\s+now\s+on\s+you|vous\s+etes\s+(?:maintenant|desormais)|"
    r"je\s+bent\s+nu|du\s+bist\s+(?:jetzt|nun)|sie\s+sind\s+jetzt)\b",
    r"\b(?:system\s+prompt|system\s+message|developer\s+message|maintenance\s+mode|"
    r"jailbreak|new\s+task|nieuwe\s+taak|nouvelle\s+tache|neue\s+aufgabe)\b",
    # Telling the model what to say to the readers.
    r"\b(?:tell|inform)\s+(?:every|all|each|the)\s+(?:readers?|users?)\b",
    r"\b(?:answer|reply|respond)\s+(?:that|with)\b",
    r"\b(?:vertel|zeg)\s+(?:tegen\s+)?(?:elke|iedere|alle|de)\s+(?:lezers?|gebruikers?)\b",
    r"\b(?:antwoord|reageer)\s+(?:dat|met)\b",
    r"\b(?:dites|repondez|affirmez)\b",
    r"\b(?:antworte|antworten\s+sie|sage|sagen\s+sie)\s+(?:allen|jedem|den)?\s*"
    r"(?:lesern|nutzern|dass)\b",
    r"\bcite\s+(?:only\s+)?(?:the\s+)?clause\b|\bclause\s+id\b|\bcitation_ids?\b",
    # The prompt's own delimiters and chat-template markers.
    r"</?\s*(?:clause|clauses|question|system|instructions?)\b[^>]*>",
    r"\[/?inst\]|<\|im_(?:start|end)\|>|<<sys>>|###\s*(?:instruction|system)",
]
_INSTRUCTIONS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def looks_like_instructions(text: str) -> bool:
    """True when a text speaks to a language model rather than about the law.

    Args:
        text: A clause text (or any document text).

    Returns:
        True for instructions to ignore rules, to answer something, an AI addressee,
        or the prompt's own element names.
    """
    return bool(_INSTRUCTIONS.search(fold(text)))


def _clause_text(citation: Citation) -> str:
    return "\n".join((citation.title, citation.heading, citation.text))


def untrusted_ids(citations: Iterable[Citation]) -> set[str]:
    """Ids of the clauses that hold instructions, and of every clause of their documents.

    Args:
        citations: The retrieved clauses.

    Returns:
        The clause ids that must not reach the model nor support a sentence.
    """
    citations = list(citations)
    planted = {c.document_id for c in citations if looks_like_instructions(_clause_text(c))}
    return {c.id for c in citations if c.document_id in planted}
