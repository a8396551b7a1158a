"""sitemap.xml: sorted, deterministic, lastmod only when known, URLs escaped and absolute under SITEURL."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from pelican.plugins.news_archive.site import sitemap

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_render_is_sorted_deterministic_and_omits_unknown_lastmod():
    entries = [sitemap.Entry("b/", "2021-04-06"), sitemap.Entry(""), sitemap.Entry("a/")]
    text = sitemap.render(entries, "https://example.org/archive/")
    assert text == sitemap.render(list(reversed(entries)), "https://example.org/archive/")
    root = ET.fromstring(text)
    urls = [(u.find(f"{NS}loc").text, getattr(u.find(f"{NS}lastmod"), "text", None)) for u in root]
    assert urls == [("https://example.org/archive/", None), ("https://example.org/archive/a/", None),
                    ("https://example.org/archive/b/", "2021-04-06")]


def test_duplicates_keep_the_newest_known_lastmod():
    text = sitemap.render([sitemap.Entry("x/", "2020-01-01"), sitemap.Entry("x/"), sitemap.Entry("x/", "2021-01-01")],
                          "")
    assert text.count("<loc>/x/</loc>") == 1 and "<lastmod>2021-01-01</lastmod>" in text


def test_urls_are_percent_encoded_and_xml_escaped():
    text = sitemap.render([sitemap.Entry("entity/café & co/")], "https://example.org")
    assert "<loc>https://example.org/entity/caf%C3%A9%20&amp;%20co/</loc>" in text
    ET.fromstring(text)


def test_seed_sitemap_lists_every_article_entity_and_country_page(seed_site, seed_archive):
    locs = {loc.text for loc in ET.parse(seed_site / "sitemap.xml").getroot().iter(f"{NS}loc")}
    expected = {"/" + a["url"] for a in seed_archive["articles"]}
    expected |= {"/" + e["url"] for e in seed_archive["entities"] if e["url"]}
    expected |= {"/" + c["url"] for c in seed_archive["countries"]}
    assert expected <= locs
    assert "/" in locs and "/search/" not in locs
