"""A small persistent store: per-article extraction results by key, and one "memo" slot per kind of build output.

Extraction results accumulate (one per article text); a memo slot (the archive-wide results, the plugin's pages,
the search bundle) holds only the newest build's value and the key it was made under, so corrections do not make
the cache grow. SQLite (standard library) gives atomic writes for free: an interrupted build leaves either the old
entry or the new one, never half of one. Every failure mode degrades to "no cache" with a warning, never to a
failed build: a corrupt database is moved aside and started anew, a read-only folder means the build runs without
a cache.
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
                db.execute("CREATE TABLE IF NOT EXISTS memo (slot TEXT PRIMARY KEY, key TEXT NOT NULL, "
                           "value BLOB NOT NULL)")
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

    def get_memo(self, slot: str, key: str) -> bytes | None:
        """The value kept in ``slot`` if it was stored under ``key``, else None."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM memo WHERE slot = ? AND key = ?", (slot, key)).fetchone()
        except sqlite3.Error as exc:
            logger.warning("news_archive: cache read failed (%s); working without it", exc)
            return None
        return bytes(row[0]) if row else None

    def has_memo(self, slot: str, key: str) -> bool:
        """Whether ``slot`` holds a value made under ``key`` (without reading it)."""
        if self._db is None:
            return False
        try:
            return self._db.execute("SELECT 1 FROM memo WHERE slot = ? AND key = ?", (slot, key)).fetchone() is not None
        except sqlite3.Error:
            return False

    def put_memo(self, slot: str, key: str, value: bytes) -> None:
        """Make ``value`` (made under ``key``) the one kept in ``slot``, replacing the previous build's."""
        if self._db is None:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO memo (slot, key, value) VALUES (?, ?, ?)", (slot, key, value))
        except sqlite3.Error as exc:
            logger.warning("news_archive: cache at %s cannot be written (%s); continuing without saving",
                           self.path, exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
