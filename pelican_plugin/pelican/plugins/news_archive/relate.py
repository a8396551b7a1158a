"""Stage 4: related articles, scored from shared entities (weighted by rarity) and text similarity.

score(a, b) = w_entities · cos(E_a, E_b) + w_text · cos(T_a, T_b) + w_recency · exp(-|days| / 30)

where E is the article's entity vector (salience × inverse document frequency, so a shared rare person counts more
than a shared "Iran") and T its TF-IDF vector over lemmas. Both are sparse; the product of the sparse matrices
yields only pairs that share something, and a top-k per row keeps the work near linear in practice.
Manual ``related:`` metadata is applied by the adapter and always wins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date as Date

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .model import EntityRef, Extraction, RelatedRef
from .samestory import candidate_pairs, similarity


def _entity_matrix(keys: Sequence[str], tags: Mapping[str, list[EntityRef]]) -> tuple[sparse.csr_matrix, list[str]]:
    vocab: dict[str, int] = {}
    df: dict[str, int] = {}
    for k in keys:
        for ref in tags.get(k, ()):
            df[ref.slug] = df.get(ref.slug, 0) + 1
            vocab.setdefault(ref.slug, len(vocab))
    rows, cols, vals = [], [], []
    n = len(keys)
    for i, k in enumerate(keys):
        for ref in tags.get(k, ()):
            rows.append(i)
            cols.append(vocab[ref.slug])
            vals.append(math.log1p(ref.salience) * math.log((1 + n) / (1 + df[ref.slug])))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))), dtype=np.float32)
    names = [""] * len(vocab)
    for slug, j in vocab.items():
        names[j] = slug
    return normalize(m), names


def _text_matrix(keys: Sequence[str], extractions: Mapping[str, Extraction]) -> sparse.csr_matrix:
    docs = [list(extractions[k].terms) for k in keys]
    if not any(docs):
        return sparse.csr_matrix((len(keys), 1), dtype=np.float32)
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=1, dtype=np.float32)
    return vec.fit_transform(docs)


def _days(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    try:
        return abs((Date.fromisoformat(a[:10]) - Date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def relate(extractions: Mapping[str, Extraction], tags: Mapping[str, list[EntityRef]],
           dates: Mapping[str, str | None], names: Mapping[str, str], *, count: int = 5,
           threshold: float = 0.05, weights: tuple[float, float, float] = (0.5, 0.5, 0.0),
           same_story_threshold: float = 0.3, same_story_max_days: int = 7) -> dict[str, list[RelatedRef]]:
    """Related links per article, best first; same-story reports flagged and always kept."""
    keys = sorted(extractions)
    if not keys:
        return {}
    index = {k: i for i, k in enumerate(keys)}
    w_ent, w_text, w_rec = weights
    ent, ent_names = _entity_matrix(keys, tags)
    text = _text_matrix(keys, extractions)
    sim = (ent @ ent.T) * w_ent + (text @ text.T) * w_text
    sim = sparse.csr_matrix(sim)
    sim.setdiag(0)
    sim.eliminate_zeros()
    same: dict[str, set[str]] = {k: set() for k in keys}
    signatures = {k: extractions[k].fingerprint for k in keys}
    for a, b in candidate_pairs(signatures, same_story_threshold):
        if similarity(signatures[a], signatures[b]) < same_story_threshold:
            continue
        days = _days(dates.get(a), dates.get(b))
        if days is not None and days > same_story_max_days:
            continue
        same[a].add(b)
        same[b].add(a)
    out: dict[str, list[RelatedRef]] = {}
    for k in keys:
        i = index[k]
        row = sim.getrow(i)
        scores: dict[str, float] = {keys[j]: float(v) for j, v in zip(row.indices, row.data, strict=True)}
        if w_rec:
            for other in list(scores):
                d = _days(dates.get(k), dates.get(other))
                if d is not None:
                    scores[other] += w_rec * math.exp(-d / 30)
        for other in same[k]:
            scores.setdefault(other, 0.0)
        ranked = sorted(scores.items(), key=lambda kv: (-(kv[0] in same[k]), -kv[1],
                                                         dates.get(kv[0]) or "", kv[0]))
        refs: list[RelatedRef] = []
        mine = {r.slug for r in tags.get(k, ())}
        for other, score in ranked:
            is_same = other in same[k]
            if not is_same and (score < threshold or len([r for r in refs if not r.same_story]) >= count):
                continue
            theirs = [r.slug for r in tags.get(other, ()) if r.slug in mine]
            shared = tuple(names.get(s, s) for s in theirs[:4])
            refs.append(RelatedRef(key=other, score=round(score, 4), same_story=is_same, shared=shared))
        out[k] = refs
    return out
