"""Who said what on real news: the hand-checked sample of BBC News attributions (tests/fixtures/
quotes_bbc_checked.jsonl, each judged by reading its article) against the stage as it is now, with the real
spaCy model.

The fixture's articles are analysed as one archive (the benchmark analyses the whole check part, so an entity
merged in from an article outside the fixture can differ here). Every attribution judged right must still be
made; none judged wrong may be made, but the one listed in KNOWN_FAULTS, whose cause lies outside this stage.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "data" / "bbc-news.jsonl.gz"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "quotes_bbc_checked.jsonl"
# An investment bank that canonicalisation types PERSON ("Dresdner Kleinwort Wasserstein said: …"): the quotation
# stage trusts the entity's type.
KNOWN_FAULTS = {("bbc-business-184", "Dresdner Kleinwort Wasserstein")}


def checked() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_checked_sample_is_a_sample_of_100_with_a_judgement_each():
    rows = checked()
    assert len(rows) == 100
    assert all(isinstance(r["correct"], bool) and r["note"] and r["quote"] and r["person"] for r in rows)
    # drawn from the check part only (even article numbers); the rules were read on the odd ones
    assert all(int(r["id"].rsplit("-", 1)[1]) % 2 == 0 for r in rows)
    assert sum(r["correct"] for r in rows) / len(rows) >= 0.95


@pytest.fixture(scope="module")
def found(nlp) -> set[tuple[str, str, str]]:
    from pelican.plugins.news_archive.analysis.editorial import EditorRules
    from pelican.plugins.news_archive.analysis.extraction.extract import extract_docs
    from pelican.plugins.news_archive.analysis.pipeline import archive_stages, quote_stage
    from pelican.plugins.news_archive.importer.jsonl_input import parse_record
    from pelican.plugins.news_archive.importer.rules import load_rules
    from pelican.plugins.news_archive.model import SourceDoc
    from pelican.plugins.news_archive.settings import ArchiveSettings

    wanted = {r["id"] for r in checked()}
    logging.getLogger("pelican.plugins.news_archive.importer").setLevel(logging.ERROR)
    rules = load_rules()
    docs = []
    with gzip.open(BBC, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            rec = json.loads(line)
            if rec["id"] in wanted:
                art = parse_record(rec, f"record {n}", f"record-{n}", "bbc.jsonl", rules)
                docs.append(SourceDoc(key=rec["id"], title=art.title, text="\n\n".join(art.body), date=art.date,
                                      dateline=art.dateline, source=art.source))
    extractions = {ex.key: ex for ex in extract_docs(nlp, docs, 32)}
    index, _, _ = archive_stages(extractions, docs, ArchiveSettings(), EditorRules())
    quotes = quote_stage(docs, index, extractions=extractions)
    return {(k, q.text, index.entities[q.speaker].name) for k, qs in quotes.items() for q in qs}


@pytest.mark.skipif(not BBC.exists(), reason="shared BBC News data not available")
def test_every_attribution_judged_right_is_still_made(found):
    missing = [(r["id"], r["person"], r["quote"][:40]) for r in checked()
               if r["correct"] and (r["id"], r["quote"], r["person"]) not in found]
    assert not missing, missing


@pytest.mark.skipif(not BBC.exists(), reason="shared BBC News data not available")
def test_no_attribution_judged_wrong_is_made(found):
    made = [(r["id"], r["person"]) for r in checked()
            if not r["correct"] and (r["id"], r["quote"], r["person"]) in found]
    assert set(made) <= KNOWN_FAULTS, made
