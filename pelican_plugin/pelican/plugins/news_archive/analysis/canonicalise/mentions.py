"""Step 1: one mention at a time — clean it, drop junk, note its evidence; and sports clubs within an article.

A raw spaCy span becomes an :class:`Item` (the name a tag could show, the key it is filed under, its label and the
evidence it carries) or nothing. Every rule is general, over the mention's own tokens (their tags, the parse, the
words around it) and :mod:`.lexicon`:

* whitespace, edge punctuation, possessives and edge particles go; leading titles, ranks and demonyms go from a
  person's name ("Brigadier General Amir Hatami" → "Amir Hatami", the title kept as evidence);
* junk is dropped: a lone title or rank, an office ("Minister of Defense"), a demonym used as such, the article's
  outlet, a news-agency code in a dateline, a byline glued to a place ("PressIran"), a name without a capital, a
  period of time, an amount, a stop-entity, ordinary words the tagger does not read as a proper name;
* *weak* mentions are kept but count only when the archive confirms them (:mod:`.rank`): in a capitals line, an
  ordinary word opening a sentence, an ordinary word that makes a title with the next one, a heading in capitals.

Everything here depends on one article only, so an article's items can be cached with its extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ...knowledge import table
from ...labels import KEPT
from ...model import Extraction, Mention
from ...names import name_key, phrase_key
from .. import gazetteer
from .lexicon import (
    POSSESSIVE,
    adjectival_country,
    country_of,
    courtesy_titles,
    event_name,
    is_demonym,
    is_office,
    is_people,
    is_period,
    is_quantity,
    lookup_place,
    org_name,
    particles,
    split_titles,
    stop_entities,
    title_before,
    title_phrases,
)

TEAM = "team:"  # key prefix of a sports club named after a place (see mark_teams)
_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_GLUED = re.compile(r"^[A-Z][a-z]+([A-Z][a-z]{2,})$")
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
_FUNCTION_TAGS = frozenset({"DT", "POS", "IN", "CC", "HYPH", ",", ".", ":", "``", "''", "-LRB-", "-RRB-"})
_BOWLING = re.compile(r"\d+(?:\.\d)?-\d+-\d+-\d+")  # a bowler's overs-maidens-runs-wickets: "14-0-71-0"
_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")
_OPENING_PUNCT = frozenset({",", ":", ";", "-", "–", "("})


@dataclass
class Item:
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
    club_evidence: bool = False  # named as a club in a results slot of its article (see mark_teams)


def _byline_code(m: Mention) -> bool:
    """A news-agency code in a dateline: "Tehran (IP) - …", "Dushanbe(IP) - …" (the place opens the sentence)."""
    if len(m.prev) != 2 or m.prev[-1] != "(" or m.next != ")" or m.label in ("GPE", "LOC", "NORP", "FAC"):
        return False
    return all(w[:1].isupper() for w in m.prev[:-1]) and len(m.text.split()) <= 2


def _glued(text: str) -> bool:
    """A token glued from two words whose second is a place: "PressIran" in "Iran PressIran news:"."""
    match = _GLUED.match(text)
    return bool(match) and lookup_place(match.group(1)) is not None


def _strip_edges(text: str) -> str:
    """Edge punctuation off, except the dot of an abbreviation ("U.S.", "Corp.")."""
    stripped = _EDGE_JUNK.sub("", text)
    if text.rstrip().endswith(".") and re.search(r"(?:^|[\s.])[A-Za-z]{1,4}$", stripped) and "." in stripped:
        stripped += "."
    return stripped


def _words(m: Mention) -> list[str]:
    """The words of a mention without edge punctuation, possessive and edge particles ("the", "al-"…)."""
    text = POSSESSIVE.sub("", _strip_edges(" ".join(m.text.split()))).strip()
    words = text.split()
    while words and words[0].lower() in particles():
        words = words[1:]
    while words and words[-1].lower() in particles():
        words = words[:-1]
    return words


def _name_words(m: Mention, words: list[str]) -> tuple[list[str], list[str]] | None:
    """(titles, name words) once leading titles are split off; None for a lone title or an office."""
    titles, rest = split_titles(words)
    if not split_titles(words, places=False)[1] or (titles and not rest):
        return None  # a lone title or rank, maybe with a nationality: "Major-General", "Tajik Minister"
    if m.label == "PERSON" and rest:
        return titles, rest
    if m.label != "PERSON" and is_office(words):
        return None  # an office, not an organisation
    return titles, words


def _junk(m: Mention, name: str, outlet: str) -> bool:
    """A name that is no entity: too short, lower case, a stop-entity, the outlet, a demonym, a dateline code, a
    glued byline, a period, an amount."""
    key = name_key(name)
    if len(key) < 2 or not any(c.isupper() for c in name):
        return True
    if key in stop_entities() or (outlet and key == outlet) or is_demonym(name) or adjectival_country(m, name):
        return True
    return _byline_code(m) or _glued(name) or is_period(name) or is_quantity(name)


def _ordinary(m: Mention) -> bool:
    """Every token of the mention is an ordinary English word."""
    return len(m.lex) == len(m.text.split()) and all(m.lex)


def _read_as_words(m: Mention, name: str) -> bool:
    """The tagger reads ordinary words here, not a name ("Olympic" champion, "Eurodollars")."""
    common = [t for t in m.tags if t not in _FUNCTION_TAGS]
    if not common or any(t in ("NNP", "NNPS") for t in common) or m.caps or m.text.isupper():
        return False
    return not country_of(name) and (_ordinary(m) or m.label == "NORP")


def _title_fragment(m: Mention, name: str) -> bool:
    """An ordinary word that with the next word makes a title ("Defense" in "Defense Minister")."""
    if not (_ordinary(m) and len(name.split()) == 1 and lookup_place(name) is None):
        return False
    dep, _, governor = m.head.partition(":")
    return phrase_key([name, governor if dep == "compound" else m.next]) in title_phrases()


def _own_titles(m: Mention, titles: list[str]) -> frozenset[str]:
    """Titles that say who someone is (not courtesy titles): those split off the name and the one before it."""
    own = frozenset(t for t in titles if t not in courtesy_titles())
    before = title_before(m.prev)
    if before and before not in courtesy_titles():
        own |= {before}
    return own


def clean_mention(m: Mention, outlet: str = "") -> tuple[str, frozenset[str], bool] | None:
    """(name, titles, fragment) of a mention as a tag could show it, or None when it is junk.

    ``fragment`` marks an ordinary word that modifies a title ("Defense" in "Defense Minister"): a weak mention.
    """
    words = _words(m)
    split = _name_words(m, words) if words else None
    if split is None:
        return None
    titles, words = split
    name = " ".join(words)
    if _junk(m, name, outlet) or _read_as_words(m, name):
        return None
    return name, _own_titles(m, titles), _title_fragment(m, name)


def _person_evidence(m: Mention, name: str) -> bool:
    """A name of two words or more, mostly not ordinary words, after a title or in apposition to one."""
    dep, _, governor = m.head.partition(":")
    if len(name.split()) < 2 or lookup_place(name) is not None or sum(bool(x) for x in m.lex) * 2 > len(m.lex):
        return False
    # "the President, Ibrahim Raisi": the parser's apposition, or (a pipeline without one) a title and a comma
    appositive = (dep == "appos" and phrase_key([governor]) in title_phrases()) or (
        len(m.prev) >= 2 and m.prev[-1] == "," and bool(title_before(m.prev[:-1])))
    return appositive or bool(title_before(m.prev))


def _loose(m: Mention, name: str) -> bool:
    """One ordinary English word that is no known place: a name only if the archive says so elsewhere. Suspect
    as a place when it is also a verb or adjective ("Moribund"), or when it opens a sentence or line ("Recall,
    …"), and as an organisation or person when it is an ordinary noun opening a sentence ("Showers continued")."""
    if not (len(m.text.split()) == 1 and m.lex and m.lex[0] and lookup_place(name) is None):
        return False
    noun = m.label in ("ORG", "PERSON") and len(m.lex) == 1 and "n" in m.lex[0] and not m.text.isupper()
    opening = (m.sent_start or not m.prev) and (
        m.next in _OPENING_PUNCT or m.tags[:1] not in (("NNP",), ("NNPS",))
        or m.next.lower() in _NUMBER_WORDS or noun)
    common = any(c in m.lex[0] for c in "var")  # a verb, adjective or adverb too: "Recall", "Golf"
    return (m.label in ("GPE", "LOC", "FAC") and common) or opening


def _shouting(m: Mention) -> bool:
    """Ordinary words in capitals are a heading, not a name: "PRESS DIGEST", "RESEARCH ALERT"."""
    return m.text.isupper() and len(m.text) > 5 and bool(m.lex) and all(m.lex)


def _item(art: str, m: Mention, outlet: str) -> Item | None:
    cleaned = clean_mention(m, outlet)
    if cleaned is None:
        return None
    name, titles, fragment = cleaned
    label = "NORP" if is_people(name) else m.label
    return Item(art=art, name=name, surface=name, key=name_key(name), label=label, mention=m,
                weak=m.caps or _loose(m, name) or fragment or _shouting(m), titles=titles,
                person_evidence=label not in ("PERSON", "NORP") and _person_evidence(m, name),
                org_evidence=label not in ("ORG", "NORP") and org_name(name) and not country_of(name),
                event_evidence=label in ("ORG", "GPE", "LOC", "FAC", "PERSON") and event_name(name))


def opens_dateline(m: Mention, ex: Extraction) -> bool:
    """The span that opens the body as a dateline does: in capitals before a comma ("CARLSBAD , California
    1996-08-22"), or a known place before a bracket or a dash ("Ashgabat (IP) -"). It names the place the article
    was filed from, whatever label spaCy gives it (it reads most such towns as organisations)."""
    if m.in_title or not 0 <= m.start - ex.title_end <= 2:
        return False
    if m.next == ",":
        return m.text.isupper() and len(m.text) > 2
    return m.next in ("(", "-", "–", "—") and lookup_place(m.text) is not None


def article_items(art: str, ex: Extraction, outlet: str) -> list[Item]:
    """The usable mentions of one article, in text order (``outlet``: the name key of its outlet)."""
    items = [_item(art, m, outlet) for m in ex.mentions if m.label in KEPT]
    kept = [it for it in items if it is not None]
    for it in kept:
        if it.label in ("ORG", "PERSON", "NORP", "FAC") and opens_dateline(it.mention, ex):
            it.label, it.person_evidence, it.org_evidence = "GPE", False, False
    return kept


def dateline_items(art: str, ex: Extraction, dateline: str | None, outlet: str) -> list[Item]:
    """The place of the article's dateline ("Tehran (IP) -", "WASHINGTON, March 3 -") as a mention of the lede:
    the importer keeps the dateline as metadata, so spaCy never reads it, yet it names a place of the article."""
    from ..countries import dateline_place  # the countries stage reads datelines; one reading of them

    place = dateline_place(dateline)
    if place is None:
        return []
    m = Mention(text=place, label="GPE", start=ex.title_end, end=ex.title_end, sent=-1, sent_start=True,
                caps=place.isupper())
    item = _item(art, m, outlet)
    return [item] if item is not None else []


def _team_name(it: Item) -> bool:
    """A name that, in a results slot, is a team: a place that is no country or region (national sides are
    filed as their countries), or a name the recogniser reads as a place or an organisation."""
    if country_of(it.name) or it.label == "NORP" or (it.label == "PERSON" and len(it.key.split()) > 1):
        return False
    place = lookup_place(it.name)
    if place is not None:
        return place.kind != gazetteer.REGION
    return it.label in ("GPE", "LOC", "FAC", "ORG")


def _city_word(word: str) -> bool:
    place = lookup_place(word)
    return place is not None and place.kind in (gazetteer.CITY, gazetteer.SUBDIVISION)


def _club_name(it: Item) -> bool:
    """A name that, in a results slot, is a club rather than a player: one word the recogniser calls a person
    ("Everton 2", "Juventude 5 3 1 1"), or two or three words one of which is a town, the other no initial
    ("Lech Poznan 3", "Sturm Graz", "Nottingham Forest"): players are listed as "A. Giles 50", "Nick Faldo 70"."""
    words = it.name.split()
    if lookup_place(it.name) is not None or country_of(it.name) or it.label == "NORP":
        return False
    if len(words) == 1:
        return it.label == "PERSON" and words[0][1:].islower()
    return len(words) <= 3 and not words[0].endswith(".") and any(_city_word(w) for w in words)


def _player(it: Item, sports: bool = False) -> bool:
    """A name of two or three words followed by a country in brackets, "Mika Hakkinen ( Finland )", or in sports
    copy a name of two words followed by any bracket ("Naoko Kijimuta ( Japan )", "Marc Rosset ( Switzerland )"):
    results and line-ups list people so (clubs listed with their country name their town: not a player)."""
    m, words = it.mention, it.name.split()
    listed = (2 <= len(words) <= 3 and bool(m.paren) and country_of(m.paren) is not None) or (
        sports and len(words) == 2 and m.next == "(" and not any(c.isdigit() for c in it.name))
    return listed and lookup_place(it.name) is None and not org_name(it.name) and not _club_evidence_words(it)


def _scorer(it: Item) -> bool:
    """A name followed by the minute of a goal, "Gravelaine 24th", "Roest 33rd": match summaries list scorers so."""
    return bool(_ORDINAL.fullmatch(it.mention.next)) and lookup_place(it.name) is None and not country_of(it.name) \
        and not org_name(it.name)


def _club_evidence_words(it: Item) -> bool:
    return any(_city_word(w) for w in it.name.split())


@cache
def _sports_words() -> dict[str, frozenset[str]]:
    rows = table("sports_copy.tsv")
    return {kind: frozenset(" ".join(r[1].lower().split()) for r in rows if len(r) > 1 and r[0] == kind)
            for kind in ("sport", "athletes", "before", "after")}


def sports_copy(title: str) -> str:
    """"team" or "athletes" for a headline that opens with a sport, as wire services file their sports pages
    ("SOCCER - …", "TENNIS - …"); "" for other copy."""
    head = re.split(r"\s+[-–—:]\s+", title.strip(), maxsplit=1)
    if len(head) != 2:
        return ""
    words = " ".join(head[0].lower().split())
    return "team" if words in _sports_words()["sport"] else "athletes" if words in _sports_words()["athletes"] \
        else ""


def _club_in_prose(it: Item) -> bool:
    """A town or county (no country) with a club's word beside it: "beat Leeds", "Genoa were", "Stuttgart 's"."""
    m = it.mention
    if m.caps or country_of(it.name) or it.label not in ("GPE", "LOC", "ORG"):
        return False
    place = lookup_place(it.name)
    if place is None or place.kind not in (gazetteer.CITY, gazetteer.SUBDIVISION):
        return False
    words = _sports_words()
    return (bool(m.prev) and m.prev[-1].lower() in words["before"]) or m.next.lower() in words["after"]


def mark_teams(items: list[Item], sports: str = "") -> None:
    """Sports clubs named after their town or county ("Surrey 82-0", "BALTIMORE 67 58 .536", "v Northampton")
    are organisations, not the place: such a mention, and every other mention of that name in the same article,
    is filed under a team key of its own, apart from the place; so is, in team-sports copy (``sports``: "team",
    see :func:`sports_copy`), a town
    with a club's word beside it (:func:`_club_in_prose`, ``sports_copy.tsv``). Clubs with names of their own in a
    results slot (:func:`_club_name`) vote ORG in every mention of the article; players named with their country
    in brackets (:func:`_player`) vote PERSON in every mention of the article."""
    named = {it.key for it in items
             if (it.mention.score or (sports == "team" and _club_in_prose(it))) and _team_name(it)}
    # a one-word "club" that ends a person's name of the article is that person ("Ian Salisbury" … "Salisbury 14-0")
    surnames = {" ".join(it.key.split()[-n:]) for it in items if it.label == "PERSON"
                for n in range(1, len(it.key.split()))}
    clubs = {it.key for it in items if it.mention.score and _club_name(it)
             and not _BOWLING.fullmatch(it.mention.next)} - named - surnames
    players = {it.key for it in items if _player(it, bool(sports)) or _scorer(it)} - clubs - named
    for it in items:
        if it.key in named and _team_name(it):
            it.key, it.label = TEAM + it.key, "ORG"
            it.person_evidence = it.event_evidence = False
        elif it.key in clubs:
            it.org_evidence, it.person_evidence, it.club_evidence = True, False, True
        elif it.key in players and it.label != "PERSON":
            it.person_evidence, it.org_evidence = True, False
