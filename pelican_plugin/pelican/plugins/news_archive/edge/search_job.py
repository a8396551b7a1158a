"""The search index of one build, in shards (:mod:`..site.search_shards`): Pagefind run beside the build over the
shards whose pages changed, the last build's bundles kept for the others.

Pelican has written every article and page when the plugin's ``generate_output`` starts, so Pagefind starts then,
one process per shard to rebuild, and indexes while the plugin writes its entity and country pages. First the
pages the last build wrote and this one did not (a deleted article) are removed, so that Pagefind never indexes a
stale page. Each shard's bundle is kept for the next build under a key of its pages' bytes, of Pagefind itself
and of the plugin's code; a shard whose key is unchanged and whose files
are on disk as they were left is not indexed again. Whatever else is in the bundle folder (a shard no page falls in
any more, the single bundle of an older version) is removed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.log import console

from ..build.keys import digest
from ..build.outputs import inside, relative, stat_of, write_atomic
from ..site import search, search_shards

logger = logging.getLogger(__name__)
SLOT = "search-shards"


@dataclass
class SearchJob:
    shards: list[search_shards.Shard]
    indexers: dict[str, search.Indexer] = field(default_factory=dict)  # folder → Pagefind run; the rest are kept
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # folder → what the slot holds for it
    marked: dict[str, bool] = field(default_factory=dict)  # folder → holds a page with data-pagefind-body
    pages: dict[str, tuple[Any, str]] = field(default_factory=dict)  # page → (size and mtime, digest of bytes)
    started: float = field(default_factory=time.perf_counter)


def _glob(settings: dict[str, Any]) -> str:
    return search.content_glob(settings.get(k) or "" for k in
                               ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS", "PAGE_SAVE_AS", "PAGE_LANG_SAVE_AS"))


@functools.lru_cache(maxsize=4)
def _pagefind_version(exe: str, size: int, mtime_ns: int) -> str:
    try:
        found = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    return f"{found}|{exe}|{size}|{mtime_ns}"


def _page_keys(run: Any, names: list[str], known: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """Each page's (size and modification time, digest of its bytes). The digest is read again only for a page
    whose file is not as the last build's index found it: a page rendered again with the same bytes (its memo key
    changed, not its text) keeps its shard as it was."""
    keys = {}
    for name in names:
        path = inside(run.output_path, name)
        stat = stat_of(path)
        old = known.get(name)
        if old is not None and stat is not None and tuple(old[0]) == stat:
            keys[name] = (stat, old[1])
            continue
        with open(path, "rb") as fh:
            keys[name] = (stat, hashlib.file_digest(fh, "sha256").hexdigest())
    return keys


def _unchanged(run: Any, kept: dict[str, Any] | None, shard: search_shards.Shard) -> bool:
    return kept is not None and kept.get("key") == shard.key and all(
        stat_of(inside(run.output_path, n)) == tuple(s) for n, s in kept["files"].items())


def _marked(run: Any, names: tuple[str, ...]) -> list[str]:
    """The pages of a shard that mark what Pagefind indexes (``data-pagefind-body``)."""
    return [n for n in names if search_shards.MARKER in Path(inside(run.output_path, n)).read_bytes()]


def start(run: Any, context: Any) -> SearchJob | None:
    """Start the shards' Pagefind runs (or keep their bundles); None when search is off."""
    from .generator import code_digest  # the generator starts this job

    exe = search.executable()
    if not context.value("search_url") or exe is None:
        return None
    names = search.matching_pages(run.output_path, _glob(run.settings))
    stale = set(run.ledger.stale()) & set(names)
    run.ledger.remove(sorted(stale))
    names = [n for n in names if n not in stale]
    st = os.stat(exe)
    code = digest(["search", _pagefind_version(exe, st.st_size, st.st_mtime_ns), code_digest()])
    slot = run.state.get_slot(SLOT) if run.state.enabled else None
    previous = slot[1].get("shards", {}) if slot and isinstance(slot[1], dict) else {}
    pages = _page_keys(run, names, slot[1].get("pages", {}) if slot and isinstance(slot[1], dict) else {})
    shards = search_shards.plan({n: k[1] for n, k in pages.items()}, run.options.search_shards, code)
    job = SearchJob(shards=shards, pages=pages)
    todo = []
    for shard in shards:
        if _unchanged(run, previous.get(shard.folder), shard):
            job.kept[shard.folder] = previous[shard.folder]
            job.marked[shard.folder] = bool(previous[shard.folder].get("marked"))
        else:
            marked = _marked(run, shard.pages)
            job.marked[shard.folder] = bool(marked)
            todo.append((shard, marked))
    _clear_others(run.output_path, {s.folder for s in shards})
    # Pagefind leaves out unmarked pages once one page of an index is marked: so does the sharded index.
    site_marked = any(job.marked.values())
    for shard, marked in todo:
        chosen = marked if site_marked else list(shard.pages)
        if chosen:
            job.indexers[shard.folder] = search.Indexer(run.output_path, exe, chosen,
                                                        f"{search.BUNDLE_DIR}/{shard.folder}")
        else:  # only unmarked pages, which Pagefind would leave out: no bundle
            search.remove(Path(run.output_path, search.BUNDLE_DIR, shard.folder))
    return job


