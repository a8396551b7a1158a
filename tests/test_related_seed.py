"""Related articles and same-story groups on the five seed articles, with the real spaCy model (pipeline.analyse).

000, 001 and 003 report one visit (the Tajik defence minister in Tehran; 001 and 003 share syndicated paragraphs,
000 is another outlet's own report); 002 is a different visit (Bagheri in Dushanbe) and 004 is about Russia.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown import markdown
from pelican.plugins.news_archive.analysis.extraction.text import html_to_text
from pelican.plugins.news_archive.analysis.pipeline import analyse
from pelican.plugins.news_archive.model import SourceDoc
from pelican.plugins.news_archive.settings import ArchiveSettings

CONTENT = Path(__file__).resolve().parent.parent / "content"
VISIT = ("000", "001", "003")


def seed_docs() -> list[SourceDoc]:
    """The seed Markdown files as the adapter hands them to the pipeline (metadata + rendered body as text)."""
    docs = []
    for path in sorted(CONTENT.glob("[0-9][0-9][0-9]_*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        meta = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head.splitlines())}
        docs.append(SourceDoc(key=path.stem[:3], title=meta.get("title", ""), text=html_to_text(markdown(body)),
                              date=meta.get("date"), dateline=meta.get("dateline"), source=meta.get("source")))
    return docs


@pytest.fixture(scope="module")
def result():
    return analyse(seed_docs(), ArchiveSettings(cache=False))


def links(result, key):
    return {r.key: r for r in result.related[key]}


def test_the_three_reports_of_the_visit_are_mutually_the_same_story(result):
    for a in VISIT:
        mine = links(result, a)
        for b in VISIT:
            if a != b:
                assert b in mine and mine[b].same_story, (a, b, result.related[a])


def test_another_visit_and_the_russia_article_are_not_the_same_story(result):
    for a in ("002", "004"):
        assert not any(r.same_story for r in result.related[a]), result.related[a]
    for a in VISIT:
        assert not any(r.same_story for r in result.related[a] if r.key in ("002", "004"))


def test_the_russia_article_is_never_a_first_link(result):
    for key, refs in result.related.items():
        if key == "004":
            continue
        assert refs and refs[0].key != "004"
        others = [r for r in refs if not r.same_story]  # what the page lists under "Related articles"
        assert not others or others[0].key != "004"


def test_every_link_explains_itself_with_entities_both_articles_have(result):
    entities = result.entities.entities
    tagged = {k: {entities[r.slug].name for r in refs} for k, refs in result.entities.by_article.items()}
    for key, refs in result.related.items():
        assert refs, key
        for r in refs:
            assert r.shared, (key, r)
            assert set(r.shared) <= tagged[key] & tagged[r.key], (key, r)
    # between reports of the visit, the people of the visit explain the link
    assert "Amir Hatami" in links(result, "000")["001"].shared


def test_lists_are_ordered_story_first_then_by_score(result):
    for refs in result.related.values():
        flags = [r.same_story for r in refs]
        assert flags == sorted(flags, reverse=True)
        others = [r.score for r in refs if not r.same_story]
        assert others == sorted(others, reverse=True)
