"""Rendered article HTML → the plain text spaCy reads (BeautifulSoup).

Only prose counts: code, scripts, styles, embedded frames and media never yield entities. Block elements become
paragraph breaks so sentence and lede boundaries survive.
"""

from __future__ import annotations

import re

DROP = ("script", "style", "pre", "code", "iframe", "noscript", "svg", "math", "object", "embed", "template",
        "video", "audio", "canvas", "form", "button", "select", "textarea")
BLOCKS = ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr", "td",
          "th", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "br", "hr")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(html: str) -> str:
    """Plain text with paragraphs separated by one blank line."""
    from bs4 import BeautifulSoup  # here: importing it costs a rebuild that never parses HTML

    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup.find_all(DROP):
        tag.decompose()
    for tag in soup.find_all(BLOCKS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        line = _SPACES.sub(" ", block.replace("\n", " ")).strip()
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def latin_share(text: str) -> float:
    """Share of letters that are Latin script (1.0 for text without letters): a cheap "is this English?" hint."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if c < "\u0250")
    return latin / len(letters)