def _clear_others(output_path: str, folders: set[str]) -> None:
    """Remove from the bundle folder everything that is not one of this build's shards (or the manifest)."""
    bundle = Path(output_path, search.BUNDLE_DIR)
    if bundle.is_file() or bundle.is_symlink():
        bundle.unlink()
    if not bundle.is_dir():
        return
    for entry in sorted(bundle.iterdir()):
        if entry.name in folders or entry.name == search_shards.MANIFEST:
            continue
        if entry.is_dir() and not entry.is_symlink():
            search.remove(entry)
        else:
            entry.unlink()


def _files(output_path: str, folder: str) -> dict[str, Any]:
    bundle = Path(output_path, search.BUNDLE_DIR, folder)
    return {relative(output_path, p): stat_of(p) for p in sorted(bundle.rglob("*")) if p.is_file()}


def cancel(job: SearchJob | None) -> None:
    """Stop the job's Pagefind runs and remove their staging folders (the build failed)."""
    for indexer in (job.indexers.values() if job is not None else ()):
        indexer.cancel()


def finish(run: Any, job: SearchJob | None) -> None:
    """Wait for Pagefind, keep each shard's bundle for the next build, write the manifest, count the files as
    this build's."""
    if job is None:
        return
    shards: dict[str, dict[str, Any]] = dict(job.kept)
    cpu, pages, waiting = 0.0, 0, time.perf_counter()
    for shard in job.shards:
        indexer = job.indexers.get(shard.folder)
        if indexer is None:
            pages += int(shards.get(shard.folder, {}).get("pages", 0))
            continue
        try:
            report = indexer.wait()
        except (search.SearchIndexError, OSError, subprocess.TimeoutExpired) as exc:
            logger.error("news_archive: the search index (shard %s) was not built: %s", shard.folder, exc)
            continue
        cpu += indexer.cpu
        pages += report.pages
        if report.pages:
            shards[shard.folder] = {"key": shard.key, "files": _files(run.output_path, shard.folder),
                                    "pages": report.pages, "marked": job.marked.get(shard.folder, False)}
    waiting = time.perf_counter() - waiting
    for folder in sorted(set(job.indexers) - set(shards)):  # failed, or no page to index: not merged
        search.remove(Path(run.output_path, search.BUNDLE_DIR, folder))
    name = f"{search.BUNDLE_DIR}/{search_shards.MANIFEST}"
    text = search_shards.manifest(shards)
    path = Path(run.output_path, name)
    if not (path.is_file() and path.read_text(encoding="utf-8") == text):
        write_atomic(run.output_path, name, text)
    run.ledger.wrote(name, digest(["search-manifest", text]))
    if run.state.enabled:
        run.state.put_slot(SLOT, "v2", {"shards": shards, "pages": job.pages})
    for entry in shards.values():
        run.ledger.keep(entry["files"])
    # Pagefind works while the plugin writes its pages: the build waits for it only at the end ("waited").
    console.print(f"news_archive: search index of {pages} pages in {len(shards)} shards: {len(job.indexers)} "
                  f"indexed ({cpu:.2f} s Pagefind CPU), {len(job.kept)} kept; waited {waiting:.2f} s, "
                  f"{time.perf_counter() - job.started:.2f} s since it started", highlight=False)
