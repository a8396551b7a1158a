"""schema.org structured data for article pages: plain article data in, a JSON-LD dict out; and a serialiser that
makes JSON safe to inline in ``<script type="application/ld+json">``.

Pure: no Pelican. Every value that comes from an article (headline, outlet, entity names) is untrusted, so
:func:`script_json` escapes ``<``, ``>`` and ``&`` (and the JavaScript line separators) as ``\\u`` escapes inside
JSON strings. The result is the same JSON data, but a name such as ``</script><script>…`` or ``<!--`` can never
close the script element or open an HTML comment.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..labels import SCHEMA_TYPES

CONTEXT = "https://schema.org"
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Mention:
    """An entity named in the article; ``url`` is its page in the archive, if it has one."""

    name: str
    type: str
    url: str | None = None


@dataclass(frozen=True)
class Place:
    """A country the article is about (``focus``) or mentions."""

    name: str
    code: str
    focus: bool
    url: str | None = None


def news_article(*, headline: str, url: str, date: str | None = None, modified: str | None = None,
                 source: str | None = None, dateline: str | None = None, description: str | None = None,
                 language: str | None = None, site_name: str | None = None,
                 mentions: Iterable[Mention] = (), places: Iterable[Place] = ()) -> dict[str, Any]:
    """A schema.org ``NewsArticle``. Unknown values are left out (never guessed): no date, no ``datePublished``.

    Focus countries become ``contentLocation`` and ``about``; other countries and every other entity become
    ``mentions``. The outlet is the ``publisher``; the archive itself is the ``isPartOf`` website.
    """
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "NewsArticle", "headline": headline, "url": url,
                            "mainEntityOfPage": {"@type": "WebPage", "@id": url}}
    if date:
        data["datePublished"] = date
        data["dateModified"] = modified or date
    if dateline:
        data["dateline"] = dateline
    if description:
        data["description"] = description
    if language:
        data["inLanguage"] = language
    if source:
        data["publisher"] = {"@type": "Organization", "name": source}
    if site_name:
        data["isPartOf"] = {"@type": "WebSite", "name": site_name}
    places = list(places)
    focus = [_country(p) for p in places if p.focus]
    if focus:
        data["contentLocation"] = focus
        data["about"] = focus
    # A country tagged as a place is listed once, as the Country (about it, or mentioned).
    countries = {p.name.casefold() for p in places}
    items = [_thing(m) for m in mentions if m.name.casefold() not in countries]
    items += [_country(p) for p in places if not p.focus]
    if items:
        data["mentions"] = items
    return data


def _thing(mention: Mention) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": SCHEMA_TYPES.get(mention.type, "Thing"), "name": mention.name}
    if mention.url:
        item["url"] = mention.url
    return item


def _country(place: Place) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Country", "name": place.name, "identifier": place.code}
    if place.url:
        item["url"] = place.url
    return item


def shorten(text: str, limit: int = 300) -> str:
    """``text`` with whitespace collapsed, cut at a word boundary to at most ``limit`` characters (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def script_json(data: Any) -> str:
    """Compact JSON text that is safe between ``<script type="application/ld+json">`` and ``</script>`` (and in
    ``archive.json``, which a page may inline). The standard library's C encoder writes it.

    The characters replaced can only occur inside JSON strings, where ``\\u003c`` means ``<``: parsing gives
    back exactly ``data``.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _UNSAFE.items():
        text = text.replace(char, escaped)
    return text
