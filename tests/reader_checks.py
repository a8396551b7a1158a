"""What a reader checks on a built archive, in a real browser: story, article, entity and country pages, coverage
charts, quotations, flags, search and feeds. Shared by the browser tests (the seed site, tests/test_browser_reader.py)
and benchmarks/reader_check.py (1,500 Reuters articles), so both look at a site the same way.

Every expected value is worked out here from the *articles* of archive.json (who names whom, which article is
filed where, its date and outlet), not read from the count a page prints, so a wrong count on a page fails. Each
check takes a Playwright page already at the page it checks and raises AssertionError saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urljoin, urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
WEEKS_UP_TO_DAYS = 183  # the README's rule: a span of at most 183 days is counted per week, else per month


class Archive:
    """archive.json with the indexes the checks need, all built from its articles."""

    def __init__(self, data: dict):
        self.data = data
        self.articles = {a["url"]: a for a in data["articles"]}
        self.by_slug = {a["slug"]: a for a in data["articles"]}
        self.entities = {e["slug"]: e for e in data["entities"]}
        self.countries = {c["code"]: c for c in data["countries"]}
        self.stories = {s["slug"]: s for s in data.get("stories", [])}
        self.naming: dict[str, set[str]] = {}  # entity slug → urls of the articles naming it
        self.focus: dict[str, set[str]] = {}  # country code → urls of articles about it
        self.mention: dict[str, set[str]] = {}  # country code → urls of articles only mentioning it
        for a in data["articles"]:
            for e in a["entities"]:
                self.naming.setdefault(e["slug"], set()).add(a["url"])
            for c in a["countries"]:
                (self.focus if c["focus"] else self.mention).setdefault(c["code"], set()).add(a["url"])

    def date(self, url: str) -> str | None:
        return self.articles[url]["date"]

    def filed(self, code: str) -> set[str]:
        """Urls of the articles filed under a country, about it or mentioning it."""
        return self.focus.get(code, set()) | self.mention.get(code, set())

    def story_urls(self, story: dict) -> list[str]:
        return [r["url"] for r in story["reports"]]


def path_of(href: str, base: str) -> str:
    """A link as a path relative to the site root ("articles/x/"), whatever form SITEURL gave it."""
    absolute = urljoin(base, href)
    root = urlsplit(base).path
    return urlsplit(absolute).path.removeprefix(root).lstrip("/")


def words(text: str) -> str:
    return " ".join(text.split())


def newest_first(dates: list[str | None]) -> bool:
    dated = [d for d in dates if d]
    return dates == [*dated, *[None] * (len(dates) - len(dated))] and dated == sorted(dated, reverse=True)


def in_time_order(dates: list[str | None]) -> bool:
    dated = [d for d in dates if d]
    return dates == [*dated, *[None] * (len(dates) - len(dated))] and dated == sorted(dated)


def no_sideways_scroll(page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what}: the page scrolls sideways by {overflow}px at {page.viewport_size['width']}px"


def links(page, selector: str, base: str) -> list[str]:
    return [path_of(a.get_attribute("href"), base) for a in page.locator(selector).all()]


def counted_names(page, container: str, base: str) -> dict[str, tuple[str | None, int]]:
    """Name → (linked path or None, count shown) of the `.na-count-list` items inside ``container``."""
    shown = {}
    for li in page.locator(f"{container} li".strip()).all():
        link = li.locator("a")
        href = path_of(link.first.get_attribute("href"), base) if link.count() else None
        name = words(link.first.inner_text() if link.count() else li.locator("span").first.inner_text())
        shown[name] = (href, int(li.locator(".na-count").inner_text()))
    return shown


def _bucket(day: dt.date, unit: str) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if unit == "week" else day.replace(day=1)


def coverage(page, dates: list[str | None], what: str) -> None:
    """The coverage section: an SVG with role=img and a title, a table hidden from sight but not from screen
    readers whose rows count the dated articles per week or month, the undated counted apart."""
    section = page.locator("section.na-coverage")
    dated = [dt.date.fromisoformat(d[:10]) for d in dates if d]
    undated = len(dates) - len(dated)
    if not dates:
        assert section.count() == 0, what
        return
    assert section.count() == 1, f"{what}: no coverage section"
    if not dated:
        assert "No article here is dated" in section.inner_text() and str(undated) in section.inner_text(), what
        assert section.locator("svg").count() == 0, f"{what}: a chart of undated articles"
        return
    svg = section.locator("svg[role=img]")
    assert svg.count() == 1, f"{what}: no svg role=img"
    title = svg.locator(":scope > title")
    assert title.count() == 1 and words(title.text_content()), f"{what}: the chart has no title"
    assert title.get_attribute("id") in (svg.get_attribute("aria-labelledby") or "").split(), what
    box = svg.bounding_box()
    width = page.viewport_size["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["width"] >= min(300, width * 0.7), \
        f"{what}: chart box {box} at {width}px"
    table = section.locator("table")
    assert table.count() == 1, f"{what}: no table for screen readers"
    # hidden from sight only: still in the accessibility tree (not display:none, visibility:hidden or aria-hidden)
    hidden = table.evaluate("""t => { const s = getComputedStyle(t), b = t.getBoundingClientRect();
        const clipped = s.position === 'absolute' && (/rect\\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\\)/.test(s.clip)
                        || s.clipPath.startsWith('inset(50%'));
        return [clipped || (b.width <= 1 && b.height <= 1), s.display !== 'none' && s.visibility !== 'hidden'
                && !t.closest('[aria-hidden=true]')]; }""")
    assert hidden == [True, True], f"{what}: the table is not hidden from sight only: {hidden}"
    unit = "week" if (max(dated) - min(dated)).days <= WEEKS_UP_TO_DAYS else "month"
    assert f"per {unit}" in table.locator("caption").text_content(), f"{what}: not counted per {unit}"
    expected = Counter(_bucket(d, unit).isoformat() for d in dated)
    rows = {}
    for row in table.locator("tbody tr").all():
        head, cell = row.locator("th"), row.locator("td")
        key = head.locator("time").get_attribute("datetime") if head.locator("time").count() else "undated"
        rows[key] = int(cell.text_content())
    if undated:
        expected["undated"] = undated
    assert rows == dict(expected), f"{what}: table {rows} != articles {dict(expected)}"


def flags(page, what: str) -> int:
    """Every flag is a loaded SVG image with alt="" and the country's name written beside it; no emoji flags."""
    imgs = page.locator("img.flag, img.na-flag").all()
    for img in imgs:
        assert img.get_attribute("alt") == "" and img.get_attribute("src").endswith(".svg"), what
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), f"{what}: {img.get_attribute('src')} not loaded"
        assert img.evaluate("i => i.parentElement.textContent.trim().length > 2"), f"{what}: a flag without a name"
    assert not page.evaluate(r"/[\u{1F1E6}-\u{1F1FF}]/u.test(document.body.innerText)"), f"{what}: emoji flag"
    return len(imgs)


