"""The two article extractors the importer asks, each giving the article as a list of plain paragraphs.

* trafilatura, with its options chosen deliberately: ``favor_recall=True`` (a sentence of the article that goes
  missing cannot be brought back, while leftover furniture is removed by the news layer after it; on the
  benchmark's tuning half recall mode also scores the best F1 of its modes), its own readability/jusText
  fallback on (``fast=False``), tables kept (news tables are article text), readers' comments left out, no
  formatting, links or images. Text the page hides (``hidden``, ``display: none``, ``visibility: hidden``) is
  removed first: a reader never sees it, and trafilatura would otherwise keep it;
* readability-lxml (a port of Firefox's Reader View), whose summary is read back into paragraphs, without
  figure captions and a stand-alone ``<time>`` (trafilatura leaves both out too).

All walks over element trees here are iterative: a page nested a thousand levels deep must not raise
RecursionError and lose its article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
import trafilatura
from lxml import etree

from .log import get_logger
from .paragraphs import clean_text

logger = get_logger(__name__)

_EXTRACT_OPTIONS = {"fast": False, "favor_recall": True, "include_tables": True, "include_comments": False,
                    "include_links": False, "include_images": False, "include_formatting": False,
                    "deduplicate": False, "with_metadata": False}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses these; a no-break space is content and stays
_HAS_HTML = re.compile(r"<html[\s>]", re.IGNORECASE)
# trafilatura's element tree: these hold one paragraph of text each; <lb/> (a <br> in the page) ends one too,
# since pages that split text by <br> instead of <p> mean a paragraph by it.
_PARAGRAPHS = frozenset({"p", "head", "item", "row", "quote", "code"})
_HIDDEN = etree.XPath(
    "//*[@hidden or contains(translate(@style, ' ', ''), 'display:none')"
    " or contains(translate(@style, ' ', ''), 'visibility:hidden')]")
# readability's summary is HTML: these elements start and end a paragraph of its text.
# Furniture inside readability's summary: a figure's caption, and a <time> standing outside running text (the
# date under a headline). trafilatura leaves both out; the date is read from the page's metadata instead.
_SUMMARY_FURNITURE = etree.XPath("//figcaption | //time[not(ancestor::p or ancestor::li or ancestor::td)]")
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "div", "tr", "table",
                     "ul", "ol", "dl", "dd", "dt", "figure", "figcaption", "section", "article", "header",
                     "footer", "aside", "main", "nav", "hr"})


def _paragraph_texts(element: etree._Element) -> Iterator[str]:
    """The paragraphs of a trafilatura body tree, each on one line (source line wraps are not paragraphs)."""
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        text = _HTML_SPACE.sub(" ", clean_text("".join(buffer))).strip(" ")
        buffer.clear()
        if text:
            yield text

    # An explicit stack of steps instead of recursion: ("open", node) reads a node's own text and schedules its
    # children; ("child", node) starts a child (a paragraph child is flushed before and after); ("close", node)
    # adds what follows the child (its tail); ("flush", None) ends a paragraph.
    stack: list[tuple[str, etree._Element | None]] = [("flush", None), ("open", element)]
    while stack:
        step, node = stack.pop()
        if step == "flush" or node is None:
            yield from flush()
        elif step == "open":
            if node.tag in _PARAGRAPHS and any(child.tag in _PARAGRAPHS for child in node):
                yield from flush()  # a quote or list holding paragraphs: each child is one
            buffer.append(node.text or "")
            for child in reversed(node):
                stack.append(("close", child))
                stack.append(("child", child))
        elif step == "child":
            if node.tag == "lb":
                yield from flush()
            elif node.tag in _PARAGRAPHS:
                yield from flush()
                stack.append(("flush", None))
                stack.append(("open", node))
            else:
                stack.append(("open", node))
        else:  # close
            buffer.append(" " if node.tag == "cell" else "")
            buffer.append(node.tail or "")


def _visible_tree(html: str) -> etree._Element | None:
    """The page parsed, without the elements it hides from readers (None when it cannot be parsed)."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    for node in _HIDDEN(tree):
        if node.getparent() is not None and node.tag not in ("html", "body"):
            node.drop_tree() if isinstance(node, lxml.html.HtmlElement) else node.getparent().remove(node)
    return tree


def trafilatura_body(html: str) -> list[str]:
    """The article's paragraphs as trafilatura finds them ([] for a page with no article text)."""
    tree = _visible_tree(html)
    doc = trafilatura.bare_extraction(tree, **_EXTRACT_OPTIONS) if tree is not None else None
    if doc is None and not _HAS_HTML.search(html):
        # a saved fragment that trafilatura could not parse on its own: give it the document it expects
        doc = trafilatura.bare_extraction(f"<html>{html}</html>", **_EXTRACT_OPTIONS)
    body = getattr(doc, "body", None)
    return list(_paragraph_texts(body)) if body is not None else []


def fallback_body(html: str) -> list[str]:
    """The article's paragraphs as trafilatura finds them with its default options, on the page as it is.

    A last try for a page where both configured extractions found nothing: the recall mode over the page
    without its hidden elements, and readability, can both come back empty on a page whose markup fools
    them, while trafilatura's default mode (balanced, and reading the text it takes for readers' comments
    too) over the unaltered page may still find the article. (On the benchmark it changes neither half's
    figures.)
    """
    try:
        text = trafilatura.extract(html) or ""  # its defaults, as its own command line runs it: one line a paragraph
    except (etree.LxmlError, ValueError, RecursionError) as err:
        logger.debug("trafilatura could not read the page: %s", err)
        return []
    return [line for line in (_HTML_SPACE.sub(" ", clean_text(part)).strip(" ") for part in text.split("\n")) if line]


def _block_texts(root: etree._Element) -> list[str]:
    """The text of an HTML tree as paragraphs: a block element or a ``<br>`` ends one, a source line wrap does not."""
    pieces: list[str] = []
    for event, node in etree.iterwalk(root, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                pieces.append("\n")
            if tag is not None and tag != "br":
                pieces.append(_HTML_SPACE.sub(" ", node.text or ""))
        else:
            if tag in _BLOCKS:
                pieces.append("\n")
            elif tag in ("td", "th"):
                pieces.append(" ")
            if node is not root:
                pieces.append(_HTML_SPACE.sub(" ", node.tail or ""))
    # source line wraps were made spaces above, so every line break left is a block's edge
    lines = clean_text("".join(pieces)).split("\n")
    return [text for text in (_HTML_SPACE.sub(" ", line).strip(" ") for line in lines) if text]


def readability_body(html: str) -> list[str]:
    """The article's paragraphs as readability-lxml finds them ([] when it finds none or fails)."""
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(html).summary(html_partial=True)
    except (Unparseable, ValueError, etree.LxmlError, RecursionError) as err:
        logger.debug("readability could not read the page: %s", err)
        return []
    if not summary or not summary.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (etree.LxmlError, ValueError):
        return []
    for node in _SUMMARY_FURNITURE(root):
        if node is not root:
            node.drop_tree()
    return _block_texts(root)
