"""Builds killed with SIGKILL at random moments (the real ``pelican`` command, as a power cut or an OOM killer
would stop it), each followed by a rebuild in place that must equal a clean build of the same content.

The moments are drawn from a seeded generator, so a failure names a moment that can be replayed: while spaCy
works (before anything is written), and after a random number of output files exist (Pelican's pages, the
plugin's pages, the export, the build state being written).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import BOOT, ROOT, SOURCE
from .test_living_archive import SEED, assert_same_as_clean, clean_build

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def start(content: Path, output: Path, cache: Path) -> subprocess.Popen:
    args = [sys.executable, "-c", BOOT, str(SOURCE), str(content), "-o", str(output), "-s",
            str(ROOT / "pelicanconf.py"), "-e", f"CACHE_PATH={json.dumps(str(cache))}"]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def files_in(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder)) if folder.exists() else 0


def kill_when(proc: subprocess.Popen, ready) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False when it finished first."""
    while proc.poll() is None:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    return False


def run(content: Path, output: Path, cache: Path) -> None:
    proc = start(content, output, cache)
    assert proc.wait(timeout=600) == 0


def test_a_build_killed_at_random_moments_is_repaired_by_the_next(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    clean = clean_build(content, tmp_path, "reference")
    total = files_in(clean)
    rng = random.Random(2026)
    out, cache = tmp_path / "out", tmp_path / "cache"
    moments = [("while analysing", lambda: False, rng.uniform(0.5, 2.0))]
    moments += [(f"after {n} files", lambda n=n: files_in(out) >= n, None)
                for n in sorted(rng.sample(range(1, total), 3))]
    killed = 0
    for name, ready, delay in moments:
        proc = start(content, out, cache)
        if delay is not None:
            deadline = time.monotonic() + delay
            killed += kill_when(proc, lambda deadline=deadline: time.monotonic() >= deadline)
        else:
            killed += kill_when(proc, ready)
        run(content, out, cache)
        try:
            assert_same_as_clean(out, clean)
        except AssertionError as exc:
            raise AssertionError(f"the build killed {name}, rebuilt: {exc}") from exc
    assert killed >= 3  # the moments fell inside builds, not after them
