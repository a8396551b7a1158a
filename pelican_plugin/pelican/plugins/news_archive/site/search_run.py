"""One Pagefind run in a process of its own: stage a shard's pages, index them, clear up.

A shard's staging folder holds each of its pages at its own path (hard links): thousands of ``mkdir`` and ``link``
calls, and the old bundle to remove is as many ``unlink`` calls. Made by the build's process they held its one
busy thread (a thread of its own would wait for the interpreter lock at every call), so the build would write
nothing meanwhile. Here they run beside the build, like Pagefind itself.

Run as a script, ``python search_run.py PAGEFIND OUTPUT BUNDLE STAGING [ASIDE]`` with the pages' names on stdin
(separated by NUL; ASIDE is the old bundle, removed while Pagefind works). It imports nothing but the standard
library, so it needs no installed plugin. Its exit status is Pagefind's (1 when the staging failed), its output
Pagefind's (or what failed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path


def stage(output_path: str | Path, names: Iterable[str], root: str | Path) -> Path:
    """The folder ``root`` holding the pages ``names`` of the output at their own paths (hard links, copies where
    the file system has none): Pagefind indexes exactly these, with the URLs they have in the site, and no glob has
    to spell a page's name (Pagefind's globs cannot escape every character a path may hold)."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    made: set[Path] = set()  # thousands of pages share a few folders: each is made once
    for name in names:
        target = root / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(Path(output_path, name), target)
        except OSError:
            shutil.copyfile(Path(output_path, name), target)
    root.mkdir(parents=True, exist_ok=True)
    return root


def main(argv: list[str]) -> int:
    exe, output, bundle, staging = argv[1:5]
    aside = argv[5] if len(argv) > 5 else ""
    names = [n for n in sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0") if n]
    try:
        try:
            stage(output, names, staging)
        except OSError as exc:
            sys.stdout.write(f"the pages to index could not be staged: {exc}\n")
            return 1
        sys.stdout.flush()
        pagefind = subprocess.Popen([exe, "--site", staging, "--output-path", bundle], stdout=sys.stdout,
                                    stderr=subprocess.STDOUT)
        if aside:  # while Pagefind works
            shutil.rmtree(aside, ignore_errors=True)
        return pagefind.wait()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if aside:
            shutil.rmtree(aside, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
