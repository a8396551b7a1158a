"""The built seed site in a real browser (Debian's chromium driven by Playwright), served by a static server.

Without chromium these tests skip and say why; with the CI environment variable set they fail instead, so a CI
run can never pass without having looked at the site.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .browser_support import DESKTOP, PHONE, shots_dir

# True once the search page has finished a search and drawn its results.
SEARCH_DONE = """() => {
  const list = document.querySelector('.na-results');
  return !!list && list.dataset.state === 'done';
}"""


def _article(seed_archive, prefix: str = "001") -> dict:
    return next(a for a in seed_archive["articles"] if a["slug"].startswith(prefix))


def _searchable_entity(seed_archive) -> dict:
    """A person with a page, named in at least two articles."""
    return next(e for e in seed_archive["entities"] if e["url"] and e["type"] == "PERSON" and e["articles"] >= 2)


def _search(page, base: str, query: str) -> set[str]:
    page.goto(f"{base}search/?q={quote(query)}", wait_until="load")
    page.wait_for_function(SEARCH_DONE, timeout=15000)
    return {a.get_attribute("href") for a in page.query_selector_all(".na-result-link")}


def test_clicking_an_entity_tag_opens_its_page(watched, seed_server, seed_archive):
    article = _article(seed_archive)
    w = watched()
    page = w.goto(seed_server + article["url"])
    tag = page.locator("section.tags a").first
    name = tag.inner_text().strip()
    href = tag.get_attribute("href")
    tag.click()
    page.wait_for_load_state("load")
    assert page.url == seed_server + href.lstrip("/")
    assert page.locator("h1").inner_text().strip() == name
    # the entity page lists the article we came from
    assert page.locator(f'.na-articles a[href="/{article["url"]}"]').count() == 1
    assert w.problems == []


def test_clicking_a_country_on_the_map_opens_its_page(watched, seed_server, seed_archive):
    country = max(seed_archive["countries"], key=lambda c: (c["articles"], c["code"]))
    w = watched()
    page = w.goto(seed_server + "countries/")
    shape = page.locator(f"svg.na-world-map a.na-map-{country['code'].lower()}")
    assert shape.count() == 1, "the world map has no link for " + country["name"]
    shape.click()
    page.wait_for_load_state("load")
    assert page.url == seed_server + country["url"]
    assert country["name"] in page.locator("h1").inner_text()
    assert w.problems == []


def test_the_countries_list_links_every_country(watched, seed_server, seed_archive):
    w = watched()
    page = w.goto(seed_server + "countries/")
    hrefs = {a.get_attribute("href") for a in page.query_selector_all(".na-country-grid a")}
    assert hrefs == {"/" + c["url"] for c in seed_archive["countries"]}


def test_searching_an_entity_finds_its_articles(watched, seed_server, seed_archive):
    entity = _searchable_entity(seed_archive)
    expected = {"/" + a["url"] for a in seed_archive["articles"]
                if any(e["slug"] == entity["slug"] for e in a["entities"])}
    w = watched()
    found = _search(w.page, seed_server, entity["name"])
    assert expected <= found, (entity["name"], expected - found)
    # a result leads to the article
    w.page.click(f'.na-result-link[href="{sorted(expected)[0]}"]')
    w.page.wait_for_load_state("load")
    assert w.page.url == seed_server + sorted(expected)[0].lstrip("/")
    assert w.problems == []


def test_searching_a_variant_spelling_finds_every_article_of_the_entity(watched, seed_server, seed_archive):
    # An alias the text of some articles never uses ("Bagheri" where they write "Baqeri") finds them all.
    def last(name: str) -> str:
        return name.split()[-1].lower()

    entity = next(e for e in seed_archive["entities"]
                  if e["articles"] >= 2 and any(last(a) != last(e["name"]) for a in e["aliases"]))
    variant = next(a for a in entity["aliases"] if last(a) != last(entity["name"]))
    expected = {"/" + a["url"] for a in seed_archive["articles"]
                if any(e["slug"] == entity["slug"] for e in a["entities"])}
    w = watched()
    found = _search(w.page, seed_server, variant.split()[-1])
    assert expected <= found, (variant, expected - found)
    assert w.problems == []


def _words(text: str) -> str:
    return " ".join(text.split())


def test_search_excerpts_quote_the_article_text_never_its_list_of_names(watched, seed_server, seed_archive):
    """A variant spelling some articles never write matches only their (indexed) list of names: the excerpt of
    every result is still a run of the article's own text, never the list ("Sergei Shoigu. Mohammad Baqeri, also
    written …")."""
    entity = next(e for e in seed_archive["entities"]
                  if e["articles"] >= 2 and any(a.split()[-1].lower() != e["name"].split()[-1].lower()
                                                for a in e["aliases"]))
    variant = next(a for a in entity["aliases"] if a.split()[-1].lower() != entity["name"].split()[-1].lower())
    w = watched()
    reader = watched()
    for query in (variant.split()[-1], entity["name"]):
        _search(w.page, seed_server, query)
        results = w.page.query_selector_all(".na-result")
        assert len(results) >= 2, query
        for result in results:
            href = result.query_selector(".na-result-link").get_attribute("href")
            excerpt = _words(result.query_selector(".na-result-excerpt").inner_text())
            body = _words(reader.goto(seed_server + href.lstrip("/")).locator(".article-body").inner_text())
            assert len(excerpt.split()) >= 10 and excerpt in body, (query, href, excerpt)
    assert w.problems == [] and reader.problems == []


