"""Spelling: acronyms and transliteration variants of a name.

"IRPT" abbreviates "Islamic Renaissance Party (of Tajikistan)"; "Bagheri" and "Baqeri", "Ibrahim" and "Ebrahim"
are one name in two transliterations. Both are decided from the letters alone here; whether two such names are
the same entity is decided with the context by :mod:`.resolve`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

from ...knowledge import word_list
from ...names import name_key

ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")


def is_acronym_of(acronym: str, name: str, *, exact: bool = False) -> bool:
    """True when ``acronym`` abbreviates ``name`` ("IRPT" → "Islamic Renaissance Party", one extra letter)."""
    if not ACRONYM.match(acronym):
        return False
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in word_list("particles.txt")]
    initials = "".join(w[0].upper() for w in words if w[0].isalpha())
    letters = acronym.replace("&", "")
    if len(initials) < 2:
        return False
    if exact:
        return letters == initials
    return letters == initials or (letters.startswith(initials) and len(letters) == len(initials) + 1)


_SKELETON_RULES = (("kh", "k"), ("gh", "k"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("sh", "s"), ("zh", "s"),
                   ("ch", "c"), ("ck", "k"), ("q", "k"), ("g", "k"), ("c", "k"), ("x", "ks"), ("z", "s"),
                   ("v", "f"), ("w", "f"), ("j", "y"))


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A rough consonant skeleton: transliteration variants of a word share it ("Bagheri"/"Baqeri" → "bkr")."""
    s = re.sub(r"[^a-z]", "", unidecode(word).lower())
    if not s:
        return ""
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    head = "a" if s[0] in "aeiouy" else ""
    body = re.sub(r"[aeiouyh]", "", s)
    return head + re.sub(r"(.)\1+", r"\1", body)


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def spelling_variants(a: str, b: str) -> bool:
    """Two names that may be one name spelt two ways: same word count, each word the same skeleton and close."""
    wa, wb = name_key(a).split(), name_key(b).split()
    if len(wa) != len(wb) or wa == wb:
        return False
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            continue
        if len(x) < 3 or len(y) < 3 or skeleton(x) != skeleton(y):
            return False
        if edit_distance(x, y) > max(1, round(0.3 * max(len(x), len(y)))):
            return False
    return True
