"""Stage 2: turn raw mentions into one canonical entity per real-world thing, archive-wide.

Raw spaCy spans are not publishable as tags: titles stick to names, the same person appears under a surname or a
second spelling, bylines and sentence-initial words come out as entities. This stage cleans each mention, resolves
short forms to the full name used in the same article, votes one type per entity across the archive and ranks an
article's tags by salience (mentions, headline and lede position).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from unidecode import unidecode

from .knowledge import word_list
from .model import Entity, EntityIndex, EntityRef, Extraction, Mention

TAG_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def slugify(name: str) -> str:
    """ASCII, lower-case, hyphenated slug; never empty, never a path."""
    ascii_name = unidecode(unicodedata.normalize("NFKC", name)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:80].strip("-")
    return slug or "entity"


def _strip_honorifics(words: list[str]) -> list[str]:
    titles = word_list("honorifics.txt")
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in (3, 2, 1):
            if len(words) > n:
                head = " ".join(words[:n]).lower().replace(".", "")
                if head in titles or head.replace("-", " ") in titles:
                    words = words[n:]
                    changed = True
                    break
    return words


def clean_name(mention: Mention) -> str | None:
    """The publishable form of a mention's text, or None when it is junk."""
    text = _EDGE_JUNK.sub("", " ".join(mention.text.split()))
    text = _POSSESSIVE.sub("", text).strip()
    if text.lower().startswith("the "):
        text = text[4:]
    if mention.label == "PERSON":
        text = " ".join(_strip_honorifics(text.split()))
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return None
    if " ".join(text.lower().split()) in word_list("stop_entities.txt"):
        return None
    return text


def _key(name: str) -> str:
    return " ".join(unidecode(name).lower().replace("-", " ").split())


def canonicalise(extractions: Mapping[str, Extraction], *, sources: Mapping[str, str | None] | None = None,
                 types: Iterable[str] = TAG_TYPES, max_tags: int = 30) -> EntityIndex:
    """Canonical entities and per-article tags, best first."""
    wanted = set(types)
    sources = sources or {}
    # 1. Clean mentions and resolve short person names to the longest full name in the same article.
    per_article: dict[str, list[tuple[str, str, Mention]]] = {}
    type_votes: dict[str, Counter[str]] = defaultdict(Counter)
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for art_key in sorted(extractions):
        ex = extractions[art_key]
        outlet = _key(sources.get(art_key) or "")
        cleaned: list[tuple[str, str, Mention]] = []
        for m in ex.mentions:
            if m.label not in wanted:
                continue
            name = clean_name(m)
            if name is None or (outlet and _key(name) == outlet):
                continue
            cleaned.append((name, m.label, m))
        persons = sorted({n for n, lab, _ in cleaned if lab == "PERSON" and " " in n}, key=lambda s: -len(s))
        resolved: list[tuple[str, str, Mention]] = []
        for name, label, m in cleaned:
            if " " not in name:
                full = [p for p in persons if _key(p).split()[-1] == _key(name)]
                if len(full) == 1:
                    name, label = full[0], "PERSON"
            resolved.append((_key(name), label, m))
            type_votes[_key(name)][label] += 1
            surface[_key(name)][name] += 1
        per_article[art_key] = resolved
    # 2. One entity per key, its type by archive-wide vote, its name the most used full spelling.
    entities: dict[str, Entity] = {}
    slug_of: dict[str, str] = {}
    for key in sorted(surface):
        label = sorted(type_votes[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        names = sorted(surface[key].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        name = names[0][0]
        slug = slugify(name)
        if slug in entities:
            slug = f"{slug}-{label.lower().replace('_', '-')}"
            n = 2
            while slug in entities:
                slug = f"{slugify(name)}-{n}"
                n += 1
        aliases = tuple(sorted({n for n, _ in names[1:] if n != name}))
        entities[slug] = Entity(slug=slug, name=name, type=label, aliases=aliases)
        slug_of[key] = slug
    # 3. Per-article tags ranked by salience.
    by_article: dict[str, list[EntityRef]] = {}
    for art_key, items in per_article.items():
        ex = extractions[art_key]
        counts: Counter[str] = Counter()
        score: Counter[str] = Counter()
        for key, _label, m in items:
            slug = slug_of[key]
            counts[slug] += 1
            weight = 1.0
            if m.in_title:
                weight += 2.0
            elif m.start < ex.lede_end:
                weight += 1.0
            score[slug] += weight
        refs = [EntityRef(slug=s, mentions=counts[s], salience=round(score[s], 3)) for s in counts]
        refs.sort(key=lambda r: (-r.salience, -r.mentions, entities[r.slug].name.lower(), r.slug))
        by_article[art_key] = refs[:max_tags] if max_tags else refs
    return EntityIndex(entities=entities, by_article=by_article)
