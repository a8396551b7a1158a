"""The news layer over an extracted page body: bylines, captions and prompts out, everything else verbatim.

trafilatura finds the article's text; what it keeps, by design, is any paragraph inside the article, and news
articles carry furniture of their own there: the byline ("By Jane Doe, Reuters"), photo captions (often the
same caption repeated by each image variant), "Subscribe / Sign In", share buttons, tag lists and newsletter
prompts. These are news-specific shapes (``[html]`` in ``data/boilerplate.toml``). A byline is not lost: it
goes to ``Author:`` when the page named no author. Only whole paragraphs go; no sentence is rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .paragraphs import collapse
from .rules import Rules

_BYLINE = re.compile(r"(?:By|BY|by)[:\s]+(?P<name>[A-ZÀ-Þ][\w'’.-]*(?:[ ,]+(?:and |&\s)?[A-ZÀ-Þ][\w'’.-]*){0,6})"
                     r"(?:\s*[,|/–—-]\s*[\w .’'-]{0,40})?")
_BYLINE_MAX_WORDS = 12
# A repeat of a paragraph this short is a caption or a label shown once per image variant or layout; a longer
# paragraph that repeats is the page's own text and stays.
_REPEAT_MAX_WORDS = 30


@dataclass
class NewsBody:
    """The article's paragraphs after the news layer, and the byline's name if one was taken out."""

    paragraphs: list[str]
    byline: str | None = None


def _is_byline(para: str, author: str | None) -> str | None:
    """The name in a byline paragraph ("By Jane Doe", "BY JANE DOE, Reuters", the page's author alone)."""
    if len(para.split()) > _BYLINE_MAX_WORDS:
        return None
    if author and collapse(para).casefold() in {author.casefold(), f"by {author}".casefold()}:
        return author
    match = _BYLINE.fullmatch(para)
    return match.group("name").strip(" ,") if match else None


def clean_news_body(paragraphs: list[str], title: str | None, author: str | None, rules: Rules) -> NewsBody:
    """Drop the headline repeated at the top, bylines, captions, prompts and repeated paragraphs."""
    kept: list[str] = []
    seen: set[str] = set()
    byline = None
    head = title.casefold() if title else None
    for index, para in enumerate(paragraphs):
        key = collapse(para).casefold()
        if not key or (index < 3 and key == head):
            continue  # the headline above the text
        if len(key.split()) <= _REPEAT_MAX_WORDS:
            if key in seen:
                continue  # a caption repeated per image variant
            seen.add(key)
        if rules.html_prompts.fullmatch(para):
            continue
        name = _is_byline(para, author) if index < 6 or len(paragraphs) - index <= 3 else None
        if name:
            byline = byline or name
            continue
        kept.append(para)
    return NewsBody(paragraphs=kept, byline=byline)
