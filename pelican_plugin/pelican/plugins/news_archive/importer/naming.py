"""Slugs and file names: safe, stable and unique.

An ``id`` comes from outside ("../../etc/passwd", "Reuters 1", "ÉCO-12") and becomes both the article's URL
slug and its file name, so it is reduced to lower-case ASCII letters, digits, "-" and "_" (nothing can point
outside the output folder), and a second article with the same slug gets "-2" instead of overwriting the first.
"""

from __future__ import annotations

import re
import unicodedata

from .log import get_logger

logger = get_logger(__name__)

_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_MAX_LENGTH = 120


def safe_slug(value: str) -> str:
    """``value`` as a slug: accents folded, lower-case, other characters as "-", trimmed; may be empty."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text.lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-_")
    return slug[:_MAX_LENGTH].rstrip("-_")


class SlugRegistry:
    """Hands out unique slugs for one import run ("x", then "x-2", "x-3" ...), warning about each clash."""

    def __init__(self) -> None:
        self._taken: dict[str, str] = {}  # slug -> where it came from

    def claim(self, wanted: str, origin: str, fallback: str) -> str:
        """A unique safe slug for ``wanted`` (or for ``fallback`` when ``wanted`` has no usable characters)."""
        slug = safe_slug(wanted)
        if not slug:
            slug = safe_slug(fallback) or "article"
            logger.warning("%s: id %r has no usable characters; named %r", origin, wanted, slug)
        if slug in self._taken:
            base, n = slug, 2
            while f"{base}-{n}" in self._taken:
                n += 1
            slug = f"{base}-{n}"
            logger.warning("%s: duplicate id %r (first used by %s); written as %r",
                           origin, wanted, self._taken[base], slug)
        self._taken[slug] = origin
        return slug
