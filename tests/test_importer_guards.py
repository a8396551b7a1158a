"""The importer's guards for pages where its usual rules would lose the article or give a wrong date."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from pelican.plugins.news_archive.importer import page_date as page_date_module
from pelican.plugins.news_archive.importer.body_choice import choose_body
from pelican.plugins.news_archive.importer.html_input import news_layer
from pelican.plugins.news_archive.importer.page_date import page_date
from pelican.plugins.news_archive.importer.page_meta import read_page_meta
from pelican.plugins.news_archive.importer.rules import load_rules

RULES = load_rules()
ARTICLE = ["The new dam on the river opened on Friday after six years of building, officials said.",
           "Farmers downstream say the water it holds back will carry them through the dry season."]
SIDEBAR = ["Most read today: celebrity chef opens a bakery, and a football club signs a striker.",
           "Sign up for the weekly quiz and win tickets to the summer music festival in the park."]


def test_extractions_sharing_few_words_are_decided_by_the_article_element() -> None:
    # readability's is kept by default; the page's <article> holds trafilatura's text, so that one wins
    assert choose_body(ARTICLE, SIDEBAR) == SIDEBAR
    assert choose_body(ARTICLE, SIDEBAR, " ".join(ARTICLE)) == ARTICLE
    assert choose_body(SIDEBAR, ARTICLE, " ".join(ARTICLE)) == ARTICLE


def test_the_article_element_does_not_override_extractions_that_agree() -> None:
    other = ARTICLE[:1] + ["A spokesman for the regional water board said the dry season would be easier now."]
    assert choose_body(ARTICLE, other, "unrelated text of a sidebar") == other


def test_news_layer_that_would_remove_most_of_the_body_keeps_it_as_extracted() -> None:
    body = ["By Anna Schmidt", "By Tom Jones and Ann Lee", "Dam opens."]
    news = news_layer(body, None, None, RULES)
    assert news.paragraphs == body and news.byline == "Anna Schmidt"
    ordinary = news_layer(["By Anna Schmidt", *ARTICLE], None, None, RULES)
    assert ordinary.paragraphs == ARTICLE and ordinary.byline == "Anna Schmidt"


def _date(html: str, htmldate: str | None, monkeypatch: pytest.MonkeyPatch) -> tuple[str | None, str | None]:
    monkeypatch.setattr(page_date_module, "_htmldate", lambda _html, _rules, _url=None: htmldate)
    soup = BeautifulSoup(html, "html.parser")
    return page_date(read_page_meta(soup), soup, html, RULES, "p.html")


JSONLD = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-10-09"}</script>'
          '<meta name="date" content="2020-03-01">')


def test_stated_dates_and_htmldate_must_not_contradict(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _date(JSONLD, None, monkeypatch) == (None, None)  # two statements, nothing says which: unknown
    assert _date(JSONLD, "2020-06-15", monkeypatch) == (None, None)  # htmldate backs neither
    # htmldate backs one of them: the explicitly stated publication date (JSON-LD first) stands
    assert _date(JSONLD, "2020-03-01", monkeypatch) == ("2020-10-09", None)
    one = '<meta name="date" content="2020-03-01">'
    assert _date(one, "2020-03-02", monkeypatch) == ("2020-03-01", None)
    assert _date(one, None, monkeypatch) == ("2020-03-01", None)
    assert _date(one, "2021-01-01", monkeypatch) == (None, None)  # the two readings disagree


def test_htmldate_alone_far_from_every_date_the_page_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = '<p>Posted <time datetime="2020-05-01">1 May</time>, updated <time datetime="2020-05-02">2 May</time></p>'
    assert _date(shown, "2012-01-01", monkeypatch) == (None, None)
    assert _date(shown, "2020-05-01", monkeypatch) == ("2020-05-01", "page markup (htmldate)")
    assert _date("<p>No dates shown</p>", "2012-01-01", monkeypatch) == ("2012-01-01", "page markup (htmldate)")


def test_a_page_both_extractions_lose_gets_a_last_try(monkeypatch: pytest.MonkeyPatch) -> None:
    from pelican.plugins.news_archive.importer import html_input
    from pelican.plugins.news_archive.importer.assemble import Stated

    monkeypatch.setattr(html_input, "trafilatura_body", lambda _html: [])
    monkeypatch.setattr(html_input, "readability_body", lambda _html: ["Share"])
    page = "<html><head><title>Dam opens</title></head><body><article>" + "".join(
        f"<p>{para}</p>" for para in ARTICLE) + "</article></body></html>"
    article = html_input.parse_html(page, Stated(slug="p", origin="p.html", imported_from="p.html"), RULES)
    assert article is not None and " ".join(article.body) == " ".join(ARTICLE)


def test_text_rules_that_would_remove_most_of_the_body_keep_it_as_extracted() -> None:
    """A story told in one-sentence paragraphs under a "Related stories:" label reads, to the link-list rule,
    as a list of other stories' titles running to the end: the whole article would go."""
    from pathlib import Path

    from pelican.plugins.news_archive.importer import html_input
    from pelican.plugins.news_archive.importer.assemble import Stated

    page = (Path(__file__).parent / "fixtures" / "importer_guards" / "one_sentence_paragraphs.html").read_text()
    article = html_input.parse_html(page, Stated(slug="p", origin="p.html", imported_from="p.html"), RULES)
    assert article is not None
    text = " ".join(article.body)
    assert text.count(".") == 10  # every sentence of the story is kept
    assert "first passengers of the year" in text and "weekday commuter route" in text


def test_htmldate_is_given_the_page_url() -> None:
    """The day in the page's URL (as trafilatura passes it to htmldate) dates a page that states none."""
    html = ('<html><head><meta property="og:url" content="https://news.example/2021/03/04/ferry-returns/">'
            '</head><body><article><p>The ferry returned on Thursday.</p></article></body></html>')
    soup = BeautifulSoup(html, "html.parser")
    assert page_date(read_page_meta(soup), soup, html, RULES, "p.html") == ("2021-03-04", "page markup (htmldate)")


def test_the_url_decides_between_readings_that_disagree(monkeypatch: pytest.MonkeyPatch) -> None:
    url = '<meta property="og:url" content="https://news.example/{}/story.html">'
    # htmldate backs neither stated date: the URL's day picks the reading it agrees with
    assert _date(JSONLD + url.format("2020/10/09"), "2020-06-15", monkeypatch) == ("2020-10-09", "the page's URL")
    assert _date(JSONLD + url.format("2020/06/15"), "2020-06-15", monkeypatch) == ("2020-06-15", "the page's URL")
    # stated dates contradict each other and htmldate reads none: the URL picks one of them
    assert _date(JSONLD + url.format("2020/03/01"), None, monkeypatch) == ("2020-03-01", "the page's URL")
    # a URL day that agrees with no reading, or no day in the URL: still unknown
    assert _date(JSONLD + url.format("2019/01/20"), "2020-06-15", monkeypatch) == (None, None)
    assert _date(JSONLD + url.format("world"), "2020-06-15", monkeypatch) == (None, None)
