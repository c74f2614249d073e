from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot.knowledge.clauses import split_clauses, split_passages
from bot.models import Clause, Document, DocumentMeta

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"official-text corpus not found at {CORPUS}"
)


def meta(**changes: object) -> DocumentMeta:
    fields = {
        "id": "test-doc",
        "title": "Test document",
        "jurisdiction": "BE",
        "language": "fr",
        "kind": "statute",
        "version_date": dt.date(2024, 1, 1),
        "source_url": "https://example.org/doc",
        **changes,
    }
    return DocumentMeta(**fields)


def document(text: str, **changes: object) -> Document:
    return Document(meta=meta(**changes), text=text)


def split_front_matter(raw: str) -> tuple[dict, str]:
    match = re.match(r"\A---[ \t]*\n(.*?)^---[ \t]*\n", raw, re.S | re.M)
    if not match:
        return {}, raw
    return yaml.safe_load(match.group(1)) or {}, raw[match.end():]


def load(path: Path) -> Document:
    fields, body = split_front_matter(path.read_text(encoding="utf-8"))
    version = fields.get("version_date", "2000-01-01")
    if not isinstance(version, dt.date):
        version = dt.date.fromisoformat(str(version))
    return Document(
        meta=DocumentMeta(
            id=str(fields.get("id", path.stem)),
            title=str(fields.get("title", path.stem)),
            jurisdiction=str(fields.get("jurisdiction", "BENELUX")),
            language=str(fields.get("language", "nl")),
            kind=str(fields.get("kind", "declaration")),
            version_date=version,
            source_url=str(fields.get("source_url", "https://example.org")),
            short_title=str(fields.get("short_title", "")),
            path=str(path),
        ),
        text=body,
    )


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")


_CACHE: dict[str, list[Clause]] = {}


def clauses_of(name: str) -> list[Clause]:
    if name not in _CACHE:
        _CACHE[name] = split_clauses(load(CORPUS / name))
    return _CACHE[name]


def by_key(clauses: list[Clause]) -> dict[str, Clause]:
    return {c.key: c for c in clauses}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_passages(clause: Clause, max_chars: int = 1200) -> None:
    passages = split_passages(clause, max_chars=max_chars)
    assert passages, clause.id
    assert "\n\n".join(p.text for p in passages) == clause.text, clause.id
    assert [p.index for p in passages] == list(range(len(passages)))
    for passage in passages:
        assert passage.clause is clause
        if len(passage.text) > max_chars:
            # Only one paragraph with no blank line to cut at may exceed the limit, possibly
            # preceded by the short marker or subheading lines glued to it ("(2)", "Verlenging").
            *glued, _ = passage.text.split("\n\n")
            assert all(len(part) <= 80 for part in glued), (clause.id, passage.index)


# --------------------------------------------------------------------------- whole corpus


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_gives_unique_non_empty_clauses(path: Path) -> None:
    clauses = clauses_of(path.name)
    assert clauses, path.name
    keys = [c.key for c in clauses]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    assert len({c.id for c in clauses}) == len(clauses)
    assert [c.position for c in clauses] == list(range(len(clauses)))
    for clause in clauses:
        assert clause.text.strip(), clause.id
        assert clause.text == clause.text.strip()
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", clause.key), clause.key
        assert clause.label, clause.id
        assert not clause.text.startswith("#"), clause.id
        check_passages(clause)


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_passages_respect_a_smaller_limit(path: Path) -> None:
    for clause in clauses_of(path.name):
        check_passages(clause, max_chars=400)


# --------------------------------------------------------------------------- Luxembourg


@needs_corpus
def test_luxembourg_immigration_law_articles() -> None:
    clauses = by_key(clauses_of("lu-loi-2008-08-29-immigration.fr.md"))
    art93 = clauses["art-93"]
    assert art93.id == "lu-loi-2008-08-29-immigration#art-93"
    assert art93.label == "Art. 93"
    assert "quatre-vingt-dix jours" in art93.text
    assert not art93.text.startswith("Art. 93")
    assert clauses["art-1"].label == "Art. 1er"
    assert clauses["art-98bis"].label == "Art. 98bis"
    assert clauses["art-33ter"].label == "Art. 33ter"
    assert clauses["art-38-1"].label == "Art. 38-1"
    assert clauses["art-123"].label == "Art. 123"  # written without the final dot
    assert "traite" in clauses["art-92"].heading
    assert clauses["art-92"].heading.startswith("Sous-section 3.")
    assert clauses["art-1"].heading == "Chapitre 1er. Dispositions générales"
    assert clauses["preamble"].label == "Préambule"
    assert clauses["preamble"].position == 0
    # The consolidated text really numbers two articles 143 and two 149.
    assert clauses["art-143-2"].label == "Art. 143"
    assert clauses["art-149-2"].label == "Art. 149"


