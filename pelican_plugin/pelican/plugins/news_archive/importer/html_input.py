"""HTML news pages (``.html`` / ``.htm``): the article's own text and what the page says about it.

Finding the article in a real news page (navigation, ads, share bars, related-story blocks, comment threads,
a ``<form>`` around everything, text split by ``<br>``) is a solved problem that home-made rules kept getting
wrong, so the body is trafilatura's. Its options, chosen deliberately:

* ``favor_recall=True``: a sentence of the article that goes missing cannot be brought back, while leftover
  furniture is removed by the news layer after it (:mod:`.news_body`); on the benchmark's tuning half recall
  mode also scores the best F1 (``benchmarks/importer.py``);
* ``include_tables=True``: news tables (results, figures) are article text;
* ``include_comments=False``: readers' comments are not the article;
* no formatting, links or images: the body is plain paragraphs, verbatim.

On top of it, the news layer: headline, date, outlet, author and section from schema.org JSON-LD, Open Graph
and ``<meta>`` (:mod:`.page_meta`), the site's name stripped from the title (:mod:`.titles`), the date checked
(:mod:`.dates`, then htmldate over the page's markup), and bylines, captions and prompts out of the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import trafilatura
from bs4 import BeautifulSoup
from bs4.dammit import EncodingDetector
from lxml import etree

from .assemble import Stated, assemble
from .dates import parse_page_date
from .decoding import decode
from .log import get_logger
from .news_body import clean_news_body
from .page_meta import PageMeta, read_page_meta
from .paragraphs import clean_text, collapse
from .records import RawArticle
from .rules import Rules
from .titles import page_title

logger = get_logger(__name__)

_EXTRACT_OPTIONS = {"favor_recall": True, "include_tables": True, "include_comments": False,
                    "include_links": False, "include_images": False, "include_formatting": False,
                    "deduplicate": False, "with_metadata": False}
# trafilatura's element tree: these hold one paragraph of text each; <lb/> (a <br> in the page) ends one too,
# since pages that split text by <br> instead of <p> mean a paragraph by it.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses these; a no-break space is content and stays
_HAS_HTML = re.compile(r"<html[\s>]", re.IGNORECASE)
_MIN_WORDS = 5
_PARAGRAPHS = frozenset({"p", "head", "item", "row", "quote", "code"})


def _paragraph_texts(element: etree._Element) -> Iterator[str]:
    """The paragraphs of a trafilatura body tree, each on one line (source line wraps are not paragraphs)."""
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        text = _HTML_SPACE.sub(" ", clean_text("".join(buffer))).strip(" ")
        buffer.clear()
        if text:
            yield text

    def walk(node: etree._Element) -> Iterator[str]:
        if node.tag in _PARAGRAPHS and any(child.tag in _PARAGRAPHS for child in node):
            yield from flush()  # a quote or list holding paragraphs: each child is one
        buffer.append(node.text or "")
        for child in node:
            if child.tag == "lb":
                yield from flush()
            elif child.tag in _PARAGRAPHS:
                yield from flush()
                yield from walk(child)
                yield from flush()
            else:
                yield from walk(child)
            buffer.append(" " if child.tag == "cell" else "")
            buffer.append(child.tail or "")

    yield from walk(element)
    yield from flush()


def _body(html: str) -> list[str]:
    """The article's paragraphs as trafilatura finds them ([] for a page with no article text)."""
    doc = trafilatura.bare_extraction(html, **_EXTRACT_OPTIONS)
    if doc is None and not _HAS_HTML.search(html):
        # a saved fragment that trafilatura could not parse on its own: give it the document it expects
        doc = trafilatura.bare_extraction(f"<html>{html}</html>", **_EXTRACT_OPTIONS)
    body = getattr(doc, "body", None)
    paragraphs = list(_paragraph_texts(body)) if body is not None else []
    if sum(len(p.split()) for p in paragraphs) < _MIN_WORDS:
        return []  # a menu item or a label that recall mode picked up from a page without an article
    return paragraphs


def _date(meta: PageMeta, html: str, rules: Rules, origin: str) -> tuple[str | None, str | None]:
    """The publication date and, when it was not stated in the page's metadata, where it was found.

    Stated metadata first (JSON-LD datePublished, meta tags, ``<time pubdate>``), read in any spelling pages
    use; then htmldate, which reads the page's markup for the original publication date (its quick search
    only: the extensive one guesses from any date in the text, and a wrong date is worse than none).
    """
    for where, value in meta.dates:
        parsed = parse_page_date(value, rules)
        if parsed:
            return parsed, None
        logger.debug("%s: %s date %r cannot be read", origin, where, value)
    try:
        from htmldate import find_date

        found = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - htmldate failing on one odd page must not stop the import
        found = None
    parsed = parse_page_date(found, rules)
    return (parsed, "page markup (htmldate)") if parsed else (None, None)


def parse_html(text: str, stated: Stated, rules: Rules) -> RawArticle | None:
    """One article from the text of an HTML page (None, with a warning, when it holds no article text)."""
    soup = BeautifulSoup(text, "html.parser")
    meta = read_page_meta(soup)
    title = page_title(meta, soup)
    date, evidence = _date(meta, text, rules, stated.origin)
    news = clean_news_body(_body(text), title, meta.author, rules)
    stated.title = title
    stated.date = date
    stated.source = meta.site_name
    stated.url = meta.url
    stated.author = meta.author or news.byline
    article = assemble(news.paragraphs, stated, rules, find_headline=False)
    if article is not None and evidence and article.date == date:
        article.date_evidence = evidence
    if article is not None and meta.section:
        article.section = collapse(meta.section)
    return article


def read_html(path: Path, rules: Rules) -> Iterator[RawArticle]:
    """Read one ``.html`` / ``.htm`` file. Raises OSError when the file cannot be read."""
    data = path.read_bytes()
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    text = decode(data, str(path), declared)
    stated = Stated(slug=path.stem, origin=str(path), imported_from=path.name)
    article = parse_html(text, stated, rules)
    if article is not None:
        yield article
