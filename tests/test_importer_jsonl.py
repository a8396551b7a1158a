"""JSONL exports: streamed, every good record imported, every bad line reported as file:line and skipped."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import pytest
from pelican.plugins.news_archive.importer.jsonl_input import parse_record, read_jsonl
from pelican.plugins.news_archive.importer.pipeline import import_paths
from pelican.plugins.news_archive.importer.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
RULES = load_rules()


def test_records(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    read = list(read_jsonl(FIXTURES / "records.jsonl", RULES))
    # Lines 1 and 6 share an id; naming them apart is the pipeline's job, so both come through here.
    assert len(read) == 9
    assert [a.slug for a in read].count("story-1") == 2
    articles = {}
    for article in read:
        articles.setdefault(article.slug, article)

    first = articles["story-1"]
    assert first.title == "Mill output rises"
    assert first.date == "1987-03-03T10:00:00"
    assert first.dateline == "OSLO, March 3 -"
    assert first.source == "Reuters" and first.url == "https://example.com/story-1" and first.author == "Staff"
    assert first.body == ["Paper mill output rose 4 pct in February, the industry group said.",
                          "It said exports were steady."]
    assert not hasattr(first, "topics")  # unknown fields are ignored

    assert articles["story-2"].body == [
        "Standard Widget Co <SWG> said it will pay a special dividend of 1.50 dlrs a share.",
        "+ The payout is subject to approval.",
        "# of shares outstanding: 10 mln.",
    ]
    assert articles["story-3"].date is None
    assert articles["records-7"].title == "No id here"
    assert articles["no-title"].title == ("Gen. Smith said on Monday that the army would withdraw from the border "
                                          "region by the end of the month")
    assert articles["no-title"].title_derived == "lede"
    dated = articles["dated-by-dateline"]
    assert dated.date == "1987-03-03" and dated.date_evidence == 'dateline "WASHINGTON, March 3 1987 -"'
    assert articles["bad-date-value"].date is None
    assert "title-only" not in articles

    path = FIXTURES / "records.jsonl"
    for line, message in [
        (3, "date 'yesterday' is not a valid ISO 8601 date"),
        (4, "skipped: not valid JSON"),
        (5, "skipped: a record must be a JSON object"),
        (7, 'no usable "id"'),
        (9, "skipped: title only"),
        (13, "date 19870309 is not a valid ISO 8601 date"),
    ]:
        assert f"{path}:{line}: {message}" in caplog.text


def test_duplicates_and_unsafe_ids_through_the_pipeline(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    stats = import_paths([FIXTURES / "records.jsonl"], tmp_path)
    assert stats.articles == 9
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "story-1.md" in names and "story-1-2.md" in names
    assert "etcpasswd-story.md" in names  # Pelican's slugify drops "." and "/" (the plugin publishes it there)
    assert all(p.parent == tmp_path for p in tmp_path.rglob("*"))
    assert "Slug: story-1-2\n" in (tmp_path / "story-1-2.md").read_text(encoding="utf-8")
    assert "Mill output rises again" in (tmp_path / "story-1-2.md").read_text(encoding="utf-8")
    assert f"{FIXTURES / 'records.jsonl'}:6: duplicate id 'story-1'" in caplog.text


def test_gzip(tmp_path: Path) -> None:
    articles = list(read_jsonl(FIXTURES / "small.jsonl.gz", RULES))
    assert [a.slug for a in articles] == ["gz-1", "gz-2"]
    assert articles[0].body == ["Zinc stocks in LME warehouses fell 1,200 tonnes to 45,000, traders said."]
    assert articles[0].imported_from == "small.jsonl.gz"


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lines = b"".join(
        b'{"id": "r-%d", "title": "Story %d", "date": "1987-03-03", "body": "Text of story %d, said officials."}\n'
        % (i, i, i) for i in range(200))
    damaged = tmp_path / "cut.jsonl.gz"
    damaged.write_bytes(gzip.compress(lines)[:-200])
    articles = list(read_jsonl(damaged, RULES))
    assert 0 < len(articles) < 200
    assert f"{damaged}: compressed data is damaged after line" in caplog.text


def test_not_gzip_at_all(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_text('{"id": "x"}\n', encoding="utf-8")
    assert list(read_jsonl(fake, RULES)) == []
    assert f"{fake}: skipped: not a readable gzip file" in caplog.text


def test_invalid_utf8_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"id": "u", "title": "Caf\xe9", "date": "1987-03-03", "body": "Caf\xe9 prices rose."}\n')
    [article] = read_jsonl(path, RULES)
    assert article.title == "Caf\ufffd"
    assert f"{path}:1: invalid UTF-8" in caplog.text


def test_wire_body_never_becomes_a_code_block() -> None:
    path = FIXTURES / "records.jsonl"
    for article in read_jsonl(path, RULES):
        for para in article.body:
            assert para == para.strip() and "\n" not in para




def test_stated_dateline_wins_and_body_is_not_searched() -> None:
    record = {"id": "g", "title": "GOULD OFFERING", "date": "1987-03-03", "dateline": "CHICAGO, March 3 -",
              "body": "Gould Inc (GLD) - Offering of two mln shares\nof preferred stock.\n Reuter"}
    article = parse_record(record, "x.jsonl:1", "x-1", "x.jsonl", RULES)
    assert article is not None
    assert article.dateline == "CHICAGO, March 3 -"
    assert article.body == ["Gould Inc (GLD) - Offering of two mln shares of preferred stock."]

    record = {"id": "o", "title": "Mill output", "date": "1987-03-03", "dateline": "OSLO, March 3 -",
              "body": "OSLO, March 3 - Paper mill output rose 4 pct."}
    article = parse_record(record, "x.jsonl:2", "x-2", "x.jsonl", RULES)
    assert article is not None and article.body == ["Paper mill output rose 4 pct."]
