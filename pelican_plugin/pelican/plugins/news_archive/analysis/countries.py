"""Stage 3: file each article under the countries it is about (focus) and the ones it mentions.

Evidence
    * every GPE/LOC mention the gazetteer resolves: a country name or alias ("Iran", "U.S.", "the Islamic
      Republic"), a state or province ("Texas"), a city ("Tehran");
    * every nationality adjective or demonym (NORP: "Iranian", "Tajik");
    * the dateline's place ("WASHINGTON, March 3 -" → US, "Tehran (IP) -" → IR, "PORTLAND, Ore." → US).

    Never evidence: regions ("Central Asia", "the Middle East", "Europe"); a place inside the name of an
    organisation or event (spaCy marks "Shanghai Cooperation Organization" as one ORG, which is not a place;
    when it splits off the place, the word after it — "Istanbul *Process*" — gives it away); a city name that is
    a common word ("Reading", "Nice"), or too small to be meant without a dateline.

Ambiguity
    A name with several candidate countries ("Georgia": the country or the US state; "Valencia") takes the
    candidate best supported by the article's other, unambiguous evidence: the candidate itself, its neighbours
    (GeoNames) at half weight, and regions that lie over it ("the Caucasus") at half weight; evidence in the same
    sentence counts ``SAME_SENTENCE`` times. Ties go to the gazetteer's order (a country before a state, a large
    city before a small one).

Focus score of a country (documented formula)::

    score(c) = Σ_{evidence e of c}  position(e) × kind(e)
             + DATELINE_WEIGHT                       if the dateline names a place in c

    position(e) = HEADLINE_WEIGHT in the headline, LEDE_WEIGHT in the lede (first paragraph), else 1
                  (``model.position_weight``: the same scale as tag salience)
    kind(e)     = 1 for a name (country, state or city), DEMONYM_FACTOR for a demonym ("Iranian")

A country is a focus when ``score(c) ≥ FOCUS_SHARE × best score`` and ``score(c) ≥ FOCUS_MIN``; the best
country is always a focus. Every country with evidence is mentioned. Countries come focus first, then by score,
then by code.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ..knowledge import table
from ..model import HEADLINE_WEIGHT, CountryRef, Extraction, Mention, position_weight
from ..names import name_key
from . import gazetteer

# Tuned on Reuters-21578 (benchmarks/countries.py): fitted on odd-numbered articles, the same focus F1 (±0.003)
# on the even-numbered ones.
DATELINE_WEIGHT = 4.0
DEMONYM_FACTOR = 0.75
FOCUS_SHARE = 0.35
FOCUS_MIN = 3.0
SAME_SENTENCE = 2.0
NEAR_FACTOR = 0.5
OUTLET_PRIOR = 1.0  # score of the outlet's home country when the article has no place evidence at all
_DATELINE_NEXT = frozenset({"(", "-", "–", "—", ","})
PLACE_LABELS = frozenset({"GPE", "LOC"})
PLACE_LIKE_LABELS = frozenset({"NORP", "ORG"})  # sometimes a place, when the whole span is one
HEADLINE_NGRAM = 4  # longest country name looked for in a headline, in words ("PEOPLE'S REPUBLIC OF CHINA")
_OF = re.compile(r"\s+(of)\s+", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z.]|[A-Za-z]")
_DATE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d", re.I)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: candidate countries (most likely first), where it sits and how much it weighs."""

    text: str
    codes: tuple[str, ...]
    kind: str  # gazetteer kind ("country", "subdivision", "city") or "demonym" or "dateline"
    weight: float
    sent: int  # sentence index; -1 for the dateline


def _split_dateline(dateline: str) -> list[str]:
    """Place parts of a dateline: "PORTLAND, Ore., Feb 26 -" → ["PORTLAND", "Ore."]; "Tehran (IP) -" → ["Tehran"]."""
    text = _DATE.split(dateline, maxsplit=1)[0]  # the date and what follows are no place
    text = re.sub(r"\([^)]*\)", ",", text)  # "(IP)", "(Reuters)": the agency
    text = re.split(r"\s[-–—]+(?:\s|$)|[-–—]+$", text.strip(), maxsplit=1)[0]
    return [p.strip() for p in text.split(",") if p.strip() and not p.strip().isdigit()]


