"""A small persistent key→bytes store for per-article extraction results.

SQLite (standard library) gives atomic writes for free: an interrupted build leaves either the old entry or the
new one, never half of one. Every failure mode degrades to "no cache" with a warning, never to a failed build: a
corrupt database is moved aside and started anew, a read-only folder means the build runs without a cache.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_NAME = "news_archive.sqlite"


class ExtractionCache:
    """Maps a cache key (hash of text, model and extraction settings) to an encoded extraction."""

    def __init__(self, folder: str | os.PathLike | None) -> None:
        self.path: Path | None = Path(folder) / FILE_NAME if folder else None
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        if self.path is not None:
            self._db = self._open()

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def _open(self) -> sqlite3.Connection | None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._connect()
        except (OSError, sqlite3.Error) as exc:
            logger.warning("news_archive: cache at %s cannot be used (%s); building without a cache",
                           self.path, exc)
            return None
        return db

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        for attempt in (1, 2):
            try:
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                db.execute("CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
                db.execute("SELECT count(*) FROM extraction").fetchone()
                return db
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not self.path.exists():
                    raise
                aside = self.path.with_suffix(".corrupt")
                logger.warning("news_archive: cache %s is corrupt (%s); moved to %s and starting a new one",
                               self.path, exc, aside.name)
                os.replace(self.path, aside)
        raise AssertionError("unreachable")  # pragma: no cover

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored values for those keys that have one."""
        if self._db is None:
            return {}
        found: dict[str, bytes] = {}
        keys = list(keys)
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for key, value in self._db.execute(
                        f"SELECT key, value FROM extraction WHERE key IN ({marks})", chunk):
                    found[key] = bytes(value)
        except sqlite3.Error as exc:
            logger.warning("news_archive: cache read failed (%s); extracting without it", exc)
            return {}
        return found

    def put_many(self, items: Mapping[str, bytes]) -> None:
        """Store values in one transaction: all of them land or none do."""
        if self._db is None or not items:
            return
        try:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO extraction (key, value) VALUES (?, ?)",
                                 sorted(items.items()))
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            logger.warning("news_archive: cache at %s cannot be written (%s); continuing without saving",
                           self.path, exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
