"""Other reports of the same story: near-duplicate text (MinHash) and story groups.

Two kinds of evidence say that two articles report the same event; :mod:`.relate` gathers them, this module finds
the first and turns both into groups:

* **Near-duplicates.** Syndicated paragraphs make two reports of one event share long word sequences that
  unrelated articles on the same topic never share. A MinHash signature (datasketch) estimates the Jaccard overlap
  of the articles' 5-word shingles; LSH banding finds the candidate pairs without comparing every pair, and the
  estimate over the whole signature confirms them.
* **Same event, other words** (found by :mod:`.relate`): a different outlet's report shares few exact sentences,
  but it is close in text, names the same people and organisations, and was filed from the same place.

:func:`story_groups` joins the pairs into groups (a report linked to one report of a story belongs to it), so
"A ≈ B" and "B ≈ C" make A and C the same story too, provided A and C themselves are compatible (close in time,
not filed from different places). A group larger than ``max_size`` is no story but a topic: it falls back to
its direct pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from .extraction.fingerprint import NUM_PERM
from .groups import DisjointSet

# LSH buckets holding more articles than this are boilerplate shared by many articles, not one story.
MAX_BUCKET = 100
SIM_BLOCK = 2_048  # candidate pairs whose signatures are compared at once (two copies of 512 bytes each)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: folds a band of hash values into one key


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not len(a) or not len(b) or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


_BANDS: dict[float, tuple[int, int]] = {}


def bands(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's LSH picks for this Jaccard threshold and signature size (it
    integrates false-positive and false-negative rates; imported only when the result is not known yet)."""
    if threshold not in _BANDS:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=max(0.05, min(threshold, 0.99)), num_perm=NUM_PERM)
        _BANDS[threshold] = (lsh.b, lsh.r)
    return _BANDS[threshold]


def know_bands(threshold: float, value: tuple[int, int]) -> None:
    """What :func:`bands` gave for ``threshold`` in an earlier build (the build state keeps it)."""
    _BANDS[threshold] = value


def near_duplicate_pairs(signatures: Sequence[Sequence[int]], threshold: float
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs (i < j) whose estimated Jaccard similarity is at least ``threshold``, and that similarity.

    LSH banding, vectorised: each band of a signature is folded into one 64-bit key, articles with equal keys in
    some band are candidates, and every candidate is checked on its whole signature. Empty signatures never match.
    """
    valid = np.array([len(s) == NUM_PERM for s in signatures], dtype=bool)
    empty = np.zeros(0, dtype=np.int64)
    if valid.sum() < 2 or threshold > 1:
        return empty, empty, np.zeros(0)
    rows = np.flatnonzero(valid)
    sig = np.array([signatures[i] for i in rows], dtype=np.uint64)
    b, r = bands(threshold)
    n = len(rows)
    pair = np.zeros(0, dtype=np.int64)  # candidate pairs so far, as codes i·n + j, distinct
    with np.errstate(over="ignore"):
        for band in range(b):
            key = np.full(len(rows), band + 1, dtype=np.uint64)
            for col in range(band * r, (band + 1) * r):
                key = key * _MIX + sig[:, col]
            order = np.argsort(key, kind="stable")
            sorted_key = key[order]
            starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
            sizes = np.diff(np.r_[starts, len(order)])
            found: list[np.ndarray] = []
            for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
                if size > MAX_BUCKET:
                    continue
                members = np.sort(order[start:start + size])
                a, c = np.triu_indices(size, 1)
                found.append(members[a] * n + members[c])
            # Merged band by band: the same pair found in many bands is held once, not once per band.
            if found:
                pair = np.union1d(pair, np.concatenate(found))
    if not len(pair):
        return empty, empty, np.zeros(0)
    i, j = pair // n, pair % n
    # Whole signatures compared a block of pairs at a time: two signature copies per pair would otherwise be
    # held for every candidate at once.
    sim = np.concatenate([(sig[i[s:s + SIM_BLOCK]] == sig[j[s:s + SIM_BLOCK]]).mean(axis=1)
                          for s in range(0, len(pair), SIM_BLOCK)])
    keep = sim >= threshold
    return rows[i[keep]], rows[j[keep]], sim[keep]


def candidate_pairs(signatures: Mapping[str, Sequence[int]], threshold: float) -> dict[tuple[str, str], float]:
    """Near-duplicate pairs of keys (first key < second) with their estimated Jaccard similarity."""
    keys = sorted(signatures)
    i, j, sim = near_duplicate_pairs([signatures[k] for k in keys], threshold)
    return {(keys[a], keys[b]): float(s) for a, b, s in zip(i.tolist(), j.tolist(), sim.tolist(), strict=True)}


def story_groups(n: int, edges: Iterable[tuple[int, int]],
                 compatible: Callable[[np.ndarray, np.ndarray], np.ndarray], max_size: int = 10
                 ) -> dict[int, list[int]]:
    """Per article index, the other members of its story, in index order (articles without a story are absent).

    Groups are the connected components of ``edges``. Within a group of at most ``max_size`` articles, two
    members not linked directly are the same story when ``compatible`` (vectorised over index arrays) says so;
    a larger group keeps only its direct edges.
    """
    joined: DisjointSet[int] = DisjointSet()
    direct: dict[int, set[int]] = {}
    for a, b in edges:
        if a == b:
            continue
        direct.setdefault(a, set()).add(b)
        direct.setdefault(b, set()).add(a)
        joined.union(a, b)
    groups: dict[int, list[int]] = {}
    for x in sorted(direct):
        groups.setdefault(joined.find(x), []).append(x)
    mates = {x: set(ys) for x, ys in direct.items()}
    loose = [(x, y) for members in groups.values() if len(members) <= max_size
             for i, x in enumerate(members) for y in members[i + 1:] if y not in direct[x]]
    if loose:
        a = np.array([x for x, _ in loose], dtype=np.int64)
        b = np.array([y for _, y in loose], dtype=np.int64)
        for x, y, ok in zip(a.tolist(), b.tolist(), np.asarray(compatible(a, b)).tolist(), strict=True):
            if ok:
                mates[x].add(y)
                mates[y].add(x)
    return {x: sorted(ys) for x, ys in sorted(mates.items())}
