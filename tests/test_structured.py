"""schema.org JSON-LD, Open Graph and canonical tags: the pure builder, the script-safe serialiser, and real builds
(the seed archive, and a tiny archive whose headline, outlet and dateline try to break out of the script element).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from pelican.plugins.news_archive.site import structured

from .conftest import pelican_build

HOSTILE = "</script><script>alert(1)</script>"
HOSTILE_TITLE = f"{HOSTILE} Ministers meet <!-- in Tehran"
HOSTILE_SOURCE = "Evil Press </SCRIPT><!--"
HOSTILE_DATELINE = "TEHRAN ]]></script>"


def _ld(html: str) -> list[dict]:
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


# -- the pure builder ---------------------------------------------------------------------------------------------

def test_news_article_files_focus_countries_as_about_and_the_rest_as_mentions():
    data = structured.news_article(
        headline="Talks in Tehran", url="https://example.org/a/", date="2021-04-06T00:00:00+00:00",
        source="IRNA", dateline="TEHRAN", description="Ministers met.", language="en", site_name="Archive",
        mentions=[structured.Mention("Amir Hatami", "PERSON", "https://example.org/entity/amir-hatami/"),
                  structured.Mention("IRNA", "ORG"), structured.Mention("Iran", "GPE")],
        places=[structured.Place("Iran", "IR", True, "https://example.org/country/iran/"),
                structured.Place("Tajikistan", "TJ", False, "https://example.org/country/tajikistan/")])
    assert data["@type"] == "NewsArticle" and data["@context"] == "https://schema.org"
    assert data["datePublished"] == "2021-04-06T00:00:00+00:00"
    assert data["publisher"] == {"@type": "Organization", "name": "IRNA"}
    assert data["dateline"] == "TEHRAN"
    assert [c["name"] for c in data["about"]] == ["Iran"] == [c["name"] for c in data["contentLocation"]]
    assert data["about"][0] == {"@type": "Country", "name": "Iran", "identifier": "IR",
                                "url": "https://example.org/country/iran/"}
    assert [(m["@type"], m["name"]) for m in data["mentions"]] == [
        ("Person", "Amir Hatami"), ("Organization", "IRNA"), ("Country", "Tajikistan")]
    assert data["mentions"][0]["url"] == "https://example.org/entity/amir-hatami/"


def test_unknown_values_are_left_out_not_guessed():
    data = structured.news_article(headline="H", url="/a/")
    assert set(data) == {"@context", "@type", "headline", "url", "mainEntityOfPage"}


def test_shorten_cuts_at_a_word():
    assert structured.shorten("one  two\nthree", 100) == "one two three"
    assert structured.shorten("alpha beta gamma delta", 14) == "alpha beta…"


# -- the serialiser -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [HOSTILE, "<!--", "-->", "<!-- <script>", "a & b", "]]>", "\u2028\u2029",
                                  "</SCRIPT >", "<\\/script>"])
def test_script_json_keeps_hostile_names_inside_the_script(name):
    data = structured.news_article(headline=name, url="/a/", source=name,
                                   mentions=[structured.Mention(name, "PERSON")])
    text = structured.script_json(data)
    assert not set("<>&") & set(text)
    page = f'<html><head><script type="application/ld+json">{text}</script></head><body><p>after</p></body></html>'
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1
    assert json.loads(scripts[0].string) == data
    assert soup.find("p").get_text() == "after"


@given(st.recursive(st.text() | st.integers() | st.booleans() | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=20))
def test_script_json_round_trips_any_data_without_markup_characters(data):
    text = structured.script_json(data)
    assert json.loads(text) == data
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text


# -- the seed archive ---------------------------------------------------------------------------------------------

def test_every_seed_article_has_news_article_json_ld(seed_site, seed_archive):
    for article in seed_archive["articles"]:
        html = (seed_site / article["url"] / "index.html").read_text(encoding="utf-8")
        (data,) = _ld(html)
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == article["title"]
        assert data["url"] == "/" + article["url"]
        if article["date"] is None:
            assert "datePublished" not in data
        focus = [c["name"] for c in article["countries"] if c["focus"]]
        assert [c["name"] for c in data["about"]] == focus == [c["name"] for c in data["contentLocation"]]
        assert data["mentions"], article["slug"]
        named = {m["name"] for m in data["mentions"]}
        countries = {c["name"] for c in article["countries"]}
        assert {e["name"] for e in article["entities"]} - countries <= named
        if article["source"]:
            assert data["publisher"]["name"] == article["source"]


def test_article_pages_have_open_graph_and_canonical(seed_site, seed_archive):
    article = seed_archive["articles"][0]
    soup = BeautifulSoup((seed_site / article["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:type"] == "article"
    assert og["og:title"] == article["title"]
    assert og["og:url"] == "/" + article["url"]
    assert og["og:site_name"] and og["og:description"]
    assert soup.find("link", rel="canonical")["href"] == "/" + article["url"]


# -- a hostile archive --------------------------------------------------------------------------------------------

BODY = """Iran's Defense Minister Amir Hatami met his Tajik counterpart Sherali Mirzo in Tehran on Tuesday, and the
two ministers agreed to expand military cooperation between Iran and Tajikistan.

