"""What templates show: plain, immutable views of an article's tags, countries and links, and teasers of
articles for lists — pure functions over the analysis and the page models, with no Pelican in sight.

Lists of articles name the same articles thousands of times, so each article gets one :class:`Teaser`, made once
per build and shared by every list that names it; each view carries a digest of itself so that a page's memo key
costs one string per item, not a walk over its fields. Views are frozen dataclasses: Jinja reads ``tag.name``
and ``tag["name"]`` alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..build.keys import canonical, digest
from ..labels import ORDER, heading
from ..model import ArticleInfo, CountryRef, Entity, EntityIndex, RelatedRef
from .pages import CountryPage, Site


@dataclass(frozen=True)
class CountryView:
    code: str
    name: str
    flag: str
    url: str
    focus: bool
    mentions: int


@dataclass(frozen=True)
class Teaser:
    """What a list of articles shows of one (headline, URL, date, outlet, dateline, focus countries)."""

    slug: str
    url: str
    title: str  # as Pelican holds it (HTML)
    headline: str  # the title as text
    date: dt.datetime | None
    date_iso: str | None
    date_unknown: bool
    locale_date: str
    source: str | None
    dateline: str | None
    title_derived: str | None
    summary: str = ""  # Pelican's summary (HTML)
    news_focus: tuple[CountryView, ...] = ()
    news_countries: tuple[CountryView, ...] = ()
    key: str = field(default="", compare=False)  # digest of the fields above

    def __key__(self) -> str:
        return self.key


@dataclass(frozen=True)
class TagView:
    name: str
    type: str
    type_label: str
    slug: str
    url: str | None
    aliases: tuple[str, ...] = ()  # other spellings of the name: indexed for search, so "Bagheri" finds "Baqeri"


@dataclass(frozen=True)
class TagGroup:
    type: str
    label: str
    tags: tuple[TagView, ...]


@dataclass(frozen=True)
class LinkView:
    """A link to another article: related, or another report of the same story."""

    article: Teaser
    key: str
    score: float | None
    shared: tuple[str, ...]
    same_story: bool
    manual: bool = False


@dataclass(frozen=True)
class PageView:
    """An entity page as its own page and a list item show it: what it names, where it is, how often named. Page
    models carry their neighbours' internal slugs; a view carries only what is shown, so that a page is rendered
    again only when something it shows changed."""

    name: str
    type: str
    url: str
    feed_url: str
    mentions: int
    count: int  # articles naming it (in "often mentioned with": articles naming both)


@dataclass(frozen=True)
class ArticleViews:
    """Everything the plugin attaches to one article for its page."""

    news_tags: tuple[TagView, ...]
    news_tag_groups: tuple[TagGroup, ...]
    news_countries: tuple[CountryView, ...]
    news_focus: tuple[CountryView, ...]
    news_related: tuple[LinkView, ...]
    news_same_story: tuple[LinkView, ...]


@dataclass(frozen=True)
class ListedView:
    """An entity page as another page lists it with a count of its own ("often mentioned with", a country's
    people): no total of mentions, which such a list does not show and which changes with every article that
    names the entity, so that the pages listing London are not rendered again each time London is named."""

    name: str
    type: str
    url: str
    feed_url: str
    count: int  # articles naming both (this entity and the listing page's)


def page_view(page: Any, count: int | None = None) -> PageView | ListedView:
    """The view of an entity page model; with ``count`` (articles naming both, for a co-mention or a country's
    people) the view of it as a list item."""
    if count is not None:
        return ListedView(name=page.entity.name, type=page.entity.type, url=page.url, feed_url=page.feed_url,
                          count=count)
    return PageView(name=page.entity.name, type=page.entity.type, url=page.url, feed_url=page.feed_url,
                    mentions=page.mentions, count=len(page.articles))


_AGENCY = re.compile(r"\s*\([^()]*\)")
_END = re.compile(r"[\s\u2010-\u2015\-:|,]+$")


def dateline_text(raw: str | None) -> str | None:
    """A dateline as a reader is shown it: the place (and date) without the agency in brackets and the
    separator after it ("Tehran (IP) -" → "Tehran", "WASHINGTON, March 3 -" → "WASHINGTON, March 3"); the outlet
    is shown on its own. A place in brackets ("(LONDON) —") keeps its name."""
    if not raw:
        return None
    text = _END.sub("", _AGENCY.sub("", raw)).strip()
    if not text:
        text = _END.sub("", raw.replace("(", " ").replace(")", " ")).strip()
    return text or None


@functools.lru_cache(maxsize=1 << 16)
def headline_text(title: str) -> str:
    """An article title (HTML, as Pelican keeps it: ``&lt;`` for "<") as text (remembered: teasers, stories,
    the export and JSON-LD each ask for it)."""
    return Markup(str(title)).striptags()


_FIRST_PARAGRAPH = re.compile(r"\s*<p>(.*?)</p>", re.S)


def lede_headline(content: str, title: str, title_derived: str | None) -> tuple[Markup, Markup] | None:
    """(headline, the rest of the body) when the headline was derived from the lede and the article opens with the
    sentence it came from: that paragraph, verbatim, is the page's headline and is not repeated below it. The
    derived title (shortened at a phrase boundary) stays the article's title in lists, feeds and metadata."""
    if not title_derived:
        return None
    first = _FIRST_PARAGRAPH.match(content)
    if first is None or "<p" in first.group(1):
        return None
    words = " ".join(Markup(first.group(1)).striptags().split())
    head = " ".join(headline_text(title).split()).removesuffix("…").removesuffix("...").rstrip()
    if not head or not words.startswith(head):
        return None
    return Markup(first.group(1).strip()), Markup(content[first.end():])


