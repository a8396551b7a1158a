"""Issue 16 in a real browser, as a reader sees it at desktop (1280 px) and phone (390 px) width: story pages,
articles linking their story and showing their quotations, entity pages with stories and a person's quotations,
country pages with people, organisations, stories, coverage and feed, coverage charts that fit a phone, flags as
images with names, feeds that parse. Checked on the seed site and on the seeds with three of them dated (the
seeds are undated, so only the dated copy has charts, a time order and feeds). The checks themselves are in
tests/reader_checks.py, shared with benchmarks/reader_check.py; screenshots are kept in $SCREENSHOTS_DIR when set.
"""

from __future__ import annotations

import json

import pytest

from . import reader_checks as rc
from .browser_support import DESKTOP, PHONE, shots_dir
from .conftest import DATED

WIDTHS = [("desktop", DESKTOP), ("phone", PHONE)]


@pytest.fixture(scope="module")
def sites(seed_site, seed_server, dated_seed_server):
    """(label, base URL, Archive) of the seed site and of its dated copy."""
    dated_out, dated_url = dated_seed_server
    return [("seed", seed_server, rc.Archive(json.loads((seed_site / "archive.json").read_text(encoding="utf-8")))),
            ("dated", dated_url, rc.Archive(json.loads((dated_out / "archive.json").read_text(encoding="utf-8"))))]


@pytest.fixture(scope="module")
def dated(sites):
    return sites[1][1], sites[1][2]


def shot(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(shots_dir(tmp_path) / f"reader-{name}.png"), full_page=True)


def test_the_dated_copy_has_what_the_checks_need(dated):
    """Guards the fixture: without a dated story and dated quotations the other tests would check little."""
    _, arc = dated
    [story] = arc.stories.values()
    dates = [arc.date(u) for u in arc.story_urls(story)]
    assert sum(1 for d in dates if d) == 2 and None in dates
    assert {a["slug"][:3] for a in arc.data["articles"] if a["date"]} == set(DATED)
    assert any(a["quotes"] for a in arc.data["articles"])


@pytest.mark.parametrize("label, viewport", WIDTHS)
def test_story_pages(watched, sites, label, viewport, tmp_path):
    checked = 0
    for site, base, arc in sites:
        w = watched(viewport=viewport)
        for story in arc.stories.values():
            page = w.goto(base + story["url"])
            rc.story_page(page, base, arc, story)
            shot(page, tmp_path, f"story-{site}-{label}")
            checked += 1
        assert w.problems == [], w.problems
    assert checked == 2


def test_the_story_page_lists_dated_reports_in_time_order_then_the_undated(watched, dated):
    """Not file order: the dated copy dates 003 before 000 (hours apart), and leaves 001 undated."""
    base, arc = dated
    [story] = arc.stories.values()
    page = watched().goto(base + story["url"])
    reports = page.locator("ol.na-reports a.na-article-title").all()
    order = [rc.path_of(a.get_attribute("href"), base).removeprefix("articles/")[:3] for a in reports]
    assert order == ["003", "000", "001"]
    # both dated reports are of 7 April: one day, said once
    assert page.locator(".na-summary time").count() == 1 and ", on " in page.locator(".na-summary").inner_text()


@pytest.mark.parametrize("label, viewport", WIDTHS)
def test_articles_link_their_story_and_show_their_quote_blocks(watched, sites, label, viewport, tmp_path):
    quoted = 0
    for site, base, arc in sites:
        w = watched(viewport=viewport)
        for article in arc.data["articles"]:
            page = w.goto(base + article["url"])
            rc.article_page(page, base, arc, article)
            quoted += len(article["quotes"])
            if article["quotes"]:
                page.locator("section.quotes").scroll_into_view_if_needed()
                page.screenshot(path=str(shots_dir(tmp_path) / f"reader-quotes-{site}-{label}.png"))
        assert w.problems == [], w.problems
    assert quoted >= 6  # three quotations on each site