@needs_corpus
def test_luxembourg_footnotes_do_not_bloat_the_last_article() -> None:
    clauses = clauses_of("lu-loi-2008-08-29-immigration.fr.md")
    keys = [c.key for c in clauses]
    assert keys[-2:] == ["art-162", "notes"]
    last_article = clauses[-2]
    assert "[note 1]" not in last_article.text
    assert len(last_article.text) < 500
    assert clauses[-1].label == "Notes de bas de page"
    assert clauses[-1].text.startswith("[note 1] ")
    assert "=====" not in clauses[-1].text
    articles = [k for k in keys if k.startswith("art-")]
    assert len(articles) == 201


@needs_corpus
def test_long_luxembourg_article_has_numbered_passages() -> None:
    clause = by_key(clauses_of("lu-loi-2008-08-29-immigration.fr.md"))["art-123bis"]
    passages = split_passages(clause)
    assert len(passages) >= 3
    assert passages[0].paragraph == "1"
    assert passages[0].id == clause.id
    assert passages[1].id == f"{clause.id}~1"
    numbers = [p.paragraph for p in passages]
    assert all(numbers)
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)
    assert int(numbers[-1]) > 1
    art93 = split_passages(by_key(clauses_of("lu-loi-2008-08-29-immigration.fr.md"))["art-93"])
    assert [p.paragraph for p in art93] == ["1", "4"]
    assert art93[1].text.startswith("(4)\n\n")


@needs_corpus
def test_luxembourg_regulation() -> None:
    clauses = clauses_of("lu-rgd-2014-03-10-comite-suivi.fr.md")
    assert [c.key for c in clauses] == [
        "preamble", "art-1", "art-2", "art-3", "art-4", "art-5", "art-6", "notes",
    ]


# --------------------------------------------------------------------------- CETS 197


@needs_corpus
@pytest.mark.parametrize(
    ("name", "word", "title"),
    [
        ("coe-cets197.en.md", "Article", "Recovery and reflection period"),
        ("coe-cets197.nl.md", "Artikel", "Periode van herstel en bezinning"),
    ],
)
def test_cets197_has_47_articles(name: str, word: str, title: str) -> None:
    clauses = clauses_of(name)
    articles = [c for c in clauses if c.key.startswith("art-")]
    assert [c.key for c in articles] == [f"art-{n}" for n in range(1, 48)]
    assert [c.label for c in articles] == [f"{word} {n}" for n in range(1, 48)]
    art13 = by_key(clauses)["art-13"]
    assert art13.heading.endswith(title)
    assert art13.heading.startswith(("Chapter III", "Hoofdstuk III"))
    assert "30" in art13.text
    assert clauses[0].key == "preamble"
    assert all(c.heading for c in articles)


@needs_corpus
def test_cets197_english_article_13() -> None:
    art13 = by_key(clauses_of("coe-cets197.en.md"))["art-13"]
    assert art13.id == "coe-cets197-en#art-13"
    assert art13.label == "Article 13"
    assert "recovery and reflection period" in art13.text
    assert "30 days" in art13.text
    assert art13.heading == "Chapter III – Recovery and reflection period"
    assert split_passages(art13)[0].paragraph == "1"


@needs_corpus
def test_cets197_dutch_article_13() -> None:
    art13 = by_key(clauses_of("coe-cets197.nl.md"))["art-13"]
    assert art13.id == "coe-cets197-nl#art-13"
    assert art13.label == "Artikel 13"
    assert "herstel" in art13.text


# --------------------------------------------------------------------------- EU directives


