"""Extraction on a Dask cluster: the same records as this machine's worker processes, made elsewhere.

An archive of hundreds of thousands of articles outgrows the cores of one build machine, and spaCy is nearly all
of a cold build. :class:`DaskExtractor` has the :class:`~.extraction.workers.Extractor` methods of the built-in
process pool, so the pipeline cannot tell them apart: it sends the articles the build state lacks to a
``dask.distributed`` scheduler in batches, each worker loads the model once (:class:`ModelLoader`, a worker
plugin; the loader is cached per process, so every later batch on that worker reuses it), turns each batch into
the compact :class:`~..model.Extraction` records and sends them back; the client stores them in the build's
cache. The scheduling, retries and worker failures are Dask's (``retries=``: a batch whose worker died or raised
is run again elsewhere), not the plugin's.

Results are yielded as batches complete (``as_completed``), so the pipeline writes them into the build state as
they arrive: an interrupted run keeps every batch it finished. Only a bounded number of batches is in flight at
once, so neither the client nor the scheduler holds the whole archive's text.

Before anything is trusted, every worker's digest of the extraction code (the plugin's extraction folder, the
model's identity, spaCy's version — what keys the cache) must equal the client's: a worker with another version of
the plugin or the model would otherwise put its records under this build's keys.

``dask[distributed]`` is an optional extra (``pip install 'pelican-news-archive[cluster]'``); nothing imports it
unless a scheduler is named.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..model import SourceDoc
from .extraction.nlp import ModelError
from .extraction.workers import Extracted

logger = logging.getLogger(__name__)
TASK_ARTICLES = 128  # articles per Dask task: big enough that a task's overhead is small beside spaCy's work
IN_FLIGHT_PER_THREAD = 3  # batches queued per worker thread: workers never wait, the client never holds them all
RETRIES = 3  # runs of a batch after the first, on another worker when its worker died
# glibc's own ceiling for its sliding mmap threshold on 64-bit: blocks below it come from the heap and are reused.
MMAP_THRESHOLD = 32 * 1024 * 1024
M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
_ONE_AT_A_TIME = threading.Lock()
INSTALL_HINT = "pip install 'pelican-news-archive[cluster]'"


class ClusterError(RuntimeError):
    """The cluster cannot be used (Dask missing, scheduler unreachable, workers with other code)."""


def worker_code(model: str | None) -> str:
    """The digest that keys an extraction, as this process (a worker) computes it."""
    from .extraction.nlp import model_identity
    from .pipeline import extraction_code

    return extraction_code(model_identity(model))


def extract_remote(docs: Sequence[SourceDoc], model: str | None, batch_size: int) -> tuple[str, list[Extracted]]:
    """A Dask task: one batch extracted on a worker, with the worker's extraction-code digest. One batch at a time
    per worker process: its threads share one loaded pipeline, which spaCy does not promise is thread-safe (give
    workers one thread each and more processes)."""
    from .extraction.workers import extract_batch

    with _ONE_AT_A_TIME:
        return worker_code(model), extract_batch(docs, model, batch_size)


def keep_large_blocks() -> bool:
    """In a worker: let glibc serve large blocks from its heap again, as it does by default.

    A Dask nanny starts its workers with ``MALLOC_TRIM_THRESHOLD_`` set (``distributed.nanny.pre-spawn-environ``),
    to hand freed memory back to the system sooner. Setting any malloc threshold also turns off glibc's sliding
    mmap threshold, so every block over 128 KiB is mapped and unmapped afresh: spaCy's per-batch arrays then cost a
    page fault per page, measured as a fifth more CPU per article than the same worker without the variable. Raising
    the mmap threshold to glibc's own ceiling restores the default's reuse and leaves the trim threshold (Dask's
    memory policy) as the cluster set it. Only where the trim variable is set and nobody chose an mmap threshold
    (``MALLOC_MMAP_THRESHOLD_``), only on glibc; True when done."""
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        done = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):  # not glibc: its allocator is not the one the variable tuned
        return False
    logger.debug("news_archive: glibc's mmap threshold raised to %d bytes in this worker", MMAP_THRESHOLD)
    return done


def _lean(doc: SourceDoc) -> SourceDoc:
    """Only what extraction reads crosses the network (text or HTML, title, key)."""
    return replace(doc, date=None, dateline=None, source=None, token="", origin="")


def _plugin_class() -> type:
    from distributed.diagnostics.plugin import WorkerPlugin

    class ModelLoader(WorkerPlugin):
        """Loads the spaCy model when a worker starts (or joins later), so no batch pays for it."""

        name = "news-archive-model"

        def __init__(self, model: str | None) -> None:
            self.model = model

        def setup(self, worker: Any) -> None:
            from .extraction.nlp import load_model

            keep_large_blocks()
            try:
                load_model(self.model)
            except ModelError as exc:  # the batch reports it again, to the client, with the fix
                logger.error("%s", exc)

    return ModelLoader


def connect(address: str | Any, timeout: str = "30s") -> Any:
    """A Dask client for a scheduler address (or an existing cluster object); :class:`ClusterError` when the
    extra is missing or the scheduler does not answer."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(f"news_archive: NEWS_ARCHIVE_SCHEDULER needs Dask: `{INSTALL_HINT}` ({exc})") from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"news_archive: the Dask scheduler at {address} cannot be reached ({exc})") from None


