"""HTML news pages (``.html`` / ``.htm``): the article's own text, not the page around it.

A saved news page is mostly navigation, scripts, ads, share bars, footers and comment threads. The article is
found the way the page marks it (``itemprop="articleBody"``, ``<article>``, ``<main>``, else the element with
the most paragraph text), furniture inside it is dropped (see ``[html]`` in ``data/boilerplate.toml``), and the
title, date, outlet, URL and author are read from the page's own metadata. Parsed with the standard-library
``html.parser`` so no compiled dependency is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.dammit import EncodingDetector

from .assemble import Stated, assemble
from .dates import parse_iso
from .decoding import decode
from .paragraphs import clean_text, collapse
from .records import RawArticle
from .rules import Rules

# Elements that end a paragraph: text on either side of them belongs to different paragraphs.
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "br", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses these; a no-break space is content and stays
_TOKEN_SPLIT = re.compile(r"[-_\s]+")
_ARTICLE_HOLDERS = ["article", "main"]


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    """The first non-empty ``content`` of a ``<meta>`` whose property/name/itemprop is one of ``keys``."""
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: re.compile(rf"^{re.escape(key)}$", re.IGNORECASE)})
            if isinstance(tag, Tag):
                content = tag.get("content")
                if isinstance(content, str) and content.strip():
                    return content.strip()
    return None


def _holds_article(tag: Tag) -> bool:
    if tag.name in _ARTICLE_HOLDERS or tag.get("itemprop") == "articleBody":
        return True
    return tag.find(_ARTICLE_HOLDERS) is not None or tag.find(attrs={"itemprop": "articleBody"}) is not None


def _is_noise(tag: Tag, rules: Rules) -> bool:
    words: list[str] = []
    for attr in ("class", "id"):
        value = tag.get(attr)
        if isinstance(value, list):
            value = " ".join(value)
        if isinstance(value, str):
            words.extend(w for w in _TOKEN_SPLIT.split(value.casefold()) if w)
    if tag.get("role") in ("navigation", "complementary", "banner", "contentinfo", "search"):
        return True
    return any(w in rules.html_noise_tokens for w in words)


def _drop_noise(soup: BeautifulSoup, rules: Rules) -> None:
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration, Doctype,
                                                                ProcessingInstruction))):
        node.extract()
    for tag in soup.find_all(list(rules.html_drop_tags)):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        if _is_noise(tag, rules) and not _holds_article(tag):
            tag.decompose()


def _paragraph_text_size(tag: Tag) -> int:
    return sum(len(p.get_text()) for p in tag.find_all("p"))


def _container(soup: BeautifulSoup) -> Tag:
    """The element holding the article: marked article body, the fullest <article>/<main>, or the fullest
    parent of paragraphs."""
    marked = soup.find(attrs={"itemprop": "articleBody"})
    if isinstance(marked, Tag):
        return marked
    for name in ("article", "main"):
        candidates = [t for t in soup.find_all(name) if _paragraph_text_size(t) > 0]
        if candidates:
            return max(candidates, key=_paragraph_text_size)
    parents: dict[int, tuple[Tag, int]] = {}
    for p in soup.find_all("p"):
        parent = p.parent
        if isinstance(parent, Tag):
            tag, size = parents.get(id(parent), (parent, 0))
            parents[id(parent)] = (tag, size + len(p.get_text()))
    if parents:
        return max(parents.values(), key=lambda item: item[1])[0]
    body = soup.body
    return body if isinstance(body, Tag) else soup


def _paragraphs(container: Tag) -> list[str]:
    """The text of ``container`` as paragraphs: block elements and <br> end a paragraph."""
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = _HTML_SPACE.sub(" ", "".join(buffer)).strip(" ")
        buffer.clear()
        if text.strip():
            paragraphs.append(text.strip())

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                if child.name == "pre":
                    flush()
                    paragraphs.extend(line.strip() for line in child.get_text().split("\n") if line.strip())
                    continue
                block = child.name in _BLOCK_TAGS
                if block:
                    flush()
                walk(child)
                if block:
                    flush()
            elif isinstance(child, NavigableString) and type(child) is NavigableString:
                buffer.append(str(child))

    walk(container)
    flush()
    return [clean_text(p) for p in paragraphs]


def _title(soup: BeautifulSoup, container: Tag, site_name: str | None) -> tuple[str | None, Tag | None]:
    """The headline and the <h1> it came from (to keep it out of the body).

    Order: the article's <h1>, ``og:title``, any <h1>, then <title> without a trailing " | Site Name".
    """
    h1 = container.find("h1")
    if isinstance(h1, Tag) and collapse(h1.get_text()):
        return collapse(h1.get_text()), h1
    og = _meta(soup, "og:title", "twitter:title")
    if og:
        return collapse(og), None
    h1 = soup.find("h1")  # outside the article it may be the site's logo, so only after og:title
    if isinstance(h1, Tag) and collapse(h1.get_text()):
        return collapse(h1.get_text()), h1
    if soup.title is not None:
        text = collapse(soup.title.get_text())
        if site_name:
            for sep in (" | ", " - ", " – ", " — ", " :: "):
                if text.endswith(sep + site_name):
                    text = text[: -len(sep + site_name)]
        if text:
            return text, None
    return None, None


def _date(soup: BeautifulSoup, container: Tag, rules: Rules) -> str | None:
    """The publication date: page metadata first, then a <time datetime> in the article, then in the page.

    Returns the first candidate that parses; when none does, the first raw one (so the caller warns about it).
    """
    candidates: list[str] = []
    meta = _meta(soup, "article:published_time", "datePublished", "og:published_time", "pubdate",
                 "publishdate", "date", "dc.date.issued", "dc.date")
    if meta:
        candidates.append(meta)
    for scope in (container, soup):
        for time in scope.find_all("time"):
            value = time.get("datetime")
            if isinstance(value, str) and value.strip():
                candidates.append(value.strip())
    for value in candidates:
        if parse_iso(value, rules):
            return value
    return candidates[0] if candidates else None


def _author(soup: BeautifulSoup) -> str | None:
    author = _meta(soup, "author", "article:author", "dc.creator")
    if author and not author.startswith(("http://", "https://")):
        return author
    return None


def parse_html(text: str, stated: Stated, rules: Rules) -> RawArticle | None:
    """One article from the text of an HTML page (None, with a warning, when it holds no article text)."""
    soup = BeautifulSoup(text, "html.parser")
    site_name = _meta(soup, "og:site_name")
    url = _meta(soup, "og:url")
    if url is None:
        canonical = soup.find("link", rel="canonical")
        href = canonical.get("href") if isinstance(canonical, Tag) else None
        url = href if isinstance(href, str) else None
    author = _author(soup)
    _drop_noise(soup, rules)
    container = _container(soup)
    title, h1 = _title(soup, container, site_name)
    date = _date(soup, container, rules)
    if h1 is not None:
        h1.decompose()
    for header in container.find_all("header"):
        header.decompose()
    paragraphs = _paragraphs(container)
    if title and paragraphs and collapse(paragraphs[0]) == title:
        paragraphs = paragraphs[1:]
    stated.title = title
    stated.date = date
    stated.source = site_name
    stated.url = url
    stated.author = author
    return assemble(paragraphs, stated, rules, find_headline=False)


def read_html(path: Path, rules: Rules) -> Iterator[RawArticle]:
    """Read one ``.html`` / ``.htm`` file. Raises OSError when the file cannot be read."""
    data = path.read_bytes()
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    text = decode(data, str(path), declared)
    stated = Stated(slug=path.stem, origin=str(path), imported_from=path.name)
    article = parse_html(text, stated, rules)
    if article is not None:
        yield article
