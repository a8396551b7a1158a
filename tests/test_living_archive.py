"""A living archive, with real in-process Pelican builds: addresses stay, nothing stale, nothing replayed wrongly.

Each test builds the seed archive (content/) into tmp_path, changes something an editor would change, rebuilds in
place, and compares with a clean build of the same content (an empty output folder and an empty cache).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, build

SEED = ROOT / "content"


def output_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")}


def archive(out: Path) -> dict:
    return json.loads((out / "archive.json").read_text(encoding="utf-8"))


def entity_urls(out: Path) -> dict[str, str]:
    return {e["name"]: e["url"] for e in archive(out)["entities"] if e["url"]}


@pytest.fixture()
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(SEED, folder)
    (folder / "addresses.json").unlink()  # each test starts an archive of its own
    return folder


def clean_build(content: Path, tmp_path: Path, name: str) -> Path:
    out = tmp_path / f"clean-{name}"
    build(content, out, tmp_path / f"clean-cache-{name}")
    return out


def assert_same_as_clean(out: Path, clean: Path) -> None:
    here, there = output_files(out), output_files(clean)
    assert sorted(set(here) - set(there)) == [], "stale files"
    assert sorted(set(there) - set(here)) == [], "missing files"
    assert sorted(n for n in here if here[n] != there[n]) == [], "differing files"


def test_each_editorial_step_rebuilt_in_place_equals_a_clean_build(tmp_path, content):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    article = sorted(content.glob("00*.md"))[1]
    article.write_text(article.read_text(encoding="utf-8") + "\nThe minister of Tajikistan also met Emomali "
                       "Rahmon in Dushanbe.\n", encoding="utf-8")
    build(content, out, cache)
    assert_same_as_clean(out, clean_build(content, tmp_path, "corrected"))
    (content / "entities.toml").write_text('[rename]\n"Sherali Mirzo" = "Sherali Mirzo (minister)"\n',
                                           encoding="utf-8")
    build(content, out, cache)
    assert_same_as_clean(out, clean_build(content, tmp_path, "renamed"))
    (sorted(content.glob("00*.md"))[0]).unlink()
    build(content, out, cache)
    assert_same_as_clean(out, clean_build(content, tmp_path, "deleted"))


def test_a_rename_leaves_a_working_redirect_and_the_address_book_keeps_both(tmp_path, content):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    assert entity_urls(out)["Sherali Mirzo"] == "entity/sherali-mirzo/"
    (content / "entities.toml").write_text('[rename]\n"Sherali Mirzo" = "Sherali Mirzo Jr"\n', encoding="utf-8")
    build(content, out, cache)
    assert entity_urls(out)["Sherali Mirzo Jr"] == "entity/sherali-mirzo-jr/"
    old = (out / "entity" / "sherali-mirzo" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=/entity/sherali-mirzo-jr/"' in old
    assert 'rel="canonical" href="/entity/sherali-mirzo-jr/"' in old and 'name="robots" content="noindex"' in old
    assert '<a href="/entity/sherali-mirzo-jr/">Sherali Mirzo Jr</a>' in old
    # Not a page of its own anywhere: not in the sitemap, the entity index or a feed.
    assert "entity/sherali-mirzo/" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="/entity/sherali-mirzo/"' not in (out / "entities" / "index.html").read_text(encoding="utf-8")
    assert not (out / "entity" / "sherali-mirzo" / "feed.atom").exists()
    book = json.loads((content / "addresses.json").read_text(encoding="utf-8"))
    assert book["entities"]["sherali-mirzo"]["moved_to"] == "sherali-mirzo-jr"


def test_a_merge_leaves_a_redirect_to_the_entity_kept(tmp_path, content):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    assert "Muhiddin Kabiri" in entity_urls(out)
    (content / "entities.toml").write_text('[merge]\n"Emomali Rahmon" = ["Muhiddin Kabiri"]\n', encoding="utf-8")
    build(content, out, cache)
    assert "Muhiddin Kabiri" not in entity_urls(out)
    page = (out / "entity" / "muhiddin-kabiri" / "index.html").read_text(encoding="utf-8")
    assert "url=/entity/emomali-rahmon/" in page


def test_a_fresh_clone_builds_every_address_the_book_records(tmp_path, content):
    out = tmp_path / "out"
    build(content, out, tmp_path / "cache")
    book = (content / "addresses.json").read_text(encoding="utf-8")
    clone = tmp_path / "clone"
    shutil.copytree(content, clone)
    # The book wins over names: an address that no name would give is kept by a clean build of the clone.
    data = json.loads(book)
    data["entities"]["islamic-republic"] = data["entities"].pop("iran")
    (clone / "addresses.json").write_text(json.dumps(data), encoding="utf-8")
    fresh = tmp_path / "fresh"
    build(clone, fresh, tmp_path / "fresh-cache")
    urls = entity_urls(fresh)
    assert urls["Iran"] == "entity/islamic-republic/"
    assert {n: u for n, u in urls.items() if n != "Iran"} == {n: u for n, u in entity_urls(out).items() if n != "Iran"}


def test_an_address_without_an_entity_keeps_an_honest_page(tmp_path, content):
    book = {"format": 1, "countries": {"FR": "france"},
            "entities": {"jane-roe": {"name": "Jane Roe", "type": "PERSON", "names": ["jane roe"]}}}
    (content / "addresses.json").write_text(json.dumps(book), encoding="utf-8")
    out = tmp_path / "out"
    build(content, out, tmp_path / "cache")
    page = (out / "entity" / "jane-roe" / "index.html").read_text(encoding="utf-8")
    assert "No article of this archive names Jane Roe any more" in page and "noindex" in page
    assert "search/?q=Jane%20Roe" in page
    country = (out / "country" / "france" / "index.html").read_text(encoding="utf-8")
    assert "No article of this archive is filed under France any more" in country
    assert "jane-roe" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_deleted_article_leaves_no_page_and_is_not_searched(tmp_path, content, capsys):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    victim = sorted(content.glob("00*.md"))[-1]
    slug = victim.stem
    victim.unlink()
    capsys.readouterr()
    build(content, out, cache)
    assert not (out / "articles" / slug).exists()
    assert "search index of 4 pages" in capsys.readouterr().out
    assert all(a["slug"] != slug for a in archive(out)["articles"])


def test_a_changed_function_in_the_settings_renders_again_and_says_why(tmp_path, content, caplog):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", "<body data-site=\"{{ SITENAME|shout }}\"", 1),
                    encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache, THEME=str(theme), JINJA_FILTERS={"shout": lambda s: s.upper()})
    page = out / "entity" / "sherali-mirzo" / "index.html"
    assert 'data-site="NEWS ARCHIVE"' in page.read_text(encoding="utf-8")
    with caplog.at_level(logging.DEBUG, logger="pelican.plugins.news_archive"):
        build(content, out, cache, THEME=str(theme), JINJA_FILTERS={"shout": lambda s: s.lower()})
    assert 'data-site="news archive"' in page.read_text(encoding="utf-8")
    assert "memo not used" in caplog.text and "JINJA_FILTERS" in caplog.text


def test_a_rebuild_in_which_nothing_changed_writes_nothing(tmp_path, content, caplog):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    build(content, out, cache)
    changed = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                     if p.is_file() and before.get(p) != p.stat().st_mtime_ns)
    # Pelican copies the theme's files on every build.
    assert [n for n in changed if not n.startswith("theme/")] == []


def test_paginated_pages_are_rendered_again_together_when_one_article_moves(tmp_path, content):
    """With two articles a page, a new article shifts every index page: all are rendered again, a page that
    is no longer needed is removed, and the result is a clean build's."""
    for n, (place, country) in enumerate([("Dushanbe", "Tajikistan"), ("Tehran", "Iran"), ("Kabul", "Afghanistan"),
                                          ("Moscow", "Russia"), ("Tashkent", "Uzbekistan")]):
        (content / f"dated-{n}.md").write_text(f"Title: Talks in {place}\nSlug: talks-{n}\nDate: 2030-0{n + 1}-01\n\n"
                                               f"Ministers met in "
                                               f"{place}, {country}, on Monday.\n", encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache, DEFAULT_PAGINATION=2)
    pages = sorted(p.name for p in out.glob("index*.html"))
    assert len(pages) > 2
    before = {p: p.stat().st_mtime_ns for p in out.glob("index*.html")}
    build(content, out, cache, DEFAULT_PAGINATION=2)
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())
    (content / "zz-new.md").write_text("Title: Floods in Dushanbe\nDate: 2031-01-02\n\nRain fell in Dushanbe, "
                                       "Tajikistan.\n", encoding="utf-8")
    build(content, out, cache, DEFAULT_PAGINATION=2)
    assert "Floods in Dushanbe" in (out / "index.html").read_text(encoding="utf-8")
    assert all(p.stat().st_mtime_ns != t for p, t in before.items() if p.exists())
    clean = tmp_path / "clean"
    build(content, clean, tmp_path / "clean-cache", DEFAULT_PAGINATION=2)
    assert_same_as_clean(out, clean)
    (content / "zz-new.md").unlink()
    build(content, out, cache, DEFAULT_PAGINATION=2)
    assert sorted(p.name for p in out.glob("index*.html")) == pages


