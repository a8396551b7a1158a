"""Extraction on a Dask cluster (analysis/cluster.py, edge/analyse.py): a LocalCluster of two worker processes
fills the build's cache, the next build never starts spaCy, and its output is the output of a plain build."""

from __future__ import annotations

import platform
import shutil
from pathlib import Path

import pytest
from pelican.plugins.news_archive.analysis import cluster as cluster_mod
from pelican.plugins.news_archive.analysis import pipeline
from pelican.plugins.news_archive.build.state import BuildState
from pelican.plugins.news_archive.edge import runs
from pelican.plugins.news_archive.model import Extraction, SourceDoc
from pelican.plugins.news_archive.settings import ArchiveSettings, SettingsError, load

from .conftest import ROOT, SOURCE, build, use_working_tree

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")


def output_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")}


class NoSpacy:
    """Stands in for the built-in worker pool: a build that needs spaCy fails the test."""

    def __init__(self, *args, **kwargs):
        raise AssertionError("the build started spaCy workers after `analyse` filled its cache")


def test_a_cluster_analysis_makes_the_next_build_warm_and_identical_to_a_plain_build(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(content, tmp_path / "plain", tmp_path / "plain-cache", NEWS_ARCHIVE_SEARCH=False)
    # Two articles a task, so the seed's five articles are spread over both workers in three batches.
    monkeypatch.setattr(cluster_mod, "TASK_ARTICLES", 2)
    from pelican.plugins.news_archive.edge.analyse import analyse_content

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            distributed.Client(lc, set_as_default=False) as client:
        client.run(use_working_tree, str(SOURCE))
        done = analyse_content(content, str(ROOT / "pelicanconf.py"), scheduler=lc.scheduler_address,
                               overrides={"CACHE_PATH": str(tmp_path / "cache"), "NEWS_ARCHIVE_SEARCH": False})
        ran_on = {w for w, n in client.run(lambda: __import__("sys").modules.get(
            "pelican.plugins.news_archive.analysis.extraction.extract") is not None).items() if n}
    assert done.articles == 5 and done.extracted == 5
    assert len(ran_on) == 2, "both workers extract"
    monkeypatch.setattr(runs, "ProcessExtractor", NoSpacy)
    monkeypatch.setattr(pipeline, "default_extractor", NoSpacy)
    build(content, tmp_path / "warm", tmp_path / "cache", NEWS_ARCHIVE_SEARCH=False)
    plain, warm = output_files(tmp_path / "plain"), output_files(tmp_path / "warm")
    assert warm["archive.json"] == plain["archive.json"]
    assert warm == plain


class Failing:
    """A backend that delivers some extractions, then fails (a cluster lost, the user's Ctrl-C)."""

    processes = 1

    def __init__(self, good: int):
        self.good = good

    def extract(self, docs, progress=None):
        for doc in docs[:self.good]:
            yield Extraction(key=doc.key, mentions=()), None
        raise KeyboardInterrupt

    def close(self):
        pass


def test_an_interrupted_extraction_keeps_what_it_finished(tmp_path):
    docs = [SourceDoc(key=f"a{i}", title=f"Title {i}", text=f"Body number {i}.") for i in range(5)]
    with BuildState(tmp_path) as state, pytest.raises(KeyboardInterrupt):
        pipeline.extract_only(docs, ArchiveSettings(), state, model="m", extractor=lambda n: Failing(3))
    with BuildState(tmp_path) as state:
        code = pipeline.extraction_code("m")
        kept = state.get_records("extraction", [pipeline.extraction_key(d, code) for d in docs])
    assert sorted(ex.key for ex in kept.values()) == ["a0", "a1", "a2"]


def test_the_scheduler_setting_is_checked_and_stays_out_of_cache_keys():
    assert load({"NEWS_ARCHIVE_SCHEDULER": "tcp://10.0.0.5:8786"}).scheduler == "tcp://10.0.0.5:8786"
    assert load({"NEWS_ARCHIVE_SCHEDULER": "localhost:8786"}).scheduler == "localhost:8786"
    for bad in ("not an address", "tcp://host", 8786):
        with pytest.raises(SettingsError, match="NEWS_ARCHIVE_SCHEDULER"):
            load({"NEWS_ARCHIVE_SCHEDULER": bad})
    from pelican.plugins.news_archive.build.keys import canonical

    assert canonical(ArchiveSettings(scheduler="tcp://a:1")) == canonical(ArchiveSettings())


def test_a_missing_scheduler_is_one_clear_error():
    with pytest.raises(cluster_mod.ClusterError, match="cannot be reached"):
        cluster_mod.connect("tcp://127.0.0.1:9", timeout="2s")


WHERE_A_LARGE_BLOCK_LIVES = """
import ctypes, sys
import pelican.plugins
pelican.plugins.__path__ = [sys.argv[1], *pelican.plugins.__path__]
from pelican.plugins.news_archive.analysis.cluster import keep_large_blocks
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = libc.sbrk.restype = ctypes.c_void_p
libc.sbrk.argtypes = [ctypes.c_long]
raised = keep_large_blocks() if sys.argv[2] == "raise" else False
block = libc.malloc(1 << 20)
print(raised, "heap" if block < libc.sbrk(0) else "mapped")
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting exists in glibc's allocator only")
def test_a_dask_worker_serves_large_blocks_from_the_heap_again(tmp_path):
    """Dask's nanny sets MALLOC_TRIM_THRESHOLD_, which maps every block over 128 KiB afresh (a fifth more CPU per
    article in spaCy); the worker plugin's call raises the mmap threshold back, so a 1 MiB block is heap memory."""
    import subprocess
    import sys

    env = {"MALLOC_TRIM_THRESHOLD_": "65536", "PATH": "/usr/bin:/bin"}

    def where(mode: str) -> str:
        return subprocess.run([sys.executable, "-c", WHERE_A_LARGE_BLOCK_LIVES, str(SOURCE), mode], env=env,
                              capture_output=True, text=True, check=True).stdout.split()

    assert where("leave") == ["False", "mapped"], "with Dask's variable, glibc maps the block"
    assert where("raise") == ["True", "heap"]
