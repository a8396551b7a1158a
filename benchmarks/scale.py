"""Archive-scale build (issue #6): all of Reuters train + BBC News + AG News (about 23k articles).

Plain Pelican, the plugin cold (empty cache) and warm (the same build again, same cache and output folder), each
in its own process: wall time and peak memory. Target: the cold build finishes without running out of memory;
warm ≤ 1.5 × plain. One line.

    python benchmarks/scale.py [--articles N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from common import DATA, WORK
from speed import measure, pelican_command, prepare

FILES = ("reuters21578-train.jsonl.gz", "bbc-news.jsonl.gz", "agnews-test.jsonl.gz")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=None, help="cap on the number of articles (default: all)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="scale-", dir=WORK))
    try:
        content, _ = prepare([DATA / f for f in FILES], args.articles, work)
        n = len(list(content.glob("*.md")))
        plain = measure(pelican_command(content, work / "plain", work / "cache", "PLUGINS=[]"))
        cold = measure(pelican_command(content, work / "output", work / "cache"))
        warm = measure(pelican_command(content, work / "output", work / "cache"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    ratio = warm[0] / plain[0]
    print(f"scale articles={n} plain={plain[0]:.0f}s/{plain[1]:.0f}MiB cold={cold[0]:.0f}s/{cold[1]:.0f}MiB "
          f"warm={warm[0]:.0f}s/{warm[1]:.0f}MiB warm/plain={ratio:.2f} (target<=1.50) cold finished=yes "
          f"targets={'met' if ratio <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
