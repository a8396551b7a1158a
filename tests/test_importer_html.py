"""HTML pages: the article's text and the page's own metadata, without the page around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.plugins.news_archive.importer.assemble import Stated
from pelican.plugins.news_archive.importer.html_input import parse_html, read_html
from pelican.plugins.news_archive.importer.records import RawArticle
from pelican.plugins.news_archive.importer.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
RULES = load_rules()


def read(name: str) -> RawArticle:
    articles = list(read_html(FIXTURES / name, RULES))
    assert len(articles) == 1
    return articles[0]


def parse(html: str) -> RawArticle | None:
    return parse_html(html, Stated(slug="p", origin="p.html", imported_from="p.html"), RULES)


def test_article_page() -> None:
    article = read("article.html")
    assert article.slug == "article"
    assert article.title == "Port strike ends after pay deal"
    assert article.date == "2021-04-06T09:30:00+00:00"
    assert article.source == "Example Times"
    assert article.url == "https://news.example.com/2021/04/06/port-strike-ends"
    assert article.author == "Jane Doe"
    assert article.imported_from == "article.html"
    assert article.body == [
        # the page's "4&nbsp;percent" keeps its no-break space: the words and the characters are the page's own.
        "Dock workers in the port of Antwerp returned to work on Tuesday after the union accepted a pay rise "
        "of 4\u00a0percent over two years.",
        "The strike had halted container traffic for nine days, the port authority said.",
        "Ships queued at anchor off the coast.",
        "Union leader Marc Peeters said members voted 71-29 in favour, and that the deal covers about 8,000 "
        "workers.",
        "Shipping lines said it would take about a week to clear the backlog.",
    ]


@pytest.mark.parametrize("furniture", [
    "Home", "Buy one get one free", "dataLayer", "font-family", "Share on Twitter", "Advertisement",
    "Draft paragraph", "Ships waiting at anchor", "Rotterdam port reports", "Finally!", "All rights reserved",
    "By Jane Doe", "Example Times",
])
def test_page_furniture_is_not_article_text(furniture: str) -> None:
    assert all(furniture not in para for para in read("article.html").body)


def test_page_without_metadata() -> None:
    article = read("no_meta.html")
    assert article.title == "Library reopens after flood repairs"
    assert article.title_derived is None
    assert article.date is None and article.date_status == "unknown"
    assert article.source is None
    assert article.body == [
        "The town library reopened its doors this week after eight months of repairs following the flood.",
        "Librarians said about 3,000 books had to be replaced.",
    ]


def test_declared_charset_is_used() -> None:
    article = read("latin1.html")
    assert article.title == "Café prices rise"
    assert article.body == ["Café owners raised prices by 5 pct, the trade body said on Monday."]


def test_title_suffix_with_site_name_is_removed() -> None:
    article = parse('<html><head><title>Dam opens | River News</title>'
                    '<meta property="og:site_name" content="River News"></head>'
                    '<body><p>The new dam opened on Friday, officials said.</p></body></html>')
    assert article is not None and article.title == "Dam opens"


def test_time_element_gives_the_date() -> None:
    article = parse('<article><h1>Dam opens</h1><time datetime="2020-05-01">1 May</time>'
                    '<p>The new dam opened on Friday, officials said.</p></article>')
    assert article is not None and article.date == "2020-05-01"


def test_no_title_derives_one_from_the_lede() -> None:
    article = parse("<body><p>The new dam opened on Friday, officials said. It cost a lot.</p></body>")
    assert article is not None
    assert article.title == "The new dam opened on Friday, officials said"
    assert article.title_derived == "lede"


def test_dateline_and_boilerplate_rules_apply_to_html() -> None:
    article = parse("<article><h1>Talks</h1><p>Tehran (IP) - The talks went well, the minister said.</p>"
                    "<p>Read more:</p><p>Other story title</p><p>Your Comment</p></article>")
    assert article is not None
    assert article.dateline == "Tehran (IP) -" and article.source == "Iran Press"
    assert article.body == ["The talks went well, the minister said."]


def test_page_without_text_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    assert parse("<html><head><title>Empty</title></head><body><nav>Home</nav></body></html>") is None
    assert "p.html: skipped" in caplog.text


def test_noisy_wrapper_around_the_article_is_kept() -> None:
    """A class word like "social" on an element that holds the <article> must not drop the article."""
    article = parse('<html><head><title>Budget passes - City News</title></head>'
                    '<body><div class="wrap social-enabled sidebar-widget"><nav>Home</nav><article>'
                    "<h1>Budget passes</h1><p>The council approved the budget on Monday, officials said.</p>"
                    f"<p>{LONG}</p>"
                    '<div class="comments"><p>Nice one</p></div></article></div></body></html>')
    assert article is not None
    assert article.title == "Budget passes"
    assert article.body == ["The council approved the budget on Monday, officials said.", LONG]


LONG = ("The spending plan sets aside money for road repairs, two new schools and a flood barrier along the "
        "river, and it keeps the property tax rate where it was last year, the finance director told members.")


def test_news_layer_reads_schema_org_and_cleans_the_body() -> None:
    article = read("news_jsonld.html")
    # JSON-LD headline (not the section's <h1>), "<" and ">" kept as text
    assert article.title == "Inflation < 2% while unemployment > 5% in Germany"
    # JSON-LD datePublished, written in Persian digits, wins over the RFC 2822 meta date
    assert article.date == "2020-10-09T07:00:00+00:00" and article.date_evidence is None
    assert article.source == "Example News"
    assert article.author == "Anna Schmidt"
    assert article.section == "Economy"
    assert article.body == [
        "Consumer prices in Germany rose 1.8 percent in September from a year earlier, the statistics office said "
        "on Friday, while the jobless rate stayed at 5.2 percent for a third month.",
        "Economists had expected inflation to slow further as energy prices fell, but food and rents kept rising, "
        "the office said in its monthly report.",
        "The central bank has said it will keep interest rates unchanged until inflation is back near its target "
        "of 2 percent, and most analysts expect no change before next year.",
    ]


def test_non_iso_meta_date_and_site_name_in_title() -> None:
    article = parse('<html><head><title>Dam opens on the river - BBC News</title>'
                    '<meta property="og:site_name" content="BBC News">'
                    '<meta name="date" content="Sun, 11 Oct 2020 08:34:36 GMT"></head>'
                    f"<body><article><p>{LONG}</p><p>By Tom Jones</p></article></body></html>")
    assert article is not None
    assert article.title == "Dam opens on the river"
    assert article.date == "2020-10-11T08:34:36+00:00"
    assert article.author == "Tom Jones"  # the byline, when the page names no author
    assert article.body == [LONG]


def test_a_year_outside_the_calendar_is_not_converted() -> None:
    """A Solar Hijri date in Persian digits reads as year 1399: refused, not turned into a wrong date."""
    article = parse('<html><head><title>News</title><meta name="date" content="۱۳۹۹/۰۷/۲۰"></head>'
                    f"<body><article><p>{LONG}</p></article></body></html>")
    assert article is not None
    assert article.date is None and article.date_status == "unknown"
