"""Bytes to text without losing an article over a bad byte, and without reading a binary file as an article.

Scraped files are sometimes mis-encoded, sometimes UTF-16 (Windows tools save "Unicode" so), sometimes not text
at all (an image saved under a page's name). The encoding is decided before anything is parsed, by the order
browsers use (the WHATWG encoding sniffing rules, shortened):

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
2. UTF-16 without a mark, recognised by its zero bytes between ASCII letters: its markup cannot even be read
   until it is decoded, so a ``<meta charset="utf-16">`` inside is found only this way;
3. HTML only: the charset the page declares (``<meta charset>`` or ``http-equiv``), with ISO-8859-1 and ASCII
   read as windows-1252, as browsers do (pages labelled Latin-1 use its curly quotes, 0x93/0x94);
4. UTF-8 when the bytes are valid UTF-8;
5. HTML only: detection (charset-normalizer) for a page that declares nothing and is not UTF-8;
6. else UTF-8 with U+FFFD replacement characters and a warning naming the file: refusing the file would lose
   the whole article for one bad byte, decoding silently would hide the damage.

A file that is not text (many zero or control bytes, or an image/archive signature) raises
:class:`NotText`; the import skips it with one warning instead of inventing an article from garbage.
"""

from __future__ import annotations

import codecs

from bs4.dammit import EncodingDetector

from .log import get_logger

logger = get_logger(__name__)

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
               (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"),
               (b"RIFF", "a RIFF (WebP, WAV, AVI) file"), (b"\x7fELF", "an executable"))
_SAMPLE = 8192  # bytes looked at to tell text from binary and UTF-16 from anything else
# Control bytes other than tab, newline, form feed and carriage return; text has next to none of them.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_MAX_CONTROL_SHARE = 0.05
# Labels browsers read as windows-1252 (WHATWG Encoding Standard): its 0x80-0x9F are letters and quotes, not C1
# controls, and pages labelled Latin-1 use them.
_AS_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii",
                              "iso_8859-1", "cp819", "ibm819", "windows-1252", "cp1252"})


class NotText(ValueError):
    """The file holds binary data, not text; ``what`` says what it looks like."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when zero bytes sit at every other position, as in UTF-16 ASCII text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.8 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.8 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text looks like ("a PNG image", "binary data"), or None for text."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return what
    sample = data[:_SAMPLE]
    if not sample or _bom(sample) or _utf16_without_bom(sample):
        return None
    controls = sum(sample.count(byte) for byte in _CONTROL_BYTES)
    if controls > _MAX_CONTROL_SHARE * len(sample):  # a stray zero byte in scraped text is not enough
        return "binary data"
    return None


def _declared(data: bytes) -> str | None:
    """The charset the page declares, checked to be one Python knows (browser aliases applied)."""
    label = EncodingDetector.find_declared_encoding(data, is_html=True)
    if not label:
        return None
    label = label.strip().casefold()
    if label in _AS_WINDOWS_1252:
        return "windows-1252"
    if label.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page whose markup could be read as ASCII is not UTF-16, whatever it says (WHATWG)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 20 * _SAMPLE]).best()
    return best.encoding if best is not None else None


def decode(data: bytes, origin: str, *, html: bool = False) -> str:
    """Decode ``data`` (see the module docstring for the order); ``origin`` names the input in warnings.

    Raises :class:`NotText` for binary data.
    """
    kind = binary_kind(data)
    if kind:
        raise NotText(kind)
    encoding = _bom(data) or _utf16_without_bom(data[:_SAMPLE]) or (_declared(data) if html else None)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            logger.debug("%s: not valid %s; trying other encodings", origin, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first_error = err
    detected = _detected(data) if html else None
    if detected:
        logger.info("%s: not UTF-8 and no charset declared; read as %s (detected)", origin, detected)
        return data.decode(detected, errors="replace")
    logger.warning("%s: invalid UTF-8 (first bad byte at offset %d); bad bytes replaced with U+FFFD",
                   origin, first_error.start)
    return data.decode("utf-8", errors="replace")
