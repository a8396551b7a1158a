"""The search index in shards: stable assignment, per-shard keys, and a rebuild that re-indexes only the shards
whose pages changed (real builds of the seed content)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.plugins.news_archive import settings
from pelican.plugins.news_archive.site import search_shards

from .conftest import ROOT, pelican_build

pytest.importorskip("pagefind_bin")


def test_a_page_always_falls_in_the_same_shard():
    names = [f"articles/a-{i}/index.html" for i in range(200)]
    first = [search_shards.shard_of(n, 8) for n in names]
    assert first == [search_shards.shard_of(n, 8) for n in names]
    assert set(first) == set(range(8))  # 200 paths reach every shard
    assert all(search_shards.shard_of(n, 1) == 0 for n in names)
    # not Python's salted hash(): another process, with another hash seed, puts every page where this one does
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from pelican.plugins.news_archive.site import search_shards;"
            "print([search_shards.shard_of(f'articles/a-{i}/index.html', 8) for i in range(200)])")
    other = subprocess.run([sys.executable, "-c", code, str(ROOT / "pelican_plugin")], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}, check=True)
    assert other.stdout.strip() == str(first)


def test_a_changed_page_changes_only_its_shards_key():
    pages = {f"articles/a-{i}/index.html": f"k{i}" for i in range(40)}
    before = {s.folder: s for s in search_shards.plan(pages, 8, "code")}
    changed = "articles/a-7/index.html"
    after = {s.folder: s for s in search_shards.plan({**pages, changed: "new"}, 8, "code")}
    mine = search_shards.folder_of(search_shards.shard_of(changed, 8))
    assert {f for f in before if before[f].key != after[f].key} == {mine}
    assert sorted(n for s in after.values() for n in s.pages) == sorted(pages)
    # Pagefind's version or the plugin's code is in every key, and so is the number of shards
    assert all(s.key != before[s.folder].key for s in search_shards.plan(pages, 8, "other code"))
    assert not {s.key for s in search_shards.plan(pages, 4, "code")} & {s.key for s in before.values()}


def test_the_manifest_lists_the_bundles_in_order():
    assert json.loads(search_shards.manifest(["s07", "s00", "s03"])) == {"bundles": ["s00/", "s03/", "s07/"]}


@pytest.mark.parametrize("value", [0, 65, "8", True, 2.0])
def test_the_shard_count_is_checked(value):
    with pytest.raises(settings.SettingsError, match="NEWS_ARCHIVE_SEARCH_SHARDS"):
        settings.load({"NEWS_ARCHIVE_SEARCH_SHARDS": value})


def _snapshot(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file of the search bundle folder: its inode, modification time and bytes."""
    return {p.relative_to(out / "pagefind").as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted((out / "pagefind").rglob("*")) if p.is_file()}


def _pages(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "articles").rglob("index.html"))}


def _bundles(out: Path) -> list[str]:
    manifest = json.loads((out / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    return [b.rstrip("/") for b in manifest["bundles"]]


def _indexed(out: Path, bundle: str) -> int:
    entry = json.loads((out / "pagefind" / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(lang["page_count"] for lang in entry["languages"].values())


def test_a_correction_re_indexes_only_its_shard_and_a_deletion_leaves_the_index(tmp_path):
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(ROOT / "content", content)
    shards = 8
    result = pelican_build(content, out, cache=cache)
    assert result.returncode == 0, result.stdout
    pages = _pages(out)
    by_shard = {}
    for name in pages:
        by_shard.setdefault(search_shards.folder_of(search_shards.shard_of(name, shards)), set()).add(name)
    assert _bundles(out) == sorted(by_shard) and len(by_shard) >= 2  # the seed's five articles span shards
    assert {b: _indexed(out, b) for b in by_shard} == {b: len(n) for b, n in by_shard.items()}
    before = _snapshot(out)

    data = json.loads((out / "archive.json").read_text(encoding="utf-8"))
    article = data["articles"][0]
    source = content / article["source_path"]
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n")
                      + "\n\nThe ministry said talks would resume next month.\n", encoding="utf-8")
    result = pelican_build(content, out, cache=cache)
    assert result.returncode == 0, result.stdout
    changed = {n for n, b in _pages(out).items() if pages[n] != b}
    assert article["url"] + "index.html" in changed
    dirty = {search_shards.folder_of(search_shards.shard_of(n, shards)) for n in changed}
    after = _snapshot(out)
    for bundle in by_shard:
        mine = {k: v for k, v in before.items() if k.startswith(bundle + "/")}
        now = {k: v for k, v in after.items() if k.startswith(bundle + "/")}
        if bundle in dirty:
            assert mine != now, f"{bundle} holds a corrected page and was not indexed again"
        else:
            assert mine == now, f"{bundle} has no changed page but its files were touched"
    assert set(by_shard) - dirty, "every shard changed: the test shows nothing"
    assert f"{len(dirty)} indexed" in result.stdout and f"{len(by_shard) - len(dirty)} kept" in result.stdout

    # a deleted article leaves the index: its shard is indexed again without it (or goes, if it was alone)
    gone = data["articles"][-1]
    (content / gone["source_path"]).unlink()
    result = pelican_build(content, out, cache=cache)
    assert result.returncode == 0, result.stdout
    assert not (out / gone["url"]).exists()
    assert sum(_indexed(out, b) for b in _bundles(out)) == len(pages) - 1
    fragments = [gzip.decompress(p.read_bytes()) for p in (out / "pagefind").rglob("*.pf_fragment")]
    assert len(fragments) == len(pages) - 1
    assert not [f for f in fragments if f'"/{gone["url"]}"'.encode() in f]
    assert all(b'"url":"/articles/' in f for f in fragments)
    left = {p.name for p in (out / "pagefind").iterdir()}
    assert left == set(_bundles(out)) | {"shards.json"}
    assert not list(out.rglob(".news-archive-*")), "a temporary was left in the output"


def test_changing_the_shard_count_re_makes_the_index_without_old_bundles(tmp_path):
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(ROOT / "content", content)
    assert pelican_build(content, out, cache=cache).returncode == 0
    result = pelican_build(content, out, "NEWS_ARCHIVE_SEARCH_SHARDS=1", cache=cache)  # joins CACHE_PATH's -e
    assert result.returncode == 0, result.stdout
    assert _bundles(out) == ["s00"] and _indexed(out, "s00") == len(_pages(out))
    assert {p.name for p in (out / "pagefind").iterdir()} == {"s00", "shards.json"}
