"""``news-archive analyse CONTENT``: fill a build's cache with the extractions it lacks, and write nothing else.

The articles are read exactly as ``pelican`` reads them — Pelican's own readers and the plugin's signals
(tolerant reader, undated articles, the sanitiser), then :func:`.documents.documents` — so every article gets
the extraction key a build will look for. The articles the build state lacks go to the extraction backend: the
Dask cluster of ``--scheduler`` (or ``NEWS_ARCHIVE_SCHEDULER``), else this machine's worker processes. The next
``pelican`` build with the same settings and cache then finds every extraction and never starts spaCy.

The content files' sizes and times are recorded as a build records them, so that build does not start
extraction workers early for files whose extractions are already in the cache.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Analysed:
    articles: int
    extracted: int  # distinct texts extracted now (the rest were in the build state)
    seconds: float


def read_articles(settings: dict[str, Any]) -> tuple[Any, list[Any]]:
    """Pelican (initialised: the plugin's run is started) and the articles a build of these settings analyses."""
    from pelican import Pelican
    from pelican.generators import ArticlesGenerator

    pelican = Pelican(settings)
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl=settings["SITEURL"])
    articles = ArticlesGenerator(context=context, settings=settings, path=pelican.path, theme=pelican.theme,
                                 output_path=pelican.output_path)
    articles.generate_context()
    hidden = [a for a in context.get("hidden_articles", []) if getattr(a, "date_unknown", False)]
    return pelican, list(context.get("articles", [])) + hidden


def analyse_content(content: str | Path, settings_file: str | None = None, *, scheduler: str | None = None,
                    overrides: dict[str, Any] | None = None) -> Analysed:
    """Extract what the cache of a build of ``content`` (with ``settings_file`` and ``overrides``) lacks."""
    from pelican.settings import read_settings

    from ..analysis.extraction.nlp import model_identity
    from ..analysis.pipeline import extract_only
    from . import runs
    from .documents import documents

    t = time.perf_counter()
    override = {"PATH": str(Path(content).resolve()), **(overrides or {})}  # as pelican takes it: from here
    if scheduler:
        override["NEWS_ARCHIVE_SCHEDULER"] = scheduler
    settings = read_settings(settings_file, override=override)
    pelican, articles = read_articles(settings)
    run = runs.current(pelican.settings)
    if run is None:
        raise SystemExit("news-archive analyse: the news_archive plugin was not initialised by these settings")
    try:
        docs = documents(articles, pelican.path)
        _, extracted = extract_only(docs.docs, run.options, run.state, model=model_identity(run.options.spacy_model),
                                    extractor=run.start_extractor)
        run.state.put_slot("content", "", run.content_stats)
        run.readings.flush()
    finally:
        runs.end(pelican.settings)
        run.close()
    return Analysed(len(docs.docs), extracted, time.perf_counter() - t)


def add_parser(commands: Any) -> None:
    """The ``analyse`` sub-command's arguments (beside ``import`` in ``news-archive``)."""
    cmd = commands.add_parser(
        "analyse", help="extract entities for the articles a build's cache lacks (on a Dask cluster with "
                        "--scheduler), so the next pelican build is warm",
        description="Read CONTENT as pelican does and store the extraction of every article the build cache "
                    "lacks; nothing is written to the output folder. With --scheduler the work goes to that Dask "
                    "cluster (pip install 'pelican-news-archive[cluster]').")
    cmd.add_argument("content", type=Path, metavar="CONTENT", help="the content folder pelican builds")
    cmd.add_argument("-s", "--settings", default=None, metavar="SETTINGS",
                     help="the pelicanconf.py the builds use (its CACHE_PATH and NEWS_ARCHIVE_* settings)")
    cmd.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: NEWS_ARCHIVE_SCHEDULER, "
                          "else worker processes of this machine)")
    cmd.add_argument("-e", "--extra-settings", nargs="*", default=[], metavar="KEY=JSON",
                     help="settings on top of SETTINGS, as pelican -e takes them (e.g. CACHE_PATH='\"cache\"')")


def main(args: argparse.Namespace) -> int:
    """Run ``analyse``; 0 when every article has an extraction, 2 for a usage error."""
    from ..settings import SettingsError

    overrides: dict[str, Any] = {}
    for item in args.extra_settings:
        key, sep, value = item.partition("=")
        if not sep:
            logger.error("-e takes KEY=JSON, not %r", item)
            return 2
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    if not args.content.is_dir():
        logger.error("%s is not a folder", args.content)
        return 2
    try:
        done = analyse_content(args.content, args.settings, scheduler=args.scheduler, overrides=overrides)
    except SettingsError as exc:
        logger.error("%s", exc)
        return 2
    logger.info("analysed %d articles: %d texts extracted, the rest found in the cache (%.1f s)",
                done.articles, done.extracted, done.seconds)
    return 0