def dated_articles(content: Path, count: int) -> None:
    places = [("Dushanbe", "Tajikistan"), ("Tehran", "Iran"), ("Kabul", "Afghanistan"), ("Moscow", "Russia"),
              ("Tashkent", "Uzbekistan"), ("Ankara", "Turkey"), ("Baku", "Azerbaijan"), ("Cairo", "Egypt")]
    for n, (place, country) in enumerate(places[:count]):
        (content / f"dated-{n}.md").write_text(f"Title: Talks in {place}\nSlug: talks-{n}\nDate: 2030-0{n + 1}-01\n\n"
                                               f"Ministers met in "
                                               f"{place}, {country}, on Monday.\n", encoding="utf-8")


def index_times(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.glob("index*.html")}


def test_a_correction_renders_only_the_index_pages_near_the_article(tmp_path, content):
    """Each index page is keyed by the articles it and its neighbours list, and of the whole list by what it
    read (whether it is empty): correcting the newest article renders the first pages again, not the last."""
    dated_articles(content, 8)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache, DEFAULT_PAGINATION=2)
    before = index_times(out)
    assert len(before) >= 4
    newest = content / "dated-7.md"
    newest.write_text(newest.read_text(encoding="utf-8") + "\nThe talks lasted two hours.\n", encoding="utf-8")
    build(content, out, cache, DEFAULT_PAGINATION=2)
    after = index_times(out)
    assert "two hours" in (out / "index.html").read_text(encoding="utf-8")
    assert after["index.html"] != before["index.html"]
    far = sorted(n for n in before if n not in {"index.html", "index2.html"})
    assert far and all(after[n] == before[n] for n in far)
    assert_same_as_clean(out, clean_build_with(content, tmp_path, "correction", DEFAULT_PAGINATION=2))


