"""Hybrid retrieval: dense search in Chroma fused with BM25, identifiers, glossary, country.

The fusion is rank-based (weighted reciprocal ranks) so that BM25's unbounded scores
cannot drown cross-lingual dense matches; exact legal identifiers add a fixed bonus.
Abstention looks at raw evidence (dense similarity, glossary and identifier hits).
"""

from __future__ import annotations

import numpy as np
from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings

from bot.index.records import QUESTION, clause_of_record
from bot.models import Clause, Passage
from bot.reference.countries import strip_countries, without_countries
from bot.reference.dates import dates_in
from bot.reference.jurisdictions import BENELUX, NATIONAL, SUPRANATIONAL
from bot.reference.jurisdictions import allowed as allowed_jurisdictions
from bot.reference.text import fold
from bot.retrieval.glossary import Glossary
from bot.retrieval.lexical import LexicalIndex, concept_token
from bot.retrieval.query import QueryFacts, analyse
from bot.retrieval.results import (
    ANSWER,
    NOT_COVERED,
    OFF_TOPIC,
    Evidence,
    Retrieval,
    RetrievalParams,
    ScoredClause,
)
from bot.retrieval.text import query_stems

STRUCTURAL_KEYS = frozenset({"intro", "preamble"})
CONTACTS_KEY = "contacts"
"""Key of the fact-sheet clause of each country that says whom to contact."""
OPENING_FORMULA_CHARS = 100
MINOR_FAMILY = "child"
"""Glossary family a question joins when it gives an age under 18 ("a 15-year-old")."""


