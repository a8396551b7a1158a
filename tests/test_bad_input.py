"""Bad input (issue #8): every case builds, keeps every good article, warns once naming the file, escapes all.

One real Pelican build of tests/fixtures/bad_input (with the real model) serves every case; the faults (cache,
model, interrupted writes) build a two-article folder of their own.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import FIXTURES, pelican_build

BAD = FIXTURES / "bad_input"


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    result = pelican_build(BAD, root / "out", cache=root / "cache")
    assert result.returncode == 0, result.stderr
    archive = json.loads((root / "out" / "archive.json").read_text(encoding="utf-8"))
    return root / "out", archive, result.stderr


def _warnings_about(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if "WARNING" in line and name in line]


def test_every_article_is_kept(bad_build):
    _, archive, _ = bad_build
    slugs = {a["slug"] for a in archive["articles"]}
    assert slugs == {"good", "empty-body", "only-a-title-here-about-kabul", "persian", "invalid-utf8", "no-date",
                     "bad-date", "same-slug", "same-slug-2", "scripts", "code-and-tables", "markup"}


@pytest.mark.parametrize("name, words", [
    ("empty-body.md", "no body text"),
    ("title-only.md", "no body text"),
    ("persian.md", "English"),
    ("invalid-utf8.md", "UTF-8"),
    ("bad-date.md", "date"),
    ("dup-b.md", "same slug"),
    ("scripts.html", "active or unknown content"),
    ("markup.md", "active or unknown content"),
])
def test_one_clear_warning_names_the_file(bad_build, name, words):
    _, _, stderr = bad_build
    lines = [line for line in _warnings_about(stderr, name) if "news_archive" in line]
    assert len(lines) == 1, stderr
    assert words in lines[0]


def test_unknown_and_bad_dates_are_null_and_shown_as_unknown(bad_build):
    out, archive, _ = bad_build
    by_slug = {a["slug"]: a for a in archive["articles"]}
    assert by_slug["no-date"]["date"] is None and by_slug["bad-date"]["date"] is None
    assert by_slug["good"]["date"].startswith("2021-04-07")
    page = (out / by_slug["bad-date"]["url"] / "index.html").read_text(encoding="utf-8")
    assert "Date unknown" in page and "1970" not in page


def test_duplicate_slugs_both_published(bad_build):
    out, archive, _ = bad_build
    texts = {a["slug"]: (out / a["url"] / "index.html").read_text(encoding="utf-8")
             for a in archive["articles"] if a["slug"].startswith("same-slug")}
    assert "first of two" in texts["same-slug"] and "second of two" in texts["same-slug-2"]


def test_non_english_text_gets_no_tags(bad_build):
    _, archive, _ = bad_build
    assert next(a for a in archive["articles"] if a["slug"] == "persian")["entities"] == []


def test_invalid_utf8_keeps_the_text(bad_build):
    out, archive, _ = bad_build
    page = (out / "articles" / "invalid-utf8" / "index.html").read_text(encoding="utf-8")
    assert "arrived in Tehran \ufffd" in page
    names = {e["name"] for a in archive["articles"] if a["slug"] == "invalid-utf8" for e in a["entities"]}
    assert "Sergei Shoigu" in names


def test_code_scripts_and_frames_yield_no_entities_and_are_not_published(bad_build):
    out, archive, _ = bad_build
    names = {e["name"] for a in archive["articles"] for e in a["entities"]}
    assert not names & {"Barack Obama", "Angela Merkel", "Vladimir Putin", "Berlin"}
    page = (out / "articles" / "scripts" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.select("article iframe, .article-body script")
    assert "Vladimir Putin" not in page
    assert "The talks ended without a statement." in page


def test_markup_in_titles_and_entities_is_escaped_everywhere(bad_build):
    out, archive, _ = bad_build
    for path in out.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".atom") and path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "<script>alert" not in text, path
            assert "</script><script>" not in text, path
    raw = (out / "archive.json").read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw
    markup = next(a for a in archive["articles"] if a["slug"] == "markup")
    # A Title: is HTML to Pelican (themes and its feeds strip its tags); the export gives the same text as the page.
    assert markup["title"] == 'alert("title") "Quotes" & AC/DC\'s bold tour'
    assert any("AC/DC" in e["name"] for e in markup["entities"])
    for entity in archive["entities"]:
        assert re.fullmatch(r"[a-z0-9_-]+", entity["slug"]), entity
        if entity["url"]:
            page = out / entity["url"] / "index.html"
            assert page.resolve().is_relative_to(out.resolve()) and page.is_file()


# -- faults ------------------------------------------------------------------------------------------------------

@pytest.fixture()
def small_content(tmp_path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    for name in ("good.md", "no-date.md"):
        shutil.copy(BAD / name, content / name)
    return content


def test_corrupt_and_truncated_cache_is_rebuilt(tmp_path, small_content):
    cache = tmp_path / "cache"
    first = pelican_build(small_content, tmp_path / "a", cache=cache)
    assert first.returncode == 0, first.stderr
    db = cache / "news_archive.sqlite"
    with sqlite3.connect(db) as conn:  # truncate every stored entry
        conn.execute("UPDATE records SET value = substr(value, 1, 7)")
        conn.execute("UPDATE slots SET value = substr(value, 1, 7)")
    second = pelican_build(small_content, tmp_path / "b", cache=cache)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "a" / "archive.json").read_bytes() == (tmp_path / "b" / "archive.json").read_bytes()
    db.write_bytes(b"this is not a database" * 100)  # a corrupt file
    third = pelican_build(small_content, tmp_path / "c", cache=cache)
    assert third.returncode == 0, third.stderr
    assert "could not be read" in third.stderr and (cache / "news_archive.sqlite.damaged").is_file()
    assert (tmp_path / "a" / "archive.json").read_bytes() == (tmp_path / "c" / "archive.json").read_bytes()


def test_changed_article_is_not_served_stale(tmp_path, small_content):
    cache = tmp_path / "cache"
    assert pelican_build(small_content, tmp_path / "a", cache=cache).returncode == 0
    good = small_content / "good.md"
    good.write_text(good.read_text(encoding="utf-8").replace("Sherali Mirzo", "Emomali Rahmon"), encoding="utf-8")
    assert pelican_build(small_content, tmp_path / "b", cache=cache).returncode == 0
    archive = json.loads((tmp_path / "b" / "archive.json").read_text(encoding="utf-8"))
    names = {e["name"] for a in archive["articles"] if a["slug"] == "good" for e in a["entities"]}
    assert "Emomali Rahmon" in names and "Sherali Mirzo" not in names


def test_unusable_cache_folder_builds_without_cache(tmp_path, small_content):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    result = pelican_build(small_content, tmp_path / "out", cache=blocker / "cache")
    assert result.returncode == 0, result.stderr
    assert "without a cache" in result.stderr
    assert json.loads((tmp_path / "out" / "archive.json").read_text(encoding="utf-8"))["articles"]


def test_interrupted_write_is_recovered(tmp_path, small_content):
    out = tmp_path / "out"
    assert pelican_build(small_content, out, cache=tmp_path / "cache").returncode == 0
    good = (out / "archive.json").read_bytes()
    (out / "archive.json").write_bytes(good[: len(good) // 2])  # a build killed mid-write
    (out / "archive.json.tmp999").write_bytes(b"{")
    assert pelican_build(small_content, out, cache=tmp_path / "cache").returncode == 0
    assert (out / "archive.json").read_bytes() == good


def test_missing_model_is_one_clear_error(tmp_path, small_content):
    result = pelican_build(small_content, tmp_path / "out", "-e", 'NEWS_ARCHIVE_SPACY_MODEL="no_such_model_xyz"',
                           cache=tmp_path / "cache")
    assert result.returncode != 0
    assert "NEWS_ARCHIVE_SPACY_MODEL" in result.stderr and "pip install" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_is_one_clear_error(tmp_path, small_content):
    result = pelican_build(small_content, tmp_path / "out", "-e", "NEWS_ARCHIVE_RELATED_COUNT=-3")
    assert result.returncode != 0
    assert "NEWS_ARCHIVE_RELATED_COUNT" in result.stderr and "Traceback" not in result.stderr


def test_two_clean_builds_are_identical_whatever_the_file_order(tmp_path):
    trees = []
    for name, order in (("one", sorted), ("two", lambda xs: sorted(xs, reverse=True))):
        content = tmp_path / name / "content"
        content.mkdir(parents=True)
        for src in order(BAD.iterdir()):  # files created in a different order on disk
            shutil.copy(src, content / src.name)
        result = pelican_build(content, tmp_path / name / "out", cache=tmp_path / name / "cache")
        assert result.returncode == 0, result.stderr
        out = tmp_path / name / "out"
        # Pagefind's index (pagefind/) is the one exception: Pagefind orders filter values differently on each run.
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                      if p.is_file() and p.relative_to(out).parts[0] != "pagefind"})
    assert trees[0].keys() == trees[1].keys()
    different = [name for name in trees[0] if trees[0][name] != trees[1][name]]
    assert not different
