"""Country flags as small SVG images, published beside the pages that show them.

Emoji flags are regional-indicator letters that only an emoji font draws; without one (most Linux desktops,
headless browsers) a reader sees empty boxes. The SVGs come from the flag-icons package of the npm registry
(7.5.0, MIT licence, ``data/flags/LICENSE``): its 4:3 flag of every country GeoNames knows, vendored under
``data/flags/`` as published, so a build needs no network and no Node. A build writes only the flags of the
countries it has pages for, at ``flags/<code>.svg``; a code without a vendored flag (a former country such as
"CS") has none, and its name is shown alone. Templates always write the name beside the flag, so the image is
decoration (``alt=""``).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

FLAGS = Path(__file__).resolve().parent.parent / "data" / "flags"
SAVE_AS = "flags/{code}.svg"


def _file(code: str) -> Path | None:
    code = code.lower()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    path = FLAGS / f"{code}.svg"
    return path if path.is_file() else None


@cache
def url(code: str) -> str:
    """The flag's address relative to the site root ("flags/ir.svg"), or "" when there is no flag for ``code``."""
    return SAVE_AS.format(code=code.lower()) if _file(code) else ""


def data(code: str) -> bytes:
    """The SVG of ``code``'s flag (it must have one: see :func:`url`)."""
    path = _file(code)
    if path is None:
        raise KeyError(code)
    return path.read_bytes()


@cache
def digest(code: str) -> str:
    """Digest of the flag file (the key of the written copy)."""
    return hashlib.sha256(data(code)).hexdigest()