def story_page(page, base: str, arc: Archive, story: dict) -> None:
    what = "story " + story["url"]
    assert words(page.locator("h1").inner_text()) == words(story["headline"]), what
    reports = page.locator("ol.na-reports > li").all()
    urls = [path_of(li.locator("a.na-article-title").get_attribute("href"), base) for li in reports]
    assert sorted(urls) == sorted(u for u in arc.articles if arc.articles[u]["story"] == story["slug"]), what
    assert in_time_order([arc.date(u) for u in urls]), f"{what}: reports not in time order"
    summary = page.locator(".na-summary").inner_text()
    assert f"{len(urls)} report" in summary, what
    dates = sorted(d[:10] for d in (arc.date(u) for u in urls) if d)
    shown = [t.get_attribute("datetime")[:10] for t in page.locator(".na-summary time").all()]
    assert shown == (dates[:1] + dates[-1:] if dates and dates[0] != dates[-1] else dates[:1]), (what, shown)
    outlets = {arc.articles[u]["source"] for u in urls} - {None}
    assert all(o in summary for o in outlets), f"{what}: outlets missing in {summary!r}"
    assert ("outlet is unknown" in summary or not outlets) == any(arc.articles[u]["source"] is None for u in urls), what
    info = {r["url"]: r for r in story["reports"]}
    for li, url in zip(reports, urls, strict=True):
        text = words(li.inner_text())
        source = arc.articles[url]["source"]
        assert (source or "outlet unknown") in text, f"{what}: {url} outlet"
        syndicated = info[url]["syndicated"]
        assert ("na-syndicated" in li.get_attribute("class")) == syndicated == ("Syndicated copy" in text), (what, url)
        if syndicated:
            assert f"{int(info[url]['shared_text'] * 100)}% of its text" in text, (what, url, text)
    names = counted_names(page, "aside.na-side", base)
    for e in story["entities"]:
        if e["type"] in ("PERSON", "ORG"):
            naming = sum(1 for u in urls if u in arc.naming.get(e["slug"], ()))
            assert names.get(e["name"], (None, -1))[1] == naming, f"{what}: {e['name']} {names.get(e['name'])} " \
                                                                   f"!= {naming} reports naming"
            assert names[e["name"]][0] == (e["url"] or None), f"{what}: {e['name']} link"
    for c in story["countries"]:
        filed = sum(1 for u in urls if u in arc.filed(c["code"]))
        name = arc.countries[c["code"]]["name"]
        assert names.get(name, (None, -1)) == (arc.countries[c["code"]]["url"], filed), (what, name, names.get(name))
    coverage(page, [arc.date(u) for u in urls], what)
    no_sideways_scroll(page, what)