def dateline_place(dateline: str | None) -> str | None:
    """The place a dateline opens with, as written ("Tehran" of "Tehran (IP) -", "PORTLAND" of "PORTLAND, Ore.,
    Feb 26 -"), when the gazetteer knows it: the place the article was filed from, a place of the article."""
    for part in _split_dateline(dateline or "")[:1]:
        if gazetteer.resolve(part, min_population=gazetteer.MIN_DATELINE_POPULATION) is not None:
            return part
    return None


def dateline_evidence(dateline: str | None) -> Evidence | None:
    """The country a dateline names, as evidence; the most specific part wins ("PORTLAND, Ore." → the state)."""
    if not dateline:
        return None
    parts = _split_dateline(dateline)
    found: list[gazetteer.Place] = []
    for part in parts[:3]:
        place = gazetteer.resolve(part, min_population=gazetteer.MIN_DATELINE_POPULATION)
        if place is None and not part.endswith("."):
            place = gazetteer.resolve(part + ".")  # "CAMBRIDGE, Mass" is "Mass."
        if place and place.codes:
            found.append(place)
    if not found:
        return None
    # A later part names the container ("SAN JOSE, Calif.", "HAMILTON, Bermuda"): prefer it to the city.
    place = found[-1] if len(found) > 1 and found[-1].kind != gazetteer.CITY else found[0]
    return Evidence(text=", ".join(parts), codes=place.codes, kind="dateline", weight=DATELINE_WEIGHT, sent=-1)


def headline_evidence(title: str, ex: Extraction) -> list[Evidence]:
    """Country names and demonyms in the headline that spaCy did not mark (it misses most in ALL-CAPS headlines).

    Only words outside every spaCy mention count (so "BANK OF JAPAN", an ORG, still says nothing), only country
    names, aliases and demonyms (never cities: a headline word is too often a common word), and only forms of at
    least three letters or with a full stop ("U.S.", not "US", which a capitalised headline uses as a pronoun).
    """
    title = " ".join(title.split())
    if not title:
        return []
    covered = [(m.start, m.end) for m in ex.mentions if m.in_title]
    words = [(w.group(), w.start(), w.end()) for w in _WORD.finditer(title)]
    out: list[Evidence] = []
    i = 0
    while i < len(words):
        for n in range(min(HEADLINE_NGRAM, len(words) - i), 0, -1):
            start, end = words[i][1], words[i + n - 1][2]
            text = title[start:end]
            if any(a < end and start < b for a, b in covered):
                continue
            if len(text) < 3 and "." not in text:
                continue
            if i + n < len(words) and gazetteer.is_name_word(words[i + n][0]):
                continue  # "U.S. DLR", "CANADIAN DLR BOND"
            if gazetteer.is_country_name(text):
                place = gazetteer.resolve(text)
                if place and place.codes:
                    out.append(Evidence(text, place.codes, gazetteer.COUNTRY, HEADLINE_WEIGHT, 0))
                    break
            codes = gazetteer.demonyms_in(text)
            if codes:
                out.extend(Evidence(text, (c,), "demonym", HEADLINE_WEIGHT * DEMONYM_FACTOR, 0) for c in codes)
                break
        else:
            n = 1
        i += n
    return out


