"""A news page's headline, without the site's name.

Pages title themselves for browser tabs and search results ("Obama admits ... - BBC News", "Example News |
Port strike ends"), so the page's ``<title>`` and often ``og:title`` carry the outlet's name. The headline is
taken from the page's own statements, best first: schema.org ``headline``, ``og:title``, ``<title>``, and only
then an ``<h1>`` (outside an article it is often a section's or the site's heading). The site's name is cut
when it stands at either end after a separator; a part is recognised as the site's name when the page says so
(``og:site_name``, JSON-LD ``publisher``) or when the headline elsewhere on the page is the other part.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .page_meta import PageMeta
from .paragraphs import collapse

_SEPARATORS = re.compile(r"\s+(?:[|–—·•»:]|-{1,2}|::)\s+")


def _same(a: str, b: str) -> bool:
    return collapse(a).casefold() == collapse(b).casefold()


def strip_site_name(title: str, site_names: list[str], headlines: list[str]) -> str:
    """``title`` without a site name at its start or end ("Dam opens | River News" → "Dam opens")."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _SEPARATORS.findall(title)
    for name in site_names:
        if _same(parts[-1], name):
            return "".join(p + s for p, s in zip(parts[:-2], seps[:-1], strict=False)) + parts[-2]
        if _same(parts[0], name):
            return title[len(parts[0]) + len(seps[0]):]
    for headline in headlines:
        for cut in range(1, len(parts)):
            head = title[: title.rfind(seps[cut - 1], 0, len(title))] if cut == len(parts) - 1 else None
            if head and _same(head, headline):
                return head
        if _same(parts[0], headline):
            return parts[0]
    return title


def _h1(soup: BeautifulSoup) -> str | None:
    for scope in (soup.find("article"), soup):
        if isinstance(scope, Tag):
            h1 = scope.find("h1")
            if isinstance(h1, Tag) and collapse(h1.get_text()):
                return collapse(h1.get_text())
    return None


def page_title(meta: PageMeta, soup: BeautifulSoup) -> str | None:
    """The headline the page states, without the site's name (None when the page states none)."""
    html_title = collapse(soup.title.get_text()) if soup.title is not None else ""
    h1 = _h1(soup)
    site_names = [n for n in (meta.site_name,) if n]
    headlines = [h for h in (meta.headline, h1) if h]
    for candidate in (meta.headline, meta.og_title, html_title or None, h1):
        if candidate:
            stripped = strip_site_name(candidate, site_names, headlines)
            if stripped:
                return stripped
    return None