@needs_corpus
def test_directive_2004_81_articles_and_recitals() -> None:
    clauses = clauses_of("eu-dir-2004-81.nl.md")
    keyed = by_key(clauses)
    assert [c.key for c in clauses[:3]] == ["preamble", "rec-1", "rec-2"]
    assert keyed["preamble"].label == "Preambule"
    assert keyed["preamble"].text.endswith("Overwegende hetgeen volgt:")
    assert keyed["rec-1"].label == "Overweging (1)"
    assert keyed["rec-1"].text.startswith("De ontwikkeling van een gemeenschappelijk")
    assert [k for k in keyed if k.startswith("rec-")] == [f"rec-{n}" for n in range(1, 23)]
    assert [k for k in keyed if k.startswith("art-")] == [f"art-{n}" for n in range(1, 20)]
    art8 = keyed["art-8"]
    assert art8.label == "Artikel 8"
    assert "verblijfstitel" in art8.text
    assert art8.heading == "Hoofdstuk II – Afgifte en verlenging van de verblijfstitel"
    assert keyed["art-6"].heading.endswith("Bedenktijd")
    # Chapter headings glued to the previous line are lifted out of the text.
    assert "HOOFDSTUK" not in keyed["rec-22"].text
    assert "HOOFDSTUK" not in keyed["art-14"].text
    # The footnotes glued to the last article become a clause of their own.
    assert keyed["art-19"].text.endswith("M. McDOWELL")
    assert keyed["notes"].text.startswith("( 1 ) PB C 126")


@needs_corpus
def test_directive_2024_1712_articles_and_recitals() -> None:
    keyed = by_key(clauses_of("eu-dir-2024-1712.nl.md"))
    assert [k for k in keyed if k.startswith("rec-")] == [f"rec-{n}" for n in range(1, 40)]
    # "Artikel 18 ter" etc. inside the quoted amendments belong to Directive 2011/36/EU and
    # stay in Article 1 of the amending act.
    assert [k for k in keyed if k.startswith("art-")] == ["art-1", "art-2", "art-3", "art-4"]
    assert "Artikel 18 ter" in keyed["art-1"].text
    assert keyed["rec-1"].label == "Overweging (1)"
    assert keyed["art-2"].heading == "Omzetting"


# --------------------------------------------------------------------------- Dutch texts


@needs_corpus
def test_dutch_circular_sections() -> None:
    clauses = clauses_of("nl-vc2000-b8-3.nl.md")
    keyed = by_key(clauses)
    assert list(keyed) == ["b8-3-1", "b8-3-2", "b8-3-3", "b8-3-4", "b9-10", "b9-12"]
    section = keyed["b8-3-1"]
    assert section.label == "B8/3.1"
    assert "bedenktijd" in section.text
    assert section.heading.endswith("Beleidsregels")
    assert "Ad 1. De bedenktijd" in section.text
    assert keyed["b9-12"].label == "B9/12"


@needs_corpus
def test_dutch_statutes_file_mixes_three_acts() -> None:
    clauses = clauses_of("nl-sr273f-vw8-vb3-48.nl.md")
    assert [c.key for c in clauses] == ["art-273f", "art-8", "art-3-48"]
    keyed = by_key(clauses)
    assert keyed["art-273f"].label.startswith("Artikel 273f")
    assert "Wetboek van Strafrecht" in keyed["art-273f"].label
    assert keyed["art-8"].label.startswith("Artikel 8")
    assert "Vreemdelingenwet 2000" in keyed["art-8"].heading
    assert keyed["art-3-48"].label.startswith("Artikel 3.48")
    assert "mensenhandel" in keyed["art-273f"].text
    assert "source:" not in keyed["art-273f"].text


# --------------------------------------------------------------------------- paragraphs


def paragraphs_of(path: Path) -> list[str]:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    return [p for p in re.split(r"\n[ \t]*\n", body) if p.strip()]


@needs_corpus
def test_declaration_gives_one_clause_per_paragraph() -> None:
    path = CORPUS / "benelux-declaration-2019.nl.md"
    clauses = clauses_of(path.name)
    expected = paragraphs_of(path)
    assert len(clauses) == len(expected) == 13
    assert [c.key for c in clauses] == [f"par-{n}" for n in range(1, 14)]
    assert [c.label for c in clauses] == [f"par. {n}" for n in range(1, 14)]
    assert [c.text for c in clauses] == [p.strip() for p in expected]
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert squeeze("".join(c.text for c in clauses)) == squeeze(body)


