"""Re-import without losing an editor's work: every file records a digest of what the importer wrote.

The README invites editors to polish the Markdown the importer writes (a headline, a date, a typo). Importing
the same input again must not silently undo that. So each file ends its front matter with
``Imported_Digest:``, the digest of the file exactly as written (without that line). On the next import:

* the file is missing: it is written;
* the file still has the digest it was written with and the new text is the same: left alone (``unchanged``);
* the file still has its digest and the new text differs (the input or the importer changed): ``updated``;
* the file's text no longer matches its digest, or it has none (someone edited it, or the importer did not
  write it): ``kept`` and named, unless ``--force`` asks for it to be overwritten (``overwritten``).
"""

from __future__ import annotations

import hashlib
from enum import Enum
from pathlib import Path

DIGEST_KEY = "Imported_Digest"
_PREFIX = f"{DIGEST_KEY}: "


class Outcome(Enum):
    """What happened to one output file."""

    WRITTEN = "written"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"  # edited since it was imported; left as the editor made it
    OVERWRITTEN = "overwritten"  # edited, and replaced because --force was given


def digest(text: str) -> str:
    """The digest of a file's text (its digest line left out); short, as it only has to notice an edit."""
    return hashlib.sha256(_without_digest(text).encode("utf-8")).hexdigest()[:32]


def _without_digest(text: str) -> str:
    head, sep, body = text.partition("\n\n")
    lines = [line for line in head.split("\n") if not line.startswith(_PREFIX)]
    return "\n".join(lines) + sep + body


def recorded_digest(text: str) -> str | None:
    """The ``Imported_Digest:`` value in the front matter of ``text``, or None when there is none."""
    head = text.partition("\n\n")[0]
    for line in head.split("\n"):
        if line.startswith(_PREFIX):
            return line[len(_PREFIX):].strip()
    return None


def stamp(text: str) -> str:
    """``text`` (front matter, blank line, body) with its digest line added as the last metadata line."""
    head, sep, body = text.partition("\n\n")
    return f"{head}\n{_PREFIX}{digest(text)}{sep}{body}"


def is_edited(existing: str) -> bool:
    """True when ``existing`` is not as the importer wrote it (no digest, or text that no longer matches it)."""
    recorded = recorded_digest(existing)
    return recorded is None or recorded != digest(existing)


def decide(target: Path, new_text: str, *, force: bool) -> Outcome:
    """What to do with ``target`` given the stamped ``new_text`` (see the module docstring)."""
    try:
        existing = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Outcome.WRITTEN
    except UnicodeDecodeError:
        existing = None  # not text the importer wrote
    if existing is None or is_edited(existing):
        return Outcome.OVERWRITTEN if force else Outcome.KEPT
    return Outcome.UNCHANGED if existing == new_text else Outcome.UPDATED
