"""``news-archive import INPUT... -o CONTENT_DIR``: the importer's command line.

Exit codes let scripts tell outcomes apart: 0 when at least one article was imported, 1 when none could be,
2 for a usage error. Progress and problems go through ``logging`` to stderr; the last line is a one-line
summary.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .log import get_logger
from .pipeline import ImportStats, UsageError, import_paths

logger = get_logger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (separate so tests and docs can inspect it)."""
    parser = argparse.ArgumentParser(prog="news-archive", description="Tools for a pelican-news-archive site.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    imp = commands.add_parser(
        "import",
        help="convert raw news (.txt, .html/.htm, .jsonl/.jsonl.gz) into Pelican Markdown",
        description="Convert raw news into Pelican Markdown files, one per article. Folders are searched "
        "recursively. Boilerplate is removed, datelines and outlets become metadata, and a missing date is "
        "left unknown unless a dateline states it.",
    )
    imp.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="file or folder to import")
    imp.add_argument("-o", "--output", required=True, type=Path, metavar="CONTENT_DIR",
                     help="folder the Markdown files are written to (created if missing)")
    imp.add_argument("--force", action="store_true",
                     help="overwrite Markdown files edited since they were imported (kept by default)")
    noise = imp.add_mutually_exclusive_group()
    noise.add_argument("-v", "--verbose", action="store_true", help="also log each decision (debug)")
    noise.add_argument("-q", "--quiet", action="store_true", help="log only the summary and errors")
    # ``analyse`` reads content with Pelican and runs extraction: it lives with the edge (imported lazily, so the
    # importer never loads Pelican's machinery or the analysis).
    from ..edge.analyse import add_parser

    add_parser(commands)
    return parser


@contextmanager
def _logging_to_stderr(verbose: bool, quiet: bool, name: str = __name__.rpartition(".")[0]) -> Iterator[None]:
    """Send the log of package ``name`` (the importer's) to stderr for one run, then put the previous logging
    set-up back (so calling :func:`main` in-process, as tests and scripts do, leaves no handlers behind)."""
    package = logging.getLogger(name)
    saved = (package.handlers[:], package.level, package.propagate)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("news-archive: %(levelname)s: %(message)s"))
    if quiet:
        handler.addFilter(lambda record: record.levelno >= logging.ERROR or record.name == __name__)
    package.handlers[:] = [handler]
    package.setLevel(logging.DEBUG if verbose else logging.INFO)
    package.propagate = False
    try:
        yield
    finally:
        package.handlers[:], level, package.propagate = saved
        package.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 imported, 1 nothing imported, 2 usage error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.command == "analyse":
        from ..edge import analyse

        with _logging_to_stderr(False, False, analyse.__name__):
            return analyse.main(args)
    with _logging_to_stderr(args.verbose, args.quiet):
        try:
            stats = import_paths(args.inputs, args.output, force=args.force)
        except UsageError as err:
            logger.error("%s", err)
            return 2
        except OSError as err:
            logger.error("%s: %s", args.output, err.strerror or err)
            return 1
        logger.info("%s", summary(stats, args.output))
    return 0 if stats.articles else 1


_NAMED = 20  # files named in the summary line; the warnings above it name every one


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_NAMED])
    return shown + (f" and {len(names) - _NAMED} more" if len(names) > _NAMED else "")


def summary(stats: ImportStats, output: Path) -> str:
    """The one-line summary: what was imported, what happened to the files, every skip named."""
    line = (f"imported {stats.articles} article{_s(stats.articles)} from {stats.files} file{_s(stats.files)} "
            f"into {output}: {stats.written} written, {stats.updated} updated, {stats.unchanged} unchanged")
    if stats.not_text:
        line += f", {stats.not_text} skipped as not text"
    if stats.kept:
        line += f", {len(stats.kept)} kept as edited ({_names(stats.kept)})"
    if stats.overwritten:
        line += f", {len(stats.overwritten)} edited overwritten by --force ({_names(stats.overwritten)})"
    return line + f" ({stats.warnings} warning{_s(stats.warnings)})"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


if __name__ == "__main__":
    sys.exit(main())
