"""The default store: one DuckDB file, no server.

DuckDB lets one process write a file, or any number of processes read it, never both at once.
Processes that share a store take turns (:mod:`.gate`): a writer opened with ``share=True``
(every command that writes: ``run``, ``demo``, ``watch``, ``feeds``, the API) opens the file
only for each transaction and closes it after the commit, and readers (the server's
:class:`SharedReads`, the query commands) let go of the file while a writer waits for it. So
a server never stops a run, and what the run commits is in the server's next answer. A store
opened for writing without ``share`` (a Python session) holds the file until it is closed, as
DuckDB does; anyone else then gets :class:`~newsevents.errors.StoreLocked` with that process's
id (after waiting up to ``wait`` seconds for it), not a traceback.

Writes go in one transaction per ``commit_every`` articles; DuckDB only logs a transaction
when it commits, so a process killed mid-batch leaves the store as it was before that batch.

What DuckDB raises is told apart (:func:`store_error`): a file it cannot read as a database,
or whose blocks fail their checksums, is :class:`~newsevents.errors.StoreDamaged` (check,
repair or restore it); a write the disk refuses (full, an I/O error) is
:class:`~newsevents.errors.StoreFault`, after which what was committed is kept.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import NewseventsError, SchemaMismatch, StoreDamaged, StoreError, StoreFault, StoreLocked
from . import rollup, schema
from .base import Store
from .gate import Gate

log = logging.getLogger(__name__)

#: How long a process waits for the others that take turns with it (a reader's query, another
#: writer's transaction) before it gives up (seconds); ``wait`` is how long it waits for a
#: process that holds the file and does not take turns.
PATIENCE = 120.0


#: What readers let DuckDB hold (its cache of the file's blocks included), in one thread; a
#: larger sort or aggregate spills to a temporary folder. The readers of one process share it
#: (the API's requests: 50 at once need more than one command); the command line, alone, gives
#: ``ONE_READER_MEMORY``: with large selections read a slice of days at a time (:mod:`.stream`),
#: ``newsevents query --format csv`` of a million events then peaks at 277 MB, the interpreter
#: included (benchmarks/query_memory.py).
READ_MEMORY = "256MB"
ONE_READER_MEMORY = "48MB"


class DuckDBStore(Store):
    _data_errors = (ValueError, TypeError, duckdb.DataError, duckdb.IntegrityError)

    def __init__(self, path: str | Path, read_only: bool = False, commit_every: int = 64,
                 merge_window_days: int = 1, wait: float = 0.0, share: bool = False,
                 read_memory: str = READ_MEMORY):
        self.path = str(path) if str(path) == ":memory:" else str(Path(path).expanduser())
        self.read_only = read_only
        self.commit_every = commit_every
        self.merge_window_days = merge_window_days
        self.wait = wait
        #: A writer that opens the file for each transaction only, taking turns with readers.
        self.share = share and not read_only and self.path != ":memory:"
        self._gate = Gate(self.path) if self.path != ":memory:" else None
        self._lock = threading.RLock()
        self.read_memory = read_memory
        self._con: duckdb.DuckDBPyConnection | None = None
        self._watcher: threading.Thread | None = None
        if self.share:
            with self._session():
                self._migrate()
            return
        if read_only or self._gate is None:
            self._con = _connect(self.path, read_only, wait, self._gate)
            if read_only:
                _bound_memory(self._con, self.read_memory)
        else:  # readers that take turns give way; then we keep the file until closed
            try:
                self._gate.take(time.monotonic() + max(wait, PATIENCE))
                self._con = _connect(self.path, False, wait, self._gate, has_turn=self._gate.held)
            finally:
                self._gate.give()
        try:
            self._migrate()
        except duckdb.Error as exc:
            self._con.close()
            raise store_error(self.path, exc) from None
        except BaseException:
            self._con.close()
            raise

    @property
    def _open_between_writes(self) -> bool:
        return not self.share

    @classmethod
    def _view(cls, path: str, cursor: duckdb.DuckDBPyConnection, commit_every: int = 64,
              merge_window_days: int = 1) -> "DuckDBStore":
        """A read-only store over ``cursor`` (of a connection someone else keeps)."""
        store = cls.__new__(cls)
        store.path, store.read_only, store.share, store.wait = path, True, False, 0.0
        store.commit_every, store.merge_window_days = commit_every, merge_window_days
        store._gate, store._lock, store._con = None, threading.RLock(), cursor
        return store

    @contextmanager
    def _session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open connection. A sharing writer opens the file when it needs it, taking the
        turn, and keeps it until someone else waits for it (see :meth:`_watch`)."""
        with self._lock:
            if self._con is None:
                if self.read_only or not self.share:
                    raise StoreError(f"{self.path} is closed")
                self._gate.take(time.monotonic() + max(self.wait, PATIENCE))
                try:
                    self._con = _connect(self.path, False, self.wait, self._gate, has_turn=self._gate.held)
                except BaseException:
                    self._gate.give()
                    raise
                if self._watcher is None:
                    self._watcher = threading.Thread(target=self._watch, name="newsevents-writer", daemon=True)
                    self._watcher.start()
            yield self._con

    def _let_go_if_waited(self) -> None:
        """After a transaction: close the file if someone waits for it (or nobody could say so)."""
        if self.share and self._con is not None and (not self._gate.held or self._gate.others_waiting()):
            self._let_go()

    def _let_go(self) -> None:
        con, self._con = self._con, None
        try:
            if con is not None:
                con.close()
        finally:
            self._gate.give()

    def _watch(self) -> None:
        """Between transactions, hand the file to whoever waits for it."""
        while self._watcher is not None:
            time.sleep(0.02)
            if self._con is not None and self._lock.acquire(blocking=False):
                try:
                    if self._con is not None and self._gate.others_waiting():
                        self._let_go()
                finally:
                    self._lock.release()

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        tables = {r[0] for r in self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if "meta" not in tables:
            if tables:
                raise StoreError(f"{self.path} is a DuckDB database but not a newsevents store "
                                 f"(it has tables {', '.join(sorted(tables))}); choose another --store path")
            if self.read_only:
                raise StoreError(f"{self.path} is not a newsevents store yet; write to it first")
            from ..version import __version__

            with self._transaction():
                for stmt in schema.create_statements():
                    self._con.execute(stmt)
                now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
                self._con.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ["schema_version", str(schema.SCHEMA_VERSION)], ["created_at", now],
                    ["created_by", f"newsevents {__version__}"]])
            return
        version = self.schema_version()
        if version > schema.SCHEMA_VERSION:
            raise SchemaMismatch(
                f"{self.path} was written by a newer newsevents (store schema {version}; this version knows up to "
                f"{schema.SCHEMA_VERSION}): upgrade newsevents (pip install -U newsevents) to read it")
        if version < schema.SCHEMA_VERSION:
            if self.read_only:
                raise SchemaMismatch(
                    f"{self.path} has store schema {version}, older than this version's {schema.SCHEMA_VERSION}: "
                    "open it once for writing (e.g. newsevents demo --store PATH) to migrate it")
            with self._transaction():
                for v in range(version + 1, schema.SCHEMA_VERSION + 1):
                    for stmt in schema.MIGRATIONS.get(v, []):
                        self._con.execute(stmt)
                self._con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                                  [str(schema.SCHEMA_VERSION)])

    def schema_version(self) -> int:
        return int(self._rows("SELECT value FROM meta WHERE key = 'schema_version'")[0]["value"])

    # -- primitives -------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._session() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield
                con.execute("COMMIT")
            except BaseException as exc:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:  # the failed commit ended it, or the connection is gone
                    pass
                if isinstance(exc, duckdb.Error) and not isinstance(exc, self._data_errors):
                    raise store_error(self.path, exc, writing=True) from exc
                raise
            self._let_go_if_waited()

    def _append(self, table: str, rows: list[dict[str, Any]]) -> None:
        incoming = pa.Table.from_pylist(rows, schema=schema.arrow_schema(table))
        with self._lock:
            self._con.register("_incoming", incoming)
            try:
                self._con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
            finally:
                self._con.unregister("_incoming")

    def _delete(self, table: str, column: str, values: list[Any]) -> None:
        with self._lock:
            self._con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [values])

    def optimize(self) -> dict[str, int]:
        """Rewrite the tables that pages and exports read in the order they read them (events
        and mentions by date, ``event_days`` regrouped by date), so that DuckDB's zone maps (each
        row group's lowest and highest date) skip the days a page or a date filter leaves out;
        returns the rows of each. One transaction, taking turns like any write: readers see the
        store before or after. Rows written later are appended at the end; a store filled as the
        news comes stays nearly in order, one filled out of order may be optimized again."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; open it with read_only=False to optimize it")
        from .query import ORDER

        out = {}
        with self._transaction():
            con = self._con
            con.execute(f"CREATE TEMP TABLE _event_days AS {schema.EVENT_DAYS_COMPACTED}")
            con.execute("DELETE FROM event_days")
            con.execute("INSERT INTO event_days SELECT * FROM _event_days")
            con.execute("DROP TABLE _event_days")
            for table in ("events", "mentions"):
                # CREATE TABLE AS keeps the types; neither table has a key or an index to carry over.
                con.execute(f"CREATE TABLE _sorted AS SELECT * FROM {table} ORDER BY {ORDER[table]}")
                con.execute(f"DROP TABLE {table}")
                con.execute(f"ALTER TABLE _sorted RENAME TO {table}")
            for table in ("events", "mentions", "event_days"):
                out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute("DELETE FROM meta WHERE key = ?", [rollup.META_KEY])
            con.execute("INSERT INTO meta VALUES (?, ?)", [rollup.META_KEY, str(out["event_days"])])
        with self._session() as con:
            con.execute("CHECKPOINT")  # give the old tables' blocks back
        return out

    def _clear(self, table: str) -> None:
        with self._lock:
            self._con.execute(f"DELETE FROM {table}")

    def _compact_event_days(self) -> None:
        with self._lock:  # in SQL, inside the writer's transaction: no rows through Python
            self._con.execute(f"CREATE TEMP TABLE _event_days AS {schema.EVENT_DAYS_COMPACTED}")
            self._con.execute("DELETE FROM event_days")
            self._con.execute("INSERT INTO event_days SELECT * FROM _event_days")
            self._con.execute("DROP TABLE _event_days")

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self._session() as con:
            try:
                return con.sql(sql, params=params or None).to_arrow_table().to_pylist()
            except (duckdb.IOException, duckdb.InternalException, duckdb.FatalException) as exc:
                raise store_error(self.path, exc) from None
            except duckdb.Error as exc:
                if _DAMAGE.search(str(exc)):
                    raise store_error(self.path, exc) from None
                raise

    def _reader(self, sql: str, params: list[Any] | None = None) -> pa.RecordBatchReader:
        if self.share:  # the file may be handed over meanwhile: read it all now
            with self._session() as con:
                return pa.RecordBatchReader.from_batches(*self._read_all(con, sql, params))
        # A cursor of its own: readers in other threads never share the writer's connection.
        with self._lock:
            cursor = _quiet(self._con.cursor())
        try:
            reader = cursor.sql(sql, params=params or None).to_arrow_reader(READ_BATCH)
        except duckdb.OutOfMemoryException as exc:
            raise StoreError(f"the query needs more memory than a reader may use ({READ_MEMORY}: "
                             f"{str(exc).splitlines()[0]}); narrow it with filters") from None
        except duckdb.Error as exc:
            if isinstance(exc, (duckdb.IOException, duckdb.InternalException, duckdb.FatalException)) or \
                    _DAMAGE.search(str(exc)):
                raise store_error(self.path, exc) from None
            raise
        return pa.RecordBatchReader.from_batches(reader.schema, self._batches(reader))

    def _batches(self, reader: pa.RecordBatchReader):
        """The reader's batches; a block that cannot be read on the way is StoreDamaged."""
        try:
            yield from reader
        except NewseventsError:
            raise
        except (duckdb.Error, pa.ArrowException, OSError) as exc:
            raise store_error(self.path, exc) from None

    def _read_all(self, con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None):
        table = con.sql(sql, params=params or None).to_arrow_table()
        return table.schema, table.to_batches(READ_BATCH)

    def close(self) -> None:
        self._watcher = None
        with self._lock:
            try:
                if self.share:
                    self._let_go()
                elif self._con is not None:
                    self._con.close()
                    self._con = None
            except duckdb.Error as exc:  # a connection a fault invalidated: nothing more to save
                log.warning("closing %s: %s", self.path, exc)

    def __repr__(self) -> str:
        return f"DuckDBStore({self.path!r}{', read_only=True' if self.read_only else ''})"


