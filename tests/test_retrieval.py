"""Retrieval as a frontline worker meets it: the right clause, the right country, or silence.

One real index of ``knowledge/`` plus ``../shared/corpus`` (real embedding model, real
Chroma) serves the whole module.
"""

from __future__ import annotations

import shutil

import pytest

from bot.answering.service import AnsweringService
from bot.errors import KnowledgeError
from bot.index.ingest import ingest
from bot.index.records import QUESTION, TOPIC, clause_of_record
from bot.reference.dates import dates_in
from bot.retrieval.glossary import Glossary
from bot.retrieval.hybrid import decide
from bot.retrieval.query import ages_in, analyse
from bot.retrieval.results import ANSWER, NOT_COVERED, OFF_TOPIC, Evidence, RetrievalParams
from devtools.evaluation import DEFAULT_QUESTIONS, load_questions
from tests.conftest import KNOWLEDGE, make_settings

LU_LAW = "lu-loi-2008-08-29-immigration"
NL_ACTS = "nl-sr273f-vw8-vb3-48"
NL_CIRCULAR = "nl-vc2000-b8-3"
DECLARATION = "benelux-declaration-2019-trafficking"
NATIONAL = {"BE", "NL", "LU"}


@pytest.fixture(scope="module")
def service(corpus_service) -> AnsweringService:
    return corpus_service


def ranked(service: AnsweringService, question: str, country: str | None = None) -> list[str]:
    retrieval = service.retrieve(question, country)
    assert retrieval.grounded, question
    return [scored.clause.id for scored in retrieval.results]


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Was steht in Art. 93 des luxemburgischen Einwanderungsgesetzes?", f"{LU_LAW}#art-93"),
        ("What does artikel 3.48 of the Vreemdelingenbesluit say about victims?",
         f"{NL_ACTS}#art-3-48"),
        ("Que prévoit l'article 273f du code pénal néerlandais ?", f"{NL_ACTS}#art-273f"),
        ("Wat staat er in B8/3.2 van de Vreemdelingencirculaire?", f"{NL_CIRCULAR}#b8-3-2"),
        ("What does Article 13 of CETS 197 require?", "coe-cets197-en#art-13"),
        ("Wat zegt artikel 13 van het Verdrag van de Raad van Europa inzake mensenhandel?",
         "coe-cets197-nl#art-13"),
        # Acts are named by their date, in any language.
        ("Wat regelt art. 93 van de Luxemburgse wet van 29 augustus 2008?", f"{LU_LAW}#art-93"),
        ("Que dit l'article 4 du règlement grand-ducal du 10 mars 2014 ?",
         "lu-rgd-2014-03-10-comite-suivi#art-4"),
    ],
)
def test_a_named_article_comes_first(service, question, expected):
    assert ranked(service, question)[0] == expected


@pytest.mark.parametrize(
    ("question", "identifier", "document"),
    [
        # Belgian statutes are not indexed; the fact sheet clause that names the article is.
        ("Was regelt Art. 433quinquies des belgischen Strafgesetzbuchs?", "433quinquies",
         "factsheet-be-protection-rules"),
        # Directive 2011/36 is indexed through its amending act and the consolidated fact sheet.
        ("What does Article 11 of Directive 2011/36 require?", "11",
         "factsheet-eu-directive-2011-36-as-amended"),
    ],
)
def test_an_article_known_from_a_fact_sheet_finds_its_clause(
    service, question, identifier, document
):
    first = service.retrieve(question).results[0].clause
    assert first.document.id == document
    assert f"Art. {identifier}" in first.label


# --------------------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Dutch and English questions, a French and a Dutch clause.
        ("Hoeveel dagen bedenktijd krijgt een slachtoffer in Luxemburg volgens de wet?",
         f"{LU_LAW}#art-93"),
        ("What does the Benelux declaration say about victims from third countries exploited "
         "in another member state?", f"{DECLARATION}#par-8"),
    ],
)
def test_the_clause_is_found_across_languages(service, question, expected):
    assert expected in ranked(service, question)[:3]


def test_a_german_question_finds_the_french_regulation_on_the_luxembourg_committee(service):
    # The rule comes first in the asker's language, with the French regulation's articles as
    # its official text (the buttons and links of the answer).
    answer = service.answer("Wer gehört dem luxemburgischen Komitee zur Überwachung des "
                            "Menschenhandels an?")
    first = answer.citations[0]
    assert "monitoring-committee" in first.id and first.language == "de"
    assert any(b.id.startswith("lu-rgd-2014-03-10-comite-suivi#art-") for b in first.basis)


def test_a_question_naming_a_document_and_a_signature_finds_the_signature(service):
    ids = ranked(service, "Waar en wanneer werd de Benelux-intentieverklaring over "
                          "mensenhandel ondertekend?")
    assert f"{DECLARATION}#par-13" in ids[:3]
    signature = service.clause(f"{DECLARATION}#par-13")
    assert signature.heading == "Plaats en datum van ondertekening"
    assert signature.text == "Luxemburg, 10 december 2019"


