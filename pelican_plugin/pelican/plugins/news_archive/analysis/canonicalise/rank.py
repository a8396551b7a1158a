"""Step 5: one entity per group — its name, slug and aliases — and each article's tags ordered by salience.

* **Name**: the form most articles write (spelt out in full for a person: "Mohammad Javad Zarif", not "Zarif"),
  then the most mentioned, then a spelt-out name over an acronym, then the shortest; a name only ever seen in
  capitals lines is shown in title case.
* **Kept**: entities of the wanted types that at least one strong mention (or the gazetteer) confirms; an entity
  seen only in weak mentions (capitals lines, sentence-initial ordinary words) is no tag.
* **Salience** of an entity in an article: Σ over its mentions of the position weight (headline, lede, body;
  ``model.position_weight``) × ``CAPS_WEIGHT`` in a capitals line; ties go to more mentions, then the name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping

from ... import slugs
from ...model import Entity, EntityIndex, EntityRef, Extraction, position_weight
from ..groups import DisjointSet
from .lexicon import lookup_place
from .mentions import Item
from .resolve import Cluster
from .vote import CAPS_WEIGHT, cluster_type


def choose_name(items: list[Item], label: str) -> str:
    """The name an entity is shown under (see the module docstring)."""
    written = [it for it in items if it.full] or items
    if label == "PERSON":  # the fullest form: "Mohammad Javad Zarif", not "Zarif"
        longest = max(len(it.key.split()) for it in written)
        written = [it for it in written if len(it.key.split()) == longest]
    articles: dict[str, set[str]] = defaultdict(set)
    for it in written:
        articles[it.name].add(it.art)
    counts = Counter(it.name for it in written)
    mixed = {n for n in counts if not n.isupper() or len(n) <= 5}
    pool = [n for n in counts if n in mixed] or list(counts)
    name = min(pool, key=lambda n: (-len(articles[n]), -counts[n], n.isupper(), len(n.split()), n))
    if name.isupper() and (len(name) > 5 or " " in name) and all(it.mention.caps for it in items):
        name = " ".join(w.capitalize() if len(w) > 3 else w for w in name.split())
    return name


def salience(it: Item, ex: Extraction) -> float:
    """What one mention adds to its entity's salience in the article."""
    return position_weight(it.mention, ex) * (CAPS_WEIGHT if it.mention.caps else 1.0)


def _confirmed(items: list[Item]) -> bool:
    """Some strong mention, or a known place, confirms the entity."""
    return not all(it.weak for it in items) or lookup_place(items[0].name) is not None


def _entity(items: list[Item], label: str, taken: Collection[str], expansions: Mapping[str, set[str]]) -> Entity:
    name = choose_name(items, label)
    base = slugs.slugify(name) or "entity"
    slug = slugs.unique(f"{base}-{label.lower().replace('_', '-')}" if base in taken else base, taken)
    acronyms = {a for it in items for a in expansions.get(it.key, ())}
    written = {it.surface for it in items if not (it.surface.isupper() and it.mention.caps)} | acronyms
    aliases = sorted(a for a in written if a.casefold() != name.casefold())
    return Entity(slug=slug, name=name, type=label, aliases=tuple(aliases))


def entities_of(clusters: Mapping[str, Cluster], groups: DisjointSet[str], wanted: set[str],
                expansions: Mapping[str, set[str]]) -> tuple[dict[str, Entity], dict[str, str]]:
    """(entities by slug, group root → slug) for every confirmed group of a wanted type."""
    merged: dict[str, list[Item]] = defaultdict(list)
    for k in sorted(clusters):
        merged[groups.find(k)].extend(clusters[k].items)
    entities: dict[str, Entity] = {}
    slug_of: dict[str, str] = {}
    for root in sorted(merged):
        items = merged[root]
        label = cluster_type(items)
        if label in wanted and _confirmed(items):
            entity = _entity(items, label, entities.keys(), expansions)
            entities[entity.slug] = entity
            slug_of[root] = entity.slug
    return entities, slug_of


def order_refs(refs: list[EntityRef], entities: Mapping[str, Entity]) -> list[EntityRef]:
    """Tags best first: pinned entities, then salience, mentions, name and slug."""
    refs = sorted(refs, key=lambda r: (-r.salience, -r.mentions, entities[r.slug].name.lower(), r.slug))
    return [r for r in refs if entities[r.slug].pinned] + [r for r in refs if not entities[r.slug].pinned]


def tags_of(per_article: Mapping[str, list[Item]], extractions: Mapping[str, Extraction],
            groups: DisjointSet[str], slug_of: Mapping[str, str], entities: Mapping[str, Entity]
            ) -> dict[str, list[EntityRef]]:
    """Each article's tags, best first."""
    by_article: dict[str, list[EntityRef]] = {}
    for art, items in per_article.items():
        ex = extractions[art]
        counts: Counter[str] = Counter()
        score: Counter[str] = Counter()
        for it in items:
            slug = slug_of.get(groups.find(it.key))
            if slug is not None:
                counts[slug] += 1
                score[slug] += salience(it, ex)
        refs = [EntityRef(slug=s, mentions=counts[s], salience=round(score[s], 3)) for s in counts]
        by_article[art] = order_refs(refs, entities)
    return by_article


def index_of(per_article: Mapping[str, list[Item]], extractions: Mapping[str, Extraction],
             clusters: Mapping[str, Cluster], groups: DisjointSet[str], wanted: set[str],
             expansions: Mapping[str, set[str]]) -> EntityIndex:
    """The archive's entities and every article's tags."""
    entities, slug_of = entities_of(clusters, groups, wanted, expansions)
    return EntityIndex(entities=entities, by_article=tags_of(per_article, extractions, groups, slug_of, entities))
