"""The plugin's connections to Pelican's signals, each a few lines that hand over to the stages.

* ``initialized``: check the settings (one message naming a bad one), open the build state and the output ledger,
  and start the extraction workers at once when content files are new or changed (spaCy loads while Pelican reads);
* ``readers_init``: read Markdown tolerantly (bad bytes, bad dates cost a warning, not the article);
* ``article_generator_context``: keep articles without a date, honestly (``dates.py``);
* ``content_object_init``: sanitise every article, draft and page with an allow-list (``cleaning.py``);
* ``get_generators`` / ``get_writer``: the plugin's generator, and Pelican's writer with the memo;
* ``generator_init``: every generator's templates load last build's compiled code (``bytecode.py``);
* ``content_written`` / ``feed_written``: every file a build writes goes into the ledger;
* ``finalized``: finish the search index, remove what the last build wrote and this one did not, keep the state.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pelican import signals

from .. import settings as settings_mod
from ..build.outputs import relative
from . import runs, search_job
from .cleaning import sanitise_content
from .dates import mark_unknown_date
from .reader import use_tolerant_reader

logger = logging.getLogger(__name__)


def initialized(pelican: Any) -> None:
    try:
        settings_mod.load(pelican.settings)
    except settings_mod.SettingsError as exc:
        raise SystemExit(f"news_archive: {exc}") from None
    run = runs.start(pelican.settings, pelican.output_path, list(getattr(pelican, "plugins", [])))
    if run.removed_temporaries:
        logger.info("news_archive: removed %d temporary files an interrupted build left in %s",
                    len(run.removed_temporaries), pelican.output_path)
    expected = run.expected_misses()
    if expected:
        run.start_extractor(expected)


def compiled_templates(generator: Any) -> None:
    """Each generator's templates load the code Jinja compiled last build (kept in the build state)."""
    run = runs.current(generator.settings)
    if run is not None:
        from .bytecode import keep_compiled

        keep_compiled(getattr(generator, "env", None), run.state)


def get_generators(pelican: Any) -> type:
    from .generator import NewsArchiveGenerator

    return NewsArchiveGenerator


def get_writer(pelican: Any) -> type:
    from .writer import MemoWriter

    return MemoWriter


def written(path: str, **_: Any) -> None:
    run = runs.for_path(path)
    if run is None:
        return
    name = relative(run.output_path, path)
    # The memo writer has counted the pages it wrote or kept: only other writers' files are looked at.
    if name not in run.ledger.current and os.path.isfile(path):
        run.ledger.wrote(name)


def finalized(pelican: Any) -> None:
    run = runs.end(pelican.settings)
    if run is None:
        return
    try:
        search_job.finish(run, getattr(run, "search", None))
        removed = run.finish()
        if removed:
            logger.info("news_archive: removed %d files the last build wrote and this one does not", len(removed))
    finally:
        run.close()


def register() -> None:
    signals.initialized.connect(initialized)
    signals.readers_init.connect(use_tolerant_reader)
    signals.article_generator_context.connect(mark_unknown_date)
    signals.content_object_init.connect(sanitise_content)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(compiled_templates)
    signals.get_writer.connect(get_writer)
    signals.content_written.connect(written)
    signals.feed_written.connect(written)
    signals.finalized.connect(finalized)
