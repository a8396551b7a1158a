"""Every ``NEWS_ARCHIVE_*`` setting in one place: its default, its meaning and its check (pydantic).

Pelican hands plugins a plain dict; :func:`load` reads it once into a typed, validated, immutable
:class:`ArchiveSettings`, so every stage sees checked values and a bad one stops the build at start with one
message naming the setting, instead of a traceback deep inside a stage. Validation runs once per distinct set of
values (later calls with the same values return the same object).
"""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, field_validator

from .labels import DEFAULT_TAG_TYPES, ORDER

logger = logging.getLogger(__name__)
PREFIX = "NEWS_ARCHIVE_"
ENTITY_TYPES = ORDER  # the labels a setting may name

# A Dask address: a protocol Dask's comms know and host:port, or a bare host:port (tcp).
SCHEDULER = re.compile(r"(?:(?:tcp|tls|ucx|ws|wss|inproc)://)?[\w.\-\[\]:%/]+:\d{1,5}|inproc://[\w.\-/]+")
Count = Annotated[StrictInt, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1, strict=False)]


class SettingsError(ValueError):
    """A ``NEWS_ARCHIVE_*`` setting has a value the plugin cannot use (the message names it)."""


def _check_path(value: str, what: str) -> str:
    if value and (value.startswith("/") or "\\" in value or ".." in value.split("/")):
        raise ValueError(f"must be a path inside the output folder ({what}), not {value!r}")
    return value


def _check_pattern(value: str, fields: tuple[str, ...], *, save_as: bool) -> str:
    """A URL or SAVE_AS pattern must format with exactly the named fields and name a file or folder inside
    the output."""
    if not value:
        return value
    try:
        formatted = value.format(**{f: "x" for f in fields})
    except (KeyError, IndexError, ValueError) as exc:
        named = ", ".join("{" + f + "}" for f in fields)
        raise ValueError(f"may use only {named}; {value!r} fails ({exc!r})") from None
    if "{slug}" not in value and (len(fields) == 1 or "{code}" not in value):
        raise ValueError(f"must contain {{slug}}{' or {code}' if len(fields) > 1 else ''}, or pages would "
                         f"overwrite each other: {value!r}")
    if save_as and formatted.endswith("/"):
        raise ValueError(f"must name a file (e.g. …/index.html), not a folder: {value!r}")
    return _check_path(formatted, "after formatting")