def _mention_place(m: Mention) -> gazetteer.Place | None:
    """The place a mention names, if it names one: GPE/LOC of any kind; NORP and ORG only when the whole span is
    a country or a region (spaCy tags "Tajikistan" NORP and "Dushanbe" ORG now and then)."""
    if m.label not in PLACE_LABELS | PLACE_LIKE_LABELS:
        return None
    name = m.text[4:] if m.text.lower().startswith("the ") else m.text
    if not name[:1].isupper():
        return None  # a lower-case word is no place name
    if m.next and gazetteer.is_name_word(m.next):
        return None  # "Istanbul Process", "Uruguay Round": part of a name
    place = gazetteer.resolve(m.text)
    if place is None or m.label in PLACE_LABELS:
        return place
    if m.label == "NORP" and place.kind in (gazetteer.COUNTRY, gazetteer.REGION):
        return place
    if m.label == "ORG" and place.kind in (gazetteer.COUNTRY, gazetteer.CITY) and not m.in_title:
        return place  # an ORG that is only a place name is a place ("Moscow said", "Dushanbe was")
    return None


def mention_evidence(ex: Extraction) -> list[Evidence]:
    """Evidence from the article's spaCy mentions, in text order."""
    out: list[Evidence] = []
    for m in ex.mentions:
        place = _mention_place(m)
        if place is not None:
            if place.kind == gazetteer.REGION:
                # Never filed; kept (weight 0) only as context for ambiguous names.
                if place.regions_over:
                    out.append(Evidence(m.text, place.regions_over, gazetteer.REGION, 0.0, m.sent))
                continue
            out.append(Evidence(m.text, place.codes, place.kind, position_weight(m, ex), m.sent))
        elif m.next and gazetteer.is_name_word(m.next):
            continue  # "Australian dlr bond", "Swiss franc": a currency
        elif m.label == "NORP" or gazetteer.demonym(m.text):
            # A NORP, or any span that is only a demonym (spaCy tags "Tajik" PERSON or ORG now and then).
            codes = gazetteer.demonyms_in(m.text)
            w = position_weight(m, ex) * DEMONYM_FACTOR
            for code in codes:
                out.append(Evidence(m.text, (code,), "demonym", w, m.sent))
        elif m.label == "ORG":
            # "<institution> of <country>" belongs to the country: "the Armed Forces of Iran", "Bank of Japan".
            # A place that merely names an organisation ("Shanghai Cooperation Organization") says nothing.
            head, _, tail = _OF.split(m.text)[-3:] if _OF.search(m.text) else ("", "", "")
            if head and gazetteer.is_country_name(tail):
                place = gazetteer.resolve(tail)
                if place and place.codes:
                    out.append(Evidence(m.text, place.codes[:1], "institution", position_weight(m, ex), m.sent))
    return out


def untagged_demonyms(ex: Extraction, found: set[str]) -> list[Evidence]:
    """Demonyms spaCy left untagged ("his Tajik counterpart"), counted from the article's terms, for countries that
    already have evidence: a nationality word corroborates a country, it never introduces one (so "polish" the
    verb files nothing under Poland). Occurrences inside any mention (tagged, or part of "American Express") are
    not counted again."""
    if not found or not ex.terms:
        return []
    counts: Counter[str] = Counter()
    for term in ex.terms:
        code = gazetteer.demonym(term)
        if code in found and " " not in term:
            counts[term] += 1
    if not counts:
        return []
    for m in ex.mentions:
        for word in re.findall(r"[a-z]+", m.text.lower()):
            for form in (word, word[:-1] if word.endswith("s") else word):
                if counts.get(form, 0) > 0:
                    counts[form] -= 1
                    break
    return [Evidence(term, (gazetteer.demonym(term) or "",), "demonym", DEMONYM_FACTOR, -2)
            for term, n in sorted(counts.items()) for _ in range(n)]


def _disambiguate(items: list[Evidence]) -> list[tuple[Evidence, str]]:
    """Each piece of evidence with the one country it stands for (regions dropped)."""
    sure = [e for e in items if e.kind != gazetteer.REGION and len(e.codes) == 1]
    regions = [e for e in items if e.kind == gazetteer.REGION]
    near = gazetteer.neighbours()
    out: list[tuple[Evidence, str]] = []
    for e in items:
        if e.kind == gazetteer.REGION:
            continue
        if len(e.codes) == 1:
            out.append((e, e.codes[0]))
            continue

        def support(code: str, e: Evidence = e) -> float:
            total = 0.0
            for other in sure:
                c = other.codes[0]
                proximity = SAME_SENTENCE if other.sent == e.sent and e.sent >= 0 else 1.0
                if c == code:
                    total += proximity
                elif c in near.get(code, ()):
                    total += NEAR_FACTOR * proximity
            for r in regions:
                if code in r.codes:
                    total += NEAR_FACTOR * (SAME_SENTENCE if r.sent == e.sent else 1.0)
            return total

        best = max(e.codes, key=lambda c: (support(c), -e.codes.index(c)))
        out.append((e, best))
    return out


