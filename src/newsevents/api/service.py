"""What the routes share: the store, read through one shared connection, and the pipeline,
loaded once.

DuckDB lets one process write a store file, and no other process open it meanwhile, not even
to read. So the server takes turns with writers (see :mod:`newsevents.store.gate`): requests
query one read-only connection (:class:`~newsevents.store.SharedReads`, its caches warm
between requests), which the server closes as soon as a writer (``newsevents run``,
``watch``, ``feeds``, or a ``POST /api/extract?store=true`` here) waits for the file, and
opens again for the next request once the writer has committed: a batch run is never stopped
by the server, and the page shows what it committed. A process that holds the file without
taking turns (a Python session, an older newsevents) makes requests answer 503
(:class:`~newsevents.errors.StoreLocked`) at once rather than hang.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..model import Article, Document
from ..pipeline import Pipeline
from ..settings import Settings
from ..store import SharedReads, Store, open_store


class Service:
    """The store and the pipeline behind one app (``app.state.service``)."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None):
        self.settings = settings
        self._pipeline = pipeline
        self._pipeline_lock = threading.Lock()
        self.reads = SharedReads(settings.store_path, settings.commit_every, settings.merge_window_days)

    # ------------------------------------------------------------------ the store
    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The store, read-only, for one request."""
        with self.reads.store() as store:
            yield store

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store opened for writing, taking turns with readers (ours and other processes')."""
        with open_store(self.settings.store_path, settings=self.settings, share=True) as store:
            yield store

    def close(self) -> None:
        self.reads.close()

    # ------------------------------------------------------------------ the pipeline
    @property
    def pipeline_loaded(self) -> bool:
        return self._pipeline is not None

    def pipeline(self) -> Pipeline:
        """The pipeline, built on first use (spaCy loads once per process)."""
        with self._pipeline_lock:
            if self._pipeline is None:
                from .. import get_pipeline

                self._pipeline = get_pipeline(self.settings)
            return self._pipeline

    def extract(self, article: Article) -> Document:
        """Every stage over one article; one article at a time (a spaCy pipeline is not meant to
        be called from several threads at once, and the work is CPU-bound anyway)."""
        pipeline = self.pipeline()
        with self._pipeline_lock:
            return pipeline(article)
