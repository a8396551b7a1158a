"""Read the knowledge data files shipped under ``data/`` (honorifics, stop-entities, demonyms, aliases…).

Knowledge is data, not code: an editor can read and extend these lists without touching a stage.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def word_list(name: str) -> frozenset[str]:
    """A one-entry-per-line list, lower-cased, ``#`` comments skipped."""
    return frozenset(" ".join(line.lower().split()) for line in _lines(name))


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated table, one row per line, ``#`` comments skipped."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _lines(name))
