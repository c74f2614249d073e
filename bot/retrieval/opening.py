"""Opening the active generation for retrieval: a load of the files the ingest kept.

The passages and the lexical index (BM25 with glossary concepts) come from the files beside
the generation (``bot.index.artifacts``); only when they are missing or stale (another
machine in server mode, a changed glossary) are they rebuilt, and then saved for the next
process. Dense search goes to Chroma, one collection per jurisdiction.
"""

from __future__ import annotations

import logging

from langchain_core.embeddings import Embeddings

from bot.errors import IndexUnavailable
from bot.index.artifacts import GenerationFiles, lexical_key, passage_order
from bot.index.records import assemble_clauses, is_passage, record_to_passage
from bot.index.store import LAYOUT, IndexStore
from bot.retrieval.dense import JurisdictionCollections
from bot.retrieval.glossary import Glossary
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.lexical import LexicalIndex
from bot.retrieval.results import RetrievalParams
from bot.settings import Settings

log = logging.getLogger(__name__)


class GenerationGone(IndexUnavailable):
    """The generation the pointer named was retired while it was being opened."""


def open_retriever(
    settings: Settings,
    store: IndexStore,
    active: dict,
    embeddings: Embeddings,
    glossary: Glossary,
    params: RetrievalParams,
) -> HybridRetriever:
    """The retriever over the generation the pointer ``active`` names.

    Raises:
        GenerationGone: the generation no longer exists (retired, or a dangling pointer).
        IndexUnavailable: the index was built by an older version.
    """
    generation = active["generation"]
    if active.get("layout") != LAYOUT:
        raise IndexUnavailable(
            "the index was built by an older version of the assistant: run "
            "`python ingest.py` to bring it up to date"
        )
    names = store.collection_names(generation)
    if not names:
        raise GenerationGone(
            f"the index pointer names {generation}, which does not exist: run "
            "`python ingest.py` to repair the index"
        )
    collections, ids = {}, {}
    for name in names:
        collection = store.collection(name)
        collections[name.rsplit("--", 1)[1]] = collection
        ids[name] = str(collection.id)

    files = GenerationFiles(settings, generation)
    identity = files.identity(ids)
    # Sizes come from the files when they are for these collections: Chroma counts slowly.
    sizes = identity["counts"] if identity else {name: store.collection(name).count()
                                                 for name in names}
    counts = {name.rsplit("--", 1)[1]: int(size) for name, size in sizes.items()}
    records = files.passages(ids) if identity else None
    if records is None:
        log.info("no saved passages for %s here: reading them from Chroma", generation)
        records = [r for r, _ in store.iter_records(generation)
                   if is_passage(r.metadata)]
        records.sort(key=lambda r: passage_order(r.metadata))
        _save(lambda: files.save_passages(ids, sizes, records))
    documents: dict = {}
    passages = [record_to_passage(r.id, r.text, r.metadata, documents) for r in records]
    key = lexical_key(settings.knowledge_dir)
    lexical = files.lexical(key)
    if lexical is None:
        log.info("building the lexical index of %s (glossary or code changed)", generation)
        lexical = LexicalIndex(passages, glossary)
        _save(lambda: files.save_lexical(lexical, key))
    return HybridRetriever(
        passages=passages,
        clauses=assemble_clauses(passages),
        collection=JurisdictionCollections(collections, counts),
        embeddings=embeddings,
        glossary=glossary,
        params=params,
        lexical=lexical,
    )


def _save(write) -> None:
    try:
        write()
    except OSError as exc:  # a read-only data folder costs speed at the next opening only
        log.warning("could not save index files for the next opening: %s", exc)
