"""The plugin's Pelican generator: it only orchestrates.

``generate_context`` (after Pelican has read the articles, before anything is written) turns the articles into
documents, runs the analysis with the build state, builds the page models at their permanent addresses, keeps the
address book, and attaches to every article what its page shows. ``generate_output`` writes the plugin's pages,
feeds, ``archive.json`` and the sitemap through Pelican's writer (the memo writer skips what did not change), and
starts the search index. Everything it calls is a pure stage or a page model; nothing here decides what a tag,
a country or a link is.
"""

from __future__ import annotations

import logging
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup
from pelican.generators import Generator
from pelican.log import console

from ..analysis.editorial import EditorRules, rules_from_toml
from ..analysis.extraction.nlp import ModelError, model_identity
from ..analysis.pipeline import ArchiveResult, analyse
from ..build.keys import canonical, digest, tree_digest
from ..build.outputs import relative, write_atomic
from ..names import name_key
from ..site import addresses, export, flags, pages, presentation, sitemap, stories
from ..site.presentation import ArchiveContext
from . import runs, search_job, views
from .documents import Documents, documents

logger = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the plugin's own code, templates and data: part of every memo key."""
    return tree_digest([PACKAGE], (".py", ".html", ".txt", ".tsv", ".toml", ".json"))


def plugin_digests(plugins: list[Any]) -> list[str]:
    from .memo import plugin_code

    return plugin_code([p for p in plugins if not getattr(p, "__name__", "").startswith(__package__ or "-")])


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("pelican-news-archive")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