Hatami said Iran was ready to share its experience with Tajikistan, IRNA reported.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("hostile-content")
    (content / "hostile.md").write_text(
        f"Title: {HOSTILE_TITLE}\nSlug: hostile\nDate: 2021-04-06\nSource: {HOSTILE_SOURCE}\n"
        f"Dateline: {HOSTILE_DATELINE}\n\n{BODY}", encoding="utf-8")
    (content / "plain.md").write_text(
        "Title: Tajik and Iranian ministers meet\nSlug: plain\n\n" + BODY.replace("Tuesday", "Wednesday"),
        encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-site")
    result = pelican_build(content, out / "output", cache=out / "cache")
    assert result.returncode == 0, result.stdout
    return out / "output"


def test_hostile_headline_outlet_and_dateline_stay_inside_the_json(hostile_site):
    html = (hostile_site / "articles" / "hostile" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("script")) == 1, "an extra script element was injected"
    assert "alert(1)</script>" not in html and "<!--" not in html
    (data,) = _ld(html)
    assert data["headline"] == Markup(HOSTILE_TITLE).striptags()  # a Title: is HTML to Pelican: its text
    assert data["publisher"]["name"] == HOSTILE_SOURCE
    assert data["dateline"] == HOSTILE_DATELINE
    assert data["datePublished"].startswith("2021-04-06")
    assert data["about"] and data["mentions"]
    # the visible page shows the outlet as text, not markup
    assert soup.select_one(".byline .outlet").get_text() == HOSTILE_SOURCE


def test_hostile_values_are_escaped_in_meta_tags(hostile_site):
    soup = BeautifulSoup((hostile_site / "articles" / "hostile" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    for meta in soup.find_all("meta"):
        assert "<script" not in str(meta).lower()
    assert soup.find("title") is not None and len(soup.find_all("title")) == 1


def test_sitemap_gives_lastmod_only_for_known_dates(hostile_site):
    text = (hostile_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<url><loc>/articles/hostile/</loc><lastmod>2021-04-06</lastmod></url>" in text
    assert "<url><loc>/articles/plain/</loc></url>" in text


def test_without_the_plugin_articles_still_have_safe_json_ld(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text(f"Title: {HOSTILE_TITLE}\nSlug: a\nDate: 2021-04-06\n\n{BODY}", encoding="utf-8")
    result = pelican_build(content, tmp_path / "out", "-e", "PLUGINS=[]")
    assert result.returncode == 0, result.stdout
    html = (tmp_path / "out" / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    assert len(BeautifulSoup(html, "html.parser").find_all("script")) == 1
    (data,) = _ld(html)
    assert data["@type"] == "NewsArticle" and data["headline"] == HOSTILE_TITLE
    assert data["datePublished"].startswith("2021-04-06")


def test_entity_and_country_pages_link_their_feeds(hostile_site):
    archive = json.loads((hostile_site / "archive.json").read_text(encoding="utf-8"))
    entity = next(e for e in archive["entities"] if e["url"])
    country = archive["countries"][0]
    for url in (entity["url"], country["url"]):
        soup = BeautifulSoup((hostile_site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        alternate = soup.find("link", rel="alternate", href=lambda h: h and h.endswith("/feed.atom"))
        assert alternate is not None and alternate["type"] == "application/atom+xml", url
        assert (hostile_site / alternate["href"].lstrip("/")).is_file()
        assert soup.find("link", rel="canonical")["href"] == "/" + url


def _entries(feed: Path) -> list[tuple[str, str]]:
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(feed).getroot()
    return [(e.findtext(f"{atom}title"), e.findtext(f"{atom}published") or "") for e in root.iter(f"{atom}entry")]


def test_feeds_carry_dated_articles_only(hostile_site):
    """The undated article shares the entities of the dated one: it is on their pages, never in their feeds."""
    feeds = sorted(hostile_site.rglob("feed.atom")) + [hostile_site / "feeds" / "all.atom.xml"]
    assert len(feeds) > 2
    for feed in feeds:
        entries = _entries(feed)
        assert entries and all(published.startswith("2021-04-06") for _, published in entries), feed
        assert "1970" not in feed.read_text(encoding="utf-8"), feed
    mirzo = (hostile_site / "entity" / "sherali-mirzo" / "index.html").read_text(encoding="utf-8")
    assert "/articles/plain/" in mirzo  # listed on the page all the same


def test_an_archive_without_dates_has_no_entity_feeds_and_stays_deterministic(seed_site, seed_archive):
    assert all(a["date"] is None for a in seed_archive["articles"])
    assert not list((seed_site / "entity").rglob("feed.atom")) and not list((seed_site / "country").rglob("feed.atom"))
    page = (seed_site / seed_archive["entities"][0]["url"] / "index.html").read_text(encoding="utf-8")
    assert "feed.atom" not in page
    # No feed either: it would have no entry and would have to claim the build's clock time as its update.
    assert not (seed_site / "feeds" / "all.atom.xml").exists()
    assert "all.atom.xml" not in (seed_site / "index.html").read_text(encoding="utf-8")
