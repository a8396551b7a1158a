"""Full-text search with Pagefind: find its binary, index a written site, report what was indexed.

Pagefind (``pip install 'pelican-news-archive[search]'`` brings ``pagefind[bin]``) reads the built HTML and
writes a static search bundle (index fragments, WebAssembly, the Pagefind scripts); the plugin makes one per shard
(:mod:`.search_shards`) under ``<output>/pagefind/``, each from a staging folder of the shard's pages. Nothing is
fetched from a network at build or at search time. The theme marks what is
indexed: ``data-pagefind-body`` on the article text, ``data-pagefind-filter`` for country / entity type /
entity, ``data-pagefind-meta`` for headline, date and outlet.
"""

from __future__ import annotations

import contextlib
import glob as globmod
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..build.outputs import TEMP_PREFIX, TEMP_SUFFIX

RUNNER = Path(__file__).with_name("search_run.py")  # run as a script: see its docstring
BUNDLE_DIR = "pagefind"  # relative to the output folder; the search page loads its UI from here
TIMEOUT = 900  # seconds; Pagefind indexes thousands of pages a second, so this only catches a hung process
_SERIAL = itertools.count()
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


def move_aside(folder: str | Path) -> Path | None:
    """Move a folder of the output (an old shard bundle) aside, under a temporary's name, and return where it went
    (None when there is no such folder): a build killed before it is removed leaves nothing the next build does
    not sweep away."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    aside = folder.with_name(f"{TEMP_PREFIX}{folder.name}-{os.getpid()}-{next(_SERIAL)}{TEMP_SUFFIX}")
    if aside.exists():
        shutil.rmtree(aside)
    folder.rename(aside)
    return aside


def remove(folder: str | Path) -> None:
    """Remove a folder of the output, first moved aside (so that no half-removed folder is ever left in place)."""
    aside = move_aside(folder)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


class Indexer:
    """A Pagefind run over the pages ``names`` of ``output_path`` into the bundle folder ``bundle`` (its old
    content moved aside), started at once and left to work in its own process while the build writes its other
    pages; :meth:`wait` collects it."""

    def __init__(self, output_path: str | Path, exe: str, names: Iterable[str], bundle: str) -> None:
        self._aside = aside = move_aside(Path(output_path, bundle))
        self._site = Path(output_path, f"{TEMP_PREFIX}stage-{bundle.replace('/', '-')}-{os.getpid()}{TEMP_SUFFIX}")
        self.cpu = 0.0
        # A file, not a pipe: nobody reads it meanwhile, and a full pipe would stall Pagefind. Closed by wait/cancel.
        self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        # Staging, Pagefind and the old bundle's removal run in a process of their own (search_run.py), in a
        # session of their own so that cancel stops Pagefind too.
        # The names go in a file too: a pipe would hold the build until the process has started and read them.
        with tempfile.TemporaryFile() as listing:
            listing.write("\0".join(names).encode("utf-8", "surrogateescape"))
            listing.seek(0)
            self._proc = subprocess.Popen([sys.executable, str(RUNNER), exe, str(Path(output_path).resolve()),
                                           str(Path(output_path, bundle).resolve()), str(self._site.resolve()),
                                           str(aside.resolve()) if aside else ""],
                                          stdin=listing, stdout=self._log, stderr=subprocess.STDOUT,
                                          start_new_session=True)

    def wait(self) -> IndexReport:
        """Wait for Pagefind; its counts, or :class:`SearchIndexError` when it failed. ``cpu`` is then the CPU
        seconds Pagefind took (user + system)."""
        try:
            code = self._reap()
            self._log.seek(0)
            log = self._log.read()
        finally:
            self.cancel()
        if code != 0:
            tail = "\n".join(log.strip().splitlines()[-10:])
            raise SearchIndexError(f"pagefind exited with status {code}: {tail}")
        return parse_report(log)

    def _reap(self) -> int:
        """Wait for the process (at most :data:`TIMEOUT`) with ``wait4``, which also tells its CPU time."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status, usage = os.wait4(self._proc.pid, os.WNOHANG)
            if pid:
                self._proc.returncode = code = os.waitstatus_to_exitcode(status)
                self.cpu = usage.ru_utime + usage.ru_stime
                return code
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self._proc.args, TIMEOUT)
            time.sleep(0.01)

    def cancel(self) -> None:
        if self._proc.returncode is None and self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
        self._log.close()
        shutil.rmtree(self._site, ignore_errors=True)
        if self._aside is not None:
            shutil.rmtree(self._aside, ignore_errors=True)
