"""Batch runs: every article under some paths, through every stage, into the store.

::

    from newsevents.run import run
    report = run(["corpus/"], Settings(workers=8), store="events.duckdb")        # worker processes
    report = run(["corpus/"], settings, engine="dask", scheduler="tcp://head:8786",
                 shards="s3://bucket/shards/")                                     # a Dask cluster

The main process reads the raw inputs (files, records), sends them in chunks to an engine
(:mod:`newsevents.engines`) whose workers ingest, skip what the store has, run the stages and
send back Documents, and writes those to the store in transactions (DuckDB has one writer).
Everything streams: a bounded number of chunks is in flight, so memory stays flat however big
the corpus. The store is written in input order, so every engine leaves the same store.

A run can be killed at any time: each transaction is all-or-nothing, and articles are skipped
by id when stored, so running the same command again does the rest, every article once.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ingest import Unit, units
from ..model import Rejection
from ..settings import Settings
from ..store import Store, WriteCounts, open_store
from .progress import count_inputs
from .work import ChunkResult, Failure

__all__ = ["Failure", "Listener", "RunReport", "run"]

#: A chunk closes at ``settings.batch_size`` inputs or at this many bytes of raw input,
#: whichever comes first (a chunk of big HTML pages must not hold gigabytes).
MAX_CHUNK_BYTES = 16_000_000
#: Failures kept on the report for the summary (each is also passed to the listener).
KEEP_FAILURES = 100


@dataclass
class RunReport:
    """What a run did, updated as it goes."""

    engine: str = "local"
    workers: int = 1
    inputs: int = 0  # raw inputs done: written, already stored, rejected or failed
    total: int | None = None  # raw inputs in all, once counted (None: not knowable, e.g. stdin, .gz)
    written: int = 0
    stored: int = 0  # already in the store (from an earlier run, or repeated in the input): skipped
    rejected: Counter = field(default_factory=Counter)  # reason -> inputs that are not articles
    failed: int = 0  # articles the stages or the store could not process
    failures: list[Failure] = field(default_factory=list)  # the first KEEP_FAILURES
    mentions: int = 0  # event mentions written
    new_events: int = 0
    quotes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.failed


class Listener:
    """Receives a run's progress (the CLI draws a progress bar); every method may be left out."""

    def started(self, report: RunReport) -> None:
        pass

    def progress(self, report: RunReport) -> None:
        pass

    def rejection(self, rejection: Rejection) -> None:
        pass

    def failure(self, failure: Failure) -> None:
        pass


def run(paths: Iterable[str | Path], settings: Settings | None = None, *, store: Store | str | Path | None = None,
        engine: str = "local", listener: Listener | None = None, wait: float = 0.0, **engine_options: Any) -> RunReport:
    """Run every stage over the articles under ``paths`` and write them to ``store`` (an open
    store, or a path; default ``settings.store_path``), skipping those it has.

    ``engine`` is ``local`` (``workers=N`` processes, default ``settings.workers``) or ``dask``
    (``workers``, ``scheduler``, ``shards``, ``keep_shards``: see
    :func:`newsevents.engines.open_engine`). Rejected inputs and failed articles are counted
    on the report and passed to ``listener``; the run goes on.

    A store given as a path is opened for each transaction only, taking turns with readers (a
    server) and other writers (see :mod:`newsevents.store.duck`); ``wait`` is how many seconds
    to wait for a process that holds it without taking turns before giving up (StoreLocked).
    """
    from ..engines import open_engine

    settings = settings or Settings()
    listener = listener or Listener()
    paths = [str(p) for p in paths]
    report = RunReport(engine=engine)
    started = time.perf_counter()
    threading.Thread(target=_count, args=(paths, settings, report), daemon=True, name="newsevents-count").start()
    own_store = not isinstance(store, Store)
    st = open_store(store or settings.store_path, settings=settings, wait=wait, share=True) if own_store else store
    try:
        with open_engine(engine, settings, st, **engine_options) as eng:
            report.workers = eng.workers
            listener.started(report)
            writer = _Writer(report, listener, started)

            def documents() -> Iterator[Any]:
                yield from eng.leftovers()
                for result in eng.map(_chunks(units(paths, settings), settings.batch_size, writer.rejected)):
                    writer.chunk_done(result)
                    yield from result.docs

            writer.committed(st.write(documents(), progress=writer.committed))
    finally:
        if own_store:
            st.close()
    report.seconds = time.perf_counter() - started
    return report


class _Writer:
    """Keeps the report in step with the chunks that come back and the store's commits."""

    def __init__(self, report: RunReport, listener: Listener, started: float):
        self.report, self.listener, self.started = report, listener, started
        self.known = 0  # skipped by the workers as stored
        self.worker_failures = 0
        self.store_failures_seen = 0

    def rejected(self, rejection: Rejection) -> None:
        self.report.rejected[rejection.reason] += 1
        self.listener.rejection(rejection)
        self._update()

    def chunk_done(self, result: ChunkResult) -> None:
        self.known += result.known
        for r in result.rejections:
            self.report.rejected[r.reason] += 1
            self.listener.rejection(r)
        for f in result.failures:
            self.worker_failures += 1
            self._failure(f)
        self._update()

    def committed(self, counts: WriteCounts) -> None:
        r = self.report
        r.written, r.mentions, r.new_events, r.quotes = counts.articles, counts.mentions, counts.new_events, counts.quotes
        r.stored = self.known + counts.skipped
        for article_id, reason in counts.failures[self.store_failures_seen:]:
            self._failure(Failure("<store>", article_id, reason))
        self.store_failures_seen = len(counts.failures)
        self._update()

    def _failure(self, failure: Failure) -> None:
        if len(self.report.failures) < KEEP_FAILURES:
            self.report.failures.append(failure)
        self.listener.failure(failure)

    def _update(self) -> None:
        r = self.report
        r.failed = self.worker_failures + self.store_failures_seen
        r.inputs = r.written + r.stored + sum(r.rejected.values()) + r.failed
        r.seconds = time.perf_counter() - self.started
        self.listener.progress(r)


def _chunks(items: Iterable[Unit | Rejection], size: int, on_rejection) -> Iterator[list[Unit]]:
    chunk: list[Unit] = []
    nbytes = 0
    for item in items:
        if isinstance(item, Rejection):
            on_rejection(item)
            continue
        chunk.append(item)
        nbytes += item.size
        if len(chunk) >= size or nbytes >= MAX_CHUNK_BYTES:
            yield chunk
            chunk, nbytes = [], 0
    if chunk:
        yield chunk


def _count(paths: list[str], settings: Settings, report: RunReport) -> None:
    try:
        report.total = count_inputs(paths, settings)
    except Exception:  # a count is a nicety: the run does not depend on it
        report.total = None
