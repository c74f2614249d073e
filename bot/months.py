"""Month names in the four languages of the knowledge base, for reading written dates."""

from __future__ import annotations

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november "
    "december",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
    "décembre",
    "de": "januar februar märz april mai juni juli august september oktober november "
    "dezember",
    "en": "january february march april may june july august september october november "
    "december",
}
"""Month names per language, space-separated, January first."""

MONTH_NUMBER: dict[str, int] = {"jänner": 1, "fevrier": 2, "maerz": 3, "aout": 8,
                                "decembre": 12}
"""Lower-case month name (any language, common unaccented spellings too) → 1..12."""
for _names in MONTHS.values():
    for _i, _name in enumerate(_names.split(), start=1):
        MONTH_NUMBER[_name] = _i

MONTH_PATTERN = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))
"""Regular-expression alternation of every month name, longest first (match lower-cased)."""
