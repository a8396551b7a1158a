"""The edge's small parts, in process: slugs made safe, the tolerant reader, undated articles, the memo's keys."""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace

import pytest
from jinja2 import DictLoader, Environment
from pelican.plugins.news_archive.edge.dates import UNKNOWN_DATE, mark_unknown_date
from pelican.plugins.news_archive.edge.documents import assign_slugs, safe_slug
from pelican.plugins.news_archive.edge.memo import Memo
from pelican.plugins.news_archive.edge.reader import TolerantMarkdownReader
from pelican.plugins.news_archive.site.presentation import ArchiveContext
from pelican.settings import DEFAULT_CONFIG


def art(slug: str, path: str, title: str = "A title") -> SimpleNamespace:
    return SimpleNamespace(slug=slug, source_path=path, title=title)


@pytest.mark.parametrize("slug", ["../entity/angela-merkel", "..", "../archive.json", "a/b", "", "x" * 300, ".hidden"])
def test_unsafe_slugs_are_replaced_with_one_warning_naming_the_file(slug, caplog):
    article = art(slug, "content/evil.md", title="Angela Merkel visits")
    with caplog.at_level(logging.WARNING):
        assign_slugs([article])
    assert safe_slug(article.slug) and "/" not in article.slug and not article.slug.startswith(".")
    assert len(caplog.records) == 1 and "content/evil.md" in caplog.text


def test_renaming_duplicates_never_takes_a_slug_another_article_asked_for(caplog):
    arts = [art("same-slug", "a.md"), art("same-slug", "b.md"), art("same-slug-2", "c.md")]
    with caplog.at_level(logging.WARNING):
        assign_slugs(arts)
    assert [a.slug for a in arts] == ["same-slug", "same-slug-3", "same-slug-2"]
    assert "b.md" in caplog.text and "a.md" in caplog.text


def test_the_reader_keeps_an_article_with_bad_bytes_or_a_bad_date(tmp_path, caplog):
    path = tmp_path / "bad.md"
    path.write_bytes(b"Title: Caf\xe9 talks\nDate: 2021-13-45\n\nThe minister met \xff officials.\n")
    reader = TolerantMarkdownReader(dict(DEFAULT_CONFIG))
    with caplog.at_level(logging.WARNING):
        content, metadata = reader.read(str(path))
    assert "\ufffd" in content and metadata["title"] == "Caf\ufffd talks" and metadata.get("date") is None
    assert "not valid UTF-8" in caplog.text and "unreadable date" in caplog.text and "bad.md" in caplog.text


def test_an_undated_article_is_published_hidden_with_a_date_that_says_unknown():
    metadata: dict = {"title": "x"}
    mark_unknown_date(SimpleNamespace(settings={}), metadata)
    assert metadata["status"] == "hidden" and metadata["date_unknown"] is True
    date = metadata["date"]
    assert date is UNKNOWN_DATE and date.strftime("%d %B %Y") == "Date unknown" and f"{date:%Y}" == "Date unknown"
    assert date < dt.datetime(1990, 1, 1, tzinfo=dt.UTC)  # sorts last among real dates, newest first
    draft: dict = {"status": "draft"}
    mark_unknown_date(SimpleNamespace(settings={}), draft)
    assert draft["status"] == "draft" and "category" in draft  # an editor's own status is kept
    dated: dict = {"date": dt.datetime(2020, 1, 1)}
    mark_unknown_date(SimpleNamespace(settings={}), dated)
    assert dated["date_unknown"] is False and "status" not in dated


def memo_env(templates: dict[str, str]) -> Environment:
    return Environment(loader=DictLoader(templates))


def test_page_keys_follow_the_template_closure_the_reads_and_the_variables():
    env = memo_env({"page.html": '{% extends "base.html" %}{% block b %}{{ item }}{% endblock %}',
                    "base.html": "{{ SITENAME }}{% block b %}{% endblock %}{{ news_archive.search_url }}"})
    ctx = {"SITENAME": "A", "OTHER": "unread", "news_archive": ArchiveContext({"search_url": "s/", "big": [1]})}
    memo = Memo(env, {"SITENAME": "A"}, ["code"])
    template = env.get_template("page.html")
    key = memo.page_key(template, ctx, "p.html", {"item": 1}, {"search_url"})
    assert key and key == memo.page_key(template, ctx, "p.html", {"item": 1}, {"search_url"})
    assert key != memo.page_key(template, ctx, "p.html", {"item": 2}, {"search_url"})
    assert key != memo.page_key(template, ctx, "q.html", {"item": 1}, {"search_url"})
    other = Memo(env, {"SITENAME": "A"}, ["code"])
    unread = dict(ctx, OTHER="changed", news_archive=ArchiveContext({"search_url": "s/", "big": [2]}))
    assert other.page_key(template, unread, "p.html", {"item": 1}, {"search_url"}) == key  # unread: no effect
    third = Memo(env, {"SITENAME": "A"}, ["code"])
    read = dict(ctx, news_archive=ArchiveContext({"search_url": "t/", "big": [1]}))
    assert third.page_key(template, read, "p.html", {"item": 1}, {"search_url"}) != key
    changed = memo_env({"page.html": env.loader.mapping["page.html"], "base.html": "{{ SITENAME }}!"})
    fourth = Memo(changed, {"SITENAME": "A"}, ["code"])
    assert fourth.page_key(changed.get_template("page.html"), ctx, "p.html", {"item": 1}, {"search_url"}) != key


def test_the_memo_steps_aside_for_a_function_in_the_settings_or_an_unknown_value(caplog):
    env = memo_env({"p.html": "{{ x }}"})
    with caplog.at_level(logging.DEBUG):
        off = Memo(env, {"JINJA_FILTERS": {"f": lambda s: s}}, ["code"])
        off.say(off.off)
    assert off.page_key(env.get_template("p.html"), {}, "p.html", {"x": 1}, ()) == ""
    assert "JINJA_FILTERS" in caplog.text
    on = Memo(env, {}, ["code"])
    assert on.page_key(env.get_template("p.html"), {}, "p.html", {"x": object()}, ()) == ""
    assert on.page_key(env.get_template("p.html"), {}, "p.html", {"x": 1}, ())


def test_a_template_named_only_at_run_time_is_never_memoised():
    env = memo_env({"p.html": "{% include name %}", "x.html": "x"})
    assert Memo(env, {}, ["code"]).page_key(env.get_template("p.html"), {"name": "x.html"}, "p.html", {}, ()) == ""


def test_the_archive_context_remembers_what_a_page_read():
    ctx = ArchiveContext({"a": 1, "b": 2})
    ctx.track()
    assert ctx.a == 1 and ctx["a"] == 1 and ctx.get("missing") is None
    assert ctx.reads() == frozenset({"a"})
    assert ctx.b == 2 and ctx.reads() == frozenset()  # not tracking: nothing remembered
    with pytest.raises(AttributeError):
        _ = ctx.nope
