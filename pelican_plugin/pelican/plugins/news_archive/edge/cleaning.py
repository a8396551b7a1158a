"""Every article, draft, translation and page is sanitised as Pelican makes it (``content_object_init``), before
any template, feed, summary or the analysis reads it: the body and every formatted metadata field (the summary).

Pages are the site's own writing and trusted only when ``NEWS_ARCHIVE_TRUST_PAGES`` says so; everything under
``content/`` is untrusted by default. What was removed is said once per file.
"""

from __future__ import annotations

import logging
from typing import Any

from .. import settings as settings_mod
from ..site.sanitise import sanitise_html
from . import runs

logger = logging.getLogger(__name__)


def _is_text(instance: Any) -> bool:
    from pelican.contents import Page, Static

    return not isinstance(instance, Static) and (
        not isinstance(instance, Page) or not settings_mod.load(instance.settings).trust_pages)


def sanitise_content(instance: Any) -> None:
    """``content_object_init``: replace the body and formatted fields of an article or page by their clean HTML."""
    if not _is_text(instance):
        return
    run = runs.current(instance.settings)
    sanitise = sanitise_html if run is None else (lambda html: run.sanitised(html, sanitise_html))
    removed: list[str] = []
    body = getattr(instance, "_content", None)
    if body:
        instance._content, gone = sanitise(body)
        removed += gone
    for field in instance.settings.get("FORMATTED_FIELDS", ()):
        value = instance.metadata.get(field)
        if isinstance(value, str) and value:
            clean, gone = sanitise(value)
            if gone:
                instance.metadata[field] = clean
                setattr(instance, "_summary" if field == "summary" else field, clean)
                removed += gone
    if removed:
        logger.warning("news_archive: %s contains active or unknown content (%s); removed before publishing",
                       getattr(instance, "source_path", "?"), ", ".join(sorted(set(removed))))