class ArchiveSettings(BaseModel):
    """Validated plugin settings. Field ``foo`` is read from the Pelican setting ``NEWS_ARCHIVE_FOO``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # spaCy pipeline: a package name or a path. None = the official en_core_web_sm if installed, else the copy.
    spacy_model: str | None = Field(default=None, min_length=1)
    # Entity labels kept as tags (spaCy labels; dates and numbers are never tags). NORP is left out: demonyms
    # ("Iranian") file articles under countries instead; add NORP for religious and political groups as tags.
    entity_types: tuple[str, ...] = DEFAULT_TAG_TYPES
    # Editor file (TOML) in the content folder: merge, rename, retype, block or pin entities.
    entities_file: str = "entities.toml"
    # The record of published addresses (JSON, in the content folder; commit it with the content).
    addresses_file: str = "addresses.json"
    # An entity gets a page only when at least this many articles mention it.
    entity_page_min_articles: Annotated[StrictInt, Field(ge=1)] = 2
    # Tags shown per article page, best first (0 = all); archive.json always lists every tag.
    max_tags: Count = 30
    # Related articles per article (besides other reports of the same story); minimum score for a link.
    related_count: Count = 5
    related_threshold: Share = 0.15
    # Weights (entities, text, recency) in score = cos_text · (w_text + w_entities · cos_entities)
    # + w_recency · exp(-days/30): text is TF-IDF over lemmas, entities weigh by rarity (see relate.py).
    related_weights: tuple[float, float, float] = (0.25, 0.75, 0.0)
    # Same-story: near-duplicates need this estimated Jaccard over 5-word shingles (syndicated paragraphs); any
    # same-story pair is at most this many days apart when both are dated (undated: no limit).
    same_story_threshold: Share = 0.2
    same_story_max_days: Count = 2
    # Extraction: batch size for nlp.pipe, and worker processes (0 = automatic: several only with enough work).
    batch_size: Annotated[StrictInt, Field(ge=1)] = 64
    n_process: Count = 0
    # A Dask scheduler's address (``tcp://host:8786``): the articles the cache lacks are extracted on that
    # cluster instead of this machine's worker processes (needs the ``cluster`` extra). None: this machine.
    scheduler: str | None = None
    # Keep the build state (extractions, per-page memos) under Pelican's CACHE_PATH.
    cache: StrictBool = True
    # Rich progress bar for extraction when at least this many articles miss the cache (and not in CI).
    progress_min_articles: Count = 200
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
    # Story pages (one per same-story group) and their index; "" for the save-as turns them off.
    story_url: str = "story/{slug}/"
    story_save_as: str = "story/{slug}/index.html"
    stories_url: str = "stories/"
    stories_save_as: str = "stories/index.html"
    # Newest dated articles in each country and entity feed (0 = all; undated articles are never in a feed).
    feed_max_items: Count = 20
    json_save_as: str = "archive.json"
    # Pages (not articles) are the site's own writing: sanitise them too unless this says they are trusted.
    trust_pages: StrictBool = False
    # Reader-facing extras: a Pagefind search index (when pagefind is installed) with a search page, and a sitemap.
    search: StrictBool = True
    search_url: str = "search/"
    search_save_as: str = "search/index.html"
    # The search index in this many Pagefind bundles, by a hash of each page's path: a rebuild re-indexes only the
    # shards whose pages changed, and the search page merges them (1: one index, re-made whenever a page changes).
    search_shards: Annotated[StrictInt, Field(ge=1, le=64)] = 8
    sitemap_save_as: str = "sitemap.xml"

    @field_validator("entity_types", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or not value:
            raise ValueError(f"must list some of {list(ENTITY_TYPES)}")
        bad = [v for v in value if v not in ENTITY_TYPES]
        if bad:
            raise ValueError(f"has unknown labels {bad}; use some of {list(ENTITY_TYPES)}")
        return tuple(dict.fromkeys(value))

    @field_validator("related_weights", mode="before")
    @classmethod
    def _weights(cls, value: Any) -> tuple[float, float, float]:
        if not isinstance(value, list | tuple) or len(value) != 3 or \
                not all(isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in value):
            raise ValueError("must list three numbers >= 0 (entities, text, recency)")
        if not value[1] and not value[0]:
            raise ValueError("must give text or entities a weight above 0, or no article is ever related")
        return tuple(float(v) for v in value)  # type: ignore[return-value]

    @field_validator("entity_url", "entity_save_as", "entity_feed_atom", "story_url", "story_save_as")
    @classmethod
    def _entity_pattern(cls, value: str, info: Any) -> str:
        return _check_pattern(value, ("slug",), save_as=info.field_name not in ("entity_url", "story_url"))

    @field_validator("country_url", "country_save_as", "country_feed_atom")
    @classmethod
    def _country_pattern(cls, value: str, info: Any) -> str:
        return _check_pattern(value, ("slug", "code"), save_as=info.field_name != "country_url")

    @field_validator("entities_save_as", "countries_save_as", "stories_save_as", "json_save_as", "search_save_as",
                     "sitemap_save_as", "entities_file", "addresses_file")
    @classmethod
    def _path(cls, value: str) -> str:
        if value.endswith("/"):
            raise ValueError(f"must name a file, not a folder: {value!r}")
        return _check_path(value, "a relative path without ..")

    @field_validator("scheduler")
    @classmethod
    def _scheduler(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not SCHEDULER.fullmatch(value):
            raise ValueError("must be a Dask scheduler address such as 'tcp://host:8786' (or host:port)")
        return value

    def __key__(self) -> dict[str, Any]:
        """Plain data for cache keys. Where extraction runs (``scheduler``) is not: a cluster's records are the
        same as this machine's, so a build on either reuses the other's results."""
        return self.model_dump(exclude={"scheduler"})


def setting_name(field: str) -> str:
    return PREFIX + field.upper()


def _message(error: dict[str, Any], values: dict[str, Any]) -> str:
    field = str(error["loc"][0]) if error.get("loc") else "?"
    if error.get("type") == "extra_forbidden":
        return f"{setting_name(field)} is not a setting of news_archive"
    text = str(error["msg"]).removeprefix("Value error, ")
    return f"{setting_name(field)}: {text} (got {values.get(field)!r})"


_MEMO: dict[str, ArchiveSettings] = {}  # repr of the values given → their validated settings


def load(pelican_settings: dict[str, Any]) -> ArchiveSettings:
    """Read and check every ``NEWS_ARCHIVE_*`` value (unknown ``NEWS_ARCHIVE_*`` names are warned about);
    raises :class:`SettingsError` naming every bad one."""
    names = {setting_name(f): f for f in ArchiveSettings.model_fields}
    values = {names[k]: v for k, v in pelican_settings.items() if k in names}
    memo = repr(sorted((k, v) for k, v in pelican_settings.items() if k.startswith(PREFIX)))
    if memo in _MEMO:
        return _MEMO[memo]
    for key in sorted(pelican_settings):
        if key.startswith(PREFIX) and key not in names:
            logger.warning("news_archive: unknown setting %s is ignored", key)
    try:
        loaded = ArchiveSettings(**values)
    except ValidationError as exc:
        raise SettingsError("; ".join(_message(e, values) for e in exc.errors())) from None
    _MEMO[memo] = loaded
    return loaded


def defaults() -> dict[str, Any]:
    """The default of every setting under its Pelican name (for the README and ``pelicanconf.py``)."""
    return {setting_name(name): f.default for name, f in ArchiveSettings.model_fields.items()}