def test_a_stated_age_under_18_finds_the_rules_for_children(service):
    ids = ranked(service, "Is it trafficking under Dutch law if a 15-year-old was recruited "
                          "for exploitation without any force or deception?")
    assert ids[0].startswith("factsheet-nl-protection-rules#child-victims-of-trafficking")


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("A 15-year-old boy came on his own", [15]),
        ("een meisje van 16 jaar oud", [16]),
        ("een 17-jarige jongen", [17]),
        ("Ein 16-jähriges Mädchen", [16]),
        ("im Alter von 14 Jahren", [14]),
        ("un garçon de 15 ans", [15]),
        ("elle a 16 ans", [16]),
        ("we found a girl of 15 in a massage parlour", [15]),
        ("ein Mädchen von 14, een jongen van 17", [14, 17]),
        ("un garçon qui dit avoir 16 ans", [16]),
        ("a man of 2 children, een moeder van 3 kinderen, il risque a 10 ans de prison", []),
        ("il y a 5 ans, un titre de séjour de 5 ans", []),
        ("a reflection period of 45 days for 3 years", []),
        ("een 5-jarige verblijfsvergunning, eine 3-jährige Aufenthaltserlaubnis", []),
    ],
)
def test_ages_are_read_in_four_languages(text, ages):
    assert ages_in(text) == ages


def test_dates_are_read_in_four_languages():
    text = "loi du 29 août 2008, wet van 10 maart 2014, Richtlinie vom 29. April 2004, 1er mai 2020"
    assert dates_in(text) == ("2008-08-29", "2014-03-10", "2004-04-29", "2020-05-01")
    assert dates_in("artikel 3 van 2015, 45 dagen") == ()


def test_only_an_age_under_18_makes_a_minor():
    assert analyse("Sie ist 16 Jahre alt.").minor
    assert not analyse("She is 30 years old.").minor


# --------------------------------------------------------------------------- jurisdiction


@pytest.mark.parametrize(
    ("question", "country"),
    [
        ("Hoe lang duurt de bedenktijd in België?", "BE"),
        ("Combien de temps dure le délai de réflexion aux Pays-Bas ?", "NL"),
        ("Wie lange dauert die Bedenkzeit in Luxemburg?", "LU"),
        ("How long is the reflection period in the Netherlands?", "NL"),
    ],
)
def test_a_named_country_keeps_other_countries_out(service, question, country):
    retrieval = service.retrieve(question)
    assert retrieval.countries == (country,)
    places = [scored.clause.document.jurisdiction for scored in retrieval.results]
    assert places[0] == country
    assert not (set(places) & NATIONAL) - {country}


def test_the_country_option_restricts_a_question_that_names_none(service):
    retrieval = service.retrieve("How long is the reflection period?", "LU")
    places = {scored.clause.document.jurisdiction for scored in retrieval.results}
    assert places & NATIONAL == {"LU"}


# --------------------------------------------------------------------------- abstention


@pytest.mark.parametrize(
    "question",
    [
        "What will the weather be like in Brussels tomorrow?",
        "Quel est le meilleur restaurant de moules-frites à Liège ?",
        "Wer hat gestern das Bundesliga-Spiel gewonnen?",
        "Hoe draai ik een lijst om in Python?",
    ],
)
def test_off_topic_questions_are_not_answered(service, question):
    assert not service.retrieve(question).grounded


@pytest.mark.parametrize(
    ("dense", "strong", "weak", "verdict"),
    [
        (0.70, 0, 0, ANSWER),  # very close to a clause, whatever the words
        (0.62, 0, 0, OFF_TOPIC),  # "highly skilled migrant visa in Rotterdam"
        (0.45, 1, 0, ANSWER),  # the domain's words and a close enough clause
        (0.05, 1, 0, NOT_COVERED),  # the domain's words, nothing close at all
        (0.05, 0, 2, NOT_COVERED),  # two everyday words of the domain
        (0.58, 0, 1, NOT_COVERED),  # "can I go with her to the police?"
        (0.44, 0, 1, OFF_TOPIC),  # one everyday word, nothing close: a tax question
    ],
)
def test_the_verdict_follows_the_calibrated_thresholds(dense, strong, weak, verdict):
    evidence = Evidence(dense=dense, strong_terms=strong, weak_terms=weak, identifiers=False,
                        documents=False)
    assert decide(evidence, RetrievalParams()) == verdict


def test_a_named_article_is_answered_however_far():
    evidence = Evidence(dense=0.1, strong_terms=0, weak_terms=0, identifiers=True,
                        documents=False)
    assert decide(evidence, RetrievalParams()) == ANSWER


@pytest.mark.parametrize(
    ("dense", "strong", "identifiers", "verdict"),
    [
        (0.70, 0, False, NOT_COVERED),  # close, but a rule does not say how long it takes
        (0.45, 1, False, NOT_COVERED),
        (0.45, 1, True, ANSWER),  # "how long does Art. 93 take in practice": the article
        (0.30, 0, False, OFF_TOPIC),  # "do you know a good plumber?" stays off topic
    ],
)
def test_a_question_about_practice_is_not_covered_by_rules(dense, strong, identifiers, verdict):
    evidence = Evidence(dense=dense, strong_terms=strong, weak_terms=0,
                        identifiers=identifiers, documents=False, practice=True)
    assert decide(evidence, RetrievalParams()) == verdict


