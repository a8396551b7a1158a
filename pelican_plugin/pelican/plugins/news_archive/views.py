"""Page models for entity and country pages, built in one pass over the articles (no per-page scan).

Pure: from the analysis and a little article information to plain records the adapter renders with templates.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import gazetteer
from .canonicalise import slugify
from .model import ArticleInfo, CountryRef, Entity, EntityIndex
from .settings import ArchiveSettings

TYPE_LABELS = {
    "PERSON": "People", "ORG": "Organisations", "GPE": "Places", "LOC": "Locations", "FAC": "Facilities",
    "NORP": "Groups and nationalities", "EVENT": "Events", "LAW": "Laws and treaties", "PRODUCT": "Products",
    "WORK_OF_ART": "Works",
}
TYPE_ORDER = tuple(TYPE_LABELS)
CO_MENTION_TAGS = 10  # only an article's first tags count towards "often mentioned with"


def flag(code: str) -> str:
    """The flag emoji of an ISO alpha-2 code (regional indicator symbols)."""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code.upper() if "A" <= c <= "Z")


def newest_first(keys: Sequence[str], infos: Mapping[str, ArticleInfo]) -> list[str]:
    """Newest first; unknown dates last; ties by slug."""
    dated = sorted(k for k in keys if infos[k].date)
    dated.sort(key=lambda k: infos[k].date or "", reverse=True)  # stable: equal dates stay in slug order
    return dated + sorted(k for k in keys if not infos[k].date)


def has_feed(pattern: str, keys: Sequence[str], infos: Mapping[str, ArticleInfo]) -> bool:
    """A page gets an Atom feed when feeds are on and one of its articles has a date: a feed announces news by
    date, and an article whose date is unknown has none to give (it is never given a made-up one)."""
    return bool(pattern) and any(infos[k].date for k in keys if k in infos)


def feed_articles(keys: Sequence[str], infos: Mapping[str, ArticleInfo], limit: int) -> list[str]:
    """The dated articles of a page, newest first, at most ``limit`` (0: all): what its feed carries."""
    dated = [k for k in newest_first(keys, infos) if infos[k].date]
    return dated[:limit] if limit else dated


@dataclass(frozen=True)
class EntityPage:
    entity: Entity
    url: str
    save_as: str
    feed_url: str
    feed_save_as: str
    articles: tuple[str, ...]  # article keys, newest first
    mentions: int
    co_mentioned: tuple[tuple[str, int], ...]  # (entity slug, shared articles), most first


@dataclass(frozen=True)
class CountryPage:
    code: str
    name: str
    slug: str
    flag: str
    url: str
    save_as: str
    feed_url: str
    feed_save_as: str
    focus_articles: tuple[str, ...]
    mention_articles: tuple[str, ...]


def entity_pages(index: EntityIndex, infos: Mapping[str, ArticleInfo], settings: ArchiveSettings
                 ) -> dict[str, EntityPage]:
    """A page per entity mentioned in at least ``entity_page_min_articles`` articles."""
    articles: dict[str, list[str]] = defaultdict(list)
    mentions: Counter[str] = Counter()
    for key in sorted(index.by_article):
        for ref in index.by_article[key]:
            articles[ref.slug].append(key)
            mentions[ref.slug] += ref.mentions
    minimum = max(1, settings.entity_page_min_articles)
    paged = {slug for slug, keys in articles.items() if len(keys) >= minimum or index.entities[slug].pinned}
    co: dict[str, Counter[str]] = defaultdict(Counter)
    for key in sorted(index.by_article):
        top = [r.slug for r in index.by_article[key][:CO_MENTION_TAGS] if r.slug in paged]
        for a in top:
            for b in top:
                if a != b:
                    co[a][b] += 1
    pages: dict[str, EntityPage] = {}
    for slug in sorted(paged):
        fmt = {"slug": slug}
        feed = settings.entity_feed_atom.format(**fmt) if has_feed(settings.entity_feed_atom, articles[slug], infos) \
            else ""
        pages[slug] = EntityPage(
            entity=index.entities[slug], url=settings.entity_url.format(**fmt),
            save_as=settings.entity_save_as.format(**fmt), feed_url=feed, feed_save_as=feed,
            articles=tuple(newest_first(articles[slug], infos)), mentions=mentions[slug],
            co_mentioned=tuple(sorted(co[slug].items(), key=lambda kv: (-kv[1], kv[0]))[:12]))
    return pages


def country_pages(countries: Mapping[str, list[CountryRef]], infos: Mapping[str, ArticleInfo],
                  settings: ArchiveSettings) -> dict[str, CountryPage]:
    """A page per country with at least one article: focus articles first, then mentions."""
    focus: dict[str, list[str]] = defaultdict(list)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for key in sorted(countries):
        for ref in countries[key]:
            (focus if ref.focus else mentioned)[ref.code].append(key)
    names = gazetteer.country_names()
    pages: dict[str, CountryPage] = {}
    for code in sorted(set(focus) | set(mentioned)):
        name = names.get(code, code)
        slug = slugify(name)
        fmt = {"slug": slug, "code": code.lower()}
        feed = settings.country_feed_atom.format(**fmt) \
            if has_feed(settings.country_feed_atom, focus[code] + mentioned[code], infos) else ""
        pages[code] = CountryPage(
            code=code, name=name, slug=slug, flag=flag(code), url=settings.country_url.format(**fmt),
            save_as=settings.country_save_as.format(**fmt), feed_url=feed, feed_save_as=feed,
            focus_articles=tuple(newest_first(focus[code], infos)),
            mention_articles=tuple(newest_first(mentioned[code], infos)))
    return pages


def entities_by_type(pages: Mapping[str, EntityPage]) -> list[tuple[str, str, list[EntityPage]]]:
    """(type, heading, pages by name) for the entity index, in a fixed type order."""
    groups: dict[str, list[EntityPage]] = defaultdict(list)
    for page in pages.values():
        groups[page.entity.type].append(page)
    return [(t, TYPE_LABELS.get(t, t), sorted(groups[t], key=lambda p: (p.entity.name.lower(), p.entity.slug)))
            for t in TYPE_ORDER if groups.get(t)]
