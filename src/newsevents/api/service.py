"""What the routes share: the store, opened for each request, and the pipeline, loaded once.

DuckDB lets one process write a store file and no other process open it meanwhile, not even to
read. So the API holds the store only while a request uses it: a batch run (``newsevents demo``,
a long load) can take the file whenever no request is being answered, and a request that comes
while a batch writes gets 503 (:class:`~newsevents.errors.StoreLocked`) at once rather than
hanging. Requests answered at the same time share one DuckDB instance (DuckDB keeps it per file
while a connection is open, so only the first pays the 20-55 ms it takes to start). A write
(``POST /api/extract?store=true``) waits until no request reads: within one process DuckDB
cannot hold a file read-only and read-write at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..model import Article, Document
from ..pipeline import Pipeline
from ..settings import Settings
from ..store import Store, open_store


class Service:
    """The store and the pipeline behind one app (``app.state.service``)."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None):
        self.settings = settings
        self._pipeline = pipeline
        self._pipeline_lock = threading.Lock()
        self._turn = threading.Condition()
        self._readers = 0
        self._writers = 0  # writing or waiting to: new readers wait for them (no starved writer)
        self._writing = False

    # ------------------------------------------------------------------ the store
    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The store opened read-only for one request, closed (and unlocked) afterwards."""
        with self._turn:
            self._turn.wait_for(lambda: self._writers == 0)
            self._readers += 1
        try:
            with open_store(self.settings.store_path, read_only=True, settings=self.settings) as store:
                yield store
        finally:
            with self._turn:
                self._readers -= 1
                self._turn.notify_all()

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store opened for writing once no other request uses it."""
        with self._turn:
            self._writers += 1
            self._turn.wait_for(lambda: self._readers == 0 and not self._writing)
            self._writing = True
        try:
            with open_store(self.settings.store_path, settings=self.settings) as store:
                yield store
        finally:
            with self._turn:
                self._writers -= 1
                self._writing = False
                self._turn.notify_all()

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
