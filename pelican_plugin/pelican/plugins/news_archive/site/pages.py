"""Page models: what the plugin publishes, as plain records — entity and country pages at their permanent
addresses, redirects left by merges and renames, and honest notices at addresses that no longer have a page.

Pure: from the analysis, a little article information and the address book to records the edge renders with
templates. One pass over the articles, no per-page scan; "often mentioned with" comes from one sparse product.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..analysis import gazetteer
from ..model import ArticleInfo, CountryRef, Entity, EntityIndex
from ..names import name_key
from ..settings import ArchiveSettings
from . import addresses as addr
from . import flags

CO_MENTIONED_SHOWN = 12


def newest_first(keys: Sequence[str], infos: Mapping[str, ArticleInfo]) -> list[str]:
    """Newest first; unknown dates last; ties by slug."""
    dated = sorted(k for k in keys if infos[k].date)
    dated.sort(key=lambda k: infos[k].date or "", reverse=True)  # stable: equal dates stay in slug order
    return dated + sorted(k for k in keys if not infos[k].date)


def feed_articles(keys: Sequence[str], infos: Mapping[str, ArticleInfo], limit: int) -> list[str]:
    """The dated articles of a page, newest first, at most ``limit`` (0: all): what its feed carries. An article
    whose date is unknown has none to announce, and is never given a made-up one."""
    dated = [k for k in newest_first(keys, infos) if infos[k].date]
    return dated[:limit] if limit else dated


@dataclass(frozen=True)
class EntityPage:
    entity: Entity
    address: str  # the permanent part of its URL
    url: str
    save_as: str
    feed_url: str
    feed_save_as: str
    articles: tuple[str, ...]  # article keys, newest first
    mentions: int
    co_mentioned: tuple[tuple[str, int], ...]  # (entity slug, articles naming both), most first


@dataclass(frozen=True)
class CountryPage:
    code: str
    name: str
    slug: str  # its permanent address
    flag: str  # its flag image's URL relative to the site root (site/flags.py), "" when it has none
    url: str
    save_as: str
    feed_url: str
    feed_save_as: str
    focus_articles: tuple[str, ...]
    mention_articles: tuple[str, ...]


@dataclass(frozen=True)
class Redirect:
    """An address whose page moved (a merge or a rename): a small page sending readers to the new one."""

    save_as: str
    url: str
    name: str
    target_url: str
    target_name: str


@dataclass(frozen=True)
class Notice:
    """An address that no longer has a page, with what is left: an honest page, never a listing."""

    save_as: str
    url: str
    name: str
    kind: str  # "entity", "country" or "story"
    # "thin" (too few articles), "blocked" (by the editors), "gone" (no article names it; a story: its reports are
    # no longer one story)
    reason: str
    articles: tuple[str, ...] = ()  # what still names it


@dataclass
class Site:
    """Everything the plugin publishes besides articles, and the address book to keep."""

    entity_pages: dict[str, EntityPage] = field(default_factory=dict)  # by entity slug
    country_pages: dict[str, CountryPage] = field(default_factory=dict)  # by ISO code
    redirects: list[Redirect] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    address: dict[str, str] = field(default_factory=dict)  # entity slug → its address (also without a page)
    book: addr.AddressBook = field(default_factory=addr.AddressBook)
    # A country's entity page and its country page, which link to each other (entity slug ↔ ISO code).
    country_of_entity: dict[str, str] = field(default_factory=dict)
    entity_of_country: dict[str, str] = field(default_factory=dict)
    # Stories (site/stories.py): pages by address, and which stories an article, an entity, a country belongs to.
    story_pages: dict[str, Any] = field(default_factory=dict)
    story_of_article: dict[str, str] = field(default_factory=dict)  # article key → story address
    stories_of_entity: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity slug → story addresses
    stories_of_country: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ISO code → story addresses
    # Per country, the entity pages most named in its articles (about it; mentioning it when none is about it).
    country_entities: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def entity_url(self, slug: str) -> str | None:
        page = self.entity_pages.get(slug)
        return page.url if page else None


def _articles_of(index: EntityIndex) -> tuple[dict[str, list[str]], Counter[str]]:
    articles: dict[str, list[str]] = defaultdict(list)
    mentions: Counter[str] = Counter()
    for key in sorted(index.by_article):
        for ref in index.by_article[key]:
            articles[ref.slug].append(key)
            mentions[ref.slug] += ref.mentions
    return articles, mentions


def co_mentions(index: EntityIndex, paged: Sequence[str]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Per paged entity, the other paged entities most often named in the same article (every tag counts)."""
    import numpy as np
    from scipy import sparse

    col = {slug: i for i, slug in enumerate(paged)}
    rows: list[int] = []
    cols: list[int] = []
    for r, key in enumerate(sorted(index.by_article)):
        for c in {col[ref.slug] for ref in index.by_article[key] if ref.slug in col}:
            rows.append(r)
            cols.append(c)
    if not cols:
        return {}
    a = sparse.csr_matrix((np.ones(len(cols), dtype=np.int32), (rows, cols)),
                          shape=(len(index.by_article), len(paged)))
    both = (a.T @ a).tocsr()
    out: dict[str, tuple[tuple[str, int], ...]] = {}
    for i, slug in enumerate(paged):
        start, end = both.indptr[i], both.indptr[i + 1]
        pairs = [(paged[j], int(n)) for j, n in zip(both.indices[start:end], both.data[start:end], strict=True)
                 if j != i]
        out[slug] = tuple(sorted(pairs, key=lambda p: (-p[1], p[0]))[:CO_MENTIONED_SHOWN])
    return out


