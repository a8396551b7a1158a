"""Steps 2 and 3: which mentions name the same thing — short forms in an article, acronyms, countries, and
spellings across the archive.

* **In an article**: a surname or a shorter name ("Hatami", "Javad Zarif") becomes the one longer person name of
  the same article that ends with it ("Amir Hatami"), an organisation's shorter name the one longer organisation
  name that ends with it.
* **Acronyms**: an acronym the text pairs with its expansion ("Islamic Renaissance Party (IRPT)") joins that
  expansion wherever the archive pairs it with only one, and a lone acronym the one organisation of its article
  whose initials it spells.
* **Countries**: a country under its own name, acronym or long official forms ("US", "U.S.", "United States") is
  one key, as is an organisation named after a country either way ("Iranian Armed Forces", "Armed Forces of Iran").
* **Across the archive**: transliteration variants of a person's name ("Mohammad Bagheri", "Mohammad Baqeri") join
  when every word has the same consonant skeleton, the spellings are close, the two never appear side by side in
  one article and the context confirms it (a shared rank or office, or at least ``MIN_SHARED_CONTEXT`` shared
  co-mentioned people or organisations); then a lone surname becomes the one full name of the archive ending with it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ...names import name_key
from .. import gazetteer
from ..groups import DisjointSet
from .lexicon import country_key, country_of, lookup_place
from .mentions import TEAM, Item
from .spelling import ACRONYM, is_acronym_of, skeleton, spelling_variants

MIN_SHARED_CONTEXT = 2  # co-mentioned people/organisations two spellings must share (without a shared title)
_OF = re.compile(r"^(.+?) of (?:the )?(.+)$")


# --- step 2: short forms within an article -----------------------------------------------------------------------

def _ends_with(long_key: str, short_key: str) -> bool:
    lw, sw = long_key.split(), short_key.split()
    return len(lw) > len(sw) and lw[-len(sw):] == sw


def _only_one(names: Mapping[str, str], key: str) -> str | None:
    cands = [k for k in names if _ends_with(k, key)]
    return cands[0] if len(cands) == 1 else None


def resolve_short_forms(items: list[Item]) -> None:
    """Short forms of the article's own longer person and organisation names take the longer name."""
    items = [it for it in items if not it.key.startswith(TEAM)]  # a team is no short form of anything
    persons = {it.key: it.name for it in reversed(items) if it.label == "PERSON" and len(it.key.split()) >= 2}
    orgs = {it.key: it.name for it in reversed(items) if it.label == "ORG" and len(it.key.split()) >= 2}
    for it in items:
        words = it.key.split()
        if it.label == "PERSON" or (len(words) <= 2 and lookup_place(it.name) is None):
            full = _only_one(persons, it.key)
            if full is not None:
                it.key, it.name, it.label, it.full = full, persons[full], "PERSON", False
                continue
        if it.label == "ORG" and len(words) >= 2:
            full = _only_one(orgs, it.key)
            if full is not None:
                it.key, it.name, it.full = full, orgs[full], False


def join_acronyms(per_article: Mapping[str, list[Item]]) -> dict[str, set[str]]:
    """File acronyms under their expansion; returns expansion key → the acronyms the archive pairs with it."""
    pairs: dict[str, set[str]] = defaultdict(set)
    expansions: dict[str, set[str]] = defaultdict(set)
    for items in per_article.values():
        for it in items:
            acronym = it.mention.paren
            if it.label != "PERSON" and acronym and is_acronym_of(acronym, it.name):
                pairs[name_key(acronym)].add(it.key)
                expansions[it.key].add(acronym)
    for items in per_article.values():
        orgs = sorted({it.key: it.name for it in items if it.label == "ORG" and len(it.key.split()) >= 2}.items())
        for it in items:
            if len(pairs.get(it.key, ())) == 1:
                it.key = next(iter(pairs[it.key]))  # the acronym stays a written form: the name if used most
            elif it.key not in pairs and ACRONYM.match(it.name):
                cands = [k for k, n in orgs if is_acronym_of(it.name, n, exact=True)]
                if len(cands) == 1:
                    it.key = cands[0]
    return expansions


