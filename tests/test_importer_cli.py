"""``news-archive import``: exit codes, the summary line, bad inputs that must not stop an import."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pelican.plugins.news_archive.importer.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "importer"
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578-train.jsonl.gz"


def test_imports_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "content"
    assert main(["import", str(FIXTURES), "-o", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"wire_story.md", "scraped_story.md", "article.md", "story-1.md", "story-1-2.md", "gz-1.md"} <= names
    assert "empty.md" not in names and "title_only.md" not in names
    captured = capsys.readouterr()
    assert captured.out == ""
    last = captured.err.strip().splitlines()[-1]
    assert last.startswith("news-archive: INFO: imported 20 articles from 13 files into ")
    assert "empty.txt: skipped" in captured.err


def test_quiet_keeps_only_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIXTURES / "empty.txt"), str(FIXTURES / "wire_story.txt"), "-q",
                 "-o", str(tmp_path)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "imported 1 article from 2 files" in err[0]


def test_output_is_deterministic(tmp_path: Path) -> None:
    assert main(["import", str(FIXTURES), "-o", str(tmp_path / "a")]) == 0
    assert main(["import", str(FIXTURES), "-o", str(tmp_path / "b")]) == 0
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_rerun_overwrites_instead_of_renaming(tmp_path: Path) -> None:
    assert main(["import", str(FIXTURES / "wire_story.txt"), "-o", str(tmp_path)]) == 0
    assert main(["import", str(FIXTURES / "wire_story.txt"), "-o", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["wire_story.md"]


def test_nothing_importable_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIXTURES / "empty.txt"), str(tmp_path / "missing.txt"), "-o",
                 str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "missing.txt: skipped: no such file or folder" in err
    assert "imported 0 articles" in err


def test_unsupported_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    assert main(["import", str(other), str(FIXTURES / "wire_story.txt"), "-o", str(tmp_path / "out")]) == 0
    assert "notes.pdf: skipped: not a supported input" in capsys.readouterr().err


def test_unreadable_file_is_warned_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "wire_story.txt", folder / "good.txt")
    shutil.copy(FIXTURES / "wire_story.txt", folder / "locked.txt")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert main(["import", str(folder), "-o", str(tmp_path / "out")]) == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.md"]
    assert "locked.txt: cannot be read or written: Permission denied" in capsys.readouterr().err


def test_hidden_folders_and_the_output_folder_are_not_inputs(tmp_path: Path) -> None:
    (tmp_path / ".venv").mkdir()
    shutil.copy(FIXTURES / "wire_story.txt", tmp_path / ".venv" / "hidden.txt")
    shutil.copy(FIXTURES / "wire_story.txt", tmp_path / "visible.txt")
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(FIXTURES / "relative_date.txt", out / "old.txt")
    assert main(["import", str(tmp_path), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["old.txt", "visible.md"]


@pytest.mark.parametrize("argv", [[], ["import"], ["import", "x.txt"], ["export", "x", "-o", "y"],
                                  ["import", "x.txt", "-o", "y", "-q", "-v"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_output_that_is_a_file_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert main(["import", str(FIXTURES / "wire_story.txt"), "-o", str(target)]) == 2


def test_logging_is_left_as_it_was(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Calling main() in-process must not swallow later log records (it restores the logging set-up)."""
    assert main(["import", str(FIXTURES / "wire_story.txt"), "-o", str(tmp_path), "-q"]) == 0
    import logging

    logging.getLogger("pelican.plugins.news_archive.importer.assemble").warning("after main")
    assert "after main" in caplog.text


@pytest.mark.skipif(not REUTERS.exists(), reason="shared Reuters data not available")
def test_whole_reuters_export(tmp_path: Path) -> None:
    """All 13,585 records import, streamed, with no indented (code-block) lines and no wire sign-offs."""
    assert main(["import", str(REUTERS), "-o", str(tmp_path), "-q"]) == 0
    files = os.listdir(tmp_path)
    assert len(files) == 13585
    for name in files[::50]:
        text = (tmp_path / name).read_text(encoding="utf-8")
        _, _, body = text.partition("\n\n")
        assert not any(line.startswith("    ") for line in body.splitlines())
        assert not body.rstrip().lower().endswith(("\nreuter", "\nreuters"))
