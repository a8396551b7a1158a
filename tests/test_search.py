"""Search: Pagefind runs after the site is written; without Pagefind the build still works and says so."""

from __future__ import annotations

import json
import shutil

import pytest
from pelican.plugins.news_archive.site import search

from .conftest import ROOT, pelican_build


def test_parse_report_reads_pagefind_summary():
    log = ("Running Pagefind v1.5.2\n...\nTotal:\n  Indexed 1 language\n  Indexed 1,204 pages\n"
           "  Indexed 30,112 words\n  Indexed 3 filters\n  Indexed 1 sort\n")
    assert search.parse_report(log) == search.IndexReport(pages=1204, words=30112, filters=3)


def test_executable_is_found_when_pagefind_bin_is_installed():
    pytest.importorskip("pagefind_bin")
    assert search.executable()


def test_seed_build_has_a_search_index_and_page(seed_site):
    bundles = json.loads((seed_site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["bundles"]
    assert bundles
    for bundle in bundles:
        assert (seed_site / "pagefind" / bundle / "pagefind.js").is_file()
        assert (seed_site / "pagefind" / bundle / "pagefind-entry.json").is_file()
    page = (seed_site / "search" / "index.html").read_text(encoding="utf-8")
    assert 'id="na-search"' in page and "<noscript>" in page
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert 'role="search"' in home and 'action="/search/"' in home


def test_article_pages_mark_what_is_indexed(seed_site, seed_archive):
    html = (seed_site / seed_archive["articles"][0]["url"] / "index.html").read_text(encoding="utf-8")
    for marker in ("data-pagefind-body", 'data-pagefind-filter="country"', 'data-pagefind-filter="entity"',
                   'data-pagefind-filter="type"', 'data-pagefind-meta="title"'):
        assert marker in html, marker


def test_without_pagefind_the_build_skips_search_and_says_so(tmp_path, monkeypatch):
    # pagefind's own lookup honours PAGEFIND_BINARY_PATH first; a path that does not exist counts as not installed
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = pelican_build(ROOT / "content", tmp_path / "out", "-v", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout
    assert "search is off because Pagefind is not installed" in result.stdout
    assert not (tmp_path / "out" / "pagefind").exists()
    assert not (tmp_path / "out" / "search").exists()
    assert 'role="search"' not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_search_setting_false_turns_it_off(tmp_path):
    result = pelican_build(ROOT / "content", tmp_path / "out", "-e", "NEWS_ARCHIVE_SEARCH=false",
                           cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout
    assert not (tmp_path / "out" / "pagefind").exists()
    assert not (tmp_path / "out" / "search").exists()


def test_the_index_glob_follows_the_save_as_settings():
    glob = search.content_glob(["articles/{slug}/index.html", "{slug}-{lang}.html", "", "pages/{slug}/index.html"])
    assert glob == "{*-*.html,articles/*/index.html,pages/*/index.html}"
    assert search.content_glob(["{date:%Y}/{slug}.html"]) == "*/*.html"
    assert search.content_glob([]) == "**/*.html"


def test_matching_pages_reads_a_glob_as_pagefind_does(tmp_path):
    for name in ("articles/a-b/index.html", "articles/x/y/index.html", "entity/amir-hatami/index.html",
                 "pages/about/index.html", "x-en.html", "index.html", "pagefind/x-y.html", "articles/a-b/feed.atom"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<html></html>", encoding="utf-8")
    glob = "{*-*.html,articles/*/index.html,pages/*/index.html}"
    assert search.matching_pages(tmp_path, glob) == ["articles/a-b/index.html", "pages/about/index.html",
                                                      "x-en.html"]
    assert "entity/amir-hatami/index.html" in search.matching_pages(tmp_path, "**/*.html")


def test_drafts_are_not_searched(tmp_path):
    """A draft is written (under drafts/, with the article template) but is not in the search index."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "draft.md").write_text("Title: Unpublished draft about Sherali Mirzo\nDate: 2024-01-01\n"
                                      "Status: draft\n\nSherali Mirzo met reporters in Dushanbe.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = pelican_build(content, out, cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout
    assert "data-pagefind-body" in next((out / "drafts").rglob("*.html")).read_text(encoding="utf-8")
    assert indexed_pages(out) == 5


def indexed_pages(out) -> int:
    """Pages in the search index: the sum over the shards the manifest lists."""
    bundles = json.loads((out / "pagefind" / "shards.json").read_text(encoding="utf-8"))["bundles"]
    return sum(json.loads((out / "pagefind" / b / "pagefind-entry.json").read_text(encoding="utf-8"))
               ["languages"]["en"]["page_count"] for b in bundles)


def _pages(out, names):
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(f"<html><body><main data-pagefind-body><h1>{name}</h1><p>Harbour strike "
                                f"talks resumed.</p></main></body></html>", encoding="utf-8")


def _temporaries(out):
    from pelican.plugins.news_archive.build.outputs import TEMP_PREFIX

    return sorted(p.name for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX))


@pytest.mark.skipif(search.executable() is None, reason="pagefind[bin] is part of the test install")
def test_an_indexer_stages_its_pages_apart_and_replaces_the_old_bundle(tmp_path):
    """Staging, Pagefind and the old bundle's removal run in their own process; names Pagefind's globs could
    not spell are indexed at their own URLs, and nothing temporary stays in the output."""
    out = tmp_path / "out"
    names = ["articles/a [b]/index.html", "articles/{x,y}/index.html", "articles/café/index.html"]
    _pages(out, names)
    old = out / "pagefind" / "s0" / "old-fragment.pf_fragment"
    old.parent.mkdir(parents=True)
    old.write_text("old", encoding="utf-8")
    report = search.Indexer(out, search.executable(), names, "pagefind/s0").wait()
    assert report.pages == 3
    assert not old.exists() and (out / "pagefind" / "s0" / "pagefind-entry.json").is_file()
    assert _temporaries(out) == []


@pytest.mark.skipif(search.executable() is None, reason="pagefind[bin] is part of the test install")
def test_an_indexer_whose_staging_fails_says_why_and_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    _pages(out, ["articles/a/index.html"])
    indexer = search.Indexer(out, search.executable(), ["articles/a/index.html", "articles/gone/index.html"],
                             "pagefind/s0")
    with pytest.raises(search.SearchIndexError, match="(?s)status 1: the pages to index could not be staged.*gone"):
        indexer.wait()
    assert _temporaries(out) == []


@pytest.mark.skipif(search.executable() is None, reason="pagefind[bin] is part of the test install")
def test_a_cancelled_indexer_stops_and_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    names = [f"articles/a{i}/index.html" for i in range(300)]
    _pages(out, names)
    indexer = search.Indexer(out, search.executable(), names, "pagefind/s0")
    indexer.cancel()
    assert indexer._proc.returncode is not None
    assert _temporaries(out) == []
