"""Which of the four supported languages a text is written in."""

from __future__ import annotations

import re

import py3langid

LANGUAGES = ("nl", "fr", "de", "en")
"""Languages the assistant speaks (answers, fixed texts)."""

DEFAULT_LANGUAGE = "en"

NAMES = {"nl": "Dutch", "fr": "French", "de": "German", "en": "English"}
"""English names of the languages (prompts, reports)."""

# Short questions ("bedenktijd?", "Art. 93") and questions mixing languages ("Is er een délai
# de réflexion in Luxemburg?") carry too little signal for a statistical model alone. Words
# that only one of the four languages uses (its function words, and the words workers write
# most) settle most of them; the model decides the rest.
_TOPIC_WORDS = {
    "nl": "slachtoffer slachtoffers bedenktijd hoelang krijgt mensenhandel cliënte welke wat wie "
          "mag zij ze er politie hulp vrouw opvang verblijfsvergunning aangifte",
    "fr": "victime victimes délai faut titre séjour traite cliente quel quelle quels comment "
          "combien peut qu elle il est ce aide femme enfant plainte hébergement",
    "de": "opfer bedenkzeit wielange gibt welche menschenhandel klientin muss kann ist und wer "
          "kontakt hilfe frau polizei anzeige aufenthalt unterkunft",
    "en": "victim victims long client does what who how the help woman shelter permit",
}


def _markers() -> dict[str, frozenset[str]]:
    from bm25s.stopwords import (
        STOPWORDS_DUTCH,
        STOPWORDS_EN_PLUS,
        STOPWORDS_FRENCH,
        STOPWORDS_GERMAN,
    )

    words = {
        "nl": set(STOPWORDS_DUTCH), "fr": set(STOPWORDS_FRENCH),
        "de": set(STOPWORDS_GERMAN), "en": set(STOPWORDS_EN_PLUS),
    }
    for language, extra in _TOPIC_WORDS.items():
        words[language] |= set(extra.split())
    # A word of two languages ("de", "in", "die", "is") tells them apart from neither.
    return {
        language: frozenset(w for w in own if not any(
            w in words[other] for other in LANGUAGES if other != language
        ))
        for language, own in words.items()
    }


_MARKERS: dict[str, frozenset[str]] | None = None
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # apostrophes and hyphens split: qu'une, est-ce
_identifier = None


def _classify(text: str) -> tuple[str, float]:
    global _identifier
    if _identifier is None:
        py3langid.set_languages(list(LANGUAGES))
        _identifier = py3langid
    return _identifier.classify(text)


def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """Detect nl, fr, de or en; ``default`` when the text gives no clue.

    Args:
        text: Any user text.
        default: Returned for texts without letters or clear signal.

    Returns:
        An ISO 639-1 code from ``LANGUAGES``.
    """
    global _MARKERS
    if _MARKERS is None:
        _MARKERS = _markers()
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return default
    counts = {lang: sum(w in markers for w in words) for lang, markers in _MARKERS.items()}
    best = max(counts.values())
    leaders = [lang for lang, count in counts.items() if count == best]
    if best >= 1 and len(leaders) == 1:
        return leaders[0]
    guess, score = _classify(text)
    if score < -1e30 or guess not in LANGUAGES:  # the model saw no usable features
        guess = default
    if best >= 1:
        return guess if guess in leaders else leaders[0]
    return guess


def normalize_language(code: str | None) -> str | None:
    """Map a Telegram ``language_code`` such as ``nl-BE`` to a supported language, else None."""
    if not code:
        return None
    base = code.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None