class DaskExtractor:
    """Extraction backend on a Dask cluster (``address``: a scheduler address, or a cluster object such as a
    ``LocalCluster``)."""

    def __init__(self, address: str | Any, model: str | None, batch_size: int = 64,
                 task_articles: int | None = None, retries: int = RETRIES) -> None:
        self.model = model
        self.batch_size = batch_size
        self.task_articles = max(1, task_articles or TASK_ARTICLES)
        self.retries = retries
        self.client = connect(address)
        self.client.register_plugin(_plugin_class()(model), name="news-archive-model")
        self.code = worker_code(model)

    @property
    def processes(self) -> int:
        """Worker threads of the cluster now (what the built-in pool calls processes)."""
        return max(1, sum(self.client.nthreads().values()))

    def extract(self, docs: Sequence[SourceDoc], progress: Callable[[int], None] | None = None
                ) -> Iterator[Extracted]:
        """Extractions of ``docs`` as their batches complete (not in order)."""
        from distributed import as_completed

        batches = [[_lean(d) for d in docs[i:i + self.task_articles]]
                   for i in range(0, len(docs), self.task_articles)]
        pending = iter(batches)
        limit = max(2, self.processes * IN_FLIGHT_PER_THREAD)
        queue = as_completed([self._submit(b) for b in _take(pending, limit)], loop=self.client.loop)
        try:
            for future in queue:
                code, result = self._result(future)
                if code != self.code:
                    raise ClusterError("news_archive: a Dask worker runs other extraction code or another model "
                                       "than this build (install the same pelican-news-archive and model on "
                                       "every worker)")
                for nxt in _take(pending, 1):
                    queue.add(self._submit(nxt))
                yield from result
                if progress is not None:
                    progress(len(result))
                future.release()
        finally:
            for future in list(queue.futures):
                future.cancel()

    def _submit(self, batch: list[SourceDoc]) -> Any:
        return self.client.submit(extract_remote, batch, self.model, self.batch_size, retries=self.retries,
                                  pure=False)

    @staticmethod
    def _result(future: Any) -> tuple[str, list[Extracted]]:
        try:
            return future.result()
        except ModelError:
            raise
        except Exception as exc:  # a batch that failed on every retry: Dask re-raises the worker's error here
            raise ClusterError(f"news_archive: a batch failed on the Dask cluster after {RETRIES} retries "
                               f"({type(exc).__name__}: {exc})") from exc

    def close(self) -> None:
        self.client.close()


def _take(items: Iterator[list[SourceDoc]], n: int) -> list[list[SourceDoc]]:
    out = []
    for _ in range(n):
        nxt = next(items, None)
        if nxt is None:
            break
        out.append(nxt)
    return out