def test_an_index_page_that_reads_the_whole_list_is_rendered_again_when_the_list_changes(tmp_path, content):
    """A theme that shows, on every index page, the newest article's title: a new title renders every page
    again (each page read the whole list when it was rendered), never a stale one."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    # Nothing but the list: no other value the page reads changes with a title.
    (theme / "templates" / "index.html").write_text(
        '<p class="newest">{{ (articles|first).title }}</p>\n'
        '{% for a in articles_page.object_list %}<li>{{ a.title }}</li>{% endfor %}\n', encoding="utf-8")
    dated_articles(content, 8)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache, DEFAULT_PAGINATION=2, THEME=str(theme))
    last = out / f"index{len(list(out.glob('index*.html')))}.html"
    assert '<p class="newest">Talks in Cairo</p>' in last.read_text(encoding="utf-8")
    newest = content / "dated-7.md"
    newest.write_text(newest.read_text(encoding="utf-8").replace("Title: Talks in", "Title: Further talks in"),
                      encoding="utf-8")
    build(content, out, cache, DEFAULT_PAGINATION=2, THEME=str(theme))
    assert all('<p class="newest">Further talks in Cairo</p>' in p.read_text(encoding="utf-8")
               for p in out.glob("index*.html"))
    assert_same_as_clean(out, clean_build_with(content, tmp_path, "whole-list", DEFAULT_PAGINATION=2,
                                               THEME=str(theme)))


def test_a_whole_list_notes_whether_it_was_read_for_its_length_or_its_items():
    from pelican.plugins.news_archive.edge.paged import Whole

    whole = Whole([1, 2, 3])
    whole.track()
    assert len(whole) == 3 and whole
    assert whole.seen() == {"len"}
    for read in (list, lambda w: w[0], lambda w: 2 in w, lambda w: w.index(2), lambda w: [0] + w, repr,
                 lambda w: next(reversed(w)), lambda w: w == [1, 2, 3]):
        whole.track()
        read(whole)
        assert "all" in whole.seen(), read
    read_untracked = list(whole)
    assert read_untracked == [1, 2, 3] and whole.seen() == frozenset()


def clean_build_with(content: Path, tmp_path: Path, name: str, **settings: object) -> Path:
    out = tmp_path / f"clean-{name}"
    build(content, out, tmp_path / f"clean-cache-{name}", **settings)
    return out


def test_the_build_after_the_first_reuses_the_presentation(tmp_path, content, monkeypatch):
    """The first build writes the address book; the next, with nothing else changed, reads that book as its
    input. It is what the first build made of its own, so the pages, teasers and views are the last build's."""
    from pelican.plugins.news_archive.site import pages

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    assert (content / "addresses.json").is_file()

    def made_again(*args, **kwargs):
        raise AssertionError("the presentation was made again although nothing changed")

    monkeypatch.setattr(pages, "entity_pages", made_again)
    build(content, out, cache)
    monkeypatch.undo()
    assert_same_as_clean(out, clean_build(content, tmp_path, "after-first"))


