"""Stage 4: related articles (what to read next, and why) and other reports of the same story.

**Score.** For two articles a and b::

    score(a, b) = cos_T(a, b) · (w_text + w_entities · cos_E(a, b)) + w_recency · exp(-|days between| / 30)

* ``T`` is the article's text vector over its content lemmas (from extraction), weight ``(1 + ln tf) · √idf`` with
  ``idf = ln((1 + N) / (1 + df)) + 1``. The square root damps the idf: on Reuters, topic words shared by many
  articles ("oil", "merger") say more about what a reader wants next than rare words do.
* ``E`` is the article's entity vector, weight ``ln(1 + salience) · ln((1 + N) / df)``: a full idf, so a shared
  rare person counts far more than a shared "Iran".
* Entities multiply text agreement instead of adding to it: two articles that merely share a company or a country
  do not become related, but among articles on the same subject the ones about the same people come first.
  (Measured on Reuters: entity overlap as a separate term lets the same company's results outrank its takeover.)
* Recency only counts when both articles are dated (off by default).

Weights are ``NEWS_ARCHIVE_RELATED_WEIGHTS`` = (entities, text, recency); a link needs
``score ≥ NEWS_ARCHIVE_RELATED_THRESHOLD``; ``NEWS_ARCHIVE_RELATED_COUNT`` links per article.

**Scale.** Never an N×N matrix nor a loop over all pairs: each article's text vector keeps its ``ROW_TERMS`` strongest
lemmas, each lemma's posting list its ``POSTINGS`` strongest articles, and a query uses its ``QUERY_TERMS`` strongest
lemmas. Sparse products over chunks of articles give ``CANDIDATES`` candidates per article (top-k by argpartition),
which are then scored exactly. Work grows with N × QUERY_TERMS × POSTINGS: linearly.

**Same story** (see :mod:`.samestory`): near-duplicate text (MinHash Jaccard ≥ ``SAME_STORY_THRESHOLD``), or the
same event in other words: ``cos_T ≥ EVENT_MIN_TEXT`` and the same people (cosine over PERSON entities weighted
salience · (idf + 1), ≥ ``EVENT_MIN_ACTORS``), not filed from two different places (dateline, else the one city
named most). Either way both dates, when known, lie within ``SAME_STORY_MAX_DAYS``; undated articles get no date
penalty. Pairs join into groups of at most ``MAX_STORY`` (members linked only through others need
``cos_T ≥ STORY_MIN_TEXT``). Same-story links come first in an article's list, flagged and always kept; the other
links follow, best first.

**Explained.** Each link names the entities both articles share, the biggest contributions to ``E_a · E_b``
(rarest and most salient) first. Ties in score go to the newer article, then to the slug: the output depends on
the archive, never on the order articles come in.

Manual ``related:`` metadata is applied by the adapter and always wins.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date as Date

import numpy as np
from scipy import sparse

from ..model import EntityRef, Extraction, RelatedRef
from .samestory import near_duplicate_pairs, story_groups

ROW_TERMS = 60  # lemmas kept per article (its strongest)
QUERY_TERMS = 12  # lemmas an article looks its candidates up with
POSTINGS = 300  # articles kept per lemma (those it weighs most in)
MIN_CANDIDATES = 30  # candidates per article scored exactly (at least 3 × count)
CHUNK = 2000  # articles per sparse product
RECENCY_DAYS = 30.0
EVENT_MIN_TEXT = 0.35  # same event in other words: text cosine at least this …
EVENT_MIN_ACTORS = 0.35  # … and the same people (cosine over PERSON entities, salience-weighted)
ACTOR_TYPES = frozenset({"PERSON"})
STORY_MIN_TEXT = 0.25  # two members of a story linked only through others still need this text cosine
MAX_STORY = 10  # a bigger group of "same story" articles is a topic: only its direct pairs count
SHARED_SHOWN = 4
_DATELINE_PLACE = re.compile(r"\(|,|\s[-–—]|[-–—]\s*$")


# -- vectors -----------------------------------------------------------------------------------------------------
def _csr(rows: list[list[int]], vals: list[list[float]] | None, n_cols: int) -> sparse.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    cols = np.fromiter((c for r in rows for c in r), dtype=np.int32, count=int(indptr[-1]))
    data = (np.ones(len(cols), dtype=np.float32) if vals is None else
            np.fromiter((v for r in vals for v in r), dtype=np.float32, count=int(indptr[-1])))
    m = sparse.csr_matrix((data, cols, indptr), shape=(len(rows), max(1, n_cols)))
    m.sum_duplicates()
    return m


def unit_rows(m: sparse.spmatrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (an all-zero row stays zero), as float32 CSR: cosines become dot products."""
    m = sparse.csr_matrix(m, dtype=np.float64)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ m, dtype=np.float32)


