"""A rebuild converts only the Markdown it has not read before (build/readings.py, edge/reader.py)."""

from __future__ import annotations

import copy
import logging
import shutil

import pytest
from markdown import Markdown
from markdown.extensions.toc import TocExtension
from pelican.settings import DEFAULT_CONFIG

from .conftest import ROOT, build
from .test_living_archive import output_files

EXTRA = ("Title: A note with a summary\nDate: 2024-13-45\nSummary: The *short* version.\nSlug: summary-note\n\n"
         "The long version of the note, with **bold** text.\n")


@pytest.fixture()
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    (folder / "addresses.json").unlink()
    (folder / "note.md").write_text(EXTRA, encoding="utf-8")
    return folder


@pytest.fixture()
def conversions(monkeypatch):
    """The files Python-Markdown converts whole (a formatted field's conversion is not a file's)."""
    seen: list[str] = []
    real = Markdown.convert

    def spy(self, source):
        if source.startswith("Title:"):
            seen.append(source.partition("\n")[0])
        return real(self, source)

    monkeypatch.setattr(Markdown, "convert", spy)
    return seen


def test_a_rebuild_converts_only_new_or_changed_files_and_gives_the_same_site(tmp_path, content, conversions,
                                                                                caplog):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    files = len(list(content.glob("*.md")))
    assert len(conversions) == files
    first = output_files(out)
    conversions.clear()
    with caplog.at_level(logging.WARNING):
        build(content, out, cache)
    assert conversions == []
    assert output_files(out) == first
    # What the reader says about a file it keeps is said again: the metadata is made anew from its strings.
    assert any("note.md" in r.getMessage() and "unreadable date" in r.getMessage() for r in caplog.records)
    page = (out / "articles" / "summary-note" / "index.html").read_text(encoding="utf-8")
    assert "<strong>bold</strong>" in page
    note = content / "note.md"
    note.write_text(EXTRA.replace("bold", "heavy"), encoding="utf-8")
    build(content, out, cache)
    assert conversions == ["Title: A note with a summary"]
    assert "<strong>heavy</strong>" in (out / "articles" / "summary-note" / "index.html").read_text(encoding="utf-8")


def test_a_kept_summary_is_the_one_a_first_reading_makes(tmp_path, content):
    """The summary (a formatted field) comes from the kept strings through Pelican's own conversion."""
    from pelican.plugins.news_archive.edge import runs
    from pelican.plugins.news_archive.edge.reader import use_tolerant_reader
    from pelican.readers import Readers

    out, cache = tmp_path / "out", tmp_path / "cache"
    settings = build(content, out, cache)
    run = runs.start(settings, str(out), [])
    try:
        readers = Readers(settings)
        use_tolerant_reader(readers)
        html, meta = readers.readers["md"].read(str(content / "note.md"))
        assert run.readings.hits == 1
    finally:
        runs.end(settings)
        run.close()
    assert meta["summary"] == "<p>The <em>short</em> version.</p>"
    assert html == "<p>The long version of the note, with <strong>bold</strong> text.</p>"
    assert meta["date"] is None and meta["title"] == "A note with a summary"


def test_a_changed_markdown_setting_converts_every_file_again(tmp_path, content, conversions):
    out, cache = tmp_path / "out", tmp_path / "cache"
    markdown = copy.deepcopy(DEFAULT_CONFIG["MARKDOWN"])
    build(content, out, cache, MARKDOWN=copy.deepcopy(markdown))
    conversions.clear()
    markdown["extension_configs"]["markdown.extensions.toc"] = {}
    build(content, out, cache, MARKDOWN=markdown)
    assert len(conversions) == len(list(content.glob("*.md")))


def test_a_markdown_setting_no_key_describes_keeps_nothing_and_says_why(tmp_path, content, conversions, caplog):
    out, cache = tmp_path / "out", tmp_path / "cache"
    markdown = {**copy.deepcopy(DEFAULT_CONFIG["MARKDOWN"]), "extensions": [TocExtension()]}
    build(content, out, cache, MARKDOWN=copy.deepcopy(markdown))
    conversions.clear()
    with caplog.at_level(logging.INFO, logger="pelican.plugins.news_archive"):
        build(content, out, cache, MARKDOWN=copy.deepcopy(markdown))
    assert len(conversions) == len(list(content.glob("*.md")))
    assert "MARKDOWN setting" in caplog.text and "read again" in caplog.text
