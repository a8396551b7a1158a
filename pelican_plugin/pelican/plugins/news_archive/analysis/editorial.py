"""The editor's word on entities: merge, rename, retype, block or pin, applied after the automatic steps.

The rules live in a TOML file in the content folder (``entities.toml``; setting ``NEWS_ARCHIVE_ENTITIES_FILE``)::

    # Never a tag, whatever the articles say.
    block = ["Iran Press"]
    # First among the tags of every article that mentions it, and always an entity page.
    pin = ["Sherali Mirzo"]

    [merge]            # the name to keep = [other names of the same entity]
    "Mohammad Bagheri" = ["Bagheri", "M. Bagheri"]

    [rename]           # a name (or alias) = the name to show
    "Ibrahim Raisi" = "Ebrahim Raisi"

    [retype]           # a name = a spaCy label (PERSON, ORG, GPE, LOC, FAC, NORP, EVENT, LAW, PRODUCT, WORK_OF_ART)
    "Nowruz" = "EVENT"

A name matches an entity's name or any of its aliases, ignoring case and accents. The steps run in a fixed order
(merge, rename, retype, block, pin) and the result depends on nothing else, so a build is deterministic. A bad
entry is warned about, naming the file and the entry, and skipped: the site still builds. A name that matches no
entity is only noted (an editor may block a name before any article uses it).

Pure: :class:`EditorRules` and an :class:`~.model.EntityIndex` in, a new :class:`~.model.EntityIndex` out.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .. import slugs
from ..labels import ORDER as ENTITY_TYPES
from ..model import Entity, EntityIndex, EntityRef
from ..names import name_key
from .canonicalise.rank import order_refs

logger = logging.getLogger(__name__)
KEYS = ("block", "pin", "merge", "rename", "retype")


@dataclass(frozen=True)
class EditorRules:
    """The parsed editor file. ``source`` names it in warnings."""

    source: str = "entities.toml"
    merge: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    retype: tuple[tuple[str, str], ...] = ()
    block: tuple[str, ...] = ()
    pin: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.merge or self.rename or self.retype or self.block or self.pin)


def _warn(source: str, message: str) -> None:
    logger.warning("news_archive: %s: %s; the entry is ignored", source, message)


def _text(value: object) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _names(data: Mapping, key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        _warn(source, f"{key} = {value!r} must be a list of names")
        return ()
    out = []
    for item in value:
        name = _text(item)
        if name is None:
            _warn(source, f"{key}: {item!r} is not a name")
        else:
            out.append(name)
    return tuple(out)


def _table(data: Mapping, key: str, source: str) -> list[tuple[str, object]]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        _warn(source, f"[{key}] must be a table of \"name\" = value lines, not {value!r}")
        return []
    return list(value.items())


def parse_rules(data: Mapping, source: str = "entities.toml") -> EditorRules:
    """Rules from the TOML data; every malformed entry is warned about (naming ``source``) and skipped."""
    for key in data:
        if key not in KEYS:
            _warn(source, f"unknown key {key!r} (use {', '.join(KEYS)})")
    merge: list[tuple[str, tuple[str, ...]]] = []
    for target, others in _table(data, "merge", source):
        name = _text(target)
        if isinstance(others, str):
            others = [others]
        if name is None or not isinstance(others, list) or not others \
                or any(_text(o) is None for o in others):
            _warn(source, f"merge: {target!r} = {others!r} must be \"name\" = [\"other name\", ...]")
            continue
        merge.append((name, tuple(_text(o) or "" for o in others)))
    rename: list[tuple[str, str]] = []
    for old, new in _table(data, "rename", source):
        if _text(old) is None or _text(new) is None:
            _warn(source, f"rename: {old!r} = {new!r} must be \"name\" = \"new name\"")
            continue
        rename.append((_text(old) or "", _text(new) or ""))
    retype: list[tuple[str, str]] = []
    for name, label in _table(data, "retype", source):
        if _text(name) is None or not isinstance(label, str) or label.upper() not in ENTITY_TYPES:
            _warn(source, f"retype: {name!r} = {label!r} must give one of {', '.join(ENTITY_TYPES)}")
            continue
        retype.append((_text(name) or "", label.upper()))
    return EditorRules(source=source, merge=tuple(merge), rename=tuple(rename), retype=tuple(retype),
                       block=_names(data, "block", source), pin=_names(data, "pin", source))


def rules_from_toml(text: str, source: str = "entities.toml") -> EditorRules:
    """Rules from the text of an editor file; text that is not valid TOML is warned about and gives no rules."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        logger.warning("news_archive: %s is not a valid TOML editor file (%s); its rules are ignored", source, exc)
        return EditorRules(source=source)
    return parse_rules(data, source)


