"""Coverage over time: how many articles a page's subject had per week or month, as an accessible inline SVG
with a plain table beside it for screen readers — no JavaScript, and the same bytes for the same dates.

The unit follows the span of the dated articles: up to :data:`WEEKS_UP_TO_DAYS` days are counted per ISO week
(Monday to Sunday), longer spans per calendar month, so a chart has a readable number of bars either way. Every
unit between the first and the last is drawn, an empty one as a gap, so the axis is time and not a list. An
article whose date is unknown is counted apart and never placed on a date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

WEEKS_UP_TO_DAYS = 183  # about six months: at most 27 weekly bars; a longer span is counted per month
WIDTH, HEIGHT, PAD, AXIS, MAX_BAR = 600, 120, 4, 4, 48  # AXIS: room under the bars for the axis line
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bucket:
    start: str  # ISO date of the first day of the week or month
    label: str  # "Mar 2026", "week of 2 Mar 2026"
    count: int


@dataclass(frozen=True)
class Coverage:
    unit: str  # "week" or "month" ("" when no article is dated)
    buckets: tuple[Bucket, ...]
    dated: int
    undated: int

    @property
    def busiest(self) -> Bucket | None:
        """The unit with the most articles (the earliest of equals)."""
        return min(self.buckets, key=lambda b: (-b.count, b.start), default=None)


def _day(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _month_label(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.year}"


def _week_label(d: dt.date) -> str:
    return f"week of {d.day} {_MONTHS[d.month - 1]} {d.year}"


def _next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def coverage(dates: Iterable[str | None]) -> Coverage:
    """Articles per week or month over the span of the dated ones; the undated counted apart."""
    days: list[dt.date] = []
    undated = 0
    for iso in dates:
        day = _day(iso) if iso else None
        if day is None:
            undated += 1
        else:
            days.append(day)
    if not days:
        return Coverage(unit="", buckets=(), dated=0, undated=undated)
    first, last = min(days), max(days)
    if (last - first).days <= WEEKS_UP_TO_DAYS:
        unit = "week"
        counts = Counter(d - dt.timedelta(days=d.weekday()) for d in days)
        start, end = min(counts), max(counts)
        steps = [start + dt.timedelta(weeks=i) for i in range((end - start).days // 7 + 1)]
        buckets = tuple(Bucket(s.isoformat(), _week_label(s), counts.get(s, 0)) for s in steps)
    else:
        unit = "month"
        counts = Counter(d.replace(day=1) for d in days)
        current, end = min(counts), max(counts)
        months = []
        while current <= end:
            months.append(current)
            current = _next_month(current)
        buckets = tuple(Bucket(m.isoformat(), _month_label(m), counts.get(m, 0)) for m in months)
    return Coverage(unit=unit, buckets=buckets, dated=len(days), undated=undated)


def describe(cov: Coverage) -> str:
    """One sentence a screen reader says for the chart."""
    if not cov.buckets:
        return "No article is dated."
    first, last, top = cov.buckets[0], cov.buckets[-1], cov.busiest
    span = first.label if len(cov.buckets) == 1 else f"{first.label} to {last.label}"
    text = (f"{cov.dated} dated article{'s' if cov.dated != 1 else ''}, counted per {cov.unit}, "
            f"{'in' if len(cov.buckets) == 1 else 'from'} {span}; most in {top.label} ({top.count})." if top else "")
    if cov.undated:
        text += f" {cov.undated} undated article{'s are' if cov.undated != 1 else ' is'} not on the chart."
    return text


def _num(x: float) -> str:
    """Fixed notation, two decimals at most: the same bytes on every machine."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def svg(cov: Coverage, ident: str, title: str) -> str:
    """The chart as inline SVG (``role="img"``, labelled by its ``<title>`` and described by its ``<desc>``);
    ``ident`` makes the ids unique on the page. Text is escaped; "" when nothing is dated. The axis's words are not
    drawn in it but written beside it by the page (:class:`CoverageView`): text inside a drawing shrinks with it, to
    6 px on a phone."""
    if not cov.buckets:
        return ""
    n = len(cov.buckets)
    top = max(b.count for b in cov.buckets) or 1
    slot = (WIDTH - 2 * PAD) / n
    bar = max(1.0, min(slot * 0.8, MAX_BAR))
    plot = HEIGHT - AXIS - PAD
    t, d = f"{ident}-title", f"{ident}-desc"
    parts = [f'<svg class="na-coverage-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="{t} {d}" focusable="false">',
             f'<title id="{t}">{escape(title)}</title>', f'<desc id="{d}">{escape(describe(cov))}</desc>',
             f'<line class="na-axis" x1="{PAD}" y1="{_num(PAD + plot)}" x2="{WIDTH - PAD}" y2="{_num(PAD + plot)}" '
             'stroke="currentColor" stroke-width="1"/>']
    for i, b in enumerate(cov.buckets):
        if not b.count:
            continue
        h = plot * b.count / top
        x = PAD + i * slot + (slot - bar) / 2
        parts.append(f'<rect x="{_num(x)}" y="{_num(PAD + plot - h)}" width="{_num(bar)}" height="{_num(h)}" '
                     f'fill="currentColor"><title>{escape(b.label)}: {b.count}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class CoverageView:
    """What a page's coverage section shows: the chart, the table's rows and the undated count."""

    unit: str
    svg: str  # markup, made here with every text escaped
    rows: tuple[Bucket, ...]
    dated: int
    undated: int
    description: str
    first: str = ""  # the axis's words, shown beside the chart: the first and last unit and the tallest bar's count
    last: str = ""
    top: int = 0


def coverage_view(dates: Iterable[str | None], ident: str, title: str) -> CoverageView:
    cov = coverage(dates)
    return CoverageView(unit=cov.unit, svg=svg(cov, ident, title), rows=tuple(b for b in cov.buckets if b.count),
                        dated=cov.dated, undated=cov.undated, description=describe(cov),
                        first=cov.buckets[0].label if cov.buckets else "",
                        last=cov.buckets[-1].label if len(cov.buckets) > 1 else "",
                        top=max((b.count for b in cov.buckets), default=0))
