"""Bytes to text without losing an article over a bad byte.

Scraped files are sometimes mis-encoded. Refusing the file would lose the whole article for one bad byte;
decoding silently would hide the damage. So: UTF-8 when it is valid, else a declared charset when there is one,
else UTF-8 with U+FFFD replacement characters and a warning naming the file.
"""

from __future__ import annotations

import codecs

from .log import get_logger

logger = get_logger(__name__)


def decode(data: bytes, origin: str, declared: str | None = None) -> str:
    """Decode ``data`` (see the module docstring for the order); ``origin`` names the input in the warning."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        first_error = err
    if declared:
        try:
            codecs.lookup(declared)
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    logger.warning("%s: invalid UTF-8 (first bad byte at offset %d); bad bytes replaced with U+FFFD",
                   origin, first_error.start)
    return data.decode("utf-8-sig", errors="replace")
