"""The search index's share of a rebuild, one index against shards, side by side in one run (issue #13).

An archive of N Reuters articles (default 1,500) is imported and built twice, each in its own output folder and
cache: with ``NEWS_ARCHIVE_SEARCH_SHARDS=1`` (one Pagefind index, re-made whenever an indexed page changes: the
behaviour before shards) and with ``--shards`` shards. Then, each rebuilt in place, both configurations in turn:

* (a) nothing changed;
* (b) one article corrected (a sentence added to its body);
* (c) 20 articles added.

For each build: its wall and CPU seconds (user + system, with every process it started), and what its log says
of the search index: shards indexed and kept, Pagefind's CPU seconds, and how long the build waited for Pagefind
at its end (Pagefind runs while the plugin writes its pages, so only the wait adds to the wall time).

Then both sites are served and searched in chromium (Playwright, as the browser tests): for each of 20 queries
(the 10 entities named in most articles and 10 common words) the result URLs of one index and of the merged shards
are compared — the same set, and the same first 10 in the same order — and so are the filter counts and the
results of a country filter. Prints one line per build and step, then the comparison.

    python benchmarks/search_index.py [--articles 1500] [--shards 8]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DATA, ROOT, WORK
from pelican.plugins.news_archive.site.search_shards import shard_of
from speed import pelican_command, prepare

ADDED = 20
WORDS = ("oil", "bank", "trade", "wheat", "dollar", "profit", "shares", "coffee", "gold", "tax")
SEARCH_LINE = re.compile(r"search index of (\d+) pages in (\d+) shards: (\d+) indexed \(([\d.]+) s Pagefind CPU\), "
                         r"(\d+) kept; waited ([\d.]+) s")
# In the page: load the shards the manifest lists as the search page does, run every query, return result URLs.
SEARCH_ALL = """async ([queries, country]) => {
  const base = "/pagefind/";
  const manifest = await (await fetch(base + "shards.json")).json();
  const pf = await import(base + manifest.bundles[0] + "pagefind.js");
  await pf.options({baseUrl: "/"});
  for (const b of manifest.bundles.slice(1)) { await pf.mergeIndex(base + b, {baseUrl: "/"}); }
  const urls = async (search) => Promise.all(search.results.map(async (r) => (await r.data()).url));
  const out = {filters: await pf.filters(), queries: {}, ms: 0};
  const start = performance.now();
  for (const q of queries) { out.queries[q] = await urls(await pf.search(q)); }
  out.ms = performance.now() - start;
  out.country = await urls(await pf.search(null, {filters: {country: country}}));
  return out;
}"""


def build(content: Path, output: Path, cache: Path, shards: int) -> dict[str, float]:
    """One build: wall and CPU seconds, and the figures of its search index line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(pelican_command(content, output, cache, f"NEWS_ARCHIVE_SEARCH_SHARDS={shards}"),
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"build failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    found = SEARCH_LINE.search(proc.stdout)
    if found is None:
        raise SystemExit(f"no search index line in the build's log:\n{proc.stdout[-2000:]}")
    pages, total, indexed, cpu, kept, waited = found.groups()
    return {"wall": wall, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "pages": int(pages), "shards": int(total), "indexed": int(indexed), "kept": int(kept),
            "pagefind_cpu": float(cpu), "waited": float(waited)}


def pages(output: Path) -> dict[str, bytes]:
    """The indexed pages of a site (as the index job finds them) and their bytes."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted((output / "articles").rglob("*.html"))}


def line(step: str, shards: int, f: dict[str, float]) -> str:
    return (f"search_index step={step} shards={shards} build={f['wall']:.2f}s cpu={f['cpu']:.2f}s | index: "
            f"{f['indexed']}/{f['shards']} shards indexed, {f['kept']} kept, {f['pages']} pages, "
            f"Pagefind cpu={f['pagefind_cpu']:.2f}s ({f['pagefind_cpu'] / f['cpu']:.0%} of the build's), "
            f"build waited {f['waited']:.2f}s for it")


def searched(outputs: list[Path], queries: list[str], country: str) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.conftest import StaticServer
    from tests.test_browser import CHROMIUM_ARGS, find_chromium

    found = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        for output in outputs:
            server = StaticServer(output)
            try:
                page = browser.new_page()
                page.goto(server.url + "/", wait_until="load")
                found.append(page.evaluate(SEARCH_ALL, [queries, country]))
                page.close()
            finally:
                server.close()
        browser.close()
    return found


def compare(one: dict, many: dict, queries: list[str]) -> str:
    same_set = sum(1 for q in queries if set(one["queries"][q]) == set(many["queries"][q]))
    same_top = sum(1 for q in queries if one["queries"][q][:10] == many["queries"][q][:10])
    overlap = sum(len(set(one["queries"][q][:10]) & set(many["queries"][q][:10])) for q in queries) / len(queries)
    first = sum(1 for q in queries if one["queries"][q][:1] == many["queries"][q][:1])
    results = sum(len(one["queries"][q]) for q in queries)
    return (f"search_index queries={len(queries)} results={results} same result set={same_set}/{len(queries)} "
            f"same first 10 in order={same_top}/{len(queries)} first 10 in common={overlap:.1f} of 10 (mean) "
            f"same first result={first}/{len(queries)} filter counts equal={one['filters'] == many['filters']} "
            f"country filter equal={set(one['country']) == set(many['country'])} ({len(one['country'])} results) "
            f"| browser search of all queries one={one['ms']:.0f}ms shards={many['ms']:.0f}ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1500)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="search-", dir=WORK))
    lines: list[str] = []
    try:
        (work / "all").mkdir()
        everything, _ = prepare([DATA / "reuters21578-train.jsonl.gz"], args.articles + ADDED, work / "all")
        content = work / "content"
        content.mkdir()
        md = sorted(everything.glob("*.md"))
        for path in md[:-ADDED]:
            shutil.copy(path, content / path.name)
        configs = (1, args.shards)
        out = {n: work / f"out-{n}" for n in configs}
        cache = {n: work / f"cache-{n}" for n in configs}
        build(content, out[1], cache[1], 1)  # the cold build: spaCy runs once, its extractions serve both
        shutil.copytree(cache[1], cache[args.shards])
        build(content, out[args.shards], cache[args.shards], args.shards)

        def step(name: str) -> None:
            before = pages(out[1])
            for n in configs:
                lines.append(line(name, n, build(content, out[n], cache[n], n)))
            after = pages(out[1])
            changed = sorted(k for k in after if before.get(k) != after[k])
            hit = {shard_of(k, args.shards) for k in changed}
            lines.append(f"search_index step={name} article pages with other bytes={len(changed)} (new or changed; "
                         f"they fall in {len(hit)} of {args.shards} shards)")

        step("a-nothing-changed")
        corrected = sorted(content.glob("*.md"))[len(md) // 2]
        corrected.write_text(corrected.read_text(encoding="utf-8").rstrip("\n")
                             + "\n\nThe company said it would give further details next week.\n", encoding="utf-8")
        step("b-one-corrected")
        for path in md[-ADDED:]:
            shutil.copy(path, content / path.name)
        step(f"c-{ADDED}-added")
        data = json.loads((out[1] / "archive.json").read_text(encoding="utf-8"))
        entities = sorted((e for e in data["entities"] if e["url"]), key=lambda e: (-e["articles"], e["name"]))
        queries = [e["name"] for e in entities[:10]] + list(WORDS)
        country = max(data["countries"], key=lambda c: (c["articles"], c["code"]))["name"]
        one, many = searched([out[1], out[args.shards]], queries, country)
        lines.append(compare(one, many, queries))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
