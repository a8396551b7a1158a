"""Hostile importer input (issue #15, item 7): deep nesting, huge trees, binary files, odd encodings.

Each case warns clearly and loses nothing that is real: the article's sentences come out verbatim, a binary
file is skipped by name instead of becoming an article with a garbage title.
"""

from __future__ import annotations

import logging
import random
import struct
import zlib
from pathlib import Path

import pytest
from pelican.plugins.news_archive.importer.cli import main
from pelican.plugins.news_archive.importer.html_input import read_html
from pelican.plugins.news_archive.importer.plaintext import read_plaintext
from pelican.plugins.news_archive.importer.rules import load_rules

RULES = load_rules()
SENTENCES = [
    "Dock workers in the port of Antwerp returned to work on Tuesday after the union accepted a pay rise.",
    "The strike had halted container traffic for nine days, the port authority said in a statement.",
    "Shipping lines said it would take about a week to clear the backlog of waiting vessels.",
]
ARTICLE = "".join(f"<p>{s}</p>" for s in SENTENCES)


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Port strike ends</title></head><body>{body}</body></html>"


def import_one(path: Path) -> list[str]:
    articles = list(read_html(path, RULES) if path.suffix == ".html" else read_plaintext(path, RULES))
    assert len(articles) == 1
    return articles[0].body


def test_a_page_nested_a_thousand_levels_deep_keeps_its_article(tmp_path: Path) -> None:
    depth = 1000
    html = page("<div>" * depth + f"<article>{ARTICLE}</article>" + "</div>" * depth)
    path = tmp_path / "deep.html"
    path.write_text(html, encoding="utf-8")
    body = import_one(path)
    for sentence in SENTENCES:
        assert sentence in body


def test_a_hundred_thousand_nested_divs_import_and_keep_the_text(tmp_path: Path) -> None:
    # Linear work only: a quadratic check over 100,000 nested elements would not finish in a test run.
    depth = 100_000
    html = page("<div>" * depth + ARTICLE + "</div>" * depth)
    path = tmp_path / "divs.html"
    path.write_text(html, encoding="utf-8")
    body = import_one(path)
    for sentence in SENTENCES:
        assert sentence in body


def _png() -> bytes:
    """A real 1×1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(("name", "data"), [
    ("image.html", _png()),
    ("image.txt", _png()),
    ("noise.html", random.Random(15).randbytes(4096)),
    ("noise.txt", random.Random(7).randbytes(4096)),
])
def test_binary_input_is_skipped_with_one_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  name: str, data: bytes) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / name).write_bytes(data)
    (inputs / "real.html").write_text(page(ARTICLE), encoding="utf-8")
    out = tmp_path / "content"
    assert main(["import", str(inputs), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["real.md"]  # no article made of the binary file
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if ": WARNING: " in line and name in line]
    assert len(warnings) == 1, err
    assert "not text" in warnings[0]
    summary = err.splitlines()[-1]
    assert "imported 1 article from 2 files" in summary and "1 skipped as not text" in summary, summary


def test_utf16_with_a_bom_imports_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.html"
    path.write_bytes(page(ARTICLE, '<meta charset="utf-16">').encode("utf-16"))  # Python writes the BOM
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    body = import_one(path)
    assert body == SENTENCES


def test_utf16_without_a_bom_declared_in_meta_imports_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "le.html"
    path.write_bytes(page(ARTICLE, '<meta charset="utf-16">').encode("utf-16-le"))
    body = import_one(path)
    assert body == SENTENCES


def test_utf16_text_file_imports_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("Port strike ends\n\n".encode("utf-16") + "\n\n".join(SENTENCES).encode("utf-16-le"))
    body = import_one(path)
    assert body == SENTENCES


def test_latin1_label_is_read_as_windows_1252(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Pages labelled ISO-8859-1 use windows-1252's curly quotes (0x93, 0x94) and dash (0x96); browsers read
    # them so. Read as Latin-1 they would be C1 control characters, and dropped as such.
    text = "\u201cThe caf\u00e9 is open again\u201d, the owner said \u2013 prices rose by 5 pct on Monday."
    html = page(f"<p>{text}</p><p>{SENTENCES[0]}</p>", '<meta http-equiv="Content-Type" '
                'content="text/html; charset=ISO-8859-1">')
    path = tmp_path / "legacy.html"
    path.write_bytes(html.encode("windows-1252"))
    with caplog.at_level(logging.WARNING):
        body = import_one(path)
    assert body == [text, SENTENCES[0]]
    assert "invalid UTF-8" not in caplog.text


def test_undeclared_legacy_encoding_is_detected(tmp_path: Path) -> None:
    text = ("Les dockers du port d\u2019Anvers ont repris le travail mardi apr\u00e8s que le syndicat a accept\u00e9 "
            "une hausse de salaire de quatre pour cent sur deux ans, a d\u00e9clar\u00e9 l\u2019autorit\u00e9 "
            "portuaire \u00e0 la presse.")
    path = tmp_path / "undeclared.html"
    path.write_bytes(page(f"<p>{text}</p><p>{text.replace('mardi', 'mercredi')}</p>").encode("windows-1252"))
    body = import_one(path)
    assert body[0] == text
