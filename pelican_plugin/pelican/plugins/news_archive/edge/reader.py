"""Pelican's Markdown reader, but a bad byte or a bad date costs a warning, not the article.

Pelican skips a file that is not valid UTF-8 or whose ``Date:`` does not parse; in a news archive that loses an
article for a typo. Here invalid bytes become U+FFFD (the file is read from a repaired copy through Pelican's own
reader) and an unreadable date becomes "date unknown", each with one warning naming the file.

What the reader made of a file is kept for the next build (:mod:`..build.readings`): a rebuild converts only the
files that are new or changed, and turns the kept metadata strings into Pelican's values again.
"""

from __future__ import annotations

import logging
import os
import tempfile
from types import SimpleNamespace
from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader

from . import runs

logger = logging.getLogger(__name__)
# What ``_parse_metadata`` touches of its Markdown instance when no field is formatted: the meta preprocessor's removal.
_NOTHING_TO_CONVERT = SimpleNamespace(preprocessors=SimpleNamespace(deregister=lambda name, strict=True: None))


class TolerantMarkdownReader(MarkdownReader):
    """``MarkdownReader`` that keeps articles with invalid UTF-8 or an unreadable date (see the module)."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        self.news_source = source_path
        with open(source_path, "rb") as fh:
            raw = fh.read()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            logger.warning("news_archive: %s is not valid UTF-8 (%s); bad bytes shown as \ufffd", source_path,
                           exc.reason)
            valid = False
        else:
            valid = True
        run = runs.current(self.settings)
        readings = run.readings if run is not None else None
        key = readings.key(raw) if readings is not None else ""
        kept = readings.get(key) if readings is not None else None
        if kept is not None:
            self._source_path = source_path
            return kept[0], self._metadata(kept[1])
        self._raw_meta: dict[str, list[str]] | None = None
        content, found = super().read(source_path) if valid else self._read_repaired(source_path, raw)
        if readings is not None:
            readings.put(key, (content, self._raw_meta))
        return content, found

    def _parse_metadata(self, meta: dict[str, list[str]]) -> dict[str, Any]:
        # The meta extension's strings, as found: converting a formatted field resets the instance, and them.
        self._raw_meta = {k: list(v) for k, v in meta.items()}
        return super()._parse_metadata(meta)

    def _metadata(self, meta: dict[str, list[str]] | None) -> dict[str, Any]:
        """Pelican's metadata from the meta extension's kept strings, by Pelican's own ``_parse_metadata``. It
        converts formatted fields (a summary) with a Markdown instance made as ``read`` makes it; with none
        to convert it only takes the meta preprocessor out of the instance, so none is made for it."""
        if meta is None:
            return {}
        formatted = self.settings["FORMATTED_FIELDS"]
        self._md = Markdown(**self.settings["MARKDOWN"]) if any(n.lower() in formatted for n in meta) \
            else _NOTHING_TO_CONVERT
        return self._parse_metadata(meta)

    def _read_repaired(self, source_path: str, raw: bytes) -> tuple[str, dict[str, Any]]:
        fd, repaired = tempfile.mkstemp(suffix=os.path.splitext(source_path)[1])
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(raw.decode("utf-8", errors="replace"))
            return super().read(repaired)
        finally:
            os.unlink(repaired)

    def process_metadata(self, name: str, value: Any) -> Any:
        try:
            return super().process_metadata(name, value)
        except (ValueError, TypeError, OverflowError) as exc:
            if name not in ("date", "modified"):
                raise
            logger.warning("news_archive: %s has an unreadable %s %r (%s); shown as unknown",
                           getattr(self, "news_source", "?"), name, value, exc)
            return None


def use_tolerant_reader(readers: Any) -> None:
    """``readers_init``: read Markdown with :class:`TolerantMarkdownReader` (unless another plugin replaced
    Pelican's own Markdown reader first)."""
    for ext in TolerantMarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = TolerantMarkdownReader
