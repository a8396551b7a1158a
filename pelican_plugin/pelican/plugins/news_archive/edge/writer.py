"""Pelican's writer, made incremental: a page or feed whose key (:mod:`.memo`) is unchanged, and whose file is
still as the last build left it, is not rendered again. Offered through Pelican's ``get_writer`` signal, so
Pelican's own pages (articles, indexes, feeds) and the plugin's go through the same memo and the same ledger.

Everything else is Pelican's: the file is written by Pelican's own ``write_file``/``write_feed``, other plugins still
hear ``content_written``/``feed_written`` for every page (skipped ones too, with the context they would have had),
and a feed without entries is not written. Paginated pages (the index, tag, category and author pages) are keyed page by
page: the articles a page lists and its neighbours', and of the whole lists only as much as the page read
(:mod:`.paged`); moving one article still shifts, and renders again, every page after it.
"""

from __future__ import annotations

import os
from typing import Any

from pelican.plugins import signals
from pelican.writers import Writer

from ..build.outputs import relative
from . import paged, runs


class MemoWriter(Writer):
    """``Writer`` that skips what did not change (see the module docstring)."""

    def write_file(self, name: Any, template: Any, context: dict[str, Any], relative_urls: bool = False,
                   paginated: Any = None, template_name: Any = None, override_output: bool = False,
                   url: Any = None, **kwargs: Any) -> Any:
        run = runs.current(self.settings)
        if run is None or not name or override_output:
            return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                      override_output, url, **kwargs)
        lists = self._paged(paginated, template_name, kwargs)
        if lists:
            return self._write_paged(run, name, template, context, relative_urls, lists, template_name, url, kwargs)
        target = os.path.join(self.output_path, name)
        rel = relative(self.output_path, target)
        page = {**kwargs, "url": url, "relative_urls": relative_urls}
        # The key covers what the page read of ``news_archive`` when it was last rendered; after rendering it is
        # made again over what it read this time, and kept for the next build.
        key = run.page_key(template, context, rel, page, run.ledger.reads_of(rel))
        if key and run.ledger.unchanged(rel, key):
            if signals.content_written.receivers:
                signals.content_written.send(target, context={**context, **kwargs, "output_file": name})
            return None
        run.trash.discard(target)
        reading = run.start_reading(context)
        try:
            result = super().write_file(name, template, context, relative_urls, paginated, template_name,
                                        override_output, url, **kwargs)
        finally:
            reads = run.stop_reading(reading)
        run.ledger.wrote(rel, run.page_key(template, context, rel, page, reads) if key else "", reads)
        return result

    def _paged(self, paginated: Any, template_name: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The lists Pelican pages through for this template (as its ``write_file`` decides), or {}."""
        if not template_name or template_name not in self.settings.get("PAGINATED_TEMPLATES", {}):
            return {}
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        return dict(paginated) if paginated else {}

    def _write_paged(self, run: Any, name: str, template: Any, context: dict[str, Any], relative_urls: bool,
                     lists: dict[str, Any], template_name: str, url: Any, kwargs: dict[str, Any]) -> Any:
        """A paginated group, page by page (:mod:`.paged`): a page is skipped when its key is unchanged and its
        file is as the last build left it, else rendered by Pelican as its own pagination would."""
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings.get("DEFAULT_PAGINATION")
        pages, wholes = paged.pages_of(name, url, lists, kwargs, self.settings, per_page)
        common = {"url": url, "relative_urls": relative_urls, "template_name": template_name}
        for page in pages:
            target = os.path.join(self.output_path, page.save_as)
            rel = relative(self.output_path, target)
            last = run.ledger.reads_of(rel)
            key = run.page_key(template, context, rel, {**common, **paged.key_variables(page, kwargs, wholes, last)},
                               paged.archive_reads(last))
            if key and run.ledger.unchanged(rel, key):
                if signals.content_written.receivers:
                    signals.content_written.send(target, context={**context, **page.variables,
                                                                  "output_file": page.save_as})
                continue
            run.trash.discard(target)
            reading = run.start_reading(context)
            paged.start(wholes)
            try:
                super().write_file(page.save_as, template, context, relative_urls, {}, None, False, None,
                                   **page.variables)
            finally:
                reads = run.stop_reading(reading) + paged.stop(wholes)
            made = run.page_key(template, context, rel, {**common, **paged.key_variables(page, kwargs, wholes, reads)},
                                paged.archive_reads(reads)) if key else ""
            run.ledger.wrote(rel, made, reads)

    def write_feed(self, elements: Any, context: dict[str, Any], path: Any = None, url: Any = None,
                   feed_type: str = "atom", override_output: bool = False, feed_title: Any = None) -> Any:
        run = runs.current(self.settings)
        if run is not None and path and not elements:
            # A feed without entries announces nothing, and Atom would have it claim the build's clock time as
            # its update: not written (the theme links a feed only when there are dated articles).
            return None
        if run is None or not path or override_output:
            return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        target = os.path.join(self.output_path, path)
        rel = relative(self.output_path, target)
        items = list(elements[: self.settings.get("FEED_MAX_ITEMS")])
        key = run.feed_key(items, rel, {"url": url, "type": feed_type, "title": feed_title})
        if key and run.ledger.unchanged(rel, key):
            return None
        result = super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        run.ledger.wrote(rel, key)
        return result