@pytest.mark.parametrize(
    ("question", "practice"),
    [
        ("En pratique, combien de temps pour avoir le titre de séjour au Luxembourg ?", True),
        ("Hoe lang is de wachtlijst voor opvang op dit moment?", True),
        ("Wie viele Opfer wurden letztes Jahr in Luxemburg identifiziert?", True),
        ("Which form do I fill in to report to CoMensha?", True),
        ("Hoe lang duurt de bedenktijd in Nederland?", False),
        ("Muss sie für die Unterkunft zahlen?", False),
    ],
)
def test_the_glossary_names_questions_about_practice(question, practice):
    assert Glossary.load(KNOWLEDGE).asks_practice(question) is practice


@pytest.mark.parametrize(
    "question",
    [
        "Mijn cliënte woont in Luxemburg en wil naar België verhuizen. Blijft haar "
        "verblijfsrecht als slachtoffer geldig?",
        "Elle a le statut de victime en Belgique et veut partir vivre aux Pays-Bas, elle garde "
        "ses droits ?",
        "She has victim papers in the Netherlands and wants to move to Luxembourg, does her "
        "protection go with her?",
    ],
)
def test_a_question_between_two_countries_cites_the_benelux_rule(service, question):
    cited = [r.clause.group_id for r in service.retrieve(question).results[:3]]
    assert "factsheet-benelux-cross-border#moving-between-benelux-countries" in cited


def test_practice_questions_get_contacts_and_nearby_rules(service):
    retrieval = service.retrieve(
        "En pratique, combien de temps pour avoir le titre de séjour après la plainte au "
        "Luxembourg ?"
    )
    assert retrieval.verdict == NOT_COVERED
    assert [c.document.jurisdiction for c in retrieval.contacts] == ["LU"]
    assert retrieval.results  # the rules nearby are still named


def test_a_record_id_names_its_clause_and_kind():
    assert clause_of_record("lu-loi#art-93") == ("lu-loi#art-93", 0)
    assert clause_of_record("lu-loi#art-93~2") == ("lu-loi#art-93", 2)
    assert clause_of_record("sheet#rule~topic") == ("sheet#rule", TOPIC)
    assert clause_of_record("sheet#rule~q3") == ("sheet#rule", QUESTION)


# --------------------------------------------------------------------------- glossary


def test_a_malformed_practice_list_names_the_file_and_field(tmp_path):
    (tmp_path / "glossary.yaml").write_text("practice: [in practice]\nfamilies: []\n",
                                            encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        Glossary.load(tmp_path)
    assert "glossary.yaml" in str(caught.value) and caught.value.field == "practice"


def test_maintainers_extend_the_glossary_without_code(tmp_path, use_embeddings):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = make_settings(tmp_path, knowledge)
    ingest(settings, embeddings=use_embeddings)
    question = "Wat is een quarantainetijd voor slachtoffers van mensenhandel?"
    before = AnsweringService(settings, embeddings=use_embeddings).retrieve(question)
    assert "délai de réflexion" not in before.expansion
    assert not any("reflection" in r.clause.heading.lower() for r in before.results[:3])

    glossary = knowledge / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "\n  - id: test-quarantine\n    nl: [quarantainetijd]\n    fr: [délai de réflexion]\n"
        "    de: []\n    en: []\n",
        encoding="utf-8",
    )
    after = AnsweringService(settings, embeddings=use_embeddings).retrieve(question)
    assert "délai de réflexion" in after.expansion
    assert "reflection" in after.results[0].clause.heading.lower()


# --------------------------------------------------------------------------- evaluation set


def test_the_evaluation_set_is_balanced_and_points_at_existing_clauses(service):
    questions = load_questions(DEFAULT_QUESTIONS)
    on_topic = [q for q in questions if not q.off_topic]
    assert len(questions) >= 80 and sum(q.off_topic for q in questions) >= 12
    for language in ("nl", "fr", "de", "en"):
        assert sum(q.language == language for q in questions) == len(questions) // 4
    assert all(q.expected for q in on_topic)
    missing = {e for q in on_topic for e in q.expected if service.clause(e) is None}
    assert not missing, f"expected clause ids not in the index (renamed heading?): {missing}"
    cross = [q for q in on_topic if service.clause(q.expected[0]).document.language != q.language]
    assert len(cross) > len(on_topic) / 2


def test_only_texts_that_can_change_are_flagged_as_old(service):
    convention = service.answer("Was sagt die Europaratskonvention über die Straflosigkeit von "
                                "Opfern von Menschenhandel?")
    cets = [c for c in convention.citations if c.kind in ("factsheet", "convention")
            and all(b.id.startswith("coe-cets197") for b in c.basis)]
    assert cets and not any(c.stale or c.text_date for c in cets if c.kind == "factsheet")
    assert not any(c.stale for c in cets)
    dutch = service.answer("Hoe lang duurt de bedenktijd in Nederland?", country="NL")
    assert dutch.citations[0].stale == "2015-11-29"  # the Dutch rules of 2015: check today's
