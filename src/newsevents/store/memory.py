"""The in-memory double: the store interface over plain Python lists, for tests.

No file, no lock, nothing to clean up. Rows are typed through the same Arrow schema as the
DuckDB store, and queries run the same SQL over them (DuckDB reading the lists as Arrow
tables), so a test against the double exercises the shared writing, merging and query logic.
A test can make ``_append`` raise to check that a failed write leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa

from .base import Store
from .schema import TABLES, arrow_schema


class MemoryStore(Store):
    def __init__(self, commit_every: int = 64, merge_window_days: int = 1):
        self.path = ":memory:"
        self.read_only = False
        self.commit_every = commit_every
        self.merge_window_days = merge_window_days
        self.tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        snapshot = {t: list(rows) for t, rows in self.tables.items()}
        try:
            yield
        except BaseException:
            self.tables = snapshot
            raise

    def _append(self, table: str, rows: list[dict[str, Any]]) -> None:
        typed = pa.Table.from_pylist(rows, schema=arrow_schema(table))  # fails as DuckDB would on bad types
        self.tables[table].extend(typed.to_pylist())

    def _delete(self, table: str, column: str, values: list[Any]) -> None:
        drop = set(values)
        self.tables[table] = [r for r in self.tables[table] if r[column] not in drop]

    def _clear(self, table: str) -> None:
        self.tables[table] = []

    def _connection(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        for table, rows in self.tables.items():
            con.register(table, pa.Table.from_pylist(rows, schema=arrow_schema(table)))
        return con

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        return self._connection().sql(sql, params=params or None).to_arrow_table().to_pylist()

    def _reader(self, sql: str, params: list[Any] | None = None) -> pa.RecordBatchReader:
        return self._connection().sql(sql, params=params or None).to_arrow_reader(100_000)

    def close(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"MemoryStore({sum(len(r) for r in self.tables.values())} rows)"
