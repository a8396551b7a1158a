"""The static SVG world map: valid SVG, a link per country page, escaping, shading, determinism."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from pelican.plugins.news_archive.site import worldmap
from pelican.plugins.news_archive.site.pages import CountryPage

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def render(counts, urls=None, names=None, focus=None) -> tuple[str, ET.Element]:
    urls = urls if urls is not None else {c: f"/country/{c.lower()}/" for c in counts}
    names = names if names is not None else {"IR": "Iran", "TJ": "Tajikistan", "US": "United States"}
    svg = worldmap.render(counts, urls, names, focus)
    return svg, ET.fromstring(svg)


def links(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("class").removeprefix("na-map-").upper(): a for a in root.iter(f"{SVG}a")}


def test_map_is_valid_accessible_svg():
    svg, root = render({"IR": 5, "TJ": 3})
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and "2 countries" in root.get("aria-label")
    assert root.find("svg:title", NS).text == root.get("aria-label")
    assert "na-world-map" in root.get("class")
    assert len(root.get("viewBox").split()) == 4
    assert "<script" not in svg and "javascript:" not in svg and " on" not in svg.replace(" one", "")


def test_countries_with_pages_are_links_with_name_and_count():
    _, root = render({"IR": 5, "TJ": 1, "US": 2}, focus={"IR": 4, "TJ": 1, "US": 0})
    found = links(root)
    assert set(found) == {"IR", "TJ", "US"}
    assert found["IR"].get("href") == "/country/ir/"
    assert found["IR"].find("svg:title", NS).text == "Iran: 5 articles, 4 about it"
    assert found["TJ"].find("svg:title", NS).text == "Tajikistan: 1 article, 1 about it"
    assert found["US"].find("svg:title", NS).text == "United States: 2 articles"
    assert found["IR"].find("svg:g/svg:path", NS) is not None


def test_countries_without_articles_or_page_are_drawn_but_not_linked():
    _, root = render({"IR": 5, "TJ": 2}, urls={"IR": "/country/iran/"})
    assert set(links(root)) == {"IR"}
    # Tajikistan has articles but no page here: drawn, shaded, never a dead link
    tj = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "na-map-tj")
    assert tj.get("fill") != worldmap.EMPTY_FILL
    fr = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "na-map-fr")
    assert fr.get("fill") == worldmap.EMPTY_FILL and fr.get("aria-hidden") == "true"


def test_everything_is_escaped():
    name = 'Iran <script>alert("x")</script> & Co'
    url = '/country/ir"><script>x</script>/?a=1&b=2'
    svg, root = render({"IR": 1}, urls={"IR": url}, names={"IR": name}, focus={"IR": 0})
    assert "<script>" not in svg
    a = links(root)["IR"]
    assert a.get("href") == url
    assert a.find("svg:title", NS).text == f"{name}: 1 article"
    svg2, root2 = render({"IR": 1}, urls={"IR": "/x"}, names={}, focus=None)
    assert links(root2)["IR"].find("svg:title", NS).text == "IR: 1 article"


def test_shading_grows_with_the_article_count():
    assert worldmap.shade(0, 10) == worldmap.EMPTY_FILL
    shades = [worldmap.shade(n, 100) for n in (1, 5, 20, 100)]
    order = list(worldmap.PALETTE)
    assert [order.index(s) for s in shades] == sorted(order.index(s) for s in shades)
    assert shades[0] != shades[-1]
    assert worldmap.shade(1, 1) == worldmap.PALETTE[-1]
    for maximum in (1, 2, 3, 7, 10, 99, 1000):
        buckets = worldmap._buckets(maximum)
        assert buckets[0][0] == 1 and buckets[-1][1] == maximum
        assert all(a[1] + 1 == b[0] for a, b in zip(buckets, buckets[1:], strict=False))
        assert all(worldmap.shade(n, maximum) != worldmap.EMPTY_FILL for n in range(1, maximum + 1))


def test_legend_is_html_that_lists_the_shades_and_the_hatching():
    key = worldmap.legend({"IR": 40, "TJ": 2, "AF": 3}, {"IR": 40, "TJ": 2, "AF": 0})
    items = [li.split("</span>", 1)[1] for li in key.split("<li>")[1:]]
    assert items[0].startswith("1 article about") and "–40 articles about" in items[-3]
    assert items[-2].startswith("only mentioned") and items[-1].startswith("no article")
    # without a country only mentioned, no hatching is explained
    assert "only mentioned" not in worldmap.legend({"IR": 4}, {"IR": 4})
    assert worldmap.legend({}) == ""


def test_a_country_only_mentioned_is_hatched_apart_from_the_shades_of_subjects():
    _, root = render({"IR": 5, "AF": 4, "TJ": 1}, focus={"IR": 5, "AF": 0, "TJ": 1})
    fills = {code: a.find("svg:g", NS).get("fill") for code, a in links(root).items()}
    assert fills["AF"] == worldmap.MENTIONED_FILL
    assert fills["IR"] in worldmap.PALETTE and fills["TJ"] in worldmap.PALETTE
    assert fills["IR"] != fills["TJ"]  # shaded by the articles about it: 5 against 1
    assert root.find(f".//svg:pattern[@id='{worldmap.MENTIONED_ID}']", NS) is not None


def test_output_is_deterministic_whatever_the_input_order():
    a = worldmap.render({"IR": 5, "TJ": 3, "US": 1}, {"US": "/u", "IR": "/i", "TJ": "/t"}, {"IR": "Iran"})
    b = worldmap.render({"US": 1, "TJ": 3, "IR": 5}, {"TJ": "/t", "IR": "/i", "US": "/u"}, {"IR": "Iran"})
    assert a == b


def test_small_countries_get_a_dot_when_they_have_articles():
    _, root = render({"SG": 2}, names={"SG": "Singapore"})
    assert links(root)["SG"].find(".//svg:circle", NS) is not None


def test_empty_archive_still_draws_the_world():
    svg, root = render({})
    assert not links(root) and root.find(".//svg:path", NS) is not None
    assert "na-map-legend" not in svg


def test_for_pages_links_like_the_list_beside_it():
    page = CountryPage(code="IR", name="Iran", slug="iran", flag="", url="country/iran/",
                       save_as="country/iran/index.html", feed_url="", feed_save_as="",
                       focus_articles=("a", "b"), mention_articles=("c",))
    markup = worldmap.for_pages([page], "..")
    assert markup.startswith('<div class="na-map-frame"><svg') and markup.endswith("</ul>")
    root = ET.fromstring(markup[markup.index("<svg"):markup.index("</svg>") + 6])
    a = links(root)["IR"]
    assert a.get("href") == "../country/iran/"
    assert a.find("svg:title", NS).text == "Iran: 3 articles, 2 about it"


def test_shapes_are_simplified_once_and_small():
    box, paths, dots = worldmap.shapes()
    assert worldmap.shapes() is worldmap.shapes()
    codes = {c for c, _ in paths}
    assert {"IR", "TJ", "US", "GE", "RU", "BR"} <= codes and "AQ" not in codes
    assert sum(len(d) for _, d in paths) < 200_000


def test_the_map_data_is_part_of_the_key_of_the_pages_that_show_it(monkeypatch):
    from types import SimpleNamespace

    from pelican.plugins.news_archive.build.keys import canonical
    from pelican.plugins.news_archive.edge.views import WorldMap
    from pelican.plugins.news_archive.site import worldmap as wm

    shown = WorldMap(SimpleNamespace(country_pages={}), "/")
    before = canonical(shown)
    assert wm.data_digest()  # the installed map data is found and digested
    monkeypatch.setattr(wm, "data_digest", lambda: "another release of the map data")
    assert canonical(shown) != before
