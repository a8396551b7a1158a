"""``archive.json``: the machine-readable export other tools rely on (contract in the guide, section 2).

Deterministic: the same analysis gives the same bytes (fixed key order, lists in a defined order, no timestamps).
Safe to embed: ``<``, ``>``, ``&`` and the JavaScript line separators are written as ``\\u`` escapes, so a name
such as ``</script>`` can never close a script block of a consumer that inlines the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..analysis import gazetteer
from ..analysis.pipeline import ArchiveResult
from ..model import ArticleInfo
from .pages import Site, newest_first
from .presentation import headline_text
from .stories import newest_stories
from .structured import script_json


def safe_json(data: Any) -> str:
    """``archive.json``'s text: compact JSON with HTML-significant characters escaped (the same as JSON-LD's)."""
    return script_json(data)


def build(result: ArchiveResult, infos: Mapping[str, ArticleInfo], site: Site, version: str) -> dict[str, Any]:
    """The export as plain data, in the contract's shape and order. Every tag of an article is listed, best first
    (pages show the first ``NEWS_ARCHIVE_MAX_TAGS``); an entity's ``slug`` is its permanent address. ``quotes``: the
    article's direct quotations attributed to one of its people, in text order."""
    entities = result.entities.entities
    entity_pages, country_pages, address = site.entity_pages, site.country_pages, site.address
    names = gazetteer.country_names()
    articles = []
    for key in newest_first(list(infos), infos):
        info = infos[key]
        articles.append({
            "slug": info.key, "url": info.url, "title": headline_text(info.title), "date": info.date,
            "source_path": info.source_path, "source": info.source, "dateline": info.dateline,
            "entities": [{
                "name": entities[r.slug].name, "type": entities[r.slug].type, "slug": address.get(r.slug, r.slug),
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
            "story": site.story_of_article.get(key),
            "quotes": [{
                "text": q.text, "name": entities[q.speaker].name, "slug": address.get(q.speaker, q.speaker),
                "url": entity_pages[q.speaker].url if q.speaker in entity_pages else None, "said_as": q.said_as,
            } for q in result.quotes.get(key, ()) if q.speaker in entities],
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
            "name": entities[s].name, "type": entities[s].type, "slug": address.get(s, s),
            "url": entity_pages[s].url if s in entity_pages else None, "articles": article_count[s],
            "aliases": list(entities[s].aliases), "stories": len(site.stories_of_entity.get(s, ())),
        } for s in entity_list],
        "countries": [{
            "code": p.code, "name": p.name, "url": p.url,
            "articles": len(p.focus_articles) + len(p.mention_articles), "focus_articles": len(p.focus_articles),
        } for p in sorted(country_pages.values(),
                          key=lambda p: (-len(p.focus_articles), -len(p.mention_articles), p.code))],
        "stories": stories(site, infos),
    }


def stories(site: Site, infos: Mapping[str, ArticleInfo]) -> list[dict[str, Any]]:
    """The stories, newest first (by their last report): what their pages show, as data."""
    out = []
    for address in newest_stories(list(site.story_pages), site):
        page = site.story_pages[address]
        out.append({
            "slug": page.address, "url": page.url, "headline": page.headline, "first_date": page.first_date,
            "last_date": page.last_date, "outlets": list(page.outlets),
            "reports": [{
                "slug": r.key, "url": infos[r.key].url, "date": infos[r.key].date, "source": infos[r.key].source,
                "syndicated": r.syndicated, "shared_text": r.share, "shared_with": r.copy_of,
            } for r in page.reports],
            "entities": [{"name": name, "type": kind, "slug": site.address.get(slug, slug),
                          "url": site.entity_url(slug), "reports": n} for slug, name, kind, n in page.entities],
            "countries": [{"code": code, "name": site.country_pages[code].name if code in site.country_pages
                           else code, "reports": n, "focus": focus} for code, n, focus in page.countries],
        })
    return out
