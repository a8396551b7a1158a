"""Replaying the last build's output when nothing it was made from has changed.

A newsroom rebuilds after every correction, and most rebuilds change nothing the plugin writes: the entity and
country pages, their feeds, the indexes, the sitemap, ``archive.json`` and the Pagefind search bundle are the same
bytes as last time. Rendering them again costs more than Pelican's whole build of the articles, so each is stored
after it is written, under a digest of everything it was made from, and written back from the store when the digest
is unchanged. Output stays byte-identical to a fresh render (a test checks it); Pagefind's bundle, which Pagefind
itself never writes the same way twice, becomes stable from build to build.

What a digest covers is deliberately broad, so a change can only cost a render, never leave a stale page:

* plugin pages: the analysis (its archive key: every article's text, metadata, the settings, the editor file and
  the plugin's code), every Pelican setting, every template file the build can load, every article's and page's
  metadata and rendered text, and the versions of Pelican and the plugin;
* the search bundle: every HTML file of the written site, byte for byte, and the Pagefind binary.

Each kind keeps one slot in the cache (the newest build), so the cache does not grow with every correction.
Stored files are zlib-compressed (level 1: HTML shrinks about sixfold for a few milliseconds per megabyte).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import os
import pickle
import types
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .cache import ExtractionCache

logger = logging.getLogger(__name__)

FORMAT = b"replay-1"  # bump when what is stored changes shape


def canonical(value: Any) -> str:
    """A stable text form of a settings value: functions and classes by name, never by memory address."""
    if isinstance(value, Mapping):
        items = sorted((str(k), canonical(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, os.PathLike):
        return repr(os.fspath(value))
    if isinstance(value, types.FunctionType | types.BuiltinFunctionType | types.MethodType | type):
        return f"<{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}>"
    if isinstance(value, types.ModuleType):
        return f"<module {value.__name__}>"
    text = repr(value)
    # An object whose repr is its address says nothing stable about its state: only its type counts.
    return f"<{type(value).__module__}.{type(value).__qualname__}>" if " at 0x" in text else text


def digest(parts: Iterable[str | bytes]) -> str:
    """SHA-256 over parts, each length-prefixed so that no two different sequences collide by concatenation."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_files(folders: Iterable[str | Path]) -> list[tuple[str, bytes]]:
    """(folder/name, bytes) of every file under each folder, in a fixed order."""
    out: list[tuple[str, bytes]] = []
    for folder in folders:
        base = Path(folder)
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            out.append((f"{folder}/{path.relative_to(base).as_posix()}", path.read_bytes()))
    return out


def pack(value: Any) -> bytes:
    """``value`` as stored in a memo slot: pickled, compressed, tagged with the format."""
    return FORMAT + zlib.compress(pickle.dumps(value, protocol=5), 1)


def loads(data: bytes) -> Any:
    """``pickle.loads`` with the garbage collector paused: unpickling the state of a large archive makes hundreds
    of thousands of containers at once, and the collections they would trigger find nothing to free (they
    doubled the time at 23,000 articles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def unpack(blob: bytes | None) -> Any:
    """The value of :func:`pack`, or None for nothing stored or anything damaged (which only costs a render)."""
    if not blob or not blob.startswith(FORMAT):
        return None
    try:
        return loads(zlib.decompress(blob[len(FORMAT):]))
    except Exception as exc:
        logger.debug("news_archive: stored output unreadable (%s); making it again", exc)
        return None


def _inside(root: str, name: str) -> str:
    """The absolute path of ``name`` under ``root``; refuses names that would leave it."""
    path = os.path.normpath(os.path.join(root, name))
    if os.path.isabs(name) or not path.startswith(root + os.sep):
        raise ValueError(f"{name!r} is outside the output folder")
    return path


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def read_outputs(output_path: str | Path, names: Iterable[str]) -> dict[str, bytes]:
    """The bytes of written files, by their path relative to the output folder (which they must be inside)."""
    root = os.path.abspath(output_path)
    files: dict[str, bytes] = {}
    for name in sorted({os.path.relpath(os.path.join(root, n), root).replace(os.sep, "/") for n in names}):
        with open(_inside(root, name), "rb") as fh:
            files[name] = fh.read()
    return files


class Memo:
    """One slot of the cache holding the newest build's files of one kind, and how they look on disk.

    Besides the files (compressed), the slot keeps a small manifest: each file's size and modification time as
    written to this output folder. A rebuild in place finds every file as it left it and touches nothing (the
    files themselves are not even read from the cache); a fresh output folder gets every file written back.
    Anything unreadable counts as "nothing stored": it costs a render, never a build.
    """

    def __init__(self, cache: ExtractionCache, slot: str, output_path: str | Path) -> None:
        self.cache = cache
        self.slot = slot
        self.root = os.path.abspath(output_path)

    def _manifest_key(self, key: str) -> str:
        return digest([key, self.root])

    def reuse(self, key: str, before_writing: Callable[[], None] | None = None) -> tuple[list[str], Any, int] | None:
        """Put the files stored under ``key`` in place: (their names relative to the output folder, the stored
        ``extra``, how many had to be written), or None when nothing is stored under ``key``. ``before_writing``
        runs once before the first file is written."""
        if not key:
            return None
        manifest = unpack(self.cache.get_memo(self.slot + ":disk", self._manifest_key(key)))
        if isinstance(manifest, tuple) and len(manifest) == 2 and isinstance(manifest[0], dict):
            stats, extra = manifest
            if all(stat is not None and stat == _stat(_inside(self.root, name)) for name, stat in stats.items()):
                return list(stats), extra, 0
        value = unpack(self.cache.get_memo(self.slot, key))
        if not (isinstance(value, tuple) and len(value) == 3 and value[0] == key and isinstance(value[1], dict)):
            return None
        _, files, extra = value
        if before_writing is not None:
            before_writing()
        made: set[str] = set()
        for name, data in files.items():
            path = _inside(self.root, name)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            with open(path, "wb") as fh:  # in place, as Pelican writes pages; a cut-short file differs in size
                fh.write(data)
        self._keep_manifest(key, files, extra)
        return list(files), extra, len(files)

    def store(self, key: str, names: Iterable[str], extra: Any = None) -> None:
        """Keep the written files ``names`` (relative to the output folder) and ``extra`` under ``key``."""
        files = read_outputs(self.root, names)
        self.cache.put_memo(self.slot, key, pack((key, files, extra)))
        self._keep_manifest(key, files, extra)

    def _keep_manifest(self, key: str, files: Mapping[str, bytes], extra: Any) -> None:
        stats = {name: _stat(_inside(self.root, name)) for name in sorted(files)}
        self.cache.put_memo(self.slot + ":disk", self._manifest_key(key), pack((stats, extra)))


def files_digest(output_path: str | Path, names: Iterable[str], *parts: str) -> str:
    """Digest of ``parts`` and of the named files of the output folder (name and bytes)."""
    root = os.path.abspath(output_path)
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() + b"\x00")
    for name in names:
        with open(_inside(root, name), "rb") as fh:
            data = fh.read()
        h.update(f"{name}\x00{len(data)}\x00".encode())
        h.update(data)
    return h.hexdigest()
