"""Reading what a sentence states: quantities with units, links and negations, in four languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.reference.links import Link, covered, links_in
from bot.reference.negation import negates, negations
from bot.reference.numbers import UNLIMITED, Quantity, numbers_in, quantities_in


def q(value, unit=None) -> Quantity:
    return Quantity(Decimal(value) if isinstance(value, str) else value, unit)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Spelled-out numbers of any size.
        ("hundertzwanzig Tage", "de", {q(120, "day")}),
        ("dreihundertfünfundsechzig Tage", "de", {q(365, "day")}),
        ("honderdtwintig dagen", "nl", {q(120, "day")}),
        ("driehonderdvijfenzestig dagen", "nl", {q(365, "day")}),
        ("cent vingt jours", "fr", {q(120, "day")}),
        ("trois cent soixante-cinq jours", "fr", {q(365, "day")}),
        ("quatre-vingt-dix jours", "fr", {q(90, "day")}),
        ("nonante jours", "fr", {q(90, "day")}),
        ("one hundred and twenty days", "en", {q(120, "day")}),
        ("three hundred and sixty-five days", "en", {q(365, "day")}),
        ("zweitausendfünfhundert Euro", "de", {q(2500, "euro")}),
        ("dix mille euros", "fr", {q(10000, "euro")}),
        # Units: weeks, months, years, hours, working days, euros, ages.
        ("90 weeks", "en", {q(90, "week")}),
        ("negentig weken", "nl", {q(90, "week")}),
        ("drie maanden", "nl", {q(3, "month")}),
        ("sechs Monate", "de", {q(6, "month")}),
        ("vingt-quatre heures", "fr", {q(24, "hour")}),
        ("90 working days", "en", {q(90, "workday")}),
        ("90 jours ouvrables", "fr", {q(90, "workday")}),
        ("90 consecutive days", "en", {q(90, "day")}),
        ("eine neunzigtägige Frist", "de", {q(90, "day")}),
        ("a 90-day period", "en", {q(90, "day")}),
        ("€10,000 or EUR 1.000", "en", {q(10000, "euro"), q(1000, "euro")}),
        ("1,5 million euros", "fr", {q(1500000, "euro")}),
        ("aged 18", "en", {q(18, "age")}),
        ("18 years old", "en", {q(18, "age")}),
        ("âgé de 16 ans", "fr", {q(16, "age")}),
        ("between 3 and 6 months", "en", {q(3, "month"), q(6, "month")}),
        ("drei bis sechs Monate", "de", {q(3, "month"), q(6, "month")}),
        # Word durations.
        ("half a year", "en", {q("0.5", "year")}),
        ("a year and a half", "en", {q("1.5", "year")}),
        ("een half jaar", "nl", {q("0.5", "year")}),
        ("anderhalf jaar", "nl", {q("1.5", "year")}),
        ("tweeënhalf jaar", "nl", {q("2.5", "year")}),
        ("ein halbes Jahr", "de", {q("0.5", "year")}),
        ("eineinhalb Jahre", "de", {q("1.5", "year")}),
        ("un an et demi", "fr", {q("1.5", "year")}),
        ("six mois et demi", "fr", {q("6.5", "month")}),
        ("a full year", "en", {q(1, "year")}),
        ("een jaar", "nl", {q(1, "year")}),
        ("eine Woche", "de", {q(1, "week")}),
        ("un mois", "fr", {q(1, "month")}),
        ("a permanent permit", "en", {q(UNLIMITED)}),
        ("voor onbepaalde tijd", "nl", {q(UNLIMITED)}),
        ("unbefristet", "de", {q(UNLIMITED)}),
        ("à durée indéterminée", "fr", {q(UNLIMITED)}),
        # Not figures.
        ("a few months", "en", set()),
        ("an Tagen", "de", set()),
        ("the first permit", "en", set()),
        ("in acht nemen", "nl", set()),
        ("no one may", "en", set()),
        ("la permanence", "fr", set()),
    ],
)
def test_quantities_in(text, language, expected):
    assert quantities_in(text, language) == expected


def test_weeks_compare_as_days_and_years_as_months():
    assert q("0.5", "year").canonical() == q(6, "month").canonical()
    assert q("1.5", "year").canonical() == (18, "month")
    assert q(2, "week").canonical() == (14, "day")
    assert q(90, "week").canonical() != q(90, "day").canonical()
    assert q(3, "month").canonical() != q(90, "day").canonical()  # a month is not 30 days


def test_numbers_in_gives_the_values():
    assert numbers_in("hundertzwanzig Tage und 3 Monate", "de") == {120, 3}
    assert numbers_in("anderhalf jaar", "nl") == {Decimal("1.5")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More information: evil-example.com/lu-help", {Link("evil-example.com", "/lu-help")}),
        ("See www.x.lu.", {Link("x.lu")}),
        ("See https://www.legilux.public.lu/eli/etat/.", {Link("legilux.public.lu", "/eli/etat")}),
        ("Write to Help@Example.org.", {Link("help@example.org", email=True)}),
        ("Art. 61/2, e.g. z.B. p.ex. 1.000 euro", set()),
    ],
)
def test_links_in(text, expected):
    assert links_in(text) == expected


def test_a_link_is_covered_by_the_same_host_and_a_leading_path():
    sources = links_in("Source: https://legilux.public.lu/eli/etat/leg/loi/2008")
    for ok in ("legilux.public.lu", "https://legilux.public.lu/eli/etat", "www.legilux.public.lu"):
        assert all(covered(link, sources) for link in links_in(ok)), ok
    for bad in ("legilux.public.lu/evil", "lux.public.lu", "legilux.public.lu.evil.example",
                "https://legilux.public.lu/eli/etat/leg/loi/2008x"):
        assert not all(covered(link, sources) for link in links_in(bad)), bad


@pytest.mark.parametrize(
    ("text", "language", "negated"),
    [
        ("There is no reflection period.", "en", True),
        ("Victims aren't entitled to it.", "en", True),
        ("The reflection period was abolished.", "en", True),
        ("Er is geen bedenktijd.", "nl", True),
        ("Il n'y a pas de délai de réflexion.", "fr", True),
        ("Elle n'a plus droit au titre.", "fr", True),
        ("Es gibt keine Bedenkzeit.", "de", True),
        ("Eine Bedenkzeit gibt es nicht.", "de", True),
        ("See Law No. 5 of 2008.", "en", False),
        ("Not only victims but also witnesses.", "en", False),
        ("Pas na drie maanden.", "nl", False),  # Dutch "pas" is "only"
        ("Elle a plus de 18 ans.", "fr", False),
        ("The period is 90 days.", "en", False),
    ],
)
def test_negates(text, language, negated):
    assert negates(text, language) is negated


def test_negation_words_around_it_stop_at_a_comma():
    [negation] = negations("In Luxembourg, there is no reflection period, says the text.", "en")
    assert negation.after == ("reflection", "period")
    assert negation.before == ("there", "is")