def _fold(name: str) -> str:
    return name_key(name)


class _Index:
    """A mutable working copy: entities by slug, refs per article, and a name → slug lookup."""

    def __init__(self, index: EntityIndex, source: str) -> None:
        self.entities = dict(index.entities)
        self.by_article = {k: list(v) for k, v in index.by_article.items()}
        self.source = source

    def find(self, name: str) -> str | None:
        key = _fold(name)
        exact = sorted(s for s, e in self.entities.items() if _fold(e.name) == key)
        if exact:
            return exact[0]
        alias = sorted(s for s, e in self.entities.items() if key in {_fold(a) for a in e.aliases})
        return alias[0] if alias else None

    def lookup(self, name: str, step: str) -> str | None:
        slug = self.find(name)
        if slug is None:
            logger.info("news_archive: %s: %s %r matches no entity", self.source, step, name)
        return slug

    def relabel(self, old: str, entity: Entity) -> None:
        """Replace entity ``old`` by ``entity`` (maybe under a new slug), merging refs that then coincide."""
        del self.entities[old]
        self.entities[entity.slug] = entity
        for art, refs in self.by_article.items():
            if not any(r.slug == old for r in refs):
                continue
            out: list[EntityRef] = []
            for r in refs:
                r = replace(r, slug=entity.slug) if r.slug == old else r
                same = next((i for i, o in enumerate(out) if o.slug == r.slug), None)
                if same is None:
                    out.append(r)
                else:
                    o = out[same]
                    out[same] = EntityRef(slug=o.slug, mentions=o.mentions + r.mentions,
                                          salience=round(o.salience + r.salience, 3))
            self.by_article[art] = out

    def free_slug(self, name: str, keep: str) -> str:
        base = slugs.slugify(name) or "entity"
        return base if base == keep else slugs.unique(base, set(self.entities) - {keep})


def _aliases(*names: object, drop: str) -> tuple[str, ...]:
    out: set[str] = set()
    for n in names:
        out.update([n] if isinstance(n, str) else n)  # type: ignore[arg-type]
    return tuple(sorted(a for a in out if _fold(a) != _fold(drop)))


def apply_rules(index: EntityIndex, rules: EditorRules) -> EntityIndex:
    """The index with the editor's rules applied (merge, rename, retype, block, pin), tags re-ordered."""
    if not rules:
        return index
    work = _Index(index, rules.source)
    for target, others in rules.merge:
        slugs = [s for s in dict.fromkeys(work.lookup(n, "merge") for n in (target, *others)) if s]
        if not slugs:
            continue
        keep = work.find(target) or slugs[0]
        kept = work.entities[keep]
        names: list[str] = [kept.name, *kept.aliases]
        for s in slugs:
            if s != keep:
                names += [work.entities[s].name, *work.entities[s].aliases]
                work.relabel(s, replace(kept, slug=keep))
        merged = replace(kept, slug=work.free_slug(target, keep), name=target,
                         aliases=_aliases(names, others, drop=target), pinned=kept.pinned,
                         editor_named=kept.editor_named or name_key(target) != name_key(kept.name))
        work.relabel(keep, merged)
    for old, new in rules.rename:
        slug = work.lookup(old, "rename")
        if slug is None:
            continue
        e = work.entities[slug]
        work.relabel(slug, replace(e, slug=work.free_slug(new, slug), name=new,
                                   aliases=_aliases([e.name, *e.aliases], drop=new), editor_named=True))
    for name, label in rules.retype:
        slug = work.lookup(name, "retype")
        if slug is not None:
            work.entities[slug] = replace(work.entities[slug], type=label)
    for name in rules.block:
        slug = work.lookup(name, "block")
        if slug is not None:
            del work.entities[slug]
            work.by_article = {k: [r for r in v if r.slug != slug] for k, v in work.by_article.items()}
    for name in rules.pin:
        slug = work.lookup(name, "pin")
        if slug is not None:
            work.entities[slug] = replace(work.entities[slug], pinned=True)
    by_article = {art: order_refs(refs, work.entities) for art, refs in work.by_article.items()}
    return EntityIndex(entities=dict(sorted(work.entities.items())), by_article=by_article)
