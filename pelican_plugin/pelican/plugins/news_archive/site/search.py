"""Full-text search with Pagefind: find its binary, index a written site, report what was indexed.

Pagefind (``pip install 'pelican-news-archive[search]'`` brings ``pagefind[bin]``) reads the built HTML and
writes a static search bundle (index fragments, WebAssembly, the Pagefind UI script and stylesheet) into
``<output>/pagefind/``; nothing is fetched from a network at build or at search time. The theme marks what is
indexed: ``data-pagefind-body`` on the article text, ``data-pagefind-filter`` for country / entity type /
entity, ``data-pagefind-meta`` for headline, date and outlet.
"""

from __future__ import annotations

import glob as globmod
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..build.outputs import TEMP_PREFIX, TEMP_SUFFIX

BUNDLE_DIR = "pagefind"  # relative to the output folder; the search page loads its UI from here
TIMEOUT = 900  # seconds; Pagefind indexes thousands of pages a second, so this only catches a hung process
_COUNT = re.compile(r"Indexed (\d[\d,]*) (page|word|filter|sort|language)s?\b")


class SearchIndexError(RuntimeError):
    """Pagefind ran but failed."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    words: int
    filters: int


def executable() -> str | None:
    """Path of the Pagefind binary (from the ``pagefind[bin]`` package, else on PATH), or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        return found or None
    try:
        path = get_executable()
    except Exception:  # a broken install is reported as "not installed", never as a failed build
        return None
    return str(path) if path is not None and Path(path).is_file() else None


def parse_report(log: str) -> IndexReport:
    """Counts from Pagefind's summary lines ("Indexed 5 pages", …); 0 for a count it did not print."""
    counts: dict[str, int] = {}
    for number, what in _COUNT.findall(log):
        counts[what] = int(number.replace(",", ""))
    return IndexReport(pages=counts.get("page", 0), words=counts.get("word", 0), filters=counts.get("filter", 0))


def content_glob(save_as: Iterable[str]) -> str:
    """The Pagefind glob of the pages worth searching, from Pelican's ``*_SAVE_AS`` patterns: each ``{…}`` becomes
    ``*`` ("articles/{slug}/index.html" → "articles/*/index.html"); several patterns become ``{a,b}``."""
    globs = sorted({re.sub(r"\*+", "*", re.sub(r"\{[^}]*\}", "*", p)).lstrip("/") for p in save_as if p})
    if not globs:
        return "**/*.html"
    return globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}"


def matching_pages(output_path: str | Path, glob: str) -> list[str]:
    """The HTML files of a written site that a glob of :func:`content_glob` selects, as Pagefind reads it
    (``*`` within one folder, ``**/`` across folders, ``{a,b}`` either): what an index made with that glob is made
    from. The standard library's glob walks only the folders the pattern names, not the whole site."""
    alternatives = glob[1:-1].split(",") if glob.startswith("{") and glob.endswith("}") else [glob]
    found: set[str] = set()
    for pattern in alternatives:
        for name in globmod.glob(pattern, root_dir=output_path, recursive=True):
            name = name.replace(os.sep, "/")
            if name.endswith(".html") and not name.startswith(BUNDLE_DIR + "/"):
                found.add(name)
    return sorted(found)


def clear_bundle(output_path: str | Path) -> threading.Thread | None:
    """Move the previous search bundle aside and remove it while Pagefind writes the new one (Pagefind adds new
    hashed fragments, and old ones would pile up); returns the thread removing it, to be joined. Removing a
    bundle of thousands of fragments first would keep Pagefind waiting. The moved folder is named as a
    temporary, so a build killed meanwhile leaves nothing the next build does not sweep away."""
    bundle = Path(output_path) / BUNDLE_DIR
    if not bundle.is_dir():
        return None
    aside = bundle.with_name(f"{TEMP_PREFIX}{BUNDLE_DIR}-{os.getpid()}{TEMP_SUFFIX}")
    if aside.exists():
        shutil.rmtree(aside)
    bundle.rename(aside)
    thread = threading.Thread(target=shutil.rmtree, args=(aside,), kwargs={"ignore_errors": True}, daemon=True)
    thread.start()
    return thread


class Indexer:
    """A Pagefind run over ``output_path`` (the pages ``glob`` selects), started at once and left to work in its
    own process while the build writes its other pages; :meth:`wait` collects it."""

    def __init__(self, output_path: str | Path, exe: str, glob: str) -> None:
        self._clearing = clear_bundle(output_path)
        # A file, not a pipe: nobody reads it meanwhile, and a full pipe would stall Pagefind. Closed by wait/cancel.
        self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._proc = subprocess.Popen([exe, "--site", str(output_path), "--output-subdir", BUNDLE_DIR,
                                       "--glob", glob], stdout=self._log, stderr=subprocess.STDOUT, text=True)

    def wait(self) -> IndexReport:
        """Wait for Pagefind; its counts, or :class:`SearchIndexError` when it failed."""
        try:
            code = self._proc.wait(timeout=TIMEOUT)
            self._log.seek(0)
            log = self._log.read()
        finally:
            self.cancel()
        if code != 0:
            tail = "\n".join(log.strip().splitlines()[-10:])
            raise SearchIndexError(f"pagefind exited with status {code}: {tail}")
        return parse_report(log)

    def cancel(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._log.close()
        if self._clearing is not None:
            self._clearing.join()
