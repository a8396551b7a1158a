"""Plain-text news (``.txt``): one article per file, as scraped or as wire copy.

The file says nothing explicitly: the headline, dateline and outlet are recognised by shape, and the file stem
becomes the slug (``000_fa60939e11ccadc3.txt`` -> ``000_fa60939e11ccadc3``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .assemble import Stated, assemble
from .boilerplate import is_marker_line
from .decoding import decode
from .paragraphs import split_paragraphs
from .records import RawArticle
from .rules import Rules


def parse_plaintext(text: str, stated: Stated, rules: Rules) -> RawArticle | None:
    """One article from raw text (None, with a warning, when there is no article text)."""
    paragraphs = split_paragraphs(text, stands_alone=lambda line: is_marker_line(line, rules))
    return assemble(paragraphs, stated, rules, find_headline=True)


def read_plaintext(path: Path, rules: Rules) -> Iterator[RawArticle]:
    """Read one ``.txt`` file. Raises OSError when the file cannot be read (the caller warns and goes on)."""
    text = decode(path.read_bytes(), str(path))
    stated = Stated(slug=path.stem, origin=str(path), imported_from=path.name)
    article = parse_plaintext(text, stated, rules)
    if article is not None:
        yield article
