"""Parts of the index on a real embedded Chroma, without the embedding model."""

from __future__ import annotations

import time

import numpy as np
import pytest

from bot.index.retention import retire_generations
from bot.index.store import IndexStore, jurisdiction_collection
from bot.index.vector_cache import VectorCache
from bot.index.writer_lock import ServerLock, writer_lock
from bot.retrieval.dense import JurisdictionCollections
from tests.conftest import KNOWLEDGE, make_settings, server_settings

JURISDICTIONS = ("BE", "NL", "EU", "CoE")


def random_unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.normal(size=(n, 16)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_per_jurisdiction_search_equals_chroma_filtered_search(tmp_path):
    store = IndexStore(make_settings(tmp_path, KNOWLEDGE))
    rng = np.random.default_rng(7)
    vectors = random_unit(rng, 200)
    ids = [f"r{i:03d}" for i in range(200)]
    jurisdiction = [JURISDICTIONS[i % 4] for i in range(200)]
    whole = store.collection("whole-gen", create=True)
    whole.add(ids=ids, embeddings=vectors.tolist(),
              metadatas=[{"jurisdiction": j, "clause_id": i} for i, j in zip(ids, jurisdiction,
                                                                            strict=True)])
    parts, counts = {}, {}
    for code in JURISDICTIONS:
        rows = [i for i in range(200) if jurisdiction[i] == code]
        parts[code] = store.collection(jurisdiction_collection("part-gen", code), create=True)
        parts[code].add(ids=[ids[i] for i in rows], embeddings=vectors[rows].tolist(),
                        metadatas=[{"jurisdiction": code, "clause_id": ids[i]} for i in rows])
        counts[code] = len(rows)
    dense = JurisdictionCollections(parts, counts)
    assert dense.count() == 200

    for query in random_unit(rng, 10):
        for where in (None, {"jurisdiction": {"$in": ["BE", "EU", "CoE"]}}):
            expected = whole.query(query_embeddings=[query.tolist()], n_results=40, where=where,
                                   include=["metadatas", "distances"])
            got = dense.query(query_embeddings=[query.tolist()], n_results=40, where=where)
            assert got["ids"] == expected["ids"]
            assert got["metadatas"] == expected["metadatas"]
            assert np.allclose(got["distances"], expected["distances"], atol=1e-5)
    with pytest.raises(ValueError, match="only a jurisdiction filter"):
        dense.query(query_embeddings=[[0.0] * 16], where={"kind": "statute"})


def test_retiring_keeps_the_active_and_the_previous_generations(tmp_path):
    store = IndexStore(make_settings(tmp_path, KNOWLEDGE))
    for number in range(1, 7):
        for code in ("BE", "EU"):
            store.collection(jurisdiction_collection(f"knowledge--g{number:06d}", code),
                             create=True)
    store.collection("knowledge--g000000", create=True)  # layout 1, long retired
    dropped = retire_generations(store, "knowledge--g000004", keep=2)
    assert store.generations() == ["knowledge--g000002", "knowledge--g000003",
                                   "knowledge--g000004"]
    assert set(dropped) == {"knowledge--g000000", "knowledge--g000001", "knowledge--g000005",
                            "knowledge--g000006"}  # newer than the active one: half-built
    assert store.new_generation_name() == "knowledge--g000005"


def test_vector_cache_keeps_float32_vectors_across_processes_opening_it(tmp_path):
    first = VectorCache(tmp_path / "vectors.sqlite")
    vector = np.random.default_rng(1).normal(size=512).astype(np.float32).tolist()
    first.update({"a": vector, "b": [0.5, 0.25]})
    second = VectorCache(tmp_path / "vectors.sqlite")
    assert second["a"] == vector and "b" in second and "c" not in second
    assert sorted(second) == ["a", "b"] and len(second) == 2
    del second["b"]
    assert "b" not in first
    with pytest.raises(KeyError):
        first["b"]
    first.close()
    second.close()


def test_file_lock_is_taken_and_released(tmp_path):
    settings = make_settings(tmp_path, KNOWLEDGE)
    store = IndexStore(settings)
    with writer_lock(store):
        assert "pid" in (settings.chroma_path / "ingest.lock.owner").read_text()
    with writer_lock(store):  # released: taken again at once
        pass


@pytest.mark.server
def test_server_lock_of_a_dead_ingest_is_taken_over(tmp_path, chroma_server):
    settings = server_settings(tmp_path, KNOWLEDGE, chroma_server)
    store = IndexStore(settings)
    store.client.create_collection(f"{store.name}--lock", metadata={
        "owner": "dead", "holder": "pid 1 on elsewhere", "expires_at": time.time() - 1})
    waits: list[str] = []
    with writer_lock(store, on_wait=waits.append) as lock:
        assert isinstance(lock, ServerLock) and waits == []
        lock.confirm()
        meta = store.client.get_collection(f"{store.name}--lock").metadata
        assert meta["owner"] == lock.token
    names = [c.name for c in store.client.list_collections()]
    assert not any(name.startswith(f"{store.name}--lock") for name in names)
