"""Story pages and coverage over time: the pure parts (groups, syndicated share, headline rule, story addresses,
the coverage chart) with plain data, and a living archive of real builds (a story page appears, keeps its address
when a report is added, and leaves an honest notice when its group dissolves)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pelican.plugins.news_archive.model import ArticleInfo, RelatedRef
from pelican.plugins.news_archive.site import addresses as addr
from pelican.plugins.news_archive.site import coverage, stories

from .conftest import ROOT, build
from .test_living_archive import assert_same_as_clean, clean_build


def info(key: str, date: str | None = None, source: str | None = None) -> ArticleInfo:
    return ArticleInfo(key=key, title=key, url=f"articles/{key}/", date=date, source_path=f"{key}.md", source=source)


# -- groups, order, share, headline -----------------------------------------------------------------------------
def test_groups_are_the_connected_same_story_links_and_ignore_plain_related_links():
    related = {"a": [RelatedRef("b", 0.9, same_story=True), RelatedRef("x", 0.5)],
               "b": [RelatedRef("c", 0.8, same_story=True)], "x": [RelatedRef("y", 0.4)]}
    assert stories.groups(related) == [frozenset({"a", "b", "c"})]


def test_time_order_puts_undated_reports_last_and_never_dates_them():
    infos = {"a": info("a"), "b": info("b", "2024-03-02T10:00:00"), "c": info("c", "2024-03-01T09:00:00")}
    assert stories.time_order(["a", "b", "c"], infos) == ["c", "b", "a"]


def test_syndicated_share_is_the_exact_share_of_five_word_sequences_found_in_an_earlier_report():
    original = " ".join(f"word{i}" for i in range(100))
    copy = " ".join(f"word{i}" for i in range(50)) + " " + " ".join(f"other{i}" for i in range(50))
    unrelated = " ".join(f"else{i}" for i in range(60))
    got = stories.reports(["o", "c", "u"], {"o": original, "c": copy, "u": unrelated})
    assert got[0].copy_of is None and not got[0].syndicated
    # copy: 96 shingles, of which the 46 entirely inside word0..word49 are in the original
    assert got[1].copy_of == "o" and got[1].share == round(46 / 96, 4) and not got[1].syndicated
    assert got[2].share == 0 and got[2].copy_of is None
    whole = stories.reports(["o", "w"], {"o": original, "w": original + " signed off"})
    assert whole[1].syndicated and whole[1].share > 0.95


def test_headline_is_the_one_most_reports_carry_and_a_derived_one_counts_only_when_no_report_has_its_own():
    order = ["a", "b", "c", "d"]
    titles = {"a": "Early lede…", "b": "Quake hits city", "c": "Strong quake hits city", "d": "quake hits city "}
    assert stories.headline(order, titles, frozenset({"a"})) == ("Quake hits city", "b")
    assert stories.headline(["b", "c"], titles, frozenset()) == ("Quake hits city", "b")  # a tie: the earliest
    assert stories.headline(["a"], titles, frozenset({"a"})) == ("Early lede…", "a")


# -- addresses ------------------------------------------------------------------------------------------------------
def test_a_story_keeps_its_address_when_a_report_is_added_and_its_headline_changes():
    first = addr.assign_stories(addr.AddressBook(), [frozenset({"a", "b"})], ["Quake hits city"])
    assert first.address == ["quake-hits-city"]
    book = addr.AddressBook(stories=first.records)
    again = addr.assign_stories(book, [frozenset({"a", "b", "c"})], ["Death toll rises"])
    assert again.address == ["quake-hits-city"]
    assert again.records["quake-hits-city"].reports == ("a", "b", "c")
    assert again.records["quake-hits-city"].headline == "Quake hits city"  # the slug's headline is kept
    assert addr.parse(addr.render(addr.AddressBook(stories=again.records))).stories == again.records


def test_merged_stories_redirect_and_a_dissolved_one_is_gone():
    book = addr.AddressBook(stories=addr.assign_stories(
        addr.AddressBook(), [frozenset({"a", "b"}), frozenset({"c", "d", "e"})], ["One", "Two"]).records)
    merged = addr.assign_stories(book, [frozenset({"a", "b", "c", "d", "e"})], ["Two"])
    assert merged.address == ["two"] and merged.state["one"] == addr.MOVED and merged.target["one"] == "two"
    dissolved = addr.assign_stories(book, [frozenset({"c", "d"})], ["Two"])
    assert dissolved.state["one"] == addr.GONE and dissolved.state["two"] == addr.LIVE


def test_a_book_without_stories_keeps_its_text():
    book = addr.AddressBook(countries={"IR": "iran"})
    assert "stories" not in json.loads(addr.render(book))


# -- coverage -------------------------------------------------------------------------------------------------------
def test_coverage_counts_per_week_over_a_short_span_with_empty_weeks_and_undated_apart():
    cov = coverage.coverage(["2024-03-04T10:00:00", "2024-03-06", "2024-03-20", None, None])
    assert cov.unit == "week" and cov.undated == 2 and cov.dated == 3
    assert [(b.start, b.count) for b in cov.buckets] == [("2024-03-04", 2), ("2024-03-11", 0), ("2024-03-18", 1)]


def test_coverage_counts_per_month_over_a_long_span():
    cov = coverage.coverage(["2023-01-31", "2023-12-01", "2023-12-31"])
    assert cov.unit == "month" and len(cov.buckets) == 12
    assert cov.buckets[0].count == 1 and cov.buckets[-1].count == 2 and sum(b.count for b in cov.buckets) == 3


def test_the_chart_is_labelled_escaped_deterministic_and_never_places_an_undated_article():
    dates = ["2024-03-04", "2024-03-05", None]
    one = coverage.svg(coverage.coverage(dates), "cv", "Articles naming <b>&</b>")
    assert one == coverage.svg(coverage.coverage(list(dates)), "cv", "Articles naming <b>&</b>")
    assert 'role="img"' in one and 'aria-labelledby="cv-title cv-desc"' in one
    assert '<title id="cv-title">Articles naming &lt;b&gt;&amp;&lt;/b&gt;</title>' in one
    assert "1 undated article is not on the chart" in one and one.count("<rect") == 1
    assert coverage.svg(coverage.coverage([None]), "cv", "x") == ""
    assert not re.search(r"\d\.\d{3}", one)  # fixed notation: no float noise in the bytes


# -- a living archive -----------------------------------------------------------------------------------------------
SEED = ROOT / "content"


@pytest.fixture()
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(SEED, folder)
    (folder / "addresses.json").unlink()
    return folder


def archive(out: Path) -> dict:
    return json.loads((out / "archive.json").read_text(encoding="utf-8"))


def test_a_story_page_appears_updates_when_a_report_is_added_and_leaves_a_notice_when_it_dissolves(tmp_path, content):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    data = archive(out)
    assert len(data["stories"]) == 1
    story = data["stories"][0]
    members = [r["slug"] for r in story["reports"]]
    assert len(members) >= 2 and all(a["story"] == story["slug"] for a in data["articles"] if a["slug"] in members)
    page = (out / story["url"] / "index.html").read_text(encoding="utf-8")
    assert "Reports, in time order" in page and "Iran Press" in page
    article = (out / data["articles"][0]["url"] / "index.html").read_text(encoding="utf-8") \
        if data["articles"][0]["slug"] in members else \
        next((out / a["url"] / "index.html").read_text(encoding="utf-8") for a in data["articles"]
             if a["slug"] in members)
    assert f'href="/{story["url"]}"' in article
    # counts on entity pages match archive.json: articles and stories
    for e in data["entities"]:
        if e["url"] and e["stories"]:
            html = (out / e["url"] / "index.html").read_text(encoding="utf-8")
            assert f"Named in {e['articles']} article" in html
            assert f'title="stories naming it">{e["stories"]}<' in html
            assert sum(1 for s in data["stories"] if any(x["slug"] == e["slug"] for x in s["entities"])) \
                == e["stories"]

    # a syndicated copy from another outlet joins the story; the address stays
    original = content / f"{members[0]}.md"
    text = original.read_text(encoding="utf-8")
    copy = re.sub(r"^Slug: .*$", "Slug: zz-copy", text, flags=re.M)
    copy = re.sub(r"^Source: .*$", "Source: Copy Agency", copy, flags=re.M) if "Source:" in copy else \
        copy.replace("Slug: zz-copy", "Slug: zz-copy\nSource: Copy Agency")
    (content / "zz-copy.md").write_text(copy, encoding="utf-8")
    build(content, out, cache)
    after = archive(out)["stories"]
    assert [s["slug"] for s in after] == [story["slug"]]
    added = next(r for r in after[0]["reports"] if r["slug"] == "zz-copy")
    assert added["syndicated"] and added["shared_text"] >= 0.95 and "Copy Agency" in after[0]["outlets"]
    page = (out / story["url"] / "index.html").read_text(encoding="utf-8")
    assert "Syndicated copy" in page and "Copy Agency" in page
    assert_same_as_clean(out, clean_build(content, tmp_path, "copied"))

    # the group dissolves: one report is left; the address answers with an honest notice
    keep = members[0]
    for slug in [*members[1:], "zz-copy"]:
        (content / f"{slug}.md").unlink()
    build(content, out, cache)
    assert archive(out)["stories"] == []
    notice = (out / story["url"] / "index.html").read_text(encoding="utf-8")
    assert "noindex" in notice and keep in notice
    assert "stories" in json.loads((content / "addresses.json").read_text(encoding="utf-8"))
    assert not (out / "stories" / "index.html").exists()
    assert_same_as_clean(out, clean_build(content, tmp_path, "dissolved"))


def test_a_country_tag_links_to_the_country_page_which_shows_its_people_and_stories(tmp_path, content):
    out = tmp_path / "out"
    build(content, out, tmp_path / "cache")
    data = archive(out)
    iran = next(c for c in data["countries"] if c["code"] == "IR")
    article = next(a for a in data["articles"] if any(e["name"] == "Iran" for e in a["entities"]))
    html = (out / article["url"] / "index.html").read_text(encoding="utf-8")
    assert f'href="/{iran["url"]}" data-pagefind-filter="entity">Iran<' in html
    country = (out / iran["url"] / "index.html").read_text(encoding="utf-8")
    assert "Named in articles about Iran" in country and "Stories about Iran" in country
    assert "Sherali Mirzo" in country


def test_a_pages_coverage_is_keyed_by_its_dates_and_drawn_only_when_read(monkeypatch):
    from pelican.plugins.news_archive.build.keys import canonical
    from pelican.plugins.news_archive.site import story_views

    drawn: list[tuple] = []
    real = story_views.coverage_view
    monkeypatch.setattr(story_views, "coverage_view", lambda *a: drawn.append(a) or real(*a))
    one = story_views.LazyCoverage(("2024-03-04", None), "cv", "Articles naming X over time")
    same = story_views.LazyCoverage(("2024-03-04", None), "cv", "Articles naming X over time")
    other = story_views.LazyCoverage(("2024-03-05", None), "cv", "Articles naming X over time")
    assert canonical(one) == canonical(same) != canonical(other)
    assert drawn == []
    assert one.undated == 1 and one.dated == 1 and "<svg" in one.svg
    assert len(drawn) == 1


def test_the_text_a_story_compares_is_kept_by_the_html_it_came_from(tmp_path, monkeypatch):
    import hashlib

    from pelican.plugins.news_archive.analysis import pipeline
    from pelican.plugins.news_archive.analysis.extraction import text as text_mod
    from pelican.plugins.news_archive.build.state import BuildState
    from pelican.plugins.news_archive.model import SourceDoc

    def doc(key: str, html: str) -> SourceDoc:
        return SourceDoc(key=key, title=key, text="", html=html, token=hashlib.sha256(html.encode()).hexdigest())

    made: list[str] = []
    real = text_mod.html_to_text
    monkeypatch.setattr(text_mod, "html_to_text", lambda html: made.append(html) or real(html))
    docs = [doc("a", "<p>Rain fell in Dushanbe.</p>"), doc("b", "<p>Sun in Tehran.</p>")]
    with BuildState(tmp_path) as state:
        assert pipeline.plain_texts(docs, ["a", "b"], state) == {"a": "Rain fell in Dushanbe.", "b": "Sun in Tehran."}
    assert len(made) == 2
    docs[1] = doc("b", "<p>Snow in Tehran.</p>")
    with BuildState(tmp_path) as state:
        assert pipeline.plain_texts(docs, ["a", "b"], state)["b"] == "Snow in Tehran."
    assert made[2:] == ["<p>Snow in Tehran.</p>"]
