"""What a question names: its countries, legal identifiers and documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.retrieval.text import fold

# Country names in nl, fr, de, en (accent-folded), and the ISO codes written in capitals.
# Cities and the organisations a frontline worker names also say which country is meant.
_COUNTRY_PATTERNS = {
    "BE": re.compile(
        r"\b(belgi\w*|belge?s?|belgian|wallon\w*|vlaander\w*|flander\w*|bruxelles|brussel\w*|"
        r"antwerp\w*|anvers|gent|ghent|gand|liege|luik|luttich|charleroi|namur|namen|leuven|"
        r"louvain|brugge|bruges|mechelen|hasselt|mons|bergen|payoke|pag-?asa|surya|myria|"
        r"fedasil|office des etrangers|dienst vreemdelingenzaken|dvz)\b"
    ),
    "NL": re.compile(
        r"\b(nederland\w*|netherlands?|niederland\w*|pays[- ]bas|hollan\w*|neerlandais\w*|"
        r"dutch|amsterdam|rotterdam|den haag|the hague|la haye|utrecht|eindhoven|groningen|"
        r"tilburg|nijmegen|comensha|kmar|marechaussee|vreemdelingencirculaire|dublinclaimant\w*)\b"
    ),
    "LU": re.compile(
        r"\b(luxemb\w*|luxembourg\w*|luxemburg\w*|grand[- ]duche|esch\w*|differdange|"
        r"dudelange|infotraite|savteh|coteh|legilux)\b"
    ),
}
_CODES = re.compile(r"\b(BE|NL|LU)\b")

_SUFFIX = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|[a-z])?"
_NUMBER = rf"\d+{_SUFFIX}(?:\s*[/.]\s*\d+{_SUFFIX})*"
_ARTICLE = re.compile(
    rf"\b(?:art(?:icle|ikel|\.)?s?|§)\s*({_NUMBER})", re.IGNORECASE
)
_SECTION = re.compile(r"\b([a-c]\d{1,2})\s*/\s*(\d+(?:\.\d+)*)", re.IGNORECASE)
_BARE = re.compile(r"\b(\d+\s*/\s*\d+|\d+\.\d+|\d+(?:bis|ter|quater|quinquies|sexies)|\d+[a-z]\b)",
                   re.IGNORECASE)
_DOC_REF = re.compile(
    r"\b(?:cets|ets|stce|sev)\s*(?:n[or]?\.?\s*)?(\d{3})\b|\b((?:19|20)\d{2}\s*/\s*\d{1,4})\b|"
    r"\b(\d{1,4}\s*/\s*(?:19|20)\d{2})\b|\b(c\s*-\s*\d+\s*/\s*\d{2})\b",
    re.IGNORECASE,
)


# Words naming a kind of document, in the four languages (accent-folded stems).
# German compounds ("Europaratskonvention", "EU-Richtlinie") put the kind at the end.
_KINDS = {
    "declaration": re.compile(r"\b(declaration|intentieverklaring|verklaring)\w*|erklarung\b"),
    "convention": re.compile(r"\b(convention|conventie|verdrag)\w*|(konvention|ubereinkommen)\b"),
    "directive": re.compile(r"\b(directive|richtlijn)\w*|richtlinie\w*"),
    "circular": re.compile(r"\b(circulaire|circular|rundschreiben|vreemdelingencirculaire)\w*"),
    "statute": re.compile(r"\b(loi|wet|gesetz|statute|vreemdelingenwet|wetboek)\b"),
}


# Naming the Council of Europe or EU law points at those texts.
_BODIES = {
    "CoE": re.compile(r"europarat|raad van europa|conseil de l.europe|council of europe|\bcets\b"),
    "EU": re.compile(r"\beu\b|europese unie|union europeenne|european union|unierecht|"
                     r"droit de l.union|\bue\b"),
}


@dataclass(frozen=True)
class QueryFacts:
    """Countries, clause keys, document references and document kinds found in a question."""

    countries: tuple[str, ...]
    clause_keys: tuple[str, ...]
    document_refs: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()


def key_of(identifier: str, prefix: str = "art") -> str:
    """Clause key for an identifier as written: ``61/2`` → ``art-61-2``, ``B8/3.1`` → ``b8-3-1``."""
    slug = re.sub(r"[^0-9a-z]+", "-", fold(identifier)).strip("-")
    return f"{prefix}-{slug}" if prefix else slug


def countries_in(question: str) -> tuple[str, ...]:
    """Countries a question names, in any of the four languages or as BE/NL/LU."""
    folded = fold(question)
    found = [code for code, pattern in _COUNTRY_PATTERNS.items() if pattern.search(folded)]
    found += [m.group(1) for m in _CODES.finditer(question) if m.group(1) not in found]
    return tuple(dict.fromkeys(found))


def analyse(question: str) -> QueryFacts:
    """Extract what the question names."""
    keys: list[str] = []
    doc_refs = []
    for match in _DOC_REF.finditer(question):
        ref = next(g for g in match.groups() if g)
        doc_refs.append(re.sub(r"\s+", "", fold(ref)))
    doc_spans = [m.span() for m in _DOC_REF.finditer(question)]

    def outside_doc_refs(span: tuple[int, int]) -> bool:
        return all(span[1] <= s or span[0] >= e for s, e in doc_spans)

    for match in _SECTION.finditer(question):
        keys.append(key_of(f"{match.group(1)}/{match.group(2)}", prefix=""))
    for match in _ARTICLE.finditer(question):
        keys.append(key_of(match.group(1)))
    for match in _BARE.finditer(question):
        if outside_doc_refs(match.span()) and not _inside_section(question, match.span()):
            keys.append(key_of(match.group(1)))
    return QueryFacts(
        countries=countries_in(question),
        clause_keys=tuple(dict.fromkeys(keys)),
        document_refs=tuple(dict.fromkeys(doc_refs)),
        kinds=tuple(kind for kind, pattern in _KINDS.items() if pattern.search(fold(question))),
        bodies=tuple(body for body, pattern in _BODIES.items() if pattern.search(fold(question))),
    )


def _inside_section(question: str, span: tuple[int, int]) -> bool:
    return any(m.start() <= span[0] < m.end() for m in _SECTION.finditer(question))


def strip_countries(question: str) -> str:
    """The question without the country names and codes it contains."""
    folded = fold(_CODES.sub(" ", question))
    for pattern in _COUNTRY_PATTERNS.values():
        folded = pattern.sub(" ", folded)
    return folded
