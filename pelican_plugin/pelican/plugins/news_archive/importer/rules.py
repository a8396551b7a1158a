"""Load the importer's knowledge (``data/boilerplate.toml``) once, as compiled patterns.

Boilerplate markers, outlet markers and month names are knowledge an editor extends when a new site shows up;
keeping them in a data file means that needs no code change, and compiling them here means a bad pattern fails
loudly at start-up instead of silently mid-import.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .datelines import Grammar, build_grammar

_DATA_PACKAGE = "pelican.plugins.news_archive"
_DATA_FILE = "boilerplate.toml"
_OUTLETS_FILE = "outlets.toml"
_DATELINES_FILE = "datelines.toml"


@dataclass(frozen=True)
class Outlet:
    """A news outlet: the name written as ``Source:`` and the markers that stand for it in datelines."""

    name: str
    markers: tuple[str, ...]
    glued_byline: bool


@dataclass(frozen=True)
class Rules:
    """Every importer rule, compiled. See ``data/boilerplate.toml`` for what each one means."""

    drop: re.Pattern[str]  # fullmatch: a furniture paragraph (all [drop] patterns in one)
    standalone: re.Pattern[str]  # fullmatch: a furniture or link-marker line, never part of a paragraph
    link_marker: re.Pattern[str]  # fullmatch: a marker paragraph
    link_marker_prefix: re.Pattern[str]  # match: a marker followed by a title on the same line
    link_title_max_words: int
    link_title_max_chars: int
    mid_article_max_titles: int
    signoff: tuple[re.Pattern[str], ...]
    signoff_tail: re.Pattern[str]
    dateline_paragraphs: int
    datelines: Grammar
    outlets: tuple[Outlet, ...]
    glued_byline: re.Pattern[str] | None  # match at paragraph start; group "outlet"
    headline_max_words: int
    headline_max_chars: int
    headline_bad_endings: tuple[str, ...]
    lede_title_max_chars: int
    title_ellipsis: str
    title_clause_share: float
    title_phrase_share: float
    title_phrase_openers: frozenset[str]
    title_dangling: frozenset[str]
    abbreviations: frozenset[str]
    months: dict[str, int]  # every spelling, lower-case -> month number
    min_year: int
    max_year: int
    max_non_ascii_letters: float
    language_min_words: int
    min_foreign_share: float
    min_foreign_words: int
    # common word -> the languages it is common in ("english" among them for English words)
    function_words: dict[str, frozenset[str]]
    html_prompts: re.Pattern[str]  # fullmatch: a prompt, caption or tag list inside a page's article

    def outlet_for_marker(self, marker: str) -> str | None:
        """The outlet name a dateline marker such as ``IP`` stands for, or None when it is not known."""
        wanted = " ".join(marker.split()).casefold()
        for outlet in self.outlets:
            if any(wanted == m.casefold() for m in outlet.markers):
                return outlet.name
        return None


def _alternation(patterns: list[str]) -> str:
    return "|".join(_scoped(p) for p in patterns)


def _scoped(pattern: str) -> str:
    """``pattern`` as a group; a leading global flag such as ``(?i)`` becomes the group's own ``(?i:...)``,
    so patterns with different flags can share one compiled alternation (one regex call per line, not ten)."""
    flags = re.match(r"\(\?([aiLmsux]+)\)", pattern)
    if flags:
        return f"(?{flags.group(1)}:{pattern[flags.end():]})"
    return f"(?:{pattern})"


def build_rules(data: dict, outlet_data: dict, dateline_data: dict) -> Rules:
    """Compile the parsed TOML documents (``boilerplate.toml``, ``outlets.toml``, ``datelines.toml``) into
    :class:`Rules` (separate from loading, for tests)."""
    links = data["link_lists"]
    marker_words = f"(?:{_alternation(links['markers'])})"
    markers = f"{marker_words}(?:{links['marker_suffix']})"
    drop = _alternation(data["drop"]["paragraphs"])
    outlets = tuple(
        Outlet(name=o["name"], markers=tuple(o.get("markers", ())), glued_byline=bool(o.get("glued_byline")))
        for o in outlet_data.get("outlets", ())
    )
    glued_names = [re.escape(o.name) for o in outlets if o.glued_byline]
    glued = None
    if glued_names:
        label = data["glued_byline"]["label"]
        # The outlet name runs straight into a capitalised label: "Iran PressIran news: ".
        glued = re.compile(rf"(?P<outlet>{'|'.join(glued_names)})(?=[A-Z])(?:{label})[\s\u00a0]*")
    months: dict[str, int] = {}
    for number, spellings in enumerate(data["dates"]["months"], start=1):
        for spelling in spellings:
            months[spelling.casefold()] = number
    outlet_markers = {m: o.name for o in outlets for m in o.markers}
    language = data["language"]
    return Rules(
        drop=re.compile(drop),
        standalone=re.compile(f"(?i:{markers})|{drop}"),
        link_marker=re.compile(markers, re.IGNORECASE),
        link_marker_prefix=re.compile(rf"{marker_words}(?:{links['inline_separator']})(?=\S)", re.IGNORECASE),
        link_title_max_words=int(links["title_max_words"]),
        link_title_max_chars=int(links["title_max_chars"]),
        mid_article_max_titles=int(links["mid_article_max_titles"]),
        signoff=tuple(re.compile(p) for p in data["signoff"]["paragraphs"]),
        signoff_tail=re.compile(data["signoff"]["tail"] + "$"),
        dateline_paragraphs=int(data["datelines"]["search_paragraphs"]),
        datelines=build_grammar(dateline_data, outlet_markers, months, outlet_data["call_sign"]),
        outlets=outlets,
        glued_byline=glued,
        headline_max_words=int(data["headline"]["max_words"]),
        headline_max_chars=int(data["headline"]["max_chars"]),
        headline_bad_endings=tuple(data["headline"]["not_ending_with"]),
        lede_title_max_chars=int(data["title"]["max_chars"]),
        title_ellipsis=str(data["title"]["ellipsis"]),
        title_clause_share=float(data["title"]["clause_share"]),
        title_phrase_share=float(data["title"]["phrase_share"]),
        title_phrase_openers=frozenset(w.casefold() for w in data["title"]["phrase_openers"]),
        title_dangling=frozenset(w.casefold() for w in data["title"]["dangling"]),
        abbreviations=frozenset(a.casefold() for a in data["title"]["abbreviations"]),
        months=months,
        min_year=int(data["dates"]["min_year"]),
        max_year=int(data["dates"]["max_year"]),
        max_non_ascii_letters=float(language["max_non_ascii_letters"]),
        language_min_words=int(language["min_words"]),
        min_foreign_share=float(language["min_foreign_share"]),
        min_foreign_words=int(language["min_foreign_words"]),
        function_words=_function_words(language["function_words"]),
        html_prompts=re.compile(_alternation(data["html"]["prompts"]) or "(?!)"),
    )


def _function_words(by_language: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for language, words in by_language.items():
        for word in words:
            table.setdefault(word.casefold(), set()).add(language)
    return {word: frozenset(languages) for word, languages in table.items()}


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The rules shipped with the package (read and compiled once per process)."""
    folder = resources.files(_DATA_PACKAGE).joinpath("data")
    documents = [tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8"))
                 for name in (_DATA_FILE, _OUTLETS_FILE, _DATELINES_FILE)]
    return build_rules(*documents)
