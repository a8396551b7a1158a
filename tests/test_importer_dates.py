"""Dates: stated ISO dates are checked; a missing one comes only from a dateline that spells it out."""

from __future__ import annotations

import pytest
from pelican.plugins.news_archive.importer.dates import date_from_text, parse_iso
from pelican.plugins.news_archive.importer.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize(("value", "expected"), [
    ("1987-02-26T15:01:01", "1987-02-26T15:01:01"),
    ("1987-02-26", "1987-02-26"),
    ("2021-04-06T09:30:00Z", "2021-04-06T09:30:00+00:00"),
    ("2021-04-06T09:30:00.000+04:30", "2021-04-06T09:30:00+04:30"),
    (" 1987-02-26 ", "1987-02-26"),
])
def test_valid_iso_dates(value: str, expected: str) -> None:
    assert parse_iso(value, RULES) == expected


@pytest.mark.parametrize("value", [None, "", "yesterday", "1987-02-30", "26/02/1987", "0001-01-01", 19870226,
                                   "March 3 1987"])
def test_bad_dates_are_rejected(value: object) -> None:
    assert parse_iso(value, RULES) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("WASHINGTON, March 3 1987 -", "1987-03-03"),
    ("WASHINGTON, March 3, 1987 -", "1987-03-03"),
    ("LONDON, 3 March 1987 -", "1987-03-03"),
    ("PARIS, Sept. 30 1987 -", "1987-09-30"),
    ("KABUL, 2021-04-06 -", "2021-04-06"),
])
def test_full_dates_in_datelines(text: str, expected: str) -> None:
    assert date_from_text(text, RULES) == expected


@pytest.mark.parametrize("text", [
    "SALVADOR, Feb 26 -",  # no year: never guessed
    "Tehran (IP) -",
    "on Monday",
    "WASHINGTON, Feb 30 1987 -",  # not a calendar date
    "in March 1987",  # no day
    "Mayday 12 1987",  # not a month
])
def test_no_date_without_full_evidence(text: str) -> None:
    assert date_from_text(text, RULES) is None
