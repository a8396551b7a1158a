"""Related-articles stage at scale (issue #5): time and peak memory of ``relate`` for 1k, 5k and 20k articles.

Articles: a fixed random sample (seed 0) of Reuters-21578 + BBC News + AG News, so every size mixes the three
sources; the smaller samples are prefixes of the larger. Extraction comes from the benchmark cache
(benchmarks/.work/cache; the first run extracts ~23k articles, which takes a while) and entities from
``canonicalise``; only the related stage is measured, with the default settings, called as the pipeline calls it.
Time is one run (wall clock); peak memory is a second run under ``tracemalloc`` (NumPy and SciPy buffers
included). Growth = log(t20k / t1k) / log(20): 1 is linear, 2 quadratic.

Target: 20k articles in ≤ 10 s, growth closer to linear than quadratic (< 1.5). One line.

    .venv/bin/python benchmarks/related_scale.py [--sizes 1000,5000,20000]
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import time
import tracemalloc

from common import extract, read_jsonl, source_docs

FILES = ("reuters21578-train.jsonl.gz", "bbc-news.jsonl.gz", "agnews-test.jsonl.gz")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    from pelican.plugins.news_archive.analysis.canonicalise import canonicalise
    from pelican.plugins.news_archive.analysis.relate import relate
    from pelican.plugins.news_archive.settings import ArchiveSettings

    pool = [doc for name in FILES for doc in source_docs(read_jsonl(name))]
    random.Random(0).shuffle(pool)
    docs = pool[: sizes[-1]]
    extractions = extract(docs)
    settings = ArchiveSettings()
    results = []
    for size in sizes:
        part = docs[:size]
        ex = {d.key: extractions[d.key] for d in part}
        index = canonicalise(ex, sources={d.key: d.source for d in part}, types=settings.entity_types)
        names = {slug: e.name for slug, e in index.entities.items()}
        kinds = {slug: e.type for slug, e in index.entities.items()}

        def run(ex=ex, index=index, names=names, kinds=kinds, part=part):
            return relate(ex, index.by_article, {d.key: d.date for d in part}, names,
                          count=settings.related_count, threshold=settings.related_threshold,
                          weights=settings.related_weights, same_story_threshold=settings.same_story_threshold,
                          same_story_max_days=settings.same_story_max_days, kinds=kinds,
                          datelines={d.key: d.dateline for d in part})

        if size == sizes[0]:
            run()  # warm-up: imports and the gazetteer's tables, once
        gc.collect()
        t = time.perf_counter()
        related = run()
        seconds = time.perf_counter() - t
        links = sum(len(v) for v in related.values())
        same = sum(r.same_story for v in related.values() for r in v)
        del related
        gc.collect()
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        results.append((size, seconds, peak, links, same))

    first, last = results[0], results[-1]
    growth = math.log(last[1] / first[1]) / math.log(last[0] / first[0]) if last[0] > first[0] else float("nan")
    ok = last[1] <= 10 and growth < 1.5
    print("related_scale " + " ".join(f"{n // 1000}k={s:.2f}s/{m:.0f}MiB({links} links, {same} same-story)"
                                      for n, s, m, links, same in results)
          + f" growth={growth:.2f} (1=linear, 2=quadratic) target 20k<=10s, growth<1.5: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