class HybridRetriever:
    """Ranks the clauses of one index generation for a question."""

    def __init__(
        self,
        passages: list[Passage],
        clauses: dict[str, Clause],
        collection: Collection,
        embeddings: Embeddings,
        glossary: Glossary,
        params: RetrievalParams | None = None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        self.passages = passages
        self.clauses = clauses
        self.collection = collection
        self.embeddings = embeddings
        self.glossary = glossary
        self.params = params or RetrievalParams()
        # A saved index (built at ingest over the same passages, in this order) is loaded;
        # building one costs minutes at 100 times the corpus.
        self.lexical = lexical or LexicalIndex(passages, glossary)
        self._jurisdiction = np.array([p.clause.document.jurisdiction for p in passages])
        self._clause_of = [p.clause.id for p in passages]
        self._passage_by_id = {p.id: p for p in passages}
        self._first_passage: dict[str, Passage] = {}
        for passage in passages:
            self._first_passage.setdefault(passage.clause.id, passage)
        self._group_of = {cid: c.group_id for cid, c in clauses.items()}
        self._versions: dict[str, dict[str, str]] = {}
        self._group_documents: dict[str, set[str]] = {}
        for clause in clauses.values():
            self._versions.setdefault(clause.group_id, {})[clause.document.language] = clause.id
            self._group_documents.setdefault(clause.group_id, set()).add(clause.document.id)
        self._representative = {
            group: group if group in clauses else next(iter(versions.values()))
            for group, versions in self._versions.items()
        }

        self._contacts = [
            c for c in clauses.values() if c.key == CONTACTS_KEY and not c.document.translation_of
        ]
        self._keys: dict[str, list[str]] = {}
        for clause in clauses.values():
            self._keys.setdefault(clause.key, []).append(clause.id)
        # Titles, introductions, preambles and opening formulas ("Wij, ondergetekenden,")
        # frame a document but state no rule; they match many questions by their words alone.
        self._structural = {
            c.id for c in clauses.values()
            if c.key in STRUCTURAL_KEYS
            or (len(c.text) <= len(c.document.title) + 2  # fold only what can be equal
                and fold(c.text).strip(" .") == fold(c.document.title))
            or _opening_formula(c)
        }
        self._documents = {c.document.id: c.document for c in clauses.values()}
        self._doc_names = {
            doc.id: fold(f"{doc.id} {doc.title} {doc.short_title}").replace(" ", "")
            for doc in self._documents.values()
        }
        self._doc_dates = {doc.id: set(dates_in(doc.title)) for doc in self._documents.values()}
        self._minor_family = glossary.index_of(MINOR_FAMILY)

    def retrieve(
        self, question: str, countries: tuple[str, ...] = (), language: str | None = None
    ) -> Retrieval:
        """Rank clauses for a question, restricted to the countries' rules plus EU/CoE/Benelux.

        Args:
            question: The user's question.
            countries: Explicit restriction (``--country``); else the countries the question names.
            language: Show fact-sheet clauses in this language where a version exists.
        """
        p = self.params
        facts = analyse(question)
        countries = tuple(countries) or tuple(c for c in facts.countries if c in NATIONAL)
        allowed = allowed_jurisdictions(countries)
        family_indexes = self.glossary.match_indexes(question)
        minor = self._minor_family
        if facts.minor and minor is not None and minor not in family_indexes:
            family_indexes.append(minor)
        families = [self.glossary.families[i] for i in family_indexes]
        expansion = tuple(dict.fromkeys(term for f in families for _, term in f.terms))

        # The country selects jurisdictions; as words it would make every question about
        # Luxembourg look close to every clause about Luxembourg.
        dense, asked = self._dense(strip_countries(question) or question, allowed)
        # A stated age under 18 says who the question is about: the rules for children
        # weigh more than any one other concept of the question.
        boosted = {minor} if facts.minor and minor is not None else set()
        lexical = self._lexical(question, family_indexes, allowed, boosted)
        doc_hits = self._documents_named(facts)
        kind_hits = self._documents_described(facts)
        id_hits = self._identifier_hits(facts, doc_hits, allowed)

        # The language versions of a fact-sheet clause are one rule: each signal counts at
        # its best over the versions (the Dutch wording may match the words, the English
        # question the meaning), and the asker's language decides which version is shown.
        dense_of = self._by_group({c: s for c, (s, _) in dense.items()})
        asked_of = self._by_group(asked)
        lexical_of = self._by_group({c: s for c, (s, _) in lexical.items()})
        named = {self._group_of[c] for c in id_hits}
        documents = doc_hits | kind_hits

        # BM25 is normalised by the best hit so that neither its unbounded scale nor a
        # lucky same-language word overlap can drown a cross-lingual dense match.
        fused: dict[str, float] = {}
        top_lexical = max(lexical_of.values(), default=1.0) or 1.0
        for group in set(dense_of) | set(lexical_of) | named:
            score = p.dense_weight * max(0.0, dense_of.get(group, 0.0))
            score += p.question_weight * max(0.0, asked_of.get(group, 0.0))
            score += p.lexical_weight * lexical_of.get(group, 0.0) / top_lexical
            if group in named:
                score += p.identifier_bonus
            clause = self.clauses[self._representative[group]]
            document = clause.document
            if self._group_documents[group] & documents:
                score += p.document_bonus
            if clause.id in self._structural:
                score *= p.structural_weight
            if document.jurisdiction in countries or (
                len(countries) > 1 and document.jurisdiction == BENELUX
            ):
                # A question about one country wants that country's rule first; the
                # supranational rules stay as context behind it. Between two Benelux
                # countries the crossing is the topic, and the Benelux rules are its own.
                score += p.national_bonus
            elif not countries and document.jurisdiction in SUPRANATIONAL:
                # Without a country the rule that applies everywhere comes first, not one
                # country's version of it.
                score += p.supranational_bonus
            fused[group] = score
        ranked = sorted(fused.items(), key=lambda item: -item[1])
        results = tuple(
            self._scored(self._best_version(group, dense, lexical), score, dense, lexical,
                         language)
            for group, score in ranked[:20]
        )
        evidence = Evidence(
            dense=max((d for d, _ in dense.values()), default=0.0),
            strong_terms=sum(not f.weak for f in families),
            weak_terms=sum(f.weak for f in families),
            identifiers=bool(id_hits),
            documents=bool(doc_hits),
            practice=self.glossary.asks_practice(question),
        )
        verdict = decide(evidence, p) if results else OFF_TOPIC
        return Retrieval(
            results=results,
            verdict=verdict,
            countries=countries,
            facts=facts,
            expansion=expansion,
            contacts=self.contacts(countries, language) if verdict == NOT_COVERED else (),
            evidence=evidence,
        )

    def contacts(self, countries: tuple[str, ...], language: str | None) -> tuple[Clause, ...]:
        """The contact clauses (key ``contacts``) of the countries, or of all three.

        They are where the assistant points when it has no rule for a question.
        """
        wanted = countries or NATIONAL
        found = [
            self.clauses[self.version(c.id, language)]
            for c in self._contacts
            if c.document.jurisdiction in wanted
        ]
        return tuple(sorted(found, key=lambda c: wanted.index(c.document.jurisdiction)))

    def _dense(
        self, question: str, allowed: tuple[str, ...] | None
    ) -> tuple[dict[str, tuple[float, Passage]], dict[str, float]]:
        """Best similarity per clause (with its passage), and to a question the clause answers.

        The second mapping holds the clauses whose ``Questions:`` records were among the hits.
        """
        vector = self.embeddings.embed_query(question)
        where = {"jurisdiction": {"$in": list(allowed)}} if allowed else None
        hits = self.collection.query(
            query_embeddings=[vector],
            n_results=min(self.params.dense_k, max(1, len(self.passages))),
            where=where,
            include=["distances"],
        )
        best: dict[str, tuple[float, Passage]] = {}
        asked: dict[str, float] = {}
        for record_id, distance in zip(hits["ids"][0], hits["distances"][0], strict=True):
            clause_id, kind = clause_of_record(record_id)
            if clause_id not in self.clauses:
                continue
            similarity = 1.0 - float(distance)
            passage = self._passage_by_id.get(record_id) or self._first(clause_id)
            if clause_id not in best or similarity > best[clause_id][0]:
                best[clause_id] = (similarity, passage)
            if kind == QUESTION:
                asked[clause_id] = max(similarity, asked.get(clause_id, 0.0))
        return dict(sorted(best.items(), key=lambda item: -item[1][0])), asked

    def _lexical(
        self, question: str, family_indexes: list[int], allowed: tuple[str, ...] | None,
        boosted: set[int] = frozenset(),
    ) -> dict[str, tuple[float, Passage]]:
        # Country names only select jurisdictions; as search words they would favour any
        # clause that merely mentions the country.
        scores = self.lexical.scores(query_stems(without_countries(question)))
        for index in family_indexes:
            # Each concept the question names counts alike: by raw BM25 a rare one (a
            # setting named in two clauses) would outweigh a common one (a child) tenfold.
            concept = self.lexical.scores([concept_token(index)])
            top = float(concept.max()) if concept.size else 0.0
            if top > 0:
                weight = self.params.glossary_weight
                if index in boosted:
                    weight *= self.params.stated_age_weight
                scores = scores + weight * concept / top
        if allowed is not None and scores.size:
            scores = np.where(np.isin(self._jurisdiction, allowed), scores, 0.0)
        order = np.argsort(-scores)[: self.params.lexical_k * 3]
        ranked: dict[str, tuple[float, Passage]] = {}
        for index in order:
            if scores[index] <= 0:
                break
            clause_id = self._clause_of[index]
            ranked.setdefault(clause_id, (float(scores[index]), self.passages[index]))
            if len(ranked) >= self.params.lexical_k:
                break
        return ranked

    def _documents_named(self, facts: QueryFacts) -> set[str]:
        names = set()
        for ref in facts.document_refs:
            needle = ref.replace(" ", "")
            names.update(doc for doc, text in self._doc_names.items() if needle in text)
        for date in facts.dates:
            names.update(doc for doc, dates in self._doc_dates.items() if date in dates)
        return names

    def _documents_described(self, facts: QueryFacts) -> set[str]:
        # "het Verdrag van de Raad van Europa" names a convention of the CoE, not the fact
        # sheet on it: a named kind narrows a named body; a body alone names all its texts.
        kinds = {doc.id for doc in self._documents.values() if doc.kind in facts.kinds}
        bodies = {doc.id for doc in self._documents.values() if doc.jurisdiction in facts.bodies}
        if kinds and bodies:
            return (kinds & bodies) or kinds
        return kinds or bodies

    def _identifier_hits(
        self, facts: QueryFacts, documents: set[str], allowed: tuple[str, ...] | None
    ) -> list[str]:
        hits = []
        for key in facts.clause_keys:
            candidates = list(self._keys.get(key, []))
            if not candidates:  # "B8/3" names the section that B8/3.1, B8/3.2 … make up
                candidates = [
                    cid for k, ids in self._keys.items() if k.startswith(key + "-") for cid in ids
                ]
            label_token = key.split("-", 1)[-1].replace("-", "/")
            candidates += [
                c.id
                for c in self.clauses.values()
                if c.document.kind == "factsheet" and _names_identifier(c, label_token)
            ]
            if documents:
                narrowed = [c for c in candidates if self.clauses[c].document.id in documents]
                # "Article 13 of CETS 197" wants the convention's article, not the fact-sheet
                # clause about it that the reference also names.
                own = [c for c in narrowed if self.clauses[c].document.kind != "factsheet"]
                candidates = own or narrowed or candidates
            if allowed is not None:
                candidates = [
                    c for c in candidates if self.clauses[c].document.jurisdiction in allowed
                ]
            hits.extend(candidates)
        return list(dict.fromkeys(hits))

    def _first(self, clause_id: str) -> Passage:
        return self._first_passage[clause_id]

    def _by_group(self, scores: dict[str, float]) -> dict[str, float]:
        """Clause scores as rule scores: the best over the language versions of each clause."""
        grouped: dict[str, float] = {}
        for clause_id, score in scores.items():
            group = self._group_of[clause_id]
            if score > grouped.get(group, float("-inf")):
                grouped[group] = score
        return grouped

    def _best_version(
        self, group: str, dense: dict[str, tuple[float, Passage]],
        lexical: dict[str, tuple[float, Passage]],
    ) -> str:
        """The version of a rule whose passage matched best (for the highlight)."""
        versions = self._versions[group].values()
        matched = [c for c in versions if c in dense or c in lexical]
        return max(matched, key=lambda c: dense.get(c, (0.0, None))[0]) if matched else (
            self._representative[group]
        )

    def version(self, clause_id: str, language: str | None) -> str:
        """The id of the clause's version in ``language``, else English, else the original."""
        versions = self._versions[self._group_of[clause_id]]
        for wanted in (language, "en"):
            if wanted in versions:
                return versions[wanted]
        return self._group_of[clause_id] if self._group_of[clause_id] in self.clauses else clause_id

    def _scored(
        self,
        cid: str,
        score: float,
        dense: dict[str, tuple[float, Passage]],
        lexical: dict[str, tuple[float, Passage]],
        language: str | None,
    ) -> ScoredClause:
        shown = self.version(cid, language)
        passage = (
            dense.get(cid, (0.0, None))[1] or lexical.get(cid, (0.0, None))[1] or self._first(cid)
        )
        if shown != cid:
            passage = self._first(shown)
        return ScoredClause(
            clause=self.clauses[shown], score=score, dense=dense.get(cid, (0.0, None))[0],
            passage=passage,
        )


def decide(evidence: Evidence, p: RetrievalParams) -> str:
    """Answer, "not covered" or off topic, from the evidence (thresholds from the dev split).

    A named article or document, or a clause (or a question it answers) very close to the
    question, is an answer. A question in the domain's own words (a strong glossary term, or
    two everyday ones) is answered when a clause is close enough, else "not covered"; a
    question with one everyday word of the domain and a fairly close clause is "not
    covered"; any other is off topic: similarity alone does not tell a question about a
    highly skilled migrant visa from one about the victim's permit. A question that would be
    answered but asks how things go in practice (a waiting time, a statistic, a form) is
    "not covered": the rules nearby are shown, with the organisations that know the practice.
    """
    if evidence.identifiers or evidence.documents:
        return ANSWER
    if evidence.dense >= p.min_dense:
        verdict = ANSWER
    elif evidence.strong_terms > 0 or evidence.weak_terms >= 2:
        verdict = ANSWER if evidence.dense >= p.min_dense_with_terms else NOT_COVERED
    elif evidence.weak_terms and evidence.dense >= p.min_dense_everyday:
        verdict = NOT_COVERED
    else:
        verdict = OFF_TOPIC
    return NOT_COVERED if verdict == ANSWER and evidence.practice else verdict


def _opening_formula(clause: Clause) -> bool:
    """A short paragraph that only leads into the next ones ("Wij, ondergetekenden,")."""
    text = clause.text.strip()
    return len(text) <= OPENING_FORMULA_CHARS and text.endswith((",", ":"))


def _names_identifier(clause: Clause, identifier: str) -> bool:
    label = fold(clause.label)
    return f"art. {identifier}" in label or f"artikel {identifier}" in label or (
        f"article {identifier}" in label
    )
