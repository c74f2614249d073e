"""Which country a text means: names in four languages, codes, cities and institutions.

Shared by retrieval (which country's rules a question wants) and by the written-answer
check (which country a sentence speaks of), so that both read a text the same way.
"""

from __future__ import annotations

import re

from bot.reference.text import fold

# Country names in nl, fr, de, en (accent-folded), and the ISO codes written in capitals.
# Cities and the organisations a frontline worker names also say which country is meant.
_PATTERNS = {
    "BE": re.compile(
        r"\b(belgi\w*|belge?s?|belgian|wallon\w*|vlaander\w*|flander\w*|bruxelles|brussel\w*|"
        r"antwerp\w*|anvers|gent|ghent|gand|liege|luik|luttich|charleroi|namur|namen|leuven|"
        r"louvain|brugge|bruges|mechelen|hasselt|mons|bergen|payoke|pag-?asa|surya|myria|"
        r"fedasil|office des etrangers|dienst vreemdelingenzaken|dvz|ocmw|cpas|oshz|eupen|"
        r"kortrijk|courtrai|oostende|ostend\w*|aalst|genk|sint-niklaas|verviers|tournai|"
        r"doornik|la louviere|seraing|roeselare|zeebrugge|esperanto|minor-ndako|a-kaart)\b"
    ),
    "NL": re.compile(
        r"\b(nederland\w*|netherlands?|niederland\w*|pays[- ]bas|hollan\w*|neerlandais\w*|"
        r"dutch|amsterdam|rotterdam|den haag|the hague|la haye|utrecht|eindhoven|groningen|"
        r"tilburg|nijmegen|comensha|kmar|marechaussee|vreemdelingencirculaire|dublinclaimant\w*|"
        r"ind|venlo|schiphol|westland|breda|den bosch|'s-hertogenbosch|almere|zwolle|arnhem|"
        r"leiden|haarlem|maastricht|enschede|amersfoort|zaandam|dordrecht|nidos|cosm|"
        r"veilig thuis|b8|b9)\b"
    ),
    "LU": re.compile(
        r"\b(luxemb\w*|luxembourg\w*|luxemburg\w*|grand[- ]duche|esch\w*|differdange|"
        r"dudelange|infotraite|savteh|coteh|legilux|ettelbruck|diekirch|wiltz|echternach|"
        r"remich|petange|mersch|stoptraite|office social)\b"
    ),
}
_CODES = re.compile(r"\b(BE|NL|LU)\b")


def countries_in(text: str) -> tuple[str, ...]:
    """Countries a text names, in any of the four languages or as BE/NL/LU, in order BE, NL, LU.

    Args:
        text: A question or a sentence.
    """
    folded = fold(text)
    found = [code for code, pattern in _PATTERNS.items() if pattern.search(folded)]
    found += [m.group(1) for m in _CODES.finditer(text) if m.group(1) not in found]
    return tuple(dict.fromkeys(found))


def without_countries(text: str) -> str:
    """The text (accent-folded) without the country names and codes it contains."""
    folded = fold(_CODES.sub(" ", text))
    for pattern in _PATTERNS.values():
        folded = pattern.sub(" ", folded)
    return folded


def strip_countries(text: str) -> str:
    """The text as written, without the country names, codes, cities and institutions in it.

    A sentence encoder finds "Wird es in Luxemburg regnen?" close to every question about
    Luxembourg; without the country, only the topic is left to compare.
    """
    text = _CODES.sub(" ", text)
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length: spans would not line up
        return without_countries(text)
    spans = [m.span() for pattern in _PATTERNS.values() for m in pattern.finditer(folded)]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return " ".join(text.split())
