"""Pages nested absurdly deep (thousands of wrappers around the article), made shallow before anything reads them.

libxml2, which both extractors parse with, stops building the tree at depth 256 and silently drops everything
deeper, so an article inside a thousand ``<div>``s would be lost; and tree walks that recurse (Python's limit
is about 1,000 frames) would fail on such a page. A page nested this deep is made shallow in two linear passes:
a run of the same wrapper tag repeated with nothing between (``<div><div><div>``, ``</div></div>``) is written
once (even libxml2's no-limit mode stops at depth 2,048), then the page is parsed with no depth limit and its
wrappers that hold nothing but one other element (no text, nothing beside it) are unwrapped. Only tags go, never
text, so the text and its order stay. Ordinary pages (the
deepest real news pages are well under 100 levels) are left exactly as they are.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .log import get_logger

logger = get_logger(__name__)

MAX_DEPTH = 200  # deeper than this, a page is made shallow; libxml2's own limit is 256
_OPEN_TAG = re.compile(r"<[A-Za-z]")
_WRAPPER_NAMES = ("div|span|section|font|center|main|b|i|em|strong|small|big|u|s|blockquote|dl|dd|form|table|"
                  "tbody|tr|td|ul|ol|li|nav|aside|header|footer|figure")
_OPEN_RUN = re.compile(rf"(<(?:{_WRAPPER_NAMES})\b[^<>]*>)(?:\s*\1)+", re.IGNORECASE)
_CLOSE_RUN = re.compile(rf"(</(?:{_WRAPPER_NAMES})\s*>)(?:\s*\1)+", re.IGNORECASE)
_WRAPPERS = frozenset({"div", "span", "section", "font", "center", "main", "b", "i", "em", "strong", "small",
                       "big", "u", "s", "blockquote", "dl", "dd", "form", "table", "tbody", "tr", "td", "ul", "ol",
                       "li", "nav", "aside", "header", "footer", "figure"})


def _depth(root: etree._Element) -> int:
    """The depth of the deepest element, counted without recursion."""
    depth = deepest = 0
    for event, _node in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _empty_wrapper(node: etree._Element) -> bool:
    if node.tag not in _WRAPPERS or len(node) != 1 or (node.text or "").strip():
        return False
    child = node[0]
    return isinstance(child.tag, str) and not (child.tail or "").strip()


def shallow(html: str, origin: str) -> str:
    """``html`` itself when it is nested no deeper than :data:`MAX_DEPTH`, else the same page made shallow."""
    if len(_OPEN_TAG.findall(html, 0, 1 << 20)) < MAX_DEPTH:
        return html  # too few tags to be nested that deep: no need to parse it here
    try:
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.LxmlError, ValueError):
        return html
    depth = _depth(root)
    if depth <= MAX_DEPTH:
        return html
    root = lxml.html.document_fromstring(_CLOSE_RUN.sub(r"\1", _OPEN_RUN.sub(r"\1", html)),
                                         parser=lxml.html.HTMLParser(huge_tree=True))
    wrappers = [node for node in root.iter() if _empty_wrapper(node)]
    for node in wrappers:
        node.drop_tag()
    logger.warning("%s: markup nested %d levels deep; %d empty wrapper elements unwrapped before reading it",
                   origin, depth, len(wrappers))
    return lxml.html.tostring(root, encoding="unicode")