def test_search_results_show_date_and_outlet_and_quote_the_article(watched, seed_server, seed_archive):
    entity = _searchable_entity(seed_archive)
    w = watched()
    _search(w.page, seed_server, entity["name"])
    by_url = {"/" + a["url"]: a for a in seed_archive["articles"]}
    results = w.page.query_selector_all(".na-result")
    assert results
    for result in results:
        article = by_url[result.query_selector(".na-result-link").get_attribute("href")]
        facts = result.query_selector(".na-result-meta").inner_text()
        assert ("Date unknown" if article["date"] is None else article["date"][:4]) in facts, facts
        if article["source"]:
            assert article["source"] in facts, facts
        excerpt = result.query_selector(".na-result-excerpt").inner_text()
        assert "Headline taken from" not in excerpt and "Date unknown" not in excerpt, excerpt
    assert w.problems == []


def test_search_offers_country_entity_type_and_outlet_filters(watched, seed_server):
    w = watched()
    _search(w.page, seed_server, "Iran")
    filters = {el.inner_text().strip().lower() for el in w.page.query_selector_all(".na-filter-name")}
    assert {"country", "name", "kind of name", "outlet"} <= filters
    # Choosing a country narrows the results to the articles filed under it.
    w.page.evaluate("document.querySelectorAll('.na-filter').forEach(d => { d.open = true; })")
    w.page.click(".na-filter input[data-filter=country]")
    w.page.wait_for_function(SEARCH_DONE, timeout=15000)
    assert w.page.query_selector_all(".na-result")


def test_the_header_search_box_goes_to_the_results(watched, seed_server, seed_archive):
    entity = _searchable_entity(seed_archive)
    w = watched()
    page = w.goto(seed_server)
    page.fill("#site-search-q", entity["name"])
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".na-result-link", timeout=15000)
    assert page.url.startswith(seed_server + "search/?q=")
    assert w.problems == []


def test_search_works_under_a_sub_path(watched, subpath_site, seed_archive):
    _, site_url = subpath_site
    entity = _searchable_entity(seed_archive)
    w = watched()
    found = _search(w.page, site_url + "/", entity["name"])
    assert found and all(href.startswith("/archive/articles/") for href in found), found
    w.page.click(".na-result-link")
    w.page.wait_for_load_state("load")
    assert w.page.url.startswith(site_url + "/articles/")
    assert w.page.locator("h1").count() == 1
    assert w.problems == []


def _page_types(seed_archive) -> dict[str, str]:
    entity = _searchable_entity(seed_archive)
    country = max(seed_archive["countries"], key=lambda c: (c["articles"], c["code"]))
    return {"home": "", "article": _article(seed_archive)["url"], "entity": entity["url"], "country": country["url"],
            "entities": "entities/", "countries": "countries/", "archives": "archives/",
            "search": "search/?q=" + quote(entity["name"])}


def test_every_page_type_loads_without_errors_and_screenshots(watched, seed_server, seed_archive, tmp_path):
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        w = watched(viewport=viewport)
        for kind, url in _page_types(seed_archive).items():
            page = w.goto(seed_server + url)
            if kind == "search":
                page.wait_for_selector(".na-result-link", timeout=15000)
            # readable at this width: nothing wider than the screen
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{kind} page scrolls sideways at {viewport['width']}px"
            shot = shots_dir(tmp_path) / f"{kind}-{label}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        assert w.problems == [], w.problems


