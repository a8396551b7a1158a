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
entry is warned about, naming the file and the entry, and skipped: the site still builds; so are merges that form a
cycle (A takes B, B takes A) and a rename to the name of another entity (merge them instead). A name that matches no
entity is no error (an editor may block a name before any article uses it), but every such rule is counted in the
build's summary line and named with ``-v``. Rules are looked up by name, so a large file costs little.

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


def _merge_cycles(merge: tuple[tuple[str, tuple[str, ...]], ...]) -> set[str]:
    """Name keys of merge targets that lie on a cycle (A takes B and B takes A, or longer): such rules would
    silently merge everyone on the cycle into one entity."""
    edges: dict[str, set[str]] = {}
    for target, others in merge:
        for other in others:
            edges.setdefault(_fold(other), set()).add(_fold(target))
    on_cycle: set[str] = set()
    for start in edges:
        seen, todo = set(), list(edges[start])
        while todo:
            node = todo.pop()
            if node == start:
                on_cycle.add(start)
                break
            if node not in seen:
                seen.add(node)
                todo.extend(edges.get(node, ()))
    return on_cycle


def checked(rules: EditorRules) -> EditorRules:
    """The rules without merges that form a cycle (one warning each, naming the rule)."""
    cycle = _merge_cycles(rules.merge)
    if not cycle:
        return rules
    kept = []
    for target, others in rules.merge:
        if _fold(target) in cycle or any(_fold(o) in cycle for o in others):
            logger.warning("news_archive: %s: merge %r = %s is part of a cycle of merges (a name merged into "
                           "another that is merged back into it); the rule is ignored", rules.source, target,
                           list(others))
        else:
            kept.append((target, others))
    return replace(rules, merge=tuple(kept))


class _Index:
    """A mutable working copy: entities by slug, refs per article, and lookups by name, by alias and by entity,
    so that a rule costs a dictionary lookup whatever the size of the archive or of the editor file."""

    def __init__(self, index: EntityIndex, source: str) -> None:
        self.entities: dict[str, Entity] = {}
        self.by_article = {k: list(v) for k, v in index.by_article.items()}
        self.source = source
        self.names: dict[str, set[str]] = {}
        self.aliases: dict[str, set[str]] = {}
        self.articles: dict[str, set[str]] = {}
        self.unmatched: list[str] = []
        for art, refs in self.by_article.items():
            for r in refs:
                self.articles.setdefault(r.slug, set()).add(art)
        for entity in index.entities.values():
            self._add(entity)

    def _add(self, entity: Entity) -> None:
        self.entities[entity.slug] = entity
        self.names.setdefault(_fold(entity.name), set()).add(entity.slug)
        for a in entity.aliases:
            self.aliases.setdefault(_fold(a), set()).add(entity.slug)

    def _drop(self, slug: str) -> Entity:
        entity = self.entities.pop(slug)
        self.names.get(_fold(entity.name), set()).discard(slug)
        for a in entity.aliases:
            self.aliases.get(_fold(a), set()).discard(slug)
        return entity

    def find(self, name: str) -> str | None:
        key = _fold(name)
        for table in (self.names, self.aliases):
            found = sorted(table.get(key, ()))
            if found:
                return found[0]
        return None

    def lookup(self, name: str, step: str) -> str | None:
        slug = self.find(name)
        if slug is None:
            self.unmatched.append(f"{step} {name!r}")
            logger.info("news_archive: %s: %s %r matches no entity", self.source, step, name)
        return slug

    def relabel(self, old: str, entity: Entity) -> None:
        """Replace entity ``old`` by ``entity`` (maybe under a new slug), merging refs that then coincide."""
        self._drop(old)
        if entity.slug in self.entities:
            self._drop(entity.slug)
        self._add(entity)
        arts = self.articles.pop(old, set())
        self.articles.setdefault(entity.slug, set()).update(arts)
        for art in sorted(arts):
            out: dict[str, EntityRef] = {}
            for r in self.by_article[art]:
                r = replace(r, slug=entity.slug) if r.slug == old else r
                o = out.get(r.slug)
                out[r.slug] = r if o is None else EntityRef(slug=o.slug, mentions=o.mentions + r.mentions,
                                                            salience=round(o.salience + r.salience, 3))
            self.by_article[art] = list(out.values())

    def block(self, slug: str) -> None:
        self._drop(slug)
        for art in self.articles.pop(slug, set()):
            self.by_article[art] = [r for r in self.by_article[art] if r.slug != slug]

    def free_slug(self, name: str, keep: str) -> str:
        base = slugs.slugify(name) or "entity"
        return base if base == keep else slugs.unique(base, set(self.entities) - {keep})


def _aliases(*names: object, drop: str) -> tuple[str, ...]:
    out: set[str] = set()
    for n in names:
        out.update([n] if isinstance(n, str) else n)  # type: ignore[arg-type]
    return tuple(sorted(a for a in out if _fold(a) != _fold(drop)))


def _merge(work: _Index, target: str, others: tuple[str, ...]) -> None:
    found = [s for s in dict.fromkeys(work.lookup(n, "merge") for n in (target, *others)) if s]
    if not found:
        return
    keep = work.find(target) or found[0]
    kept = work.entities[keep]
    names: list[str] = [kept.name, *kept.aliases]
    for s in found:
        if s != keep:
            names += [work.entities[s].name, *work.entities[s].aliases]
            work.relabel(s, replace(kept, slug=keep))
    merged = replace(work.entities[keep], slug=work.free_slug(target, keep), name=target,
                     aliases=_aliases(names, others, drop=target), pinned=kept.pinned,
                     editor_named=kept.editor_named or name_key(target) != name_key(kept.name))
    work.relabel(keep, merged)


def _rename(work: _Index, old: str, new: str) -> None:
    slug = work.lookup(old, "rename")
    if slug is None:
        return
    taken = sorted(work.names.get(_fold(new), set()) - {slug})
    if taken:
        logger.warning("news_archive: %s: rename %r = %r gives the name of another entity (%s); the rule is "
                       "ignored (to join the two, merge them)", work.source, old, new, work.entities[taken[0]].name)
        return
    e = work.entities[slug]
    work.relabel(slug, replace(e, slug=work.free_slug(new, slug), name=new,
                               aliases=_aliases([e.name, *e.aliases], drop=new), editor_named=True))


def apply_rules(index: EntityIndex, rules: EditorRules) -> EntityIndex:
    """The index with the editor's rules applied (merge, rename, retype, block, pin), tags re-ordered; rules that
    match nothing are listed in ``unmatched_rules``."""
    if not rules:
        return index
    rules = checked(rules)
    work = _Index(index, rules.source)
    for target, others in rules.merge:
        _merge(work, target, others)
    for old, new in rules.rename:
        _rename(work, old, new)
    for name, label in rules.retype:
        slug = work.lookup(name, "retype")
        if slug is not None:
            work.entities[slug] = replace(work.entities[slug], type=label)
    for name in rules.block:
        slug = work.lookup(name, "block")
        if slug is not None:
            work.block(slug)
    for name in rules.pin:
        slug = work.lookup(name, "pin")
        if slug is not None:
            work.entities[slug] = replace(work.entities[slug], pinned=True)
    by_article = {art: order_refs(refs, work.entities) for art, refs in work.by_article.items()}
    return EntityIndex(entities=dict(sorted(work.entities.items())), by_article=by_article,
                       unmatched_rules=tuple(work.unmatched))