def article_page(page, base: str, arc: Archive, article: dict) -> None:
    """An article links to its story (or to none) and shows its quotations as quote blocks."""
    what = "article " + article["url"]
    story = page.locator("p.article-story a")
    if article["story"]:
        target = arc.stories[article["story"]]
        assert story.count() == 1 and path_of(story.get_attribute("href"), base) == target["url"], what
        assert words(story.inner_text()) == words(target["headline"]), what
    else:
        assert story.count() == 0, f"{what}: links a story it is not part of"
    figures = page.locator("section.quotes figure.quote").all()
    assert len(figures) == len(article["quotes"]), f"{what}: {len(figures)} quote blocks, {len(article['quotes'])}"
    for fig, q in zip(figures, article["quotes"], strict=True):
        assert fig.locator("blockquote").count() == 1, what
        assert words(fig.locator("blockquote").inner_text()) == words(q["text"]), what
        assert q["name"] in fig.locator("figcaption").inner_text(), what
        link = fig.locator("figcaption a")
        assert (path_of(link.get_attribute("href"), base) if link.count() else None) == q["url"], what
    for c in article["countries"]:
        assert page.locator(f'section.countries a[href$="/{c["url"]}"]').count() >= 1, f"{what}: {c['name']} chip"
    flags(page, what)
    no_sideways_scroll(page, what)


def entity_page(page, base: str, arc: Archive, entity: dict) -> None:
    """Articles and stories naming the entity, counted as archive.json's articles say; the person's quotations,
    newest first, each linking to its article; its coverage."""
    what = "entity " + entity["url"]
    slug = entity["slug"]
    assert words(page.locator("h1").inner_text()) == words(entity["name"]), what
    naming = arc.naming.get(slug, set())
    n = len(naming)
    assert f"Named in {n} article{'s' if n != 1 else ''}" in page.locator(".na-summary").inner_text(), what
    listed = links(page, "section[aria-labelledby=na-articles-h] > ul.na-articles a.na-article-title", base)
    assert sorted(listed) == sorted(naming), f"{what}: articles listed != articles naming it"
    assert newest_first([arc.date(u) for u in listed]), f"{what}: articles not newest first"
    stories = sorted(s["url"] for s in arc.stories.values() if any(u in naming for u in arc.story_urls(s)))
    assert sorted(links(page, "ul.na-stories a.na-article-title", base)) == stories, f"{what}: stories"
    if stories:
        assert int(page.locator('[title="stories naming it"]').inner_text()) == len(stories), what
    said = [(a["url"], q["text"]) for a in arc.data["articles"] for q in a["quotes"] if q["slug"] == slug]
    figures = page.locator("section.na-quotes figure.quote").all()
    shown = [(path_of(f.locator("figcaption a").get_attribute("href"), base),
              words(f.locator("blockquote").inner_text())) for f in figures]
    assert sorted(shown) == sorted((u, words(t)) for u, t in said), f"{what}: quotations"
    assert newest_first([arc.date(u) for u, _ in shown]), f"{what}: quotations not newest first"
    coverage(page, [arc.date(u) for u in naming], what)
    no_sideways_scroll(page, what)


