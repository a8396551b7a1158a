"""Python's garbage collector during a build: told that most of what a build holds lives until its end.

A build holds millions of small objects that live as long as it does: Pelican's articles, the analysis, the page
models, the teasers. CPython's collector walks its oldest generation whenever enough new objects have survived,
and at 23k articles each walk covers the whole heap: measured on a correction of the 23k archive, 13 s of a 72 s
build went to the collector, 10.7 s of it to 24 full collections that found next to nothing (the cycles a build
makes are few and short-lived). So, for the length of a build, full collections run a hundred times less often,
and what exists once Pelican has read the articles, and again once the plugin's context is made, is frozen
(:func:`gc.freeze`: left out of every later collection). The same correction then spent 2.1 s in the collector
and took 53 s, with the same peak memory. The end of the build undoes both, so that a process that builds again
(``pelican --listen``, the tests) collects as before.
"""

from __future__ import annotations

import gc

# (generation 0, 1, 2): CPython's young collections, a full one after 1,000 middle ones instead of 10 (CPython
# also waits until a quarter of the old generation is new). Larger young thresholds were tried: 50,000 made the
# young collections dearer (2 s more), 5,000 no better than these.
THRESHOLDS = (700, 10, 1000)
DEFAULT = (700, 10, 10)  # CPython's


class Collector:
    """The collector's settings for one build, restored by :meth:`restore`."""

    def __init__(self) -> None:
        found = gc.get_threshold()
        # Another build of this process may be running (its settings are then found): CPython's own are restored.
        self._saved: tuple[int, int, int] | None = DEFAULT if found == THRESHOLDS else found
        gc.set_threshold(*THRESHOLDS)

    @staticmethod
    def settle() -> None:
        """Everything that exists now lives until the build ends: leave it out of later collections."""
        gc.freeze()

    def restore(self) -> None:
        if self._saved is not None:
            gc.unfreeze()
            gc.set_threshold(*self._saved)
            self._saved = None
