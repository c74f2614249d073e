"""The non-default embedding backends, each with its real model (and a real loopback endpoint)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bot.answering.service import AnsweringService
from bot.errors import BotError, IndexUnavailable
from bot.index.embeddings import BACKENDS, E5Embeddings, EnsembleEmbeddings, make_embeddings
from bot.index.ingest import ingest
from bot.index.store import IndexStore
from tests.conftest import clause_ids, free_port, make_settings
from tests.loopback import LoopbackServer, Request

SHEETS = {
    "lu-sheet.en.md": """---
id: lu-sheet
title: "Luxembourg test sheet"
short_title: "Sheet LU"
jurisdiction: LU
language: en
kind: factsheet
version_date: 2026-01-01
source_url: "https://example.org/lu"
---
# Luxembourg test sheet

## Reflection period of 90 days in Luxembourg (Art. 93)

In Luxembourg the minister grants the presumed victim a reflection period of ninety days to
recover and decide whether to file a complaint.

## Residence permit of six months in Luxembourg (Art. 95)

After the reflection period the minister issues a residence permit valid for six months.
""",
    "be-sheet.en.md": """---
id: be-sheet
title: "Belgium test sheet"
short_title: "Sheet BE"
jurisdiction: BE
language: en
kind: factsheet
version_date: 2026-01-01
source_url: "https://example.org/be"
---
# Belgium test sheet

## Specialised shelters in Belgium

In Belgium three specialised reception centres give victims shelter, psychological and
legal support.

## Guardian for unaccompanied children in Belgium

