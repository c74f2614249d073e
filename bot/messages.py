"""Fixed answer texts in the four languages (clauses themselves stay in their own language)."""

from __future__ import annotations

COUNTRY_NAMES = {
    "nl": {"BE": "België", "NL": "Nederland", "LU": "Luxemburg"},
    "fr": {"BE": "la Belgique", "NL": "les Pays-Bas", "LU": "le Luxembourg"},
    "de": {"BE": "Belgien", "NL": "die Niederlande", "LU": "Luxemburg"},
    "en": {"BE": "Belgium", "NL": "the Netherlands", "LU": "Luxembourg"},
}

TEXTS = {
    "lead": {
        "nl": "Dit zeggen de bronnen (meest relevante eerst; juridische informatie, geen advies):",
        "fr": "Voici ce que disent les sources (la plus pertinente d'abord ; information "
        "juridique, pas un avis) :",
        "de": "Das sagen die Quellen (die wichtigste zuerst; rechtliche Information, "
        "keine Beratung):",
        "en": "Here is what the sources say (most relevant first; legal information, "
        "not advice):",
    },
    "lead_country": {
        "nl": "Voor {country} (nationale regels plus EU, Raad van Europa en Benelux):",
        "fr": "Pour {country} (règles nationales plus UE, Conseil de l'Europe et Benelux) :",
        "de": "Für {country} (nationale Regeln plus EU, Europarat und Benelux):",
        "en": "For {country} (national rules plus EU, Council of Europe and Benelux):",
    },
    "not_found": {
        "nl": "Ik vond in de kennisbank geen regel die deze vraag beantwoordt, dus ik gok niet. "
        "Probeer een juridische term (bv. 'bedenktijd', 'verblijfsvergunning') of een land; "
        "/sources toont welke documenten ik ken.",
        "fr": "Je n'ai trouvé dans la base de connaissances aucune règle qui réponde à cette "
        "question, je préfère ne pas deviner. Essayez un terme juridique (p. ex. « délai de "
        "réflexion », « titre de séjour ») ou un pays ; /sources liste les documents connus.",
        "de": "Ich habe in der Wissensbasis keine Regel gefunden, die diese Frage beantwortet, "
        "und rate nicht. Versuchen Sie einen Rechtsbegriff (z. B. „Bedenkzeit“, "
        "„Aufenthaltstitel“) oder ein Land; /sources zeigt die bekannten Dokumente.",
        "en": "I found no rule in the knowledge base that answers this, so I will not guess. "
        "Try a legal term (e.g. 'reflection period', 'residence permit') or a country; "
        "/sources lists the documents I know.",
    },
    "outdated": {
        "nl": "Let op: {title} heeft versiedatum {date}; controleer of de regel nog geldt.",
        "fr": "Attention : {title} date du {date} ; vérifiez que la règle est toujours en "
        "vigueur.",
        "de": "Hinweis: {title} hat den Stand {date}; prüfen Sie, ob die Regel noch gilt.",
        "en": "Note: {title} is dated {date}; check that the rule still applies.",
    },
    "empty_question": {
        "nl": "Stel een vraag, bijvoorbeeld: Hoe lang duurt de bedenktijd in België?",
        "fr": "Posez une question, par exemple : Combien dure le délai de réflexion au "
        "Luxembourg ?",
        "de": "Stellen Sie eine Frage, zum Beispiel: Wie lange dauert die Bedenkzeit in den "
        "Niederlanden?",
        "en": "Please ask a question, for example: How long is the reflection period in "
        "Luxembourg?",
    },
    "long_question": {
        "nl": "Die vraag is te lang ({length} tekens, max. {limit}). Stel een korte vraag "
        "over één regel.",
        "fr": "Cette question est trop longue ({length} caractères, max. {limit}). Posez une "
        "question courte sur une règle.",
        "de": "Die Frage ist zu lang ({length} Zeichen, max. {limit}). Bitte fragen Sie kurz "
        "nach einer Regel.",
        "en": "That question is too long ({length} characters, max {limit}). Please ask a "
        "short question about one rule.",
    },
}


def text(name: str, language: str, **values: object) -> str:
    """A fixed text in a language (English when the language is unknown)."""
    variants = TEXTS[name]
    return variants.get(language, variants["en"]).format(**values)


def country_name(code: str, language: str) -> str:
    """A country's name in a language."""
    return COUNTRY_NAMES.get(language, COUNTRY_NAMES["en"]).get(code, code)