def org_country_key(name: str) -> str | None:
    """"Iranian Armed Forces" and "Armed Forces of (the Islamic Republic of) Iran" → "armed forces@IR"."""
    m = _OF.match(name)
    if m:
        code = country_of(m.group(2))
        if code and any(w[:1].isupper() for w in m.group(1).split()):
            return f"{name_key(m.group(1))}@{code}"
    first, _, rest = name.partition(" ")
    if rest and rest[:1].isupper():
        code = gazetteer.demonym(first)
        if code:
            return f"{name_key(rest)}@{code}"
    return None


def file_countries(per_article: Mapping[str, list[Item]]) -> None:
    """Countries under any of their names, and organisations named after a country, share one key."""
    for items in per_article.values():
        for it in items:
            if country_of(it.name):
                it.key, it.label = country_key(it.name) or it.key, "GPE"
            elif it.label == "ORG":
                it.key = org_country_key(it.name) or it.key


# --- step 3: across the archive ----------------------------------------------------------------------------------

@dataclass
class Cluster:
    """Every item filed under one key."""

    key: str
    items: list[Item] = field(default_factory=list)

    @property
    def articles(self) -> set[str]:
        return {it.art for it in self.items}


def clusters_of(per_article: Mapping[str, list[Item]]) -> dict[str, Cluster]:
    """Items by key, articles in key order."""
    clusters: dict[str, Cluster] = {}
    for art in sorted(per_article):
        for it in per_article[art]:
            clusters.setdefault(it.key, Cluster(it.key)).items.append(it)
    return clusters


def _co_mentioned(clusters: Mapping[str, Cluster], types: Mapping[str, str], persons: list[str]
                  ) -> dict[str, set[str]]:
    by_article: dict[str, set[str]] = defaultdict(set)
    for k, c in clusters.items():
        for a in c.articles:
            by_article[a].add(k)
    return {k: {o for a in clusters[k].articles for o in by_article[a] if o != k and types[o] in ("PERSON", "ORG")}
            for k in persons}


def _same_person(a: str, b: str, clusters: Mapping[str, Cluster], co: Mapping[str, set[str]]) -> bool:
    if not spelling_variants(a, b) or clusters[a].articles & clusters[b].articles:
        return False
    titles_a = {t for it in clusters[a].items for t in it.titles}
    titles_b = {t for it in clusters[b].items for t in it.titles}
    return bool(titles_a & titles_b) or len(co[a] & co[b] - {a, b}) >= MIN_SHARED_CONTEXT


def merge_variants(clusters: Mapping[str, Cluster], groups: DisjointSet[str], types: Mapping[str, str]) -> None:
    """Join transliteration variants of person names when the context confirms them."""
    persons = [k for k in sorted(clusters) if types[k] == "PERSON" and len(k.split()) >= 2]
    co = _co_mentioned(clusters, types, persons)
    buckets: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in persons:
        buckets[tuple(skeleton(w) for w in k.split())].append(k)
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                if _same_person(a, b, clusters, co):
                    groups.union(a, b)


def resolve_surnames(clusters: Mapping[str, Cluster], groups: DisjointSet[str], types: Mapping[str, str]) -> None:
    """A lone surname (or shorter name) becomes the archive's one full name ending with it."""
    ending: dict[str, list[str]] = defaultdict(list)  # "zarif", "javad zarif" → the full names ending so
    for f in sorted(clusters):
        words = f.split()
        if types[f] == "PERSON" and len(words) >= 2:
            for n in range(1, len(words)):
                ending[" ".join(words[-n:])].append(f)
    for k in sorted(clusters):
        if types[k] != "PERSON" or len(k.split()) > 2:
            continue
        roots = {groups.find(f) for f in ending.get(k, ())}
        if len(roots) == 1:
            groups.union(k, roots.pop())