@pytest.mark.parametrize("label, viewport", WIDTHS)
def test_entity_pages_list_stories_and_the_persons_quotes(watched, sites, label, viewport, tmp_path):
    for site, base, arc in sites:
        quoted = {q["slug"] for a in arc.data["articles"] for q in a["quotes"]}
        sample = [e for e in arc.data["entities"] if e["url"] and (e["slug"] in quoted or e["type"] == "GPE")][:4]
        assert any(e["slug"] in quoted for e in sample)
        w = watched(viewport=viewport)
        for entity in sample:
            page = w.goto(base + entity["url"])
            rc.entity_page(page, base, arc, entity)
            shot(page, tmp_path, f"entity-{entity['slug']}-{site}-{label}")
        assert w.problems == [], w.problems


@pytest.mark.parametrize("label, viewport", WIDTHS)
def test_country_pages_with_people_stories_coverage_and_feed(watched, sites, label, viewport, tmp_path):
    feeds = []
    for site, base, arc in sites:
        w = watched(viewport=viewport)
        for country in arc.data["countries"][:4]:  # focus countries first, then some only mentioned
            page = w.goto(base + country["url"])
            feeds += [(base, f, arc) for f in rc.country_page(page, base, arc, country)]
            shot(page, tmp_path, f"country-{country['code']}-{site}-{label}")
        assert w.problems == [], w.problems
    assert feeds, "the dated copy's countries link their feeds"
    for base, path, arc in feeds:
        assert rc.feed(base, path, arc) >= 1


def test_every_entity_country_and_story_page_counts_as_archive_json_does(watched, sites):
    """Every page of both sites, desktop width: the numbers a reader sees are the archive's."""
    for _site, base, arc in sites:
        w = watched()
        for entity in arc.data["entities"]:
            if entity["url"]:
                rc.entity_page(w.goto(base + entity["url"]), base, arc, entity)
        for country in arc.data["countries"]:
            rc.country_page(w.goto(base + country["url"]), base, arc, country)
        for story in arc.stories.values():
            rc.story_page(w.goto(base + story["url"]), base, arc, story)
        assert w.problems == [], w.problems


def test_the_coverage_chart_is_legible_on_a_phone(watched, dated, tmp_path):
    base, arc = dated
    iran = next(c for c in arc.data["countries"] if c["code"] == "IR")
    page = watched(viewport=PHONE).goto(base + iran["url"])
    chart = page.locator("section.na-coverage svg")
    chart.scroll_into_view_if_needed()
    rc.no_sideways_scroll(page, "country page")
    # its words (first and last unit, scale) are written at a readable size on the phone's screen and inside the
    # figure: words drawn inside the SVG would shrink with the drawing (to 6 px at 390 px)
    sizes = chart.evaluate("""svg => { const f = svg.closest('figure').getBoundingClientRect();
        const words = [...svg.querySelectorAll('text'), ...svg.closest('figure').querySelectorAll('p')];
        return words.map(t => { const b = t.getBoundingClientRect(), inSvg = t.closest('svg') !== null;
          const scale = inSvg ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
          return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale,
                  b.left >= f.left && b.right <= f.right && b.top >= f.top && b.bottom <= f.bottom]; }); }""")
    labels = [text for text, _, _ in sizes]
    assert "week of 5 Apr 2021" in " ".join(labels) and any(t.startswith("max ") for t in labels), labels
    assert all(px >= 11 and inside for _, px, inside in sizes), sizes
    page.screenshot(path=str(shots_dir(tmp_path) / "reader-coverage-phone.png"))


def test_every_feed_linked_anywhere_parses_and_the_site_feed_has_the_dated_articles(watched, dated):
    base, arc = dated
    w = watched()
    linked = set()
    for url in ["", *(e["url"] for e in arc.data["entities"] if e["url"]), *(c["url"] for c in arc.data["countries"])]:
        page = w.goto(base + url)
        linked |= set(rc.links(page, 'link[type="application/atom+xml"], a.na-feed, a[href$=".atom.xml"]', base))
    assert "feeds/all.atom.xml" in linked
    for path in sorted(linked):
        rc.feed(base, path, arc)
    assert rc.feed(base, "feeds/all.atom.xml", arc) == sum(1 for a in arc.data["articles"] if a["date"])
