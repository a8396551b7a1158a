"""The one module that touches Pelican: signals, articles, the writer and settings.

Everything else is pure stages over plain data. Here Pelican articles become :class:`~.model.SourceDoc`, the
pipeline runs once per build inside a Pelican generator (after the articles are read, before anything is written),
its results are attached to the articles for the theme, and the generator writes the plugin's own pages, feeds
and ``archive.json`` with Pelican's writer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import subprocess
import time
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from markupsafe import Markup
from pelican import __version__ as pelican_version
from pelican import signals
from pelican.generators import Generator
from pelican.log import console
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Category
from pelican.utils import get_relative_path, sanitised_join

from . import export, replay, search, sitemap, structured, views, worldmap
from . import settings as settings_mod
from .cache import ExtractionCache
from .html_text import html_to_text, latin_share
from .model import ArticleInfo, SourceDoc
from .nlp import ModelError
from .pipeline import ArchiveResult, analyse, archive_key
from .sanitise import sanitise_html

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
# Pelican needs a date to sort and write an article. An article whose date is unknown gets this placeholder,
# is flagged ``date_unknown`` (themes print "date unknown") and is exported with ``"date": null``.
UNKNOWN_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _version() -> str:
    try:
        return importlib_metadata.version("pelican-news-archive")
    except importlib_metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def mark_unknown_date(sender: Any, metadata: dict[str, Any]) -> None:
    """``article_generator_context``: keep dateless articles (Pelican would skip them) and flag them; give a draft
    without a category the default one, because Pelican (4.x) writes drafts with their category and, when
    category pages are off (``CATEGORY_SAVE_AS = ""``), assigns none, which stops the build."""
    if not metadata.get("date"):
        metadata["date"] = UNKNOWN_DATE
        metadata["date_unknown"] = True
    else:
        metadata.setdefault("date_unknown", False)
    if str(metadata.get("status", "")).lower() == "draft" and "category" not in metadata:
        settings = getattr(sender, "settings", {})
        metadata["category"] = Category(settings.get("DEFAULT_CATEGORY") or "misc", settings)


class TolerantMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, but a bad byte or a bad date costs a warning, not the article.

    Pelican skips a file that is not valid UTF-8 or whose ``Date:`` does not parse; in a news archive that loses
    an article for a typo. Here invalid bytes become U+FFFD and an unreadable date becomes "date unknown", each
    with one warning naming the file.
    """

    def read(self, source_path: str):
        try:
            return super().read(source_path)
        except UnicodeDecodeError as exc:
            logger.warning("news_archive: %s is not valid UTF-8 (%s); bad bytes shown as \ufffd", source_path,
                           exc.reason)
        self._source_path = source_path
        from markdown import Markdown

        self._md = Markdown(**self.settings["MARKDOWN"])
        with open(source_path, encoding="utf-8", errors="replace") as fh:
            text = fh.read().lstrip("\ufeff").replace("\r\n", "\n")
        content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata

    def process_metadata(self, name: str, value: Any) -> Any:
        try:
            return super().process_metadata(name, value)
        except (ValueError, TypeError, OverflowError) as exc:
            if name not in ("date", "modified"):
                raise
            logger.warning("news_archive: %s has an unreadable %s %r (%s); shown as unknown",
                           getattr(self, "_source_path", "?"), name, value, exc)
            return None


def use_tolerant_reader(readers: Any) -> None:
    """``readers_init``: read Markdown with :class:`TolerantMarkdownReader`."""
    for ext in TolerantMarkdownReader.file_extensions:
        if ext in readers.reader_classes and readers.reader_classes[ext] is MarkdownReader:
            readers.reader_classes[ext] = TolerantMarkdownReader


def drop_undated_entries(context: Any, feed: Any) -> None:
    """``feed_generated``: an article whose date is unknown stays out of every feed (Pelican's own too), instead
    of being announced with the placeholder date. A feed left with no entry says the placeholder as its own
    update time: Atom requires one, and the current time would make two builds differ."""
    feed.items = [item for item in feed.items if item.get("pubdate") != UNKNOWN_DATE]
    if not feed.items:
        feed.latest_post_date = lambda: UNKNOWN_DATE


