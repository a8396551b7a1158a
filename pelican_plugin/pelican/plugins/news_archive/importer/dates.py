"""Dates: accept a stated ISO 8601 date, or read a full date stated in a dateline. Never guess.

The archive sorts and groups by date, so a wrong date is worse than none: "on Monday" or "last year" carry no
year, and an article's copyright footer is not its date. Only a stated date, or a dateline that spells out day,
month and year, becomes ``Date:``; everything else is left unknown.
"""

from __future__ import annotations

import re
from datetime import date, datetime

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
