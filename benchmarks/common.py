"""Shared helpers for the benchmark scripts: read ../shared/data, run the plugin's extraction with a cache.

The benchmarks never copy the data into the project; they read it where the guide puts it (override with the
NEWS_ARCHIVE_DATA environment variable). Extraction results are cached in benchmarks/.work/cache so that the
quality benchmarks of different stages share one spaCy pass.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import resource
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = Path(os.environ.get("NEWS_ARCHIVE_DATA", ROOT.parent / "shared" / "data"))
WORK = HERE / ".work"


def read_jsonl(name: str) -> Iterator[dict]:
    """Records of a (possibly gzipped) JSONL file in the data folder."""
    path = DATA / name
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def source_docs(records, *, limit: int | None = None):
    """JSONL news records → SourceDocs through the importer's own JSONL parsing (``parse_record``: paragraphs,
    boilerplate, dateline and outlet found as ``news-archive import`` finds them), so that a benchmark scores the
    text a user's archive holds. A record the importer would skip is skipped here too."""
    from pelican.plugins.news_archive.importer.jsonl_input import parse_record
    from pelican.plugins.news_archive.importer.rules import load_rules
    from pelican.plugins.news_archive.model import SourceDoc

    # What the importer warns about (a record without a date…) is about the data set, not the benchmark's figures.
    logging.getLogger("pelican.plugins.news_archive.importer").setLevel(logging.ERROR)
    rules = load_rules()
    docs = []
    for n, rec in enumerate(records, start=1):
        art = parse_record(rec, f"record {n}", f"record-{n}", "benchmark.jsonl", rules)
        if art is None:
            continue
        docs.append(SourceDoc(key=str(rec.get("id", art.slug)), title=art.title, text="\n\n".join(art.body),
                              date=art.date, dateline=art.dateline, source=art.source))
        if limit and len(docs) >= limit:
            break
    return docs


def extract(docs, *, cache: bool = True):
    """The plugin's extraction stage over docs (its worker processes and build state, kept in
    benchmarks/.work/cache so that the benchmarks of different stages share one spaCy pass)."""
    from pelican.plugins.news_archive.analysis.extraction.nlp import model_identity
    from pelican.plugins.news_archive.analysis.extraction.workers import ProcessExtractor, processes_for
    from pelican.plugins.news_archive.analysis.pipeline import extraction_code, extraction_key
    from pelican.plugins.news_archive.build.state import BuildState

    code = extraction_code(model_identity(None))
    keys = {d.key: extraction_key(d, code) for d in docs}
    with BuildState(WORK / "cache" if cache else None) as state:
        stored = state.get_records("extraction", keys.values())
        todo = [d for d in docs if keys[d.key] not in stored]
        if todo:
            pool = ProcessExtractor(None, processes_for(0, len(todo)))
            try:
                fresh = {keys[ex.key]: ex for ex, _ in pool.extract(todo)}
            finally:
                pool.close()
            state.put_records("extraction", fresh)
            stored.update(fresh)
    from dataclasses import replace

    return {d.key: replace(stored[keys[d.key]], key=d.key) for d in docs}


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children) in MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    kb = resource.getrusage(who).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024