def _entity_candidates(index: EntityIndex, articles: Mapping[str, list[str]], minimum: int
                       ) -> list[addr.Candidate]:
    return [addr.Candidate(key=slug, name=e.name, type=e.type, names=frozenset(name_key(n) for n in (e.name,
                                                                                                     *e.aliases)),
                           page=len(articles.get(slug, ())) >= minimum or e.pinned, editor_named=e.editor_named)
            for slug, e in sorted(index.entities.items())]


def entity_pages(index: EntityIndex, infos: Mapping[str, ArticleInfo], settings: ArchiveSettings,
                 book: addr.AddressBook, blocked: frozenset[str] = frozenset()) -> Site:
    """Entity pages at their addresses, with the redirects and notices the book asks for. ``blocked``: the name
    keys the editor file blocks (for an honest notice)."""
    articles, mentions = _articles_of(index)
    minimum = max(1, settings.entity_page_min_articles)
    assigned = addr.assign_entities(book, _entity_candidates(index, articles, minimum))
    paged = sorted(slug for slug, e in index.entities.items() if len(articles.get(slug, ())) >= minimum or e.pinned)
    co = co_mentions(index, paged)
    site = Site(address=assigned.address)
    for slug in paged:
        address = assigned.address[slug]
        fmt = {"slug": address}
        feed_url = settings.entity_feed_atom.format(**fmt) if feed_articles(articles[slug], infos, 1) and \
            settings.entity_feed_atom else ""
        site.entity_pages[slug] = EntityPage(
            entity=index.entities[slug], address=address, url=settings.entity_url.format(**fmt),
            save_as=settings.entity_save_as.format(**fmt), feed_url=feed_url, feed_save_as=feed_url,
            articles=tuple(newest_first(articles[slug], infos)), mentions=mentions[slug], co_mentioned=co[slug])
    for address, state in sorted(assigned.state.items()):
        fmt = {"slug": address}
        url, save_as = settings.entity_url.format(**fmt), settings.entity_save_as.format(**fmt)
        record = assigned.records[address]
        if state == addr.MOVED:
            target = next(p for p in site.entity_pages.values() if p.address == assigned.target[address])
            site.redirects.append(Redirect(save_as, url, record.name, target.url, target.entity.name))
        elif state == addr.THIN:
            slug = assigned.home[address]
            site.notices.append(Notice(save_as, url, index.entities[slug].name, "entity", "thin",
                                       tuple(newest_first(articles.get(slug, []), infos))))
        elif state == addr.GONE:
            reason = "blocked" if blocked & set(record.names) else "gone"
            site.notices.append(Notice(save_as, url, record.name, "entity", reason))
    site.book = replace(book, entities=assigned.records)
    return site


