"""The facts every layer shares: languages, sentences, countries, links."""

from __future__ import annotations

import pytest

from bot.reference.countries import countries_in
from bot.reference.languages import detect_language
from bot.reference.links import article_link
from bot.reference.text import clip, sentences


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Is er een délai de réflexion in Luxemburg?", "nl"),
        ("Est-ce qu'une victime de traite a le droit de travailler au Luxembourg quand elle a "
         "son titre de séjour ?", "fr"),
        ("und die Kinder?", "de"),
        ("et en Belgique ?", "fr"),
        ("en als ze niet wil praten?", "nl"),
        ("and in Belgium?", "en"),
        ("bedenktijd?", "nl"),
        ("Wie lange dauert die Bedenkzeit?", "de"),
        ("Art. 93", "en"),
    ],
)
def test_the_language_of_short_and_mixed_questions(text, language):
    assert detect_language(text) == language


def test_sentences_are_not_cut_after_legal_abbreviations():
    text = ("It allows work under Art. 42(1), points 3 and 4, of the law. A holder under 18 goes "
            "to school (cf. Art. L. 572-5 of the Labour Code). Die Frist (z. B. 90 Tage) gilt. "
            "Le titre (p. ex. pour 6 mois) est renouvelable. 1. De lidstaten zorgen ervoor.")
    assert sentences(text) == [
        "It allows work under Art. 42(1), points 3 and 4, of the law.",
        "A holder under 18 goes to school (cf. Art. L. 572-5 of the Labour Code).",
        "Die Frist (z. B. 90 Tage) gilt.",
        "Le titre (p. ex. pour 6 mois) est renouvelable.",
        "1. De lidstaten zorgen ervoor.",
    ]


def test_clip_cuts_at_a_word():
    assert clip("A short reflection period", 18) == "A short…"
    assert clip("short", 10) == "short"


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("a girl of 15 in a massage parlour in Liège", ("BE",)),
        ("nail salon in Rotterdam", ("NL",)),
        ("Esch-sur-Alzette", ("LU",)),
        ("from Belgium to the Netherlands", ("BE", "NL")),
        ("het OCMW stuurt haar door", ("BE",)),
        ("no country at all", ()),
    ],
)
def test_countries_named_by_name_city_or_institution(text, countries):
    assert countries_in(text) == countries


def test_article_links_on_the_official_sites():
    assert article_link("https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32004L0081",
                        "art-6").endswith("#art_6")
    assert article_link("https://wetten.overheid.nl/BWBR0001854", "art-3-48",
                        "Vreemdelingenbesluit 2000 (BWBR0011825), artikel 3.48") == (
        "https://wetten.overheid.nl/jci1.3:c:BWBR0011825&artikel=3.48")
    assert article_link("https://legilux.public.lu/eli/etat/leg/loi/2008/08/29/n1/consolide/"
                        "20260612/fr", "art-98bis").endswith("/fr#art_98bis")
    assert article_link("https://rm.coe.int/168008371d", "art-13") == "https://rm.coe.int/168008371d"
    assert article_link("https://eur-lex.europa.eu/x", "rec-12") == "https://eur-lex.europa.eu/x"
