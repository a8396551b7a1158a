"""Run an import: find the input files, read each with its format's reader, name and write the articles.

One bad file or record must never stop an import of thousands: every problem is logged as one warning naming
the file (and line), and the run goes on. The counts returned decide the command's exit code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import markdown_out
from .decoding import NotText
from .html_input import read_html
from .jsonl_input import read_jsonl
from .log import get_logger
from .naming import SlugRegistry
from .plaintext import read_plaintext
from .records import RawArticle
from .reimport import Outcome
from .rules import Rules, load_rules

logger = get_logger(__name__)
_PACKAGE_LOGGER = logging.getLogger(__name__.rpartition(".")[0])

Reader = Callable[[Path, Rules], Iterator[RawArticle]]
SUFFIXES: tuple[tuple[str, Reader], ...] = (
    (".jsonl.gz", read_jsonl),
    (".jsonl", read_jsonl),
    (".html", read_html),
    (".htm", read_html),
    (".txt", read_plaintext),
)


class UsageError(ValueError):
    """The command line asks for something impossible (e.g. the output folder is a file)."""


@dataclass
class ImportStats:
    """What an import did: files read, articles imported, what happened to each output file, warnings logged.

    ``kept`` names every file left alone because an editor changed it since it was imported; ``overwritten``
    every such file replaced because ``force`` was given.
    """

    files: int = 0
    not_text: int = 0  # files skipped because they hold binary data (an image saved as .html)
    articles: int = 0
    warnings: int = 0
    written: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)

    def record(self, path: Path, outcome: Outcome) -> None:
        """Count one output file's outcome."""
        self.articles += 1
        if outcome is Outcome.KEPT:
            self.kept.append(path.name)
        elif outcome is Outcome.OVERWRITTEN:
            self.overwritten.append(path.name)
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.written += 1


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def reader_for(path: Path) -> Reader | None:
    """The reader for ``path`` by its (case-insensitive) suffix, or None when the format is not supported."""
    name = path.name.lower()
    for suffix, reader in SUFFIXES:
        if name.endswith(suffix):
            return reader
    return None


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def discover(inputs: Iterable[Path], out_dir: Path) -> Iterator[Path]:
    """Every supported file named by ``inputs`` (folders searched recursively, sorted, hidden ones skipped,
    the output folder skipped). Missing and unsupported inputs are warned about."""
    out_resolved = out_dir.resolve()
    for item in inputs:
        if item.is_dir():
            found = False
            for path in sorted(item.rglob("*")):
                if not path.is_file() or _hidden(path, item) or reader_for(path) is None:
                    continue
                if out_resolved in path.resolve().parents:
                    continue
                found = True
                yield path
            if not found:
                logger.warning("%s: no .txt, .html, .htm, .jsonl or .jsonl.gz files in this folder", item)
        elif item.exists():
            if reader_for(item) is None:
                logger.warning("%s: skipped: not a supported input (.txt, .html, .htm, .jsonl, .jsonl.gz)", item)
            else:
                yield item
        else:
            logger.warning("%s: skipped: no such file or folder", item)


def _report(path: Path, outcome: Outcome) -> None:
    if outcome is Outcome.KEPT:
        logger.warning("%s: kept: edited since it was imported (--force overwrites it)", path)
    elif outcome is Outcome.OVERWRITTEN:
        logger.warning("%s: overwritten (--force): the edits made since it was imported are gone", path)


def import_paths(inputs: Iterable[Path], out_dir: Path, rules: Rules | None = None, *,
                 force: bool = False) -> ImportStats:
    """Import every article found in ``inputs`` into ``out_dir`` as Markdown; return what was done.

    A file an editor changed since it was imported is kept as it is unless ``force`` (see :mod:`.reimport`).
    """
    rules = rules or load_rules()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: output exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    counter = _WarningCounter()
    _PACKAGE_LOGGER.addHandler(counter)
    stats = ImportStats()
    registry = SlugRegistry()
    try:
        for path in discover(inputs, out_dir):
            reader = reader_for(path)
            assert reader is not None  # discover() yields supported files only
            stats.files += 1
            try:
                for article in reader(path, rules):
                    article.slug = registry.claim(article.slug, article.origin or str(path), fallback=article.title)
                    target, outcome = markdown_out.write(article, out_dir, force=force)
                    _report(target, outcome)
                    stats.record(target, outcome)
            except NotText as err:
                stats.not_text += 1
                logger.warning("%s: skipped: %s, not text", path, err.what)
            except OSError as err:
                logger.warning("%s: cannot be read or written: %s", path, err.strerror or err)
            except Exception as err:  # noqa: BLE001 - one broken file must not stop the import
                logger.warning("%s: skipped after an unexpected error: %s: %s", path, type(err).__name__, err)
    finally:
        _PACKAGE_LOGGER.removeHandler(counter)
    stats.warnings = counter.count
    return stats