def country_pages(site: Site, countries: Mapping[str, list[CountryRef]], infos: Mapping[str, ArticleInfo],
                  settings: ArchiveSettings) -> None:
    """A page per country with at least one article, at its permanent address: focus articles first, then
    mentions; a notice where a recorded country has none left."""
    focus: dict[str, list[str]] = defaultdict(list)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for key in sorted(countries):
        for ref in countries[key]:
            (focus if ref.focus else mentioned)[ref.code].append(key)
    names = gazetteer.country_names()
    codes = sorted(set(focus) | set(mentioned))
    address, recorded = addr.assign_countries(site.book, {c: names.get(c, c) for c in codes})
    for code in codes:
        fmt = {"slug": address[code], "code": code.lower()}
        feed_url = settings.country_feed_atom.format(**fmt) \
            if settings.country_feed_atom and feed_articles(focus[code] + mentioned[code], infos, 1) else ""
        site.country_pages[code] = CountryPage(
            code=code, name=names.get(code, code), slug=address[code], flag=flags.url(code),
            url=settings.country_url.format(**fmt), save_as=settings.country_save_as.format(**fmt),
            feed_url=feed_url, feed_save_as=feed_url, focus_articles=tuple(newest_first(focus[code], infos)),
            mention_articles=tuple(newest_first(mentioned[code], infos)))
    for code, slug in sorted(recorded.items()):
        if code not in site.country_pages:
            fmt = {"slug": slug, "code": code.lower()}
            site.notices.append(Notice(settings.country_save_as.format(**fmt), settings.country_url.format(**fmt),
                                       names.get(code, code), "country", "gone"))
    site.book = replace(site.book, countries=recorded)
    pair_countries(site)


def pair_countries(site: Site) -> None:
    """Pair each country page with the entity page of that country (a place whose name, or an alias, is the
    country's name): two pages about one country link to each other."""
    for slug, page in sorted(site.entity_pages.items()):
        if page.entity.type not in ("GPE", "LOC"):
            continue
        for name in (page.entity.name, *page.entity.aliases):
            code = gazetteer.country_of_name(name)
            if code and code in site.country_pages and code not in site.entity_of_country:
                site.entity_of_country[code] = slug
                site.country_of_entity[slug] = code
                break


COUNTRY_ENTITIES_SHOWN = 12


def country_entities(site: Site, index: EntityIndex) -> None:
    """Per country page, the people and organisations with pages named in its articles, counted by articles
    naming them, most first: over the articles about the country, or those mentioning it when none is about it."""
    for code, page in site.country_pages.items():
        counts: Counter[str] = Counter()
        for key in page.focus_articles or page.mention_articles:
            counts.update({r.slug for r in index.by_article.get(key, [])
                           if r.slug in site.entity_pages and index.entities[r.slug].type in ("PERSON", "ORG")})
        ranked = sorted(counts.items(), key=lambda p: (-p[1], index.entities[p[0]].name.lower(), p[0]))
        people = [p for p in ranked if index.entities[p[0]].type == "PERSON"][:COUNTRY_ENTITIES_SHOWN]
        orgs = [p for p in ranked if index.entities[p[0]].type == "ORG"][:COUNTRY_ENTITIES_SHOWN]
        site.country_entities[code] = tuple(people + orgs)


def entities_by_type(pages: Mapping[str, EntityPage]) -> list[tuple[str, str, list[EntityPage]]]:
    """(type, heading, pages by name) for the entity index, in the label table's order."""
    from ..labels import ORDER, heading

    groups: dict[str, list[EntityPage]] = defaultdict(list)
    for page in pages.values():
        groups[page.entity.type].append(page)
    return [(t, heading(t), sorted(groups[t], key=lambda p: (p.entity.name.lower(), p.entity.slug)))
            for t in ORDER if groups.get(t)]
