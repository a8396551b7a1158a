"""The five seed articles through the importer: every article sentence survives, the furniture goes.

The expectations here are written out by hand from reading the seeds (which lines are boilerplate, which
prefix is a dateline), independently of the importer's rules, so a rule change that eats a real sentence or
lets furniture through fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from pelican.plugins.news_archive.importer.pipeline import import_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CONTENT = ROOT / "content"

# Paragraphs of the seeds that are page furniture, not article text.
BOILERPLATE = {
    "Related news:",
    "Europeans, with their silence, are involved in the assassination of Gen. Soleimani.",
    "Read more:",
    "Read More:",
    "Tajik Defense Minister arrives in Tehran",
    "FM Zarif, Tajik President stress boosting ties",
    "Counter-terrorism; priority for Iran-Tajikistan cooperation: Top Cmdr",
    "News ID 689019",
    "Your Comment",
    "You are replying to: .",
}
# Text at the start of a paragraph that is a dateline or a glued byline (metadata, not prose).
PREFIXES = ("Tehran (IP) - ", "Dushanbe(IP) - ", "Iran (IMNA) - ", "Iran PressIran news:", "Iran PressCommentary:")

EXPECTED = {
    "000_fa60939e11ccadc3": {"source": "Iran Press", "dateline": "Tehran (IP) -", "title_derived": "lede"},
    "001_a10b42cb393e5489": {"source": None, "dateline": None, "title_derived": "lede"},
    "002_4776d62a20950e61": {"source": "Iran Press", "dateline": "Dushanbe(IP) -", "title_derived": "lede"},
    "003_4089aef8d3b393d2": {"source": None, "dateline": None, "title_derived": "lede"},
    "004_a246696de19a571b": {"source": "IMNA", "dateline": "Iran (IMNA) -", "title_derived": None,
                             "title": "Relations with Iran reaching new highs"},
}


def expected_paragraphs(seed: Path) -> list[str]:
    """The seed's article paragraphs as a reader should see them, worked out without the importer."""
    paragraphs = [p.strip() for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    if seed.stem.startswith("004"):
        paragraphs = paragraphs[1:]  # the headline, which becomes the title
    out = []
    for para in paragraphs:
        if para in BOILERPLATE:
            continue
        for prefix in PREFIXES:
            if para.startswith(prefix):
                para = para[len(prefix):].strip()
        out.append(para)
    return out


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    head, _, body = text.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        meta[key] = value
    return meta, body


def rendered_paragraphs(body: str) -> list[str]:
    html = markdown.markdown(body, extensions=["extra"], output_format="html5")
    return [p.get_text() for p in BeautifulSoup(html, "html.parser").find_all("p")]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("content")
    stats = import_paths([SEEDS], out)
    assert stats.articles == 5
    return out


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_every_article_sentence_survives(imported: Path, stem: str) -> None:
    _, body = split_front_matter((imported / f"{stem}.md").read_text(encoding="utf-8"))
    text = "\n".join(rendered_paragraphs(body))
    for para in expected_paragraphs(SEEDS / f"{stem}.txt"):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", para):
            assert sentence in text, f"lost from {stem}: {sentence!r}"


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_body_is_exactly_the_article(imported: Path, stem: str) -> None:
    _, body = split_front_matter((imported / f"{stem}.md").read_text(encoding="utf-8"))
    assert rendered_paragraphs(body) == expected_paragraphs(SEEDS / f"{stem}.txt")
    assert not any(line.startswith("    ") for line in body.splitlines())


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_metadata(imported: Path, stem: str) -> None:
    meta, _ = split_front_matter((imported / f"{stem}.md").read_text(encoding="utf-8"))
    want = EXPECTED[stem]
    assert meta["Slug"] == stem
    assert meta.get("Source") == want["source"]
    assert meta.get("Dateline") == want["dateline"]
    assert meta.get("Title_Derived") == want["title_derived"]
    assert "Date" not in meta  # no seed states a date
    assert meta["Date_Status"] == "unknown"
    assert meta["Imported_From"] == f"{stem}.txt"
    if "title" in want:
        assert meta["Title"] == want["title"]
    else:
        lede = expected_paragraphs(SEEDS / f"{stem}.txt")[0]
        assert meta["Title"].rstrip("…") in lede


def test_quoted_agencies_are_not_the_source(imported: Path) -> None:
    for stem in ("001_a10b42cb393e5489", "003_4089aef8d3b393d2"):
        meta, _ = split_front_matter((imported / f"{stem}.md").read_text(encoding="utf-8"))
        assert "Source" not in meta


def test_boilerplate_is_gone(imported: Path) -> None:
    for path in imported.glob("*.md"):
        _, body = split_front_matter(path.read_text(encoding="utf-8"))
        text = "\n".join(rendered_paragraphs(body))
        for furniture in BOILERPLATE | {"Iran Press", "News ID"}:
            assert furniture not in text, f"{furniture!r} left in {path.name}"


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_committed_content_is_current(imported: Path, stem: str) -> None:
    """content/ holds exactly what the importer makes of the seeds (re-run the import after a rule change)."""
    committed = CONTENT / f"{stem}.md"
    assert committed.exists(), "run: news-archive import seeds -o content"
    assert committed.read_text(encoding="utf-8") == (imported / f"{stem}.md").read_text(encoding="utf-8")

