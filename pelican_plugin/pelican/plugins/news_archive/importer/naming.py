"""Slugs and file names: safe, stable and unique.

An ``id`` comes from outside ("../../etc/passwd", "Reuters 1", "ÉCO-12", "Москва 2024") and becomes both the
article's URL slug and its file name, so it goes through the project's one slug function
(:func:`..slugs.slugify`, Pelican's slugify with transliteration: the plugin publishes an article at the same
slug the importer named it) and is left with lower-case ASCII letters, digits, "-" and "_" (nothing can point
outside the output folder). A second article with the same slug gets "-2" instead of overwriting the first.
"""

from __future__ import annotations

import re

from .. import slugs
from .log import get_logger

logger = get_logger(__name__)

_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def safe_slug(value: str) -> str:
    """``value`` as a slug (the project's :func:`slugs.slugify`); may be empty.

    Pelican's slugify keeps Unicode word characters when asked to, so anything but ``[a-z0-9_-]`` left over is
    turned into "-" here as a last guard: the slug is also a file name.
    """
    slug = _UNSAFE.sub("-", slugs.slugify(value))
    return re.sub(r"-{2,}", "-", slug).strip("-_")


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
