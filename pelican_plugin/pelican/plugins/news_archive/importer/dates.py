"""Dates: accept a stated ISO 8601 date, or read a full date stated in a dateline. Never guess.

The archive sorts and groups by date, so a wrong date is worse than none: "on Monday" or "last year" carry no
year, and an article's copyright footer is not its date. Only a stated date, or a dateline that spells out day,
month and year, becomes ``Date:``; everything else is left unknown.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from .rules import Rules

_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})\b")
_MONTH_DAY_YEAR = re.compile(
    r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"
)
_ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")


def parse_iso(value: object, rules: Rules) -> str | None:
    """``value`` as a normalised ISO 8601 string, or None when it is not a plausible ISO 8601 date.

    A date-only value stays date-only (no invented midnight); a time keeps its offset when it has one.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            parsed_date = date.fromisoformat(text)
            return parsed_date.isoformat() if rules.min_year <= parsed_date.year <= rules.max_year else None
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not rules.min_year <= parsed.year <= rules.max_year:
        return None
    return parsed.isoformat()


def date_from_text(text: str, rules: Rules) -> str | None:
    """The ISO date a piece of text (a dateline) states in full, e.g. "WASHINGTON, March 3 1987 -" -> 1987-03-03.

    Returns None unless day, month and year are all written and form a real calendar date.
    """
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _ISO_DATE):
        for match in pattern.finditer(text):
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else rules.months.get(month_text.casefold())
            if month is None:
                continue
            year = int(match.group("year"))
            if not rules.min_year <= year <= rules.max_year:
                continue
            try:
                return date(year, month, int(match.group("day"))).isoformat()
            except ValueError:
                continue
    return None


def date_from_parts(year: int, month: int, day: int, rules: Rules) -> str | None:
    """The ISO date of ``year``-``month``-``day`` when it is a real calendar date in the accepted years."""
    if not rules.min_year <= year <= rules.max_year:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script (Persian "۲۰۲۰", Arabic-Indic) as an ASCII digit."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


def parse_page_date(value: object, rules: Rules) -> str | None:
    """A date a page states in its metadata, in any of the spellings pages use, as ISO 8601; None otherwise.

    Pages write ISO 8601 ("2020-10-11T08:34:36Z", "...+0100", "2020-10-11 08:34:36"), RFC 2822 ("Sun, 11 Oct
    2020 08:34:36 GMT") and digits of other scripts. A year outside the accepted range (a Solar Hijri
    "۱۳۹۹/۰۷/۲۰" becomes 1399) is refused rather than converted: a wrong date is worse than none.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = ascii_digits(value.strip())
    for candidate in (text, _OFFSET_NO_COLON.sub(r"\1:\2", text), text.replace(" ", "T", 1), text[:10]):
        parsed = parse_iso(candidate, rules)
        if parsed:
            return parsed
    try:
        rfc = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None and rules.min_year <= rfc.year <= rules.max_year:
        return rfc.isoformat()
    slashed = _SLASHED.match(text)
    if slashed:
        return date_from_parts(int(slashed.group(1)), int(slashed.group(2)), int(slashed.group(3)), rules)
    return None
