"""The answering service shared by the command line and the Telegram bot."""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from chromadb.errors import ChromaError
from langchain_core.embeddings import Embeddings

from bot.answering import warmup
from bot.answering.conversation import follow_up
from bot.answering.extractive import compose
from bot.answering.question import plain_question
from bot.errors import IndexUnavailable, QuestionError, QuestionProblem
from bot.index.embeddings import make_embeddings
from bot.index.store import IndexStore, is_connection_problem
from bot.locales import plain
from bot.models import Answer, Citation, Clause, DocumentMeta
from bot.reference.jurisdictions import NATIONAL
from bot.reference.languages import LANGUAGES, detect_language
from bot.retrieval.glossary import Glossary
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.opening import GenerationGone, open_retriever
from bot.retrieval.results import Retrieval, RetrievalParams
from bot.settings import LLMSettings, Settings

log = logging.getLogger(__name__)


class AnswerWriter(Protocol):
    """Turns an extractive answer into a verified written one, or returns it unchanged."""

    def write(self, answer: Answer) -> Answer:
        """Return a written answer, or the given one."""
        ...


class AnsweringService:
    """Answers questions from the index; one instance per process, safe across threads.

    The index is opened on first use and kept; ``reload`` reopens it. When Chroma is
    unreachable, calls raise ``IndexUnavailable`` and the next call tries again, so
    the service recovers by itself once the server is back.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embeddings: Embeddings | None = None,
        params: RetrievalParams | None = None,
        writer: AnswerWriter | None = None,
    ) -> None:
        self.settings = settings
        self.params = params or RetrievalParams()
        self.writer = writer
        self._embeddings = embeddings
        self._retriever: HybridRetriever | None = None
        self._generation: str | None = None
        self._lock = threading.Lock()

    # -- index -----------------------------------------------------------------------------
    def _open(self) -> HybridRetriever:
        return self._open_generation()[0]

    def _open_generation(self) -> tuple[HybridRetriever, str]:
        """The open retriever and the generation it reads (opened on first use)."""
        with self._lock:
            if self._retriever is not None:
                return self._retriever, self._generation
            started = time.perf_counter()
            if self._embeddings is None:
                self._embeddings = make_embeddings(self.settings)
                self._warm_up(getattr(self._embeddings, "warm", None))
            store = IndexStore(self.settings)
            active = store.active()
            if not active:
                raise IndexUnavailable(
                    "no index yet: run `python ingest.py` to build it from the knowledge folder"
                )
            if active.get("embedding_model") != self._embeddings.model_id:
                raise IndexUnavailable(
                    f"the index was built with {active.get('embedding_model')} but "
                    f"EMBEDDING_BACKEND gives {self._embeddings.model_id}: "
                    "rebuild it with `python ingest.py --rebuild`"
                )
            generation = active["generation"]
            try:
                self._retriever = open_retriever(
                    self.settings, store, active, self._embeddings,
                    Glossary.load(self.settings.knowledge_dir), self.params,
                )
            except IndexUnavailable:
                raise
            except Exception as exc:
                if self._moved_on(generation):  # retired by an ingest while we opened it
                    raise GenerationGone(f"index generation {generation} was retired") from exc
                raise IndexUnavailable(f"cannot read the index: {exc}") from exc
            self._generation = generation
            log.info(
                "index %s opened: %d clauses in %.2f s",
                generation,
                len(self._retriever.clauses),
                time.perf_counter() - started,
            )
            return self._retriever, generation

    def _warm_up(self, load_model) -> None:
        """Load the model and the language identifier in threads while the index opens."""
        if load_model is not None:
            warmup.start("warm-model", load_model)
        warmup.warm_language()

    def reload(self) -> None:
        """Reopen the index (after an ingest), without a restart."""
        with self._lock:
            self._retriever = None
        self._open()

    @property
    def generation(self) -> str | None:
        """Name of the index generation in use."""
        return self._generation

    # -- questions -------------------------------------------------------------------------
    def validate(self, question: str, language: str | None = None) -> tuple[str, str]:
        """Strip a question of markup, check its length and settle its answer language.

        Returns:
            The cleaned question and the answer language (given, else detected).

        Raises:
            QuestionError: empty or longer than MAX_QUESTION_CHARS.
        """
        cleaned = plain_question(question or "")
        lang = language if language in LANGUAGES else detect_language(cleaned)
        if not any(ch.isalnum() for ch in cleaned):
            raise QuestionError(QuestionProblem.EMPTY, plain(QuestionProblem.EMPTY, lang))
        limit = self.settings.max_question_chars
        if len(cleaned) > limit:
            values = {"length": len(cleaned), "limit": limit}
            raise QuestionError(
                QuestionProblem.TOO_LONG, plain(QuestionProblem.TOO_LONG, lang, **values), **values
            )
        return cleaned, lang

    def retrieve(
        self, question: str, country: str | None = None, language: str | None = None
    ) -> Retrieval:
        """Rank clauses for a (validated) question; fact sheets shown in ``language``.

        A generation retired by an ingest while this process still used it is left for the
        current one, once, without the asker noticing; only then is the index unavailable.
        """
        countries = (country.upper(),) if country and country.upper() in NATIONAL else ()
        retried = False
        while True:
            try:
                retriever, generation = self._open_generation()
            except GenerationGone:
                if retried:
                    raise
                retried = True  # the pointer moved on meanwhile: read it again
                continue
            try:
                return retriever.retrieve(question, countries, language)
            except Exception as exc:
                chroma = is_connection_problem(exc) or isinstance(exc, ChromaError)
                # Chroma reports a collection deleted under a query in several ways
                # (not found, "missing metadata segment", hits whose metadata is None
                # when another process deletes it mid-query); what matters is whether the
                # pointer has moved on from the generation this process was reading.
                if not retried and self._moved_on(generation):
                    self._forget(retriever)
                    retried = True
                    continue
                if not chroma:
                    raise
                self._forget(retriever)
                raise IndexUnavailable(f"Chroma is unreachable: {exc}") from exc

    def _moved_on(self, generation: str) -> bool:
        """Whether the pointer now names another generation than ``generation``."""
        try:
            active = IndexStore(self.settings).active()
        except Exception:  # Chroma unreachable: nothing has moved that we can see
            return False
        return bool(active) and active.get("generation") != generation

    def _forget(self, retriever: HybridRetriever) -> None:
        """Drop the open index, unless another thread already replaced it."""
        with self._lock:
            if self._retriever is retriever:
                self._retriever = None

    def answer(self, question: str, *, country: str | None = None,
               language: str | None = None, context: str | None = None) -> Answer:
        """Answer a question.

        Args:
            question: The question in nl, fr, de or en.
            country: Restrict to BE, NL or LU plus the supranational documents.
            language: Answer language; detected from the question when None.
            context: The previous question of the conversation: a follow-up ("and in
                Belgium?", "risque-t-il des poursuites ?") inherits its country and topic.

        Returns:
            The answer with its citations in rank order.

        Raises:
            QuestionError: empty or over-long question.
            IndexUnavailable: no index, another embedding model, or Chroma unreachable.
        """
        return self.respond(question, country=country, language=language, context=context)[0]

    def respond(self, question: str, *, country: str | None = None,
                language: str | None = None, context: str | None = None,
                ) -> tuple[Answer, Retrieval]:
        """Like `answer`, also returning the full ranking behind it (for evaluation)."""
        cleaned, lang = self.validate(question, language)
        follow = follow_up(cleaned, context, country)
        retrieval = self.retrieve(follow.search_text, follow.country or country, lang)
        answer = compose(
            cleaned,
            lang,
            retrieval,
            self.params,
            review_after_days=self.settings.review_after_days,
            inherited_country=follow.inherited_country,
            clauses=self._open().clauses,
        )
        if self.writer is not None and answer.grounded:
            answer = self.writer.write(answer)
        return answer, retrieval

    def clause(self, clause_id: str) -> Clause | None:
        """The whole clause with this id, or None."""
        return self._open().clauses.get(clause_id)

    def sources(self) -> list[DocumentMeta]:
        """The indexed documents, sorted by jurisdiction and title."""
        documents = {c.document.id: c.document for c in self._open().clauses.values()}
        return sorted(documents.values(), key=lambda d: (d.jurisdiction, d.display_title))

    def citation(self, clause_id: str) -> Citation | None:
        """The clause with this id as a citation (link, verification, official basis), or None."""
        clauses = self._open().clauses
        clause = clauses.get(clause_id)
        if clause is None:
            return None
        return Citation.from_clause(
            clause, 0.0, original=clauses.get(clause.group_id),
            basis=tuple(clauses[b] for b in clause.refs.basis if b in clauses),
        )


def build_service(settings: Settings, llm: LLMSettings | None = None) -> AnsweringService:
    """The answering service, with verified written answers when an LLM is configured.

    Args:
        settings: Index and retrieval settings.
        llm: Language model settings; read from the environment when None.
    """
    llm = llm or LLMSettings()
    writer = None
    if llm.llm_provider.strip().lower() != "none":
        # An optional extra, imported only when used.
        from bot.answering.written.answerer import WrittenAnswerer

        writer = WrittenAnswerer.from_settings(llm)
    return AnsweringService(settings, writer=writer)
