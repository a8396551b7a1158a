"""A MinHash signature of an article's word shingles, made once with its extraction.

Syndicated copies of one report share long word sequences; :mod:`..samestory` compares these signatures to find
them without comparing texts. The signature is part of the cached extraction, so its parameters are fixed here.

The signature is datasketch's ``MinHash(num_perm=64, seed=1, scheme="affine32")`` over the shingles, value for
value (a test compares the two), computed here with NumPy: importing ``datasketch`` imports its LSH indexes and
with them SciPy's ``integrate`` (half a second), and a correction's worker paid that on the build's critical path,
after loading spaCy, for the one article it extracts. The scheme: each shingle's SHA-1 (first four bytes, little
endian) mixed by the MurmurHash3 finalizer, then ``a * h + b mod 2**32`` for 64 pairs (``a`` odd) drawn from
``RandomState(1)``; the signature is each pair's minimum.
"""

from __future__ import annotations

import functools
import hashlib
import re

NUM_PERM = 64
SEED = 1
SCHEME = "affine32"  # datasketch's name for the scheme below (fixed, so cached signatures stay comparable)
SHINGLE = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    """The text's lower-cased 5-word sequences (the whole text when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


@functools.cache
def _permutations() -> tuple[object, object]:
    """The (a, b) of each of the signature's permutations, drawn as datasketch draws them."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(hv: object) -> object:
    """MurmurHash3's 32-bit finalizer, element-wise (a bijection that spreads similar hashes apart)."""
    import numpy as np

    hv = hv ^ (hv >> np.uint32(16))  # type: ignore[operator]
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def fingerprint(text: str) -> tuple[int, ...]:
    """MinHash signature of the text's word shingles (empty text gives an empty signature)."""
    import numpy as np

    found = shingles(text)
    if not found:
        return ()
    digests = b"".join(hashlib.sha1(s).digest()[:4] for s in sorted(found))
    hv = _fmix32(np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1))
    a, b = _permutations()
    return tuple(int(x) for x in (hv * a + b).min(axis=0))  # type: ignore[operator]
