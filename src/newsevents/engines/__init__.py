"""Engines: where the chunks of a batch run are processed, behind one small interface.

An engine takes chunks of raw inputs (lists of :class:`~newsevents.ingest.Unit`) and yields
their :class:`~newsevents.run.work.ChunkResult` in the order the chunks came, holding only a
bounded number in flight, so a run streams. Its results' ``docs`` are ready for
``store.write``: Documents, or ``(Document, JSON)`` pairs. Every engine runs the same
:func:`newsevents.run.work.process`, so their results are the same.

- ``local`` (:mod:`.local`): worker processes on this machine (``workers`` of them; with one,
  everything runs in the calling process, with nothing to serialise).
- ``dask`` (:mod:`.dask`): a Dask cluster (a scheduler address, or a LocalCluster); workers
  write Parquet shards that the store imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from ..errors import SettingsError
from ..ingest import Unit
from ..run.work import ChunkResult
from ..settings import Settings
from ..store import Store
from .ordering import ordered

ENGINES = ("local", "dask")


class Engine(Protocol):
    workers: int

    def leftovers(self) -> Iterator[Any]:
        """Documents an interrupted earlier run left finished but unstored (Dask shards)."""

    def map(self, chunks: Iterable[list[Unit]]) -> Iterator[ChunkResult]:
        """The result of each chunk, in order."""

    def close(self) -> None:
        """Stop the workers (pending chunks are dropped: a rerun does them)."""


def open_engine(name: str, settings: Settings, store: Store, **options: Any) -> Engine:
    """The engine ``name`` for a run writing to ``store`` (it tells the workers what is stored).

    Options: ``workers`` (default ``settings.workers``); for dask, ``scheduler`` (an address;
    default a LocalCluster on this machine), ``shards`` (a folder or fsspec URL every worker can
    write and this process can read) and ``keep_shards``.
    """
    if name == "local":
        from .local import LocalEngine

        unknown = set(options) - {"workers"}
        if unknown:
            raise SettingsError(f"the local engine takes no {', '.join(sorted(unknown))} (that is for --engine dask)")
        return LocalEngine(settings, store, **options)
    if name == "dask":
        try:
            from .dask import DaskEngine
        except ImportError as exc:
            if not (exc.name or "").startswith(("dask", "distributed")):
                raise
            raise SettingsError("the dask engine needs Dask: pip install 'newsevents[dask]'") from None
        return DaskEngine(settings, store, **options)
    raise SettingsError(f"unknown engine {name!r}; valid: {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "open_engine", "ordered"]
