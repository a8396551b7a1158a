"""The output memo (replay.py): stored build output comes back byte for byte, only when nothing changed.

Unit tests on the pure parts, then real builds: a rebuild in place writes nothing, a rebuild into an empty folder
gives the same bytes as the first build, and an edited article, setting or template is never served stale.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from pelican.plugins.news_archive import replay
from pelican.plugins.news_archive.cache import ExtractionCache

from .conftest import ROOT, pelican_build


def test_canonical_is_stable_and_names_functions_not_addresses():
    def f():
        pass

    class Thing:
        pass

    a = {"B": [1, 2.5, None, "x"], "A": {"z": f, "y": (True, b"k")}, "C": {3, 1, 2}}
    b = {"C": {2, 3, 1}, "A": {"y": (True, b"k"), "z": f}, "B": [1, 2.5, None, "x"]}
    assert replay.canonical(a) == replay.canonical(b)
    assert "0x" not in replay.canonical({"f": f, "obj": Thing(), "cls": Thing, "mod": os})
    assert replay.canonical({"B": [1, 2]}) != replay.canonical({"B": [2, 1]})


def test_digest_parts_cannot_run_into_each_other():
    assert replay.digest(["ab", "c"]) != replay.digest(["a", "bc"])
    assert replay.digest(["ab", b"c"]) == replay.digest(["ab", "c"])


def test_pack_round_trip_and_garbage_is_nothing():
    value = {"a": [1, 2], "b": ("x", None)}
    assert replay.unpack(replay.pack(value)) == value
    assert replay.unpack(None) is None
    assert replay.unpack(b"not a memo") is None
    assert replay.unpack(replay.FORMAT + b"\x00broken") is None


def _site(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "entity" / "a").mkdir(parents=True)
    (out / "entity" / "a" / "index.html").write_text("<p>A</p>", encoding="utf-8")
    (out / "archive.json").write_text("{}", encoding="utf-8")
    return out


def test_memo_writes_back_only_what_is_missing_or_changed(tmp_path):
    out = _site(tmp_path)
    cache = ExtractionCache(tmp_path / "cache")
    memo = replay.Memo(cache, "pages", out)
    memo.store("k1", ["entity/a/index.html", "archive.json"], {"archive.json"})

    names, extra, changed = memo.reuse("k1")
    assert changed == 0 and extra == {"archive.json"}
    assert sorted(names) == ["archive.json", "entity/a/index.html"]

    shutil.rmtree(out)  # a clean output folder: everything comes back
    _, _, changed = memo.reuse("k1")
    assert changed == 2
    assert (out / "entity" / "a" / "index.html").read_text(encoding="utf-8") == "<p>A</p>"

    (out / "archive.json").write_text('{"edited": true}', encoding="utf-8")  # touched by hand
    _, _, changed = memo.reuse("k1")
    assert changed == 2 and (out / "archive.json").read_text(encoding="utf-8") == "{}"

    assert memo.reuse("k2") is None  # another key: nothing stored for it
    cache.close()


def test_memo_keeps_only_the_newest_output_per_slot(tmp_path):
    out = _site(tmp_path)
    cache = ExtractionCache(tmp_path / "cache")
    memo = replay.Memo(cache, "pages", out)
    memo.store("old", ["archive.json"])
    memo.store("new", ["archive.json"])
    assert not cache.has_memo("pages", "old") and cache.has_memo("pages", "new")
    cache.close()


def test_memo_refuses_names_outside_the_output_folder(tmp_path):
    out = _site(tmp_path)
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    cache = ExtractionCache(tmp_path / "cache")
    memo = replay.Memo(cache, "pages", out)
    with pytest.raises(ValueError):
        memo.store("k", ["../secret.txt"])
    cache.put_memo("pages", "k", replay.pack(("k", {"../evil.html": b"x"}, None)))
    with pytest.raises(ValueError):
        memo.reuse("k")
    assert not (tmp_path / "evil.html").exists()
    cache.close()


def test_files_digest_follows_names_and_bytes(tmp_path):
    out = _site(tmp_path)
    first = replay.files_digest(out, ["archive.json"], "x")
    assert replay.files_digest(out, ["archive.json"], "x") == first
    assert replay.files_digest(out, ["archive.json"], "y") != first
    (out / "archive.json").write_text("{ }", encoding="utf-8")
    assert replay.files_digest(out, ["archive.json"], "x") != first


# --- real builds ------------------------------------------------------------------------------------------------

def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed content built once cold: (content folder, output, cache, log)."""
    root = tmp_path_factory.mktemp("replay")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    result = pelican_build(content, root / "out", cache=root / "cache")
    assert result.returncode == 0, result.stdout
    return content, root / "out", root / "cache", result.stdout


