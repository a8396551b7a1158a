"""archive.json lists every tag of an article, best first; NEWS_ARCHIVE_MAX_TAGS only limits what a page shows.

A real Pelican build of the seed archive with a small page limit: the export must still hold the article's whole
tag list, and the article page must show no more than the limit.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from .conftest import ROOT, pelican_build

LIMIT = 3


def test_archive_json_keeps_every_tag_while_pages_show_the_limit(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    result = pelican_build(content, tmp_path / "out", "-e", f"NEWS_ARCHIVE_MAX_TAGS={LIMIT}",
                           cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout
    archive = json.loads((tmp_path / "out" / "archive.json").read_text(encoding="utf-8"))
    longest = max(archive["articles"], key=lambda a: len(a["entities"]))
    assert len(longest["entities"]) > LIMIT  # the export is not cut to the page limit
    html = (tmp_path / "out" / longest["url"]).read_text(encoding="utf-8") if longest["url"].endswith(".html") \
        else (tmp_path / "out" / longest["url"] / "index.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="tags".*?</section>', html, re.S)
    assert section is not None
    shown = re.findall(r'data-pagefind-filter="entity">([^<]*)<', section.group(0))
    assert len(shown) == LIMIT  # the page shows the first LIMIT tags (grouped by type, so in another order)
    assert {html_unescape(n) for n in shown} <= {e["name"] for e in longest["entities"][:LIMIT]}


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)
