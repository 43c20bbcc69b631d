"""The store interface every backend implements, and the logic they share.

A backend provides five primitives: a transaction, appending rows to a table, deleting rows by
key, and running SQL (inside the write transaction, and for readers). Everything else (writing
documents atomically and idempotently, merging events, querying, statistics, exports) is
written once here over those primitives, so the DuckDB store and the in-memory double behave
the same.
"""

from __future__ import annotations

import abc
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from itertools import islice
from typing import Any

import pyarrow as pa

from ..errors import StoreError
from ..model import Document
from . import query as q
from . import rollup
from .merge import Candidate, assign, summarise
from .rows import Rows, document_rows
from .schema import DATA_TABLES, EVENT_DAYS_COMPACTED, columns

log = logging.getLogger(__name__)

#: The largest page (offset and limit together) read from the days that hold it; a larger one
#: is read as an export is (:mod:`.stream`).
PAGE_WINDOW_ROWS = 50_000

#: Columns of a mention that summarising an event reads.
_SUMMARY_COLUMNS = [c for c in columns("mentions") if c not in ("sentence_start", "sentence_end", "trigger")]


@dataclass
class WriteCounts:
    """What one ``write`` did."""

    articles: int = 0  # articles written
    skipped: int = 0  # already in the store (or repeated in the input): left as they were
    failed: int = 0  # could not be written (see ``failures``); nothing of them is in the store
    mentions: int = 0  # event mentions written
    new_events: int = 0  # events first seen
    merged: int = 0  # mentions that joined an event another mention had already reported
    quotes: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)

    def add(self, other: "WriteCounts") -> None:
        for name, value in asdict(other).items():
            if name == "failures":
                self.failures.extend(other.failures)
            else:
                setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Store(abc.ABC):
    """Articles, actors, quotes, places and events, merged across articles; see docs/store.md."""

    path: str
    read_only: bool = False
    commit_every: int = 64
    merge_window_days: int = 1

    # ------------------------------------------------------------------ backend primitives
    @abc.abstractmethod
    def _transaction(self) -> AbstractContextManager:
        """All-or-nothing: every change inside is kept, or none (also on an exception)."""

    @abc.abstractmethod
    def _append(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Add rows (dicts keyed by column name; missing columns are NULL)."""

    @abc.abstractmethod
    def _delete(self, table: str, column: str, values: list[Any]) -> None:
        """Delete the rows whose ``column`` is one of ``values``."""

    @abc.abstractmethod
    def _clear(self, table: str) -> None:
        """Delete every row of ``table``."""

    @abc.abstractmethod
    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run SQL on the writer's connection (it sees the open transaction)."""

    @abc.abstractmethod
    def _reader(self, sql: str, params: list[Any] | None = None) -> pa.RecordBatchReader:
        """Run SQL for a reader, streaming the result in Arrow batches."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store (a DuckDB file is checkpointed and unlocked)."""

    #: False for a writer that opens the file only in its transactions (it checks there).
    _open_between_writes: bool = True

    #: Exceptions that mean "this data cannot be written" (as opposed to "the disk is gone").
    _data_errors: tuple[type[BaseException], ...] = (ValueError, TypeError)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def write(self, documents: Iterable[Document | tuple[Document, str]],
              progress: Callable[[WriteCounts], None] | None = None) -> WriteCounts:
        """Write ``documents``, ``commit_every`` articles per transaction.

        Each article is written whole or not at all. An article already in the store (same id,
        that is the same content) is skipped, so writing twice changes nothing and a killed run
        is resumed by writing the same input again. An article whose rows cannot be stored is
        counted in ``failed`` with its reason, and the others are written. ``progress`` is
        called with the counts so far after each commit. An item may also be a pair
        ``(document, document.to_json())``, as worker processes and shards deliver them, so the
        JSON is not made again.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; open it with read_only=False to write")
        counts = WriteCounts()
        docs = iter(documents)
        while batch := list(islice(docs, self.commit_every)):
            counts.add(self._write_batch(batch))
            if progress is not None:
                progress(counts)
        return counts

    def _write_batch(self, items: list[Document | tuple[Document, str]]) -> WriteCounts:
        counts = WriteCounts()
        docs: list[tuple[Document, str | None]] = []
        for d in items:
            d, text = d if isinstance(d, tuple) and len(d) == 2 else (d, None)
            if not isinstance(d, Document):
                raise TypeError(f"store.write takes Documents, got {type(d).__name__}")
            docs.append((d, text))
        # Skip what is stored before making rows; a writer that shares the file has it only in
        # its transactions, and checks there (another writer may have stored some meanwhile).
        known = self.known_ids(d.article.id for d, _ in docs) if self._open_between_writes else set()
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        prepared: list[tuple[str, Rows]] = []
        for d, text in docs:
            if d.article.id in known:
                counts.skipped += 1
                continue
            known.add(d.article.id)
            try:
                prepared.append((d.article.id, document_rows(d, now, text)))
            except Exception as exc:  # a malformed Document: report it, keep the batch going
                self._failed(counts, d.article.id, exc)
        if not prepared:
            return counts
        try:
            with self._transaction():
                prepared = self._unstored(prepared, counts)
                counts.add(self._insert([rows for _, rows in prepared]))
        except self._data_errors as exc:
            if len(prepared) == 1:
                self._failed(counts, prepared[0][0], exc)
                return counts
            # One bad article must not cost the batch: write them one by one.
            for article_id, rows in prepared:
                try:
                    with self._transaction():
                        counts.add(self._insert([rows]))
                except self._data_errors as exc:
                    self._failed(counts, article_id, exc)
        return counts

    def _unstored(self, prepared: list[tuple[str, Rows]], counts: WriteCounts) -> list[tuple[str, Rows]]:
        """``prepared`` less the articles stored since they were checked (by another writer)."""
        if self._open_between_writes:
            return prepared
        stored = self.known_ids(article_id for article_id, _ in prepared)
        counts.skipped += len(stored)
        return [p for p in prepared if p[0] not in stored]

    @staticmethod
    def _failed(counts: WriteCounts, article_id: str, exc: BaseException) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        log.warning("discarding article %s: it could not be stored (%s)", article_id, reason)
        counts.failed += 1
        counts.failures.append((article_id, reason))

    def _insert(self, batch: list[Rows]) -> WriteCounts:
        rows: Rows = {t: [r for doc in batch for r in doc[t]] for t in DATA_TABLES}
        mentions = rows["mentions"]
        candidates = self._candidates(mentions)
        created = assign(mentions, candidates, self.merge_window_days)
        for table in DATA_TABLES:
            if rows[table]:
                self._append(table, rows[table])
        if mentions:
            self._update_events(mentions, [c.event_id for c in created])
        return WriteCounts(articles=len(batch), mentions=len(mentions), new_events=len(created),
                           merged=len(mentions) - len(created), quotes=len(rows["quotes"]))

    def _candidates(self, mentions: list[dict[str, Any]]) -> dict[str, list[Candidate]]:
        """The stored events that ``mentions`` may merge with: the same merge key, and dates
        that :func:`.merge.dates_compatible` accepts (an event's dates only widen, so this
        leaves out none that could merge, and reads only those)."""
        out: dict[str, list[Candidate]] = defaultdict(list)
        if not mentions:
            return out
        pairs = sorted({(m["merge_key"], m["date"]) for m in mentions}, key=lambda p: (p[0], p[1] or date.min))
        found = self._rows(
            "SELECT DISTINCT e.event_num, e.event_id, e.merge_key, e.date, e.date_last, e.place_name, "
            "e.place_country, e.place_geonameid, e.place_feature FROM events e JOIN "
            "(SELECT unnest(?::VARCHAR[]) AS merge_key, unnest(?::DATE[]) AS day) m ON e.merge_key = m.merge_key "
            "AND ((e.date IS NULL AND m.day IS NULL) OR (e.date >= m.day - ?::INTEGER "
            "AND coalesce(e.date_last, e.date) <= m.day + ?::INTEGER)) ORDER BY e.event_num",
            [[k for k, _ in pairs], [d for _, d in pairs], self.merge_window_days, self.merge_window_days])
        for r in found:
            place = {f: r[f"place_{f}"] for f in ("name", "country", "geonameid", "feature")}
            out[r["merge_key"]].append(Candidate(r["event_id"], r["merge_key"], r["date"], r["date_last"],
                                                 place if any(v is not None for v in place.values()) else None))
        return out

    def _update_events(self, mentions: list[dict[str, Any]], new_ids: list[str]) -> None:
        """Recompute the event rows that ``mentions`` (already appended) belong to; ``new_ids``
        are the events first seen in this batch, numbered in the order they were seen."""
        by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
        fresh = set(new_ids)
        for m in mentions:
            if m["event_id"] in fresh:
                by_event[m["event_id"]].append(m)
        old_ids = sorted({m["event_id"] for m in mentions} - fresh)
        known: dict[str, dict[str, Any]] = {}
        if old_ids:
            ids = [old_ids]
            known = {r["event_id"]: r for r in self._rows(
                f"SELECT event_id, event_num, added_at, {', '.join(rollup.EVENT_COLUMNS)} FROM events "
                "WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", ids)}
            for m in self._rows(f"SELECT {', '.join(_SUMMARY_COLUMNS)} FROM mentions "
                                "WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", ids):
                by_event[m["event_id"]].append(m)
        first_num = self._rows("SELECT coalesce(max(event_num), 0) AS n FROM events")[0]["n"] + 1
        events = [summarise(e, known[e]["event_num"], by_event[e], known[e]["added_at"]) for e in old_ids]
        events += [summarise(e, first_num + i, by_event[e]) for i, e in enumerate(new_ids)]
        if old_ids:
            self._delete("events", "event_id", old_ids)
        self._append("events", events)
        self._update_event_days([known[e] for e in old_ids], events)

    def _update_event_days(self, removed: list[dict[str, Any]], added: list[dict[str, Any]]) -> None:
        """Keep ``event_days`` current: the replaced event rows out, the new ones in (see
        :mod:`.rollup`); regroup it when it has grown enough since it last was."""
        changes = rollup.deltas(removed, added)
        if changes:
            self._append("event_days", changes)
        rows = self._rows("SELECT count(*) AS n FROM event_days")[0]["n"]
        found = self._rows("SELECT value FROM meta WHERE key = ?", [rollup.META_KEY])
        last = int(found[0]["value"]) if found else 0
        if rows >= max(last * rollup.COMPACT_GROWTH, last + rollup.COMPACT_MIN):
            self._compact_event_days()
            rows = self._rows("SELECT count(*) AS n FROM event_days")[0]["n"]
            self._delete("meta", "key", [rollup.META_KEY])
            self._append("meta", [{"key": rollup.META_KEY, "value": str(rows)}])

    def optimize(self) -> dict[str, int]:
        """Lay the tables out for fast reads (:meth:`.duck.DuckDBStore.optimize`); the rows and
        every answer stay the same. A backend without a layout does nothing."""
        return self.counts()

    def _compact_event_days(self) -> None:
        """Regroup ``event_days``: one row per day and actors (a backend may do it in place)."""
        grouped = self._rows(EVENT_DAYS_COMPACTED)
        self._clear("event_days")
        self._append("event_days", grouped)

    def import_shards(self, url: str, delete: bool = False,
                      progress: Callable[[WriteCounts], None] | None = None) -> WriteCounts:
        """Write the Documents of the Parquet shards under ``url`` (a folder or any fsspec URL;
        see :mod:`.shards`), shard by shard in name order, as :meth:`write` does: what is stored
        already is skipped. ``delete`` removes the shards once all are written."""
        from .shards import delete_shard, list_shards, read_shard

        found = list_shards(url)
        counts = self.write((pair for shard in found for pair in read_shard(shard)), progress)
        if delete:
            for shard in found:
                delete_shard(shard)
        return counts

    # ------------------------------------------------------------------ reading
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored (to resume a run without redoing work)."""
        ids = sorted(set(ids))
        if not ids:
            return set()
        found = self._rows("SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        return {r["article_id"] for r in found}

    def ids(self) -> Iterator[str]:
        """Every stored article id, streaming (a batch run skips them before parsing)."""
        for batch in self._reader("SELECT article_id FROM articles"):
            yield from batch.column(0).to_pylist()

    def has(self, article_id: str) -> bool:
        return bool(self.known_ids([article_id]))

    def get_document(self, article_id: str) -> Document | None:
        """The Document as it was written (``Document.from_dict`` of its JSON), or None."""
        found = self._rows("SELECT document FROM articles WHERE article_id = ?", [article_id])
        return Document.from_dict(json.loads(found[0]["document"])) if found else None

    def documents(self, filters: q.Filters | None = None, **kw: Any) -> Iterator[Document]:
        """The stored Documents of the articles that pass the filters, streaming."""
        sql, params = q.select("articles", _filters(filters, kw), cols="document")
        for batch in self._reader(sql, params):
            for text in batch.column("document").to_pylist():
                yield Document.from_dict(json.loads(text))

    def counts(self) -> dict[str, int]:
        """Rows per table: articles, actors, entities, quotes, locations, mentions, events."""
        sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in (*DATA_TABLES, "events"))
        return {r["t"]: r["n"] for r in self._reader(sql).read_all().to_pylist()}

    def query(self, kind: str = "events", filters: q.Filters | None = None, **kw: Any):
        """A pandas DataFrame of ``kind`` rows (events, mentions, quotes, articles) passing the
        filters, given as a :class:`~newsevents.store.query.Filters` or as keywords
        (``store.query("events", source="RUS", target="USA", since="2022-01-01")``)."""
        return self.sql(*q.select(kind, _filters(filters, kw)))

    def count(self, kind: str = "events", filters: q.Filters | None = None, **kw: Any) -> int:
        """How many ``kind`` rows pass the filters, ``limit`` and ``offset`` aside (the total that
        pages of ``query(kind, limit=..., offset=...)`` are taken from)."""
        f = _filters(filters, kw)
        if kind == "events" and rollup.answers(f):
            return self._reader(*rollup.count_sql(f)).read_all().column("n")[0].as_py()
        return self._reader(*q.count(kind, f)).read_all().column("n")[0].as_py()

    def events(self, filters: q.Filters | None = None, **kw: Any):
        """Events merged across articles (one row per event, with its counts)."""
        return self.query("events", filters, **kw)

    def mentions(self, filters: q.Filters | None = None, **kw: Any):
        """Every event as one article reported it, with its evidence (``event_id`` links them)."""
        return self.query("mentions", filters, **kw)

    def quotes(self, filters: q.Filters | None = None, **kw: Any):
        return self.query("quotes", filters, **kw)

    def articles(self, filters: q.Filters | None = None, **kw: Any):
        return self.query("articles", filters, **kw)

    def stats(self, by: str = "month", per: str = "dyad", by_country: bool = False,
              filters: q.Filters | None = None, **kw: Any):
        """Events per period (day, week, month, year) and dyad (or source, target, actor, none):
        counts, mentions, mean and mention-weighted Goldstein, and the quad-class mix."""
        return self.stats_reader(by, per, by_country, filters, **kw).read_all().to_pandas(date_as_object=False)

    def reader(self, kind: str = "events", filters: q.Filters | None = None, **kw: Any) -> pa.RecordBatchReader:
        """Like :meth:`query`, streaming Arrow record batches (for exports of any size: a large
        selection is read a slice of days at a time, see :mod:`.stream`)."""
        from .stream import ordered_reader

        f = _filters(filters, kw)
        # A keyset page of events reads the days from its cursor on; a page from the top is one
        # query, where DuckDB's top-N stops reading once later row groups cannot make the page
        # (on a table in date order: as fast, without the query for the days).
        if kind == "events" and f.after and _windowed(f):
            page, _ = self._events_page(f)
            if page is not None:
                return pa.RecordBatchReader.from_batches(page.schema, page.to_batches())
        return ordered_reader(self, kind, f)

    def page(self, kind: str = "events", filters: q.Filters | None = None, **kw: Any) -> tuple[pa.Table, int]:
        """One page of :meth:`reader` and the total it is taken from (:meth:`count`): what a
        list on the web page shows."""
        f = _filters(filters, kw)
        if kind == "events" and _windowed(f):
            page, total = self._events_page(f)
            return (page if page is not None else self._plain(kind, f)), total
        return self.reader(kind, f).read_all(), self.count(kind, f)

    def _plain(self, kind: str, f: q.Filters) -> pa.Table:
        from .stream import ordered_reader

        return ordered_reader(self, kind, f).read_all()

    def _events_page(self, f: q.Filters) -> tuple[pa.Table | None, int]:
        """A page of events read from the days that hold it (:mod:`.rollup`), and the total;
        the page is None when it reaches the undated events, or no window gave a full page."""
        q.check("events", f)
        span = self._rows(*rollup.span_sql(f))[0]
        for window in rollup.windows(span, f):
            table = self._reader(*q.select("events", f, also=window)).read_all()
            if table.num_rows == f.limit:
                return table, span["total"]
        return None, span["total"]

    def stats_reader(self, by: str = "month", per: str = "dyad", by_country: bool = False,
                     filters: q.Filters | None = None, **kw: Any) -> pa.RecordBatchReader:
        """Like :meth:`stats`, as Arrow record batches (from ``event_days`` when the filters are
        actors and dates: :mod:`.rollup`)."""
        f = _filters(filters, kw)
        if rollup.answers(f):
            return self._reader(*rollup.stats_sql(f, by, per, by_country))
        return self._reader(*q.stats(f, by, per, by_country))

    def sql(self, sql: str, params: list[Any] | None = None):
        """Any read-only SQL over the tables (see docs/store.md), as a pandas DataFrame."""
        return self._reader(sql, params).read_all().to_pandas(date_as_object=False)

    def export(self, format: str, path: str, filters: q.Filters | None = None, *, table: str = "events",
               header: bool = False, **kw: Any) -> int:
        """Write an export (see :func:`newsevents.store.export.export`); returns the rows written."""
        from .export import export

        return export(self, format, path, _filters(filters, kw), table=table, header=header)


def _windowed(f: q.Filters) -> bool:
    """Whether a page of events is read from the days that hold it (:meth:`Store._events_page`)."""
    return f.limit is not None and f.limit + (f.offset or 0) <= PAGE_WINDOW_ROWS and rollup.answers(f)


def _filters(filters: q.Filters | None, kw: dict[str, Any]) -> q.Filters:
    if filters is not None and kw:
        return q.Filters.make(**{**{k: v for k, v in asdict(filters).items()}, **kw})
    return filters or q.Filters.make(**kw)
