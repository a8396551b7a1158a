"""Full-text search with Pagefind: find its binary, index a written site, report what was indexed.

Pagefind (``pip install 'pelican-news-archive[search]'`` brings ``pagefind[bin]``) reads the built HTML and
writes a static search bundle (index fragments, WebAssembly, the Pagefind UI script and stylesheet) into
``<output>/pagefind/``; nothing is fetched from a network at build or at search time. The theme marks what is
indexed: ``data-pagefind-body`` on the article text, ``data-pagefind-filter`` for country / entity type /
entity, ``data-pagefind-meta`` for headline, date and outlet.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

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


def clear_bundle(output_path: str | Path) -> None:
    """Remove the previous search bundle: Pagefind adds new hashed fragments, and old ones would pile up."""
    bundle = Path(output_path) / BUNDLE_DIR
    if bundle.is_dir():
        shutil.rmtree(bundle)


def index_site(output_path: str | Path, exe: str) -> IndexReport:
    """Index the HTML under ``output_path`` into ``output_path/pagefind``; replaces the previous bundle."""
    output = Path(output_path)
    clear_bundle(output)
    proc = subprocess.run([exe, "--site", str(output), "--output-subdir", BUNDLE_DIR],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT,
                          check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.strip().splitlines()[-10:])
        raise SearchIndexError(f"pagefind exited with status {proc.returncode}: {tail}")
    return parse_report(proc.stdout)
