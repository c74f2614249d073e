"""``python ingest.py --check``: what a maintainer must look at, without touching the index.

Errors (exit status 1): a fact-sheet clause without a verification line, a link to an address
that is not on the allow-list of official sites (``official-domains.yaml``), a phone number
without an official page as its source, language versions that disagree, a ``Basis:`` id
that its (indexed) official text does not have, a language version without its original.
Warnings: clauses whose heading names no legal reference, unverified clauses, documents past
their review date, official texts not indexed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import KnowledgeError
from bot.knowledge.clauses import own_heading, split_clauses
from bot.knowledge.documents import due_for_review, load_knowledge, load_yaml_mapping
from bot.knowledge.folders import extra_folders, manifest_sources, missing_sources
from bot.knowledge.versions import disagreement, unknown_basis
from bot.models import Clause, Document, Verification
from bot.reference.contacts import PHONE
from bot.settings import Settings

DOMAINS_FILE = "official-domains.yaml"
_LINK = re.compile(r"https?://[^\s<>\"')\]]+")
# What a heading names when it gives the legal reference: an article, a section of a circular,
# a convention, directive, regulation, judgment or act.
_REFERENCE = re.compile(
    r"\b(?:art(?:icle|ikel|\.)?s?|§|cets|stce|sev|directive|richtlijn|richtlinie|regulation|"
    r"verordening|verordnung|règlement|reglement|c-\d+/\d+|[a-c]\d{1,2}/\d|loi|wet|law|act|"
    r"gesetz|code|circular|circulaire|omzendbrief|rundschreiben|aanwijzing|declaration|"
    r"déclaration|verklaring|erklärung|koninklijk|arrêté|royal decree|rgd|vc|vb|vw|sr|sv)\b"
    r"|\w+(?:wet|gesetz|gesetzes|erklärung)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One thing to fix (error) or to look at (warning)."""

    error: bool
    where: str
    message: str

    def __str__(self) -> str:
        return f"{'error' if self.error else 'warning'}: {self.where}: {self.message}"


@dataclass
class CheckReport:
    """All findings of a knowledge check."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """The findings that make the check fail."""
        return [f for f in self.findings if f.error]

    def add(self, error: bool, where: str, message: str) -> None:
        """Record a finding."""
        self.findings.append(Finding(error, where, message))

    def summary(self) -> str:
        """One closing line."""
        errors = len(self.errors)
        return (f"knowledge check: {errors} error(s), {len(self.findings) - errors} warning(s)"
                + ("" if errors else " — passed"))


def official_domains(knowledge_dir: Path) -> tuple[str, ...] | None:
    """The allow-list of official sites of a knowledge folder, or None when it has none.

    Raises:
        KnowledgeError: the file is not a mapping with a list of domains.
    """
    path = Path(knowledge_dir) / DOMAINS_FILE
    if not path.is_file():
        return None
    data = load_yaml_mapping(path.read_text(encoding="utf-8"), path)
    domains = data.get("domains")
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise KnowledgeError(path, "must be a list of domain names", "domains")
    return tuple(d.strip().lower().lstrip(".") for d in domains if d.strip())


def is_official(url: str, domains: Sequence[str]) -> bool:
    """Whether an address is on one of the allowed sites (or a subdomain of one)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith(f".{d}") for d in domains)


def check_knowledge(settings: Settings, today: dt.date | None = None) -> CheckReport:
    """Check the knowledge folder (with the official texts the index would hold).

    Args:
        settings: Where the knowledge folder, the downloads and the mirror are.
        today: Date for the review flag (tests).

    Raises:
        KnowledgeError: a file cannot be read at all (the ingest would refuse it too).
    """
    today = today or dt.date.today()
    report = CheckReport()
    documents = load_knowledge(settings.knowledge_dir, extra_folders(settings))
    clauses = {d.meta.id: split_clauses(d) for d in documents}
    everything = [c for found in clauses.values() for c in found]
    domains = official_domains(settings.knowledge_dir)
    if domains is None:
        report.add(True, str(Path(settings.knowledge_dir) / DOMAINS_FILE),
                   "missing: list the official sites links may point to")
        domains = ()
    own_ids = {d.meta.id for d in load_knowledge(settings.knowledge_dir)}
    own = [d for d in documents if d.meta.id in own_ids]
    for document in own:
        _check_document(report, document, clauses[document.meta.id], domains, documents, clauses)
        if due_for_review(document.meta, today, settings.review_after_days):
            report.add(False, _where(document), f"review due (version_date "
                       f"{document.meta.version_date.isoformat()})")
    sources = manifest_sources(settings)
    for warning in unknown_basis(everything, {s.id for s in sources}):
        # A typo (the text is indexed but has no such article) is an error; a text that is
        # not indexed here (no download, no mirror) only a warning.
        report.add("does not have" in warning, "Basis", warning)
    missing = missing_sources(sources, documents)
    if missing:
        report.add(False, "sources.yaml", f"official texts not indexed: {', '.join(missing)}")
    return report


def _check_document(
    report: CheckReport, document: Document, found: list[Clause], domains: Sequence[str],
    documents: Sequence[Document], clauses: dict[str, list[Clause]],
) -> None:
    meta = document.meta
    where = _where(document)
    for url in _links(meta.source_url):
        if not is_official(url, domains):
            report.add(True, where, f"source_url {url} is not an official address")
    if meta.kind != "factsheet":
        return
    original = None
    if meta.translation_of:
        original = {c.key: c for c in clauses.get(meta.translation_of, [])}
        if not original:
            report.add(True, where, f"translation_of names {meta.translation_of}, "
                       "which is not in the knowledge folder")
    for clause in found:
        if clause.key == "intro":
            continue
        heading = own_heading(clause)
        at = f"{where} › {heading}"
        if not clause.refs.verification:
            report.add(True, at, "no Verification: line")
        elif not meta.translation_of and clause.refs.status is not Verification.CHECKED:
            report.add(False, at, f"{clause.refs.status.value}: {clause.refs.verification}")
        if not _REFERENCE.search(heading):
            report.add(False, at, "the heading names no legal reference")
        for url in [*_links(clause.text), *clause.refs.sources]:
            if not is_official(url, domains):
                report.add(True, at, f"link {url} is not an official address")
        if PHONE.search(clause.text) and not any(
            is_official(u, domains) for u in clause.refs.sources
        ):
            report.add(True, at, "a phone number without an official page as Source:")
        if original and clause.key in original:
            problem = disagreement(clause, original[clause.key])
            if problem:
                report.add(True, at, f"{problem} than {meta.translation_of}")
    if original is not None and original:
        keys = [c.key for c in found]
        if keys != list(original):
            report.add(True, where, f"clauses differ from {meta.translation_of} "
                       f"(keys or their order)")


def _links(text: str) -> Iterable[str]:
    return (u.rstrip(".,;:") for u in _LINK.findall(text))



def _where(document: Document) -> str:
    return document.meta.path or document.meta.id
