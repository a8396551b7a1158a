"""The search index of one build: Pagefind run beside the build, or last build's bundle kept when the pages it
indexes have not changed.

Pelican has written every article and page when the plugin's ``generate_output`` starts, so Pagefind starts then,
in its own process, and indexes while the plugin writes its entity and country pages. First the pages the last
build wrote and this one did not (a deleted article) are removed, so that Pagefind never indexes a stale page.
The bundle is kept for the next build under a key of the indexed pages (as the output ledger knows them) and of
Pagefind itself; when the key is unchanged and the bundle is on disk as it was left, Pagefind does not run.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.log import console

from ..build.keys import digest
from ..build.outputs import inside, relative, stat_of
from ..site import search

logger = logging.getLogger(__name__)
SLOT = "search"


@dataclass
class SearchJob:
    key: str
    indexer: search.Indexer | None = None  # None: the last bundle is reused
    files: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)


def _glob(settings: dict[str, Any]) -> str:
    return search.content_glob(settings.get(k) or "" for k in
                               ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS", "PAGE_SAVE_AS", "PAGE_LANG_SAVE_AS"))


def start(run: Any, context: Any) -> SearchJob | None:
    """Start (or reuse) the search index; None when search is off."""
    exe = search.executable()
    if not context.value("search_url") or exe is None:
        return None
    glob = _glob(run.settings)
    names = search.matching_pages(run.output_path, glob)
    stale = set(run.ledger.stale()) & set(names)
    run.ledger.remove(sorted(stale))
    names = [n for n in names if n not in stale]
    pages = [(n, run.ledger.current[n].key, stat_of(inside(run.output_path, n))) for n in names
             if n in run.ledger.current]
    if len(pages) != len(names):
        pages = []  # a page the build did not write: only its bytes could say whether it changed
    exe_stat = os.stat(exe)
    key = digest(["search", exe, str(exe_stat.st_size), str(exe_stat.st_mtime_ns), glob, repr(pages)]) \
        if pages and run.state.enabled else ""
    kept = run.state.get_slot(SLOT) if key else None
    if kept is not None and kept[0] == key and all(
            stat_of(inside(run.output_path, name)) == stat for name, stat in kept[1]["files"].items()):
        return SearchJob(key=key, files=kept[1]["files"])
    return SearchJob(key=key, indexer=search.Indexer(run.output_path, exe, glob))


def finish(run: Any, job: SearchJob | None) -> None:
    """Wait for Pagefind, keep its bundle for the next build, and count its files as this build's."""
    if job is None:
        return
    how = "unchanged, kept from the last build,"
    report = None
    if job.indexer is not None:
        try:
            report = job.indexer.wait()
        except (search.SearchIndexError, OSError, subprocess.TimeoutExpired) as exc:
            logger.error("news_archive: the search index was not built: %s", exc)
            return
        bundle = Path(run.output_path, search.BUNDLE_DIR)
        job.files = {relative(run.output_path, p): stat_of(p) for p in sorted(bundle.rglob("*")) if p.is_file()}
        if job.key:
            run.state.put_slot(SLOT, job.key, {"files": job.files, "report": report})
        how = "built"
    else:
        kept = run.state.get_slot(SLOT)
        report = kept[1].get("report") if kept else None
    run.ledger.keep(job.files)
    if report is not None:
        console.print(f"news_archive: search index of {report.pages} pages, {report.words} words, "
                      f"{report.filters} filters {how} in {time.perf_counter() - job.started:.2f} s", highlight=False)
