"""Every internal link of the built site resolves to a written file, whether the site is hosted at the domain root
or under a sub-path (SITEURL with a path), and the pages load nothing from another host.

Each HTML file is parsed with BeautifulSoup; every href/src/action is resolved the way a browser would, against
the page's own address, then mapped back to a file in the output folder. Fragments (#main, #type-person) must
name an element of the target page. Feeds and the sitemap are checked the same way.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, pelican_build

FAKE_ORIGIN = "http://archive.invalid"  # stands in for the host of a site built with SITEURL = ""
LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src",
              "form": "action", "use": "href", "image": "href", "video": "src", "audio": "src"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Things a page loads (as opposed to navigates to): these must never come from another host.
RESOURCE_TAGS = {"script", "img", "source", "iframe", "video", "audio", "image", "use"}


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plain-site") / "output"
    result = pelican_build(ROOT / "content", out, "-e", "PLUGINS=[]")
    assert result.returncode == 0, result.stdout
    return out


@pytest.fixture(params=["root", "sub-path", "without plugin"])
def built(request) -> tuple[Path, str]:
    """(output folder, SITEURL the site was built with)."""
    if request.param == "root":
        return request.getfixturevalue("seed_site"), ""
    if request.param == "sub-path":
        return request.getfixturevalue("subpath_site")
    return request.getfixturevalue("plain_site"), ""


class Site:
    def __init__(self, output: Path, site_url: str):
        self.output = output
        self.base = (site_url or FAKE_ORIGIN).rstrip("/") + "/"
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))

    def address(self, path: Path) -> str:
        """The URL a static server gives a file (a folder's index.html is served at the folder's URL)."""
        rel = path.relative_to(self.output).as_posix()
        return self.base + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)

    def resolve(self, page_address: str, url: str) -> tuple[str, Path | None, str]:
        """("internal"|"external"|"outside", file, fragment) for a link found on the page at ``page_address``."""
        target = urljoin(page_address, url.strip())
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            return "external", None, ""
        if not target.startswith(self.base) and target.split("#")[0].split("?")[0] + "/" != self.base:
            same_host = f"{parts.scheme}://{parts.netloc}" == self.origin
            return ("outside" if same_host else "external"), None, ""
        base_path = urlsplit(self.base).path
        rel = unquote(parts.path)[len(base_path):] if unquote(parts.path).startswith(base_path) else ""
        path = self.output / rel
        if rel == "" or rel.endswith("/") or path.is_dir():
            path = path / "index.html"
        return "internal", path, parts.fragment


@cache
def _ids(path: Path) -> frozenset[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return frozenset(el["id"] for el in soup.find_all(id=True))


def _check(site: Site, page: Path, url: str, tag: str, broken: list[str]) -> bool:
    if url.startswith(("mailto:", "tel:", "data:")):
        return False
    assert not url.lower().startswith("javascript:"), f"{page}: javascript: URL"
    kind, path, fragment = site.resolve(site.address(page), url)
    where = f"{page.relative_to(site.output)}: <{tag}> {url}"
    if kind == "outside":
        broken.append(f"{where} leaves the site's sub-path")
    elif kind == "external":
        if tag in RESOURCE_TAGS:
            broken.append(f"{where} loads from another host")
        return False
    elif not path.is_file():
        broken.append(f"{where} -> missing {path.relative_to(site.output)}")
    elif fragment and path.suffix == ".html" and unquote(fragment) not in _ids(path):
        broken.append(f"{where} -> no element with id {fragment!r}")
    return True


def test_every_link_resolves(built):
    output, site_url = built
    site = Site(output, site_url)
    broken: list[str] = []
    checked = 0
    pages = sorted(output.rglob("*.html"))
    assert pages
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in LINK_ATTRS.items():
            for el in soup.find_all(tag):
                url = el.get(attr) or el.get(f"xlink:{attr}")
                if url is None:
                    continue
                # A stylesheet or icon is loaded like a script; rel=canonical/alternate only has to resolve.
                loaded = tag == "link" and {"stylesheet", "icon", "preload"} & set(el.get("rel") or [])
                checked += _check(site, page, url, "script" if loaded else tag, broken)
        for el in soup.find_all(attrs={"data-bundle-path": True}):  # the search page's Pagefind bundles
            checked += _check(site, page, el["data-bundle-path"] + "shards.json", "script", broken)
            manifest = json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
            for bundle in manifest["bundles"]:
                checked += _check(site, page, el["data-bundle-path"] + bundle + "pagefind.js", "script", broken)
        for style in soup.find_all(style=re.compile(r"url\(")):
            broken.append(f"{page.relative_to(output)}: inline style loads {style['style']}")
    assert not broken, "\n".join(broken)
    assert checked > 5 * len(pages)


def test_feeds_and_sitemap_link_to_written_pages(built):
    output, site_url = built
    site = Site(output, site_url)
    broken: list[str] = []
    feeds = sorted(output.rglob("*.atom")) + sorted(output.rglob("*.atom.xml"))
    if not feeds:  # an archive without dated articles writes no feed, and so links none
        assert "application/atom+xml" not in (output / "index.html").read_text(encoding="utf-8")
    for feed in feeds:
        for link in ET.parse(feed).getroot().iter(f"{ATOM}link"):
            _check(site, feed, link.get("href"), "a", broken)
    sitemap = output / "sitemap.xml"
    if sitemap.exists():
        locs = [loc.text for loc in ET.parse(sitemap).getroot().iter(f"{SITEMAP}loc")]
        assert len(locs) > 5
        for loc in locs:
            _check(site, sitemap, loc, "a", broken)
    assert not broken, "\n".join(broken)


def test_css_loads_nothing_from_another_host():
    for css in (ROOT / "theme" / "static").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), css


def test_sub_path_pages_use_the_sub_path(subpath_site):
    output, site_url = subpath_site
    html = (output / "index.html").read_text(encoding="utf-8")
    assert f'href="{site_url}/theme/css/style.css"' in html
    assert f'action="{site_url}/search/"' in html
    search = (output / "search" / "index.html").read_text(encoding="utf-8")
    assert f'data-bundle-path="{site_url}/pagefind/"' in search
    assert 'data-base-url="/archive/"' in search
    data = json.loads((output / "archive.json").read_text(encoding="utf-8"))
    assert data["articles"] and not data["articles"][0]["url"].startswith("/")