def check_settings(pelican: Any) -> None:
    """``initialized``: fail fast, with one message, on a bad ``NEWS_ARCHIVE_*`` value."""
    try:
        settings_mod.load(pelican.settings)
    except settings_mod.SettingsError as exc:
        raise SystemExit(f"news_archive: {exc}") from None


def iso_date(article: Any) -> str | None:
    if getattr(article, "date_unknown", False) or not getattr(article, "date", None):
        return None
    return article.date.isoformat()


class _View(dict):
    """Template data with attribute access (``tag.name`` and ``tag['name']`` both work).

    The instance's attributes are the dict itself, so ``tag.name`` is a plain attribute lookup: templates read
    these hundreds of thousands of times per build. A missing key is an AttributeError, which Jinja turns into
    an undefined value, as for any other object.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__dict__ = self

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as the plain dict it is (the cache keeps these)
        return type(self), (dict(self),)


class _Lazy:
    """Markup made the first time a template shows it (or asks whether there is any): the world map costs a tenth
    of a second to draw and only the countries index shows it, which a rebuild in which nothing changed does not
    render at all."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._value: Markup | None = None
        self._made = False

    def _get(self) -> Markup | None:
        if not self._made:
            self._value, self._made = self._make(), True
        return self._value

    def __html__(self) -> str:
        return str(self._get() or "")

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self._get())


def teaser(article: Any) -> _View:
    """What a list of articles shows of one (headline, URL, date, outlet, dateline), computed once per build.

    Entity, country and related lists name the same articles thousands of times; Pelican computes ``url`` and
    ``locale_date`` anew on every access, so templates get these plain values instead (plain data, so that a
    rebuild can take them from the cache). ``slug`` finds the article itself in the context's ``articles``.
    """
    unknown = bool(getattr(article, "date_unknown", False)) or not getattr(article, "date", None)
    return _View(slug=article.slug, url=article.url, title=str(article.title),
                 headline=Markup(str(article.title)).striptags(),  # the title as text, markup removed
                 date=None if unknown else article.date, date_iso=None if unknown else article.date.isoformat(),
                 date_unknown=unknown, locale_date="" if unknown else article.locale_date,
                 source=getattr(article, "source", None), dateline=getattr(article, "dateline", None),
                 title_derived=getattr(article, "title_derived", None), news_countries=[], news_focus=[])