class NewsArchiveGenerator(Generator):
    """Runs the analysis in ``generate_context`` and writes the plugin's pages in ``generate_output``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The theme's templates win; the plugin's own are the fallback, so the plugin works under any theme.
        self.env.loader = ChoiceLoader([self.env.loader, FileSystemLoader(str(TEMPLATES))])
        self.run = runs.current(self.settings) or runs.start(self.settings, self.output_path, [])
        self.options = self.run.options
        self.docs: Documents | None = None
        self.result: ArchiveResult | None = None
        self.site = pages.Site()
        self.teasers: dict[str, presentation.Teaser] = {}
        self.entity_quotes: dict[str, tuple[Any, ...]] = {}

    # -- analysis ---------------------------------------------------------------------------------------------
    def _articles(self) -> list[Any]:
        """Published articles, and the undated ones Pelican holds as hidden (see ``dates.py``)."""
        hidden = [a for a in self.context.get("hidden_articles", []) if getattr(a, "date_unknown", False)]
        return list(self.context.get("articles", [])) + hidden

    def _read_content_file(self, name: str) -> tuple[str, str] | None:
        path = os.path.join(self.path, name) if name else ""
        if not path or not os.path.isfile(path):
            return None
        try:
            return path, Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            logger.warning("news_archive: %s cannot be read (%s); it is ignored", path, exc)
            return None

    def _editor_rules(self) -> EditorRules:
        found = self._read_content_file(self.options.entities_file)
        return rules_from_toml(found[1], found[0]) if found else EditorRules()

    def _address_book(self) -> tuple[addresses.AddressBook, str | None]:
        """The book and its path (None: do not write it — it is damaged and the editor must look at it)."""
        path = os.path.join(self.path, self.options.addresses_file) if self.options.addresses_file else None
        found = self._read_content_file(self.options.addresses_file)
        if found is None:
            return addresses.AddressBook(), path
        try:
            return addresses.parse(found[1]), path
        except addresses.BookError as exc:
            logger.warning("news_archive: %s is not a readable address book (%s); addresses follow names for this "
                           "build and the file is left as it is", found[0], exc)
            return addresses.AddressBook(), None

    def _extractor(self, work: int) -> Any:
        return self.run.start_extractor(work)

    def _progress(self, total: int) -> Any:
        if total < self.options.progress_min_articles or os.environ.get("CI"):
            return None
        from rich.progress import Progress

        progress = Progress(transient=True, console=console)
        task = progress.add_task("news_archive: extracting entities", total=total)
        progress.start()

        def advance(n: int) -> None:
            progress.advance(task, n)
            if progress.finished:
                progress.stop()

        return advance

    def generate_context(self) -> None:
        t0 = time.perf_counter()
        self.run.collector.settle()  # Pelican's articles, read by now, live until the build ends
        self.docs = documents(self._articles(), self.path)
        rules = self._editor_rules()
        try:
            model = model_identity(self.options.spacy_model)
            self.result = analyse(self.docs.docs, self.options, self.run.state, model=model, rules=rules,
                                  extractor=self._extractor, progress=self._progress)
        except ModelError as exc:
            raise SystemExit(str(exc)) from None
        book, book_path = self._address_book()
        self._present(book, frozenset(name_key(n) for n in rules.block))
        if book_path:
            self._keep_book(book_path, book)
        self.context["news_archive"] = views.context(self.site, self.teasers, self.options, self.settings,
                                                     self.run.state)
        self.run.collector.settle()  # and so do the analysis and the page models
        r = self.result
        how = "nothing changed since the last build" if r.reused else (
            f"cache {r.cache_hits} hits, {r.cache_misses} misses; seconds: "
            + ", ".join(f"{k} {v:.2f}" for k, v in r.seconds.items()))
        unmatched = r.entities.unmatched_rules
        rules_note = (f"; {len(unmatched)} rule{'s' if len(unmatched) != 1 else ''} of {self.options.entities_file} "
                      f"match{'es' if len(unmatched) == 1 else ''} no entity ({', '.join(unmatched[:3])}"
                      f"{', …' if len(unmatched) > 3 else ''})") if unmatched else ""
        console.print(f"news_archive: {len(self.docs.docs)} articles, {len(r.entities.entities)} entities "
                      f"({len(self.site.entity_pages)} pages), {len(self.site.country_pages)} countries; {how}"
                      f"{rules_note}; total {time.perf_counter() - t0:.2f} s", highlight=False)

    def _present(self, book: addresses.AddressBook, blocked: frozenset[str]) -> None:
        """Page models at their addresses, teasers and what each article's page shows; when nothing they are
        made from changed since the last build, the last build's (kept in the build state)."""
        assert self.docs is not None and self.result is not None
        s = self.settings
        key = digest(["present", code_digest(), self.result.key, canonical(sorted(blocked)),
                      canonical(self.options), canonical([s.get(k) for k in ("SITEURL", "SITENAME", "DEFAULT_LANG",
                                                                             "RELATIVE_URLS")]),
                      canonical(views.inputs(self.docs))])
        given = addresses.render(book)
        kept = self.run.state.get_slot("present", key)
        # The address book is an input, and also what the last build made of it: the book the last build read
        # or the one it wrote (the same pages at the same addresses, since addresses, once given, are kept).
        if kept is not None and given in kept[1][0]:
            self.site, self.teasers, attached, self.entity_quotes = kept[1][1]
        else:
            self.site = pages.entity_pages(self.result.entities, self.docs.infos, self.options, book, blocked)
            pages.country_pages(self.site, self.result.countries, self.docs.infos, self.options)
            pages.country_entities(self.site, self.result.entities)
            if self.options.story_save_as:
                stories.story_pages(self.site, self.result.related, self.result.entities, self.result.countries,
                                    self.docs.infos, views.story_input(self.docs, self.result.related, self.run.state),
                                    self.options)
            attached, self.teasers = views.present(self.docs, self.result, self.site, self.options, self.settings,
                                                   self.run.state)
            self.entity_quotes = views.entity_quotes(self.docs, self.result, self.site, self.teasers)
            books = (given, addresses.render(self.site.book))
            self.run.state.put_slot("present", key, (books, (self.site, self.teasers, attached, self.entity_quotes)))
        views.attach(self.docs, attached)

    def _keep_book(self, path: str, before: addresses.AddressBook) -> None:
        """Write the address book when this build published or moved an address."""
        text = addresses.render(self.site.book)
        if before == self.site.book and os.path.isfile(path):
            return
        try:
            write_atomic(os.path.dirname(path), os.path.basename(path), text)
        except OSError as exc:
            logger.warning("news_archive: %s cannot be written (%s); the addresses of this build are not kept",
                           path, exc)

    # -- output -----------------------------------------------------------------------------------------------
    def generate_output(self, writer: Any) -> None:
        """Write the plugin's pages, feeds, indexes, export and sitemap; start the search index."""
        if self.docs is None or self.result is None:
            return
        self.run.writing()
        self.run.search = search_job.start(self.run, self.context["news_archive"])
        try:
            self._write_pages(writer)
        except BaseException:  # a failed build stops Pagefind and leaves no staging folder in the output
            search_job.cancel(self.run.search)
            self.run.search = None
            self.run.left_nothing()  # every temporary it made is gone (a failed write takes its own away)
            raise

    def _write_pages(self, writer: Any) -> None:
        relative_urls = self.settings.get("RELATIVE_URLS", False)
        for job in views.page_jobs(self.site, self.teasers, self.options, self.context["news_archive"],
                                   self.entity_quotes):
            writer.write_file(job.save_as, self.get_template(job.template), self.context,
                              relative_urls=relative_urls, url=job.url, **job.variables)
        for feed in views.feed_jobs(self.site, self.docs, self.options):
            writer.write_feed(feed.items, self.context, feed.save_as, feed.url, feed_title=feed.title)
        for code in sorted(self.site.country_pages):  # the flags the pages show, and no others
            if flags.url(code):
                self._write_text(flags.url(code), flags.digest(code), lambda code=code: flags.data(code))
        self._write_text(self.options.json_save_as, self._export_key(),
                         lambda: export.safe_json(export.build(self.result, self.docs.infos, self.site, version()))
                         + "\n")
        entries = views.sitemap_entries(self.site, self.docs, self.settings, self.options,
                                        self.context.get("pages", []))
        site_url = str(self.settings.get("SITEURL") or "").rstrip("/")
        self._write_text(self.options.sitemap_save_as, digest(["sitemap", site_url, canonical(entries)]),
                         lambda: sitemap.render(entries, site_url))

    def _export_key(self) -> str:
        assert self.docs is not None and self.result is not None
        return digest(["export", version(), self.result.key, canonical(self.docs.infos),
                       canonical(self.site.address), canonical(sorted(p.url for p in self.site.entity_pages.values())),
                       canonical({c: p.url for c, p in self.site.country_pages.items()}),
                       canonical(self.site.story_pages), canonical(self.site.stories_of_entity)])

    def _write_text(self, name: str, key: str, make: Any) -> None:
        """Write a file the plugin makes itself (not from a template), unless it is as the last build left it."""
        if not name:
            return
        if self.run.ledger.unchanged(name, key):
            return
        path = write_atomic(self.output_path, name, make())
        self.run.ledger.wrote(relative(self.output_path, path), key)


def world_map_markup(site: pages.Site, root: str) -> Markup | None:
    from ..site import worldmap

    try:
        return Markup(worldmap.for_pages(site.country_pages.values(), root))
    except worldmap.MapDataError as exc:
        logger.warning("news_archive: the countries index has no world map (%s)", exc)
        return None


__all__ = ["ArchiveContext", "NewsArchiveGenerator", "presentation"]
