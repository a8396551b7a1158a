"""Re-import is safe: an editor's changes survive, unchanged input leaves files alone, --force overwrites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pelican.plugins.news_archive.importer.cli import main
from pelican.plugins.news_archive.importer.naming import safe_slug
from pelican.plugins.news_archive.importer.reimport import digest, is_edited, recorded_digest

FIXTURES = Path(__file__).parent / "fixtures" / "importer"


def run(*args: str) -> int:
    return main(["import", *args])


@pytest.fixture()
def imported(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIXTURES / "wire_story.txt", src / "wire_story.txt")
    shutil.copy(FIXTURES / "relative_date.txt", src / "relative_date.txt")
    out = tmp_path / "content"
    assert run(str(src), "-o", str(out)) == 0
    return src, out


def summary(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_written_file_records_its_own_digest(imported: tuple[Path, Path]) -> None:
    _, out = imported
    text = (out / "wire_story.md").read_text(encoding="utf-8")
    assert recorded_digest(text) == digest(text)
    assert not is_edited(text)
    assert is_edited(text.replace("Harbour board", "Port board"))


def test_unchanged_input_leaves_files_alone(imported: tuple[Path, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    src, out = imported
    capsys.readouterr()
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert run(str(src), "-o", str(out)) == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert "0 written, 0 updated, 2 unchanged" in summary(capsys)


def test_hand_edited_title_survives_a_reimport(imported: tuple[Path, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    src, out = imported
    target = out / "wire_story.md"
    edited = target.read_text(encoding="utf-8").replace(
        "Title: Harbour board orders four new cranes", "Title: Rotterdam orders four cranes from Acme")
    target.write_text(edited, encoding="utf-8")
    (src / "wire_story.txt").write_text((src / "wire_story.txt").read_text(encoding="utf-8") + "\nOne more.\n",
                                        encoding="utf-8")
    capsys.readouterr()
    assert run(str(src), "-o", str(out)) == 0
    assert target.read_text(encoding="utf-8") == edited
    line = summary(capsys)
    assert "1 kept as edited (wire_story.md)" in line


def test_changed_input_updates_an_unedited_file(imported: tuple[Path, Path],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    src, out = imported
    (src / "wire_story.txt").write_text((src / "wire_story.txt").read_text(encoding="utf-8")
                                        + "\nA new closing paragraph.\n", encoding="utf-8")
    capsys.readouterr()
    assert run(str(src), "-o", str(out)) == 0
    text = (out / "wire_story.md").read_text(encoding="utf-8")
    assert text.rstrip().endswith("A new closing paragraph.")
    assert not is_edited(text)
    assert "0 written, 1 updated, 1 unchanged" in summary(capsys)


def test_force_overwrites_edits(imported: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    src, out = imported
    target = out / "wire_story.md"
    target.write_text(target.read_text(encoding="utf-8").replace("Harbour", "Port"), encoding="utf-8")
    capsys.readouterr()
    assert run(str(src), "-o", str(out), "--force") == 0
    assert "Title: Harbour board orders four new cranes" in target.read_text(encoding="utf-8")
    assert "1 edited overwritten by --force (wire_story.md)" in summary(capsys)


def test_a_file_without_a_digest_is_not_overwritten(imported: tuple[Path, Path]) -> None:
    """A Markdown file the importer did not write (or wrote before digests) is an editor's until --force."""
    src, out = imported
    target = out / "wire_story.md"
    target.write_text("Title: Written by hand\n\nText.\n", encoding="utf-8")
    assert run(str(src), "-o", str(out)) == 0
    assert target.read_text(encoding="utf-8") == "Title: Written by hand\n\nText.\n"


@pytest.mark.parametrize(("value", "slug"), [
    ("Москва 2024", "moskva-2024"),
    ("Ибрагим Раиси", "ibragim-raisi"),
    ("ÉCO-12", "eco-12"),
    ("000_fa60939e11ccadc3", "000_fa60939e11ccadc3"),
])
def test_slugs_transliterate(value: str, slug: str) -> None:
    assert safe_slug(value) == slug
