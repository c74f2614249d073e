"""Links to the article itself on the official sites that have article anchors."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
