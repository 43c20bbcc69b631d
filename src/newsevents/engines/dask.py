"""The Dask engine: the same chunks on a Dask cluster, results handed over as Parquet shards.

The calling process reads the raw inputs, submits one task per chunk (a bounded number in
flight) and writes the store; it needs no model. Each worker loads the pipeline once (a worker
plugin loads it when the worker joins; tasks then find it cached), processes its chunk with
the same :func:`~newsevents.run.work.process` as the local engine and writes the Documents to
a shard under ``shards`` (see :mod:`newsevents.store.shards`). The calling process imports each
shard in chunk order, so the store ends up exactly as a local run leaves it, and deletes it
(``keep_shards`` keeps them). Shards left by an interrupted run are imported first.

Without a scheduler address it starts a LocalCluster of ``workers`` processes, one thread each,
with shards beside the store. See docs/scale.md for Slurm, PBS and Kubernetes.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from itertools import count

from distributed import Client, LocalCluster, WorkerPlugin

from ..errors import NewseventsError, SettingsError, WorkerError
from ..ingest import Unit
from ..run.work import ChunkResult, KnownIds, process
from ..settings import Settings
from ..store import Store
from ..store.shards import delete_shard, list_shards, read_shard, write_shard
from .ordering import ordered

#: Chunks in flight per worker thread: one being processed, one waiting on the worker.
IN_FLIGHT = 2


class DaskEngine:
    def __init__(self, settings: Settings, store: Store, workers: int | None = None, scheduler: str | None = None,
                 shards: str | None = None, keep_shards: bool = False):
        if scheduler and not shards:
            raise SettingsError("with --scheduler, give --shards a folder or URL (s3://..., a shared file system) "
                                "that every worker can write and this machine can read")
        self.settings = settings
        self.keep_shards = keep_shards
        self.shards = str(shards or _beside(store))
        self.run_id = f"{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}"
        self._cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler)
            except (OSError, TimeoutError) as exc:
                raise WorkerError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); is it running, and is its "
                                  "port open from here?") from None
            if workers:
                self.client.wait_for_workers(workers)
        else:
            self._cluster = LocalCluster(n_workers=workers or settings.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self._cluster)
        try:
            self.client.register_plugin(LoadPipeline(settings), name="newsevents-pipeline")
            self._known = self.client.scatter(KnownIds(store.ids()), broadcast=True)
        except BaseException:
            self.close()
            raise
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        self.workers = max(threads, 1)

    def leftovers(self) -> Iterator[tuple]:
        for shard in list_shards(self.shards):
            yield from self._import(shard)

    def map(self, chunks: Iterable[list[Unit]]) -> Iterator[ChunkResult]:
        seq = count()

        def submit(chunk: list[Unit]):
            name = f"{self.run_id}-{next(seq):08d}"
            return self.client.submit(_shard_task, chunk, self.settings, self._known, self.shards, name, pure=False)

        try:
            for result in ordered(submit, chunks, IN_FLIGHT * self.workers):
                if result.shard:
                    result.docs = list(self._import(result.shard))
                yield result
        except (NewseventsError, KeyboardInterrupt):
            raise
        except Exception as exc:
            raise WorkerError(f"the Dask cluster failed ({type(exc).__name__}: {exc}); what was written is kept: run "
                              "the same command again to resume") from exc

    def _import(self, shard: str) -> Iterator[tuple]:
        docs = list(read_shard(shard))
        # Deleting before the store commits is safe: what is not stored is redone by a rerun.
        if not self.keep_shards:
            delete_shard(shard)
        return iter(docs)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _beside(store: Store) -> str:
    if store.path == ":memory:":
        return tempfile.mkdtemp(prefix="newsevents-shards-")
    return f"{store.path}.shards"


# --- on the workers ---------------------------------------------------------------------------
class LoadPipeline(WorkerPlugin):
    """Worker plugin: load the pipeline (the spaCy model and every stage) when a worker joins."""

    idempotent = True

    def __init__(self, settings: Settings):
        self.settings = settings

    def setup(self, worker=None) -> None:
        from .. import get_pipeline

        get_pipeline(self.settings)


# Threads of one worker share its pipeline; spaCy is not thread-safe, and the GIL would
# serialise them anyway, so one chunk at a time (give workers one thread: --nthreads 1).
_lock = threading.Lock()


def _shard_task(units: list[Unit], settings: Settings, known: KnownIds, url: str, name: str) -> ChunkResult:
    from .. import get_pipeline

    with _lock:
        result = process(units, settings, get_pipeline(settings), known)
    if result.docs:
        result.shard = write_shard(url, name, [(d.article.id, d.to_json()) for d in result.docs])
    result.docs = []
    return result
