"""Property-based tests (hypothesis): random article text and metadata through every pure stage.

No crash, no unescaped markup in anything written, no slug that could leave the output folder. spaCy itself is
not in the loop (it is exercised by the end-to-end tests); the stages after it get random mentions.
"""

from __future__ import annotations

import json
import re
from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.plugins.news_archive.analysis.canonicalise import canonicalise
from pelican.plugins.news_archive.analysis.countries import file_countries
from pelican.plugins.news_archive.analysis.extraction.text import html_to_text
from pelican.plugins.news_archive.analysis.relate import relate
from pelican.plugins.news_archive.model import Extraction, Mention
from pelican.plugins.news_archive.site.export import safe_json
from pelican.plugins.news_archive.site.sanitise import sanitise_html
from pelican.plugins.news_archive.slugs import slugify

LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART"]
nasty_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from([
    "</script><script>alert(1)</script>", "<!--", "../../etc/passwd", "\\..\\x", "Amir\nHatami", "   ",
    "\u2028", "O'Brien \"Jr\"", "AC/DC", "&amp;lt;", "Iran", "Georgia", "Brigadier General", "الرئيس",
])


@st.composite
def extractions(draw):
    keys = draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True), min_size=1, max_size=6,
                         unique=True))
    out = {}
    for key in keys:
        mentions = []
        for i in range(draw(st.integers(0, 8))):
            text = draw(nasty_text)
            mentions.append(Mention(text=text, label=draw(st.sampled_from(LABELS)), start=i * 10,
                                    end=i * 10 + len(text), sent=i, in_title=draw(st.booleans()),
                                    prev=tuple(draw(st.lists(nasty_text, max_size=3)))))
        terms = tuple(draw(st.lists(st.sampled_from(["iran", "oil", "talk", "visit", "army"]), max_size=10)))
        out[key] = Extraction(key=key, mentions=tuple(mentions), terms=terms, lede_end=50, n_sents=3)
    return out


@given(nasty_text)
def test_slugs_are_safe(name):
    slug = slugify(name)
    # One path component at most: word characters and single hyphens, nothing that climbs out of a folder.
    assert slug == "" or re.fullmatch(r"\w+(?:-\w+)*", slug, re.ASCII)
    assert len(slug) <= 80 and "/" not in slug and not slug.startswith(".")


@given(extractions(), st.dictionaries(st.text(max_size=5), st.one_of(st.none(), nasty_text)))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_stages_never_crash_and_stay_consistent(exs, datelines):
    index = canonicalise(exs, sources={k: datelines.get(k) for k in exs})
    for refs in index.by_article.values():
        for ref in refs:
            entity = index.entities[ref.slug]
            assert re.fullmatch(r"[a-z0-9_-]+", entity.slug)
            assert entity.name.strip() and "\n" not in entity.name
    countries = file_countries(exs, {k: datelines.get(k) for k in exs})
    for refs in countries.values():
        assert all(re.fullmatch(r"[A-Z]{2}", c.code) for c in refs)
    names = {slug: e.name for slug, e in index.entities.items()}
    related = relate(exs, index.by_article, {k: None for k in exs}, names)
    for key, refs in related.items():
        assert all(r.key in exs and r.key != key for r in refs)
    text = safe_json({"names": sorted(names.values()), "countries": {k: [c.code for c in v]
                                                                      for k, v in countries.items()}})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert sorted(json.loads(text)["names"]) == sorted(names.values())


@given(st.text(max_size=300))
def test_html_to_text_and_sanitiser_never_crash(html):
    assert isinstance(html_to_text(html), str)
    sanitise_html(html)
    assert not re.search(r"<\s*script\b", sanitise_html(f"<p>{html}</p><script>x()</script>")[0], re.I)


@given(nasty_text, nasty_text)
def test_sanitiser_removes_active_content_around_any_text(before, after):
    html = (f"<p>{escape(before)}</p><iframe src='x'></iframe>"
            f"<a href='javascript:alert(1)' onclick='x()'>{escape(after)}</a>")
    clean, removed = sanitise_html(html)
    assert removed
    assert not re.search(r"<\s*iframe|javascript:|onclick", clean, re.I)


@pytest.mark.parametrize("html", ["<SCRIPT>alert(1)</SCRIPT>", "<p OnClick='x()'>a</p>",
                                  "<a HREF='JavaScript:x()'>a</a>", "<IFrame src='x'></IFrame>",
                                  "<p>\n<Svg><A xlink:href='VBScript:x'>a</A></Svg>"])
def test_sanitiser_finds_active_content_in_any_case(html):
    clean, removed = sanitise_html(html)
    assert removed, html
    assert not re.search(r"<\s*(script|iframe)|javascript:|vbscript:|onclick", clean, re.I)
