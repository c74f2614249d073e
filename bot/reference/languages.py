"""Which of the four supported languages a text is written in."""

from __future__ import annotations

import re

import py3langid

LANGUAGES = ("nl", "fr", "de", "en")
"""Languages the assistant speaks (answers, fixed texts)."""

DEFAULT_LANGUAGE = "en"

NAMES = {"nl": "Dutch", "fr": "French", "de": "German", "en": "English"}
"""English names of the languages (prompts, reports)."""

# Short questions ("bedenktijd?", "Art. 93") carry too little signal for a statistical
# model alone; a handful of function words settles the common cases.
_MARKERS = {
    "nl": {"de", "het", "een", "hoe", "wat", "wie", "welke", "is", "zijn", "kan", "mag", "moet",
           "voor", "van", "slachtoffer", "slachtoffers", "bedenktijd", "hoelang", "krijgt"},
    "fr": {"le", "la", "les", "une", "des", "est", "quel", "quelle", "quels", "comment",
           "combien", "peut", "pour", "du", "victime", "victimes", "délai", "faut-il"},
    "de": {"der", "die", "das", "ein", "eine", "wie", "was", "wer", "ist", "kann", "muss",
           "für", "und", "opfer", "bedenkzeit", "wielange", "gibt", "welche"},
    "en": {"the", "a", "an", "how", "what", "who", "is", "are", "can", "must", "for", "of",
           "victim", "victims", "does", "do", "long"},
}
_WORD = re.compile(r"[\w'-]+", re.UNICODE)
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
    words = [w.lower() for w in _WORD.findall(text)]
    if not any(ch.isalpha() for ch in text):
        return default
    counts = {lang: sum(w in markers for w in words) for lang, markers in _MARKERS.items()}
    best = max(counts.values())
    leaders = [lang for lang, count in counts.items() if count == best]
    guess, score = _classify(text)
    if score < -1e30:  # the model saw no usable features
        guess = default
    if best >= 2 and len(leaders) == 1:
        return leaders[0]
    if best >= 1 and guess in leaders:
        return guess
    if len(words) <= 2 and best == 0:
        return default if guess not in LANGUAGES else guess
    return guess if guess in LANGUAGES else default


def normalize_language(code: str | None) -> str | None:
    """Map a Telegram ``language_code`` such as ``nl-BE`` to a supported language, else None."""
    if not code:
        return None
    base = code.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None
