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
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from pelican.log import console
from pelican.readers import MarkdownReader
from pelican.utils import get_relative_path, sanitised_join

from . import export, search, sitemap, structured, views, worldmap
from . import settings as settings_mod
from .html_text import html_to_text, latin_share
from .model import ArticleInfo, SourceDoc
from .nlp import ModelError
from .pipeline import ArchiveResult, analyse
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
    """``article_generator_context``: keep dateless articles (Pelican would skip them) and flag them."""
    if not metadata.get("date"):
        metadata["date"] = UNKNOWN_DATE
        metadata["date_unknown"] = True
    else:
        metadata.setdefault("date_unknown", False)


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
    """Attribute-style access for template data (``tag.name`` and ``tag['name']`` both work)."""

    __getattr__ = dict.get


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
        t0 = time.perf_counter()
        docs, by_key = self._documents()
        if not docs:
            logger.info("news_archive: no articles to analyse")

        def materialise(doc: SourceDoc) -> SourceDoc:
            article = by_key[doc.key]
            text = html_to_text(getattr(article, "_content", None) or "")
            if not text.strip():
                logger.warning("news_archive: %s has no body text; only its title is analysed",
                               article.source_path)
            elif latin_share(text) < 0.5:
                # An English model reads other scripts as noise: such an article is kept, but gets no tags.
                logger.warning("news_archive: %s does not look like English text; it is published without "
                               "entity tags", article.source_path)
                text = ""
                if latin_share(doc.title) < 0.5:
                    return SourceDoc(key=doc.key, title="", text="", date=doc.date, dateline=doc.dateline,
                                     source=doc.source, token=doc.token)
            return SourceDoc(key=doc.key, title=doc.title, text=text, date=doc.date, dateline=doc.dateline,
                             source=doc.source, token=doc.token)

        try:
            rules = os.path.join(self.path, self.options.entities_file) if self.options.entities_file else None
            self.result = analyse(docs, self.options, cache_dir=self.settings.get("CACHE_PATH"),
                                  materialise=materialise, progress_factory=self._progress_factory,
                                  editor_rules=rules if rules and os.path.isfile(rules) else None)
        except ModelError as exc:
            raise SystemExit(str(exc)) from None
        self.by_key = by_key
        self.infos = {
            key: ArticleInfo(key=key, title=str(a.title), url=a.url, date=iso_date(a),
                             source_path=os.path.relpath(a.source_path, self.path).replace(os.sep, "/"),
                             source=getattr(a, "source", None), dateline=getattr(a, "dateline", None))
            for key, a in by_key.items()}
        self.entity_pages = views.entity_pages(self.result.entities, self.infos, self.options)
        self.country_pages = views.country_pages(self.result.countries, self.infos, self.options)
        self._attach(by_key)
        self._attach_structured(by_key)
        self.articles = [by_key[k] for k in views.newest_first(list(by_key), self.infos)]
        self.context["news_archive"] = _View(
            entity_pages=self.entity_pages, country_pages=self.country_pages,
            entities_url=self.options.entities_url, countries_url=self.options.countries_url,
            world_map=self._world_map(), **self._reader_context())
        r = self.result
        # One summary line beside Pelican's own "Done:" line, on Pelican's console (shown at every log level).
        console.print(
            f"news_archive: {len(docs)} articles, {len(r.entities.entities)} entities "
            f"({len(self.entity_pages)} pages), {len(self.country_pages)} countries; cache {r.cache_hits} hits, "
            f"{r.cache_misses} misses; seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in r.seconds.items())
            + f", total {time.perf_counter() - t0:.2f}", highlight=False)

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
        for key, article in by_key.items():
            tags = []
            for ref in self.result.entities.by_article.get(key, []):
                e = entities[ref.slug]
                page = self.entity_pages.get(ref.slug)
                tags.append(_View(name=e.name, type=e.type, slug=e.slug, url=page.url if page else None,
                                  mentions=ref.mentions, type_label=views.TYPE_LABELS.get(e.type, e.type)))
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
            related, same = [], []
            for ref in self.result.related.get(key, []):
                other = by_key.get(ref.key)
                if other is None:
                    continue
                view = _View(article=other, score=ref.score, shared=list(ref.shared), same_story=ref.same_story)
                (same if ref.same_story else related).append(view)
            manual = self._manual_targets(article, by_key)  # once: a missing slug is warned about once
            article.news_related = [_View(article=a, score=None, shared=[], same_story=False, manual=True)
                                    for a in manual] + [v for v in related if v["article"] not in manual]
            article.news_related = article.news_related[: max(self.options.related_count, len(manual))]
            article.news_same_story = same

    @staticmethod
    def _manual_targets(article: Any, by_key: dict[str, Any]) -> list[Any]:
        raw = getattr(article, "related", None) or ""
        slugs = [s.strip() for s in (raw if isinstance(raw, list) else str(raw).split(",")) if s.strip()]
        targets = []
        for slug in slugs:
            if slug in by_key and by_key[slug] is not article:
                targets.append(by_key[slug])
            else:
                logger.warning("news_archive: %s lists related article %r, which does not exist",
                               article.source_path, slug)
        return targets

    # -- output -----------------------------------------------------------------------------------------------
    def _articles(self, keys: tuple[str, ...], by_slug: dict[str, Any]) -> list[Any]:
        return [by_slug[k] for k in keys if k in by_slug]

    def generate_output(self, writer: Any) -> None:
        if self.result is None:
            return
        by_key = self.by_key
        relative = self.settings.get("RELATIVE_URLS", False)
        entity_tpl = self.get_template("news_entity")
        for page in self.entity_pages.values():
            arts = self._articles(page.articles, by_key)
            co = [(self.entity_pages[s], n) for s, n in page.co_mentioned if s in self.entity_pages]
            writer.write_file(page.save_as, entity_tpl, self.context, relative_urls=relative, url=page.url,
                              entity=page.entity, entity_page=page, entity_articles=arts, co_mentioned=co,
                              type_label=views.TYPE_LABELS.get(page.entity.type, page.entity.type))
            if page.feed_save_as:
                writer.write_feed(arts, self.context, page.feed_save_as, page.feed_url,
                                  feed_title=f"{page.entity.name}")
        if self.options.entities_save_as:
            writer.write_file(self.options.entities_save_as, self.get_template("news_entities"), self.context,
                              relative_urls=relative, url=self.options.entities_url,
                              entity_groups=views.entities_by_type(self.entity_pages))
        country_tpl = self.get_template("news_country")
        for page in self.country_pages.values():
            focus = self._articles(page.focus_articles, by_key)
            mentions = self._articles(page.mention_articles, by_key)
            writer.write_file(page.save_as, country_tpl, self.context, relative_urls=relative, url=page.url,
                              country=page, focus_articles=focus, mention_articles=mentions)
            if page.feed_save_as:
                writer.write_feed(focus + mentions, self.context, page.feed_save_as, page.feed_url,
                                  feed_title=page.name)
        if self.options.countries_save_as:
            ordered = sorted(self.country_pages.values(), key=lambda p: (p.name.lower(), p.code))
            writer.write_file(self.options.countries_save_as, self.get_template("news_countries"), self.context,
                              relative_urls=relative, url=self.options.countries_url, countries=ordered)
        if self.options.json_save_as:
            data = export.build(self.result, self.infos, self.entity_pages, self.country_pages, _version())
            write_text_atomic(self.output_path, self.options.json_save_as, export.safe_json(data) + "\n")
        self._write_reader_pages(writer)

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
            summary = structured.shorten(html_to_text(str(getattr(article, "summary", "") or "")))
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

    def _write_reader_pages(self, writer: Any) -> None:
        relative = self.settings.get("RELATIVE_URLS", False)
        if self.context["news_archive"]["search_url"]:
            writer.write_file(self.options.search_save_as, self.get_template("news_search"), self.context,
                              relative_urls=relative, url=self.options.search_url)
        if self.options.sitemap_save_as:
            write_text_atomic(self.output_path, self.options.sitemap_save_as,
                              sitemap.render(self._sitemap_entries(), self._site_url()))

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


def write_text_atomic(output_path: str, name: str, text: str) -> str:
    """Write a file inside the output folder atomically (temp file + rename); refuse paths outside it."""
    path = sanitised_join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return path


def index_search(pelican: Any) -> None:
    """``finalized``: index the written site with Pagefind (skipped, with a message, when it is not installed)."""
    options = settings_mod.load(pelican.settings)
    if not (options.search and options.search_save_as):
        return
    exe = search.executable()
    if exe is None:
        return  # said once already, when the search page was left out
    t0 = time.perf_counter()
    try:
        report = search.index_site(pelican.output_path, exe)
    except (search.SearchIndexError, OSError, subprocess.TimeoutExpired) as exc:
        logger.error("news_archive: the search index was not built: %s", exc)
        return
    console.print(f"news_archive: search index of {report.pages} pages, {report.words} words, {report.filters} "
                  f"filters in {time.perf_counter() - t0:.2f} s", highlight=False)


def get_generators(pelican: Any) -> type[Generator]:
    return NewsArchiveGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_context.connect(mark_unknown_date)
    signals.readers_init.connect(use_tolerant_reader)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_search)
