"""Pelican's Markdown reader, but a bad byte or a bad date costs a warning, not the article.

Pelican skips a file that is not valid UTF-8 or whose ``Date:`` does not parse; in a news archive that loses an
article for a typo. Here invalid bytes become U+FFFD (the file is read from a repaired copy through Pelican's own
reader) and an unreadable date becomes "date unknown", each with one warning naming the file.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any

from pelican.readers import MarkdownReader

logger = logging.getLogger(__name__)


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
        else:
            return super().read(source_path)
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
