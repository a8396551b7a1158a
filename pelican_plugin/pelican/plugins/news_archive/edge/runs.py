"""One build as the plugin sees it: its settings, build state, output ledger and extraction workers, from
Pelican's ``initialized`` signal to ``finalized``.

Pelican's signals and objects do not carry plugin state from one to the next, but every one of them holds the
build's settings dict (the Pelican object, its generators and its writer share the same one), so a build's
:class:`Run` is found by that dict. Builds in one process (tests, ``pelican --autoreload``) each get their own.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .. import settings as settings_mod
from ..analysis.extraction.workers import Extractor, ProcessExtractor, processes_for
from ..build.keys import digest, versions
from ..build.outputs import Entry, Ledger, Trash, mark_ended, mark_running, relative, sweep_temporaries, unfinished
from ..build.readings import Readings
from ..build.state import BuildState
from ..site.presentation import ArchiveContext
from .heap import Collector
from .memo import Memo

logger = logging.getLogger(__name__)
_RUNS: dict[int, Run] = {}
CONTENT_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown", ".html", ".htm", ".rst")


class Run:
    """The plugin's state during one build."""

    def __init__(self, settings: dict[str, Any], output_path: str, plugins: list[Any]) -> None:
        self.settings = settings
        self.options = settings_mod.load(settings)
        self.collector = Collector()  # restored by close()
        self.output_path = os.path.abspath(output_path)
        self.plugins = plugins
        cache = settings.get("CACHE_PATH") if self.options.cache else None
        self.state = BuildState(cache)
        self.readings = Readings(self.state, settings, _code_digest)
        self.slot = "outputs:" + digest([self.output_path])[:24]
        kept = self.state.get_slot(self.slot)
        value = kept[1] if kept else {}
        previous = value.get("entries", {}) if isinstance(value, dict) else {}
        self.ledger = Ledger(self.output_path, previous=previous if self.state.enabled else {})
        self._memos: dict[int, Memo] = {}
        self.extractor: Extractor | None = None
        self.content_stats = self._content_stats()
        # Only a build that did not end leaves temporaries (or one nothing is known of: no ledger, no cache).
        sweep = unfinished(self.output_path) or not self.ledger.previous
        self.removed_temporaries = sweep_temporaries(self.output_path) if sweep else []
        self.trash = Trash(self.output_path)  # pages about to be rendered again: their old files (see Trash)
        self._sanitised_key, self._sanitised_before = self._kept_sanitised()
        self._sanitised_now: dict[str, tuple[str, tuple[str, ...]] | None] = {}

    def _templates_key(self) -> str:
        return digest(["templates", versions(("jinja2",))])

    def _kept_templates(self) -> dict[str, Any]:
        return self._kept_table("templates", self._templates_key())

    def _kept_table(self, slot: str, key: str) -> dict[str, Any]:
        """The table the last build kept in ``slot`` under ``key`` ({} when there is none or the key differs)."""
        kept = self.state.get_slot(slot, key) if self.state.enabled else None
        return kept[1] if kept and isinstance(kept[1], dict) else {}

    # -- what the sanitiser made of each HTML, for the next build ---------------------------------------------------
    def _kept_sanitised(self) -> tuple[str, dict[str, Any]]:
        if not self.state.enabled:
            return "", {}
        from . import generator

        key = digest(["sanitised", generator.code_digest(), versions(("nh3",))])
        return key, self._kept_table("sanitised", key)

    def sanitised(self, html: str, clean: Callable[[str], tuple[str, list[str]]]) -> tuple[str, list[str]]:
        """``clean(html)``, or what it gave for the same HTML in the last build: the allow-list and nh3 are in
        the key, so a rebuild sanitises only what is new or changed."""
        if not self.state.enabled:
            return clean(html)
        key = digest([html])
        if key in self._sanitised_before:
            found = self._sanitised_before[key]
        else:
            out, removed = clean(html)
            found = None if out == html else (out, tuple(removed))
        self._sanitised_now[key] = found
        return (html, []) if found is None else (found[0], list(found[1]))

    # -- extraction workers, started early ---------------------------------------------------------------------------
    def _content_stats(self) -> dict[str, tuple[int, int]]:
        root = Path(self.settings.get("PATH") or ".")
        stats: dict[str, tuple[int, int]] = {}
        if root.is_dir():
            for folder, _dirs, files in os.walk(root):
                for name in files:
                    if name.endswith(CONTENT_SUFFIXES):
                        st = os.stat(os.path.join(folder, name))
                        stats[relative(root, os.path.join(folder, name))] = (st.st_size, st.st_mtime_ns)
        return stats

    def expected_misses(self) -> int:
        """Content files new or changed since the last build here (the articles that will likely need spaCy)."""
        kept = self.state.get_slot("content") if self.state.enabled else None
        before = kept[1] if kept and isinstance(kept[1], dict) else {}
        return sum(1 for name, stat in self.content_stats.items() if before.get(name) != stat)

    def start_extractor(self, work: int) -> Extractor:
        """The extraction workers for ``work`` articles (started now, or the ones started early if they suffice);
        with ``NEWS_ARCHIVE_SCHEDULER``, a client of that Dask cluster."""
        if self.options.scheduler:
            if self.extractor is None:
                from ..analysis.cluster import ClusterError, DaskExtractor

                try:
                    self.extractor = DaskExtractor(self.options.scheduler, self.options.spacy_model,
                                                   self.options.batch_size)
                except ClusterError as exc:
                    raise SystemExit(str(exc)) from None
            return self.extractor
        wanted = processes_for(self.options.n_process, work)
        if self.extractor is not None and self.extractor.processes < wanted:  # type: ignore[attr-defined]
            self.extractor.close()
            self.extractor = None
        if self.extractor is None:
            self.extractor = ProcessExtractor(self.options.spacy_model, wanted, self.options.batch_size)
        return self.extractor

    # -- the memo ---------------------------------------------------------------------------------------------------
    def memo_for(self, env: Any) -> Memo:
        memo = self._memos.get(id(env))
        if memo is None:
            from . import generator

            first = next(iter(self._memos.values()), None)
            memo = self._memos[id(env)] = Memo(env, self.settings, [generator.code_digest(),
                                                                    *generator.plugin_digests(self.plugins)], first,
                                               None if first else self._kept_templates())
            if memo.off:
                memo.say(memo.off)
        return memo

    def feed_key(self, items: list[Any], name: str, args: Mapping[str, Any]) -> str:
        return self.memo_for(None).feed_key(items, name, args) if self.state.enabled else ""

    def page_key(self, template: Any, context: Mapping[str, Any], name: str, page: Mapping[str, Any],
                 reads: tuple[str, ...]) -> str:
        if not self.state.enabled:
            return ""
        return self.memo_for(template.environment).page_key(template, context, name, page, reads)

    def start_reading(self, context: Mapping[str, Any]) -> ArchiveContext | None:
        found = context.get("news_archive")
        if isinstance(found, ArchiveContext):
            found.track()
            return found
        return None

    @staticmethod
    def stop_reading(found: ArchiveContext | None) -> tuple[str, ...]:
        return tuple(sorted(found.reads())) if found is not None else ()

    # -- the end ----------------------------------------------------------------------------------------------------
    def writing(self) -> None:
        """The plugin starts writing its own files: from now until :meth:`finish`, a build that stops leaves the
        mark that makes the next one sweep the output for temporaries."""
        mark_running(self.output_path)

    def left_nothing(self) -> None:
        """Take the mark away: no temporary this build made is still there (it ended, or it failed and cleaned
        up). The trash is emptied first: its folder is one of the build's temporaries."""
        self.trash.close()
        mark_ended(self.output_path)

    def finish(self) -> list[str]:
        """Remove what the last build wrote and this one did not, keep the ledger; returns the removed files."""
        removed = self.ledger.remove_stale()
        if self.state.enabled:
            entries: dict[str, Entry] = dict(sorted(self.ledger.current.items()))
            self.state.put_slot(self.slot, "", {"entries": entries})
            self.state.put_slot("content", "", self.content_stats)
            self.readings.flush()
            self.state.put_slot("sanitised", self._sanitised_key, self._sanitised_now)
            if self._memos:
                self.state.put_slot("templates", self._templates_key(),
                                    next(iter(self._memos.values())).parsed_now)
            self.state.prune()
        self.left_nothing()
        return removed

    def close(self) -> None:
        self.trash.close()
        if self.extractor is not None:
            self.extractor.close()
            self.extractor = None
        self.state.close()
        self.collector.restore()


def _code_digest() -> str:
    from .generator import code_digest

    return code_digest()


def start(settings: dict[str, Any], output_path: str, plugins: list[Any]) -> Run:
    """The run of a build that starts now; a run left by a build that failed before its end (same settings or
    same output folder) is closed first."""
    target = os.path.abspath(output_path)
    for key, old in list(_RUNS.items()):
        if key == id(settings) or old.output_path == target:
            old.close()
            del _RUNS[key]
    run = _RUNS[id(settings)] = Run(settings, output_path, plugins)
    return run


def current(settings: Mapping[str, Any]) -> Run | None:
    """The run of the build whose settings these are (None when the plugin was not initialised for it)."""
    return _RUNS.get(id(settings))


def for_path(path: str) -> Run | None:
    """The run writing into the folder that holds ``path``."""
    full = os.path.abspath(path)
    for run in _RUNS.values():
        if full.startswith(run.output_path + os.sep):
            return run
    return None


def end(settings: Mapping[str, Any]) -> Run | None:
    return _RUNS.pop(id(settings), None)
