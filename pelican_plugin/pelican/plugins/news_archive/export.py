"""``archive.json``: the machine-readable export other tools rely on (contract in the guide, section 2).

Deterministic: the same analysis gives the same bytes (fixed key order, lists in a defined order, no timestamps).
Safe to embed: ``<``, ``>``, ``&`` and the JavaScript line separators are written as ``\\u`` escapes, so a name
such as ``</script>`` can never close a script block of a consumer that inlines the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import gazetteer
from .model import ArticleInfo
from .pipeline import ArchiveResult
from .views import CountryPage, EntityPage, newest_first

_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def safe_json(data: Any) -> str:
    """JSON text with HTML-significant characters escaped (valid JSON, same data). Compact: the standard
    library's C encoder writes it (an indented file takes its pure-Python encoder, 20 times slower)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, esc in _UNSAFE.items():
        text = text.replace(char, esc)
    return text


def build(result: ArchiveResult, infos: Mapping[str, ArticleInfo], entity_pages: Mapping[str, EntityPage],
          country_pages: Mapping[str, CountryPage], version: str) -> dict[str, Any]:
    """The export as plain data, in the contract's shape and order."""
    entities = result.entities.entities
    names = gazetteer.country_names()
    articles = []
    for key in newest_first(list(infos), infos):
        info = infos[key]
        articles.append({
            "slug": info.key, "url": info.url, "title": info.title, "date": info.date,
            "source_path": info.source_path, "source": info.source, "dateline": info.dateline,
            "entities": [{
                "name": entities[r.slug].name, "type": entities[r.slug].type, "slug": r.slug,
                "url": entity_pages[r.slug].url if r.slug in entity_pages else None, "mentions": r.mentions,
            } for r in result.entities.by_article.get(key, [])],
            "countries": [{
                "code": c.code, "name": names.get(c.code, c.code), "mentions": c.mentions, "focus": c.focus,
                "url": country_pages[c.code].url if c.code in country_pages else None,
            } for c in result.countries.get(key, [])],
            "related": [{
                "slug": r.key, "url": infos[r.key].url, "score": r.score, "same_story": r.same_story,
                "shared": list(r.shared),
            } for r in result.related.get(key, []) if r.key in infos],
        })
    article_count: dict[str, int] = {}
    for refs in result.entities.by_article.values():
        for r in refs:
            article_count[r.slug] = article_count.get(r.slug, 0) + 1
    entity_list = sorted(article_count, key=lambda s: (-article_count[s], entities[s].name.lower(), s))
    return {
        "generator": {"name": "pelican-news-archive", "version": version, "model": result.model},
        "articles": articles,
        "entities": [{
            "name": entities[s].name, "type": entities[s].type, "slug": s,
            "url": entity_pages[s].url if s in entity_pages else None, "articles": article_count[s],
            "aliases": list(entities[s].aliases),
        } for s in entity_list],
        "countries": [{
            "code": p.code, "name": p.name, "url": p.url,
            "articles": len(p.focus_articles) + len(p.mention_articles), "focus_articles": len(p.focus_articles),
        } for p in sorted(country_pages.values(),
                          key=lambda p: (-len(p.focus_articles), -len(p.mention_articles), p.code))],
    }
