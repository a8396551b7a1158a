"""The whole analysis, stage after stage, over plain data: extract → canonicalise → countries → relate.

This is what the Pelican adapter calls and what the benchmarks call, so both measure the same thing. It knows
nothing of Pelican: documents in, an :class:`ArchiveResult` out.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import replay
from .cache import ExtractionCache
from .extract import Materialise, cache_key, extract_all
from .model import CountryRef, EntityIndex, Extraction, RelatedRef, SourceDoc
from .nlp import load_model, model_identity
from .settings import ArchiveSettings

logger = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent


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


def code_fingerprint() -> str:
    """Digest of the package's code and knowledge files: archive-wide results are reused only by the same code."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv", ".toml", ".json") \
                and "importer" not in path.parts and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def archive_key(docs: Sequence[SourceDoc], settings: ArchiveSettings, editor_rules: object | None = None) -> str:
    """Digest of everything the archive-wide results are made from: each article's text (its extraction key),
    key, outlet, dateline and date, the settings, the editor file and the plugin's code and knowledge."""
    model = model_identity(settings.spacy_model)
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(repr(settings).encode())
    rules = editor_rules
    if isinstance(rules, str | os.PathLike) and os.path.isfile(rules):
        rules = Path(rules).read_bytes()
    h.update(repr(rules).encode())
    for doc in docs:
        h.update(repr((doc.key, cache_key(doc, model), doc.source, doc.dateline, doc.date)).encode())
    return "archive:" + h.hexdigest()


def archive_stages(extractions: dict[str, Extraction], docs: Sequence[SourceDoc], settings: ArchiveSettings,
                   editor_rules: object | None = None, seconds: dict[str, float] | None = None
                   ) -> tuple[EntityIndex, dict[str, list[CountryRef]], dict[str, list[RelatedRef]]]:
    """The archive-wide stages: canonical entities, countries, related articles."""
    # Imported here, not at the top: a warm rebuild reuses cached results and never pays for importing
    # scikit-learn, SciPy and datasketch (about two seconds together).
    from .canonicalise import canonicalise
    from .countries import file_countries
    from .relate import relate

    seconds = seconds if seconds is not None else {}
    t = time.perf_counter()
    sources = {d.key: d.source for d in docs}
    index = canonicalise(extractions, sources=sources, types=settings.entity_types, max_tags=settings.max_tags,
                         rules=editor_rules)  # the editor file (a path, parsed TOML or EditorRules)
    seconds["entities"] = time.perf_counter() - t

    t = time.perf_counter()
    countries = file_countries(extractions, {d.key: d.dateline for d in docs}, {d.key: d.title for d in docs})
    seconds["countries"] = time.perf_counter() - t

    t = time.perf_counter()
    names = {slug: e.name for slug, e in index.entities.items()}
    related = relate(extractions, index.by_article, {d.key: d.date for d in docs}, names,
                     count=settings.related_count, threshold=settings.related_threshold,
                     weights=settings.related_weights, same_story_threshold=settings.same_story_threshold,
                     same_story_max_days=settings.same_story_max_days,
                     kinds={slug: e.type for slug, e in index.entities.items()},
                     datelines={d.key: d.dateline for d in docs})
    seconds["related"] = time.perf_counter() - t
    return index, countries, related


def analyse(docs: Sequence[SourceDoc], settings: ArchiveSettings, *, cache_dir: str | Path | None = None,
            materialise: Materialise | None = None,
            progress_factory: Callable[[int], Callable[[int], None] | None] | None = None,
            editor_rules: object | None = None) -> ArchiveResult:
    """Run every stage over ``docs`` (keys must be unique).

    With a cache, a rebuild in which no article, setting, editor rule or code changed reuses the archive-wide
    results as a whole; ``extractions`` of the result is then empty (pages and export do not need it).
    """
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    model = model_identity(settings.spacy_model)
    seconds["model"] = time.perf_counter() - t0
    cache = ExtractionCache(cache_dir if settings.cache and cache_dir else None)
    try:
        key = ""
        if cache.enabled:
            key = archive_key(docs, settings, editor_rules)
            blob = cache.get_memo("archive", key)
            if blob is not None:
                try:
                    index, countries, related = replay.loads(blob)
                    seconds["archive cache"] = time.perf_counter() - t0
                    return ArchiveResult(model=model, extractions={}, entities=index, countries=countries,
                                         related=related, seconds=seconds, cache_hits=len(docs))
                except Exception as exc:  # a damaged entry is recomputed, never fatal
                    logger.debug("news_archive: archive cache entry unreadable (%s); recomputing", exc)
        t = time.perf_counter()
        extractions = extract_all(docs, lambda: load_model(settings.spacy_model), model, cache,
                                  batch_size=settings.batch_size, n_process=settings.n_process,
                                  progress_factory=progress_factory, materialise=materialise)
        seconds["extract"] = time.perf_counter() - t
        index, countries, related = archive_stages(extractions, docs, settings, editor_rules, seconds)
        if key:
            cache.put_memo("archive", key, pickle.dumps((index, countries, related), protocol=5))
    finally:
        cache.close()
    return ArchiveResult(model=model, extractions=extractions, entities=index, countries=countries,
                         related=related, seconds=seconds, cache_hits=cache.hits, cache_misses=cache.misses)
