"""``python -m bot ask`` and ``chat`` as a user runs them, over a real index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from bot.indexer import ingest
from tests.conftest import KNOWLEDGE, REPO, make_settings

CITATION_KEYS = {
    "id", "document_id", "title", "short_title", "label", "jurisdiction", "language",
    "version_date", "source_url", "text", "score",
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, use_embeddings) -> dict[str, str]:
    """Environment of a process that asks over an index of the repository's knowledge."""
    tmp = tmp_path_factory.mktemp("cli")
    knowledge = tmp / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = make_settings(tmp, knowledge)
    ingest(settings, embeddings=use_embeddings)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "KNOWLEDGE_DIR": str(knowledge),
        "CHROMA_PATH": str(settings.chroma_path),
    }


def bot(*args: str, env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True, text=True, env=env, cwd=REPO, input=stdin, timeout=120,
    )


def ask_json(question: str, env: dict[str, str], *options: str) -> dict:
    done = bot("ask", "--json", *options, question, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_french_question_about_the_dutch_declaration(indexed):
    data = ask_json(
        "Que dit la déclaration Benelux sur les victimes de pays tiers exploitées dans un "
        "autre pays que celui où elles demandent de l'aide ?",
        indexed,
    )
    assert data["grounded"] and data["language"] == "fr"
    ids = [c["id"] for c in data["citations"]]
    assert "benelux-declaration-2019-trafficking#par-8" in ids
    cited = next(c for c in data["citations"] if c["id"].endswith("#par-8"))
    assert cited["language"] == "nl" and "derde land" in cited["text"]
    assert cited["version_date"] == "2019-12-10" and cited["jurisdiction"] == "BENELUX"


def test_json_is_the_stable_interface(indexed):
    data = ask_json("How long is the reflection period in Luxembourg?", indexed)
    assert {"question", "language", "grounded", "answer", "citations", "mode"} <= set(data)
    assert data["mode"] == "extractive"
    assert 1 <= len(data["citations"]) <= 3
    for citation in data["citations"]:
        assert set(citation) == CITATION_KEYS
        assert citation["jurisdiction"] in {"LU", "EU", "CoE", "BENELUX"}
    scores = [c["score"] for c in data["citations"]]
    assert scores == sorted(scores, reverse=True)
    assert "90" in data["citations"][0]["text"] or "ninety" in data["citations"][0]["text"]


def test_country_option_keeps_other_countries_out(indexed):
    data = ask_json("Hoe lang duurt de bedenktijd?", indexed, "--country", "BE", "--lang", "de")
    assert data["language"] == "de" and data["grounded"]
    assert all(c["jurisdiction"] in {"BE", "EU", "CoE", "BENELUX"} for c in data["citations"])
    assert data["citations"][0]["jurisdiction"] == "BE"


def test_off_topic_question_is_not_answered(indexed):
    data = ask_json("Wat is het beste recept voor stoofvlees met frieten?", indexed)
    assert data["grounded"] is False and data["citations"] == []
    assert "gok niet" in data["answer"]  # said in the asker's language


def test_plain_text_answer_cites_label_jurisdiction_date_and_link(indexed):
    done = bot("ask", "Combien dure le délai de réflexion au Luxembourg ?", env=indexed)
    assert done.returncode == 0
    assert "Pour le Luxembourg" in done.stdout
    assert "(LU, " in done.stdout and "https://" in done.stdout


def test_bad_questions_and_missing_index_fail_clearly(indexed, tmp_path):
    empty = bot("ask", "   ", env=indexed)
    assert empty.returncode == 1 and "question" in empty.stderr.lower()
    long = bot("ask", "mensenhandel " * 400, env=indexed)
    assert long.returncode == 1 and "2000" in long.stderr  # said in the question's language
    no_index = bot("ask", "Hoe lang duurt de bedenktijd?",
                   env={**indexed, "CHROMA_PATH": str(tmp_path / "none")})
    assert no_index.returncode == 2 and "python ingest.py" in no_index.stderr
    as_json = bot("ask", "--json", "?", env=indexed)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["error"]


def test_console_chat_answers_until_empty_line(indexed):
    done = bot("chat", env=indexed, stdin="Wie lange dauert die Bedenkzeit in Luxemburg?\n\n")
    assert done.returncode == 0
    assert "Für Luxemburg" in done.stdout and "Art." in done.stdout or "LU" in done.stdout


def test_written_answer_through_an_openai_compatible_endpoint(indexed):
    from tests.llm_stub import LLMStub, Reply

    question = "Combien dure le délai de réflexion au Luxembourg ?"
    top = ask_json(question, indexed)["citations"][0]["id"]

    def written(text: str) -> Reply:
        return Reply(json.dumps({"sentences": [{"text": text, "citation_ids": [top]}]}))

    with LLMStub(written("Au Luxembourg, le délai de réflexion est de 90 jours.")) as stub:
        env = {**indexed, "LLM_PROVIDER": "openai", "LLM_BASE_URL": stub.base_url,
               "LLM_MODEL": "stub", "LLM_API_KEY": "test", "LLM_TIMEOUT_S": "5"}
        data = ask_json(question, env)
    assert data["mode"] == "llm"
    assert data["sentences"] == [
        {"text": "Au Luxembourg, le délai de réflexion est de 90 jours.", "citation_ids": [top]}
    ]
    assert data["citations"][0]["id"] == top and "[1]" in data["answer"]

    with LLMStub(written("Au Luxembourg, le délai de réflexion est de 120 jours.")) as stub:
        data = ask_json(question, {**env, "LLM_BASE_URL": stub.base_url})
    assert data["mode"] == "extractive" and "sentences" not in data  # invented figure: fallback


LU_REFLECTION = "factsheet-lu-protection-rules#reflection-period-of-90-days-in-luxembourg-delai-de"
METRICS = {"recall_at_1", "recall_at_3", "mrr", "abstention_accuracy",
           "wrong_jurisdiction_citations", "per_language", "questions"}


def test_eval_scores_the_system_and_the_baseline(indexed, tmp_path):
    questions = tmp_path / "questions.yaml"
    questions.write_text(json.dumps({"questions": [
        {"id": "lu", "question": "How long is the reflection period in Luxembourg?",
         "language": "en", "country": "LU",
         "expected": [LU_REFLECTION]},
        {"id": "decl", "question": "Que dit la déclaration Benelux sur les victimes de pays tiers "
         "exploitées dans un autre pays que celui où elles demandent de l'aide ?",
         "language": "fr", "expected": ["benelux-declaration-2019-trafficking#par-8"]},
        {"id": "off", "question": "Wie wird morgen das Wetter in Brüssel?", "language": "de",
         "off_topic": True},
    ]}), encoding="utf-8")
    done = bot("eval", "--json", "--questions", str(questions),
               "--corpus", str(tmp_path / "no-corpus"), env=indexed)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert METRICS <= set(data) and METRICS <= set(data["baseline"])
    system = data
    assert system["recall_at_3"] == 1.0 and system["abstention_accuracy"] == 1.0
    assert system["wrong_jurisdiction_citations"] == 0
    assert set(system["per_language"]) == {"en", "fr"}  # on-topic questions only

    text = bot("eval", "--no-baseline", "--questions", str(questions),
               "--corpus", str(tmp_path / "no-corpus"), env=indexed)
    assert text.returncode == 0 and "recall@3 1.000" in text.stdout
    assert "baseline" not in text.stdout


def test_bench_prints_the_issue_keys(indexed, tmp_path):
    done = bot("bench", "--json", "--corpus", str(tmp_path / "no-corpus"), "--scale", "2",
               env=indexed)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"ingest_s", "clauses", "clauses_per_s", "reingest_s", "ask_p50_ms", "ask_p95_ms",
            "ask_p95_ms_10x", "rss_mb"} <= set(data)
    assert data["clauses_10x"] == 2 * data["clauses"]
