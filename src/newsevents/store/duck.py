"""The default store: one DuckDB file, no server.

DuckDB lets one process write a file at a time; a second writer (or a reader while a writer
holds the file) gets :class:`~newsevents.errors.StoreLocked` with the other process's id, not
a traceback. Writes go in one transaction per ``commit_every`` articles; DuckDB only logs a
transaction when it commits, so a process killed mid-batch leaves the store as it was before
that batch.

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
from . import schema
from .base import Store

log = logging.getLogger(__name__)


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
                 merge_window_days: int = 1, wait: float = 0.0, read_memory: str = READ_MEMORY):
        self.path = str(path) if str(path) == ":memory:" else str(Path(path).expanduser())
        self.read_only = read_only
        self.commit_every = commit_every
        self.merge_window_days = merge_window_days
        self._lock = threading.RLock()
        self._con = _connect(self.path, read_only, wait)
        if read_only:
            _bound_memory(self._con, read_memory)
        try:
            self._migrate()
        except duckdb.Error as exc:
            self._con.close()
            raise store_error(self.path, exc) from None
        except BaseException:
            self._con.close()
            raise

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
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield
                self._con.execute("COMMIT")
            except BaseException as exc:
                try:
                    self._con.execute("ROLLBACK")
                except duckdb.Error:  # the failed commit ended it, or the connection is gone
                    pass
                if isinstance(exc, duckdb.Error) and not isinstance(exc, self._data_errors):
                    raise store_error(self.path, exc, writing=True) from exc
                raise

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

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self._lock:
            try:
                return self._con.sql(sql, params=params or None).to_arrow_table().to_pylist()
            except (duckdb.IOException, duckdb.InternalException, duckdb.FatalException) as exc:
                raise store_error(self.path, exc) from None
            except duckdb.Error as exc:
                if _DAMAGE.search(str(exc)):
                    raise store_error(self.path, exc) from None
                raise

    def _reader(self, sql: str, params: list[Any] | None = None) -> pa.RecordBatchReader:
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

    def close(self) -> None:
        with self._lock:
            try:
                self._con.close()
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


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    if path != ":memory:":
        p = Path(path)
        if read_only and not p.exists():
            raise StoreError(f"no store at {path}: run `newsevents demo` or write articles into it first")
        if not read_only:
            p.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        try:
            return _quiet(duckdb.connect(path, read_only=read_only))
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" not in text.lower():
                if _DAMAGE.search(text):
                    raise store_error(path, exc) from None
                raise StoreError(f"cannot open the store {path}: {text}") from None
            if time.monotonic() < deadline:
                time.sleep(0.2)
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


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # DuckDB draws its own progress bar on stderr for queries over 2 s (a big write's commit or
    # checkpoint): a library must not print, and it garbles the progress bar of newsevents run.
    con.execute("SET enable_progress_bar = false")
    return con