@pytest.mark.skipif(not SEED.is_dir(), reason=f"seed folder not found at {SEED}")
def test_seed_text_loses_nothing() -> None:
    for path in sorted(SEED.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        clauses = split_clauses(document(body, language="nl", kind="declaration"))
        assert len(clauses) == len(paragraphs_of(path))
        assert squeeze("".join(c.text for c in clauses)) == squeeze(body)
        for clause in clauses:
            check_passages(clause)


# --------------------------------------------------------------------------- synthetic


def test_article_spellings() -> None:
    text = "\n\n".join([
        "Loi du 15 décembre 1980",
        "Art. 1er.", "Définitions.",
        "Art. 61/2", "§ 1er. Lorsque les services de police disposent d'indices.",
        "Art. 61/3. § 1er. Le titre est délivré.",
        "Art. 98bis.", "Texte bis.",
        "Art. 33ter .", "Texte ter.",
        "###Artikel 273f ", "Tekst f.",
        "### Article  13  ", "####Recovery period", "Thirty days.",
        "Artikel 3.48", "Tekst 3.48.",
        "L'article 93 ne s'applique pas.",
        "Art. 93 de la loi précitée est abrogé.",
    ])
    clauses = split_clauses(document(text))
    assert [(c.key, c.label) for c in clauses] == [
        ("preamble", "Préambule"),
        ("art-1", "Art. 1er"),
        ("art-61-2", "Art. 61/2"),
        ("art-61-3", "Art. 61/3"),
        ("art-98bis", "Art. 98bis"),
        ("art-33ter", "Art. 33ter"),
        ("art-273f", "Artikel 273f"),
        ("art-13", "Article 13"),
        ("art-3-48", "Artikel 3.48"),
    ]
    keyed = by_key(clauses)
    assert keyed["art-61-3"].text == "§ 1er. Le titre est délivré."
    assert keyed["art-13"].heading == "Recovery period"
    assert keyed["art-13"].text == "Thirty days."
    # References at the start of a line are text, not headings.
    assert "L'article 93 ne s'applique pas." in keyed["art-3-48"].text
    assert "Art. 93 de la loi précitée" in keyed["art-3-48"].text
    assert split_passages(keyed["art-61-2"])[0].paragraph == "1"


def test_duplicate_keys_get_a_suffix() -> None:
    text = "Art. 5.\n\nUn.\n\nArt. 5.\n\nDeux.\n\nArt. 5.\n\nTrois."
    clauses = split_clauses(document(text))
    assert [c.key for c in clauses] == ["art-5", "art-5-2", "art-5-3"]
    assert [c.text for c in clauses] == ["Un.", "Deux.", "Trois."]
    assert [c.position for c in clauses] == [0, 1, 2]


def test_empty_articles_are_dropped() -> None:
    clauses = split_clauses(document("Art. 1.\n\n   \n\nArt. 2.\n\nTexte."))
    assert [c.key for c in clauses] == ["art-2"]


def test_chapters_set_the_heading() -> None:
    text = (
        "Chapitre 3.\n\nLe séjour\n\nSection 4.\n\nCas particuliers\n\nArt. 10.\n\nA.\n\n"
        "Chapitre 4.\n\nLes refus\n\nArt. 11.\n\nB."
    )
    keyed = by_key(split_clauses(document(text)))
    assert keyed["art-10"].heading == "Section 4. Cas particuliers"
    assert keyed["art-11"].heading == "Chapitre 4. Les refus"
    assert "Chapitre" not in keyed["art-10"].text


@pytest.mark.parametrize(
    ("language", "label"),
    [("nl", "Overweging (2)"), ("fr", "Considérant (2)"), ("de", "Erwägungsgrund (2)"),
     ("en", "Recital (2)")],
)
def test_recital_labels_follow_the_language(language: str, label: str) -> None:
    text = "Intro. Whereas:\n(1) First.\n(2) Second.\n\nArticle 1\nText."
    keyed = by_key(split_clauses(document(text, language=language, kind="directive")))
    assert keyed["rec-2"].label == label
    assert keyed["rec-2"].text == "Second."
    assert keyed["preamble"].text == "Intro. Whereas:"


FACTSHEET = """# Belgium — fact sheet

Intro text.

## Reflection period of 45 days (Art. 61/2)

Forty-five days.

### Details

More about it.

## Réfugiés et victimes : accès à l'asile

Texte.

## Reflection period of 45 days (Art. 61/2)

Same heading twice.

## A very long heading that goes on and on about the many conditions of the residence permit \
(Art. 61/2–61/5 Vreemdelingenwet / loi du 15 décembre 1980)

Body.
"""


def test_factsheet_gives_one_clause_per_heading() -> None:
    clauses = split_clauses(document(FACTSHEET, kind="factsheet", language="en"))
    keys = [c.key for c in clauses]
    assert keys == [
        "intro",
        "reflection-period-of-45-days-art-61-2",
        "refugies-et-victimes-acces-a-l-asile",
        "reflection-period-of-45-days-art-61-2-2",
        "a-very-long-heading-that-goes-on-and-on-about-the-many",
    ]
    keyed = by_key(clauses)
    first = keyed["reflection-period-of-45-days-art-61-2"]
    assert first.label == "Reflection period of 45 days (Art. 61/2)"
    assert first.heading == "Belgium — fact sheet"
    assert first.text == "Forty-five days.\n\nDetails\n\nMore about it."
    assert keyed["refugies-et-victimes-acces-a-l-asile"].label == (
        "Réfugiés et victimes : accès à l'asile"
    )
    long = keyed["a-very-long-heading-that-goes-on-and-on-about-the-many"]
    assert len(long.label) <= 80
    assert long.label.endswith("…")
    assert "Art. 61/2–61/5" in long.heading  # the full heading is not lost
    assert all(len(k) <= 60 for k in keys)


def test_passages_join_back_and_carry_paragraph_numbers() -> None:
    paragraphs = [f"({n})\n\n" + " ".join([f"Phrase numéro {n}."] * 40) for n in range(1, 6)]
    text = "Art. 7.\n\n" + "\n\n".join(paragraphs)
    clause = split_clauses(document(text))[0]
    passages = split_passages(clause, max_chars=1200)
    assert len(passages) > 1
    assert "\n\n".join(p.text for p in passages) == clause.text
    assert all(len(p.text) <= 1200 for p in passages)
    assert [p.paragraph for p in passages] == [p.text[1] for p in passages]
    assert all(p.text.startswith("(") for p in passages)  # a lone "(n)" is never left behind


def test_passage_paragraph_falls_back_to_the_last_number() -> None:
    text = "1. Premier.\n\n" + "\n\n".join(["x" * 300] * 8) + "\n\n2. Second."
    clause = split_clauses(document("Artikel 4\n\n" + text, language="nl"))[0]
    passages = split_passages(clause, max_chars=700)
    assert passages[0].paragraph == "1"
    assert passages[1].paragraph == "1"
    assert passages[-1].paragraph in {"1", "2"}


def test_short_clause_gives_one_passage() -> None:
    clause = split_clauses(document("Art. 94.\n\nDurant le délai."))[0]
    passages = split_passages(clause)
    assert len(passages) == 1
    assert passages[0].text == clause.text
    assert passages[0].paragraph == ""


def test_text_without_numbering_is_split_into_paragraphs() -> None:
    text = "Titel\n\n \nEerste alinea\nmet twee regels.\n\n\n\nTweede alinea."
    clauses = split_clauses(document(text, language="nl", kind="declaration"))
    assert [(c.key, c.label) for c in clauses] == [
        ("par-1", "par. 1"), ("par-2", "par. 2"), ("par-3", "par. 3"),
    ]
    assert clauses[1].text == "Eerste alinea\nmet twee regels."


@pytest.mark.parametrize(
    ("language", "closing", "heading"),
    [
        ("nl", "Luxemburg, 10 december 2019", "Plaats en datum van ondertekening"),
        ("fr", "Fait à Bruxelles, le 5 mai 2020.", "Lieu et date de signature"),
        ("de", "Geschehen zu Luxemburg am 1. März 2021", "Ort und Datum der Unterzeichnung"),
        ("en", "Done at Warsaw, this 16th day of May 2005", "Place and date of signature"),
        ("nl", "Deze verklaring geldt vanaf 10 december 2019 voor alle partijen.", ""),
    ],
)
def test_a_closing_place_and_date_is_headed_as_the_signature(language, closing, heading):
    text = f"Titel\n\nWij, ondergetekenden,\n\nEerste alinea.\n\n{closing}"
    clauses = split_clauses(document(text, language=language, kind="declaration"))
    assert [c.key for c in clauses] == ["par-1", "par-2", "par-3", "par-4"]
    assert clauses[-1].heading == heading and clauses[-1].text == closing
    assert all(c.heading == "" for c in clauses[:-1])
