"""Story pages: every same-story group of the analysis as a page of its own, at a permanent address.

A **story** is a connected group of articles that the analysis links as reports of the same story
(:mod:`..analysis.samestory`). Its page says what happened, when, who reported it, and shows its reports in time
order, with syndicated copies marked. The rules, so that a reader can check them:

* **Headline**: the headline most of its reports carry (syndicated copies keep the original's), compared without
  case; on a tie the earliest report's. A headline the importer derived from the lede counts only when no report
  has a headline of its own.
* **When**: the first and the last dated report; undated reports are listed after the dated ones, never given a
  date.
* **Who reported it**: the outlets of its reports, in the order they first reported; a report whose outlet is
  unknown names no reporter (it is counted apart).
* **Syndicated copy**: a report at least :data:`SYNDICATED_SHARE` of whose 5-word sequences (the shingles the
  same-story detection hashes) occur word for word in one earlier report. The share shown is that exact share,
  counted over the texts themselves, not the MinHash estimate.
* **People, organisations, countries**: every tag of its reports, counted by the reports naming it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..analysis.extraction.fingerprint import shingles
from ..analysis.groups import DisjointSet
from ..model import ArticleInfo, CountryRef, EntityIndex, RelatedRef
from ..settings import ArchiveSettings
from . import addresses as addr
from .pages import Notice, Redirect, Site

SYNDICATED_SHARE = 0.5


@dataclass(frozen=True)
class Report:
    key: str  # article key
    share: float  # share of its shingles found in ``copy_of`` (0 for the first report or no earlier match)
    copy_of: str | None  # the earlier report it shares most text with (None for the first)
    syndicated: bool  # share >= SYNDICATED_SHARE


@dataclass(frozen=True)
class StoryPage:
    address: str
    url: str
    save_as: str
    headline: str  # text (escaped by templates)
    headline_from: str  # the report whose headline it is
    first: str | None  # article key of the first dated report
    last: str | None  # ... of the last
    first_date: str | None  # their dates (ISO 8601)
    last_date: str | None
    outlets: tuple[str, ...]
    unknown_outlet: int  # reports whose outlet is unknown
    reports: tuple[Report, ...]  # in time order
    entities: tuple[tuple[str, str, str, int], ...]  # (entity slug, name, type, reports naming it), most first
    countries: tuple[tuple[str, int, bool], ...]  # (ISO code, reports filed under it, focus in one of them)


def groups(related: Mapping[str, Sequence[RelatedRef]]) -> list[frozenset[str]]:
    """The same-story groups: connected components of the same-story links, sorted by their smallest key."""
    joined: DisjointSet[str] = DisjointSet()
    for key in sorted(related):
        for ref in related[key]:
            if ref.same_story and ref.key != key:
                joined.union(key, ref.key)
    return sorted((frozenset(g) for g in joined.groups().values()), key=min)


def time_order(keys: Sequence[str], infos: Mapping[str, ArticleInfo]) -> list[str]:
    """Oldest first; undated last; ties by key."""
    dated = sorted((k for k in keys if infos[k].date), key=lambda k: (infos[k].date or "", k))
    return dated + sorted(k for k in keys if not infos[k].date)


def reports(order: Sequence[str], texts: Mapping[str, str]) -> tuple[Report, ...]:
    """Each report with the share of its shingles found in the earlier report it shares most with."""
    sets = {k: shingles(texts.get(k, "")) for k in order}
    out = []
    for i, key in enumerate(order):
        best, of = 0.0, None
        own = sets[key]
        for earlier in order[:i]:
            share = len(own & sets[earlier]) / len(own) if own else 0.0
            if share > best:
                best, of = share, earlier
        out.append(Report(key=key, share=round(best, 4), copy_of=of, syndicated=best >= SYNDICATED_SHARE))
    return tuple(out)


def headline(order: Sequence[str], titles: Mapping[str, str], derived: frozenset[str]) -> tuple[str, str]:
    """(headline, the report it is from) by the rule in the module docstring."""
    own = [k for k in order if k not in derived] or list(order)
    votes = Counter(titles[k].strip().casefold() for k in own)
    top = max(votes.values())
    key = next(k for k in own if votes[titles[k].strip().casefold()] == top)
    return titles[key].strip(), key


def _tally(order: Sequence[str], index: EntityIndex, countries: Mapping[str, list[CountryRef]]
           ) -> tuple[tuple[tuple[str, str, str, int], ...], tuple[tuple[str, int, bool], ...]]:
    named: Counter[str] = Counter()
    filed: Counter[str] = Counter()
    focus: set[str] = set()
    for key in order:
        named.update({r.slug for r in index.by_article.get(key, [])})
        refs = countries.get(key, [])
        filed.update({c.code for c in refs})
        focus.update(c.code for c in refs if c.focus)
    names = index.entities
    ents = tuple((s, names[s].name, names[s].type, n) for s, n in
                 sorted(named.items(), key=lambda p: (-p[1], names[p[0]].name.lower(), p[0])))
    codes = tuple(sorted(((c, n, c in focus) for c, n in filed.items()), key=lambda p: (not p[2], -p[1], p[0])))
    return ents, codes


@dataclass(frozen=True)
class StoryInput:
    """What story pages are made from besides the analysis: headlines as text, derived ones, plain texts."""

    titles: Mapping[str, str]
    derived: frozenset[str]
    texts: Mapping[str, str]


def story_pages(site: Site, related: Mapping[str, Sequence[RelatedRef]], index: EntityIndex,
                countries: Mapping[str, list[CountryRef]], infos: Mapping[str, ArticleInfo], given: StoryInput,
                settings: ArchiveSettings) -> None:
    """A page per story at its permanent address, with redirects (merged) and notices (dissolved) for recorded
    stories that no longer have one; the book's stories and the story indexes of articles, entities, countries."""
    found = [g for g in groups(related) if all(k in infos for k in g)]
    orders = [time_order(sorted(g), infos) for g in found]
    heads = [headline(o, given.titles, given.derived) for o in orders]
    assigned = addr.assign_stories(site.book, found, [h for h, _ in heads])
    of_entity: dict[str, list[str]] = {}
    of_country: dict[str, list[str]] = {}
    for order, (text, source), address in zip(orders, heads, assigned.address, strict=True):
        fmt = {"slug": address}
        dated = [k for k in order if infos[k].date]
        outlets = list(dict.fromkeys(infos[k].source for k in order if infos[k].source))
        ents, codes = _tally(order, index, countries)
        page = StoryPage(address=address, url=settings.story_url.format(**fmt),
                         save_as=settings.story_save_as.format(**fmt), headline=text, headline_from=source,
                         first=dated[0] if dated else None, last=dated[-1] if dated else None,
                         first_date=infos[dated[0]].date if dated else None,
                         last_date=infos[dated[-1]].date if dated else None,
                         outlets=tuple(outlets), unknown_outlet=sum(1 for k in order if not infos[k].source),
                         reports=reports(order, given.texts), entities=ents, countries=codes)
        site.story_pages[address] = page
        for key in order:
            site.story_of_article[key] = address
        for slug, *_rest in ents:
            of_entity.setdefault(slug, []).append(address)
        for code, _n, focus in codes:
            if focus:
                of_country.setdefault(code, []).append(address)
    site.story_pages = dict(sorted(site.story_pages.items()))
    site.stories_of_entity = {s: tuple(newest_stories(a, site)) for s, a in sorted(of_entity.items())}
    site.stories_of_country = {c: tuple(newest_stories(a, site)) for c, a in sorted(of_country.items())}
    for slug, state in sorted(assigned.state.items()):
        if state == addr.LIVE:
            continue
        fmt = {"slug": slug}
        url, save_as = settings.story_url.format(**fmt), settings.story_save_as.format(**fmt)
        record = assigned.records[slug]
        if state == addr.MOVED:
            target = site.story_pages[assigned.target[slug]]
            site.redirects.append(Redirect(save_as, url, record.headline, target.url, target.headline))
        else:
            left = tuple(k for k in record.reports if k in infos)
            site.notices.append(Notice(save_as, url, record.headline, "story", "gone",
                                       tuple(time_order(left, infos))))
    site.book = addr.AddressBook(entities=site.book.entities, countries=site.book.countries,
                                 stories=assigned.records)


def newest_stories(addresses: Sequence[str], site: Site) -> list[str]:
    """Stories newest first by their last report; undated stories last; ties by address."""
    def last(a: str) -> str:
        return site.story_pages[a].last_date or ""

    dated = sorted((a for a in addresses if last(a)), key=lambda a: (last(a), a))
    dated.sort(key=last, reverse=True)
    return dated + sorted(a for a in addresses if not last(a))
