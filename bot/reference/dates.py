"""Month names in the four languages and the written-date patterns built on them."""

from __future__ import annotations

import re

from bot.reference.text import fold

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

DAY_MONTH = re.compile(
    rf"(?<!\d)\d{{1,2}}(?:er|e|ème|st|nd|rd|th)?\.?\s+(?:of\s+)?({MONTH_PATTERN})\b"
)
"""A day and a month ("15 juli", "1er mai", "3rd of May"); group 1 is the month (lower-case)."""

MONTH_YEAR = re.compile(rf"\b({MONTH_PATTERN})\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4}}(?!\d)")
"""A month and a year ("July 2026", "May 3, 2026"); group 1 is the month (lower-case)."""

NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?!\d)")
"""A date in figures ("15.07.2026", "2026-07-15"); groups 1, 3 and 4 are its parts."""

_FOLDED_MONTHS = {fold(name): number for name, number in MONTH_NUMBER.items()}
_FULL_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:er|e|\.)?\s+({'|'.join(sorted(_FOLDED_MONTHS, key=len, reverse=True))})"
    r"\s+((?:19|20)\d{2})\b"
)


def dates_in(text: str) -> tuple[str, ...]:
    """Written dates in any of the four languages, as ISO strings (``2008-08-29``).

    "29 août 2008", "10 maart 2014", "29. April 2004", "1er mai 2020": how acts are named.
    """
    found = []
    for day, month, year in _FULL_DATE.findall(fold(text)):
        if 1 <= int(day) <= 31:
            found.append(f"{year}-{_FOLDED_MONTHS[month]:02d}-{int(day):02d}")
    return tuple(dict.fromkeys(found))