class NewsArchiveGenerator(Generator):
    """Runs the analysis in ``generate_context`` and writes entity/country pages in ``generate_output``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The theme's templates win; the plugin's own are the fallback, so the plugin works under any theme.
        self.env.loader = ChoiceLoader([self.env.loader, FileSystemLoader(str(TEMPLATES))])
        self.options = settings_mod.load(self.settings)
        self.result: ArchiveResult | None = None
        self.articles: list[Any] = []
        self.entity_pages: dict[str, views.EntityPage] = {}
        self.country_pages: dict[str, views.CountryPage] = {}
        self.infos: dict[str, ArticleInfo] = {}
        self.by_key: dict[str, Any] = {}
        self.teasers: dict[str, _View] = {}
        self.docs: list[SourceDoc] = []
        # Digest of everything this build's output is made from ("" without a cache): keys the memos of replay.py.
        self.build_key = ""

    # -- analysis ---------------------------------------------------------------------------------------------
    def _documents(self) -> tuple[list[SourceDoc], dict[str, Any]]:
        docs: list[SourceDoc] = []
        by_key: dict[str, Any] = {}
        for article in sorted(self.context.get("articles", []), key=lambda a: (a.source_path, a.slug)):
            key = article.slug
            if key in by_key:
                n = 2
                while f"{key}-{n}" in by_key:
                    n += 1
                # Pelican would write both to one file and lose the first; give the later one its own page.
                logger.warning("news_archive: %s has the same slug %r as %s; published as %r",
                               article.source_path, key, by_key[key].source_path, f"{key}-{n}")
                key = f"{key}-{n}"
                article.slug = key
            by_key[key] = article
            html = getattr(article, "_content", None) or ""
            clean, removed = sanitise_html(html)
            if removed:
                logger.warning("news_archive: %s contains active content (%s); removed before publishing",
                               article.source_path, ", ".join(sorted(set(removed))))
                article._content = html = clean
            token = hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()
            docs.append(SourceDoc(key=key, title=str(article.title), text="", date=iso_date(article),
                                  dateline=getattr(article, "dateline", None), source=getattr(article, "source", None),
                                  token=token))
        return docs, by_key

    def _progress_factory(self, total: int):
        if total < self.options.progress_min_articles or os.environ.get("CI"):
            return None
        from rich.progress import Progress

        progress = Progress(transient=True)
        task = progress.add_task("news_archive: extracting entities", total=total)
        progress.start()

        def advance(n: int) -> None:
            progress.advance(task, n)
            if progress.finished:
                progress.stop()

        return advance

    def generate_context(self) -> None:
        """Analyse the articles and attach the results to them; a rebuild in which nothing the results are made
        from changed takes them, as attached, from the cache."""
        t0 = time.perf_counter()
        self.docs, self.by_key = self._documents()
        if not self.docs:
            logger.info("news_archive: no articles to analyse")
        try:
            self.build_key = self._build_key()
        except ModelError as exc:  # the model's identity is part of the key: it must exist
            raise SystemExit(str(exc)) from None
        cache = ExtractionCache(self.settings.get("CACHE_PATH") if self.build_key else None)
        try:
            state = replay.unpack(cache.get_memo("context", self.build_key)) if cache.enabled else None
            if isinstance(state, dict) and self._restore(state):
                counts = state["counts"]
                how = "cache: nothing changed since the last build"
            else:
                self._analyse()
                self._present()
                counts = {"entities": len(self.result.entities.entities), "pages": len(self.entity_pages),
                          "countries": len(self.country_pages)}
                if cache.enabled:
                    cache.put_memo("context", self.build_key, replay.pack(self._state(counts)))
                r = self.result
                how = (f"cache {r.cache_hits} hits, {r.cache_misses} misses; seconds: "
                       + ", ".join(f"{k} {v:.2f}" for k, v in r.seconds.items()))
        finally:
            cache.close()
        # One summary line beside Pelican's own "Done:" line, on Pelican's console (shown at every log level).
        console.print(
            f"news_archive: {len(self.docs)} articles, {counts['entities']} entities ({counts['pages']} pages), "
            f"{counts['countries']} countries; {how}; total {time.perf_counter() - t0:.2f} s", highlight=False)

    def _editor_rules(self) -> str | None:
        rules = os.path.join(self.path, self.options.entities_file) if self.options.entities_file else None
        return rules if rules and os.path.isfile(rules) else None

    def _analyse(self) -> None:
        """The analysis of ``self.docs`` (``pipeline.analyse``: each stage cached on its own)."""
        by_key = self.by_key

        def materialise(doc: SourceDoc) -> tuple[SourceDoc, str | None]:
            # Runs in the extraction workers (forked: they see these articles); what is wrong is logged here.
            article = by_key[doc.key]
            text = html_to_text(getattr(article, "_content", None) or "")
            title, problem = doc.title, None
            if not text.strip():
                problem = f"news_archive: {article.source_path} has no body text; only its title is analysed"
            elif latin_share(text) < 0.5:
                # An English model reads other scripts as noise: such an article is kept, but gets no tags.
                problem = (f"news_archive: {article.source_path} does not look like English text; it is "
                           "published without entity tags")
                text = ""
                if latin_share(doc.title) < 0.5:
                    title = ""
            return SourceDoc(key=doc.key, title=title, text=text, date=doc.date, dateline=doc.dateline,
                             source=doc.source, token=doc.token), problem

        try:
            self.result = analyse(self.docs, self.options, cache_dir=self.settings.get("CACHE_PATH"),
                                  materialise=materialise, progress_factory=self._progress_factory,
                                  editor_rules=self._editor_rules())
        except ModelError as exc:
            raise SystemExit(str(exc)) from None

    def _present(self) -> None:
        """From the analysis to what templates show: page models, teasers, each article's tags, countries,
        related links and JSON-LD, and the ``news_archive`` context."""
        assert self.result is not None
        by_key = self.by_key
        self.infos = {
            key: ArticleInfo(key=key, title=str(a.title), url=a.url, date=iso_date(a),
                             source_path=os.path.relpath(a.source_path, self.path).replace(os.sep, "/"),
                             source=getattr(a, "source", None), dateline=getattr(a, "dateline", None))
            for key, a in by_key.items()}
        self.entity_pages = views.entity_pages(self.result.entities, self.infos, self.options)
        self.country_pages = views.country_pages(self.result.countries, self.infos, self.options)
        self.teasers = {key: teaser(a) for key, a in by_key.items()}
        self._attach(by_key)
        self._attach_structured(by_key)
        self.articles = [by_key[k] for k in views.newest_first(list(by_key), self.infos)]
        self._set_context(self._reader_context())

    def _set_context(self, reader_context: dict[str, Any]) -> None:
        self.context["news_archive"] = _View(
            entity_pages=self.entity_pages, country_pages=self.country_pages,
            entities_url=self.options.entities_url, countries_url=self.options.countries_url,
            world_map=_Lazy(self._world_map), **reader_context)

    # What _present attaches to each article, kept in the cache between builds.
    ATTACHED = ("news_tags", "news_tag_groups", "news_countries", "news_focus", "news_related", "news_same_story",
                "news_jsonld")

    def _state(self, counts: dict[str, int]) -> dict[str, Any]:
        """Everything ``_present`` made, as plain picklable data."""
        reader = {k: v for k, v in self.context["news_archive"].items()
                  if k not in ("entity_pages", "country_pages", "entities_url", "countries_url", "world_map")}
        return {"counts": counts, "infos": self.infos, "entity_pages": self.entity_pages,
                "country_pages": self.country_pages, "teasers": self.teasers, "reader": reader,
                "order": [a.slug for a in self.articles],
                "attached": {key: {name: getattr(a, name) for name in self.ATTACHED} for key, a in self.by_key.items()}}

    def _restore(self, state: dict[str, Any]) -> bool:
        """Put a cached ``_state`` back on this build's articles; False if it does not fit them."""
        try:
            attached = state["attached"]
            if set(attached) != set(self.by_key) or set(state["order"]) != set(self.by_key):
                return False
            for key, article in self.by_key.items():
                for name, value in attached[key].items():
                    setattr(article, name, value)
            self.infos, self.teasers = state["infos"], state["teasers"]
            self.entity_pages, self.country_pages = state["entity_pages"], state["country_pages"]
            self.articles = [self.by_key[k] for k in state["order"]]
            self._set_context(state["reader"])
        except (KeyError, TypeError, AttributeError) as exc:
            logger.debug("news_archive: cached analysis does not fit (%s); analysing", exc)
            return False
        return True

    def _build_key(self) -> str:
        """Digest of everything the plugin's results and pages are made from ("" when there is no cache to keep
        them in): the analysis' inputs (``pipeline.archive_key``), every Pelican setting but the output and cache
        folders, every template the build can load, every article's and page's slug, metadata and text, whether
        search is on, and the versions."""
        if not (self.options.cache and self.settings.get("CACHE_PATH")):
            return ""
        # Where the output and the cache go does not change what is written (each output folder keeps its own
        # manifest of what is on disk).
        settings = {k: v for k, v in self.settings.items() if k not in ("OUTPUT_PATH", "CACHE_PATH")}
        parts: list[str | bytes] = [archive_key(self.docs, self.options, self._editor_rules()), _version(),
                                    pelican_version, replay.canonical(settings), str(search.executable())]
        for name, data in replay.tree_files(template_folders(self.env.loader)):
            parts += [name, data]
        for kind in ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages"):
            for content in self.context.get(kind) or []:
                # URLs follow from the settings, the metadata and the slug (which _documents may have changed).
                parts += [kind, str(content.source_path), str(getattr(content, "slug", "")),
                          getattr(content, "_content", None) or "", replay.canonical(content.metadata)]
        return replay.digest(parts)

    def _world_map(self) -> Markup | None:
        """The countries index's SVG world map, linked like the list beside it; None without an index."""
        if not self.options.countries_save_as or not self.country_pages:
            return None
        relative = self.settings.get("RELATIVE_URLS", False)
        root = get_relative_path(self.options.countries_save_as) if relative else self.settings.get("SITEURL", "")
        try:
            return Markup(worldmap.for_pages(self.country_pages.values(), root))
        except worldmap.MapDataError as exc:
            logger.warning("news_archive: the countries index has no world map (%s)", exc)
            return None

    def _attach(self, by_key: dict[str, Any]) -> None:
        assert self.result is not None
        entities = self.result.entities.entities
        shown: dict[str, _View] = {}  # one view per entity, shared by every article that names it

        def tag_view(slug: str) -> _View:
            if slug not in shown:
                e, page = entities[slug], self.entity_pages.get(slug)
                shown[slug] = _View(name=e.name, type=e.type, slug=e.slug, url=page.url if page else None,
                                    type_label=views.TYPE_LABELS.get(e.type, e.type))
            return shown[slug]

        for key, article in by_key.items():
            tags = [tag_view(ref.slug) for ref in self.result.entities.by_article.get(key, [])]
            groups = []
            for t in views.TYPE_ORDER:
                members = [tag for tag in tags if tag["type"] == t]
                if members:
                    groups.append(_View(type=t, label=views.TYPE_LABELS[t], tags=members))
            article.news_tags = tags
            article.news_tag_groups = groups
            article.news_countries = [
                _View(code=c.code, name=self.country_pages[c.code].name, flag=self.country_pages[c.code].flag,
                      url=self.country_pages[c.code].url, focus=c.focus, mentions=c.mentions)
                for c in self.result.countries.get(key, []) if c.code in self.country_pages]
            article.news_focus = [c for c in article.news_countries if c["focus"]]
            self.teasers[key].update(news_countries=article.news_countries, news_focus=article.news_focus)
            related, same = [], []
            for ref in self.result.related.get(key, []):
                if ref.key not in self.teasers:
                    continue
                view = _View(article=self.teasers[ref.key], key=ref.key, score=ref.score, shared=list(ref.shared),
                             same_story=ref.same_story)
                (same if ref.same_story else related).append(view)
            manual = self._manual_targets(article, by_key)  # once: a missing slug is warned about once
            article.news_related = [_View(article=self.teasers[k], key=k, score=None, shared=[], same_story=False,
                                          manual=True) for k in manual] + [v for v in related if v["key"] not in manual]
            article.news_related = article.news_related[: max(self.options.related_count, len(manual))]
            article.news_same_story = same

    @staticmethod
    def _manual_targets(article: Any, by_key: dict[str, Any]) -> list[str]:
        """The keys an editor's ``Related:`` metadata names, in its order; a slug that does not exist is warned
        about."""
        raw = getattr(article, "related", None) or ""
        slugs = [s.strip() for s in (raw if isinstance(raw, list) else str(raw).split(",")) if s.strip()]
        targets = []
        for slug in slugs:
            if slug in by_key and by_key[slug] is not article:
                targets.append(slug)
            else:
                logger.warning("news_archive: %s lists related article %r, which does not exist",
                               article.source_path, slug)
        return targets

    # -- output -----------------------------------------------------------------------------------------------
    def _articles(self, keys: tuple[str, ...], by_slug: dict[str, Any]) -> list[Any]:
        return [by_slug[k] for k in keys if k in by_slug]

    def _feed_items(self, keys: tuple[str, ...]) -> list[Any]:
        return self._articles(tuple(views.feed_articles(keys, self.infos, self.options.feed_max_items)), self.by_key)

    def _teasers(self, keys: tuple[str, ...]) -> list[_View]:
        return [self.teasers[k] for k in keys if k in self.teasers]

    def generate_output(self, writer: Any) -> None:
        """Write the plugin's pages, feeds, indexes, sitemap and export; when nothing they are made from changed
        since the last build, write back that build's bytes instead of rendering them again (``replay.py``)."""
        if not self.docs and not self.by_key:
            return
        if self.context["news_archive"]["search_url"]:  # articles and pages are written: search can start
            job = start_search(self.settings, self.output_path)
            if job is not None:
                _SEARCH_JOBS[os.path.abspath(self.output_path)] = job
        key = self.build_key
        cache = ExtractionCache(self.settings.get("CACHE_PATH") if key else None)
        try:
            memo = replay.Memo(cache, "pages", self.output_path)
            t0 = time.perf_counter()
            reused = memo.reuse(key) if cache.enabled else None
            if reused is not None:
                names, feeds, changed = reused
                if signals.content_written.receivers:  # other plugins hear of every page, as from Pelican's writer
                    for name in names:
                        if name not in feeds:
                            signals.content_written.send(os.path.join(memo.root, name), context=self.context)
                logger.info("news_archive: nothing the plugin's %d pages and feeds are made from has changed; "
                            "%d written back from the last build in %.2f s", len(names), changed,
                            time.perf_counter() - t0)
                return
            written: list[str] = []
            feeds: list[str] = []

            def page_written(path: str, **_: Any) -> None:
                written.append(path)

            def feed_written(path: str, **_: Any) -> None:
                written.append(path)
                feeds.append(path)

            signals.content_written.connect(page_written)
            signals.feed_written.connect(feed_written)
            try:
                self._render_output(writer, written)
            finally:
                signals.content_written.disconnect(page_written)
                signals.feed_written.disconnect(feed_written)
            if cache.enabled:
                rel = [os.path.relpath(p, self.output_path).replace(os.sep, "/") for p in written]
                memo.store(key, rel, {os.path.relpath(p, self.output_path).replace(os.sep, "/") for p in feeds})
        finally:
            cache.close()

    def _render_output(self, writer: Any, written: list[str]) -> None:
        if self.result is None:  # the context came from the cache; the export needs the analysis itself
            self._analyse()
        relative = self.settings.get("RELATIVE_URLS", False)
        entity_tpl = self.get_template("news_entity")
        for page in self.entity_pages.values():
            co = [(self.entity_pages[s], n) for s, n in page.co_mentioned if s in self.entity_pages]
            writer.write_file(page.save_as, entity_tpl, self.context, relative_urls=relative, url=page.url,
                              entity=page.entity, entity_page=page, entity_articles=self._teasers(page.articles),
                              co_mentioned=co, type_label=views.TYPE_LABELS.get(page.entity.type, page.entity.type))
            if page.feed_save_as:
                writer.write_feed(self._feed_items(page.articles), self.context, page.feed_save_as,
                                  page.feed_url, feed_title=f"{page.entity.name}")
        if self.options.entities_save_as:
            writer.write_file(self.options.entities_save_as, self.get_template("news_entities"), self.context,
                              relative_urls=relative, url=self.options.entities_url,
                              entity_groups=views.entities_by_type(self.entity_pages))
        country_tpl = self.get_template("news_country")
        for page in self.country_pages.values():
            writer.write_file(page.save_as, country_tpl, self.context, relative_urls=relative, url=page.url,
                              country=page, focus_articles=self._teasers(page.focus_articles),
                              mention_articles=self._teasers(page.mention_articles))
            if page.feed_save_as:
                writer.write_feed(self._feed_items(page.focus_articles + page.mention_articles), self.context,
                                  page.feed_save_as, page.feed_url, feed_title=page.name)
        if self.options.countries_save_as:
            ordered = sorted(self.country_pages.values(), key=lambda p: (p.name.lower(), p.code))
            writer.write_file(self.options.countries_save_as, self.get_template("news_countries"), self.context,
                              relative_urls=relative, url=self.options.countries_url, countries=ordered)
        if self.options.json_save_as:
            data = export.build(self.result, self.infos, self.entity_pages, self.country_pages, _version())
            written.append(write_text_atomic(self.output_path, self.options.json_save_as,
                                             export.safe_json(data) + "\n"))
        self._write_reader_pages(writer, written)

    # -- reader-facing extras: structured data, search page, sitemap ------------------------------------------
    def _site_url(self) -> str:
        return str(self.settings.get("SITEURL") or "").rstrip("/")

    def _attach_structured(self, by_key: dict[str, Any]) -> None:
        """``article.news_jsonld``: the article's schema.org NewsArticle, serialised for a ``<script>`` element."""
        site = self._site_url()
        lang = self.settings.get("DEFAULT_LANG") or None
        for article in by_key.values():
            mentions = [structured.Mention(name=t["name"], type=t["type"],
                                           url=sitemap.absolute(site, t["url"]) if t["url"] else None)
                        for t in getattr(article, "news_tags", [])]
            places = [structured.Place(name=c["name"], code=c["code"], focus=bool(c["focus"]),
                                       url=sitemap.absolute(site, c["url"]))
                      for c in getattr(article, "news_countries", [])]
            # Pelican's summary is a few sentences of HTML: its text is all a description needs (no parser).
            summary = structured.shorten(Markup(str(getattr(article, "summary", "") or "")).striptags())
            modified = getattr(article, "modified", None)
            data = structured.news_article(
                headline=str(article.title), url=sitemap.absolute(site, article.url), date=iso_date(article),
                modified=modified.isoformat() if modified and iso_date(article) else None,
                source=getattr(article, "source", None), dateline=getattr(article, "dateline", None),
                description=summary or None, language=lang,
                site_name=str(self.settings.get("SITENAME") or "") or None, mentions=mentions, places=places)
            article.news_jsonld = Markup(structured.script_json(data))

    def _reader_context(self) -> dict[str, Any]:
        """Template values for the search box and page; ``search_url`` is None when search is off."""
        on = bool(self.options.search and self.options.search_save_as)
        if on and search.executable() is None:
            logger.info("news_archive: search is off because Pagefind is not installed "
                        "(pip install 'pelican-news-archive[search]' brings it)")
            on = False
        relative = self.settings.get("RELATIVE_URLS", False)
        # Pagefind returns result URLs from the site root; the search page prefixes them with this.
        base = (get_relative_path(self.options.search_save_as) if relative
                else urlsplit(self._site_url()).path.rstrip("/") + "/")
        return {"search_url": self.options.search_url if on else None, "search_bundle": search.BUNDLE_DIR,
                "search_base": base, "sitemap_url": self.options.sitemap_save_as or None,
                "json_url": self.options.json_save_as or None,
                # For a home page's "browse" box: most articles first.
                "top_countries": sorted(self.country_pages.values(), key=lambda p: (
                    -len(p.focus_articles), -len(p.mention_articles), p.name.lower()))[:12],
                "top_entities": sorted(self.entity_pages.values(), key=lambda p: (
                    -len(p.articles), -p.mentions, p.entity.name.lower()))[:12]}

    def _write_reader_pages(self, writer: Any, written: list[str]) -> None:
        relative = self.settings.get("RELATIVE_URLS", False)
        if self.context["news_archive"]["search_url"]:
            writer.write_file(self.options.search_save_as, self.get_template("news_search"), self.context,
                              relative_urls=relative, url=self.options.search_url)
        if self.options.sitemap_save_as:
            written.append(write_text_atomic(self.output_path, self.options.sitemap_save_as,
                                             sitemap.render(self._sitemap_entries(), self._site_url())))

    def _sitemap_entries(self) -> list[sitemap.Entry]:
        """Every written page but the search page; ``lastmod`` only from known article dates."""
        def day(article: Any) -> str | None:
            return iso_date(article)[:10] if iso_date(article) else None

        def newest(arts: list[Any]) -> str | None:
            return max((d for d in map(day, arts) if d), default=None)

        s = self.settings
        entries = [sitemap.Entry("", newest(self.articles))]
        if "archives" in (s.get("DIRECT_TEMPLATES") or ()) and s.get("ARCHIVES_SAVE_AS"):
            entries.append(sitemap.Entry(s.get("ARCHIVES_URL") or s["ARCHIVES_SAVE_AS"], newest(self.articles)))
        entries += [sitemap.Entry(a.url, day(a)) for a in self.articles]
        entries += [sitemap.Entry(p.url) for p in self.context.get("pages", [])]
        for page in self.entity_pages.values():
            entries.append(sitemap.Entry(page.url, newest(self._articles(page.articles, self.by_key))))
        for page in self.country_pages.values():
            arts = self._articles(page.focus_articles + page.mention_articles, self.by_key)
            entries.append(sitemap.Entry(page.url, newest(arts)))
        if self.options.entities_save_as:
            entries.append(sitemap.Entry(self.options.entities_url))
        if self.options.countries_save_as:
            entries.append(sitemap.Entry(self.options.countries_url))
        return entries


