"""Articles whose date is unknown: published, honestly, and never listed under a made-up date.

Pelican needs a date to write an article and skips one without it. A news archive keeps such an article: it gets
:data:`UNKNOWN_DATE`, a date object that any theme or plugin formats as "Date unknown" (``strftime``), is flagged
``date_unknown``, and is published with Pelican's ``hidden`` status, so that no listing by date (index, archives,
feeds, period archives) places it anywhere: the plugin lists it on its own pages, as "Date unknown", and exports
``"date": null``. An editor's own status (draft, hidden) is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pelican.urlwrappers import Category

LABEL = "Date unknown"


class UnknownDate(dt.datetime):
    """A placeholder date: sorts before every real date and formats as "Date unknown" whatever the format."""

    def strftime(self, fmt: str, safe: bool = True) -> str:  # noqa: ARG002 - Pelican's signature
        return LABEL

    def __format__(self, fmt: str) -> str:
        return LABEL if fmt else super().__format__(fmt)

    def __reduce__(self) -> tuple[Any, ...]:
        return _unknown, ()


def _unknown() -> UnknownDate:
    return UNKNOWN_DATE


UNKNOWN_DATE = UnknownDate(1970, 1, 1, tzinfo=dt.UTC)


def mark_unknown_date(sender: Any, metadata: dict[str, Any]) -> None:
    """``article_generator_context``: keep dateless articles (see the module docstring); give a draft without a
    category the default one, because Pelican (4.x) writes drafts with their category and, when category pages are
    off (``CATEGORY_SAVE_AS = ""``), assigns none, which stops the build."""
    status = str(metadata.get("status", "")).lower()
    if not metadata.get("date"):
        metadata["date"] = UNKNOWN_DATE
        metadata["date_unknown"] = True
        if status not in ("draft", "hidden"):
            metadata["status"] = "hidden"
    else:
        metadata.setdefault("date_unknown", False)
    if status == "draft" and "category" not in metadata:
        settings = getattr(sender, "settings", {})
        metadata["category"] = Category(settings.get("DEFAULT_CATEGORY") or "misc", settings)
