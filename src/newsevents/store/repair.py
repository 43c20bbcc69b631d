"""Check a store file for damage, and rebuild a store from what a damaged one can still give.

DuckDB checks a checksum on every block it reads, so reading every row of every table finds
any damage: :func:`check` does that, table by table, and also checks that the tables agree
(every mention's event exists). Every table but ``articles`` is made from the Documents the
``articles`` table keeps whole (its ``document`` column), so :func:`repair` reads them, a slice
of rows at a time (a damaged block costs only its slice), and writes them into a new store,
which rebuilds every other table, merged events included. The damaged file is never changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..errors import NewseventsError, StoreError
from ..model import Document
from .schema import DATA_TABLES

#: Articles read per query while repairing: the rows a damaged block can cost.
SLICE = 256


@dataclass
class TableCheck:
    table: str
    rows: int | None = None  # None: could not be counted
    problem: str | None = None


@dataclass
class CheckReport:
    path: str
    opened: bool = True
    problem: str | None = None  # why it could not be opened
    tables: list[TableCheck] = field(default_factory=list)
    consistency: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.opened and not self.consistency and all(t.problem is None for t in self.tables)


def check(path: str | Path) -> CheckReport:
    """Read every row of every table of the store at ``path`` (read-only) and say what fails."""
    from . import open_store

    path = str(path)
    report = CheckReport(path)
    try:
        store = open_store(path, read_only=True)
    except StoreError as exc:
        report.opened, report.problem = False, str(exc)
        return report
    with store:
        # the per-day summary (schema 2) is read like the rest: the page's counts come from it
        summary = store._rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'event_days'")
        for table in ("meta", *DATA_TABLES, "events", *(("event_days",) if summary[0]["n"] else ())):
            result = TableCheck(table)
            try:
                rows = 0
                for batch in store._reader(f"SELECT * FROM {table}"):
                    rows += batch.num_rows
                result.rows = rows
            except NewseventsError as exc:
                result.problem = str(exc)
            report.tables.append(result)
        damaged = {t.table for t in report.tables if t.problem}
        if not damaged & {"mentions", "events"}:
            try:
                orphans = store._rows("SELECT count(*) AS n FROM mentions WHERE event_id NOT IN "
                                      "(SELECT event_id FROM events)")[0]["n"]
                if orphans:
                    report.consistency.append(f"{orphans} event mentions belong to no event")
            except NewseventsError as exc:
                report.consistency.append(str(exc))
    return report


@dataclass
class RepairReport:
    articles: int = 0  # articles read and written into the new store
    lost: int = 0  # rows of the articles table that could not be read
    unreadable: int = 0  # articles read whose Document JSON could not be loaded


def repair(path: str | Path, output: str | Path, settings=None) -> RepairReport:
    """Write every article the store at ``path`` can still give into a new store at ``output``
    (which must not exist), rebuilding its other tables from them."""
    from . import open_store

    output = Path(output)
    if output.exists():
        raise StoreError(f"{output} exists: repair writes a new store; give a path that does not exist")
    if Path(path).resolve() == output.resolve():
        raise StoreError("the repaired store must be a new file, not the damaged one")
    report = RepairReport()
    con = _open_damaged(str(path))
    try:
        last = _last_row(con)
        with open_store(output, settings=settings) as new:
            for start in range(0, last + 1, SLICE):
                try:
                    texts = [r[0] for r in con.execute(
                        "SELECT document FROM articles WHERE rowid >= ? AND rowid < ?", [start, start + SLICE]).fetchall()]
                except duckdb.Error:
                    report.lost += min(SLICE, last + 1 - start)
                    continue
                docs = []
                for text in texts:
                    try:
                        docs.append(Document.from_dict(json.loads(text)))
                    except (ValueError, TypeError, KeyError):
                        report.unreadable += 1
                report.articles += new.write(docs).articles
    finally:
        con.close()
    return report


def _open_damaged(path: str) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise StoreError(f"no store at {path}")
    try:
        return duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"{path} cannot be opened at all ({str(exc).splitlines()[0]}): nothing can be read from it; "
                         "restore it from a copy, or run the corpus again into a new store") from None


def _last_row(con: duckdb.DuckDBPyConnection) -> int:
    for sql in ("SELECT max(rowid) FROM articles", "SELECT count(*) - 1 FROM articles"):
        try:
            value = con.execute(sql).fetchone()[0]
            return -1 if value is None else int(value)
        except duckdb.Error:
            continue
    raise StoreError("the store's articles table cannot be read at all: nothing can be rebuilt from it; restore it "
                     "from a copy, or run the corpus again into a new store")
