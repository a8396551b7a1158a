"""The whole analysis, stage after stage, over plain data: extract → canonicalise → countries → relate.

This is what the Pelican adapter calls and what the benchmarks call, so both measure the same thing. It knows
nothing of Pelican: documents in, an :class:`ArchiveResult` out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cache import ExtractionCache
from .canonicalise import canonicalise
from .countries import file_countries
from .extract import extract_all
from .model import CountryRef, EntityIndex, Extraction, RelatedRef, SourceDoc
from .nlp import load_model, model_id
from .relate import relate
from .settings import ArchiveSettings

logger = logging.getLogger(__name__)


@dataclass
class ArchiveResult:
    """Everything the pages and the export need, keyed by article key (slug)."""

    model: str
    extractions: dict[str, Extraction]
    entities: EntityIndex
    countries: dict[str, list[CountryRef]]
    related: dict[str, list[RelatedRef]]
    seconds: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0
    cache_misses: int = 0


def analyse(docs: Sequence[SourceDoc], settings: ArchiveSettings, *, cache_dir: str | Path | None = None,
            materialise: Callable[[SourceDoc], SourceDoc] | None = None,
            progress_factory: Callable[[int], Callable[[int], None] | None] | None = None,
            editor_rules: object | None = None) -> ArchiveResult:
    """Run every stage over ``docs`` (keys must be unique)."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    nlp = load_model(settings.spacy_model)
    model = model_id(nlp)
    seconds["model"] = time.perf_counter() - t0

    t = time.perf_counter()
    cache = ExtractionCache(cache_dir if settings.cache and cache_dir else None)
    try:
        extractions = extract_all(docs, nlp, model, cache, batch_size=settings.batch_size,
                                  n_process=settings.n_process, progress_factory=progress_factory,
                                  materialise=materialise)
    finally:
        cache.close()
    seconds["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    sources = {d.key: d.source for d in docs}
    index = canonicalise(extractions, sources=sources, types=settings.entity_types, max_tags=settings.max_tags)
    seconds["entities"] = time.perf_counter() - t

    t = time.perf_counter()
    countries = file_countries(extractions, {d.key: d.dateline for d in docs})
    seconds["countries"] = time.perf_counter() - t

    t = time.perf_counter()
    names = {slug: e.name for slug, e in index.entities.items()}
    related = relate(extractions, index.by_article, {d.key: d.date for d in docs}, names,
                     count=settings.related_count, threshold=settings.related_threshold,
                     weights=settings.related_weights, same_story_threshold=settings.same_story_threshold,
                     same_story_max_days=settings.same_story_max_days)
    seconds["related"] = time.perf_counter() - t
    return ArchiveResult(model=model, extractions=extractions, entities=index, countries=countries,
                         related=related, seconds=seconds, cache_hits=cache.hits, cache_misses=cache.misses)
