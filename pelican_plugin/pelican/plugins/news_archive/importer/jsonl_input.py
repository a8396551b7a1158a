"""JSONL exports (``.jsonl`` and ``.jsonl.gz``): one article per line, streamed.

Exports are large (13,585 Reuters records) and sometimes damaged. Lines are read one at a time, so memory stays
flat, and a bad line costs only itself: it is reported as ``file:line`` and the rest is imported.
Fields: ``id`` (slug and file name), ``title``, ``date`` (ISO 8601), ``body`` (plain text), optional
``source``, ``dateline``, ``url``, ``author``; anything else is ignored.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .assemble import Stated, assemble
from .boilerplate import is_marker_line
from .log import get_logger
from .paragraphs import split_paragraphs
from .records import RawArticle
from .rules import Rules

logger = get_logger(__name__)

_TEXT_FIELDS = ("title", "body", "source", "dateline", "url", "author")


def jsonl_stem(path: Path) -> str:
    """The file name without ``.jsonl`` / ``.jsonl.gz``: the prefix of slugs made for records without an id."""
    name = path.name
    for suffix in (".jsonl.gz", ".jsonl"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def parse_record(record: object, origin: str, fallback_slug: str, imported_from: str,
                 rules: Rules) -> RawArticle | None:
    """One article from one decoded JSON value (None, with a warning naming ``origin``, when unusable)."""
    if not isinstance(record, dict):
        logger.warning("%s: skipped: a record must be a JSON object, not %s", origin, type(record).__name__)
        return None
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            logger.warning("%s: field %r is not text (%s); ignored", origin, name, type(value).__name__)
    ident = record.get("id")
    if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
        slug = str(ident).strip()
    else:
        logger.warning("%s: no usable \"id\"; named %r", origin, fallback_slug)
        slug = fallback_slug
    body = record.get("body")
    stated = Stated(
        slug=slug,
        origin=origin,
        imported_from=imported_from,
        title=record.get("title"),
        date=record.get("date"),
        source=record.get("source"),
        dateline=record.get("dateline"),
        url=record.get("url"),
        author=record.get("author"),
    )
    text = body if isinstance(body, str) else ""
    paragraphs = split_paragraphs(text, stands_alone=lambda line: is_marker_line(line, rules))
    return assemble(paragraphs, stated, rules, find_headline=True)


def read_jsonl(path: Path, rules: Rules) -> Iterator[RawArticle]:
    """Stream the articles of a ``.jsonl`` / ``.jsonl.gz`` file; bad lines are warned about and skipped.

    Raises OSError when the file cannot be opened; a file damaged part-way keeps the records read before it.
    """
    stem = jsonl_stem(path)
    lineno = 0
    with _open(path) as handle:
        try:
            for lineno, raw in enumerate(handle, start=1):
                origin = f"{path}:{lineno}"
                try:
                    line = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    logger.warning("%s: invalid UTF-8; bad bytes replaced with U+FFFD", origin)
                    line = raw.decode("utf-8-sig", errors="replace")
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    logger.warning("%s: skipped: not valid JSON (%s)", origin, err.msg)
                    continue
                article = parse_record(record, origin, f"{stem}-{lineno}", path.name, rules)
                if article is not None:
                    yield article
        except (EOFError, gzip.BadGzipFile, zlib.error) as err:
            if lineno == 0:
                logger.warning("%s: skipped: not a readable gzip file (%s)", path, err)
            else:
                logger.warning("%s: compressed data is damaged after line %d (%s); the records before it "
                               "were imported", path, lineno, err)
