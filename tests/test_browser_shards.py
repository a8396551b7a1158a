"""The sharded search index in a real browser: results, filters and counts from every shard on the search page, and
a deleted article gone from it. Same browser set-up as test_browser.py (skips without chromium, fails under CI)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pelican.plugins.news_archive.site import search_shards

from .conftest import ROOT, StaticServer, pelican_build
from .test_browser import SEARCH_DONE, _search

SHARDS = 8  # the default


def _shard(url: str) -> str:
    return search_shards.folder_of(search_shards.shard_of(url.strip("/") + "/index.html", SHARDS))


def _text(output: Path, url: str) -> str:
    """The article text of a page (what it marks ``data-pagefind-body``)."""
    html = (output / url.strip("/") / "index.html").read_text(encoding="utf-8")
    return html[html.index("data-pagefind-body"):]


def _countries_of_pages(output: Path) -> dict[str, set[str]]:
    """Country filter value → URLs of the article pages that carry it, read from the pages themselves."""
    found: dict[str, set[str]] = {}
    for page in sorted((output / "articles").rglob("index.html")):
        url = "/" + page.parent.relative_to(output).as_posix() + "/"
        for name in set(re.findall(r'data-pagefind-filter="country">([^<]*)<', page.read_text(encoding="utf-8"))):
            found.setdefault(name, set()).add(url)
    return found


@pytest.fixture(scope="module")
def after_deletion(tmp_path_factory):
    """The seed archive built, one article deleted and the site rebuilt in place; (base URL, the article gone,
    archive.json after)."""
    content = tmp_path_factory.mktemp("deletion-content")
    shutil.copytree(ROOT / "content", content, dirs_exist_ok=True)
    out, cache = tmp_path_factory.mktemp("deletion-site") / "output", tmp_path_factory.mktemp("deletion-cache")
    assert pelican_build(content, out, cache=cache).returncode == 0
    before = json.loads((out / "archive.json").read_text(encoding="utf-8"))
    gone = before["articles"][0]
    (content / gone["source_path"]).unlink()
    result = pelican_build(content, out, cache=cache)
    assert result.returncode == 0, result.stdout
    server = StaticServer(out)
    yield server.url + "/", gone, json.loads((out / "archive.json").read_text(encoding="utf-8")), out
    server.close()


def test_results_come_from_every_shard(watched, seed_server, seed_archive, seed_site):  # noqa: F811
    bundles = json.loads((seed_site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["bundles"]
    assert len(bundles) >= 2
    # the word every seed article has in its text: each shard must answer for its own pages
    every = {"/" + a["url"] for a in seed_archive["articles"]}
    w = watched()
    found = _search(w.page, seed_server, "Iran")
    expected = {u for u in every if re.search(r"\bIran\b", _text(seed_site, u))}
    assert expected <= found <= every
    assert len({_shard(u) for u in expected}) >= 2, "the seed's articles naming Iran are not in several shards"
    count = w.page.locator(".na-search-message").inner_text()
    assert count == f"{len(found)} results"
    assert w.problems == []


def test_filters_and_counts_are_those_of_the_whole_archive(watched, seed_server, seed_site):  # noqa: F811
    pages = _countries_of_pages(seed_site)
    country, urls = max(pages.items(), key=lambda kv: (len({_shard(u) for u in kv[1]}), len(kv[1]), kv[0]))
    assert len({_shard(u) for u in urls}) >= 2, "no country is filed in more than one shard of the seed"
    w = watched()
    page = w.goto(seed_server + "search/")
    page.wait_for_selector(".na-filter input[data-filter=country]", state="attached", timeout=15000)
    shown = {}
    for label in page.query_selector_all(".na-filter label"):
        box = label.query_selector("input")
        if box.get_attribute("data-filter") == "country":
            shown[box.get_attribute("value")] = int(label.query_selector(".na-filter-count").inner_text())
    assert shown == {name: len(u) for name, u in pages.items()}
    page.evaluate("document.querySelectorAll('.na-filter').forEach(d => { d.open = true; })")
    page.check(f'.na-filter input[data-filter=country][value="{country}"]')
    page.wait_for_function(SEARCH_DONE, timeout=15000)
    assert {a.get_attribute("href") for a in page.query_selector_all(".na-result-link")} == urls
    assert w.problems == []


def test_a_deleted_article_is_not_found_any_more(watched, after_deletion):  # noqa: F811
    base, gone, archive, out = after_deletion
    assert gone["slug"] not in {a["slug"] for a in archive["articles"]}
    w = watched()
    found = _search(w.page, base, gone["title"])
    assert "/" + gone["url"] not in found
    # the articles left that name Iran are all still found, from their shards
    left = {"/" + a["url"] for a in archive["articles"]}
    naming = {u for u in left if re.search(r"\bIran\b", _text(out, u))}
    assert naming and naming <= _search(w.page, base, "Iran") <= left
    assert w.problems == []
