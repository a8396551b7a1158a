"""End to end: the seed content builds into a site whose pages and archive.json hold together."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, pelican_build


def test_archive_json_has_every_seed_with_entities_countries_related(seed_archive):
    slugs = sorted(a["slug"] for a in seed_archive["articles"])
    expected = sorted(p.stem for p in (ROOT / "content").glob("*.md"))
    assert slugs == expected and len(slugs) == 5
    assert seed_archive["generator"]["name"] == "pelican-news-archive"
    assert seed_archive["generator"]["model"].startswith("en_core_web_sm")
    for article in seed_archive["articles"]:
        assert article["entities"], article["slug"]
        assert article["countries"], article["slug"]
        assert article["related"], article["slug"]
        assert {"name", "type", "slug", "url", "mentions"} <= set(article["entities"][0])
        assert {"code", "name", "mentions", "focus", "url"} <= set(article["countries"][0])


def test_every_link_in_archive_json_resolves_to_a_written_page(seed_site, seed_archive):
    def page(url: str):
        path = seed_site / url
        return path / "index.html" if url.endswith("/") else path

    for article in seed_archive["articles"]:
        assert page(article["url"]).is_file(), article["url"]
        for e in article["entities"]:
            if e["url"]:
                assert page(e["url"]).is_file(), e["url"]
        for c in article["countries"]:
            assert page(c["url"]).is_file(), c["url"]
        for r in article["related"]:
            assert page(r["url"]).is_file(), r["url"]


def test_article_page_shows_tags_countries_and_related(seed_site, seed_archive):
    article = next(a for a in seed_archive["articles"] if a["slug"].startswith("001"))
    soup = BeautifulSoup((seed_site / article["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    tag_links = {a.get_text(strip=True) for a in soup.select("section.tags a")}
    linked = {e["name"] for e in article["entities"] if e["url"]}
    assert linked and linked <= tag_links
    assert {a.get_text(" ", strip=True).split(" ", 1)[-1] for a in soup.select("section.countries a")} >= {
        c["name"] for c in article["countries"]}
    assert soup.select("section.related a") or soup.select("section.same-story a")


def test_archive_json_is_deterministic(tmp_path, seed_site):
    again = pelican_build(ROOT / "content", tmp_path / "out", cache=tmp_path / "cache")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "out" / "archive.json").read_bytes() == (seed_site / "archive.json").read_bytes()
    json.loads((tmp_path / "out" / "archive.json").read_text(encoding="utf-8"))


def test_site_builds_without_the_plugin(tmp_path):
    result = pelican_build(ROOT / "content", tmp_path / "plain", "-e", "PLUGINS=[]")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "plain" / "index.html").is_file()
    assert not (tmp_path / "plain" / "archive.json").exists()


def test_the_home_page_lists_countries_by_the_count_it_shows(seed_site, seed_archive):
    soup = BeautifulSoup((seed_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    box = soup.find(id="side-countries-h").find_parent("section")
    shown = [(li.a.get_text(" ", strip=True), int(li.select_one(".count").get_text())) for li in box.select("li")]
    naming: dict[str, int] = {}
    for article in seed_archive["articles"]:
        for c in article["countries"]:
            naming[c["name"]] = naming.get(c["name"], 0) + 1
    assert shown and all(count == naming[name] for name, count in shown)
    assert [count for _, count in shown] == sorted((count for _, count in shown), reverse=True)


def test_also_reported_by_only_when_every_other_report_names_its_outlet(seed_site, seed_archive):
    source = {a["url"]: a.get("source") for a in seed_archive["articles"]}
    headings = set()
    for article in seed_archive["articles"]:
        soup = BeautifulSoup((seed_site / article["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
        section = soup.select_one("section.same-story")
        if section is None:
            continue
        urls = [a["href"].split("/", 3)[-1] if a["href"].startswith("http") else a["href"].lstrip("/")
                for a in section.select("li > a")]
        named = all(source.get(u) for u in urls)
        heading = section.find("h2").get_text(strip=True)
        headings.add(heading)
        assert heading == ("Also reported by" if named else "Other reports of this story"), article["slug"]
    assert "Other reports of this story" in headings  # the seeds hold a report without an outlet


def test_a_countrys_entity_page_and_country_page_link_to_each_other(seed_site, seed_archive):
    entity = next(e for e in seed_archive["entities"] if e["name"] == "Iran")
    country = next(c for c in seed_archive["countries"] if c["code"] == "IR")

    def links(url: str) -> set[str]:
        soup = BeautifulSoup((seed_site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        return {a["href"].lstrip("/") for a in soup.select(".na-paired a")}

    assert links(entity["url"]) == {country["url"]}
    assert links(country["url"]) == {entity["url"]}
    person = next(e for e in seed_archive["entities"] if e["type"] == "PERSON" and e["url"])
    assert links(person["url"]) == set()


@pytest.mark.parametrize(("raw", "shown"), [
    ("Tehran (IP) -", "Tehran"), ("Dushanbe(IP) -", "Dushanbe"), ("WASHINGTON, March 3 -", "WASHINGTON, March 3"),
    ("PEORIA, Ill. (AP) —", "PEORIA, Ill."), ("(LONDON) —", "LONDON"), ("KARACHI:", "KARACHI"), ("", None),
    (None, None), ("Da Nang (VNA) –", "Da Nang"),
])
def test_a_dateline_is_shown_as_its_place_and_date(raw, shown):
    from pelican.plugins.news_archive.site.presentation import dateline_text

    assert dateline_text(raw) == shown


def test_article_pages_show_the_datelines_place_not_the_agency_and_dash(seed_site, seed_archive):
    article = next(a for a in seed_archive["articles"] if a.get("dateline") == "Tehran (IP) -")
    soup = BeautifulSoup((seed_site / article["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = soup.select_one(".byline .dateline").get_text(" ", strip=True)
    assert shown == "Dateline: Tehran"


def test_often_mentioned_with_counts_every_article_naming_both(seed_site, seed_archive):
    """The counts beside "Often mentioned with" are articles naming both, over every tag of each article (not only
    the tags an article page shows), as archive.json lists them."""
    naming: dict[str, set[str]] = {}
    for article in seed_archive["articles"]:
        for e in article["entities"]:
            naming.setdefault(e["slug"], set()).add(article["slug"])
    by_url = {e["url"]: e for e in seed_archive["entities"] if e["url"]}
    checked = 0
    for url, entity in by_url.items():
        soup = BeautifulSoup((seed_site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        side = soup.find(id="na-co-h")
        for li in side.find_parent("aside").select("li") if side else []:
            other = by_url[li.a["href"].lstrip("/")]
            assert int(li.select_one(".na-count").get_text()) == len(naming[entity["slug"]] & naming[other["slug"]]), \
                (entity["name"], other["name"])
            checked += 1
    assert checked >= 20


def _plain(html_or_text: str) -> str:
    return " ".join(BeautifulSoup(html_or_text, "html.parser").get_text(" ").split())


def test_a_headline_taken_from_the_lede_is_shown_once_and_the_text_stays_verbatim(seed_site, seed_archive):
    """The sentence a derived headline comes from is the page's headline, not repeated as the first paragraph;
    every paragraph of the article is still on the page, verbatim, once; the short title stays the page title."""
    derived = [a for a in seed_archive["articles"]
               if "Title_Derived: lede" in (ROOT / "content" / a["source_path"]).read_text(encoding="utf-8")]
    assert len(derived) >= 3
    for article in derived:
        source = (ROOT / "content" / article["source_path"]).read_text(encoding="utf-8")
        paragraphs = [" ".join(p.split()) for p in source.split("\n\n")[1:] if p.strip()]
        soup = BeautifulSoup((seed_site / article["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one(".article-header h1")
        for hidden in h1.select("[hidden]"):
            hidden.extract()
        shown = " ".join([h1.get_text(" ", strip=True), soup.select_one(".article-body").get_text(" ", strip=True)])
        shown = " ".join(shown.split())
        assert " ".join(h1.get_text(" ").split()) == _plain(paragraphs[0]), article["slug"]
        for paragraph in paragraphs:
            assert shown.count(_plain(paragraph)) == 1, (article["slug"], paragraph[:60])
        assert soup.title.get_text().startswith(article["title"].rstrip("…")[:40])
        assert article["title"].endswith("…") and article["title"].split()[-1].rstrip("…").lower() not in (
            "the", "of", "a", "an", "to", "and")


def test_default_make_html_gives_feeds_an_address_so_pelican_does_not_warn(tmp_path):
    """`make html` without SITEURL sets FEED_DOMAIN (make serve's address): Pelican's "Feeds generated without
    SITEURL" warning, which a newcomer reads as something broken, does not print; without it, it would."""
    import shlex
    import subprocess

    dry = subprocess.run(["make", "-n", "html", f"OUTPUT={tmp_path / 'out'}"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    line = next(cmd for cmd in dry.splitlines() if "/pelican " in cmd)
    words = shlex.split(line)
    extra = [w for i, w in enumerate(words) if i and words[i - 1] == "-e"]
    assert any(w.startswith("FEED_DOMAIN=") for w in extra)
    # one -e with every setting: Pelican keeps only the last -e it is given
    common = [f"CACHE_PATH={json.dumps(str(tmp_path / 'cache'))}", "NEWS_ARCHIVE_SEARCH=false"]
    warned = pelican_build(ROOT / "content", tmp_path / "bare", "-e", *common)
    assert "Feeds generated without SITEURL" in warned.stdout  # the warning this guards against
    result = pelican_build(ROOT / "content", tmp_path / "out", "-e", *common, *extra)
    assert result.returncode == 0, result.stdout
    assert "Feeds generated without SITEURL" not in result.stdout


def test_a_plain_pelican_build_over_a_plugin_build_with_delete_output_directory(tmp_path, seed_site):
    """The README's recipe for a build without the plugin: its pages of an earlier build go (Pelican alone skips
    the undated seeds), and the feed the theme links is one Pelican wrote."""
    out = tmp_path / "out"
    shutil.copytree(seed_site, out)
    result = pelican_build(ROOT / "content", out, "-e", "PLUGINS=[]", "--delete-output-directory")
    assert result.returncode == 0, result.stdout
    assert not (out / "entity").exists() and not (out / "archive.json").exists() and not (out / "flags").exists()
    for href in re.findall(r'href="[^"]*?/?(feeds/[^"]+)"', (out / "index.html").read_text(encoding="utf-8")):
        assert (out / href).is_file(), href