#: Rows per Arrow batch a reader hands out: an export holds one batch (and its CSV or JSON) at a time.
READ_BATCH = 10_000


def _bound_memory(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    # The settings belong to the DuckDB instance, which the readers of one process share (the
    # API's requests): set them once; the spill folder cannot change once a sort has used it.
    spill = str(Path(tempfile.gettempdir()) / f"newsevents-spill-{os.getpid()}")
    try:
        if con.execute("SELECT current_setting('temp_directory')").fetchone()[0] != spill:
            con.execute("SET temp_directory = ?", [spill])
        con.execute(f"SET memory_limit = '{limit}'")
        con.execute("SET threads = 1")
    except duckdb.Error as exc:  # a reader that could not be bounded still reads
        log.warning("could not bound the reader's memory: %s", exc)


_PID = re.compile(r"PID (\d+)")
#: DuckDB's words for a file whose content is not what it wrote.
_DAMAGE = re.compile(r"corrupt|checksum|not a valid DuckDB database|Could not read enough bytes|"
                     r"malformed|invalid block|serializ", re.I)
#: ... and for a disk that refuses a write.
_FAULT = re.compile(r"No space left|disk is full|out of disk|Could not write|Failed to commit|write error|"
                    r"Input/output error|Read-only file system|invalidated", re.I)


def store_error(path: str, exc: BaseException, writing: bool = False) -> StoreError:
    """What a DuckDB error on the store at ``path`` means for the user, and what to do."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if _FAULT.search(text) or (writing and not _DAMAGE.search(text)):
        return StoreFault(
            f"writing the store {path} failed ({text}). What was committed before is kept; free some disk space "
            "(or fix the device) and run the same command again to go on from there")
    return StoreDamaged(
        f"the store {path} is damaged ({text}). `newsevents store check --store {path}` says what can still be "
        f"read; `newsevents store repair --store {path} --output NEW.duckdb` rebuilds a store from the articles "
        "it can read; else restore it from a copy, or run the corpus again into a new store")


def _connect(path: str, read_only: bool, wait: float, gate: Gate | None,
             has_turn: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting up to ``wait`` seconds for a process that holds it, and longer
    (PATIENCE) for processes that take turns and will let go: a writer holding the turn (for a
    reader), readers (for a writer holding the turn)."""
    if path != ":memory:":
        p = Path(path)
        if read_only and not p.exists():
            raise StoreError(f"no store at {path}: run `newsevents demo` or write articles into it first")
        if not read_only:
            p.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    deadline, patient = started + wait, started + max(wait, PATIENCE)
    if read_only and gate is not None:
        gate.wait_for_writer(patient)
    while True:
        try:
            return _quiet(duckdb.connect(path, read_only=read_only))
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            text = str(exc)
            # ConnectionException: this very process has the file open the other way round.
            if isinstance(exc, duckdb.IOException) and "lock" not in text.lower():
                if _DAMAGE.search(text):
                    raise store_error(path, exc) from None
                raise StoreError(f"cannot open the store {path}: {text}") from None
            now = time.monotonic()
            if read_only and gate is not None and gate.writer_has_turn():
                if gate.wait_for_writer(patient):  # a writer taking turns: it closes after its commit
                    continue
            elif not read_only and has_turn and now < patient and (
                    isinstance(exc, duckdb.ConnectionException) or "read-only mode" in text):
                time.sleep(0.02)  # readers: they let go as soon as they see our turn
                continue
            if now < deadline:
                time.sleep(0.05)
                continue
            pid = _PID.search(text)
            who = f"another process (PID {pid[1]})" if pid else "another process"
            raise StoreLocked(
                f"{path} is locked: {who} is writing it. A store has one writer at a time; wait for that run to "
                "finish, or use another --store path") from None
        except duckdb.Error as exc:
            if _DAMAGE.search(str(exc)):
                raise store_error(path, exc) from None
            raise StoreError(f"cannot open the store {path}: {exc}") from None


class SharedReads:
    """One read-only connection to a store file, shared by the threads of one process (the
    server's requests), let go whenever a writer waits for the file and opened again for the
    next request, so it sees what the writer committed.

    ``with reads.store() as store:`` gives a read-only store over a cursor of it. While the
    connection stays open, queries find DuckDB's caches warm; a writer waiting for its turn gets
    the file once the queries under way have ended (new ones wait for the writer to commit).
    """

    def __init__(self, path: str | Path, commit_every: int = 64, merge_window_days: int = 1, wait: float = 0.0,
                 poll: float = 0.02):
        self.path = str(Path(path).expanduser())
        self.commit_every, self.merge_window_days, self.wait, self.poll = commit_every, merge_window_days, wait, poll
        self._gate = Gate(self.path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._in_use = 0
        self._turn = threading.Condition()
        self._watcher: threading.Thread | None = None
        self._closed = False

    @contextmanager
    def store(self) -> Iterator[DuckDBStore]:
        with self._turn:
            if self._con is not None and self._gate.writer_has_turn():
                # Start nothing new on a file a writer waits for: let the queries under way end.
                self._turn.wait_for(lambda: self._in_use == 0 or self._con is None)
                self._let_go()
            if self._con is None:
                self._open()
            self._in_use += 1
            cursor = _quiet(self._con.cursor())
        try:
            yield DuckDBStore._view(self.path, cursor, self.commit_every, self.merge_window_days)
        finally:
            cursor.close()
            with self._turn:
                self._in_use -= 1
                if self._in_use == 0 and self._gate.writer_has_turn():
                    self._let_go()
                self._turn.notify_all()

    def _open(self) -> None:
        con = _connect(self.path, True, self.wait, self._gate)
        try:
            DuckDBStore._view(self.path, con)._migrate()  # refuses a store of another schema version
        except BaseException:
            con.close()
            raise
        self._con = con
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="newsevents-reads", daemon=True)
            self._watcher.start()

    def _let_go(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _watch(self) -> None:
        """Between requests, hand the file to a writer that waits for it."""
        while not self._closed:
            time.sleep(self.poll)
            with self._turn:
                if self._con is not None and self._in_use == 0 and self._gate.writer_has_turn():
                    self._let_go()

    def close(self) -> None:
        self._closed = True
        with self._turn:
            self._turn.wait_for(lambda: self._in_use == 0, timeout=PATIENCE)
            self._let_go()


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # DuckDB draws its own progress bar on stderr for queries over 2 s (a big write's commit or
    # checkpoint): a library must not print, and it garbles the progress bar of newsevents run.
    con.execute("SET enable_progress_bar = false")
    return con
