"""Assemble one article from paragraphs and whatever metadata the input stated, the same way for every format.

Each reader knows how to find paragraphs and stated metadata in its format; what to do with them (remove
boilerplate, find the dateline and outlet, recognise or derive the headline, decide the date and how it is
known) is the same for all of them and lives here, so a rule fixed once is fixed for every format.
"""

from __future__ import annotations

from dataclasses import dataclass

from .boilerplate import Cleaned, remove_boilerplate
from .datelines import Dateline
from .dates import date_from_parts, date_from_text, parse_iso
from .language import looks_english
from .lede import find_dateline, headline_shaped, is_headline, title_from_lede
from .log import get_logger
from .paragraphs import collapse
from .records import RawArticle
from .rules import Rules

logger = get_logger(__name__)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass
class Stated:
    """What the input itself says about an article (None where it says nothing)."""

    slug: str
    origin: str  # "file.txt" or "file.jsonl:12", for warnings
    imported_from: str  # the input file name
    title: str | None = None
    date: object = None  # raw value; checked here
    source: str | None = None
    dateline: str | None = None
    url: str | None = None
    author: str | None = None


def _text(value: object) -> str | None:
    if isinstance(value, str):
        value = collapse(value)
        return value or None
    return None


def _dateline_date(found: Dateline | None, text: str, rules: Rules) -> tuple[str | None, str | None]:
    """The date a dateline states, and the evidence: a date with a year becomes the date; a month and day
    without one are recorded as evidence only (the year is never guessed)."""
    if found is None:  # a dateline the input stated as text
        date = date_from_text(text, rules)
        return date, f'dateline "{text}"' if date else None
    if found.month is None or found.day is None:
        return None, None
    if found.year is None:
        return None, f'dateline "{text}" gives {_MONTHS[found.month - 1]} {found.day}, no year'
    date = date_from_parts(found.year, found.month, found.day, rules)
    return date, f'dateline "{text}"' if date else None


def assemble(paragraphs: list[str], stated: Stated, rules: Rules, *, find_headline: bool,
             boilerplate: bool = True) -> RawArticle | None:
    """Build a :class:`RawArticle`, or return None (with a warning naming the input) when there is no article.

    ``find_headline``: whether a missing title may be read from a headline-shaped first paragraph (plain text
    and JSONL bodies; an HTML page states its title in markup instead). ``boilerplate=False`` keeps every
    paragraph (for a body whose furniture an extractor already removed, when the text rules matched the
    article itself).
    """
    cleaned = remove_boilerplate(paragraphs, rules) if boilerplate else Cleaned([p.strip() for p in paragraphs
                                                                                 if p.strip()])
    paras = cleaned.paragraphs
    title = _text(stated.title)
    title_derived = None
    if title is None and find_headline:
        if is_headline(paras, rules):
            title, paras = collapse(paras[0]), paras[1:]
        elif len(paras) == 1 and headline_shaped(paras[0], rules):
            logger.warning("%s: skipped: title only, no body text", stated.origin)
            return None

    dateline_text = _text(stated.dateline)
    found = None
    if dateline_text is None:
        found, paras = find_dateline(paras, rules)
        if found is not None:
            dateline_text = found.text
    elif paras and paras[0].startswith(dateline_text + " "):
        paras = [paras[0][len(dateline_text):].strip(), *paras[1:]]  # a stated dateline repeated in the body

    if not paras:
        what = "title only, no body text" if title else "no article text"
        logger.warning("%s: skipped: %s", stated.origin, what)
        return None

    if title is None:
        title = title_from_lede(paras[0], rules)
        title_derived = "lede"
        logger.debug("%s: no headline; title derived from the lede", stated.origin)

    date = parse_iso(stated.date, rules)
    bad_date = date is None and stated.date not in (None, "")
    evidence = None
    if date is None and dateline_text:
        date, evidence = _dateline_date(found, dateline_text, rules)
    if bad_date:
        outcome = "date taken from the dateline" if date else "Date_Status: unknown"
        logger.warning("%s: date %r is not a valid ISO 8601 date; %s", stated.origin, stated.date, outcome)
    elif date is None:
        logger.warning("%s: no date stated or written out in a dateline; Date_Status: unknown", stated.origin)

    if not looks_english(paras, rules):
        logger.warning("%s: text does not look like English; imported, but entity tags may be poor",
                       stated.origin)

    return RawArticle(
        slug=stated.slug,
        title=title,
        body=paras,
        title_derived=title_derived,
        date=date,
        date_evidence=evidence,
        source=_text(stated.source) or (found.outlet if found else None) or cleaned.byline_outlet,
        dateline=dateline_text,
        url=_text(stated.url),
        author=_text(stated.author),
        imported_from=stated.imported_from,
        origin=stated.origin,
    )
