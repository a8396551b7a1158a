"""Stage 3: file each article under the countries it is about (focus) and the ones it mentions.

Evidence is every GPE/LOC mention resolved through the gazetteer, every nationality adjective (NORP), and the
dateline's place. Each piece of evidence scores by where it sits: a mention in the headline or the lede, or the
dateline, says more about what the article is about than one in the last paragraph.

Focus score of a country = Σ over its evidence of weight(position), where weight is
``TITLE_WEIGHT`` in the headline, ``LEDE_WEIGHT`` in the lede, 1 elsewhere, ``DATELINE_WEIGHT`` for the dateline;
demonyms count ``DEMONYM_FACTOR`` of a name. A country is a focus when its score is at least ``FOCUS_SHARE`` of the
best score (the best is always a focus).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping

from . import gazetteer
from .model import CountryRef, Extraction

TITLE_WEIGHT = 3.0
LEDE_WEIGHT = 2.0
DATELINE_WEIGHT = 3.0
DEMONYM_FACTOR = 0.5
FOCUS_SHARE = 0.5
PLACE_LABELS = frozenset({"GPE", "LOC"})


def _dateline_place(dateline: str | None) -> str | None:
    if not dateline:
        return None
    head = re.split(r"[,(\-–—]", dateline, maxsplit=1)[0].strip()
    return head or None


def countries_for(ex: Extraction, dateline: str | None = None) -> list[CountryRef]:
    """Countries of one article, focus first, then by score, then by code."""
    score: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    evidence: dict[str, set[str]] = defaultdict(set)
    for m in ex.mentions:
        if m.label in PLACE_LABELS:
            code = gazetteer.lookup(m.text)
            factor = 1.0
        elif m.label == "NORP":
            code = gazetteer.demonym(m.text)
            factor = DEMONYM_FACTOR
        else:
            continue
        if not code:
            continue
        weight = TITLE_WEIGHT if m.in_title else LEDE_WEIGHT if m.start < ex.lede_end else 1.0
        score[code] += weight * factor
        mentions[code] += 1
        evidence[code].add(m.text)
    place = _dateline_place(dateline)
    if place:
        code = gazetteer.lookup(place)
        if code:
            score[code] += DATELINE_WEIGHT
            evidence[code].add(place)
    if not score:
        return []
    best = max(score.values())
    refs = [CountryRef(code=c, mentions=mentions[c], score=round(s, 3), focus=s >= FOCUS_SHARE * best,
                       evidence=tuple(sorted(evidence[c]))) for c, s in score.items()]
    refs.sort(key=lambda r: (not r.focus, -r.score, r.code))
    return refs


def file_countries(extractions: Mapping[str, Extraction],
                   datelines: Mapping[str, str | None]) -> dict[str, list[CountryRef]]:
    """Countries for every article."""
    return {key: countries_for(ex, datelines.get(key)) for key, ex in sorted(extractions.items())}
