"""Extraction in worker processes that load spaCy themselves, so the build's own process never does.

A build that needs spaCy for a few articles (a correction) would spend most of its time importing spaCy and
loading the model; a cold build spends it in the model. So the workers start as early as the build knows it will
need them (before Pelican has read the articles, when the content folder has new or changed files), each loads the
model once, and the build sends them the articles the cache lacks in batches. Each worker turns its articles'
HTML into text, runs spaCy and sends back the compact :class:`~...model.Extraction` records, never spaCy objects.

:class:`ProcessExtractor` is the built-in backend (a process pool on this machine); anything with the same
``extract``/``close`` methods can stand in for it (a cluster, in tests a fake).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from typing import Protocol

from ...model import Extraction, SourceDoc

# An extraction and what is wrong with the article's text (None when nothing is), for one warning naming it.
Extracted = tuple[Extraction, str | None]
POOL_MIN_ARTICLES = 300  # fewer articles than this go to one worker: more would each pay for loading the model
MAX_PROCESSES = 4
PARENT_CHECK_SECONDS = 1.0  # how soon a worker whose build was killed ends


class Extractor(Protocol):
    """What the pipeline asks of an extraction backend."""

    def extract(self, docs: Sequence[SourceDoc], progress: Callable[[int], None] | None = None
                ) -> Iterator[Extracted]: ...

    def close(self) -> None: ...


def readable_doc(doc: SourceDoc) -> tuple[SourceDoc, str | None]:
    """The document as spaCy should read it: its text made from its HTML when it carries HTML, emptied when it
    is not English; and what is wrong with it."""
    from .extract import MAX_ANALYSED_CHARS
    from .text import html_to_text, readable

    # Markup beyond a few times the analysed length holds no text that is analysed: it is not parsed either.
    text = html_to_text(doc.html[:3 * MAX_ANALYSED_CHARS]) if doc.html and not doc.text else doc.text
    text, title, problem = readable(text, doc.title)
    return replace(doc, text=text, title=title, html=""), problem


def extract_batch(docs: Sequence[SourceDoc], model: str | None, batch_size: int) -> list[Extracted]:
    """Extract a batch in this process (the model loaded once per process)."""
    from .extract import extract_docs
    from .nlp import load_model

    nlp = load_model(model)
    ready = [readable_doc(doc) for doc in docs]
    out: list[Extracted] = []
    for (_, problem), ex in zip(ready, extract_docs(nlp, [d for d, _ in ready], batch_size), strict=True):
        out.append((ex, problem))
    return out


def _load(model: str | None) -> str | None:
    """Load the model now (a worker's first task); the error message when it cannot be loaded."""
    from .nlp import ModelError, load_model

    try:
        load_model(model)
    except ModelError as exc:
        return str(exc)
    return None


def _watch_parent(parent: int) -> None:
    """In a worker: end this process once the build that started it is gone. A build killed outright (the
    out-of-memory killer, ``kill -9``) cannot shut its pool down, and its workers, each holding a loaded model,
    would otherwise wait for work for ever."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="news-archive-parent-watch", daemon=True).start()


def processes_for(setting: int, work: int) -> int:
    """Worker processes for ``work`` articles: the setting, or one per core (up to :data:`MAX_PROCESSES`) once
    there is enough work to share."""
    if setting:
        return setting
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cpus, MAX_PROCESSES) if work >= POOL_MIN_ARTICLES else 1


class ProcessExtractor:
    """A pool of worker processes, each loading the model as soon as it starts."""

    def __init__(self, model: str | None, processes: int, batch_size: int = 64) -> None:
        self.model = model
        self.processes = max(1, processes)
        self.batch_size = batch_size
        methods = multiprocessing.get_all_start_methods()
        # Forked workers start at once with Pelican and the plugin already imported; spawn where fork is missing.
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=context, initializer=_watch_parent,
                                         initargs=(os.getpid(),))
        self._loading: list[Future] = [self._pool.submit(_load, model) for _ in range(self.processes)]

    def _check_model(self) -> None:
        from .nlp import ModelError

        for future in self._loading:
            error = future.result()
            if error:
                raise ModelError(error)

    def extract(self, docs: Sequence[SourceDoc], progress: Callable[[int], None] | None = None
                ) -> Iterator[Extracted]:
        """Extractions of ``docs``, in their order; raises :class:`~.nlp.ModelError` when the model cannot load.

        The batches go to the workers now (they queue behind the model's loading); the results are waited for
        as the iterator is read, so the caller can do other work while the workers run."""
        size = max(4, min(self.batch_size, len(docs) // (self.processes * 4) or 1))
        batches = [docs[i:i + size] for i in range(0, len(docs), size)]
        results = self._pool.map(extract_batch, batches, [self.model] * len(batches),
                                 [self.batch_size] * len(batches))
        return self._collect(results, progress)

    def _collect(self, results: Iterator[list[Extracted]], progress: Callable[[int], None] | None
                 ) -> Iterator[Extracted]:
        self._check_model()
        for result in results:
            yield from result
            if progress is not None:
                progress(len(result))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
