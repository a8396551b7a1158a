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

``--stages`` measures instead the peak memory of each archive-wide stage (canonicalise, countries, same story,
relate, page models; ``stages.py`` says how: ``tracemalloc``, what a stage allocates above what it started with)
at 1,500, 5,000 and all articles, each size an evenly spaced sample of the imported files, read and analysed in a
process of its own from one build cache that holds every extraction (``--work``: the folder ``cluster.py --work``
left, whose ``cache-builtin`` it reuses; without one, a cache is filled with ``news-archive analyse``). Per stage: MiB
at each size and the growth exponent (least-squares slope of log memory over log articles). Target: every
exponent ≤ 1.1. One line.

    python benchmarks/scale.py --stages [--work benchmarks/.work/c23k] [--sizes 1500,5000,0]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import DATA, WORK
from speed import measure, pelican_command, prepare

FILES = ("reuters21578-train.jsonl.gz", "bbc-news.jsonl.gz", "agnews-test.jsonl.gz")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=None, help="cap on the number of articles (default: all)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--stages", action="store_true", help="peak memory per archive-wide stage at several sizes")
    ap.add_argument("--work", type=Path, default=None, help="with --stages: a folder with content/ (and a cache)")
    ap.add_argument("--sizes", default="1500,5000,0", help="with --stages: article counts (0 = all)")
    args = ap.parse_args()
    if args.stages:
        return stages(args)
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


STAGES = ("canonicalise", "countries", "same_story", "relate", "page_models")


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log y over log x: the growth exponent."""
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-6)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def sample(content: Path, n: int, folder: Path) -> Path:
    """A content folder of ``n`` of the files of ``content``, evenly spaced in name order (links, not copies)."""
    files = sorted(content.glob("*.md"))
    picked = files if not n or n >= len(files) else [files[i * len(files) // n] for i in range(n)]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for f in picked:
        (folder / f.name).symlink_to(f.resolve())
    return folder


def stages(args: argparse.Namespace) -> None:
    work = (args.work or WORK / "stages").resolve()
    work.mkdir(parents=True, exist_ok=True)
    content = work / "content"
    if not content.is_dir():
        content, _ = prepare([DATA / f for f in FILES], args.articles, work)
    cache = work / "cache-builtin"
    bin_ = Path(sys.executable).parent
    if not cache.is_dir():  # cluster.py --work left a full one; else every extraction is made now
        subprocess.run([str(bin_ / "news-archive"), "analyse", str(content), "-s",
                        str(Path(__file__).parent.parent / "pelicanconf.py"), "-e",
                        f"CACHE_PATH={json.dumps(str(cache))}"], check=True, capture_output=True)
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        folder = sample(content, n, work / f"sample-{n}")
        proc = subprocess.run([sys.executable, str(Path(__file__).parent / "stages.py"), str(folder), str(cache)],
                              capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(proc.stdout + proc.stderr)
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    sizes = [r["articles"] for r in rows]
    parts, met = [], True
    for name in STAGES:
        own = [r["stages"][name]["own"] for r in rows]
        k = slope(sizes, own)
        met &= k <= 1.1
        parts.append(f"{name}=" + "/".join(f"{v:.1f}" for v in own) + f"MiB k={k:.2f} ("
                     + "/".join(f"{r['stages'][name]['seconds']:.0f}" for r in rows) + "s)")
    print(f"scale-stages articles={'/'.join(map(str, sizes))} peak MiB per stage (tracemalloc, above the stage's "
          f"start; seconds traced) " + " ".join(parts) + f" growth exponent target<=1.10 "
          f"targets={'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
