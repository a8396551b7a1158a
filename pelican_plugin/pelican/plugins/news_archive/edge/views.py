"""From the page models to Pelican: what each article carries for its page, the ``news_archive`` template
variable, and the list of pages, feeds and sitemap entries the generator writes.

The views themselves are made by :mod:`..site.presentation`; this module only hands them to Pelican's objects
(articles get ``news_tags``, ``news_countries``, ``news_related``… as attributes, as a theme expects) and names
which template renders which page with which variables.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican.utils import get_relative_path

from ..analysis.pipeline import ArchiveResult, plain_texts
from ..build.keys import Unhashable, canonical, digest, versions
from ..build.state import BuildState
from ..labels import heading
from ..settings import ArchiveSettings
from ..site import pages, presentation, sitemap, story_views, structured
from ..site import quotes as quote_views
from ..site.presentation import ArchiveContext, Teaser
from ..site.stories import StoryInput, groups
from .documents import Documents

logger = logging.getLogger(__name__)
ATTACHED = ("news_tags", "news_tag_groups", "news_countries", "news_focus", "news_related", "news_same_story")


class WorldMap:
    """The countries index's SVG world map, drawn the first time a template shows it (a tenth of a second that
    only that page needs); its key is what it is drawn from."""

    def __init__(self, site: pages.Site, root: str, state: BuildState | None = None) -> None:
        self._site, self._root, self._state = site, root, state
        self._made: Markup | None | bool = False

    def _get(self) -> Markup | None:
        if self._made is False:
            from .generator import world_map_markup

            if self._site.country_pages:
                _prime_shapes(self._state)
            self._made = world_map_markup(self._site, self._root) if self._site.country_pages else None
        return self._made  # type: ignore[return-value]

    def __html__(self) -> str:
        return str(self._get() or "")

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self._get())

    def __key__(self) -> Any:
        from ..site.worldmap import data_digest

        return [self._root, data_digest(), [(p.code, p.name, p.url, len(p.focus_articles), len(p.mention_articles))
                             for p in self._site.country_pages.values()]]


def _prime_shapes(state: BuildState | None) -> None:
    """The map's simplified shapes from the build state, under the map data's digest and the plugin's code (drawn
    and kept when they are not there)."""
    from ..site import worldmap
    from .generator import code_digest

    if state is None or not state.enabled:
        return
    try:
        key = digest(["worldmap", code_digest(), worldmap.data_digest()])
        found = state.get_records("worldmap", [key]).get(key)
        if isinstance(found, tuple):
            worldmap.prime_shapes(found)  # type: ignore[arg-type]
        else:
            state.put_records("worldmap", {key: worldmap.shapes()})
    except worldmap.MapDataError:
        return  # the page says the map is missing (world_map_markup warns)


def _manual(article: Any, by_key: Mapping[str, Any]) -> list[str]:
    """The keys an editor's ``Related:`` metadata names, in its order; a slug that does not exist is warned
    about."""
    raw = getattr(article, "related", None) or ""
    wanted = [s.strip() for s in (raw if isinstance(raw, list) else str(raw).split(",")) if s.strip()]
    found = []
    for slug in wanted:
        if slug in by_key and by_key[slug] is not article:
            found.append(slug)
        else:
            logger.warning("news_archive: %s lists related article %r, which does not exist", article.source_path,
                           slug)
    return found


_SUMMARY_SETTINGS = ("SUMMARY_MAX_PARAGRAPHS", "SUMMARY_MAX_LENGTH", "SUMMARY_END_SUFFIX")
_SUMMARY_CODE = frozenset({"get_summary", "summary", "get_content", "content", "_update_content"})


def _summary_key(doc: Any, article: Any) -> str | None:
    """The key of Pelican's summary of an article when it follows from the article's own HTML and the summary
    settings alone, else None (a summary given in the metadata, intrasite links that Pelican resolves against
    other content, a content class of its own)."""
    from pelican.contents import Content

    if "summary" in article.metadata or hasattr(article, "_get_content") or not isinstance(article, Content):
        return None
    mro = type(article).__mro__
    if any(_SUMMARY_CODE & vars(kind).keys() for kind in mro[:mro.index(Content)]):
        return None  # a content class that makes its summary or content its own way
    html = article._content or ""
    if article._get_intrasite_link_regex().search(html):
        return None
    try:
        return digest(["summary", versions(["pelican"]), doc.token,
                       canonical([article.settings.get(k) for k in _SUMMARY_SETTINGS], "the summary settings")])
    except Unhashable:
        return None


def summaries(docs: Documents, state: BuildState | None = None) -> dict[str, str]:
    """Pelican's summary of every article (its first words, as HTML), kept in the build state by the HTML's digest:
    Pelican cuts the HTML with a parser, which costs about a millisecond an article, and every build that makes
    the teasers again (any correction) would pay it for all of them."""
    state = state or BuildState(None)
    keyed = {d.key: _summary_key(d, docs.by_key[d.key]) for d in docs.docs}
    stored = state.get_records("summary", [k for k in keyed.values() if k])
    out: dict[str, str] = {}
    fresh: dict[str, str] = {}
    for art, key in keyed.items():
        if key and isinstance(stored.get(key), str):
            out[art] = stored[key]
            continue
        out[art] = str(getattr(docs.by_key[art], "summary", "") or "")
        if key:
            fresh[key] = out[art]
    state.put_records("summary", fresh)
    return out


def teasers(docs: Documents, result: ArchiveResult, site: pages.Site,
            shown_summaries: Mapping[str, str] | None = None) -> dict[str, Teaser]:
    out = {}
    for key, info in docs.infos.items():
        article = docs.by_key[key]
        countries = presentation.country_views(result.countries.get(key, []), site.country_pages)
        summary = (shown_summaries[key] if shown_summaries is not None
                   else str(getattr(article, "summary", "") or ""))
        out[key] = presentation.teaser(info, str(article.title), getattr(article, "locale_date", ""),
                                       getattr(article, "title_derived", None), countries,
                                       getattr(article, "date", None), summary)
    return out


def _jsonld(article: Any, teaser: Teaser, views: presentation.ArticleViews, settings: Mapping[str, Any]) -> Markup:
    site = str(settings.get("SITEURL") or "").rstrip("/")
    mentions = [structured.Mention(name=t.name, type=t.type, url=sitemap.absolute(site, t.url) if t.url else None)
                for t in views.news_tags]
    places = [structured.Place(name=c.name, code=c.code, focus=c.focus, url=sitemap.absolute(site, c.url))
              for c in views.news_countries]
    summary = structured.shorten(Markup(teaser.summary).striptags())
    modified = getattr(article, "modified", None)
    data = structured.news_article(
        headline=teaser.headline, url=sitemap.absolute(site, teaser.url), date=teaser.date_iso,
        modified=modified.isoformat() if modified and teaser.date_iso else None, source=teaser.source,
        dateline=teaser.dateline, description=summary or None, language=settings.get("DEFAULT_LANG") or None,
        site_name=str(settings.get("SITENAME") or "") or None, mentions=mentions, places=places)
    return Markup(structured.script_json(data))


def story_input(docs: Documents, related: Mapping[str, Sequence[Any]], state: BuildState | None = None
                ) -> StoryInput:
    """Headlines as text, the keys whose headline was derived from the lede, and the plain text of every article
    in a story (only those: the syndicated share is counted over them; kept in the build state)."""
    members = sorted(set().union(*groups(related))) if related else []
    texts = plain_texts(docs.docs, members, state)
    return StoryInput(titles={k: presentation.headline_text(i.title) for k, i in docs.infos.items()},
                      derived=frozenset(k for k, a in docs.by_key.items() if getattr(a, "title_derived", None)),
                      texts={k: texts.get(k, "") for k in members})


def present(docs: Documents, result: ArchiveResult, site: pages.Site, options: ArchiveSettings,
            settings: Mapping[str, Any], state: BuildState | None = None
            ) -> tuple[dict[str, dict[str, Any]], dict[str, Teaser]]:
    """What every article's page shows (attribute → value, per article key) and every article's teaser."""
    shown = teasers(docs, result, site, summaries(docs, state))
    tags = presentation.tag_views(result.entities, site)
    stories = story_views.story_teasers(site, shown)
    attached: dict[str, dict[str, Any]] = {}
    for key, article in docs.by_key.items():
        views = presentation.article_views(key, result.entities, tags, shown[key].news_countries,
                                           result.related.get(key, []), shown, _manual(article, docs.by_key),
                                           options.max_tags, options.related_count)
        attached[key] = {name: getattr(views, name) for name in ATTACHED}
        attached[key]["news_jsonld"] = _jsonld(article, shown[key], views, settings)
        attached[key]["news_dateline"] = shown[key].dateline
        attached[key]["news_story"] = stories.get(site.story_of_article.get(key, ""))
        attached[key]["news_quotes"] = quote_views.article_quotes(result.quotes.get(key, ()),
                                                                  result.entities.entities, site)
        lede = presentation.lede_headline(str(getattr(article, "content", "") or ""), str(article.title),
                                          getattr(article, "title_derived", None))
        attached[key]["news_lede_headline"], attached[key]["news_body"] = lede or (None, None)
    return attached, shown


def attach(docs: Documents, attached: Mapping[str, Mapping[str, Any]]) -> None:
    """Give every article what its page shows (as attributes, which is what a theme reads)."""
    for key, article in docs.by_key.items():
        for name, value in attached[key].items():
            setattr(article, name, value)


def context(site: pages.Site, shown: Mapping[str, Teaser], options: ArchiveSettings,
            settings: Mapping[str, Any], state: BuildState | None = None) -> ArchiveContext:
    """The ``news_archive`` template variable (``state``: where the world map's shapes are kept)."""
    return ArchiveContext(_context_values(site, shown, options, settings, state))


def inputs(docs: Documents) -> list[Any]:
    """What presentation reads of the articles besides the analysis: metadata, dates as shown, the HTML's digest
    (summaries are made from it), the editor's ``Related:``."""
    return [(d.key, d.token, str(a.title), a.url, getattr(a, "locale_date", ""), getattr(a, "title_derived", None),
             str(a.metadata.get("summary", "")), str(getattr(a, "related", "") or ""),
             getattr(a, "modified", None), d.date) for d, a in ((d, docs.by_key[d.key]) for d in docs.docs)]


def _context_values(site: pages.Site, shown: Mapping[str, Teaser], options: ArchiveSettings,
                    settings: Mapping[str, Any], state: BuildState | None = None) -> dict[str, Any]:
    from ..site import search

    on = bool(options.search and options.search_save_as) and search.executable() is not None
    if options.search and options.search_save_as and not on:
        logger.info("news_archive: search is off because Pagefind is not installed "
                    "(pip install 'pelican-news-archive[search]' brings it)")
    relative = settings.get("RELATIVE_URLS", False)
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    root = get_relative_path(options.countries_save_as) if relative else site_url
    undated = [shown[k] for k in sorted(shown) if shown[k].date_unknown]
    return {
        "entity_pages": site.entity_pages, "country_pages": site.country_pages,
        "entities_url": options.entities_url if options.entities_save_as else None,
        "countries_url": options.countries_url if options.countries_save_as else None,
        "stories_url": options.stories_url if site.story_pages and options.stories_save_as else None,
        "search_url": options.search_url if on else None, "search_bundle": search.BUNDLE_DIR,
        # Pagefind returns result URLs from the site root; the search page prefixes them with this.
        "search_base": get_relative_path(options.search_save_as) if relative else urlsplit(site_url).path + "/",
        "sitemap_url": options.sitemap_save_as or None, "json_url": options.json_save_as or None,
        # Ordered by the count the home page shows beside each (articles about or naming it), then by focus.
        "top_countries": sorted(site.country_pages.values(), key=lambda p: (
            -(len(p.focus_articles) + len(p.mention_articles)), -len(p.focus_articles), p.name.lower()))[:12],
        "top_entities": sorted(site.entity_pages.values(), key=lambda p: (
            -len(p.articles), -p.mentions, p.entity.name.lower()))[:12],
        "undated": undated, "world_map": WorldMap(site, root, state),
        # Whether Pelican's feeds have entries (an archive of undated articles has none, and writes none).
        "has_feed": any(not t.date_unknown for t in shown.values()),
    }


@dataclass(frozen=True)
class PageJob:
    template: str
    save_as: str
    url: str
    variables: dict[str, Any]


def entity_quotes(docs: Documents, result: ArchiveResult, site: pages.Site, shown: Mapping[str, Teaser]
                  ) -> dict[str, tuple[quote_views.QuoteView, ...]]:
    """Per person with a page, their quotations (newest first), for the entity pages."""
    return quote_views.entity_quotes(result.quotes, result.entities.entities, site, shown, docs.infos)


def page_jobs(site: pages.Site, shown: Mapping[str, Teaser], options: ArchiveSettings, context: ArchiveContext,
              quotes: Mapping[str, tuple[quote_views.QuoteView, ...]] | None = None) -> Iterator[PageJob]:
    """Every page the plugin writes: entity and country pages, the two indexes, the search page, and the
    redirects and notices at addresses whose page moved or went. ``quotes``: per entity slug, the quotations
    its page shows."""
    quotes = quotes or {}

    def listed(keys: Sequence[str]) -> list[Teaser]:
        return [shown[k] for k in keys if k in shown]

    # One view per entity page and count: the pages that name one entity as often with theirs share it, and a
    # page's key walks each view once (the key scheme remembers frozen values it has seen).
    views: dict[tuple[str, int | None], presentation.PageView | presentation.ListedView] = {}

    def view(slug: str, count: int | None = None) -> presentation.PageView | presentation.ListedView:
        found = views.get((slug, count))
        if found is None:
            found = views[(slug, count)] = presentation.page_view(site.entity_pages[slug], count)
        return found

    stories = story_views.story_teasers(site, shown)
    for slug, page in site.entity_pages.items():
        co = [view(s, n) for s, n in page.co_mentioned if s in site.entity_pages]
        yield PageJob("news_entity", page.save_as, page.url, {
            "entity": page.entity, "entity_page": view(slug),
            "entity_articles": listed(page.articles), "co_mentioned": co, "type_label": heading(page.entity.type),
            "entity_country": site.country_pages.get(site.country_of_entity.get(page.entity.slug, "")),
            "entity_stories": story_views.listed_stories(site.stories_of_entity.get(page.entity.slug, ()), stories),
            "coverage": story_views.coverage_of(page.articles, shown, f"Articles naming {page.entity.name} over time"),
            "entity_quotes": quotes.get(page.entity.slug, ())})
    if options.entities_save_as:
        groups = [(t, label, [presentation.page_view(p) for p in group])
                  for t, label, group in pages.entities_by_type(site.entity_pages)]
        yield PageJob("news_entities", options.entities_save_as, options.entities_url, {"entity_groups": groups})
    for country in site.country_pages.values():
        paired = site.entity_of_country.get(country.code, "")
        yield PageJob("news_country", country.save_as, country.url, {
            "country": country, "country_entity": view(paired) if paired in site.entity_pages else None,
            "focus_articles": listed(country.focus_articles),
            "mention_articles": listed(country.mention_articles), **_country_extras(country, site, shown, stories)})
    if options.countries_save_as:
        ordered = sorted(site.country_pages.values(), key=lambda p: (p.name.lower(), p.code))
        yield PageJob("news_countries", options.countries_save_as, options.countries_url, {"countries": ordered})
    yield from _story_jobs(site, shown, options, stories)
    if context.value("search_url"):
        yield PageJob("news_search", options.search_save_as, options.search_url, {})
    for moved in site.redirects:
        yield PageJob("news_redirect", moved.save_as, moved.url, {"redirect": moved})
    for notice in site.notices:
        yield PageJob("news_notice", notice.save_as, notice.url,
                      {"notice": notice, "notice_articles": listed(notice.articles)})


def _country_extras(country: pages.CountryPage, site: pages.Site, shown: Mapping[str, Teaser],
                    stories: Mapping[str, story_views.StoryTeaser]) -> dict[str, Any]:
    people, orgs = story_views.country_people(country.code, site)
    return {"country_people": people, "country_organisations": orgs,
            "country_stories": story_views.listed_stories(site.stories_of_country.get(country.code, ()), stories),
            "coverage": story_views.coverage_of(country.focus_articles + country.mention_articles, shown,
                                                f"Articles filed under {country.name} over time")}


def _story_jobs(site: pages.Site, shown: Mapping[str, Teaser], options: ArchiveSettings,
                stories: Mapping[str, story_views.StoryTeaser]) -> Iterator[PageJob]:
    for page in site.story_pages.values():
        yield PageJob("news_story", page.save_as, page.url, story_views.story_variables(page, site, shown, stories))
    if site.story_pages and options.stories_save_as:
        ordered = story_views.listed_stories(
            story_views.newest_first_stories(site), stories)
        yield PageJob("news_stories", options.stories_save_as, options.stories_url, {"stories": ordered})


@dataclass(frozen=True)
class FeedJob:
    items: list[Any]
    save_as: str
    url: str
    title: str


def feed_jobs(site: pages.Site, docs: Documents, options: ArchiveSettings) -> Iterator[FeedJob]:
    """An Atom feed per entity and country page that has dated articles (newest first)."""
    def items(keys: Sequence[str]) -> list[Any]:
        return [docs.by_key[k] for k in pages.feed_articles(keys, docs.infos, options.feed_max_items)]

    for page in site.entity_pages.values():
        if page.feed_save_as:
            yield FeedJob(items(page.articles), page.feed_save_as, page.feed_url, page.entity.name)
    for country in site.country_pages.values():
        if country.feed_save_as:
            yield FeedJob(items(country.focus_articles + country.mention_articles), country.feed_save_as,
                          country.feed_url, country.name)


def sitemap_entries(site: pages.Site, docs: Documents, settings: Mapping[str, Any], options: ArchiveSettings,
                    pelican_pages: Sequence[Any]) -> list[sitemap.Entry]:
    """Every page worth finding: articles, Pelican's pages, the plugin's pages and indexes (no redirects, no
    notices, no search page); ``lastmod`` only from known article dates."""
    def day(key: str) -> str | None:
        date = docs.infos[key].date
        return date[:10] if date else None

    def newest(keys: Sequence[str]) -> str | None:
        return max((d for d in map(day, keys) if d), default=None)

    everything = list(docs.infos)
    entries = [sitemap.Entry("", newest(everything))]
    if "archives" in (settings.get("DIRECT_TEMPLATES") or ()) and settings.get("ARCHIVES_SAVE_AS"):
        entries.append(sitemap.Entry(settings.get("ARCHIVES_URL") or settings["ARCHIVES_SAVE_AS"], newest(everything)))
    entries += [sitemap.Entry(docs.infos[k].url, day(k)) for k in everything]
    entries += [sitemap.Entry(p.url) for p in pelican_pages]
    entries += [sitemap.Entry(p.url, newest(p.articles)) for p in site.entity_pages.values()]
    entries += [sitemap.Entry(p.url, newest(p.focus_articles + p.mention_articles))
                for p in site.country_pages.values()]
    if options.entities_save_as:
        entries.append(sitemap.Entry(options.entities_url))
    if options.countries_save_as:
        entries.append(sitemap.Entry(options.countries_url))
    entries += [sitemap.Entry(p.url, day(p.last) if p.last else None) for p in site.story_pages.values()]
    if site.story_pages and options.stories_save_as:
        entries.append(sitemap.Entry(options.stories_url))
    return entries