def country_views(refs: Sequence[CountryRef], pages: Mapping[str, CountryPage]) -> tuple[CountryView, ...]:
    return tuple(CountryView(code=c.code, name=pages[c.code].name, flag=pages[c.code].flag, url=pages[c.code].url,
                             focus=c.focus, mentions=c.mentions) for c in refs if c.code in pages)


def teaser(info: ArticleInfo, title: str, locale_date: str, title_derived: str | None,
           countries: tuple[CountryView, ...], date: dt.datetime | None, summary: str = "") -> Teaser:
    focus = tuple(c for c in countries if c.focus)
    fields: dict[str, Any] = dict(slug=info.key, url=info.url, title=str(title), headline=headline_text(title),
                                  date=date if info.date else None, date_iso=info.date,
                                  date_unknown=info.date is None, locale_date=locale_date if info.date else "",
                                  source=info.source, dateline=dateline_text(info.dateline),
                                  title_derived=title_derived,
                                  summary=summary, news_focus=focus, news_countries=countries)
    return Teaser(**fields, key=digest([canonical(fields)]))


def _country_code(slug: str, entity: Entity, site: Site) -> str | None:
    """The country page an entity tag leads to: the country page paired with its entity page, or, for a place
    without a page of its own, the country its name (or an alias) is."""
    if slug in site.country_of_entity:
        return site.country_of_entity[slug]
    if entity.type not in ("GPE", "LOC") or slug in site.entity_pages:
        return None
    from ..analysis import gazetteer

    for name in (entity.name, *entity.aliases):
        code = gazetteer.lookup(name) if gazetteer.is_country_name(name) else None
        if code and code in site.country_pages:
            return code
    return None


def tag_views(index: EntityIndex, site: Site) -> dict[str, TagView]:
    """One view per entity, shared by every article that names it. A country's tag leads to its country page
    (its people, organisations, stories and feed; the country page links to the entity page)."""
    out = {}
    for slug, e in index.entities.items():
        code = _country_code(slug, e, site)
        url = site.country_pages[code].url if code else site.entity_url(slug)
        out[slug] = TagView(name=e.name, type=e.type, type_label=heading(e.type), slug=site.address.get(slug, slug),
                            url=url, aliases=tuple(a for a in e.aliases if a != e.name))
    return out


def article_views(key: str, index: EntityIndex, tags: Mapping[str, TagView], countries: tuple[CountryView, ...],
                  related: Sequence[RelatedRef], teasers: Mapping[str, Teaser], manual: Sequence[str],
                  max_tags: int, related_count: int) -> ArticleViews:
    """An article's tags (at most ``max_tags``, 0 = all), grouped by type; its countries; its related links (the
    editor's ``Related:`` first, then the best up to ``related_count``) and the other reports of its story."""
    refs = index.by_article.get(key, [])
    shown = tuple(tags[r.slug] for r in (refs[:max_tags] if max_tags else refs) if r.slug in tags)
    groups = tuple(TagGroup(type=t, label=heading(t), tags=members) for t in ORDER
                   if (members := tuple(tag for tag in shown if tag.type == t)))
    # The page shows a score to two decimals (archive.json keeps four): a correction shifts every score that shares
    # one of its words in the fourth decimal, and each such shift would render a page again that looks the same.
    links = [LinkView(article=teasers[r.key], key=r.key, score=None if r.score is None else round(r.score, 2),
                      shared=r.shared, same_story=r.same_story)
             for r in related if r.key in teasers]
    chosen = [LinkView(article=teasers[k], key=k, score=None, shared=(), same_story=False, manual=True)
              for k in manual if k in teasers]
    chosen += [v for v in links if not v.same_story and v.key not in manual]
    return ArticleViews(news_tags=shown, news_tag_groups=groups, news_countries=countries,
                        news_focus=tuple(c for c in countries if c.focus),
                        news_related=tuple(chosen[:max(related_count, len(manual))]),
                        news_same_story=tuple(v for v in links if v.same_story))


class ArchiveContext:
    """The ``news_archive`` template variable, which remembers which of its values a template read.

    A page's memo key must cover what it was made from; a theme's ``base.html`` reads a few URLs of this object on
    every page, and only the countries index reads the world map, so each template's key holds exactly the values
    its pages read (see :mod:`..edge.memo`). Reading is attribute or item access, as in any template.
    """

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)
        self._reads: set[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self._values[name]
        except KeyError:
            raise AttributeError(name) from None
        if self._reads is not None:
            self._reads.add(name)
        return value

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __bool__(self) -> bool:
        return True

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self._values else default

    def track(self) -> None:
        """Start remembering reads (for the next page rendered)."""
        self._reads = set()

    def reads(self) -> frozenset[str]:
        """What was read since :meth:`track` (and stop remembering)."""
        found = frozenset(self._reads or ())
        self._reads = None
        return found

    def value(self, name: str) -> Any:
        """A value without counting it as read (for keys)."""
        return self._values.get(name)
