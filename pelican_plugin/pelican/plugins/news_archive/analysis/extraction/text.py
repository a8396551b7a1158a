"""Rendered article HTML → the plain text spaCy reads (BeautifulSoup), and whether it is worth reading.

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


def readable(text: str, title: str) -> tuple[str, str, str | None]:
    """(text, title, problem) as spaCy should read them: an article without body text is analysed by its title
    alone; one that does not look like English (an English model reads other scripts as noise) is analysed not
    at all and so gets no tags. ``problem`` says which, for a warning naming the file; None when all is well."""
    if not text.strip():
        return text, title, "has no body text; only its title is analysed"
    if latin_share(text) < 0.5:
        return "", title if latin_share(title) >= 0.5 else "", \
            "does not look like English text; it is published without entity tags"
    return text, title, None
