"""The one slug function of the project (importer and plugin alike), and the one way to make slugs unique.

Slugs become URLs and file names, so they must be the same wherever they are made: an article imported as
``moskva-2024`` must be published at ``moskva-2024``, and an entity page must not get a second spelling of the
same rule. Pelican's own :func:`pelican.utils.slugify` with its default substitutions does the work; it
transliterates other scripts (``"Москва 2024"`` → ``moskva-2024``, ``"Ибрагим Раиси"`` → ``ibragim-raisi``)
instead of dropping them. On top of it: a length limit (a slug is a path component, and file systems refuse
names over 255 bytes) cut at a word boundary, and nothing that could name a folder outside the output.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence

# Pelican's default SLUG_REGEX_SUBSTITUTIONS: drop what is neither a word character, a space nor a hyphen, trim,
# and join words with single hyphens.
SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
)
MAX_LENGTH = 80


@functools.lru_cache(maxsize=1 << 16)
def slugify(text: str, *, max_length: int = MAX_LENGTH) -> str:
    """Lower-case ASCII slug of ``text`` (Pelican's slugify with transliteration), at most ``max_length``
    characters, cut at a hyphen where one is near the end. May be empty (text with no letters or digits).
    Remembered: every build slugs the same thousands of entity names again (transliteration is slow)."""
    from pelican.utils import slugify as pelican_slugify  # here: the importer loads Pelican only when it names

    slug = pelican_slugify(text or "", regex_subs=SUBSTITUTIONS)
    slug = slug.strip("-_.")
    if len(slug) > max_length:
        cut = slug[:max_length]
        hyphen = cut.rfind("-")
        slug = cut[:hyphen] if hyphen >= max_length // 2 else cut
        slug = slug.strip("-_.")
    return slug


def unique(wanted: str, taken: Collection[str]) -> str:
    """``wanted`` if it is free, else the first free ``wanted-2``, ``wanted-3``, …"""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def dedupe(wanted: Sequence[str], reserved: Iterable[str] = ()) -> list[str]:
    """One unique slug per position: the first to ask for a slug keeps it, a later one gets the first free
    ``-2``, ``-3`` … that neither another position asked for nor ``reserved`` holds (a reserved slug is renamed
    even the first time). So renaming never takes the slug another item asked for (``a``, ``a``, ``a-2`` → ``a``,
    ``a-3``, ``a-2``)."""
    reserved = set(reserved)
    blocked = reserved | set(wanted)
    seen: set[str] = set()
    out: list[str] = []
    for slug in wanted:
        if slug in seen or slug in reserved:
            slug = unique(slug, blocked)
            blocked.add(slug)
        seen.add(slug)
        out.append(slug)
    return out
