"""Permanent addresses: once an entity or country page is published at an address, the address stays.

An entity's slug follows its display name, and the name follows the archive ("US" becomes "United States" when
more articles spell it out), so without a record addresses would move and links from outside would break. The
record is an *address book* kept with the content (``addresses.json`` in the content folder, written by the build
like a lock file, committed by the editor), so a clean build on a fresh clone gives the same addresses.

Each build matches its entities to the book by the name keys they go by (name and aliases) — the same display
name first, then the same type, then the most names in common — and each recorded address ends up in one state:

* **live**: the home of an entity with a page; a new display name keeps it;
* **thin**: the home of an entity that no longer qualifies for a page (fewer articles than the page minimum): an
  honest page says so, lists what is left and links to search;
* **moved**: an entity merged into another (automatically or by the editor), or renamed by the editor, leaves a
  redirect to the entity's address;
* **gone**: no entity goes by its names any more (the articles changed, the editor blocked it): an honest page.

An entity renamed in the editor file gets the address of its new name, and the old one redirects to it. New pages
get a slug of their name that no recorded address holds. Countries are recorded by ISO code.

A **story** (a same-story group) is recorded by its reports (article keys). Its slug is made once, from the
headline it had when first published, and never follows a later headline; each build gives a group the recorded
story sharing most reports with it (each story and each group used once), so a report added or corrected keeps
the address. A recorded story whose reports went to a group with another address (two groups merged) redirects
there; one none of whose reports is in a story any more (the group dissolved) gets an honest notice.

Nothing here reads or writes files: :func:`parse` and :func:`render` turn the book into text and back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .. import slugs

FORMAT = 1
ABOUT = ("Addresses of the entity and country pages this archive has published, written by pelican-news-archive. "
         "Commit it with the content: it keeps every page at the address it was first published at. To retire an "
         "address (its redirect or notice page is then no longer written), delete its entry.")
LIVE, THIN, MOVED, GONE = "live", "thin", "moved", "gone"
STORY_SLUG_LENGTH = 60  # a headline is longer than a name: its first words make the address


@dataclass(frozen=True)
class Record:
    """One published entity address as the book keeps it."""

    slug: str
    name: str
    type: str
    names: tuple[str, ...]  # the name keys the entity went by when last published
    moved_to: str | None = None


@dataclass(frozen=True)
class StoryRecord:
    """One published story address: the headline it was published with and its reports when last built."""

    slug: str
    headline: str
    reports: tuple[str, ...]  # article keys, sorted
    moved_to: str | None = None


@dataclass(frozen=True)
class AddressBook:
    entities: Mapping[str, Record] = field(default_factory=dict)  # slug → record
    countries: Mapping[str, str] = field(default_factory=dict)  # ISO code → slug
    stories: Mapping[str, StoryRecord] = field(default_factory=dict)  # slug → record


@dataclass(frozen=True)
class Candidate:
    """A current entity asking for an address."""

    key: str  # its slug in this build's analysis
    name: str
    type: str
    names: frozenset[str]  # name keys: its name and aliases
    page: bool  # it qualifies for a page
    editor_named: bool = False  # its name was set by the editor (rename or merge target)


@dataclass(frozen=True)
class EntityAddresses:
    address: dict[str, str]  # candidate key → address (every candidate has one; only those with pages recorded)
    state: dict[str, str]  # recorded address → LIVE, THIN, MOVED or GONE
    target: dict[str, str]  # a MOVED address → the address it redirects to
    home: dict[str, str]  # a LIVE or THIN address → the candidate key
    records: dict[str, Record]  # the book's entities after this build


def _score(c: Candidate, r: Record) -> tuple[int, int, int]:
    return (slugs.slugify(c.name) == r.slug or c.name.casefold() == r.name.casefold(), c.type == r.type,
            len(c.names & set(r.names)))


def _homes(candidates: list[Candidate], records: Mapping[str, Record]) -> dict[str, str]:
    """Candidate key → the recorded slug it keeps: best-matching pairs first, each side used once. An entity the
    editor named keeps only the address of its new name."""
    by_name: dict[str, set[str]] = {}
    for slug, r in records.items():
        for n in r.names:
            by_name.setdefault(n, set()).add(slug)
    pairs = []
    for order, c in enumerate(candidates):
        found = {s for n in c.names for s in by_name.get(n, ())}
        if c.editor_named:
            found = {s for s in found | {slugs.slugify(c.name)} if s == slugs.slugify(c.name) and s in records}
        pairs += [(tuple(-x for x in _score(c, records[s])), not c.page, order, s, c.key) for s in found]
    homes: dict[str, str] = {}
    taken: set[str] = set()
    for *_rank, slug, key in sorted(pairs):
        if key not in homes and slug not in taken:
            homes[key] = slug
            taken.add(slug)
    return homes


def _absorbed_by(r: Record, by_name: Mapping[str, list[Candidate]], address: Mapping[str, str]) -> str | None:
    """The address of the entity with a page that now goes by most of the record's names."""
    shared: dict[str, int] = {}
    for n in r.names:
        for c in by_name.get(n, ()):
            if c.page:
                shared[address[c.key]] = shared.get(address[c.key], 0) + 1
    return min(shared, key=lambda a: (-shared[a], a)) if shared else None


