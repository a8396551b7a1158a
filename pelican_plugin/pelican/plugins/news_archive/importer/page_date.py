"""An HTML page's publication date, from what the page states, with htmldate as the fallback; never a guess.

The archive sorts and groups by date, so an unknown date is better than a wrong one. A page states its date in
several places (JSON-LD ``datePublished``, ``<meta>`` tags such as ``article:published_time``, ``<time
pubdate>``), and htmldate reads the markup for one: the date when none is stated, a check on the stated ones
otherwise (its conservative search only: the extensive one guesses from any date in the text). Two checks
keep a wrong date out:

* a stated date stands when htmldate's reading of the markup backs one of the page's statements (within a
  day) or finds nothing against them; of several, the page's first (JSON-LD ``datePublished`` before
  ``<meta>``: the explicitly stated publication date is preferred over htmldate's). When htmldate reads a
  date more than a day from every stated one, or finds none and the stated ones contradict each other (a live
  blog's entries, an "updated" date in a tag meant for the publication date), two readings of one page
  disagree with nothing to say which is right, and the date is left unknown. (Tuning half: on every page
  with a stated date htmldate agrees with it, so the rule costs no right date there.)
* a date only htmldate found is kept unless the page's ``<time datetime>`` elements all stand more than a
  year from it: those are the dates the page shows its readers, and a page dated a year before everything
  it shows has had its date read from something else (a copyright line, an old link, a photo's name).
"""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup

from .dates import parse_page_date
from .log import get_logger
from .page_meta import PageMeta
from .rules import Rules

logger = get_logger(__name__)

AGREE_DAYS = 1  # dates this close are one date written in two time zones, or at midnight and just after
FAR_DAYS = 366  # a date further than this from every date the page shows is not the page's
_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def _apart(one: str, other: str) -> int:
    return abs((_day(one) - _day(other)).days)


def _stated(meta: PageMeta, rules: Rules, origin: str) -> list[str]:
    """The dates the page states, best first, read in any spelling; of ``<time pubdate>`` only the first (a
    live blog marks every entry so)."""
    found: list[str] = []
    seen_time = False
    for where, value in meta.dates:
        if where == "time pubdate":
            if seen_time:
                continue
            seen_time = True
        parsed = parse_page_date(value, rules)
        if parsed:
            found.append(parsed)
        else:
            logger.debug("%s: %s date %r cannot be read", origin, where, value)
    return found


def _htmldate(html: str, rules: Rules, url: str | None = None) -> str | None:
    """htmldate's conservative reading of the page, given the page's URL as trafilatura gives it (a date in
    the URL's path is the publisher's own)."""
    try:
        from htmldate import find_date

        found = find_date(html, extensive_search=False, original_date=True, url=url)
    except Exception:  # noqa: BLE001 - htmldate failing on one odd page must not stop the import
        found = None
    return parse_page_date(found, rules)


def _url_date(url: str | None, rules: Rules) -> str | None:
    """The day a page's URL states in its path (``/2019/03/12/``, ``-2019-03-12-``), None when it states none."""
    match = _URL_DAY.search(url or "")
    return parse_page_date(f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}", rules) if match else None


def _decided_by_url(readings: list[str], url_day: str | None) -> str | None:
    """The first reading within a day of the URL's day, when two readings of the page disagree."""
    if url_day is None:
        return None
    return next((d for d in readings if _apart(d, url_day) <= AGREE_DAYS), None)


def _shown_dates(soup: BeautifulSoup, rules: Rules) -> list[str]:
    """The dates of the page's ``<time datetime>`` elements (the dates it shows its readers)."""
    values = (node.get("datetime") for node in soup.find_all("time"))
    return [d for d in (parse_page_date(v, rules) for v in values if isinstance(v, str)) if d]


def page_date(meta: PageMeta, soup: BeautifulSoup, html: str, rules: Rules,
              origin: str) -> tuple[str | None, str | None]:
    """The publication date and, when it was not stated in the page's metadata, where it was found."""
    stated = _stated(meta, rules, origin)
    url = meta.url if meta.url and meta.url.startswith(("http://", "https://")) else None
    found = _htmldate(html, rules, url)
    if stated:
        if found and all(_apart(d, found) > AGREE_DAYS for d in stated):
            decided = _decided_by_url([*stated, found], _url_date(url, rules))
            logger.debug("%s: htmldate reads %s, far from every date the page states; the URL decides: %s",
                         origin, found, decided)
            return decided, "the page's URL" if decided else None
        if found is None and any(_apart(stated[0], d) > AGREE_DAYS for d in stated[1:]):
            decided = _decided_by_url(stated, _url_date(url, rules))
            logger.debug("%s: the page states dates that contradict each other; the URL decides: %s", origin,
                         decided)
            return decided, "the page's URL" if decided else None
        return stated[0], None
    if found is None:
        return None, None
    shown = _shown_dates(soup, rules)
    if shown and all(_apart(found, d) > FAR_DAYS for d in shown):
        logger.debug("%s: htmldate's %s is far from every date the page shows; date left unknown", origin, found)
        return None, None
    return found, "page markup (htmldate)"
