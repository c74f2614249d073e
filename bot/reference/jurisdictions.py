"""The jurisdictions the assistant knows: codes, their names in four languages, flags."""

from __future__ import annotations

NATIONAL = ("BE", "NL", "LU")
"""The countries the assistant answers for."""

SUPRANATIONAL = ("EU", "CoE", "BENELUX")
"""Jurisdictions whose rules apply in every Benelux country."""

BENELUX = "BENELUX"
"""The rules between the three countries (cross-border cooperation, moving between them)."""

CANONICAL = {code.upper(): code for code in (*NATIONAL, *SUPRANATIONAL)}
"""Upper-case spelling → canonical code (``COE`` → ``CoE``)."""

FLAGS = {"BE": "🇧🇪", "NL": "🇳🇱", "LU": "🇱🇺", "EU": "🇪🇺", "CoE": "🏛", "BENELUX": "🤝"}

NAMES: dict[str, dict[str, str]] = {
    "en": {"BE": "Belgium", "NL": "the Netherlands", "LU": "Luxembourg",
           "EU": "European Union", "CoE": "Council of Europe", "BENELUX": "Benelux"},
    "nl": {"BE": "België", "NL": "Nederland", "LU": "Luxemburg",
           "EU": "Europese Unie", "CoE": "Raad van Europa", "BENELUX": "Benelux"},
    "fr": {"BE": "la Belgique", "NL": "les Pays-Bas", "LU": "le Luxembourg",
           "EU": "Union européenne", "CoE": "Conseil de l'Europe", "BENELUX": "Benelux"},
    "de": {"BE": "Belgien", "NL": "die Niederlande", "LU": "Luxemburg",
           "EU": "Europäische Union", "CoE": "Europarat", "BENELUX": "Benelux"},
}
"""Names in running text ("for the Netherlands", "pour les Pays-Bas")."""

SHORT_NAMES: dict[str, dict[str, str]] = {
    "en": {"BE": "Belgium", "NL": "Netherlands", "LU": "Luxembourg"},
    "nl": {"BE": "België", "NL": "Nederland", "LU": "Luxemburg"},
    "fr": {"BE": "Belgique", "NL": "Pays-Bas", "LU": "Luxembourg"},
    "de": {"BE": "Belgien", "NL": "Niederlande", "LU": "Luxemburg"},
}
"""Names as labels (buttons, headings): no article."""


def canonical(code: str) -> str:
    """The canonical spelling of a jurisdiction code (``coe`` → ``CoE``); others upper-cased."""
    return CANONICAL.get(code.upper(), code.upper())


def name(code: str, language: str) -> str:
    """A jurisdiction's name in running text, in a language (English when unknown)."""
    return NAMES.get(language, NAMES["en"]).get(code, code)


def label(code: str, language: str) -> str:
    """A country's flag and short name (``🇧🇪 Belgique``), for headings and buttons."""
    names = SHORT_NAMES.get(language, SHORT_NAMES["en"])
    return f"{FLAGS.get(code, '')} {names.get(code, name(code, language))}".strip()


def allowed(countries: tuple[str, ...]) -> tuple[str, ...] | None:
    """Jurisdictions that may answer for these countries (theirs plus the supranational ones).

    Returns:
        None (every jurisdiction) when no country is given.
    """
    if not countries:
        return None
    return tuple(countries) + SUPRANATIONAL
