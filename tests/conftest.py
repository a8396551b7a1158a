"""Shared fixtures: the real spaCy model, and real Pelican builds of small content folders into tmp_path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pelican.plugins
import pytest

from .browser_support import CHROMIUM_ARGS, Watched, find_chromium

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCE = ROOT / "pelican_plugin" / "pelican" / "plugins"
# The tests run the working tree's plugin, not an installed copy: its folder comes first in the namespace package
# that Pelican discovers plugins in, here and (BOOT) in every `pelican` the tests start.
if str(SOURCE) not in list(pelican.plugins.__path__):
    pelican.plugins.__path__ = [str(SOURCE), *pelican.plugins.__path__]
BOOT = ("import sys, pelican.plugins; pelican.plugins.__path__ = [sys.argv.pop(1), *pelican.plugins.__path__]; "
        "from pelican import main; sys.argv[0] = 'pelican'; main()")


def pelican_build(content: Path, output: Path, *extra: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `pelican` command with the project's settings, as an editor would."""
    args = [sys.executable, "-c", BOOT, str(SOURCE), str(content), "-o", str(output), "-s",
            str(ROOT / "pelicanconf.py")]
    if cache is not None:
        args += ["-e", f"CACHE_PATH={json.dumps(str(cache))}"]
    args += list(extra)
    # A wide console keeps each log record on one line, so tests can match a warning and its file name.
    env = {**os.environ, "COLUMNS": "400"}
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, env=env)
    proc.stderr = proc.stdout  # Pelican logs through rich to stdout: tests read one combined log as "stderr"
    return proc


def build(content: Path, output: Path, cache: Path | None = None, **settings: object) -> dict:
    """A real Pelican build in this process (as the pelican-plugins' own tests do): the project's settings with
    ``settings`` on top; returns the settings the build ran with."""
    from pelican import Pelican
    from pelican.settings import read_settings

    override = {"PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(cache or output.parent / "cache"),
                **settings}
    final = read_settings(str(ROOT / "pelicanconf.py"), override=override)
    Pelican(final).run()
    return final


@pytest.fixture(scope="session")
def nlp():
    from pelican.plugins.news_archive.analysis.extraction.nlp import load_model

    return load_model(None)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The seed archive (content/) built once per test session with the plugin."""
    out = tmp_path_factory.mktemp("seed-site")
    content = tmp_path_factory.mktemp("seed-content")
    shutil.copytree(ROOT / "content", content, dirs_exist_ok=True)
    result = pelican_build(content, out / "output", cache=out / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "output"


@pytest.fixture(scope="session")
def seed_archive(seed_site) -> dict:
    return json.loads((seed_site / "archive.json").read_text(encoding="utf-8"))


class StaticServer:
    """A static file server (http.server) on 127.0.0.1 in a thread, as any static host would serve the site."""

    def __init__(self, directory: Path):
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

        handler = functools.partial(Quiet, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def seed_server(seed_site):
    """The seed site served at the domain root; yields the base URL with a trailing slash."""
    server = StaticServer(seed_site)
    yield server.url + "/"
    server.close()


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory):
    """The seed archive built for, and served under, a sub-path: (output folder, SITEURL). The server starts first
    so that SITEURL can name its port; the site is written to <root>/archive."""
    root = tmp_path_factory.mktemp("subpath-root")
    server = StaticServer(root)
    site_url = f"{server.url}/archive"
    cache = tmp_path_factory.mktemp("subpath-cache")
    result = pelican_build(ROOT / "content", root / "archive", "-e", f"SITEURL={json.dumps(site_url)}", cache=cache)
    assert result.returncode == 0, result.stdout
    yield root / "archive", site_url
    server.close()


def extract(docs, nlp) -> dict:
    """The extraction stage over ``docs`` in this process (the real model; no build state)."""
    from pelican.plugins.news_archive.analysis.extraction.extract import extract_docs
    from pelican.plugins.news_archive.analysis.extraction.workers import readable_doc

    ready = [readable_doc(d)[0] for d in docs]
    return {ex.key: ex for ex in extract_docs(nlp, ready)}


def use_working_tree(source: str) -> None:
    """Run in a Dask worker process: import the working tree's plugin there too (as this conftest does here)."""
    import pelican.plugins as plugins

    if source not in list(plugins.__path__):
        plugins.__path__ = [source, *plugins.__path__]


DATED = {"003": "2021-04-07 08:00", "000": "2021-04-07 15:30", "002": "2021-05-20"}  # 001, 004 undated


@pytest.fixture(scope="session")
def dated_seed_server(tmp_path_factory):
    """The seeds with three of them dated (a story with dated reports out of file order and an undated one, so
    coverage charts, time order and feeds have something to show), served, built with the server's address as
    FEED_DOMAIN as `make html` does: (output folder, base URL with a trailing slash)."""
    root = tmp_path_factory.mktemp("dated-seed-root")
    content = tmp_path_factory.mktemp("dated-seed-content")
    shutil.copytree(ROOT / "content", content, dirs_exist_ok=True)
    for prefix, date in DATED.items():
        [md] = content.glob(f"{prefix}_*.md")
        md.write_text(md.read_text(encoding="utf-8").replace("Date_Status: unknown", f"Date: {date}"),
                      encoding="utf-8")
    server = StaticServer(root / "output")
    # one -e with every setting: Pelican keeps only the last -e it is given
    result = pelican_build(content, root / "output", "-e", f"FEED_DOMAIN={json.dumps(server.url)}",
                           f"CACHE_PATH={json.dumps(str(root / 'cache'))}")
    assert result.returncode == 0, result.stdout
    yield root / "output", server.url + "/"
    server.close()


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser tests must run (apt-get install chromium)")
    pytest.skip(f"{reason} (apt-get install chromium to run the browser tests)")


@pytest.fixture(scope="module")
def browser():
    exe = find_chromium()
    if exe is None:
        _unavailable("chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def watched(browser):
    pages: list[Watched] = []

    def make(**kwargs) -> Watched:
        pages.append(Watched(browser, **kwargs))
        return pages[-1]

    yield make
    for w in pages:
        w.close()