def test_a_rebuild_in_place_rewrites_none_of_the_plugin_pages(built, tmp_path):
    content, out, cache, _ = built
    before = {p: p.stat().st_mtime_ns for p in (out / "entity").rglob("*") if p.is_file()}
    result = pelican_build(content, out, "-v", cache=cache)
    assert result.returncode == 0, result.stdout
    assert "nothing changed since the last build" in result.stdout
    assert "0 written back from the last build" in result.stdout
    assert "search index of" in result.stdout and "reused from the last build" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in (out / "entity").rglob("*") if p.is_file()} == before


def test_a_rebuild_into_an_empty_folder_gives_the_same_bytes(built, tmp_path):
    content, out, cache, _ = built
    again = tmp_path / "again"
    result = pelican_build(content, again, cache=cache)
    assert result.returncode == 0, result.stdout
    assert "nothing changed since the last build" in result.stdout
    assert _tree(again) == _tree(out)  # the search bundle too: it is reused, not made anew


def test_replayed_output_equals_a_fresh_render(built, tmp_path):
    """What comes from the cache is what rendering gives: compare with a build that has no cache at all."""
    content, out, _, _ = built
    fresh = tmp_path / "fresh"
    result = pelican_build(content, fresh, "-e", "NEWS_ARCHIVE_CACHE=false", cache=tmp_path / "nocache")
    assert result.returncode == 0, result.stdout
    mine, theirs = _tree(out), _tree(fresh)
    assert {k: v for k, v in mine.items() if not k.startswith("pagefind/")} == \
        {k: v for k, v in theirs.items() if not k.startswith("pagefind/")}


def _own_copy(built, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The built site and its cache copied, for a test that builds something else into them."""
    content, out, cache, _ = built
    shutil.copytree(out, tmp_path / "out")
    shutil.copytree(cache, tmp_path / "cache")
    return content, tmp_path / "out", tmp_path / "cache"


def test_an_edited_article_is_never_served_stale(built, tmp_path):
    content, out, cache = _own_copy(built, tmp_path)
    edited = tmp_path / "content"
    shutil.copytree(content, edited)
    target = sorted(edited.glob("004_*.md"))[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "\n\nVladimir Putin, Russia's President, welcomed the talks with Vladimir Putin's "
                      "counterpart.\n", encoding="utf-8")
    result = pelican_build(edited, out, cache=cache)
    assert result.returncode == 0, result.stdout
    assert "nothing changed since the last build" not in result.stdout
    archive = json.loads((out / "archive.json").read_text(encoding="utf-8"))
    article = next(a for a in archive["articles"] if a["slug"].startswith("004"))
    assert "Vladimir Putin" in [e["name"] for e in article["entities"]]
    page = (out / article["url"] / "index.html").read_text(encoding="utf-8")
    assert "Vladimir Putin" in page


def test_a_changed_setting_or_template_is_never_served_stale(built, tmp_path):
    content, out, cache = _own_copy(built, tmp_path)
    result = pelican_build(content, out, "-e", "NEWS_ARCHIVE_MAX_TAGS=2", cache=cache)
    assert result.returncode == 0, result.stdout
    archive = json.loads((out / "archive.json").read_text(encoding="utf-8"))
    assert max(len(a["entities"]) for a in archive["articles"]) == 2

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- edited theme --></body>"),
                    encoding="utf-8")
    result = pelican_build(content, out, "-e", f"THEME={json.dumps(str(theme))}", cache=cache)
    assert result.returncode == 0, result.stdout
    entity_page = next((out / "entity").rglob("index.html"))
    assert "<!-- edited theme -->" in entity_page.read_text(encoding="utf-8")
