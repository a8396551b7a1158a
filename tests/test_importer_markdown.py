"""The Markdown writer: bodies render back to exactly the article text; metadata stays on one line."""

from __future__ import annotations

import copy
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.news_archive.importer.markdown_out import escape_paragraph, render, write
from pelican.plugins.news_archive.importer.records import RawArticle
from pelican.plugins.news_archive.importer.reimport import digest
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

TRICKY = [
    "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT",
    "shippers are obtaining +Bahia superior+ certificates",
    "+Bahia superior+ certificates",
    "1. something that is not a list",
    "1987. A year",
    "# not a heading",
    "#hashtag",
    "- not a list item",
    "* not a list item",
    "---",
    "***",
    "___",
    "> not a quote",
    "=== not a setext underline",
    ": not a definition",
    "~~~ not a fence",
    "``` not a fence",
    "| a | b |",
    "*emphasis* and _emphasis_ and **strong**",
    "snake_case_name and 2*3*4",
    "[link](http://example.com) and ![image](x.png)",
    "a footnote[^1] and *[HTML]: abbreviation",
    "text {: .attr-list }",
    "AT&T and &amp; and &#3; and &copy;",
    "<!-- a comment --> and <b>bold</b>",
    "back\\slash \\* and `code`",
    "a\ttab",
    "no-break\u00a0space and  two spaces",
    "quotes “curly” and 'straight' -- dashes",
    "US$200 million and 3+3 format",
    "<http://example.com> autolink",
    "ends with two spaces  then text",
]


def render_text(body: str, extensions: list[str]) -> list[str]:
    html = markdown.markdown(body, extensions=extensions, output_format="html5")
    return [p.get_text() for p in BeautifulSoup(html, "html.parser").find_all("p")]


@pytest.mark.parametrize("extensions", [[], ["extra", "codehilite"]])
@pytest.mark.parametrize("text", TRICKY)
def test_escaped_paragraph_renders_to_itself(text: str, extensions: list[str]) -> None:
    assert render_text(escape_paragraph(text), extensions) == [text]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60)
    .map(str.strip).filter(bool),
    min_size=1, max_size=4,
))
def test_any_text_round_trips(paragraphs: list[str]) -> None:
    body = "\n\n".join(escape_paragraph(p) for p in paragraphs)
    assert render_text(body, ["extra"]) == paragraphs


def article(**kwargs: object) -> RawArticle:
    values: dict = {"slug": "a-1", "title": "A title", "body": ["First paragraph.", "Second."],
                    "imported_from": "in.jsonl"}
    values.update(kwargs)
    return RawArticle(**values)


def test_front_matter_layout() -> None:
    text = render(article(date="1987-02-26T15:01:01", source="Reuters", dateline="SALVADOR, Feb 26 -",
                          url="https://example.com/x", author="Staff"))
    assert text == (
        "Title: A title\n"
        "Date: 1987-02-26T15:01:01\n"
        "Slug: a-1\n"
        "Source: Reuters\n"
        "Dateline: SALVADOR, Feb 26 -\n"
        "Source_Url: https://example.com/x\n"
        "Author: Staff\n"
        "Imported_From: in.jsonl\n"
        f"Imported_Digest: {digest(text)}\n"
        "\n"
        "First paragraph.\n\nSecond.\n"
    )
    assert len(digest(text)) == 32 and digest(text) != digest(text.replace("Second.", "Second!"))


def test_unknown_and_derived_values_are_marked() -> None:
    text = render(article(title_derived="lede"))
    assert "\nDate:" not in text
    assert "Date_Status: unknown" in text
    assert "Title_Derived: lede" in text
    derived = render(article(date="1987-03-03", date_evidence='dateline "WASHINGTON, March 3 1987 -"'))
    assert "Date: 1987-03-03\n" in derived
    assert "Date_Status: derived\n" in derived
    assert 'Date_Evidence: dateline "WASHINGTON, March 3 1987 -"\n' in derived


def test_metadata_values_are_single_line() -> None:
    text = render(article(title="Two\nlines  and\ttabs", author="A\r\nB"))
    head = text.split("\n\n")[0].splitlines()
    assert "Title: Two lines and tabs" in head
    assert "Author: A B" in head


def test_pelican_reads_the_file(tmp_path: Path) -> None:
    """Pelican's own Markdown reader gets the metadata and exactly the paragraphs back."""
    body = ["Shares of <ABC> rose 5 pct.", "1. First point", "+Bahia superior+", "R&D spending_rose *sharply*"]
    path, _ = write(article(title="ABC <ABC> SAYS", body=body, date="1987-03-03T10:00:00", source="Reuters",
                            url="https://example.com/x"), tmp_path)
    content, meta = MarkdownReader(copy.deepcopy(DEFAULT_CONFIG)).read(str(path))
    # Pelican reads a title as HTML: the entities make it show "ABC <ABC> SAYS" as text.
    assert meta["title"] == "ABC &lt;ABC&gt; SAYS"
    assert BeautifulSoup(meta["title"], "html.parser").get_text() == "ABC <ABC> SAYS"
    assert meta["slug"] == "a-1"
    assert meta["source"] == "Reuters"
    assert "url" not in meta  # "Url" would override the article's own URL in Pelican
    assert meta["source_url"] == "https://example.com/x"
    assert meta["date"].year == 1987
    assert [p.get_text() for p in BeautifulSoup(content, "html.parser").find_all("p")] == body


def test_write_refuses_unsafe_slug(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write(article(slug="../escape"), tmp_path)


@pytest.mark.parametrize("title", [
    "Inflation < 2% while unemployment > 5% in Germany",
    "AT&T buys <b>Time</b> Warner & more",
    "Two lines\nAuthor: injected",
])
def test_title_is_text_to_pelican(tmp_path: Path, title: str) -> None:
    """A title with "<" keeps every word, and no title can add a metadata line."""
    path, _ = write(article(title=title), tmp_path)
    content, meta = MarkdownReader(copy.deepcopy(DEFAULT_CONFIG)).read(str(path))
    assert BeautifulSoup(meta["title"], "html.parser").get_text() == " ".join(title.split())
    assert "author" not in meta
    assert [p.get_text() for p in BeautifulSoup(content, "html.parser").find_all("p")] == ["First paragraph.",
                                                                                         "Second."]