def test_pairing_a_country_page_with_its_entity_never_loads_the_cities(monkeypatch):
    from pelican.plugins.news_archive.analysis import gazetteer

    gazetteer._cities.cache_clear()
    monkeypatch.setattr(gazetteer, "_PRIMED", {})
    assert gazetteer.country_of_name("Iran") == "IR"
    assert gazetteer.country_of_name("the United States") == "US"
    assert gazetteer.country_of_name("Dushanbe") is None  # a city, not a country's name
    assert gazetteer._cities.cache_info().currsize == 0


def test_the_world_map_is_drawn_once_and_then_read_from_the_build_state(tmp_path, content, monkeypatch):
    """Drawing the map's shapes from the data file took a third of a second of every build that renders the
    countries index; a later build reads them from the build state and draws the same map."""
    from pelican.plugins.news_archive.site import worldmap

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    first = (out / "countries" / "index.html").read_text(encoding="utf-8")
    assert "<svg" in first
    monkeypatch.setattr(worldmap, "_PRIMED", {})
    worldmap._drawn.cache_clear()

    def drawn_again():
        raise AssertionError("the map was drawn again")

    monkeypatch.setattr(worldmap, "_drawn", drawn_again)
    (content / "dated-map.md").write_text("Title: Talks in Cairo\nDate: 2030-01-01\n\nMinisters met in Cairo, "
                                          "Egypt, on Monday.\n", encoding="utf-8")
    build(content, out, cache)
    again = (out / "countries" / "index.html").read_text(encoding="utf-8")
    assert again != first and "Egypt" in again  # rendered again, with the kept shapes
    monkeypatch.undo()
    worldmap._drawn.cache_clear()
    assert_same_as_clean(out, clean_build(content, tmp_path, "map"))