def text_dateline(ex: Extraction) -> Evidence | None:
    """A dateline still in the text ("Ashgabat (IP) - …", an article not imported): the span that opens the body,
    followed by a bracket or a dash, names the place it was filed from whatever label spaCy gave it (it reads
    "Ashgabat" as a person there)."""
    for m in ex.mentions:
        if m.in_title:
            continue
        if m.start - ex.title_end <= 2 and m.sent_start and m.next in _DATELINE_NEXT:
            place = gazetteer.resolve(m.text, min_population=gazetteer.MIN_DATELINE_POPULATION)
            if place is not None and place.codes and place.kind != gazetteer.REGION:
                return Evidence(m.text, place.codes, "dateline", DATELINE_WEIGHT, -1)
        break
    return None


@cache
def outlet_countries() -> dict[str, str]:
    """Outlet name (as ``Source:`` gives it) → its home country (``outlet_countries.tsv``)."""
    return {name_key(row[0]): row[1] for row in table("outlet_countries.tsv") if len(row) >= 2}


def outlet_prior(source: str | None) -> list[CountryRef]:
    """The outlet's home country as the focus of an article that names no place at all (a national outlet's
    "the ministry said" means its own country). A weak prior: no mentions, the smallest score, and never used when
    the text has any place evidence."""
    code = outlet_countries().get(name_key(source or ""))
    if code is None:
        return []
    return [CountryRef(code=code, mentions=0, score=OUTLET_PRIOR, focus=True, evidence=(f"outlet: {source}",))]


def countries_for(ex: Extraction, dateline: str | None = None, title: str | None = None,
                  source: str | None = None) -> list[CountryRef]:
    """Countries of one article, focus first, then by score, then by code.

    ``title`` (the headline as analysed) lets country names spaCy missed in it count; see :func:`headline_evidence`.
    ``source`` (the outlet) gives the focus of an article without any place evidence; see :func:`outlet_prior`.
    """
    items = mention_evidence(ex)
    if title and ex.title_end:
        items.extend(headline_evidence(title, ex))
    items.extend(untagged_demonyms(ex, {e.codes[0] for e in items if len(e.codes) == 1 and e.weight > 0}))
    dl = dateline_evidence(dateline) if dateline else text_dateline(ex)
    if dl is not None:
        items.append(dl)
    if not items:
        return outlet_prior(source)
    score: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    evidence: dict[str, set[str]] = defaultdict(set)
    for e, code in _disambiguate(items):
        score[code] += e.weight
        if e.kind != "dateline":
            mentions[code] += 1
        evidence[code].add(e.text)
    if not score:
        return []
    best = max(score.values())
    refs = [CountryRef(code=c, mentions=mentions[c], score=round(s, 3),
                       focus=s >= best or (s >= FOCUS_SHARE * best and s >= FOCUS_MIN),
                       evidence=tuple(sorted(evidence[c]))) for c, s in score.items()]
    refs.sort(key=lambda r: (not r.focus, -r.score, r.code))
    return refs


def file_countries(extractions: Mapping[str, Extraction], datelines: Mapping[str, str | None],
                   titles: Mapping[str, str] | None = None, sources: Mapping[str, str | None] | None = None
                   ) -> dict[str, list[CountryRef]]:
    """Countries for every article."""
    titles, sources = titles or {}, sources or {}
    return {key: countries_for(ex, datelines.get(key), titles.get(key), sources.get(key))
            for key, ex in sorted(extractions.items())}
