"""The store: every article and what was found in it, in an embedded database, queryable.

DuckDB is the default backend (one file, no server; see :mod:`.duck`); :class:`MemoryStore`
is an in-memory double for tests. Both implement :class:`Store` (:mod:`.base`)::

    import newsevents
    with newsevents.open_store("events.duckdb") as store:
        counts = store.write(newsevents.extract_files(["corpus/"]))   # atomic per article, idempotent
        df = store.events(source="RUS", target="USA", since="2022-01-01")  # pandas
        store.export("gdelt", "events.tsv")

The tables, the merging of events across articles and the exports are described in
docs/store.md.
"""

from __future__ import annotations

from pathlib import Path

from ..settings import Settings
from .base import Store, WriteCounts
from .duck import DuckDBStore, SharedReads
from .memory import MemoryStore
from .query import Filters

__all__ = ["DuckDBStore", "Filters", "MemoryStore", "SharedReads", "Store", "WriteCounts", "open_store"]


def open_store(path: str | Path | None = None, read_only: bool = False, settings: Settings | None = None,
               wait: float = 0.0, share: bool = False) -> Store:
    """The DuckDB store at ``path`` (default: ``settings.store_path``), created when missing.

    ``read_only`` opens an existing store for queries. ``share`` makes a writer open the file
    for each transaction only, so that readers (``newsevents serve``, queries) and other
    sharing writers use it in between (see :mod:`.duck`); without it the writer holds the
    file until closed. Another process holding the file raises
    :class:`~newsevents.errors.StoreLocked` (after waiting up to ``wait`` seconds for it).
    ``":memory:"`` gives a DuckDB store that lives in memory.
    """
    settings = settings or Settings()
    return DuckDBStore(path or settings.store_path, read_only=read_only, commit_every=settings.commit_every,
                       merge_window_days=settings.merge_window_days, wait=wait, share=share)

