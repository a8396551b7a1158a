"""HTML news pages (``.html`` / ``.htm``): the article's own text and what the page says about it.

Finding the article in a real news page (navigation, ads, share bars, related-story blocks, comment threads,
a ``<form>`` around everything, text split by ``<br>``) is a solved problem that home-made rules kept getting
wrong, so the body is found by two extractors, trafilatura and readability-lxml (:mod:`.extractors`), and one
of the two extractions is kept whole by a rule that needs no knowledge of the page (:mod:`.body_choice`).

On top of it, the news layer: headline, date, outlet, author and section from schema.org JSON-LD, Open Graph
and ``<meta>`` (:mod:`.page_meta`), the site's name stripped from the title (:mod:`.titles`), the date checked
(:mod:`.page_date`: stated sources, then htmldate over the page's markup; no date rather than a doubtful
one), and bylines, captions and prompts out of the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup

from .assemble import Stated, assemble
from .body_choice import choose_body
from .boilerplate import remove_boilerplate
from .decoding import decode
from .extractors import fallback_body, readability_body, trafilatura_body
from .log import get_logger
from .nesting import shallow
from .news_body import NewsBody, clean_news_body
from .page_date import page_date
from .page_meta import read_page_meta
from .paragraphs import collapse
from .records import RawArticle
from .rules import Rules
from .titles import page_title

logger = get_logger(__name__)

_MIN_WORDS = 5
_RULES_MAX_LOSS = 100  # more words than a list of other stories' titles holds


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


_ARTICLE_ELEMENTS = ("[itemprop=articleBody]", "article", "main", "[role=main]")  # most specific first


def _article_text(soup: BeautifulSoup) -> str | None:
    """The text of the page's own article element, when it marks one (None otherwise)."""
    for selector in _ARTICLE_ELEMENTS:
        found = soup.select_one(selector)
        if found is not None:
            text = found.get_text(" ")
            if text.strip():
                return text
    return None


def _body(html: str, article_text: str | None = None) -> list[str]:
    """The article's paragraphs: trafilatura's or readability's extraction ([] for a page without article text).

    The two are compared by :func:`.body_choice.choose_body` (the page's article element breaks a tie between
    two extractions that found different things); an extraction too short to be an article (a menu item or a
    label picked up from a page without one) falls back to the other, and when both found too little,
    trafilatura's default mode has a last try (:func:`.extractors.fallback_body`).
    """
    paragraphs = choose_body(trafilatura_body(html), readability_body(html), article_text)
    if _words(paragraphs) < _MIN_WORDS:
        paragraphs = fallback_body(html)  # a page lost by both: trafilatura's default mode is a last try
    if _words(paragraphs) < _MIN_WORDS:
        return []
    return paragraphs


def news_layer(body: list[str], title: str | None, author: str | None, rules: Rules) -> NewsBody:
    """The body after the news layer (:func:`.news_body.clean_news_body`), or as extracted when it would lose most.

    The news layer removes a paragraph of furniture here and there; when it would remove more than half of the
    body's words, its patterns matched the article itself (a story made of short lines, a headline repeated as
    the text), and the body is kept as extracted (the byline found is still used for ``Author:``).
    """
    news = clean_news_body(body, title, author, rules)
    if _words(news.paragraphs) * 2 < _words(body):
        return NewsBody(paragraphs=body, byline=news.byline)
    return news


def _keep_rules(news: NewsBody, rules: Rules) -> bool:
    """Whether the text rules (boilerplate, link lists, sign-offs) may run over the body the news layer kept.

    They remove a line of furniture here and a list of other stories' titles there; when they would remove
    most of the body, and more words than such furniture holds (``_RULES_MAX_LOSS``), they matched the
    article itself (a story written in one-sentence paragraphs under a "Related:" line reads as a link list),
    and the body is kept as extracted, as :func:`news_layer` keeps it when its own patterns would remove most.
    """
    before = _words(news.paragraphs)
    lost = before - _words(remove_boilerplate(news.paragraphs, rules).paragraphs)
    if lost * 2 > before and lost > _RULES_MAX_LOSS:
        logger.debug("the text rules would remove %d of %d words; the body is kept as extracted", lost, before)
        return False
    return True


def parse_html(text: str, stated: Stated, rules: Rules) -> RawArticle | None:
    """One article from the text of an HTML page (None, with a warning, when it holds no article text)."""
    text = shallow(text, stated.origin)
    soup = BeautifulSoup(text, "html.parser")
    meta = read_page_meta(soup)
    title = page_title(meta, soup)
    date, evidence = page_date(meta, soup, text, rules, stated.origin)
    body = _body(text, _article_text(soup))
    news = news_layer(body, title, meta.author, rules)
    stated.title = title
    stated.date = date
    stated.source = meta.site_name
    stated.url = meta.url
    stated.author = meta.author or news.byline
    article = assemble(news.paragraphs, stated, rules, find_headline=False, boilerplate=_keep_rules(news, rules))
    if article is not None and evidence and article.date == date:
        article.date_evidence = evidence
    if article is not None and meta.section:
        article.section = collapse(meta.section)
    return article


def read_html(path: Path, rules: Rules) -> Iterator[RawArticle]:
    """Read one ``.html`` / ``.htm`` file. Raises OSError when it cannot be read, NotText when it is binary."""
    text = decode(path.read_bytes(), str(path), html=True)
    stated = Stated(slug=path.stem, origin=str(path), imported_from=path.name)
    article = parse_html(text, stated, rules)
    if article is not None:
        yield article