def test_a_rebuild_sanitises_only_html_it_has_not_seen(tmp_path, content, monkeypatch, caplog):
    """What the allow-list made of an article's HTML is kept for the next build (keyed by the HTML, the
    allow-list's code and nh3's version); a changed article is sanitised again, and a hostile one still warned
    about and still clean."""
    from pelican.plugins.news_archive.site import sanitise

    hostile = content / "hostile.md"
    hostile.write_text("Title: A hostile page\nDate: 2024-05-01\n\nText <img src=x onerror=alert(1)> here.\n",
                       encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    calls: list[str] = []
    real = sanitise.clean
    monkeypatch.setattr(sanitise, "clean", lambda html: calls.append(html) or real(html))
    with caplog.at_level(logging.WARNING):
        build(content, out, cache)
    assert calls == []
    assert any("hostile.md" in r.getMessage() and "active or unknown" in r.getMessage() for r in caplog.records)
    page = (out / "articles" / "a-hostile-page" / "index.html").read_text(encoding="utf-8")
    assert "onerror" not in page and "Text" in page
    hostile.write_text(hostile.read_text(encoding="utf-8") + "\nMore <a href=\"javascript:alert(2)\">x</a>.\n",
                       encoding="utf-8")
    build(content, out, cache)
    assert len(calls) == 1 and "More" in calls[0]
    assert "javascript:" not in (out / "articles" / "a-hostile-page" / "index.html").read_text(encoding="utf-8")


def test_a_rebuild_parses_no_template_it_has_analysed_before(tmp_path, content, monkeypatch):
    """The memo's analysis of each template source (what it references, the names it reads) is kept: a rebuild
    reads the sources but parses only those that changed."""
    from jinja2 import Environment

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    parsed: list[str] = []
    real = Environment.parse
    monkeypatch.setattr(Environment, "parse", lambda self, source, *a, **k: parsed.append(source)
                        or real(self, source, *a, **k))
    build(content, out, cache)
    assert parsed == []
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("</article>", "<p>Edited.</p></article>", 1),
                       encoding="utf-8")
    build(content, out, cache, THEME=str(theme))
    assert [s for s in parsed if "Edited." in s]
    page = next((out / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert "<p>Edited.</p>" in page


def test_a_correction_renders_again_only_the_pages_it_changes(tmp_path, content):
    """One corrected article: its page and the pages whose lists of it changed are rendered again; an article
    that shares nothing with it is not (a template reading Pelican's whole article list would make every page
    depend on every article)."""
    texts = {"Harvest in Lima": "Farmers near Lima, Peru, brought in a record potato crop this autumn.",
             "Flooding in Quito": "Heavy rain closed two bridges in Quito, Ecuador, on Sunday night.",
             "Elections in Santiago": "Voters in Santiago, Chile, chose a new mayor after a long count."}
    for n, (title, text) in enumerate(texts.items()):
        (content / f"apart-{n}.md").write_text(f"Title: {title}\nDate: 2030-0{n + 1}-01\n\n{text}\n",
                                               encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    pages = {p: p.stat().st_mtime_ns for p in (out / "articles").glob("*/index.html")}
    corrected = content / "apart-0.md"  # dated: it is in Pelican's article list
    corrected.write_text(corrected.read_text(encoding="utf-8") + "\nPrices fell at the market.\n", encoding="utf-8")
    build(content, out, cache)
    again = sorted(p.parent.name for p, t in pages.items() if p.stat().st_mtime_ns != t)
    assert again == ["harvest-in-lima"]


def test_a_correction_cuts_only_its_own_summary_again(tmp_path, content, monkeypatch):
    """Pelican's summary of each article (its first words, cut with an HTML parser) is kept by the HTML's digest:
    a correction makes the corrected article's summary again and no other; the output is still a clean build's."""
    from pelican import contents
    from pelican.plugins.news_archive.edge import views

    texts = {"Harvest in Lima": "Farmers near Lima, Peru, brought in a record potato crop this autumn.",
             "Flooding in Quito": "Heavy rain closed two bridges in Quito, Ecuador, on Sunday night."}
    for n, (title, text) in enumerate(texts.items()):
        (content / f"apart-{n}.md").write_text(f"Title: {title}\nDate: 2030-0{n + 1}-01\n\n{text}\n",
                                               encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    corrected = content / "apart-0.md"
    corrected.write_text(corrected.read_text(encoding="utf-8") + "\nPrices fell at the market.\n", encoding="utf-8")
    cut: list[str] = []
    teasing: list[bool] = []
    real, real_summaries = contents.truncate_html_words, views.summaries

    def summaries(*args, **kwargs):
        teasing.append(True)
        try:
            return real_summaries(*args, **kwargs)
        finally:
            teasing.pop()

    # Pelican's feed writer makes the summaries of a feed's entries itself (as it does without the plugin): only
    # what the plugin's teasers make is counted.
    monkeypatch.setattr(views, "summaries", summaries)
    monkeypatch.setattr(contents, "truncate_html_words",
                        lambda html, *a, **k: (teasing and cut.append(html)) or real(html, *a, **k))
    build(content, out, cache)
    monkeypatch.undo()
    assert cut and all("Prices fell" in html for html in cut)
    assert_same_as_clean(out, clean_build(content, tmp_path, "summaries"))


def test_a_summary_that_pelican_resolves_against_other_content_is_never_kept():
    """An intrasite link ({filename}…) is resolved by Pelican against the other articles, so the summary does not
    follow from the article's own HTML: it is made by Pelican on every build. So is a summary from the metadata."""
    from types import SimpleNamespace

    from pelican.contents import Article
    from pelican.plugins.news_archive.edge.views import _summary_key
    from pelican.settings import DEFAULT_CONFIG

    doc = SimpleNamespace(token="t")
    plain = Article("<p>Markets opened late.</p>", metadata={"title": "T"}, settings=DEFAULT_CONFIG)
    linked = Article('<p>See <a href="{filename}/other.md">this</a>.</p>', metadata={"title": "T"},
                     settings=DEFAULT_CONFIG)
    given = Article("<p>Markets opened late.</p>", metadata={"title": "T", "summary": "Given."},
                    settings=DEFAULT_CONFIG)
    assert _summary_key(doc, plain)
    assert _summary_key(doc, linked) is None
    assert _summary_key(doc, given) is None
    longer = Article("<p>Markets opened late.</p>", metadata={"title": "T"},
                     settings={**DEFAULT_CONFIG, "SUMMARY_MAX_LENGTH": 3})
    assert _summary_key(doc, longer) != _summary_key(doc, plain)


def test_temporary_files_never_stay_in_the_output(tmp_path, content, monkeypatch):
    import os

    from pelican.plugins.news_archive.build import outputs

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    assert not (out / outputs.RUNNING).exists()  # a build that ended takes its mark away
    # What a build killed while writing leaves: a temporary, and the mark it set before making it.
    left = out / "entity" / f"{outputs.TEMP_PREFIX}abc{outputs.TEMP_SUFFIX}"
    left.write_text("half a page", encoding="utf-8")
    outputs.mark_running(out)
    real = os.replace

    def full_disk(src, dst):
        if str(dst).endswith("archive.json"):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    (content / "entities.toml").write_text('block = ["Iran"]\n', encoding="utf-8")
    monkeypatch.setattr(outputs.os, "replace", full_disk)
    with pytest.raises(OSError):
        build(content, out, cache)
    assert not left.exists()  # what the killed build left is swept
    assert not list(out.rglob(f"{outputs.TEMP_PREFIX}*"))  # and the failed write took its own away
    monkeypatch.setattr(outputs.os, "replace", real)
    build(content, out, cache)
    assert_same_as_clean(out, clean_build(content, tmp_path, "after-full-disk"))
    assert not (out / outputs.RUNNING).exists()


def test_only_a_build_that_did_not_end_makes_the_next_walk_the_output(tmp_path, content, monkeypatch):
    # Walking a 23k output folder for temporaries takes a second: the walk is made only when the last build left
    # its mark (it did not end) or nothing is known of the folder (no ledger).
    from pelican.plugins.news_archive.build import outputs
    from pelican.plugins.news_archive.edge import runs

    out, cache = tmp_path / "out", tmp_path / "cache"
    walks: list[str] = []
    real = outputs.sweep_temporaries
    monkeypatch.setattr(runs, "sweep_temporaries", lambda root: walks.append(str(root)) or real(root))
    build(content, out, cache)
    assert len(walks) == 1  # nothing known of the folder yet
    build(content, out, cache)
    assert len(walks) == 1  # the last build ended
    outputs.mark_running(out)
    build(content, out, cache)
    assert len(walks) == 2 and not (out / outputs.RUNNING).exists()


def test_a_rebuild_compiles_no_template_it_compiled_before(tmp_path, content, monkeypatch):
    """Every generator's templates load last build's compiled code from the build state; an edited template is
    compiled again and shows."""
    from jinja2 import Environment

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    compiled: list[str] = []
    real = Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, source, *a, **k: compiled.append(source)
                        or real(self, source, *a, **k))
    build(content, out, cache)
    assert compiled == []
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("</article>", "<p>Edited.</p></article>", 1),
                       encoding="utf-8")
    build(content, out, cache, THEME=str(theme))
    assert [s for s in compiled if "Edited." in s]
    page = next((out / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert "<p>Edited.</p>" in page


def test_a_page_rendered_again_replaces_its_old_file_and_leaves_no_trash(tmp_path, content, monkeypatch):
    """A page rendered again is written as a new file (the old one moved aside and removed beside the build): the
    same bytes as a clean build, no temporary left, and a file that was not there is simply written."""
    from pelican.plugins.news_archive.build import outputs

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    discarded: list[str] = []
    real = outputs.Trash.discard
    monkeypatch.setattr(outputs.Trash, "discard", lambda self, path: discarded.append(path) or real(self, path))
    corrected = sorted(content.glob("0*.md"))[0]
    corrected.write_text(corrected.read_text(encoding="utf-8") + "\nThe ministry gave further figures.\n",
                         encoding="utf-8")
    build(content, out, cache)
    assert discarded, "the corrected article's page is rendered again"
    assert all(Path(path).is_file() for path in discarded)
    assert [p.name for p in out.iterdir() if p.name.startswith(outputs.TEMP_PREFIX)] == []
    assert_same_as_clean(out, clean_build(content, tmp_path, "trash"))


def test_a_killed_builds_trash_is_swept_by_the_next(tmp_path, content):
    from pelican.plugins.news_archive.build import outputs

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    page = next(out.glob("articles/*/index.html"))
    trash = outputs.Trash(out)
    trash.discard(str(page))  # a build killed now: its mark is set, the old page is in the trash folder
    assert (out / outputs.RUNNING).exists() and not page.exists()
    left = Path(trash.folder)
    build(content, out, cache)
    assert page.is_file() and not left.exists() and not (out / outputs.RUNNING).exists()
    assert_same_as_clean(out, clean_build(content, tmp_path, "killed-trash"))
