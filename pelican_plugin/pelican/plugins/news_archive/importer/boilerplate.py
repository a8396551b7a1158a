"""Remove scraping furniture from an article's paragraphs, keeping every sentence of the article itself.

Scraped news pages leave behind comment forms, "News ID" lines, "Related news:" blocks with other articles'
titles, outlet names glued into the text and wire sign-offs. None of it is the article, and all of it would
pollute entity tags and related-article scores. The rules are shapes read from ``data/boilerplate.toml``;
this module only applies them, conservatively: when unsure, a paragraph stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import Rules

# A sentence boundary inside a paragraph: end punctuation, optional closing quote, space, capital or quote.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?][\"'”’)]?$")


@dataclass
class Cleaned:
    """Paragraphs with the furniture removed, and the outlet a glued byline named (if any)."""

    paragraphs: list[str]
    byline_outlet: str | None = None


def is_marker_line(line: str, rules: Rules) -> bool:
    """True for a line that is furniture on its own ("Read more:", "News ID 1"): it never joins a paragraph."""
    return rules.standalone.fullmatch(line.strip()) is not None


def sentence_count(text: str, rules: Rules) -> int:
    """How many sentences ``text`` holds, not counting breaks after abbreviations or initials ("Gen.", "U.")."""
    count = 1
    for match in _SENTENCE_BREAK.finditer(text):
        before = _WORD_BEFORE.search(text[: match.start()])
        word = before.group(1).casefold() if before else ""
        if word in rules.abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        count += 1
    return count


def is_title_shaped(paragraph: str, rules: Rules) -> bool:
    """True for a paragraph shaped like a link to another article: one short line, one sentence, no lead-in."""
    if "\n" in paragraph or paragraph.endswith((":", "：")):
        return False
    if len(paragraph) > rules.link_title_max_chars or len(paragraph.split()) > rules.link_title_max_words:
        return False
    return sentence_count(paragraph, rules) == 1


def _drop_link_lists(paragraphs: list[str], rules: Rules) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(paragraphs):
        para = paragraphs[i]
        inline = rules.link_marker_prefix.match(para)
        if inline and is_title_shaped(para[inline.end():], rules):
            i += 1  # "Read more: Some other article" on one line
            continue
        if not rules.link_marker.fullmatch(para):
            kept.append(para)
            i += 1
            continue
        run = 0
        while i + 1 + run < len(paragraphs) and is_title_shaped(paragraphs[i + 1 + run], rules):
            run += 1
        reaches_end = i + 1 + run == len(paragraphs)
        drop = run if reaches_end else min(run, rules.mid_article_max_titles)
        i += 1 + drop
    return kept


def _strip_signoff(paragraphs: list[str], rules: Rules) -> list[str]:
    paragraphs = list(paragraphs)
    while paragraphs:
        last = paragraphs[-1]
        if any(p.fullmatch(last) for p in rules.signoff):
            paragraphs.pop()
            continue
        tail = rules.signoff_tail.search(last)
        if tail:
            paragraphs[-1] = last[: tail.start()].rstrip()
        break
    return paragraphs


def remove_boilerplate(paragraphs: list[str], rules: Rules) -> Cleaned:
    """Drop furniture paragraphs, link lists and the wire sign-off; cut glued outlet bylines off paragraphs.

    Order matters: furniture at the very end ("Your Comment") goes first, so a "Read more:" list above it is
    recognised as running to the end of the article.
    """
    paras = [p.strip() for p in paragraphs if p.strip()]
    paras = [p for p in paras if not rules.drop.fullmatch(p)]
    paras = _drop_link_lists(paras, rules)
    paras = _strip_signoff(paras, rules)
    outlet = None
    if rules.glued_byline is not None:
        stripped: list[str] = []
        for para in paras:
            match = rules.glued_byline.match(para)
            if match:
                outlet = outlet or match.group("outlet")
                para = para[match.end():].strip()
            if para:
                stripped.append(para)
        paras = stripped
    return Cleaned(paragraphs=paras, byline_outlet=outlet)
