"""What templates show of stories: a story as a list item or an article's link to it, a story's own page (its
reports with their syndicated share, its people, organisations and countries) and coverage over time — plain,
frozen views over the page models and the article teasers, with no Pelican in sight.

Each view holds only what is shown, so a page's memo key changes exactly when something it shows changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..build.keys import canonical, digest
from .coverage import CoverageView, coverage_view
from .pages import Site
from .presentation import Teaser, page_view
from .stories import StoryPage, newest_stories


@dataclass(frozen=True)
class StoryTeaser:
    """A story in a list, and an article's link to its story."""

    url: str
    headline: str
    reports: int
    first_iso: str | None
    first_date: str  # as the first report's date is shown ("" when no report is dated)
    last_iso: str | None
    last_date: str
    outlets: tuple[str, ...]
    key: str = ""

    def __key__(self) -> str:
        return self.key


@dataclass(frozen=True)
class ReportView:
    article: Teaser
    percent: int  # share of its text found word for word in ``copy_of``, in whole per cent
    syndicated: bool
    copy_of: Teaser | None


@dataclass(frozen=True)
class NameView:
    """A person, organisation or country of a story, with the reports naming it."""

    name: str
    type: str
    url: str | None
    count: int
    focus: bool = False


def story_teaser(page: StoryPage, teasers: Mapping[str, Teaser]) -> StoryTeaser:
    first, last = teasers.get(page.first or ""), teasers.get(page.last or "")
    fields: dict[str, Any] = dict(
        url=page.url, headline=page.headline, reports=len(page.reports),
        first_iso=first.date_iso if first else None, first_date=first.locale_date if first else "",
        last_iso=last.date_iso if last else None, last_date=last.locale_date if last else "",
        outlets=page.outlets)
    return StoryTeaser(**fields, key=digest([canonical(fields)]))


def story_teasers(site: Site, teasers: Mapping[str, Teaser]) -> dict[str, StoryTeaser]:
    return {a: story_teaser(p, teasers) for a, p in site.story_pages.items()}


def listed_stories(addresses: Sequence[str], shown: Mapping[str, StoryTeaser]) -> list[StoryTeaser]:
    return [shown[a] for a in addresses if a in shown]


def newest_first_stories(site: Site) -> list[str]:
    """Every story, newest first by its last report (undated last), for the stories index."""
    return newest_stories(list(site.story_pages), site)


class LazyCoverage:
    """A page's coverage, drawn the first time its template reads it: a rebuild keys every entity and country
    page but renders only the changed ones, so the chart of an unchanged page is never drawn. Its key is what it
    is drawn from."""

    def __init__(self, dates: tuple[str | None, ...], ident: str, title: str) -> None:
        self._inputs = (dates, ident, title)
        self._view: CoverageView | None = None

    def __key__(self) -> Any:
        return list(self._inputs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._view is None:
            self._view = coverage_view(*self._inputs)
        return getattr(self._view, name)


def coverage_of(keys: Sequence[str], teasers: Mapping[str, Teaser], title: str) -> LazyCoverage:
    return LazyCoverage(tuple(teasers[k].date_iso for k in keys if k in teasers), "na-coverage", title)


def story_variables(page: StoryPage, site: Site, teasers: Mapping[str, Teaser], shown: Mapping[str, StoryTeaser]
                    ) -> dict[str, Any]:
    """The page variables of a story page."""
    reports = [ReportView(article=teasers[r.key], percent=int(r.share * 100), syndicated=r.syndicated,
                          copy_of=teasers.get(r.copy_of) if r.copy_of else None)
               for r in page.reports if r.key in teasers]
    names = [NameView(name=name, type=kind, url=site.entity_url(s), count=n)
             for s, name, kind, n in page.entities if kind in ("PERSON", "ORG")]
    countries = [NameView(name=site.country_pages[c].name, type="COUNTRY", url=site.country_pages[c].url, count=n,
                          focus=focus) for c, n, focus in page.countries if c in site.country_pages]
    keys = [r.key for r in page.reports]
    return {"story": shown[page.address], "story_reports": reports,
            "story_people": [n for n in names if n.type == "PERSON"],
            "story_organisations": [n for n in names if n.type == "ORG"], "story_countries": countries,
            "story_unknown_outlet": page.unknown_outlet,
            "coverage": coverage_of(keys, teasers, f"Reports of this story over time: {page.headline}")}


def country_people(code: str, site: Site) -> tuple[list[Any], list[Any]]:
    """(people, organisations) of a country page, as entity page views with the articles naming them."""
    views = [page_view(site.entity_pages[s], n) for s, n in site.country_entities.get(code, ())
             if s in site.entity_pages]
    return [v for v in views if v.type == "PERSON"], [v for v in views if v.type == "ORG"]