@pytest.mark.parametrize("label, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_menu_item_is_in_sight_without_scrolling_the_menu(watched, seed_server, label, viewport, tmp_path):
    w = watched(viewport=viewport)
    page = w.goto(seed_server)
    menu = page.locator(".site-nav ul")
    assert menu.evaluate("m => m.scrollWidth - m.clientWidth") <= 0, "the menu row scrolls sideways"
    width = page.evaluate("window.innerWidth")
    for item in page.locator(".site-nav a").all():
        box = item.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, item.inner_text()
    assert page.locator(".site-nav a", has_text="All articles").is_visible()
    page.screenshot(path=str(shots_dir(tmp_path) / f"menu-{label}.png"))


@pytest.mark.parametrize("label, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_flags_are_svg_images_beside_the_country_name(watched, seed_server, seed_archive, label, viewport, tmp_path):
    article = next(a for a in seed_archive["articles"] if len(a["countries"]) >= 5)
    w = watched(viewport=viewport)
    for url in (article["url"], "countries/", ""):
        page = w.goto(seed_server + url)
        flags = page.locator("img.flag, img.na-flag").all()
        assert flags, url
        for img in flags:
            assert img.get_attribute("alt") == "" and img.get_attribute("src").endswith(".svg")
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")
            box = img.bounding_box()
            assert box and 12 <= box["width"] <= 40, box
            # the name is written beside it, as text
            assert img.evaluate("i => i.parentElement.textContent.trim().length > 2")
        assert not page.evaluate(r"/[\u{1F1E6}-\u{1F1FF}]/u.test(document.body.innerText)"), "emoji flag on " + url
        name = url.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(shots_dir(tmp_path) / f"flags-{name}-{label}.png"), full_page=True)
    assert w.problems == []


def test_the_map_is_usable_on_a_phone_with_a_readable_key(watched, seed_server, seed_archive, tmp_path):
    w = watched(viewport=PHONE)
    page = w.goto(seed_server + "countries/")
    frame = page.locator(".na-map-frame")
    svg = frame.locator("svg.na-world-map")
    # drawn wider than the screen in a frame that scrolls sideways (the page itself does not)
    assert svg.bounding_box()["width"] >= 1.8 * PHONE["width"] - 40
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    key = page.locator(".na-map-legend")
    assert key.is_visible()
    assert float(key.evaluate("k => getComputedStyle(k).fontSize").removesuffix("px")) >= 12
    assert "only mentioned" in key.inner_text()  # the seeds have countries only mentioned (Afghanistan…)
    mentioned = next(c for c in seed_archive["countries"] if c["focus_articles"] == 0)
    subject = next(c for c in seed_archive["countries"] if c["focus_articles"] > 0)
    fill = "c => c.querySelector('g').getAttribute('fill')"
    assert page.locator(f"a.na-map-{mentioned['code'].lower()}").evaluate(fill).startswith("url(#")
    assert page.locator(f"a.na-map-{subject['code'].lower()}").evaluate(fill).startswith("#")
    page.screenshot(path=str(shots_dir(tmp_path) / "map-phone.png"), full_page=True)
    frame.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
    page.screenshot(path=str(shots_dir(tmp_path) / "map-phone-scrolled.png"))
    assert w.problems == []


def test_keyboard_skip_link_and_visible_focus(watched, seed_server, seed_archive):
    w = watched()
    page = w.goto(seed_server + _article(seed_archive)["url"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # the next Tab stop is inside the main content, not back in the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_site_is_usable_without_javascript(watched, seed_server, seed_archive):
    w = watched(javascript=False)
    page = w.goto(seed_server)
    first = page.locator(".teaser-title a").first
    first.click()
    page.wait_for_load_state("load")
    assert "/articles/" in page.url
    assert page.locator(".article-body p").count() > 0
    page = w.goto(seed_server + "search/")
    assert "needs JavaScript" in page.locator("main").inner_text()
    assert page.locator("main a[href='/countries/']").count() == 1


PAYLOADS = ['"><img src=x onerror=alert(1)>', "<svg/onload=alert(2)>", "&lt;img src=x onerror=alert(3)&gt;"]


@pytest.fixture(scope="module")
def hostile_search_site(tmp_path_factory):
    """An archive whose outlets, entity names and titles are payloads, built and served."""
    from .conftest import StaticServer, build

    content = tmp_path_factory.mktemp("hostile-search-content")
    for i, payload in enumerate(PAYLOADS):
        (content / f"h{i}.md").write_text(
            f"Title: Ministers meet {payload}\nDate: 2021-05-0{i + 1}\nSource: {payload}\n\n"
            "The defence ministers of Iran and Tajikistan met in Dushanbe on Monday to discuss border security "
            "with Sherali Mirzo and Amir Hatami.\n", encoding="utf-8")
    (content / "entities.toml").write_text('[rename]\n"Sherali Mirzo" = "<img src=x onerror=alert(4)>"\n',
                                           encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-search-site") / "output"
    build(content, out, out.parent / "cache")
    assert (out / "pagefind").is_dir()
    server = StaticServer(out)
    yield server.url + "/"
    server.close()


def test_payloads_in_outlets_entities_and_titles_never_run_on_the_search_page(watched, hostile_search_site):
    w = watched()
    dialogs: list[str] = []
    w.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _search(w.page, hostile_search_site, "ministers")
    w.page.evaluate("document.querySelectorAll('.na-filter').forEach(d => { d.open = true; })")
    for box in w.page.query_selector_all(".na-filter input"):
        box.check()
        w.page.wait_for_function(SEARCH_DONE, timeout=15000)
        box.uncheck()
    w.page.wait_for_timeout(300)
    assert dialogs == []
    assert w.page.query_selector_all("#na-search img, #na-search svg") == []  # Pagefind's own UI inserted these
    texts = " ".join(el.inner_text() for el in w.page.query_selector_all(".na-filter-value, .na-result"))
    assert "onerror=alert(1)" in texts  # shown as the text it is
