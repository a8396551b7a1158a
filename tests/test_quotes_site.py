"""Who said what on the built site: quotation blocks on article pages, a person's quotations on their entity page
(newest first, each linking to its article), ``quotes`` in archive.json; escaped; never stale after a rebuild."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, build
from .test_living_archive import assert_same_as_clean

SEED = ROOT / "content"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def body_text(path: Path) -> str:
    """The article's own words (Markdown body after the metadata), whitespace folded."""
    return " ".join(path.read_text(encoding="utf-8").split("\n\n", 1)[1].split())


def test_seed_quotes_in_archive_json_are_verbatim_and_attributed_to_people_of_the_article(seed_archive):
    by_slug = {a["slug"]: a for a in seed_archive["articles"]}
    said = {slug: [(q["name"], q["text"]) for q in a["quotes"]] for slug, a in by_slug.items()}
    assert [n for n, _ in said["001_a10b42cb393e5489"]] == ["Sherali Mirzo"]
    assert [n for n, _ in said["002_4776d62a20950e61"]] == ["Ibrahim Raisi", "Nizamuddin Zahedi"]
    for slug, quotes in said.items():
        text = body_text(SEED / by_slug[slug]["source_path"])
        people = {e["name"] for e in by_slug[slug]["entities"] if e["type"] == "PERSON"}
        for name, quote in quotes:
            assert quote in text and name in people, (slug, name, quote)


def test_an_article_shows_its_quotations_as_quote_blocks_linking_the_speaker(seed_site, seed_archive):
    soup = page(seed_site, "articles/001_a10b42cb393e5489")
    [figure] = soup.select("section.quotes figure.quote")
    assert figure.blockquote.get_text(" ", strip=True).startswith("Conflicts and insecurity in the region")
    link = figure.figcaption.a
    mirzo = next(e for e in seed_archive["entities"] if e["name"] == "Sherali Mirzo")
    assert link.get_text(strip=True) == "Sherali Mirzo" and link["href"].endswith(mirzo["url"])
    # a speaker without an entity page is named, not linked
    other = page(seed_site, "articles/002_4776d62a20950e61").select("section.quotes figcaption")
    assert [f.get_text(" ", strip=True).lstrip("— ") for f in other] == ["Ibrahim Raisi", "Nizamuddin Zahedi"]
    assert not page(seed_site, "articles/003_4089aef8d3b393d2").select("section.quotes")


def test_a_person_page_lists_their_quotations_each_linking_to_its_article(seed_site, seed_archive):
    mirzo = next(e for e in seed_archive["entities"] if e["name"] == "Sherali Mirzo")
    [figure] = page(seed_site, mirzo["url"]).select("section.na-quotes figure.quote")
    assert figure.blockquote.get_text(" ", strip=True).startswith("Conflicts and insecurity in the region")
    assert figure.figcaption.a["href"].endswith("articles/001_a10b42cb393e5489/")


def article(slug: str, title: str, date: str, body: str) -> str:
    return f"Title: {title}\nSlug: {slug}\nDate: {date}\n\n{body}\n"


@pytest.fixture()
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text(article(
        "older", "Talks in Dushanbe", "2021-04-01",
        "Defence minister Sherali Mirzo met officials in Dushanbe on Monday.\n\n"
        '"We will strengthen our cooperation," said Sherali Mirzo.'), encoding="utf-8")
    (folder / "b.md").write_text(article(
        "newer", "Mirzo visits Tehran", "2021-05-02",
        "Sherali Mirzo arrived in Tehran on Tuesday for talks with Iranian officials.\n\n"
        '"Never write &lt;script&gt;alert(1)&lt;/script&gt; &amp; stay safe," Mr Mirzo told reporters.'),
        encoding="utf-8")
    return folder


def quotes_on(out: Path, url: str) -> list[tuple[str, str]]:
    soup = page(out, url)
    return [(f.blockquote.get_text(strip=True), f.figcaption.a["href"]) for f in soup.select("section.na-quotes "
                                                                                             "figure.quote")]


def test_person_page_newest_first_escaped_and_never_stale(tmp_path, content):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache, NEWS_ARCHIVE_ENTITY_PAGE_MIN_ARTICLES=1)
    data = json.loads((out / "archive.json").read_text(encoding="utf-8"))
    url = next(e["url"] for e in data["entities"] if e["name"] == "Sherali Mirzo")
    assert [(q, href.rstrip("/").rsplit("/", 1)[-1]) for q, href in quotes_on(out, url)] == [
        ("Never write <script>alert(1)</script> & stay safe", "newer"),
        ("We will strengthen our cooperation", "older")]
    for shown in (url, "articles/newer"):
        html = (out / shown / "index.html").read_text(encoding="utf-8")
        quotes = str(BeautifulSoup(html, "html.parser").select_one("section.quotes, section.na-quotes"))
        assert "<script>alert(1)" not in quotes and "&lt;script&gt;alert(1)" in quotes, shown
    assert "<script>alert" not in (out / "archive.json").read_text(encoding="utf-8")
    # an editor's correction: a new quotation in the older article, rebuilt in place, equals a clean build
    a = content / "a.md"
    a.write_text(a.read_text(encoding="utf-8") + '\n"Our borders are safe," Mirzo said.\n', encoding="utf-8")
    build(content, out, cache, NEWS_ARCHIVE_ENTITY_PAGE_MIN_ARTICLES=1)
    assert [q for q, _ in quotes_on(out, url)][-1] == "Our borders are safe"
    clean = tmp_path / "clean"
    build(content, clean, tmp_path / "clean-cache", NEWS_ARCHIVE_ENTITY_PAGE_MIN_ARTICLES=1)
    assert_same_as_clean(out, clean)
    # a rename by the editor file shows on the quotation blocks of the article pages too
    (content / "entities.toml").write_text('[rename]\n"Sherali Mirzo" = "Sherali Mirzo (minister)"\n',
                                           encoding="utf-8")
    build(content, out, cache, NEWS_ARCHIVE_ENTITY_PAGE_MIN_ARTICLES=1)
    captions = [f.get_text(" ", strip=True) for p in out.rglob("index.html")
                for f in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select("section.quotes "
                                                                                              "figcaption")]
    assert captions and all(re.search(r"Sherali Mirzo \(minister\)$", c) for c in captions), captions
    shutil.rmtree(clean)
    build(content, clean, tmp_path / "clean-cache-2", NEWS_ARCHIVE_ENTITY_PAGE_MIN_ARTICLES=1)
    assert_same_as_clean(out, clean)
