"""``python ingest.py --check`` and the language-version check of ingest."""

from __future__ import annotations

import pytest

from bot.errors import KnowledgeError
from bot.knowledge.check import check_knowledge
from bot.knowledge.clauses import split_clauses
from bot.knowledge.documents import load_knowledge
from bot.knowledge.versions import check_versions
from tests.conftest import CORPUS, KNOWLEDGE, make_settings

SHEET = """---
id: {doc_id}
title: "Test: protection of victims — fact sheet"
short_title: "Fact sheet XX"
jurisdiction: LU
language: {language}
kind: factsheet
version_date: 2026-11-30
checked: 2026-11-30
source_url: "https://legilux.public.lu/eli/etat/leg/loi/2008/08/29/n1/consolide/20260612/fr"
{extra}---

# Test sheet

{intro}

## {reflection} (Art. 93 loi du 29 août 2008) {{#reflection-period}}

{reflection_body}

Source: https://legilux.public.lu/eli/etat/leg/loi/2008/08/29/n1/consolide/20260612/fr
Basis: lu-loi-2008-08-29-immigration#art-93
Verification: checked against the official text (loi du 29 août 2008, Art. 93).

## {contacts} (Art. 92 loi du 29 août 2008) {{#contacts}}

{contacts_body}
{contacts_source}
{contacts_verification}
"""

ENGLISH = dict(
    doc_id="factsheet-xx", language="en", extra="",
    intro="Luxembourg rules, checked on 2026-11-30.",
    reflection="Reflection period of 90 days",
    reflection_body="In Luxembourg the presumed victim gets a reflection period of 90 days.",
    contacts="Who to contact in Luxembourg",
    contacts_body="The police (https://police.public.lu) and the assistance services.",
    contacts_source="Source: https://police.public.lu/fr.html",
    contacts_verification=(
        "Verification: checked against an official agency page (police.public.lu)"
    ),
)
DUTCH = dict(
    ENGLISH, doc_id="factsheet-xx-nl", language="nl", extra="translation_of: factsheet-xx\n",
    intro="Luxemburgse regels, gecontroleerd op 2026-11-30.",
    reflection="Bedenktijd van 90 dagen",
    reflection_body="In Luxemburg krijgt het vermoedelijke slachtoffer 90 dagen bedenktijd.",
    contacts="Wie te contacteren in Luxemburg",
    contacts_body="De politie (https://police.public.lu) en de hulpdiensten.",
    contacts_verification="Verification: gecontroleerd aan een officiële pagina (police.public.lu)",
)


def write(folder, name: str, values: dict) -> None:
    (folder / name).write_text(SHEET.format(**values), encoding="utf-8")


@pytest.fixture()
def folder(tmp_path):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "official-domains.yaml").write_text(
        "domains:\n  - legilux.public.lu\n  - police.public.lu\n", encoding="utf-8"
    )
    write(knowledge, "xx.en.md", ENGLISH)
    write(knowledge, "xx.nl.md", DUTCH)
    return knowledge


def check(tmp_path, knowledge):
    return check_knowledge(make_settings(tmp_path, knowledge))


def test_a_clean_folder_passes(tmp_path, folder):
    report = check(tmp_path, folder)
    assert not report.errors, report.errors
    assert "passed" in report.summary()


def test_a_link_outside_the_official_sites_is_an_error(tmp_path, folder):
    write(folder, "xx.en.md", dict(ENGLISH, contacts_body="See https://evil-example.com/lu-help."))
    write(folder, "xx.nl.md", dict(DUTCH, contacts_body="Zie https://evil-example.com/lu-help."))
    messages = [str(f) for f in check(tmp_path, folder).errors]
    assert any("evil-example.com" in m and "not an official address" in m for m in messages)


def test_a_clause_without_verification_line_is_an_error(tmp_path, folder):
    write(folder, "xx.en.md", dict(ENGLISH, contacts_verification=""))
    messages = [str(f) for f in check(tmp_path, folder).errors]
    assert any("Who to contact in Luxembourg" in m and "no Verification" in m for m in messages)


def test_a_phone_number_needs_an_official_page(tmp_path, folder):
    body = "Call the police on (+352) 244 60 3220 on working days."
    write(folder, "xx.en.md", dict(ENGLISH, contacts_body=body, contacts_source=""))
    messages = [str(f) for f in check(tmp_path, folder).errors]
    assert any("phone number" in m for m in messages)


def test_a_language_version_with_another_number_is_refused(tmp_path, folder):
    write(folder, "xx.nl.md", dict(
        DUTCH, reflection_body="In Luxemburg krijgt het slachtoffer 45 dagen bedenktijd."
    ))
    messages = [str(f) for f in check(tmp_path, folder).errors]
    assert any("xx.nl.md" in m and "other numbers" in m and "45" in m for m in messages)
    documents = load_knowledge(folder)
    with pytest.raises(KnowledgeError, match=r"xx\.nl\.md.*reflection-period.*other numbers"):
        check_versions(documents, {d.meta.id: split_clauses(d) for d in documents})


def test_a_language_version_missing_a_clause_is_refused(tmp_path, folder):
    text = (folder / "xx.nl.md").read_text(encoding="utf-8")
    (folder / "xx.nl.md").write_text(text.split("## Wie te contacteren")[0], encoding="utf-8")
    documents = load_knowledge(folder)
    with pytest.raises(KnowledgeError, match="missing contacts"):
        check_versions(documents, {d.meta.id: split_clauses(d) for d in documents})


def test_the_knowledge_folder_passes_the_check(tmp_path):
    # As CI runs it: with the mirror of official texts beside the checkout, when present.
    report = check_knowledge(make_settings(tmp_path, KNOWLEDGE, sources_mirror=CORPUS))
    assert not report.errors, "\n".join(map(str, report.errors))
