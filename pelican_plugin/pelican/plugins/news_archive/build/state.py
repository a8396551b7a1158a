"""The build state: every cache and memo of the plugin, in one SQLite file under Pelican's ``CACHE_PATH``.

Two kinds of entries, one key scheme (:mod:`.keys`) and one serialisation (:func:`encode`):

* **records** — per-article results (spaCy's extraction, an article's prepared mentions, its countries…), found
  by ``(kind, key)`` where the key digests everything the record was made from. They accumulate: an editor who
  reverts a correction finds the old record again. Records no build used any more are pruned once they outnumber
  the used ones.
* **slots** — one value per name (the newest build's): what an output folder holds and how each file was made,
  the search bundle, the last analysis. A slot never grows with the number of builds.

Failures never stop a build, but they are never silent either: each is one warning. A file that SQLite cannot
read (damaged bytes, a foreign schema) is moved aside, kept for inspection as ``news_archive.sqlite.damaged``,
and a new one started, once per build; an entry whose bytes do not decode counts as missing. A folder that cannot
be written means a build without a cache. SQLite's transactions make every write all-or-nothing, so a build killed
at any moment leaves the old entries or the new ones, never half of one.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

FILE_NAME = "news_archive.sqlite"
SCHEMA = 3  # PRAGMA user_version of the file; another number is another layout, moved aside
FORMAT = b"NA3\x00"  # header of every stored value; bump when what is pickled changes shape
RAW = b"NA3r"  # the same, not compressed
_TABLES = (
    "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, "
    "PRIMARY KEY (kind, key)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS slots (name TEXT PRIMARY KEY, key TEXT NOT NULL, value BLOB NOT NULL)",
)


def encode(value: Any, compress: bool = True) -> bytes:
    """A value as stored: pickled, zlib-compressed (level 1: a few milliseconds per megabyte), with the format
    header; without ``compress``, pickled only (:data:`RAW`: slots, of which there is one each, and the largest
    at 23k articles, 75 MB, took 0.55 s to compress on every build that changed anything)."""
    data = pickle.dumps(value, protocol=5)
    return FORMAT + zlib.compress(data, 1) if compress else RAW + data


def decode(blob: bytes) -> Any:
    """The value of :func:`encode`; raises ValueError for anything else (another format, damaged bytes).

    The garbage collector is paused while unpickling: the state of a large archive is hundreds of thousands of
    small containers made at once, and the collections they trigger find nothing to free.
    """
    if not blob.startswith((FORMAT, RAW)):
        raise ValueError("not a value of this format")
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = blob[len(FORMAT):]
        return pickle.loads(zlib.decompress(data) if blob.startswith(FORMAT) else data)
    except Exception as exc:  # pickle raises many kinds on damaged bytes
        raise ValueError(f"damaged value ({type(exc).__name__})") from exc
    finally:
        if enabled:
            gc.enable()


class BuildState:
    """The open build state of one build (a no-op store when ``folder`` is None or unusable)."""

    def __init__(self, folder: str | os.PathLike | None) -> None:
        self.path: Path | None = Path(folder) / FILE_NAME if folder else None
        self._db: sqlite3.Connection | None = None
        self._repaired = False
        self.used: dict[str, set[str]] = {}  # kind → keys read or written by this build
        self.damaged_values = 0
        if self.path is not None:
            self._db = self._open()

    @property
    def enabled(self) -> bool:
        return self._db is not None

    # -- opening and repair ---------------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection | None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._connect()
        except sqlite3.DatabaseError as exc:
            return self._repair(exc)
        except (OSError, sqlite3.Error) as exc:
            logger.warning("news_archive: the cache at %s cannot be used (%s); building without a cache",
                           self.path, exc)
            return None

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and version != SCHEMA:
                raise sqlite3.DatabaseError(f"schema {version}, expected {SCHEMA}")
            for statement in _TABLES:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA}")
            db.execute("SELECT count(*) FROM slots").fetchone()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _repair(self, exc: Exception) -> sqlite3.Connection | None:
        """Move a file SQLite cannot use aside (once per build) and start a new one."""
        assert self.path is not None
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        if self._repaired:
            logger.warning("news_archive: the cache at %s failed again (%s); building without a cache",
                           self.path, exc)
            return None
        self._repaired = True
        aside = self.path.with_name(self.path.name + ".damaged")
        try:
            if self.path.exists():
                os.replace(self.path, aside)
            for extra in ("-journal", "-wal", "-shm"):
                Path(f"{self.path}{extra}").unlink(missing_ok=True)
            logger.warning("news_archive: the cache %s could not be read (%s); moved to %s and started anew "
                           "(this build analyses and renders everything)", self.path, exc, aside.name)
            return self._connect()
        except (OSError, sqlite3.Error) as again:
            logger.warning("news_archive: the cache at %s cannot be repaired (%s); building without a cache",
                           self.path, again)
            return None

    def _run(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        """One statement; a damaged file is repaired (and the statement given up), other errors warned about."""
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, tuple(args)).fetchall()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                logger.warning("news_archive: the cache at %s is locked by another build (%s)", self.path, exc)
                return []
            self._db = self._repair(exc)
            return []
        except sqlite3.Error as exc:
            logger.warning("news_archive: the cache at %s failed (%s)", self.path, exc)
            return []

    def _decode(self, blob: bytes, what: str) -> Any:
        try:
            return decode(bytes(blob))
        except ValueError as exc:
            self.damaged_values += 1
            if self.damaged_values == 1:
                logger.warning("news_archive: a cache entry (%s) is damaged (%s); it is made again", what, exc)
            raise

    # -- records ----------------------------------------------------------------------------------------------------
    def _record_rows(self, kind: str, keys: Iterable[str], columns: str) -> Iterator[tuple]:
        """The rows (``columns``) of the stored records of ``keys``, 500 keys a query; the keys count as used."""
        keys = list(dict.fromkeys(keys))
        self.used.setdefault(kind, set()).update(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            yield from self._run(f"SELECT {columns} FROM records WHERE kind = ? AND key IN "
                                 f"({','.join('?' * len(chunk))})", [kind, *chunk])

    def get_records(self, kind: str, keys: Iterable[str]) -> dict[str, Any]:
        """The stored values of those ``keys`` that have one (undecodable ones count as missing)."""
        found: dict[str, Any] = {}
        for key, blob in self._record_rows(kind, keys, "key, value"):
            with contextlib.suppress(ValueError):
                found[key] = self._decode(blob, f"{kind} {key[:12]}")
        return found

    def record_keys(self, kind: str, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` that have a stored value, none of them decoded (they count as used)."""
        return {key for (key,) in self._record_rows(kind, keys, "key")}

    def put_records(self, kind: str, items: Mapping[str, Any]) -> None:
        """Store values in one transaction: all of them land or none do."""
        if self._db is None or not items:
            return
        self.used.setdefault(kind, set()).update(items)
        rows = [(kind, key, encode(value)) for key, value in sorted(items.items())]
        self._transaction("INSERT OR REPLACE INTO records (kind, key, value) VALUES (?, ?, ?)", rows)

    def _transaction(self, sql: str, rows: list[tuple]) -> None:
        assert self._db is not None
        try:
            self._db.execute("BEGIN")
            self._db.executemany(sql, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            logger.warning("news_archive: the cache at %s cannot be written (%s); continuing without saving",
                           self.path, exc)

    def prune(self, ratio: float = 2.0, floor: int = 1000) -> int:
        """Delete the records of each kind this build did not use, once they outnumber the used ones by ``ratio``
        (and ``floor``); returns how many went."""
        gone = 0
        for kind, used in sorted(self.used.items()):
            rows = self._run("SELECT count(*) FROM records WHERE kind = ?", [kind])
            total = rows[0][0] if rows else 0
            if total <= ratio * len(used) + floor:
                continue
            stale = [key for (key,) in self._run("SELECT key FROM records WHERE kind = ?", [kind]) if key not in used]
            if self._db is not None and stale:
                self._transaction("DELETE FROM records WHERE kind = ? AND key = ?", [(kind, k) for k in stale])
                gone += len(stale)
        return gone

    # -- slots --------------------------------------------------------------------------------------------------------
    def get_slot(self, name: str, key: str | None = None) -> tuple[str, Any] | None:
        """(key, value) kept under ``name``, or None; with ``key``, None unless the value was kept under that key
        (a value that cannot be used is then never read: at 23k articles some take a second to decode)."""
        if key is None:
            rows = self._run("SELECT key, value FROM slots WHERE name = ?", [name])
        else:
            rows = self._run("SELECT key, value FROM slots WHERE name = ? AND key = ?", [name, key])
        if not rows:
            return None
        try:
            return rows[0][0], self._decode(rows[0][1], f"slot {name}")
        except ValueError:
            return None

    def slot_key(self, name: str) -> str | None:
        """The key a slot's value was stored under, without reading the value."""
        rows = self._run("SELECT key FROM slots WHERE name = ?", [name])
        return rows[0][0] if rows else None

    def put_slot(self, name: str, key: str, value: Any) -> None:
        if self._db is not None:
            self._transaction("INSERT OR REPLACE INTO slots (name, key, value) VALUES (?, ?, ?)",
                              [(name, key, encode(value, compress=False))])

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def __enter__(self) -> BuildState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
