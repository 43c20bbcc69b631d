"""A large selection read in order with bounded memory, one slice of days at a time.

One ``SELECT ... ORDER BY date`` over millions of rows makes DuckDB sort every selected row with
all its columns: 1 GB for a million events. Rows come out in date order, so the same result is
the concatenation of the rows of consecutive date ranges, each sorted on its own: the days and
their row counts (a small aggregate) give ranges of at most :data:`SLICE_ROWS` rows, and a day
with more (or the rows without a date) is cut further on the next key of the order (the event
number, the article id). Each slice is one query, so memory holds one slice at a time, and the
rows, their order and their number are those of the single query. A small page (``limit``
rows) stays one query: DuckDB keeps only the page's rows while it reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from . import query as q
from . import rollup
from .filters import Filters

#: Rows per slice: a sort of this many rows stays within the reader's memory (duck.ONE_READER_MEMORY).
SLICE_ROWS = 50_000

#: The column each kind is ordered by first (NULLs last), and the next one, which slices a day
#: with too many rows further.
KEYS = {"events": ("date", "event_num"), "mentions": ("date", "article_id"),
        "quotes": ("published_date", "article_id"), "articles": ("published_date", "article_id")}


def ordered_reader(store, kind: str, f: Filters) -> pa.RecordBatchReader:
    """The ``kind`` rows passing ``f``, in the order of :func:`query.select`, in batches."""
    sql, params = q.select(kind, f)
    if f.limit is not None and f.limit + (f.offset or 0) <= SLICE_ROWS:
        return store._reader(sql, params)
    whole = f.with_(limit=None, offset=None)
    schema = store._reader(*q.select(kind, whole.with_(limit=1))).schema
    return pa.RecordBatchReader.from_batches(schema, _paged(_slices(store, kind, whole), f.offset or 0, f.limit))


def _paged(batches: Iterator[pa.RecordBatch], skip: int, limit: int | None) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if skip >= batch.num_rows:
            skip -= batch.num_rows
            continue
        batch, skip = batch.slice(skip), 0
        if limit is not None:
            if limit <= 0:
                return
            batch = batch.slice(0, limit)
            limit -= batch.num_rows
        if batch.num_rows:
            yield batch


def _slices(store, kind: str, f: Filters) -> Iterator[pa.RecordBatch]:
    day, second = KEYS[kind]
    if kind == "events" and rollup.answers(f):  # the events per day, without reading the events
        where, params = q.where_clause(kind, f.unpaged())
        counts = store._rows(f"SELECT date AS day, sum(events) AS n FROM event_days{where} GROUP BY 1 "
                             "HAVING sum(events) > 0", params)
    else:
        where, params = q.where_clause(kind, f)
        counts = store._rows(f"SELECT {day} AS day, count(*) AS n FROM {kind}{where} GROUP BY 1", params)
    counts.sort(key=lambda r: (r["day"] is None, r["day"] or 0))
    for condition, args, rows in _day_ranges(day, counts):
        parts = _split(store, kind, f, (condition, args), second) if rows > SLICE_ROWS else [(condition, args)]
        for part in parts:
            yield from store._reader(*q.select(kind, f, also=part))


def _day_ranges(day: str, counts: list[dict[str, Any]]) -> Iterator[tuple[str, list[Any], int]]:
    """(condition, its arguments, rows) for consecutive days of at most SLICE_ROWS rows together
    (a day with more is one range), then the rows without a day."""
    first = last = None
    rows = 0
    for r in counts:
        if r["day"] is None:
            break
        if first is not None and rows + r["n"] > SLICE_ROWS:
            yield f"{day} BETWEEN ? AND ?", [first, last], rows
            first, rows = None, 0
        if first is None:
            first = r["day"]
        last, rows = r["day"], rows + r["n"]
    if first is not None:
        yield f"{day} BETWEEN ? AND ?", [first, last], rows
    undated = sum(r["n"] for r in counts if r["day"] is None)
    if undated:
        yield f"{day} IS NULL", [], undated


def _split(store, kind: str, f: Filters, part: tuple[str, list[Any]], key: str) -> list[tuple[str, list[Any]]]:
    """``part`` cut into ranges of ``key`` of about SLICE_ROWS rows each (the rows of one key
    value stay together)."""
    condition, args = part
    sql, params = q.select(kind, f, cols=f"{key} AS k", also=part)
    sql = sql[:sql.index(" ORDER BY ")] + f" ORDER BY {key} NULLS LAST"
    keys = [v for batch in store._reader(sql, params) for v in batch.column(0).to_pylist()]
    bounds: list[Any] = []
    for i in range(SLICE_ROWS, len(keys), SLICE_ROWS):
        if keys[i] is not None and (not bounds or keys[i] > bounds[-1]):
            bounds.append(keys[i])
    if not bounds:
        return [part]
    return ([(f"{condition} AND {key} < ?", [*args, bounds[0]])] +
            [(f"{condition} AND {key} >= ? AND {key} < ?", [*args, lo, hi]) for lo, hi in zip(bounds, bounds[1:])] +
            [(f"{condition} AND ({key} >= ? OR {key} IS NULL)", [*args, bounds[-1]])])
