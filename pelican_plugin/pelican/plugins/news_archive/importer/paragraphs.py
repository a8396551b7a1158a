"""Turn raw article text into clean paragraphs: control characters out, wrapped lines re-flowed.

Wire text (Reuters) wraps lines at ~70 columns and opens each paragraph with a 4-space indent; scraped text puts
one paragraph per line. Markdown would read the indent as a code block and the wraps as nothing at all, so the
importer settles paragraphs here, once, and the writer only ever sees single-line paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Control characters other than tab and newline (e.g. the Reuters end-of-text ``\x03``), and their numeric
# character references (``&#3;``) as some exports spell them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_REF = re.compile(r"&#(?:0*(?:[0-8]|1[1-9]|2\d|3[01]|127)|x0*(?:[0-8b-fB-F]|1[0-9a-fA-F]|7[fF]));")
# A line this long was never hard-wrapped, so its newline is a paragraph break, not a wrap.
_WRAP_WIDTH = 100


def clean_text(text: str) -> str:
    """Normalise newlines and drop control characters and byte-order marks; keep every visible character."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    text = _CONTROL_REF.sub("", text)
    return _CONTROL.sub("", text)


def split_paragraphs(text: str, *, stands_alone: Callable[[str], bool] | None = None) -> list[str]:
    """Split ``text`` into paragraphs and join wrapped lines with a single space.

    A paragraph ends at a blank line, and a line indented with spaces or a tab starts a new one (the wire
    convention). Inside a block, lines are joined when the block is hard-wrapped (no line longer than a wrapped
    line could be); otherwise every line is its own paragraph. Lines for which ``stands_alone`` is true (list
    markers such as "Read more:") split their block into single lines, so the titles under them stay separate.
    Paragraphs are stripped of surrounding whitespace; inner whitespace is kept as written.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in clean_text(text).split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        if line[:1] in (" ", "\t") and current:
            blocks.append(current)
            current = []
        current.append(line)
    if current:
        blocks.append(current)

    paragraphs: list[str] = []
    for block in blocks:
        lines = [line.strip() for line in block]
        one_per_line = len(lines) > 1 and (
            any(len(line) > _WRAP_WIDTH for line in lines[:-1])
            or (stands_alone is not None and any(stands_alone(line) for line in lines))
        )
        if one_per_line:
            paragraphs.extend(line for line in lines if line)
        else:
            joined = " ".join(line for line in lines if line)
            if joined:
                paragraphs.append(joined)
    return paragraphs


def collapse(value: str) -> str:
    """A single-line metadata value: every whitespace run (newlines included) becomes one space."""
    return " ".join(value.split())
