"""What Pelican's Markdown reader made of each source file (its HTML and its raw metadata), kept for the next build.

Reading is most of what a rebuild costs once the plugin's own stages are incremental: Python-Markdown turns every
file into HTML again, though a correction changes one. A reading is kept as a record keyed by the file's bytes and
by everything else the HTML follows from: the ``MARKDOWN`` setting, the versions of Pelican, Python-Markdown and
Pygments (code highlighting) and of the packages its extensions come from, and the plugin's code. The metadata is
kept as the raw strings the ``meta`` extension found, never as Pelican's objects: the reader turns them into dates,
tags and authors again on every build, so a warning about a bad date is given again and a changed ``TIMEZONE``
takes effect. A ``MARKDOWN`` setting no key can describe (an extension object) turns the keeping off, and ``-v``
says why.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any

from .keys import Unhashable, canonical, digest, versions
from .state import BuildState

logger = logging.getLogger(__name__)
KIND = "read"
Reading = tuple[str, dict[str, list[str]] | None]  # the HTML, and the meta extension's values (None: it found none)


@functools.lru_cache(maxsize=1)
def _distributions() -> Mapping[str, list[str]]:
    return metadata.packages_distributions()


def _extension_packages(extensions: Any) -> list[str]:
    """The distributions the Markdown extensions come from ("markdown.extensions.toc" → markdown, "pymdownx.x" →
    pymdown-extensions), sorted."""
    found: set[str] = set()
    for ext in extensions or ():
        module = ext.partition(":")[0] if isinstance(ext, str) else type(ext).__module__
        found.update(_distributions().get(module.split(".")[0], ()))
    return sorted(found)


class Readings:
    """The readings of one build: those kept by earlier builds, found by :meth:`get`; new ones stored by
    :meth:`flush`. ``code`` gives the digest of the plugin's code (the reader is the plugin's)."""

    def __init__(self, state: BuildState, settings: Mapping[str, Any], code: Callable[[], str]) -> None:
        self.state = state
        self.settings = settings
        self.code = code
        self._prefix: str | None = None
        self.pending: dict[str, Reading] = {}
        self.hits = 0

    def prefix(self) -> str:
        """Everything but the file's bytes that a reading follows from; "" when the cache is off or the
        ``MARKDOWN`` setting cannot be keyed. Made at the first read, after Pelican's reader has completed the
        setting with the extensions it adds."""
        if self._prefix is None:
            self._prefix = ""
            if self.state.enabled:
                markdown = self.settings.get("MARKDOWN") or {}
                try:
                    text = canonical(markdown, "the MARKDOWN setting")
                except Unhashable as exc:
                    logger.info("news_archive: %s (%s); every Markdown file is read again on every build",
                                exc.where, exc)
                else:
                    packages = ("pelican", "markdown", "pygments",
                                *_extension_packages(markdown.get("extensions") if isinstance(markdown, dict)
                                                     else None))
                    self._prefix = digest([KIND, versions(dict.fromkeys(packages)), self.code(), text])
        return self._prefix

    def key(self, raw: bytes) -> str:
        """The key of a file whose bytes are ``raw`` ("" when readings are not kept)."""
        prefix = self.prefix()
        return digest([prefix, raw]) if prefix else ""

    def get(self, key: str) -> Reading | None:
        """The reading kept under ``key``, or None (also for a value of another shape)."""
        if not key:
            return None
        found = self.pending.get(key) or self.state.get_records(KIND, [key]).get(key)
        if (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str)
                and (found[1] is None or isinstance(found[1], dict))):
            self.hits += 1
            return found
        return None

    def put(self, key: str, reading: Reading) -> None:
        if key:
            self.pending[key] = reading

    def flush(self) -> None:
        """Store the readings made by this build (one transaction)."""
        if self.pending:
            self.state.put_records(KIND, self.pending)
            self.pending = {}
