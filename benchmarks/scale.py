"""Archive-scale build (issue #6): all of Reuters train + BBC News + AG News (about 23k articles).

Plain Pelican, the plugin cold (empty cache) and warm (the same build again, same cache and output folder), each
in its own process: wall time and peak memory. Target: the cold build finishes without running out of memory;
warm ≤ 1.5 × plain. One line.

BBC News and AG News give no dates, and plain Pelican skips an article without one (with a warning each), so
``PLUGINS=[]`` alone publishes only the 13,585 dated Reuters articles, while the plugin publishes all of them
("Date unknown"). ``plain-all`` is Pelican alone publishing the same articles (``DEFAULT_DATE = "fs"``: file
dates, which only plain Pelican sees); the target compares like with like, so it is checked against it: warm,
a rebuild over the files the cold build left, against plain-all's own rebuild into its folder. Both ratios are
printed.

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
        plain_all = measure(pelican_command(content, work / "plain-all", work / "cache", "PLUGINS=[]",
                                            'DEFAULT_DATE="fs"'))
        # warm is a rebuild over the files the cold build left: compared with plain Pelican's own rebuild.
        plain_rebuild = measure(pelican_command(content, work / "plain-all", work / "cache", "PLUGINS=[]",
                                                'DEFAULT_DATE="fs"'))
        cold = measure(pelican_command(content, work / "output", work / "cache"))
        warm = measure(pelican_command(content, work / "output", work / "cache"))
        pages = {name: sum(1 for _ in (work / name / "articles").glob("*/index.html"))
                 for name in ("plain", "plain-all", "output")}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    ratio = warm[0] / plain_rebuild[0]
    print(f"scale articles={n} plain={plain[0]:.0f}s/{plain[1]:.0f}MiB ({pages['plain']} article pages) "
          f"plain-all={plain_all[0]:.0f}s/{plain_all[1]:.0f}MiB ({pages['plain-all']}; rebuild "
          f"{plain_rebuild[0]:.0f}s/{plain_rebuild[1]:.0f}MiB) "
          f"cold={cold[0]:.0f}s/{cold[1]:.0f}MiB warm={warm[0]:.0f}s/{warm[1]:.0f}MiB ({pages['output']}) "
          f"warm/plain={warm[0] / plain[0]:.2f} warm/plain-all-rebuild={ratio:.2f} (target<=1.50) cold finished=yes "
          f"targets={'met' if ratio <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
