"""Links in texts: web addresses, bare domains and e-mail addresses, and links to articles.

``links_in`` and ``covered`` serve the written-answer check (a sentence may give no
address its clauses do not give); ``article_link`` points a citation at the article
itself on the official sites that have article anchors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.reference.text import ABBREVIATIONS

_END = "<>\"'`)\\]}«»“”‘’|"
_URL = re.compile(rf"(?:https?://|www\.)[^\s{_END}]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# A bare domain ("evil-example.com/lu-help", "legilux.public.lu"): labels of letters,
# digits and hyphens and a top-level domain of letters, then an optional path.
_DOMAIN = re.compile(
    rf"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+[a-z]{{2,24}}(?![\w-])"
    rf"(?:/[^\s{_END}]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?"


@dataclass(frozen=True)
class Link:
    """A web address or an e-mail address, compared without scheme, ``www.`` and case.

    Attributes:
        host: Lower-case host name without ``www.``, or the whole e-mail address.
        path: Path, query and fragment without the trailing ``/`` ("" for a bare host).
        email: True for an e-mail address.
    """

    host: str
    path: str = ""
    email: bool = False

    def covers(self, other: Link) -> bool:
        """True when ``other`` names this address or a part of it (same host, leading path).

        ``legilux.public.lu`` and ``legilux.public.lu/eli`` are covered by
        ``https://legilux.public.lu/eli/etat``; ``legilux.public.lu/evil`` and
        ``lux.public.lu`` are not.
        """
        if self.email or other.email:
            return self.email == other.email and self.host == other.host
        if self.host != other.host:
            return False
        return not other.path or self.path == other.path or self.path.startswith(
            other.path + "/"
        )


def _link(raw: str) -> Link | None:
    text = raw.rstrip(_TRAILING).lower()
    if "@" in text and "/" not in text:
        return Link(text, email=True)
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    host, _, path = text.partition("/")
    host = host.split(":", 1)[0].rstrip(".")
    path = path.rstrip("/")
    if not host or host in ABBREVIATIONS:
        return None
    return Link(host, f"/{path}" if path else "")


def links_in(text: str) -> set[Link]:
    """Web addresses (with or without ``https://`` or ``www.``) and e-mail addresses.

    Abbreviations written like domains ("p.ex.", "z.B.") are not addresses.

    Args:
        text: Any text.

    Returns:
        The addresses found, each once.
    """
    found: set[Link] = set()
    rest = text
    for pattern in (_EMAIL, _URL, _DOMAIN):
        for match in pattern.finditer(rest):
            link = _link(match.group(0))
            if link is not None:
                found.add(link)
        # Blank what was read so that a URL's host is not read again as a bare domain.
        rest = pattern.sub(lambda m: " " * len(m.group(0)), rest)
    return found


def covered(link: Link, sources: set[Link]) -> bool:
    """True when one of ``sources`` covers ``link`` (see ``Link.covers``)."""
    return any(source.covers(link) for source in sources)


_ARTICLE_KEY = re.compile(r"art-(?P<number>[0-9a-z-]+)")
_BWB = re.compile(r"BWB[RV]\d{7}")


def article_link(document_url: str, clause_key: str, context: str = "") -> str:
    """The address of one article: EUR-Lex, wetten.overheid.nl and Legilux link to articles.

    Args:
        document_url: The official address of the whole text.
        clause_key: The clause key (``art-93``, ``art-3-48``, ``art-273f``); other clauses
            (recitals, paragraphs, sections) get the document's address.
        context: The clause heading, which may name the act a clause comes from when one
            file holds articles of several acts ("Vreemdelingenbesluit 2000 (BWBR0011825)").

    Returns:
        The article's address, or ``document_url`` where the site has no article anchors.
    """
    match = _ARTICLE_KEY.fullmatch(clause_key)
    host = urlsplit(document_url).netloc.lower()
    if not match or not host:
        return document_url
    number = match.group("number")
    if host.endswith("eur-lex.europa.eu") or host.endswith("legilux.public.lu"):
        return f"{document_url.split('#', 1)[0]}#art_{number.replace('-', '_')}"
    if host.endswith("wetten.overheid.nl"):
        act = _BWB.search(context) or _BWB.search(document_url)
        if act:
            # Juriconnect references resolve to the article in the text in force today.
            article = number.replace("-", ".")
            return f"https://wetten.overheid.nl/jci1.3:c:{act.group(0)}&artikel={article}"
    return document_url
