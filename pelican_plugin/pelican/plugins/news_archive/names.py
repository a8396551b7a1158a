"""The one comparison key of a name, used wherever two spellings of a name must be recognised as one.

Canonicalisation files mentions under it, the editor file matches its names with it, the gazetteer looks places
up with it and permanent addresses recognise an entity by it, so "U.S." and "US", "Baqeri" and "Baqerí", "Al-Assad"
and "al Assad" compare equal everywhere in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from unidecode import unidecode


@lru_cache(maxsize=262144)
def name_key(name: str) -> str:
    """ASCII, lower case, no dots, hyphens and dashes as spaces, one space between words ("U.S." → "us")."""
    text = unidecode(name).lower().replace(".", "").replace("-", " ")  # unidecode makes dashes "-", quotes "'"
    return " ".join(text.split())


def phrase_key(words: Iterable[str]) -> str:
    """The key of several words read as one name ("Lt.", "Gen." → "lt gen")."""
    return name_key(" ".join(words))
