"""A MinHash signature of an article's word shingles, made once with its extraction (datasketch).

Syndicated copies of one report share long word sequences; :mod:`..samestory` compares these signatures to find
them without comparing texts. The signature is part of the cached extraction, so its parameters are fixed here.
"""

from __future__ import annotations

import re

NUM_PERM = 64
SCHEME = "affine32"  # fixed, so cached signatures stay comparable across datasketch releases
SHINGLE = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    """The text's lower-cased 5-word sequences (the whole text when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def fingerprint(text: str) -> tuple[int, ...]:
    """MinHash signature of the text's word shingles (empty text gives an empty signature)."""
    from datasketch import MinHash  # here: only extraction (a cache miss) needs it

    found = shingles(text)
    if not found:
        return ()
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    mh.update_batch(sorted(found))
    return tuple(int(x) for x in mh.hashvalues)