An unaccompanied foreign child who may be a victim gets a guardian from the Guardianship
Service.
""",
}
LU_REFLECTION = "lu-sheet#reflection-period-of-90-days-in-luxembourg-art-93"
BE_GUARDIAN = "be-sheet#guardian-for-unaccompanied-children-in-belgium"


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name, text in SHEETS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def e5() -> E5Embeddings:
    return E5Embeddings()


# --------------------------------------------------------------------------- openai


class EmbeddingServer(LoopbackServer):
    """An OpenAI-compatible ``POST /v1/embeddings`` on the loopback, computing real vectors."""

    def __init__(self, model) -> None:
        self.model = model
        self.status = 200
        self.drop_last = False
        self.inputs: list[str] = []
        super().__init__(self._post)
        self.base_url = f"{self.url}/v1"

    def _post(self, request: Request) -> None:
        body = request.json_body()
        if request.path != "/v1/embeddings":
            return request.reply_json(404, {"error": {"message": f"no route {request.path}"}})
        if self.status != 200:
            return request.reply_json(self.status, {"error": {"message": "model crashed"}})
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        self.inputs.extend(texts)
        vectors = self.model.embed_documents(texts)
        rows = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
        if self.drop_last:
            rows = rows[:-1]
        # Rows in reverse order: the client must put them back by "index".
        request.reply_json(200, {"object": "list", "data": rows[::-1], "model": body["model"],
                                 "usage": {"prompt_tokens": 0, "total_tokens": 0}})


@pytest.fixture()
def endpoint(use_embeddings) -> Iterator[EmbeddingServer]:
    with EmbeddingServer(use_embeddings) as server:
        yield server


def test_openai_backend_ingests_and_answers(tmp_path, knowledge, endpoint):
    settings = make_settings(tmp_path, knowledge, embedding_backend="openai",
                             embedding_base_url=endpoint.base_url, embedding_model="use-v3")
    report = ingest(settings)
    assert report.added == report.clauses == 4 and report.embedded == 8  # passages + topics
    active = IndexStore(settings).active()
    assert active["embedding_model"] == "openai-compatible:use-v3"
    assert any("ninety days" in text for text in endpoint.inputs)

    answer = AnsweringService(settings).answer("Combien dure le délai de réflexion au Luxembourg ?")
    assert answer.grounded and answer.language == "fr" and answer.country == "LU"
    assert answer.citations[0].id == LU_REFLECTION
    assert {c.jurisdiction for c in answer.citations} == {"LU"}


def test_openai_endpoint_failure_leaves_index_unchanged(tmp_path, knowledge, endpoint):
    settings = make_settings(tmp_path, knowledge, embedding_backend="openai",
                             embedding_base_url=endpoint.base_url)
    before = ingest(settings).generation
    ids_before = clause_ids(settings)

    endpoint.status = 500
    (knowledge / "lu-sheet.en.md").write_text(
        SHEETS["lu-sheet.en.md"].replace("six months", "one year"), encoding="utf-8")
    with pytest.raises(BotError) as info:
        ingest(settings)
    message = str(info.value)
    assert f"{endpoint.base_url}/embeddings" in message and "500" in message
    store = IndexStore(settings)
    assert store.active()["generation"] == before and store.generations() == [before]
    assert clause_ids(settings) == ids_before

    # A 200 answer with fewer embeddings than texts is an error, not a silent misalignment.
    endpoint.status, endpoint.drop_last = 200, True
    with pytest.raises(BotError, match=r"returned \d+ embeddings for \d+ texts"):
        ingest(settings)
    assert IndexStore(settings).active()["generation"] == before

    # An endpoint that is not there at all is named too (not just "connection refused").
    gone = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(BotError, match=f"{gone}/embeddings"):
        ingest(settings.model_copy(update={"embedding_base_url": gone}))
    assert IndexStore(settings).active()["generation"] == before


def test_openai_backend_over_use_index_says_rebuild(tmp_path, knowledge, use_embeddings, endpoint):
    settings = make_settings(tmp_path, knowledge)
    ingest(settings, embeddings=use_embeddings)
    other = settings.model_copy(update={"embedding_backend": "openai",
                                        "embedding_base_url": endpoint.base_url})
    with pytest.raises(IndexUnavailable, match="--rebuild") as info:
        AnsweringService(other).answer("Combien dure le délai de réflexion au Luxembourg ?")
    assert "openai-compatible" in str(info.value) and "use-multilingual" in str(info.value)
    assert endpoint.inputs == []  # refused before any question is embedded


def test_openai_backend_needs_base_url(tmp_path, knowledge):
    with pytest.raises(BotError, match="EMBEDDING_BASE_URL"):
        make_embeddings(make_settings(tmp_path, knowledge, embedding_backend="openai"))


# --------------------------------------------------------------------------- e5, ensemble


def test_e5_backend_answers_across_languages(tmp_path, knowledge, e5):
    settings = make_settings(tmp_path, knowledge, embedding_backend="e5")
    report = ingest(settings, embeddings=e5)
    assert report.clauses == 4
    assert IndexStore(settings).active()["embedding_model"] == e5.model_id
    service = AnsweringService(settings, embeddings=e5)

    # German and Dutch questions over English clauses, without any shared word.
    answer = service.answer("Wie lange dauert die Bedenkzeit für ein Opfer?")
    assert answer.grounded and answer.citations[0].id == LU_REFLECTION
    answer = service.answer("Wie krijgt een alleenstaand minderjarig kind als voogd?")
    assert answer.grounded and answer.citations[0].id == BE_GUARDIAN


def cosine(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_ensemble_cosine_is_average_of_members(use_embeddings, e5, tmp_path):
    assert make_embeddings(make_settings(tmp_path, tmp_path, embedding_backend="e5")).dimension \
        == 384
    ensemble = EnsembleEmbeddings([use_embeddings, e5])
    assert ensemble.dimension == 512 + 384
    assert ensemble.model_id == f"ensemble({use_embeddings.model_id}+{e5.model_id})"

    first = "The victim gets a reflection period of ninety days."
    second = "Het slachtoffer krijgt een bedenktijd van drie maanden."
    va, vb = ensemble.embed_documents([first, second])
    assert len(va) == len(vb) == 896
    members = [m.embed_documents([first, second]) for m in (use_embeddings, e5)]
    expected = sum(cosine(a, b) for a, b in members) / 2
    assert abs(cosine(va, vb) - expected) < 1e-4
    assert abs(float(np.linalg.norm(va)) - 1) < 1e-4

    query = ensemble.embed_query(first)
    expected = (cosine(use_embeddings.embed_query(first), members[0][1])
                + cosine(e5.embed_query(first), members[1][1])) / 2
    assert abs(cosine(query, vb) - expected) < 1e-4


def test_ensemble_backend_is_built_by_name(tmp_path):
    ensemble = make_embeddings(make_settings(tmp_path, tmp_path, embedding_backend="Ensemble"))
    assert isinstance(ensemble, EnsembleEmbeddings) and ensemble.dimension == 896


def test_unknown_backend_names_the_allowed_ones(tmp_path):
    with pytest.raises(BotError) as info:
        make_embeddings(make_settings(tmp_path, tmp_path, embedding_backend="bert"))
    message = str(info.value)
    assert "'bert'" in message and "EMBEDDING_BACKEND" in message
    assert all(name in message for name in BACKENDS) and set(BACKENDS) == {
        "use", "e5", "ensemble", "openai"}
