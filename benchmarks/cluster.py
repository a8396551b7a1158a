"""Extraction on a Dask cluster against the built-in workers (issue #18), side by side in one run.

The articles of shared data (Reuters train + BBC News + AG News, about 23k; ``--articles N`` for fewer) are
imported once, then analysed into two empty caches, each run in its own process with wall time, peak memory and
CPU seconds (user + system, of the run and every process it started):

* builtin — ``news-archive analyse CONTENT``: this machine's worker processes (as a cold ``pelican`` build
  starts them; their number printed);
* dask    — the same command's code against a ``dask.distributed.LocalCluster`` of as many worker processes (one
  thread each, Dask's statistical profiler off), the cluster's start included; how long the cluster took to
  start is printed beside it.

Then ``pelican`` builds over each cache, in a process where spaCy cannot be imported (``sys.modules['spacy'] =
None``): a build that needed spaCy would fail, so each is warm by construction, and the log must say 0 misses. The
two ``archive.json`` must be identical. Target: dask wall ≤ 1.1 × builtin wall. The search index (Pagefind) is
left out of both builds: it is not what is measured. One line.

    python benchmarks/cluster.py [--articles N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DATA, ROOT, WORK
from speed import prepare

FILES = ("reuters21578-train.jsonl.gz", "bbc-news.jsonl.gz", "agnews-test.jsonl.gz")
BIN = Path(sys.executable).parent
# Runs a command; prints its output, then peak resident KiB and CPU seconds of it and everything it started.
LAUNCHER = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, "
            "stderr=subprocess.STDOUT, text=True); sys.stdout.write(r.stdout[-4000:]); "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(); print(u.ru_maxrss, u.ru_utime + u.ru_stime); "
            "sys.exit(r.returncode)")
DASK_RUN = """
import json, sys, time
import dask
from distributed import LocalCluster
# Dask workers sample every task's stack every 10 ms for their dashboard's profile: CPU a batch job never needs.
dask.config.set({"distributed.worker.profile.enabled": False})
from pelican.plugins.news_archive.edge.analyse import analyse_content
content, settings, cache, workers = sys.argv[1:5]
t = time.perf_counter()
with LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=None,
                  memory_limit=0) as cluster:
    up = time.perf_counter() - t
    done = analyse_content(content, settings, scheduler=cluster.scheduler_address,
                           overrides={"CACHE_PATH": cache, "NEWS_ARCHIVE_SEARCH": False})
print("DASK", json.dumps({"up": up, "analyse": done.seconds, "extracted": done.extracted}))
"""
# pelican with spaCy made unimportable: a build that needs it fails.
NO_SPACY = "import sys; sys.modules['spacy'] = None; sys.argv[0] = 'pelican'; from pelican import main; main()"


def run(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, peak MiB, CPU seconds and output of one command in its own launcher process."""
    start = time.perf_counter()
    # A wide console keeps each of Pelican's log records on one line.
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "400"})
    wall = time.perf_counter() - start
    out, _, figures = proc.stdout.rstrip().rpartition("\n")
    if proc.returncode:
        raise SystemExit(f"command failed: {' '.join(cmd[:4])}…\n{out}{proc.stderr}")
    rss, cpu = figures.split()
    return wall, int(rss) / 1024, float(cpu), out


def warm_build(content: Path, output: Path, cache: Path) -> tuple[float, float, float, int]:
    """A pelican build without spaCy; its wall, peak, CPU and the misses its log reports (must be 0)."""
    settings = f"CACHE_PATH={json.dumps(str(cache))}"
    wall, peak, cpu, out = run([sys.executable, "-c", NO_SPACY, str(content), "-s", str(ROOT / "pelicanconf.py"),
                                "-o", str(output), "-e", settings, "NEWS_ARCHIVE_SEARCH=false"])
    found = re.search(r"cache (\d+) hits, (\d+) misses", out)
    if not found:
        raise SystemExit(f"the build's log has no cache figures:\n{out}")
    return wall, peak, cpu, int(found.group(2))


def cache_bytes(cache: Path) -> tuple[float, float]:
    """Bytes per article of the build cache after a build: the extractions alone, and everything (per-article
    records, the last analysis, the page views and memos, the output ledger)."""
    import sqlite3

    db = sqlite3.connect(f"file:{cache / 'news_archive.sqlite'}?mode=ro", uri=True)
    try:
        n, ex = db.execute("SELECT count(*), sum(length(value)) FROM records WHERE kind = 'extraction'").fetchone()
        total = (cache / "news_archive.sqlite").stat().st_size
    finally:
        db.close()
    return ex / max(n, 1), total / max(n, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=None, help="cap on the number of articles (default: all)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (content, both caches, outputs)")
    ap.add_argument("--work", type=Path, default=None,
                    help="work folder (kept; its content/ is reused when there; scale.py --stages reads its "
                         "cache-builtin/)")
    args = ap.parse_args()
    from pelican.plugins.news_archive.analysis.extraction.workers import processes_for

    WORK.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="cluster-", dir=WORK))
    work.mkdir(parents=True, exist_ok=True)
    keep = args.keep or args.work is not None
    for old in ("cache-builtin", "cache-dask", "out-builtin", "out-dask"):
        shutil.rmtree(work / old, ignore_errors=True)
    try:
        content = work / "content"
        if not content.is_dir():
            content, _ = prepare([DATA / f for f in FILES], args.articles, work)
        n = len(list(content.glob("*.md")))
        workers = processes_for(0, n)
        conf = str(ROOT / "pelicanconf.py")
        builtin = run([str(BIN / "news-archive"), "analyse", str(content), "-s", conf, "-e",
                       f"CACHE_PATH={json.dumps(str(work / 'cache-builtin'))}", "NEWS_ARCHIVE_SEARCH=false"])
        dask = run([sys.executable, "-c", DASK_RUN, str(content), conf, str(work / "cache-dask"), str(workers)])
        info = json.loads(dask[3].rpartition("DASK ")[2].splitlines()[0])
        b_build = warm_build(content, work / "out-builtin", work / "cache-builtin")
        d_build = warm_build(content, work / "out-dask", work / "cache-dask")
        per_article = cache_bytes(work / "cache-builtin")
        same = (work / "out-builtin" / "archive.json").read_bytes() == (work / "out-dask" / "archive.json").read_bytes()
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    ratio = dask[0] / builtin[0]
    met = ratio <= 1.1 and same and b_build[3] == 0 and d_build[3] == 0
    print(f"cluster articles={n} workers={workers} builtin={builtin[0]:.0f}s wall/{builtin[2]:.0f}s CPU/"
          f"{builtin[1]:.0f}MiB dask={dask[0]:.0f}s wall/{dask[2]:.0f}s CPU/{dask[1]:.0f}MiB (cluster start "
          f"{info['up']:.1f}s, analyse {info['analyse']:.0f}s, {info['extracted']} texts) dask/builtin wall="
          f"{ratio:.2f} (target<=1.10) CPU={dask[2] / builtin[2]:.2f} warm builds without spaCy: builtin-cache "
          f"{b_build[0]:.0f}s/{b_build[1]:.0f}MiB misses={b_build[3]}, dask-cache {d_build[0]:.0f}s/"
          f"{d_build[1]:.0f}MiB misses={d_build[3]} cache bytes/article: extraction {per_article[0]:.0f}, "
          f"all {per_article[1]:.0f} archive.json identical={'yes' if same else 'NO'} "
          f"targets={'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