def assign_entities(book: AddressBook, candidates: Iterable[Candidate]) -> EntityAddresses:
    """Addresses for this build's entities, and the state of every recorded one (see the module docstring)."""
    cands = sorted(candidates, key=lambda c: (not c.page, c.key))
    records = dict(book.entities)
    homes = _homes(cands, records)
    taken = set(records)
    address: dict[str, str] = {}
    for c in cands:
        if c.key in homes:
            address[c.key] = homes[c.key]
        else:
            address[c.key] = slugs.unique(slugs.slugify(c.name) or "entity", taken)
            taken.add(address[c.key])
    state: dict[str, str] = {}
    target: dict[str, str] = {}
    home: dict[str, str] = {}
    out: dict[str, Record] = {}
    for c in cands:
        slug = address[c.key]
        if c.page or slug in records:
            state[slug] = LIVE if c.page else THIN
            home[slug] = c.key
            out[slug] = Record(slug, c.name, c.type, tuple(sorted(c.names)))
    by_name: dict[str, list[Candidate]] = {}
    for c in cands:
        for n in c.names:
            by_name.setdefault(n, []).append(c)
    for slug, r in sorted(records.items()):
        if slug in state:
            continue
        moved = _absorbed_by(r, by_name, address)
        state[slug] = MOVED if moved else GONE
        if moved:
            target[slug] = moved
        out[slug] = replace(r, moved_to=moved)
    return EntityAddresses(address=address, state=state, target=target, home=home, records=dict(sorted(out.items())))


