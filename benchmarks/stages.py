"""Peak memory of each archive-wide stage over one content folder (run by ``scale.py --stages``, one process a size).

The articles are read as ``pelican`` reads them (Pelican's readers and the plugin's signals, then
``documents()``), their extractions taken from a build cache that holds them all (``news-archive analyse`` filled
it), and then the stages run one after another as a build runs them, without the build state (so nothing is
read from or written to it): canonicalise (prepare every article, merge, the editor's rules), countries, same
story (MinHash banding over every signature), relate (related links; it runs same story again inside, as a build
does), page models (entity and country pages, what each article page shows).

Measured with ``tracemalloc`` (Python's allocator and NumPy's buffers, which NumPy reports to it), started
after the extractions are loaded and every stage has run once over a few articles (knowledge files loaded,
modules imported: what does not grow with the archive is not counted): per stage, the peak of memory allocated
during the stage above what was allocated when it started (``own``), what it still holds at its end (``kept``:
its result), and the seconds it took (slowed by tracing: a few times a build's). Prints one JSON line.

    python benchmarks/stages.py CONTENT CACHE
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from common import ROOT

MiB = 1024 * 1024


def load(content: Path, cache: Path):
    """Pelican's articles of ``content`` as documents, and their extractions from the cache at ``cache``."""
    from pelican.plugins.news_archive.analysis.extraction.nlp import model_identity
    from pelican.plugins.news_archive.analysis.pipeline import extraction_code, extraction_key
    from pelican.plugins.news_archive.build.state import BuildState
    from pelican.plugins.news_archive.edge import runs
    from pelican.plugins.news_archive.edge.analyse import read_articles
    from pelican.plugins.news_archive.edge.documents import documents
    from pelican.settings import read_settings

    runs.Run.expected_misses = lambda self: 0  # no extraction workers: every extraction is in the cache
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content), "CACHE_PATH": str(cache),
                                                                     "NEWS_ARCHIVE_SEARCH": False})
    pelican, articles = read_articles(settings)
    run = runs.end(pelican.settings)
    docs = documents(articles, pelican.path)
    code = extraction_code(model_identity(run.options.spacy_model))
    keys = {d.key: extraction_key(d, code) for d in docs.docs}
    with BuildState(cache) as state:
        stored = state.get_records("extraction", keys.values())
    missing = [k for k, key in keys.items() if key not in stored]
    if missing:
        raise SystemExit(f"{len(missing)} articles have no extraction in {cache} (run news-archive analyse first)")
    extractions = {k: replace(stored[key], key=k) for k, key in keys.items()}
    run.close()
    return docs, extractions, run.options, pelican.settings


WARM_UP = 50  # articles every stage runs over once before measuring: knowledge files loaded, modules imported


def run_stages(docs, ex, options, settings, stage) -> None:
    """The archive-wide stages over ``docs`` and their extractions ``ex``, each called through ``stage``."""
    from pelican.plugins.news_archive.analysis.canonicalise import canonicalise, prepare_article
    from pelican.plugins.news_archive.analysis.countries import countries_for
    from pelican.plugins.news_archive.analysis.editorial import EditorRules, apply_rules
    from pelican.plugins.news_archive.analysis.pipeline import ArchiveResult
    from pelican.plugins.news_archive.analysis.relate import relate
    from pelican.plugins.news_archive.analysis.samestory import near_duplicate_pairs
    from pelican.plugins.news_archive.edge import views
    from pelican.plugins.news_archive.site import addresses, pages

    by_key = {d.key: d for d in docs.docs}

    def entities():
        prepared = {k: prepare_article(k, ex[k], by_key[k].source, by_key[k].dateline, by_key[k].title) for k in ex}
        index = canonicalise(ex, sources={k: d.source for k, d in by_key.items()},
                             datelines={k: d.dateline for k, d in by_key.items()},
                             titles={k: d.title for k, d in by_key.items()}, types=options.entity_types,
                             prepared=prepared)
        return apply_rules(index, EditorRules())

    index = stage("canonicalise", entities)
    countries = stage("countries", lambda: dict(sorted(
        {k: countries_for(ex[k], by_key[k].dateline, by_key[k].title, by_key[k].source) for k in ex}.items())))
    stage("same_story", lambda: near_duplicate_pairs([ex[k].fingerprint for k in sorted(ex)],
                                                      options.same_story_threshold))
    related = stage("relate", lambda: relate(
        ex, index.by_article, {k: d.date for k, d in by_key.items()},
        {slug: e.name for slug, e in index.entities.items()}, count=options.related_count,
        threshold=options.related_threshold, weights=options.related_weights,
        same_story_threshold=options.same_story_threshold, same_story_max_days=options.same_story_max_days,
        kinds={slug: e.type for slug, e in index.entities.items()},
        datelines={k: d.dateline for k, d in by_key.items()}))
    result = ArchiveResult(model="", entities=index, countries=countries, related=related)

    def page_models():
        site = pages.entity_pages(index, docs.infos, options, addresses.AddressBook(), frozenset())
        pages.country_pages(site, countries, docs.infos, options)
        return site, views.present(docs, result, site, options, settings)

    stage("page_models", page_models)


def main() -> None:
    from pelican.plugins.news_archive.edge.documents import Documents

    content, cache = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    docs, ex, options, settings = load(content, cache)
    few = Documents(docs=docs.docs[:WARM_UP], infos={d.key: docs.infos[d.key] for d in docs.docs[:WARM_UP]},
                    by_key={d.key: docs.by_key[d.key] for d in docs.docs[:WARM_UP]})
    run_stages(few, {d.key: ex[d.key] for d in few.docs}, options, settings, lambda name, make: make())
    figures: dict[str, dict[str, float]] = {}

    def stage(name, make):
        gc.collect()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        t = time.perf_counter()
        out = make()
        seconds = time.perf_counter() - t
        gc.collect()
        now, peak = tracemalloc.get_traced_memory()
        figures[name] = {"own": (peak - base) / MiB, "kept": (now - base) / MiB, "seconds": seconds}
        return out

    gc.collect()
    tracemalloc.start()
    run_stages(docs, ex, options, settings, stage)
    print(json.dumps({"articles": len(docs.docs), "stages": figures}))


if __name__ == "__main__":
    main()
