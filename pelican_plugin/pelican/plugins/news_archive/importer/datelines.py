"""Datelines as a grammar: place, optional region, optional date, optional agency, separator.

Wire copy opens with a dateline in a hundred spellings ("PEORIA, Ill. (AP) —", "Da Nang (VNA) –", "Damascus,
SANA-", "McALLEN —", "LIMA, march 2 -", "KARACHI:", "(LONDON) —", "TORONTO, Canada, Jan. 5, 2018 (GLOBE
NEWSWIRE) --"). A list of cases misses most of them and, worse, leaves the dateline in the lede, where it
becomes the derived headline. One grammar (see ``data/datelines.toml``) reads them all; the outlets are data
(``data/outlets.toml``). A dateline is metadata, never guessed: a lede whose opening merely looks like a place
("Dayton, Ohio, became ...", "THE city ...", "Markets rally - stocks rise") is left as prose, since a place
without a date or an agency must be in capitals and followed by a separator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DASHES = r"(?:[-‐‑‒–—―]+|â€[”“\x9c\x9d]|Ã¢â‚¬â€[œ\x9d]?)"
_SEPARATOR = rf"(?P<sep>\s*(?:{_DASHES}|:)\s*|\s*$)"
_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][\w'’.-]*"
_CAPS_WORD = re.compile(r"(?:Mc|Mac|O['’]|D['’])?[^a-z]+")


@dataclass(frozen=True)
class Grammar:
    """The compiled dateline grammar and what it needs to judge a match."""

    pattern: re.Pattern[str]
    markers: dict[str, str]  # dateline marker -> outlet name
    call_sign: re.Pattern[str]
    not_places: frozenset[str]
    months: dict[str, int]


@dataclass(frozen=True)
class Dateline:
    """A dateline found at the start of a paragraph, and what it says."""

    text: str  # exactly as written (whitespace collapsed), e.g. "PEORIA, Ill. (AP) —"
    outlet_marker: str | None  # "AP"
    paragraph: int  # index of the paragraph it opened
    place: str | None = None
    outlet: str | None = None  # the outlet the marker stands for ("Associated Press"; a call sign stands for itself)
    month: int | None = None
    day: int | None = None
    year: int | None = None


def build_grammar(data: dict, markers: dict[str, str], months: dict[str, int], call_sign: str) -> Grammar:
    """Compile the grammar from ``data/datelines.toml`` (parsed), the outlet markers and month spellings."""
    particles = "|".join(re.escape(p) for p in data["place_particles"])
    word_max = int(data["place_max_words"]) - 1
    place = rf"{_WORD}(?:(?:\s+|/|\s*-\s*)(?:(?:{particles})\s+)?{_WORD}){{0,{word_max}}}"
    region = rf"{_WORD}(?:\s+{_WORD}){{0,{int(data['region_max_words']) - 1}}}"
    spellings = sorted({m for m in months}, key=lambda m: (-len(m), m))
    month = rf"(?i:{'|'.join(re.escape(m) for m in spellings)})\.?"
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    date = (rf"(?:(?P<month>{month})\s*(?P<day>{day})(?![\d:])|(?P<day2>{day})\s+(?P<month2>{month}))"
            rf"(?:,?\s+(?P<year>\d{{4}}))?(?!\w)")
    outlets = sorted(markers, key=lambda m: (-len(m), m))
    known = "|".join(re.escape(m) for m in outlets)
    agency = rf"(?:{known}|{call_sign})"
    pattern = (
        rf"(?P<dateline>(?:\((?P<pagency_only>{agency})\)|\((?P<pplace>{place})\)"
        rf"|(?P<agency_only>{known})(?=\s*(?:{_DASHES}|:))|(?P<place>{place})(?P<regions>(?:\s*,\s*{region}){{0,2}}))"
        rf"(?:\s*,?\s*(?P<date>{date}))?"
        rf"(?:\s*\((?P<agency>[^()\n]{{1,40}})\))?"
        rf"{_SEPARATOR})"
    )
    return Grammar(pattern=re.compile(pattern), markers=dict(markers), call_sign=re.compile(call_sign),
                   not_places=frozenset(data["not_places"]), months=months)


def _outlet(marker: str | None, grammar: Grammar) -> str | None:
    if marker is None:
        return None
    marker = " ".join(marker.split())
    if marker in grammar.markers:
        return grammar.markers[marker]
    return marker if grammar.call_sign.fullmatch(marker) else None


def _caps(text: str) -> bool:
    words = [w for w in re.split(r"[\s/-]+", text) if w]
    return all(_CAPS_WORD.fullmatch(w) for w in words) and any(c.isalpha() for c in text)


def _date_parts(match: re.Match[str], grammar: Grammar) -> tuple[int | None, int | None, int | None]:
    month_text = match.group("month") or match.group("month2")
    day_text = match.group("day") or match.group("day2")
    if not month_text or not day_text:
        return None, None, None
    month = grammar.months.get(month_text.rstrip(".").casefold())
    day = int(re.match(r"\d+", day_text).group(0))  # type: ignore[union-attr]
    if month is None or not 1 <= day <= 31:
        return None, None, None
    year = match.group("year")
    return month, day, int(year) if year else None


def _split_agency(regions: str, grammar: Grammar) -> tuple[str, str | None]:
    """"Damascus, SANA-": the last comma group is the agency when it is one."""
    if not regions:
        return regions, None
    head, _, last = regions.rpartition(",")
    if _outlet(last.strip(), grammar):
        return head, last.strip()
    return regions, None


def _plausible(match: re.Match[str], place: str | None, marker: str | None, has_region: bool,
               has_date: bool, grammar: Grammar) -> bool:
    """The checks a regular expression cannot make: see the module docstring."""
    known = _outlet(marker, grammar) is not None
    if marker and not known and not (has_region or has_date):
        return False  # "Gould Inc (GLD) - ...": a ticker, not an agency
    if place and (" ".join(place.split()).upper() in grammar.not_places):
        return False
    at_end = not match.group("sep").strip() and match.end() == len(match.string.rstrip())
    if at_end:
        return known or has_date  # "Atlanta (CNN)" on a line of its own
    if known or has_date or (marker and has_region):
        return True
    return place is not None and _caps(place)


def parse_dateline(paragraph: str, grammar: Grammar, index: int = 0) -> tuple[Dateline, str] | None:
    """The dateline opening ``paragraph`` and the rest of it, or None when it does not open with one."""
    match = grammar.pattern.match(paragraph)
    if match is None:
        return None
    regions, comma_agency = _split_agency(match.group("regions") or "", grammar)
    marker = match.group("agency") or comma_agency or match.group("agency_only") or match.group("pagency_only")
    place = match.group("place") or match.group("pplace")
    month, day, year = _date_parts(match, grammar) if match.group("date") else (None, None, None)
    if match.group("date") and month is None:
        return None
    if not _plausible(match, place, marker, bool(regions.strip()), month is not None, grammar):
        return None
    text = " ".join(match.group("dateline").split())
    found = Dateline(text=text, outlet_marker=" ".join(marker.split()) if marker else None, paragraph=index,
                     place=" ".join(place.split()) if place else None, outlet=_outlet(marker, grammar),
                     month=month, day=day, year=year)
    return found, paragraph[match.end():].strip()