def assign_countries(book: AddressBook, names: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(ISO code → address for the countries with pages, the book's countries after this build); a country keeps
    its recorded address whatever its name becomes."""
    recorded = dict(book.countries)
    taken = set(recorded.values())
    address: dict[str, str] = {}
    for code in sorted(names):
        if code in recorded:
            address[code] = recorded[code]
        else:
            address[code] = slugs.unique(slugs.slugify(names[code]) or code.lower(), taken)
            taken.add(address[code])
    return address, dict(sorted({**recorded, **address}.items()))


@dataclass(frozen=True)
class StoryAddresses:
    address: list[str]  # per group (in the order given), its address
    state: dict[str, str]  # recorded story address → LIVE, MOVED or GONE
    target: dict[str, str]  # a MOVED address → the address it redirects to
    records: dict[str, StoryRecord]  # the book's stories after this build


def assign_stories(book: AddressBook, groups: list[frozenset[str]], headlines: list[str]) -> StoryAddresses:
    """Addresses for this build's story groups (``headlines``: the headline each would be published with), and
    the state of every recorded story (see the module docstring)."""
    records = dict(book.stories)
    owner: dict[str, list[str]] = {}
    for slug, r in records.items():
        for key in r.reports:
            owner.setdefault(key, []).append(slug)
    pairs = []
    for i, group in enumerate(groups):
        shared: dict[str, int] = {}
        for key in group:
            for slug in owner.get(key, ()):
                shared[slug] = shared.get(slug, 0) + 1
        pairs += [(-n, records[slug].moved_to is not None, slug, i) for slug, n in shared.items()]
    address: dict[int, str] = {}
    taken: set[str] = set()
    for _n, _moved, slug, i in sorted(pairs):
        if i not in address and slug not in taken:
            address[i] = slug
            taken.add(slug)
    used = set(records)
    for i, headline in enumerate(headlines):
        if i not in address:
            address[i] = slugs.unique(slugs.slugify(headline, max_length=STORY_SLUG_LENGTH) or "story", used)
            used.add(address[i])
    out = {address[i]: StoryRecord(address[i], records[address[i]].headline if address[i] in records else
                                   headlines[i], tuple(sorted(group))) for i, group in enumerate(groups)}
    state = dict.fromkeys(out, LIVE)
    target: dict[str, str] = {}
    home = {key: address[i] for i, group in enumerate(groups) for key in group}
    for slug, r in sorted(records.items()):
        if slug in out:
            continue
        homes = [home[k] for k in r.reports if k in home]
        moved = min(set(homes), key=lambda a: (-homes.count(a), a)) if homes else None
        state[slug] = MOVED if moved else GONE
        if moved:
            target[slug] = moved
        out[slug] = replace(r, moved_to=moved)
    return StoryAddresses(address=[address[i] for i in range(len(groups))], state=state, target=target,
                          records=dict(sorted(out.items())))


class BookError(ValueError):
    """The address book's text cannot be read (the message says where)."""


def parse(text: str) -> AddressBook:
    """The book from its JSON text; :class:`BookError` when it is not a book of this format."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BookError(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BookError(f"not an address book of format {FORMAT}")
    entities: dict[str, Record] = {}
    for slug, value in (data.get("entities") or {}).items():
        if not isinstance(value, dict) or not isinstance(value.get("names"), list):
            raise BookError(f"entity {slug!r} must have a name, a type and a list of names")
        entities[str(slug)] = Record(slug=str(slug), name=str(value.get("name", "")), type=str(value.get("type", "")),
                                     names=tuple(str(n) for n in value["names"]),
                                     moved_to=str(value["moved_to"]) if value.get("moved_to") else None)
    countries = data.get("countries") or {}
    if not isinstance(countries, dict):
        raise BookError("countries must map ISO codes to addresses")
    stories: dict[str, StoryRecord] = {}
    for slug, value in (data.get("stories") or {}).items():
        if not isinstance(value, dict) or not isinstance(value.get("reports"), list):
            raise BookError(f"story {slug!r} must have a headline and a list of reports")
        stories[str(slug)] = StoryRecord(slug=str(slug), headline=str(value.get("headline", "")),
                                         reports=tuple(sorted(str(k) for k in value["reports"])),
                                         moved_to=str(value["moved_to"]) if value.get("moved_to") else None)
    return AddressBook(entities=entities, countries={str(k): str(v) for k, v in countries.items()},
                       stories=stories)


def render(book: AddressBook) -> str:
    """The book as JSON text: sorted, one value per line, so that an editor's diff shows what moved."""
    entities = {}
    for slug, r in sorted(book.entities.items()):
        entry: dict[str, object] = {"name": r.name, "type": r.type, "names": list(r.names)}
        if r.moved_to:
            entry["moved_to"] = r.moved_to
        entities[slug] = entry
    data: dict[str, object] = {"about": ABOUT, "format": FORMAT, "countries": dict(sorted(book.countries.items())),
                               "entities": entities}
    if book.stories:  # a book without stories keeps the text it had before stories were recorded
        data["stories"] = {slug: {"headline": r.headline, "reports": list(r.reports),
                                  **({"moved_to": r.moved_to} if r.moved_to else {})}
                           for slug, r in sorted(book.stories.items())}
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
