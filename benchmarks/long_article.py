"""Bounded memory for long texts (issue #15): peak memory of a build with one very long article, against the same
build with a 1 MB article, with the plugin and with plain Pelican.

The archive is 20 Reuters articles plus one long article made of Reuters article bodies one after another (real
news text, repeated until the size is reached), written straight as Pelican Markdown. Each configuration is a cold
build (empty output and cache) in its own process; the figure is the peak resident memory of the largest process
of the build (the ``pelican`` process or one of its extraction workers) and its wall seconds.

Target: the plugin's peak with a 50 MB article within 300 MiB of its peak with a 1 MB one (plain Pelican's own
growth printed beside it: Markdown holds the whole text several times over, whatever the plugin does).

    python benchmarks/long_article.py [--sizes 1,50]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import tempfile
from pathlib import Path

from common import DATA, WORK
from speed import measure, pelican_command

SMALL = 20
LIMIT_MIB = 300


def write_archive(folder: Path, megabytes: int) -> int:
    """The content folder: SMALL articles and one long one of about ``megabytes`` MB; returns its size in bytes."""
    folder.mkdir(parents=True)
    bodies = []
    with gzip.open(DATA / "reuters21578-train.jsonl.gz", "rt", encoding="utf-8") as src:
        for i, line in enumerate(src):
            record = json.loads(line)
            body = (record.get("body") or "").strip()
            if not body:
                continue
            if len(bodies) < SMALL:
                title = " ".join((record.get("title") or f"Article {i}").split()).replace(":", " ")
                (folder / f"a{i:05d}.md").write_text(f"Title: {title}\nDate: 1987-03-{1 + i % 28:02d}\n\n{body}\n",
                                                     encoding="utf-8")
            bodies.append(body)
            if len(bodies) >= 2000:
                break
    target = megabytes * 1_000_000
    parts, size, k = [], 0, 0
    while size < target:
        paragraph = bodies[k % len(bodies)].replace("\n", " ")
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        k += 1
    text = "\n\n".join(parts)
    (folder / "long.md").write_text(f"Title: A very long article\nDate: 1987-04-01\n\n{text}\n", encoding="utf-8")
    return len(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,50", help="sizes of the long article in MB, comma-separated")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[str, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        work = Path(tmp)
        for mb in sizes:
            content = work / f"content-{mb}"
            written = write_archive(content, mb)
            for name, extra in (("plugin", ()), ("plain", ("PLUGINS=[]",))):
                out, cache = work / f"out-{name}-{mb}", work / f"cache-{name}-{mb}"
                wall, peak, _cpu = measure([*pelican_command(content, out, cache), "NEWS_ARCHIVE_SEARCH=false", *extra])
                results[(name, mb)] = (wall, peak)
                print(f"{name:6} long article {written / 1e6:6.1f} MB ({SMALL} other articles): "
                      f"{wall:6.1f} s, peak {peak:7.0f} MiB", flush=True)
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
    if len(sizes) >= 2:
        lo, hi = min(sizes), max(sizes)
        grow = results[("plugin", hi)][1] - results[("plugin", lo)][1]
        plain = results[("plain", hi)][1] - results[("plain", lo)][1]
        verdict = "met" if grow <= LIMIT_MIB else "NOT met"
        print(f"plugin peak grows {grow:.0f} MiB from {lo} MB to {hi} MB (plain Pelican {plain:.0f} MiB); "
              f"target ≤ {LIMIT_MIB} MiB: {verdict}")


if __name__ == "__main__":
    main()
