"""Write a :class:`RawArticle` as a Pelican Markdown file whose body renders to exactly the article's text.

News text is full of characters Markdown reads as markup: "<SRD>" would vanish as an HTML tag, "+Bahia
superior+" or "1. The..." at a line start would become a list, "*" and "_" emphasis. Every such character is
escaped, so python-markdown (Pelican's reader, with its default extensions) gives back the text as written.
Metadata values are forced onto one line, since a newline would end Pelican's metadata block, and the title
(which Pelican reads as HTML) has "<", ">" and "&" written as entities, so "Inflation < 2% while unemployment
> 5%" keeps every word instead of losing a "tag". The file records a digest of itself (see :mod:`.reimport`),
so a later import can tell an editor's changes from its own output.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from . import reimport
from .paragraphs import collapse
from .records import RawArticle

# Characters escaped anywhere in a paragraph. Backslash escapes are python-markdown's own; "<", ">" and "&" become
# entities (a backslash would not stop "&amp;"-style entities and is not honoured before "<"), and a tab
# becomes an entity because Markdown expands tabs to spaces.
_INLINE = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "{": "\\{",
    "}": "\\}",
    "[": "\\[",
    "]": "\\]",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
    "\t": "&#9;",
}
_INLINE_RE = re.compile("[" + re.escape("".join(_INLINE)) + "]")
# Paragraph starts that Markdown reads as block markup: headings, lists, quotes, rules, definition lists,
# fenced code, setext underlines and tables' pipes.
_LIST_NUMBER = re.compile(r"^(\d+)\.(?=[ \t\u00a0]|$)")
_LINE_START = {
    "#": "\\#",
    "+": "\\+",
    "-": "\\-",
    "=": "&#61;",
    ":": "&#58;",
    "~": "&#126;",
    "|": "&#124;",
}

_SAFE_SLUG = re.compile(r"[a-z0-9_][a-z0-9_-]*")

METADATA_ORDER = (
    ("Title", "title"),
    ("Date", "date"),
    ("Slug", "slug"),
    ("Source", "source"),
    ("Dateline", "dateline"),
    ("Source_Url", "url"),
    ("Author", "author"),
    ("Section", "section"),
    ("Title_Derived", "title_derived"),
    ("Date_Status", "date_status"),
    ("Date_Evidence", "date_evidence"),
    ("Imported_From", "imported_from"),
)


def escape_paragraph(text: str) -> str:
    """Markdown source for one paragraph of plain text that renders back to exactly ``text``.

    ``text`` must be a single line without surrounding whitespace (Markdown strips both; the importer
    guarantees it).
    """
    escaped = _INLINE_RE.sub(lambda m: _INLINE[m.group(0)], text)
    number = _LIST_NUMBER.match(escaped)
    if number:
        return f"{number.group(1)}\\.{escaped[number.end():]}"
    first = escaped[:1]
    if first in _LINE_START:
        return _LINE_START[first] + escaped[1:]
    return escaped


def render(article: RawArticle) -> str:
    """The whole Markdown file: metadata block, blank line, one escaped paragraph per body paragraph."""
    lines = []
    for key, attr in METADATA_ORDER:
        value = getattr(article, attr)
        if value:
            text = collapse(str(value))
            if key == "Title":
                text = html.escape(text, quote=False)  # Pelican reads a title as HTML
            lines.append(f"{key}: {text}")
    paragraphs = (escape_paragraph(collapse_lines(p)) for p in article.body)
    return reimport.stamp("\n".join(lines) + "\n\n" + "\n\n".join(paragraphs) + "\n")


def collapse_lines(paragraph: str) -> str:
    """A paragraph on one line: any newline becomes a space (surrounding whitespace removed)."""
    return " ".join(part.strip() for part in paragraph.strip().split("\n") if part.strip())


def write(article: RawArticle, out_dir: Path, *, force: bool = False) -> tuple[Path, reimport.Outcome]:
    """Write ``article`` to ``out_dir / <slug>.md`` unless that file was edited since it was imported (or is the
    same already); return the path and what was done. ``force`` overwrites an edited file.

    The slug must already be safe (see :mod:`.naming`); it is checked again so no name can leave ``out_dir``.
    """
    if not _SAFE_SLUG.fullmatch(article.slug):
        raise ValueError(f"unsafe slug {article.slug!r}")
    target = out_dir / f"{article.slug}.md"
    text = render(article)
    outcome = reimport.decide(target, text, force=force)
    if outcome in (reimport.Outcome.WRITTEN, reimport.Outcome.UPDATED, reimport.Outcome.OVERWRITTEN):
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return target, outcome
