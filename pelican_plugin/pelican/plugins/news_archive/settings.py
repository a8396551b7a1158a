"""Every ``NEWS_ARCHIVE_*`` setting in one place: its default, its meaning and its check.

Pelican hands plugins a plain dict; reading it through :func:`load` gives every stage a typed, validated view and
one clear error message per bad value instead of a failure deep inside a stage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from typing import Any

logger = logging.getLogger(__name__)

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")


class SettingsError(ValueError):
    """A ``NEWS_ARCHIVE_*`` setting has a value the plugin cannot use."""


@dataclass(frozen=True)
class ArchiveSettings:
    """Validated plugin settings. Field ``foo`` is read from the Pelican setting ``NEWS_ARCHIVE_FOO``."""

    # spaCy pipeline: a package name or a path. None = the official en_core_web_sm if installed, else the copy.
    spacy_model: str | None = None
    # Entity labels kept as tags (spaCy labels; dates and numbers are never tags). NORP is left out: demonyms
    # ("Iranian") file articles under countries instead; add NORP for religious and political groups as tags.
    entity_types: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "PRODUCT",
                                     "WORK_OF_ART")
    # Editor file (TOML) in the content folder: merge, rename, retype, block or pin entities.
    entities_file: str = "entities.toml"
    # An entity gets a page only when at least this many articles mention it.
    entity_page_min_articles: int = 2
    # Maximum number of tags shown per article (0 = no limit).
    max_tags: int = 30
    # Related articles per article (besides other reports of the same story); minimum score for a link.
    related_count: int = 5
    related_threshold: float = 0.15
    # Weights (entities, text, recency) in score = cos_text · (w_text + w_entities · cos_entities)
    # + w_recency · exp(-days/30): text is TF-IDF over lemmas, entities weigh by rarity (see relate.py).
    related_weights: tuple[float, float, float] = (0.25, 0.75, 0.0)
    # Same-story: near-duplicates need this estimated Jaccard over 5-word shingles (syndicated paragraphs); any
    # same-story pair is at most this many days apart when both are dated (undated: no limit).
    same_story_threshold: float = 0.2
    same_story_max_days: int = 2
    # Extraction: batch size for nlp.pipe, and processes (0 = automatic: several only when there is enough work).
    batch_size: int = 64
    n_process: int = 0
    # Cache extraction results under Pelican's CACHE_PATH.
    cache: bool = True
    # Rich progress bar for extraction when at least this many articles miss the cache (and not in CI).
    progress_min_articles: int = 200
    # Output locations (Pelican URL/SAVE_AS convention, ``{slug}`` / ``{code}`` substituted).
    entity_url: str = "entity/{slug}/"
    entity_save_as: str = "entity/{slug}/index.html"
    entities_url: str = "entities/"
    entities_save_as: str = "entities/index.html"
    country_url: str = "country/{slug}/"
    country_save_as: str = "country/{slug}/index.html"
    countries_url: str = "countries/"
    countries_save_as: str = "countries/index.html"
    country_feed_atom: str = "country/{slug}/feed.atom"
    entity_feed_atom: str = "entity/{slug}/feed.atom"
    # Newest dated articles in each country and entity feed (0 = all; undated articles are never in a feed).
    feed_max_items: int = 20
    json_save_as: str = "archive.json"
    # Reader-facing extras: a Pagefind search index (when pagefind is installed) with a search page, and a sitemap.
    search: bool = True
    search_url: str = "search/"
    search_save_as: str = "search/index.html"
    sitemap_save_as: str = "sitemap.xml"


_STR_OR_NONE = {"spacy_model"}


def _coerce(name: str, value: Any, default: Any) -> Any:
    key = f"NEWS_ARCHIVE_{name.upper()}"
    if name in _STR_OR_NONE:
        if value is None or (isinstance(value, str) and value.strip()):
            return value
        raise SettingsError(f"{key} must be a spaCy package name or path, or None; got {value!r}")
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise SettingsError(f"{key} must be True or False; got {value!r}")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise SettingsError(f"{key} must be a whole number >= 0; got {value!r}")
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
        raise SettingsError(f"{key} must be a number >= 0; got {value!r}")
    if isinstance(default, str):
        if isinstance(value, str):
            return value
        raise SettingsError(f"{key} must be a string; got {value!r}")
    if isinstance(default, tuple):
        if isinstance(value, list | tuple) and all(type(v) is type(default[0]) or
                                                   (isinstance(default[0], float) and isinstance(v, int))
                                                   for v in value):
            if len(default) == 3 and isinstance(default[0], float) and len(value) != 3:
                raise SettingsError(f"{key} must list three numbers (entities, text, recency); got {value!r}")
            return tuple(float(v) if isinstance(default[0], float) else v for v in value)
        raise SettingsError(f"{key} must be a list like {list(default)!r}; got {value!r}")
    return value  # pragma: no cover - every field has one of the kinds above


def load(pelican_settings: dict[str, Any]) -> ArchiveSettings:
    """Read and check every ``NEWS_ARCHIVE_*`` value; unknown ``NEWS_ARCHIVE_*`` names are warned about."""
    values: dict[str, Any] = {}
    known = set()
    for f in fields(ArchiveSettings):
        key = f"NEWS_ARCHIVE_{f.name.upper()}"
        known.add(key)
        if key in pelican_settings:
            values[f.name] = _coerce(f.name, pelican_settings[key], f.default)
    for key in sorted(pelican_settings):
        if key.startswith("NEWS_ARCHIVE_") and key not in known:
            logger.warning("news_archive: unknown setting %s is ignored", key)
    bad = [t for t in values.get("entity_types", ()) if t not in ENTITY_TYPES]
    if bad:
        raise SettingsError(f"NEWS_ARCHIVE_ENTITY_TYPES has unknown labels {bad}; use some of {list(ENTITY_TYPES)}")
    if "same_story_threshold" in values and values["same_story_threshold"] > 1:
        raise SettingsError("NEWS_ARCHIVE_SAME_STORY_THRESHOLD must be between 0 and 1")
    return ArchiveSettings(**values)


def defaults() -> dict[str, Any]:
    """The default of every setting under its Pelican name (for the README and ``pelicanconf.py``)."""
    return {f"NEWS_ARCHIVE_{f.name.upper()}": f.default for f in fields(ArchiveSettings)}