def template_folders(loader: Any) -> list[str]:
    """Every folder a Jinja loader (Pelican's: choice and prefix loaders over file-system ones) reads from."""
    if isinstance(loader, FileSystemLoader):
        return [str(p) for p in loader.searchpath]
    if isinstance(loader, ChoiceLoader):
        return [f for sub in loader.loaders for f in template_folders(sub)]
    if isinstance(loader, PrefixLoader):
        return [f for sub in loader.mapping.values() for f in template_folders(sub)]
    return []


def write_text_atomic(output_path: str, name: str, text: str) -> str:
    """Write a file inside the output folder atomically (temp file + rename); refuse paths outside it."""
    path = sanitised_join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return path


@dataclass
class _SearchJob:
    """The search index of one build: reused from the cache (``indexer`` None) or being made by Pagefind."""

    output_path: str
    exe: str
    glob: str
    key: str  # "" without a cache
    indexer: search.Indexer | None = None


# Search jobs started while the build was still writing (see start_search), by output folder.
_SEARCH_JOBS: dict[str, _SearchJob] = {}


def start_search(settings: dict[str, Any], output_path: str) -> _SearchJob | None:
    """Decide how the build gets its search index, and start Pagefind now if it must run.

    Pagefind reads only the pages worth searching (articles and pages, by their ``*_SAVE_AS`` patterns), which
    are written before the plugin's own pages: started then, it indexes in its own process while the plugin
    writes entity and country pages, instead of after them. Its input, those pages byte for byte, and Pagefind
    itself make the key under which the bundle is kept for the next build.
    """
    options = settings_mod.load(settings)
    exe = search.executable() if options.search and options.search_save_as else None
    if exe is None:
        return None
    glob = search.content_glob(settings.get(k) or "" for k in
                               ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS", "PAGE_SAVE_AS", "PAGE_LANG_SAVE_AS"))
    job = _SearchJob(output_path=output_path, exe=exe, glob=glob, key="")
    cache = ExtractionCache(settings.get("CACHE_PATH") if options.cache else None)
    try:
        if cache.enabled:
            stat = os.stat(exe)
            job.key = replay.files_digest(output_path, search.matching_pages(output_path, glob),
                                          "pagefind", exe, str(stat.st_size), str(stat.st_mtime_ns), glob)
            if cache.has_memo("search", job.key):
                return job
    finally:
        cache.close()
    job.indexer = search.Indexer(output_path, exe, glob)
    return job


def index_search(pelican: Any) -> None:
    """``finalized``: give the written site its search index (Pagefind's bundle, made or reused)."""
    out = os.path.abspath(pelican.output_path)
    job = _SEARCH_JOBS.pop(out, None) or start_search(pelican.settings, pelican.output_path)
    if job is None:
        return  # search is off or Pagefind missing (said once already, when the search page was left out)
    t0 = time.perf_counter()
    cache = ExtractionCache(pelican.settings.get("CACHE_PATH") if job.key else None)
    try:
        memo = replay.Memo(cache, "search", job.output_path)
        reused = memo.reuse(job.key, before_writing=lambda: search.clear_bundle(job.output_path)) \
            if job.indexer is None else None
        if reused is not None:
            report, how = reused[1], "unchanged, reused from the last build,"
        else:
            try:
                report = (job.indexer or search.Indexer(job.output_path, job.exe, job.glob)).wait()
            except (search.SearchIndexError, OSError, subprocess.TimeoutExpired) as exc:
                logger.error("news_archive: the search index was not built: %s", exc)
                return
            if job.key:
                bundle = Path(job.output_path, search.BUNDLE_DIR)
                memo.store(job.key, [p.relative_to(job.output_path).as_posix() for p in bundle.rglob("*")
                                     if p.is_file()], report)
            how = "built"
    finally:
        cache.close()
    console.print(f"news_archive: search index of {report.pages} pages, {report.words} words, {report.filters} "
                  f"filters {how} in {time.perf_counter() - t0:.2f} s", highlight=False)


def get_generators(pelican: Any) -> type[Generator]:
    return NewsArchiveGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_context.connect(mark_unknown_date)
    signals.readers_init.connect(use_tolerant_reader)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_search)
    signals.feed_generated.connect(drop_undated_entries)