def text_matrix(keys: Sequence[str], extractions: Mapping[str, Extraction]) -> sparse.csr_matrix:
    """Unit text vectors over content lemmas: (1 + ln tf) · √idf."""
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(t, len(vocab)) for t in extractions[k].terms] for k in keys]
    m = _csr(rows, None, len(vocab))
    n = len(keys)
    df = np.bincount(m.indices, minlength=m.shape[1])
    idf = np.sqrt(np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    m.data = (1 + np.log(m.data)) * idf[m.indices]
    return unit_rows(m)


def entity_matrix(keys: Sequence[str], tags: Mapping[str, Sequence[EntityRef]],
                  only: frozenset[str] | None = None, *, actors: bool = False) -> tuple[sparse.csr_matrix, list[str]]:
    """Entity vectors, ln(1 + salience) · ln((1 + N) / df), not normalised; and the slug of every column.

    ``only``: the slugs to keep (None: all). ``actors``: weight salience · (ln((1 + N) / df) + 1) instead, which
    puts an article's protagonists first and never zeroes an entity every article names.
    """
    vocab: dict[str, int] = {}
    rows: list[list[int]] = []
    vals: list[list[float]] = []
    for k in keys:
        refs = [r for r in tags.get(k, ()) if only is None or r.slug in only]
        rows.append([vocab.setdefault(r.slug, len(vocab)) for r in refs])
        vals.append([max(r.salience, 0.0) if actors else math.log1p(max(r.salience, 0.0)) for r in refs])
    m = _csr(rows, vals, len(vocab))
    df = np.bincount(m.indices, minlength=m.shape[1])
    idf = (np.log((1 + len(keys)) / np.maximum(df, 1)) + (1.0 if actors else 0.0)).astype(np.float32)
    m.data = m.data * idf[m.indices]
    m.eliminate_zeros()
    slugs = [""] * len(vocab)
    for slug, j in vocab.items():
        slugs[j] = slug
    return m, slugs


# -- candidates --------------------------------------------------------------------------------------------------
def top_per_row(m: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep the k largest values of every row (ties: lower column first)."""
    m = m.tocsr()
    counts = np.diff(m.indptr)
    if not len(counts) or counts.max() <= k:
        return m
    rows = np.repeat(np.arange(m.shape[0]), counts)
    order = np.lexsort((m.indices, -m.data, rows))
    rank = np.arange(len(order)) - m.indptr[rows[order]]
    keep = np.sort(order[rank < k])
    return sparse.csr_matrix((m.data[keep], m.indices[keep], np.r_[0, np.cumsum(np.minimum(counts, k))]),
                             shape=m.shape)


def candidates(text: sparse.csr_matrix, per_row: int) -> tuple[np.ndarray, np.ndarray]:
    """Up to ``per_row`` candidate partners per article (index pairs i ≠ j), from pruned sparse products."""
    n = text.shape[0]
    strongest = top_per_row(text, ROW_TERMS)
    index = top_per_row(strongest.T.tocsr(), POSTINGS)  # rows = lemmas: each keeps its strongest articles
    # A row's QUERY_TERMS strongest are among its ROW_TERMS strongest (one order, ties to the lower column): the
    # same rows as from the whole matrix, sorted once less.
    query = top_per_row(strongest, QUERY_TERMS)
    out_i: list[np.ndarray] = []
    out_j: list[np.ndarray] = []
    for start in range(0, n, CHUNK):
        prod = (query[start:start + CHUNK] @ index).tocsr()
        ptr, idx, val = prod.indptr, prod.indices, prod.data
        for r in range(prod.shape[0]):
            cols, vals = idx[ptr[r]:ptr[r + 1]], val[ptr[r]:ptr[r + 1]]
            mine = cols != start + r
            cols, vals = cols[mine], vals[mine]
            if len(cols) > per_row:
                cols = cols[np.argpartition(-vals, per_row - 1)[:per_row]]
            out_i.append(np.full(len(cols), start + r, dtype=np.int64))
            out_j.append(cols.astype(np.int64))
    if not out_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)


def _unique(codes: np.ndarray) -> np.ndarray:
    """Sorted distinct values (plain sort: faster than ``np.unique`` on millions of int64)."""
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def pair_dot(a: sparse.csr_matrix, b: sparse.csr_matrix, i: np.ndarray, j: np.ndarray,
             chunk: int = 100_000) -> np.ndarray:
    """Row a[i] · row b[j] for every pair, without forming any product matrix."""
    out = np.zeros(len(i), dtype=np.float64)
    for s in range(0, len(i), chunk):
        out[s:s + chunk] = np.asarray(a[i[s:s + chunk]].multiply(b[j[s:s + chunk]]).sum(axis=1)).ravel()
    return out


# -- dates and places --------------------------------------------------------------------------------------------
def _ordinal(value: str | None) -> float:
    if not value:
        return math.nan
    try:
        return float(Date.fromisoformat(str(value)[:10]).toordinal())
    except ValueError:
        return math.nan


def _local_place(name: str) -> str | None:
    """A place below country level (city, state) as a comparable key; None for countries and regions."""
    from . import gazetteer

    if not name or gazetteer.is_country_name(name) or gazetteer.is_region(name):
        return None
    return gazetteer.norm(name)


def event_places(keys: Sequence[str], tags: Mapping[str, Sequence[EntityRef]], kinds: Mapping[str, str],
                 names: Mapping[str, str], datelines: Mapping[str, str | None]) -> list[str | None]:
    """Where each article was filed: its dateline's place, else the one local place it names most (twice or more).

    Only places below country level count ("Tehran (IP) -", not "Iran (IMNA) -"): two reports of one event may
    name different countries, but not different cities.
    """
    local: dict[str, str | None] = {}
    out: list[str | None] = []
    for k in keys:
        place = None
        dateline = (datelines.get(k) or "").strip()
        if dateline:
            place = _local_place(_DATELINE_PLACE.split(dateline, maxsplit=1)[0].strip())
        if place is None:
            counts: list[tuple[int, str]] = []
            for ref in tags.get(k, ()):
                if kinds.get(ref.slug) == "GPE":
                    if ref.slug not in local:
                        local[ref.slug] = _local_place(names.get(ref.slug, ref.slug))
                    if local[ref.slug]:
                        counts.append((ref.mentions, local[ref.slug]))
            counts.sort(reverse=True)
            if counts and counts[0][0] >= 2 and (len(counts) == 1 or counts[1][0] < counts[0][0]):
                place = counts[0][1]
        out.append(place)
    return out


# -- the stage ---------------------------------------------------------------------------------------------------
def relate(extractions: Mapping[str, Extraction], tags: Mapping[str, Sequence[EntityRef]],
           dates: Mapping[str, str | None], names: Mapping[str, str], *, count: int = 5,
           threshold: float = 0.15, weights: tuple[float, float, float] = (0.25, 0.75, 0.0),
           same_story_threshold: float = 0.2, same_story_max_days: int = 2,
           kinds: Mapping[str, str] | None = None, datelines: Mapping[str, str | None] | None = None,
           ) -> dict[str, list[RelatedRef]]:
    """Related links per article: same-story reports first (flagged, always kept), then up to ``count`` others.

    ``kinds`` maps entity slugs to their type (to tell actors from places), ``datelines`` article keys to their
    dateline (where a report was filed); both optional.
    """
    keys = sorted(extractions)
    n = len(keys)
    if not n:
        return {}
    kinds = kinds or {}
    w_ent, w_text, w_rec = weights
    text = text_matrix(keys, extractions)
    ents, slugs = entity_matrix(keys, tags)
    ents_unit = unit_rows(ents)
    actor_slugs = frozenset(s for s in slugs if kinds.get(s, "PERSON") in ACTOR_TYPES)
    actors = unit_rows(entity_matrix(keys, tags, actor_slugs, actors=True)[0])
    days = np.array([_ordinal(dates.get(k)) for k in keys])

    # Candidate pairs (both directions, so that a link found from one side is scored from both), and
    # near-duplicates (MinHash over shingles).
    ci, cj = candidates(text, max(MIN_CANDIDATES, 3 * count))
    di, dj, _ = near_duplicate_pairs([extractions[k].fingerprint for k in keys], same_story_threshold)
    dup_codes = _unique(np.r_[di * n + dj, dj * n + di])
    pair = _unique(np.r_[ci * n + cj, cj * n + ci, dup_codes])
    if not len(pair):
        return {k: [] for k in keys}

    # Same story: direct edges (near-duplicates; same event in other words), then groups.
    places = event_places(keys, tags, kinds, names, datelines or {})
    place_ids = {p: i for i, p in enumerate(sorted({p for p in places if p is not None}))}
    place_id = np.array([-1 if p is None else place_ids[p] for p in places], dtype=np.int64)
    pi, pj = pair // n, pair % n
    cos_t = pair_dot(text, text, pi, pj)

    def compatible_pairs(a: np.ndarray, b: np.ndarray, place: bool = True) -> np.ndarray:
        """Dates within the window (or unknown), and, with ``place``, not filed from two different places."""
        gap = np.abs(days[a] - days[b])
        ok = np.isnan(gap) | (np.nan_to_num(gap, nan=0.0) <= same_story_max_days)
        if place:
            ok &= (place_id[a] < 0) | (place_id[b] < 0) | (place_id[a] == place_id[b])
        return ok

    forward = pi < pj
    edges = forward & np.isin(pair, dup_codes) & compatible_pairs(pi, pj, place=False)
    event = forward & (cos_t >= EVENT_MIN_TEXT) & compatible_pairs(pi, pj)
    if event.any():
        at = np.flatnonzero(event)
        edges[at] |= pair_dot(actors, actors, pi[at], pj[at]) >= EVENT_MIN_ACTORS

    def joinable(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # members linked only through others
        return compatible_pairs(a, b) & (pair_dot(text, text, a, b) >= STORY_MIN_TEXT)

    story = story_groups(n, zip(pi[edges].tolist(), pj[edges].tolist(), strict=True), joinable, MAX_STORY)
    story_codes = _unique(np.array([a * n + b for a, mates in story.items() for b in mates], dtype=np.int64))
    extra = np.setdiff1d(story_codes, pair, assume_unique=True)  # group members linked only through others
    if len(extra):
        pair = np.r_[pair, extra]
        pi, pj = pair // n, pair % n
        cos_t = np.r_[cos_t, pair_dot(text, text, extra // n, extra % n)]

    # Scores.
    score = cos_t * (w_text + w_ent * pair_dot(ents_unit, ents_unit, pi, pj))
    if w_rec:
        gap = np.abs(days[pi] - days[pj])
        dated = ~np.isnan(gap)
        score[dated] += w_rec * np.exp(-gap[dated] / RECENCY_DAYS)
    rounded = np.round(score, 4)

    # Per article: its story first, then up to ``count`` others above the threshold; each group by score (as
    # shown, 4 decimals) high first, then the newer article, then the slug.
    mate = np.isin(pair, story_codes)
    newer = np.nan_to_num(days, nan=-np.inf)
    order = np.lexsort((pj, -newer[pj], -rounded, ~mate, pi))
    pi, pj, rounded, mate = pi[order], pj[order], rounded[order], mate[order]
    other = ~mate & (rounded >= threshold) & (rounded > 0)
    seen = np.cumsum(other)
    row_start = np.searchsorted(pi, np.arange(n))
    before = np.where(row_start > 0, seen[np.maximum(row_start - 1, 0)], 0)
    keep = mate | (other & (seen - before[pi] <= count))
    pi, pj, rounded, mate = pi[keep], pj[keep], rounded[keep], mate[keep]

    shared = explain(ents, slugs, names, pi, pj)
    out: dict[str, list[RelatedRef]] = {k: [] for k in keys}
    for a, b, s, same, why in zip(pi.tolist(), pj.tolist(), rounded.tolist(), mate.tolist(), shared, strict=True):
        out[keys[a]].append(RelatedRef(key=keys[b], score=s, same_story=same, shared=why))
    return out


def explain(ents: sparse.csr_matrix, slugs: Sequence[str], names: Mapping[str, str], i: np.ndarray,
            j: np.ndarray) -> list[tuple[str, ...]]:
    """Per pair, the names of the entities both articles share, biggest share of ``E_a · E_b`` first."""
    if not len(i):
        return []
    labels = [names.get(s, s) for s in slugs]
    by_name = np.empty(len(slugs), dtype=np.int64)
    by_name[sorted(range(len(slugs)), key=lambda c: (labels[c].lower(), slugs[c]))] = np.arange(len(slugs))
    both = ents[i].multiply(ents[j]).tocsr()
    both.eliminate_zeros()
    counts = np.diff(both.indptr)
    rows = np.repeat(np.arange(both.shape[0]), counts)
    order = np.lexsort((by_name[both.indices], -both.data, rows))
    rank = np.arange(len(order)) - both.indptr[rows[order]]
    top = order[rank < SHARED_SHOWN]
    out: list[list[str]] = [[] for _ in range(both.shape[0])]
    for r, c in zip(rows[top].tolist(), both.indices[top].tolist(), strict=True):
        out[r].append(labels[c])
    return [tuple(x) for x in out]
