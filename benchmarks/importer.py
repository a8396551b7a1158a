"""HTML import quality, one run, side by side: the importer, trafilatura and readability-lxml.

Pages: ``readability-test-pages.jsonl.gz`` (130 real pages from mozilla/readability's test suite, each with its
source HTML, the expected article HTML and the expected title and publication time). The pages are split by
a hash of their name into a tuning half (rules may be written from it) and a check half (never looked at
while writing rules); figures are printed for both halves and for all, with the number of pages beside each.

Figures:
* body: token precision / recall / F1 of the extracted text against the expected article's text (bag of
  lower-cased word tokens, per page, averaged over pages); ``lost``: pages whose recall is below 0.2;
* title: exact match (whitespace collapsed) with the expected title, over pages that have one;
* dates: over pages with an expected publication time, the day right / wrong / missing; a date given for a
  page without one cannot be scored and is counted apart (``extra``);
* seconds: wall time of the tool over the pages.
Targets (issue #12): body F1 at least trafilatura's, no page lost, titles and dates right at least
trafilatura's, wrong dates at most 2 % of pages.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import pelican.plugins  # noqa: E402

# Measure the working tree's importer, not an installed copy (as tests/conftest.py does).
_SOURCE = str(common.ROOT / "pelican_plugin" / "pelican" / "plugins")
if _SOURCE not in list(pelican.plugins.__path__):
    pelican.plugins.__path__ = [_SOURCE, *pelican.plugins.__path__]

warnings.filterwarnings("ignore")
logging.getLogger("pelican.plugins.news_archive.importer").setLevel(logging.ERROR)  # per-page warnings
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
_TOKEN = re.compile(r"\w+")
LOST_RECALL = 0.2


@dataclass
class Result:
    """What one tool made of one page."""

    body: str
    title: str | None
    date: str | None  # ISO, the day is scored


def tuning_half(name: str) -> bool:
    """The deterministic split: the first byte of the SHA-1 of the page name, even → tuning half."""
    return hashlib.sha1(name.encode("utf-8")).digest()[0] % 2 == 0


def text_of(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html or "", "html.parser").get_text(" ")


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.casefold()))


def prf(got: str, want: str) -> tuple[float, float, float]:
    g, w = tokens(got), tokens(want)
    common_ = sum((g & w).values())
    p = common_ / sum(g.values()) if g else 0.0
    r = common_ / sum(w.values()) if w else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --- the three tools --------------------------------------------------------------------------------------

def run_importer(html: str, name: str) -> Result:
    from pelican.plugins.news_archive.importer.assemble import Stated
    from pelican.plugins.news_archive.importer.html_input import parse_html
    from pelican.plugins.news_archive.importer.rules import load_rules

    article = parse_html(html, Stated(slug="p", origin=name, imported_from=name), load_rules())
    if article is None:
        return Result("", None, None)
    return Result("\n".join(article.body), article.title, article.date)


def run_trafilatura(html: str, name: str) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        return Result("", None, None)
    return Result(doc.text or "", doc.title, doc.date)


def run_readability(html: str, name: str) -> Result:
    from readability import Document

    doc = Document(html)
    return Result(text_of(doc.summary(html_partial=True)), doc.short_title(), None)


TOOLS: dict[str, Callable[[str, str], Result]] = {
    "importer": run_importer, "trafilatura": run_trafilatura, "readability-lxml": run_readability}


# --- scoring ----------------------------------------------------------------------------------------------

@dataclass
class Score:
    pages: int = 0
    p: float = 0.0
    r: float = 0.0
    f: float = 0.0
    lost: int = 0
    titled: int = 0
    title_ok: int = 0
    dated: int = 0
    date_ok: int = 0
    date_wrong: int = 0
    date_missing: int = 0
    date_extra: int = 0

    def add(self, page: dict, want_text: str, got: Result) -> None:
        self.pages += 1
        p, r, f = prf(got.body, want_text)
        self.p, self.r, self.f = self.p + p, self.r + r, self.f + f
        self.lost += r < LOST_RECALL
        meta = page["expected_metadata"]
        want_title = " ".join((meta.get("title") or "").split())
        if want_title:
            self.titled += 1
            self.title_ok += " ".join((got.title or "").split()) == want_title
        want_date = (meta.get("publishedTime") or "")[:10]
        got_date = (got.date or "")[:10]
        if want_date:
            self.dated += 1
            if not got_date:
                self.date_missing += 1
            elif got_date == want_date:
                self.date_ok += 1
            else:
                self.date_wrong += 1
        elif got_date:
            self.date_extra += 1

    def line(self, name: str, seconds: float | None) -> str:
        n = max(self.pages, 1)
        wrong_share = self.date_wrong / n
        secs = f"  {seconds:6.1f} s" if seconds is not None else ""
        return (f"  {name:17s} body P {self.p / n:.3f} R {self.r / n:.3f} F1 {self.f / n:.3f} (n={self.pages})"
                f"  lost {self.lost}/{self.pages}  titles {self.title_ok}/{self.titled}"
                f"  dates right {self.date_ok} wrong {self.date_wrong} ({wrong_share:.1%} of {self.pages})"
                f" missing {self.date_missing} of {self.dated} (extra {self.date_extra}){secs}")


def main() -> int:
    pages = list(common.read_jsonl("readability-test-pages.jsonl.gz"))
    wanted = {p["name"]: text_of(p["expected_html"]) for p in pages}
    halves = {"tuning": [p for p in pages if tuning_half(p["name"])],
              "check": [p for p in pages if not tuning_half(p["name"])], "all": pages}
    only = sys.argv[1:]  # optional: names of tools to run
    scores: dict[str, dict[str, Score]] = {}
    seconds: dict[str, float] = {}
    for tool, run in TOOLS.items():
        if only and tool not in only:
            continue
        scores[tool] = {half: Score() for half in halves}
        start = time.perf_counter()
        results = {p["name"]: run(p["source_html"], p["name"]) for p in pages}
        seconds[tool] = time.perf_counter() - start
        for half, members in halves.items():
            for page in members:
                scores[tool][half].add(page, wanted[page["name"]], results[page["name"]])
    print(f"HTML import on {len(pages)} readability test pages (tuning {len(halves['tuning'])}, "
          f"check {len(halves['check'])}):")
    for half in halves:
        print(f"{half} half:" if half != "all" else "all pages:")
        for tool in scores:
            print(scores[tool][half].line(tool, seconds[tool] if half == "all" else None))
    if {"importer", "trafilatura"} <= scores.keys():
        for half in halves:  # the targets must hold on all pages and on the check half
            print(f"targets, {half}{' pages' if half == 'all' else ' half'}: "
                  f"{targets(scores['importer'][half], scores['trafilatura'][half])}")
    return 0


def targets(ours: Score, traf: Score) -> str:
    checks = {
        "body F1 >= trafilatura": ours.f >= traf.f,
        "no page lost": ours.lost == 0,
        "titles >= trafilatura": ours.title_ok >= traf.title_ok,
        "dates right >= trafilatura": ours.date_ok >= traf.date_ok,
        "wrong dates <= 2% of pages": ours.date_wrong <= 0.02 * ours.pages,
    }
    return ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in checks.items())


if __name__ == "__main__":
    sys.exit(main())
