"""What a news page says about itself: schema.org JSON-LD, Open Graph and ``<meta>`` tags.

A news page states its headline, publication date, outlet, author and section in markup meant for machines
(search engines and social sites read them), and that markup is more reliable than anything read from the
layout: a section's ``<h1>`` is not the headline, a "Sun, 11 Oct 2020" in the sidebar is not the date. So the
news layer reads these first: schema.org ``NewsArticle``/``Article`` (also inside ``@graph``), then Open Graph
and ``<meta>``. Values are returned as written; checking them is the callers' job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

# schema.org types whose headline/datePublished describe the page's article.
_ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report", "scholarlyarticle",
    "techarticle", "socialmediaposting",
})
_DATE_META = ("article:published_time", "datePublished", "og:published_time", "og:article:published_time",
              "pubdate", "publishdate", "publish-date", "date", "dc.date.issued", "dc.date", "dcterms.created",
              "sailthru.date", "parsely-pub-date", "article.published", "published_time")


@dataclass
class PageMeta:
    """The page's own statements about its article (None / empty where it says nothing)."""

    headline: str | None = None
    og_title: str | None = None
    site_name: str | None = None
    author: str | None = None
    section: str | None = None
    url: str | None = None
    dates: list[tuple[str, str]] = field(default_factory=list)  # (where, value as written), best first


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    """The first non-empty ``content`` of a ``<meta>`` whose property/name/itemprop is one of ``keys``."""
    wanted = {k.casefold() for k in keys}
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            content = tag.get("content")
            if isinstance(key, str) and key.casefold() in wanted and isinstance(content, str) and content.strip():
                found.setdefault(key.casefold(), content.strip())
    for key in keys:
        if key.casefold() in found:
            return found[key.casefold()]
    return None


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.casefold() for k in kinds if isinstance(k, str)}


def _nodes(value: object) -> list[dict]:
    """Every JSON-LD object in ``value``, ``@graph`` members and nested lists included."""
    out: list[dict] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return out


def _name(value: object) -> str | None:
    """A person's or organisation's name from a JSON-LD value (text, object or list of them)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _article_nodes(soup: BeautifulSoup) -> list[dict]:
    nodes: list[dict] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (json.JSONDecodeError, TypeError):
            continue  # broken JSON-LD is common; the page's other markup still counts
        nodes.extend(n for n in _nodes(data) if _types(n) & _ARTICLE_TYPES)
    return nodes


def _first(nodes: list[dict], key: str) -> object:
    for node in nodes:
        value = node.get(key)
        if value:
            return value
    return None


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def read_page_meta(soup: BeautifulSoup) -> PageMeta:
    """The metadata ``soup`` states: JSON-LD first, then Open Graph and ``<meta>`` tags."""
    nodes = _article_nodes(soup)
    meta = PageMeta(
        headline=_text(_first(nodes, "headline")),
        og_title=_text(_meta(soup, "og:title", "twitter:title")),
        site_name=_name(_first(nodes, "publisher")) or _text(_meta(soup, "og:site_name", "application-name")),
        author=_name(_first(nodes, "author")),
        section=_text(_first(nodes, "articleSection")) or _text(_meta(soup, "article:section")),
        url=_text(_first(nodes, "url")) if isinstance(_first(nodes, "url"), str) else None,
    )
    if meta.author is None:
        author = _meta(soup, "author", "article:author", "dc.creator", "byl", "sailthru.author")
        if author and not author.startswith(("http://", "https://")):
            meta.author = " ".join(author.split())
    og_url = _meta(soup, "og:url")
    canonical = soup.find("link", rel="canonical")
    href = canonical.get("href") if isinstance(canonical, Tag) else None
    meta.url = og_url or (href if isinstance(href, str) else None) or meta.url
    published = _first(nodes, "datePublished")
    if isinstance(published, str):
        meta.dates.append(("schema.org datePublished", published))
    stated = _meta(soup, *_DATE_META)
    if stated:
        meta.dates.append(("meta", stated))
    for time in soup.find_all("time"):
        value = time.get("datetime")
        if isinstance(value, str) and value.strip() and time.get("pubdate") is not None:
            meta.dates.append(("time pubdate", value.strip()))
    return meta
