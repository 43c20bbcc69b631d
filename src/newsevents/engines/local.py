"""The local engine: worker processes on this machine, each loading the model once.

Chunks go to the workers as raw inputs and come back as Document JSON (a string pickles in
one copy, where nested dicts or dataclasses cost several times more). Workers are started with
``spawn``: the main process holds a DuckDB connection and threads, which must not be forked.
A worker whose parent dies (``kill -9`` of the run) exits within a second, so a killed run
leaves no process behind.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..errors import WorkerError
from ..ingest import Unit
from ..model import Document
from ..run.work import ChunkResult, KnownIds, Known, process, serialise
from ..settings import Settings
from ..store import Store
from .ordering import ordered

#: Chunks in flight per worker: one being processed, one queued so a worker never waits.
IN_FLIGHT = 2
#: A worker is replaced by a fresh one after this many articles. spaCy's vocabulary keeps every
#: new word it meets, so a worker grows slowly over a long run; a fresh one costs a model load
#: (2-4 s), under 1 % of the ~25 minutes a worker takes for 20,000 news articles.
RECYCLE_ARTICLES = 20_000


class LocalEngine:
    def __init__(self, settings: Settings, store: Store, workers: int | None = None):
        self.settings = settings
        self.workers = workers or settings.workers
        self._pool: ProcessPoolExecutor | None = None
        if self.workers == 1:
            from .. import get_pipeline

            self._pipeline = get_pipeline(settings)
            self._known: Known = store.known_ids  # exact, and cheap in the same process
        else:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
                initargs=(settings, KnownIds(store.ids()), os.getpid()),
                max_tasks_per_child=max(RECYCLE_ARTICLES // settings.batch_size, 1))

    def leftovers(self) -> Iterator[Document]:
        return iter(())

    def map(self, chunks: Iterable[list[Unit]]) -> Iterator[ChunkResult]:
        if self._pool is None:
            for chunk in chunks:
                yield process(chunk, self.settings, self._pipeline, self._known)
            return
        try:
            for result in ordered(lambda c: self._pool.submit(_work, c), chunks, IN_FLIGHT * self.workers):
                result.docs = [(Document.from_dict(json.loads(text)), text) for text in result.docs]
                yield result
        except BrokenProcessPool as exc:
            raise WorkerError(f"a worker process died ({exc}); what was written is kept: run the same command "
                              "again to resume (if it dies again, try fewer --workers: memory may be short)") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "LocalEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- in the worker process ------------------------------------------------------------------
_state: tuple | None = None


def _start_worker(settings: Settings, known: KnownIds, parent: int) -> None:
    global _state
    _without_torch(settings)
    from .. import get_pipeline

    _state = (settings, get_pipeline(settings), known)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="newsevents-parent-watch").start()


def _without_torch(settings: Settings) -> None:
    """spaCy's thinc imports torch wherever it is installed (the train extra): 1.5-2.5 s of CPU in
    every spawned worker, a third of a worker's start, for nothing the built-in stages use. A
    worker that runs only those marks torch as absent before spaCy loads; one that runs a stage
    of your own (``register_stage``) keeps it."""
    from ..settings import STAGES

    if set(settings.stages) <= set(STAGES) and "torch" not in sys.modules and "thinc" not in sys.modules:
        sys.modules["torch"] = None  # import torch now raises ImportError: thinc goes without


def _work(units: list[Unit]) -> ChunkResult:
    settings, pipeline, known = _state
    return serialise(process(units, settings, pipeline, known))


def _exit_with(parent: int) -> None:
    # The pool notices a dead worker, but a worker blocked on its queue does not notice a dead
    # parent: poll, and leave when the parent is gone.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
