"""``sitemap.xml`` (sitemaps.org protocol 0.9) from a list of page URLs. Pure and deterministic.

A page's ``lastmod`` is given only when it is known: an article with an unknown date has none, and an entity or
country page carries the newest known date of its articles. Same pages in, same bytes out (sorted by URL).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_SAFE = "/%:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class Entry:
    url: str  # relative to the site root, e.g. "articles/x/" ("" is the home page)
    lastmod: str | None = None  # W3C date (YYYY-MM-DD), or None when unknown


@functools.lru_cache(maxsize=1 << 16)
def absolute(site_url: str, url: str) -> str:
    """The page's address: ``SITEURL`` + ``/`` + URL (site-relative ``/url`` when ``SITEURL`` is empty).

    Characters a URL cannot hold (spaces, non-ASCII letters in a slug) are percent-encoded. Remembered: the same
    entity and country addresses are made absolute for every article that names them (JSON-LD, sitemap, feeds).
    """
    return f"{site_url.rstrip('/')}/{quote(url.lstrip('/'), safe=_SAFE)}"


def render(entries: Iterable[Entry], site_url: str) -> str:
    """The sitemap document. Duplicate URLs are listed once, keeping the newest ``lastmod``."""
    best: dict[str, str | None] = {}
    for entry in entries:
        if entry.url in best:
            known = [d for d in (best[entry.url], entry.lastmod) if d]
            best[entry.url] = max(known) if known else None
        else:
            best[entry.url] = entry.lastmod
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    for url in sorted(best):
        lines.append(f"<url><loc>{escape(absolute(site_url, url))}</loc>"
                     + (f"<lastmod>{escape(best[url] or '')}</lastmod>" if best[url] else "") + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
