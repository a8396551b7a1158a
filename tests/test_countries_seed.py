"""The countries stage with the real model on the five seed articles, and the countries index of the seed site.

What a careful editor files each seed under:

- 000, 001, 003: the Tajik defence minister's visit to Tehran and his talks with Iran's defence minister and chief
  of staff — about Iran and Tajikistan; Afghanistan (and in 000 Iraq and Syria) only mentioned.
- 002: the Iranian chief of staff's visit to Dushanbe — about Tajikistan and Iran; Afghanistan, the security
  concern, is mentioned, and the Shanghai Cooperation Organization does not make it about China.
- 004: the Russian defence minister in Tehran — about Iran and Russia; Armenia, Georgia (the Caucasus country,
  not the US state), Azerbaijan, Turkey and the United States are mentioned.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import markdown
import pytest
from bs4 import BeautifulSoup
from pelican.plugins.news_archive.analysis.countries import countries_for
from pelican.plugins.news_archive.analysis.extraction.text import html_to_text
from pelican.plugins.news_archive.model import SourceDoc

from .conftest import ROOT, extract

EDITOR = {  # seed number → (focus, also mentioned)
    "000": ({"IR", "TJ"}, {"AF"}),
    "001": ({"IR", "TJ"}, {"AF"}),
    "002": ({"IR", "TJ"}, {"AF"}),
    "003": ({"IR", "TJ"}, {"AF"}),
    "004": ({"IR", "RU"}, {"AM", "AZ", "GE", "TR", "US"}),
}


def _from_markdown(path) -> SourceDoc:
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    meta = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head.splitlines())}
    return SourceDoc(key=path.stem, title=meta.get("title", ""), text=html_to_text(markdown.markdown(body)),
                     dateline=meta.get("dateline"))


def _from_seed(path) -> SourceDoc:
    """The raw seed, minimally: a leading "Place (AGENCY) -" is the dateline, the rest the text."""
    text = path.read_text(encoding="utf-8")
    m = re.match(r"\s*([A-Z][\w’' .]{1,40}?\s*\([A-Z]{2,6}\)\s*-)\s*", text)
    return SourceDoc(key=path.stem, title="", text=text[m.end():] if m else text, dateline=m.group(1) if m else None)


@pytest.fixture(scope="module")
def seeds(nlp):
    paths = sorted((ROOT / "content").glob("[0-9][0-9][0-9]_*.md"))
    docs = [_from_markdown(p) for p in paths] or [_from_seed(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    assert len(docs) == 5
    extractions = extract(docs, nlp)
    return {d.key[:3]: countries_for(extractions[d.key], d.dateline, d.title) for d in docs}


@pytest.mark.parametrize("seed", sorted(EDITOR))
def test_seed_is_filed_as_an_editor_would(seeds, seed):
    focus, mentioned = EDITOR[seed]
    refs = seeds[seed]
    assert {r.code for r in refs if r.focus} == focus
    assert mentioned <= {r.code for r in refs if not r.focus}


def test_focus_countries_come_first(seeds):
    for refs in seeds.values():
        flags = [r.focus for r in refs]
        assert flags == sorted(flags, reverse=True)


def test_georgia_in_004_is_the_caucasus_country(seeds):
    by = {r.code: r for r in seeds["004"]}
    assert "Georgia" in by["GE"].evidence
    assert "Georgia" not in by["US"].evidence


def test_shanghai_cooperation_organization_does_not_make_002_about_china(seeds):
    assert "CN" not in {r.code for r in seeds["002"]}


def test_istanbul_process_is_not_turkey(seeds):
    for seed in ("001", "003"):
        assert "TR" not in {r.code for r in seeds[seed]}


def test_regions_are_not_filed(seeds):
    for refs in seeds.values():
        for r in refs:
            assert not {"Central Asia", "the Middle East", "West Asia", "Caucasus"} & set(r.evidence)


def test_seed_site_countries_index_has_the_world_map(seed_site, seed_archive):
    html = (seed_site / "countries" / "index.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label")
    ns = "{http://www.w3.org/2000/svg}"
    hrefs = {a.get("href") for a in root.iter(f"{ns}a")}
    assert hrefs == {"/" + c["url"] for c in seed_archive["countries"]}
    iran = next(c for c in seed_archive["countries"] if c["code"] == "IR")
    assert iran["focus_articles"] == 5


def test_seed_site_article_lists_its_countries_with_flags(seed_site, seed_archive):
    article = next(a for a in seed_archive["articles"] if a["slug"].startswith("004"))
    html = (seed_site / article["url"] / "index.html").read_text(encoding="utf-8")
    # Georgia, mentioned once, links to its page, with its flag as an SVG image (no emoji) beside its name
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one('.country-list a[href="/country/georgia/"]')
    assert link is not None and link.get_text(" ", strip=True) == "Georgia"
    img = link.find("img")
    assert img["src"] == "/flags/ge.svg" and img["alt"] == ""
    assert (seed_site / "flags" / "ge.svg").read_bytes().startswith(b"<svg")
    assert not any(0x1F1E6 <= ord(ch) <= 0x1F1FF for ch in html)  # no regional-indicator (emoji flag) letters
    for page in ("countries/index.html", "index.html", "country/georgia/index.html"):
        text = (seed_site / page).read_text(encoding="utf-8")
        assert 'src="/flags/ge.svg"' in text and not any(0x1F1E6 <= ord(ch) <= 0x1F1FF for ch in text), page
    # only the flags of the archive's countries are published
    assert sorted(p.stem.upper() for p in (seed_site / "flags").iterdir()) == \
        sorted(c["code"] for c in seed_archive["countries"])
