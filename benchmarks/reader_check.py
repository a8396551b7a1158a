"""The reader's checks of issue 16 on a 1,500-article Reuters build, in a real browser at desktop and phone width.

Imports the first N Reuters articles (default 1,500) as `speed.py` does, builds them with the installed plugin
(feeds addressed to the local server that then serves the site, as `make html` / `make serve` do), and runs the
checks of tests/reader_checks.py — the ones the browser tests run on the seed site — over a sample of pages of
each type: story pages, articles (story link, quote blocks, country chips and flags), entity pages (articles,
stories, a person's quotations newest first, coverage), country pages (people, organisations, stories, coverage,
feed), the search page (every article naming an entity found) and feeds (every feed any entity or country page
links exists and parses as Atom with dated entries). Prints one line per check, the folder of the screenshots,
and a verdict line.

    python benchmarks/reader_check.py [--articles 1500] [--sample 6] [--site OUTPUT_FOLDER_ALREADY_BUILT]
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import http.server
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from common import DATA, ROOT, WORK
from speed import pelican_command, prepare

sys.path.insert(0, str(ROOT))
from tests import reader_checks as rc  # noqa: E402  (the checks the browser tests run)
from tests.browser_support import CHROMIUM_ARGS, DESKTOP, PHONE, Watched, find_chromium  # noqa: E402


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def sample(arc: rc.Archive, n: int) -> dict[str, list[dict]]:
    """Pages of each type, half the biggest or most telling, half drawn at random (seed 0)."""
    pick = random.Random(0)

    def mix(ranked: list[dict]) -> list[dict]:
        head = ranked[: n // 2]
        rest = [x for x in ranked if x not in head]
        return head + pick.sample(rest, min(len(rest), n - len(head)))

    stories = sorted(arc.stories.values(), key=lambda s: (-len(s["reports"]), s["slug"]))
    syndicated = [s for s in stories if any(r["syndicated"] for r in s["reports"])]
    quoted = sorted({q["slug"] for a in arc.data["articles"] for q in a["quotes"]},
                    key=lambda s: (-sum(q["slug"] == s for a in arc.data["articles"] for q in a["quotes"]), s))
    with_page = [e for e in arc.data["entities"] if e["url"]]
    people = [arc.entities[s] for s in quoted if arc.entities[s]["url"]]
    articles = [a for a in arc.data["articles"] if a["quotes"] and a["story"]] + \
               [a for a in arc.data["articles"] if a["quotes"] or a["story"]]
    return {
        "story": mix(syndicated[:1] + [s for s in stories if s not in syndicated[:1]]),
        "article": mix(list({a["slug"]: a for a in articles + arc.data["articles"]}.values())),
        "entity": mix(people[: n // 2] + with_page),
        "country": mix(sorted(arc.data["countries"], key=lambda c: (-c["articles"], c["code"]))),
        "search": [e for e in mix([e for e in with_page if 2 <= e["articles"] <= 40]) if e["url"]],
    }


def describe(arc: rc.Archive, picked: dict[str, list[dict]]) -> str:
    """What the sample holds, so that a pass is seen to have checked syndicated copies, quotations and charts."""
    quoted = {q["slug"] for a in arc.data["articles"] for q in a["quotes"]}
    s, a, e, c = picked["story"], picked["article"], picked["entity"], picked["country"]
    return (f"sample: {len(s)} stories ({sum(any(r['syndicated'] for r in x['reports']) for x in s)} with syndicated "
            f"copies, {sum(len(x['reports']) for x in s)} reports), {len(a)} articles "
            f"({sum(bool(x['quotes']) for x in a)} with quotations, {sum(bool(x['story']) for x in a)} in a story), "
            f"{len(e)} entities ({sum(x['slug'] in quoted for x in e)} quoted people, "
            f"{sum(x['articles'] for x in e)} articles listed), {len(c)} countries "
            f"({sum(c_['focus_articles'] == 0 for c_ in c)} only mentioned), {len(picked['search'])} searches")


class FeedLinks(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("type") == "application/atom+xml" and a.get("href"):
            self.found.append(a["href"])


def every_linked_feed(base: str, arc: rc.Archive) -> tuple[int, int, list[str]]:
    """Every entity and country page and the home page: each feed it links exists and parses (all pages, read
    as HTML; the browser checks the visible feed links of the sampled pages)."""
    pages = ["", *(e["url"] for e in arc.data["entities"] if e["url"]), *(c["url"] for c in arc.data["countries"])]
    feeds: set[str] = set()
    for url in pages:
        with urllib.request.urlopen(base + url, timeout=30) as response:
            parser = FeedLinks()
            parser.feed(response.read().decode("utf-8"))
        feeds |= {rc.path_of(h, base) for h in parser.found}
    failed = []
    for path in sorted(feeds):
        try:
            rc.feed(base, path, arc)
        except (AssertionError, OSError, ValueError) as exc:
            failed.append(f"{path}: {exc}")
    return len(pages), len(feeds), failed


def run_checks(browser, base: str, arc: rc.Archive, picked: dict[str, list[dict]], shots: Path) -> list[tuple]:
    """(check, width, checked, failures, browser errors) for every page type at both widths."""
    checks: dict[str, Callable] = {"story": rc.story_page, "article": rc.article_page, "entity": rc.entity_page,
                                   "country": rc.country_page, "search": rc.search}
    lines = []
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        for kind, items in picked.items():
            w = Watched(browser, viewport=viewport)
            failures = []
            for i, item in enumerate(items):
                try:
                    if kind == "search":
                        rc.search(w.page, base, arc, item)
                    else:
                        checks[kind](w.goto(base + item["url"]), base, arc, item)
                except AssertionError as exc:
                    failures.append(str(exc).splitlines()[0][:300])
                w.page.screenshot(path=str(shots / f"{kind}-{i}-{label}.png"), full_page=kind != "entity")
            problems = w.problems
            w.close()
            lines.append((f"{kind} pages", label, len(items), failures, problems))
    return lines


def build(args) -> tuple[Path, Path, Path]:
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="reader-", dir=WORK))
    content, _ = prepare([DATA / args.data], args.articles, work)
    output = work / "output"
    output.mkdir()
    return work, content, output


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1500)
    ap.add_argument("--data", default="reuters21578-train.jsonl.gz")
    ap.add_argument("--sample", type=int, default=6, help="pages of each type checked at each width")
    ap.add_argument("--site", type=Path, help="check this already built output folder instead of building")
    args = ap.parse_args()
    exe = find_chromium()
    if exe is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    if args.site:
        output, seconds = args.site, 0.0
        httpd, url = serve(output)
    else:
        work, content, output = build(args)
        httpd, url = serve(output)
        start = time.perf_counter()
        cmd = pelican_command(content, output, work / "cache", f"FEED_DOMAIN={json.dumps(url)}")
        subprocess.run(cmd, check=True, capture_output=True)
        seconds = time.perf_counter() - start
    base = url + "/"
    arc = rc.Archive(json.loads((output / "archive.json").read_text(encoding="utf-8")))
    shots = output.parent / "reader-shots"
    shots.mkdir(exist_ok=True)
    picked = sample(arc, args.sample)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        lines = run_checks(browser, base, arc, picked, shots)
        browser.close()
    pages, feeds, feed_failures = every_linked_feed(base, arc)
    httpd.shutdown()
    print(f"build: {len(arc.data['articles'])} articles, {len(arc.stories)} stories, "
          f"{sum(len(a['quotes']) for a in arc.data['articles'])} quotations, "
          f"{sum(1 for e in arc.data['entities'] if e['url'])} entity pages, {len(arc.data['countries'])} countries"
          + (f", built in {seconds:.0f} s" if seconds else ""))
    print(describe(arc, picked))
    bad = 0
    for check, label, n, failures, problems in lines:
        bad += bool(failures or problems)
        print(f"{check} ({label}): {n - len(failures)}/{n} pass, {len(problems)} browser errors"
              + "".join(f"\n    FAIL {f}" for f in (failures + problems)[:5]))
    print(f"feeds: {feeds} feeds linked from {pages} pages, {feeds - len(feed_failures)}/{feeds} parse as Atom with "
          "dated entries linking articles" + "".join(f"\n    FAIL {f}" for f in feed_failures[:5]))
    bad += bool(feed_failures)
    print(f"screenshots: {shots}")
    checked = sum(line[2] for line in lines)
    print(f"verdict: {'PASS' if not bad else 'FAIL'} — {checked} page checks at 1280 and 390 px over "
          f"{len(arc.data['articles'])} Reuters articles and {feeds} feeds, {bad} check(s) failing")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
