"""What an output folder holds: atomic writes that stay inside it, and the ledger of what each build wrote there.

The ledger is how a rebuild in place equals a clean build. For every file a build writes it keeps the key the file
was made from (:mod:`.keys`) and the file's size and modification time. The next build skips a file whose key is
the same and whose bytes are still as the last build left them (nobody touched it), and, at its end, removes the
files the last build wrote and this one did not: a deleted article, an entity merged away, a renamed page. Files
the plugin never wrote (a theme's static files, an editor's ``extra/`` files) are never touched.

Every file the plugin writes itself goes through :func:`write_atomic`: written beside its target under a name
starting with :data:`TEMP_PREFIX` and moved into place, so a reader (or a web server) never sees half a file; a
failed write takes its temporary away, and what a killed build left is swept by the next
(:func:`sweep_temporaries`). A build marks the folder (:data:`RUNNING`) before it makes its first temporary and
takes the mark away once it ended: the next build walks the folder for temporaries only when the mark is there
(the last build did not end) or nothing is known of the folder — at 23k articles the walk over its 40,000
folders takes a second.
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TEMP_PREFIX = ".news-archive-"
TEMP_SUFFIX = ".tmp"
Stat = tuple[int, int]  # (size, modification time in ns)
RUNNING = f"{TEMP_PREFIX}build-running{TEMP_SUFFIX}"  # in the output folder while a build makes temporaries there


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_MODE = 0o666 & ~_umask()  # what open() would give a new file; mkstemp's 0600 would hide pages from a web server


@dataclass(frozen=True)
class Entry:
    """One file of the ledger: the key it was made from ("" when it had none), its size and modification time,
    and the ``news_archive`` values its template read."""

    key: str
    size: int
    mtime_ns: int
    reads: tuple[str, ...] = ()


def relative(root: str | os.PathLike, path: str | os.PathLike) -> str:
    """``path`` relative to ``root``, with forward slashes (the ledger's names). Called for every page a build
    writes or skips: a path inside ``root`` (all of them) is cut, not walked by ``os.path.relpath``."""
    root = os.fspath(root)
    base = _normal(root) if os.path.isabs(root) else os.path.abspath(root)
    full = os.path.normpath(path) if os.path.isabs(path) else os.path.abspath(path)
    if full.startswith(base + os.sep):
        return full[len(base) + 1:].replace(os.sep, "/")
    return os.path.relpath(full, base).replace(os.sep, "/")


@functools.lru_cache(maxsize=64)
def _normal(root: str) -> str:
    """An absolute root, normalised (a build asks for the same output folder's thousands of times)."""
    return os.path.normpath(root)


def inside(root: str | os.PathLike, name: str) -> str:
    """The absolute path of ``name`` in ``root``; ValueError when it would leave ``root``."""
    base = os.path.abspath(root)
    full = os.path.normpath(os.path.join(base, name))
    if full == base or not full.startswith(base + os.sep):
        raise ValueError(f"{name!r} is not a file inside {base}")
    return full


def stat_of(path: str | os.PathLike) -> Stat | None:
    """(size, modification time) of a file, None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def write_atomic(root: str | os.PathLike, name: str, data: str | bytes) -> str:
    """Write ``data`` (text as UTF-8, byte for byte) to ``name`` inside ``root``, all or nothing; returns the
    path. Raises ValueError for a name outside ``root`` and OSError when the file cannot be written (its temporary
    is then removed)."""
    path = inside(root, name)
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.chmod(temporary, _MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def sweep_temporaries(root: str | os.PathLike) -> list[str]:
    """Remove the temporaries a killed build left under ``root``; returns their names."""
    removed = []
    for folder, dirs, files in os.walk(root):
        for name in [d for d in dirs if d.startswith(TEMP_PREFIX) and d.endswith(TEMP_SUFFIX)]:
            dirs.remove(name)  # a folder moved aside to be removed (an old search bundle)
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
            removed.append(relative(root, os.path.join(folder, name)))
        for name in files:
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                path = os.path.join(folder, name)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                    removed.append(relative(root, path))
    return sorted(removed)


class Trash:
    """Files of the last build that are about to be written anew, moved aside and removed beside the build.

    Pelican opens an existing page for writing, which truncates it; on this machine's ext4 freeing a rendered
    page's blocks took about 5 ms a file, in the build's one busy thread (2.8 s of a profiled rename at 23k
    articles, where hundreds of pages are rendered again; less when the disk was synced before the build). A
    rename into a folder of temporaries frees nothing; a thread unlinks them, without the interpreter lock while
    the kernel works. The folder is a temporary, and the output is marked before it is made, so a killed build's
    trash is swept by the next.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = os.fspath(root)
        self.folder = ""
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._serial = 0

    def discard(self, path: str) -> None:
        """Move ``path`` (a file inside the output) aside to be removed; nothing when it is not there."""
        if not os.path.isfile(path) or os.path.islink(path):
            return
        if not self.folder:
            mark_running(self.root)
            self.folder = os.path.join(self.root, f"{TEMP_PREFIX}trash-{os.getpid()}{TEMP_SUFFIX}")
            os.makedirs(self.folder, exist_ok=True)
            self._thread = threading.Thread(target=self._empty, name="news-archive-trash", daemon=True)
            self._thread.start()
        target = os.path.join(self.folder, str(self._serial))
        self._serial += 1
        try:
            os.rename(path, target)
        except OSError:  # another file system or gone: Pelican truncates it as it would have
            return
        self._queue.put(target)

    def _empty(self) -> None:
        while (path := self._queue.get()) is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def close(self) -> None:
        """Wait for the removals and take the folder away."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = ""


def unfinished(root: str | os.PathLike) -> bool:
    """Whether the last build that made temporaries in ``root`` did not end (its mark is still there)."""
    return os.path.lexists(os.path.join(root, RUNNING))


def mark_running(root: str | os.PathLike) -> None:
    """Mark ``root`` as holding this build's temporaries (before the first is made)."""
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, RUNNING), "w", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")


def mark_ended(root: str | os.PathLike) -> None:
    """Take the mark away: this build ended and left no temporary."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(root, RUNNING))


class Ledger:
    """The files of one output folder: ``previous`` as the last build left them, ``current`` as this build
    writes (or keeps) them."""

    def __init__(self, root: str, previous: Mapping[str, Entry] | None = None) -> None:
        self.root = os.path.abspath(root)
        self.previous: dict[str, Entry] = {k: v for k, v in (previous or {}).items() if isinstance(v, Entry)}
        self.current: dict[str, Entry] = {}
        self.removed: list[str] = []

    def _stat(self, name: str) -> Stat | None:
        try:
            return stat_of(inside(self.root, name))
        except ValueError:
            return None

    def reads_of(self, name: str) -> tuple[str, ...]:
        """What the template of ``name`` read of ``news_archive`` when it was last rendered."""
        entry = self.current.get(name) or self.previous.get(name)
        return entry.reads if entry is not None else ()

    def unchanged(self, name: str, key: str) -> bool:
        """True when the last build wrote ``name`` from ``key`` and the file is still as it left it; the file is
        then this build's too."""
        old = self.previous.get(name)
        if not key or old is None or old.key != key or self._stat(name) != (old.size, old.mtime_ns):
            return False
        self.current[name] = old
        return True

    def wrote(self, name: str, key: str = "", reads: Iterable[str] = ()) -> None:
        """This build wrote ``name`` (made from ``key``)."""
        found = self._stat(name)
        if found is None:
            self.current.pop(name, None)
            return
        self.current[name] = Entry(key, found[0], found[1], tuple(reads))

    def keep(self, files: Mapping[str, Stat | None]) -> None:
        """Files this build owns without having written them through the ledger (the search bundle)."""
        for name, found in files.items():
            if found is not None and self._stat(name) == tuple(found):
                self.current[name] = Entry("", found[0], found[1])

    def stale(self) -> list[str]:
        """Files the last build wrote and this one (so far) did not."""
        return sorted(name for name in self.previous if name not in self.current)

    def remove(self, names: Iterable[str]) -> list[str]:
        """Remove these files of the last build (and the folders they leave empty); returns the names removed."""
        removed = []
        for name in names:
            try:
                path = inside(self.root, name)
            except ValueError:
                continue
            if os.path.isfile(path) or os.path.islink(path):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                    removed.append(name)
            folder = os.path.dirname(path)
            while folder != self.root and folder.startswith(self.root + os.sep):
                try:
                    os.rmdir(folder)  # only when empty
                except OSError:
                    break
                folder = os.path.dirname(folder)
        self.removed.extend(removed)
        return removed

    def remove_stale(self) -> list[str]:
        """Remove the stale files (and the folders they leave empty); returns every name removed in this build."""
        self.remove(self.stale())
        return sorted(set(self.removed))
