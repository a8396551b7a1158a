"""Other reports of the same story: near-duplicate text found with MinHash over word shingles.

Syndicated paragraphs make two reports of one event share long word sequences that unrelated articles on the same
topic never share. A MinHash signature (datasketch) estimates the Jaccard overlap of 5-word shingles, and an LSH
index finds candidate pairs without comparing every pair of articles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SCHEME = "affine32"  # fixed, so cached signatures stay comparable across datasketch releases
SHINGLE = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def fingerprint(text: str) -> tuple[int, ...]:
    """MinHash signature of the text's word shingles (empty text gives an empty signature)."""
    shingles = _shingles(text)
    if not shingles:
        return ()
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    mh.update_batch(sorted(shingles))
    return tuple(int(x) for x in mh.hashvalues)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def candidate_pairs(signatures: Mapping[str, tuple[int, ...]], threshold: float) -> set[tuple[str, str]]:
    """Pairs of keys whose estimated Jaccard may reach ``threshold``, found with LSH (no all-pairs loop)."""
    lsh = MinHashLSH(threshold=max(0.05, min(threshold, 0.99)), num_perm=NUM_PERM)
    pairs: set[tuple[str, str]] = set()
    for key in sorted(signatures):
        sig = signatures[key]
        if len(sig) != NUM_PERM:
            continue
        mh = MinHash(num_perm=NUM_PERM, seed=1, hashvalues=np.asarray(sig, dtype=np.uint64), scheme=SCHEME)
        for other in lsh.query(mh):
            pairs.add((other, key) if other < key else (key, other))
        lsh.insert(key, mh)
    return pairs
