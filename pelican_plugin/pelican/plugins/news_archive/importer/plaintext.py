"""Plain-text news (``.txt``): one article per file, as scraped or as wire copy.

The file says nothing explicitly: the headline, dateline and outlet are recognised by shape, and the file stem
becomes the slug (``000_fa60939e11ccadc3.txt`` -> ``000_fa60939e11ccadc3``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .assemble import Stated, assemble
from .boilerplate import is_marker_line
from .datelines import parse_dateline
from .decoding import decode
from .paragraphs import split_paragraphs
from .records import RawArticle
from .rules import Rules

_DATELINE_LINES = 6  # a dateline on a line of its own sits under the headline, never further down


def _dateline_line_apart(text: str, rules: Rules) -> str:
    """A dateline that is a whole line ("Atlanta (CNN)") followed by the lede on the next line: a line break is
    its separator, so it is made a paragraph of its own instead of being joined to the lede's first line."""
    lines = text.split("\n")
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > _DATELINE_LINES:
            break
        parsed = parse_dateline(line.strip(), rules.datelines)
        if parsed is not None and not parsed[1] and index + 1 < len(lines) and lines[index + 1].strip():
            return "\n".join([*lines[: index + 1], "", *lines[index + 1:]])
    return text


def parse_plaintext(text: str, stated: Stated, rules: Rules) -> RawArticle | None:
    """One article from raw text (None, with a warning, when there is no article text)."""
    text = _dateline_line_apart(text, rules)
    paragraphs = split_paragraphs(text, stands_alone=lambda line: is_marker_line(line, rules))
    return assemble(paragraphs, stated, rules, find_headline=True)


def read_plaintext(path: Path, rules: Rules) -> Iterator[RawArticle]:
    """Read one ``.txt`` file. Raises OSError when it cannot be read, NotText when it is binary (the caller warns
    and goes on)."""
    text = decode(path.read_bytes(), str(path))
    stated = Stated(slug=path.stem, origin=str(path), imported_from=path.name)
    article = parse_plaintext(text, stated, rules)
    if article is not None:
        yield article
