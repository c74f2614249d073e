"""What a question names: its countries, legal identifiers and documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reference.countries import countries_in
from bot.reference.dates import dates_in
from bot.reference.text import fold

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
    # Compounds name a statute too: "immigratiewet", "Einwanderungsgesetzes", "Aliens Act".
    "statute": re.compile(
        r"\b(loi|wet|wetboek|gesetz\w*|statute|aliens act|immigration (?:law|act)|code penal|"
        r"criminal code|penal code|strafrecht)\b"
        r"|\w(wet|gesetz|gesetzes|gesetzbuch\w*)\b"
    ),
    "regulation": re.compile(
        r"reglement grand-ducal|grand-ducal regulation|grossherzoglich\w* (?:verordnung|"
        r"reglement)|groothertogelijk\w* (?:reglement|besluit|verordening)|\brgd\b"
    ),
}

# Naming the Council of Europe or EU law points at those texts.
_BODIES = {
    "CoE": re.compile(r"europarat|raad van europa|conseil de l.europe|council of europe|\bcets\b"),
    "EU": re.compile(r"\beu\b|europese unie|union europeenne|european union|unierecht|"
                     r"droit de l.union|\bue\b"),
}


# A stated age ("a 15-year-old", "een 16-jarige", "un garçon de 15 ans", "16-jähriges
# Mädchen", "a girl of 15", "meisje van 15") is how a frontline worker says the victim is a
# child. "-jarig"/"-jährig" also qualify durations ("een 5-jarige verblijfsvergunning",
# "eine 3-jährige Frist").
_DURATION_NOUN = (
    r"\s+\w*(?:vergunning|erlaubnis|titel|kaart|karte|termijn|frist|periode|verblijf|"
    r"aufenthalt|contract|vertrag)"
)
_AGES = re.compile(
    r"\b(\d{1,2})\s*-?\s*(?:years?|yrs?)[- ]old\b"
    rf"|\b(\d{{1,2}})\s*-?\s*(?:jarig|jahrig)(?:e|en|er|es|em)?\b(?!{_DURATION_NOUN})"
    r"|\b(\d{1,2})\s+(?:jaar oud|jahre alt)\b"
    r"|\b(?:aged|age of|leeftijd van|alter von)\s+(\d{1,2})\b"
    r"|\b(?:girl|boy|child|kid|teen\w*|daughter|son|woman|man|meisje|jongen|kind|tiener|"
    r"dochter|zoon|vrouw|madchen|junge|jugendliche\w*|tochter|sohn|frau)\s+(?:of|van|von)\s+"
    r"(\d{1,2})\b(?!\s*(?:%|euro|eur|days?|dagen|tage|weeks?|weken|wochen|months?|maanden|"
    r"monate|child\w*|kinder\w*))"
    r"|\b(?:agee?s? de|(?<!y )a|avoir|(?:garcon|fille|jeune|enfant|mineure?|victime|personne|"
    r"adolescente?|homme|femme) de)\s+(\d{1,2})\s+ans\b(?!\s+(?:de prison|d.emprisonnement))"
)
ADULT_AGE = 18



@dataclass(frozen=True)
class QueryFacts:
    """Countries, clause keys, document references and document kinds found in a question."""

    countries: tuple[str, ...]
    clause_keys: tuple[str, ...]
    document_refs: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    minor: bool = False  # the question gives the person's age, and it is under 18
    dates: tuple[str, ...] = ()  # written dates, as ISO strings: acts are named by their date


def key_of(identifier: str, prefix: str = "art") -> str:
    """Clause key for an identifier as written: ``61/2`` → ``art-61-2``, ``B8/3.1`` → ``b8-3-1``."""
    slug = re.sub(r"[^0-9a-z]+", "-", fold(identifier)).strip("-")
    return f"{prefix}-{slug}" if prefix else slug



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
    folded = fold(question)
    return QueryFacts(
        countries=countries_in(question),
        clause_keys=tuple(dict.fromkeys(keys)),
        document_refs=tuple(dict.fromkeys(doc_refs)),
        kinds=tuple(kind for kind, pattern in _KINDS.items() if pattern.search(folded)),
        bodies=tuple(body for body, pattern in _BODIES.items() if pattern.search(folded)),
        minor=any(age < ADULT_AGE for age in ages_in(question)),
        dates=dates_in(question),
    )



def ages_in(question: str) -> list[int]:
    """Ages of people the question describes ("a 15-year-old", "un garçon de 15 ans")."""
    return [
        int(next(g for g in match.groups() if g)) for match in _AGES.finditer(fold(question))
    ]


def _inside_section(question: str, span: tuple[int, int]) -> bool:
    return any(m.start() <= span[0] < m.end() for m in _SECTION.finditer(question))