def country_page(page, base: str, arc: Archive, country: dict) -> list[str]:
    """People, organisations, stories, coverage and feed of a country page; returns the feeds it links."""
    what = "country " + country["url"]
    code = country["code"]
    assert country["name"] in page.locator("h1").inner_text(), what
    assert page.locator("h1 img.na-flag").count() == 1, f"{what}: no flag"
    focus, mention = arc.focus.get(code, set()), arc.mention.get(code, set())
    summary = words(page.locator(".na-summary").inner_text())
    assert summary.startswith(f"{len(focus)} article") and f"{len(mention)} more mentioning" in summary, what
    assert sorted(links(page, "section[aria-labelledby=na-focus-h] a.na-article-title", base)) == sorted(focus), what
    assert sorted(links(page, "section[aria-labelledby=na-mention-h] a.na-article-title", base)) == sorted(mention)
    counted = Counter(e["slug"] for u in (focus or mention) for e in arc.articles[u]["entities"])
    by_url = {e["url"]: s for s, e in arc.entities.items() if e["url"]}
    for column in page.locator(".na-country-names .na-columns > div").all():
        kind = {"People": "PERSON", "Organisations": "ORG"}[column.locator("h3").text_content().strip()]
        got = {by_url[href]: n for href, n in counted_names(column, "", base).values()}
        assert got and all(arc.entities[s]["type"] == kind for s in got), f"{what}: {kind} {got}"
        assert all(counted[s] == n for s, n in got.items()), f"{what}: {kind} counts {got}"
        left_out = [counted[s] for s in counted if s not in got and arc.entities[s]["type"] == kind
                    and arc.entities[s]["url"]]
        assert max(left_out, default=0) <= min(got.values()), f"{what}: a {kind} named more often is left out"
    kinds = {arc.entities[s]["type"] for s in counted if arc.entities[s]["url"]} & {"PERSON", "ORG"}
    assert page.locator(".na-country-names h3").count() == len(kinds), f"{what}: people/organisations missing"
    stories = sorted(s["url"] for s in arc.stories.values() if any(u in focus for u in arc.story_urls(s)))
    assert sorted(links(page, "ul.na-stories a.na-article-title", base)) == stories, f"{what}: stories"
    coverage(page, [arc.date(u) for u in focus | mention], what)
    feeds = links(page, "a.na-feed", base)
    alternate = links(page, 'link[rel=alternate][type="application/atom+xml"]', base)
    has_dated = any(arc.date(u) for u in focus | mention)
    assert (len(feeds) == 1) == has_dated and (feeds[0] in alternate if feeds else True), f"{what}: feed link"
    flags(page, what)
    no_sideways_scroll(page, what)
    return feeds


def feed(base: str, path: str, arc: Archive) -> int:
    """The feed at ``path`` exists, parses as Atom, and every entry is dated and links an article of the
    archive; returns its number of entries."""
    with urllib.request.urlopen(urljoin(base, path), timeout=30) as response:
        root = ET.fromstring(response.read())
    assert root.tag == ATOM + "feed", f"{path}: not an Atom feed"
    entries = root.findall(ATOM + "entry")
    assert entries, f"{path}: no entries"
    updated = root.findtext(ATOM + "updated") or ""
    assert not updated.startswith("1970"), f"{path}: updated {updated}"
    for entry in entries:
        stamp = entry.findtext(ATOM + "updated") or entry.findtext(ATOM + "published")
        assert stamp and dt.datetime.fromisoformat(stamp), f"{path}: an entry without a date"
        href = entry.find(ATOM + "link").get("href")
        assert path_of(href, base) in arc.articles, f"{path}: entry links {href}"
    return len(entries)


SEARCH_DONE = "() => { const l = document.querySelector('.na-results'); return !!l && l.dataset.state === 'done'; }"


def search(page, base: str, arc: Archive, entity: dict) -> int:
    """The search page, asked for an entity's name, finds every article naming it (reading on with "More
    results" as a reader would); each result shows the article's date (or "Date unknown") and outlet. Returns the
    number of results read."""
    from urllib.parse import quote

    what = f"search {entity['name']!r}"
    page.goto(f"{base}search/?q={quote(entity['name'])}", wait_until="load")
    page.wait_for_function(SEARCH_DONE, timeout=30000)
    expected = arc.naming.get(entity["slug"], set())
    for _ in range(50):
        found = set(links(page, ".na-result-link", base))
        more = page.locator(".na-more")
        if expected <= found or not more.is_visible():
            break
        count = page.locator(".na-result").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.na-result').length > {count}", timeout=30000)
    assert expected <= found, f"{what}: {len(expected - found)} of its {len(expected)} articles not found"
    for result in page.locator(".na-result").all()[:20]:
        article = arc.articles[path_of(result.locator(".na-result-link").get_attribute("href"), base)]
        facts = result.locator(".na-result-meta").inner_text()
        assert ("Date unknown" if article["date"] is None else article["date"][:4]) in facts, (what, facts)
        assert not article["source"] or article["source"] in facts, (what, facts)
    return len(found)
