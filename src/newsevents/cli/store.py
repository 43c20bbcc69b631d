"""``newsevents query``, ``newsevents stats`` and ``newsevents export``: the store from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import typer

from .app import app
from ..errors import EXIT_REJECTED, EXIT_USAGE
from ..store.filters import Filters
from ._common import console, err_console, filter_options, fold_table, make_settings, plain, texts

ROW_FORMATS = ("table", "csv", "json", "jsonl", "parquet")

StoreOption = typer.Option(None, "--store", help="The store file (default: $NEWSEVENTS_STORE, else "
                                                  "~/.local/share/newsevents/newsevents.duckdb).")
FormatOption = typer.Option("table", "--format", "-f", help="table, csv, json (one array), jsonl or parquet.")
OutputOption = typer.Option(None, "--output", "-o", help="Write here instead of stdout (needed for parquet).")


def _open(store: Path | None):
    from ..store.duck import ONE_READER_MEMORY, DuckDBStore

    settings = make_settings(store_path=str(store) if store else None)
    return DuckDBStore(settings.store_path, read_only=True, read_memory=ONE_READER_MEMORY)


@app.command()
@filter_options()
def query(
    kind: str = typer.Argument("events", help="events (merged across articles), mentions (each article's report "
                                              "of an event, with its evidence), quotes or articles."),
    filters: Filters = None,
    format: str = FormatOption, output: Path = OutputOption, store: Path = StoreOption,
) -> None:
    """Select events, mentions, quotes or articles from the store (a table shows 50 rows unless
    --limit says otherwise).

    Example: newsevents query --source RUS --target USA --since 2022-01-01
    """
    if format not in ROW_FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; valid: {', '.join(ROW_FORMATS)}", param_hint="--format")
    shown = filters.limit or (50 if format == "table" else None)
    filters = filters.with_(limit=shown + 1 if format == "table" else shown)
    with _open(store) as s:
        write_result(s.reader(kind, filters), format, output, kind, shown)


@app.command()
@filter_options(kind="events")
def stats(
    by: str = typer.Option("month", "--by", help="Period: day, week, month or year."),
    per: str = typer.Option("dyad", "--per", help="dyad, source, target, actor (either side) or none."),
    by_country: bool = typer.Option(False, "--by-country", help="Group actors by country (RUS) rather than by "
                                                                 "code (RUSGOV, RUSMIL)."),
    filters: Filters = None,
    format: str = FormatOption, output: Path = OutputOption, store: Path = StoreOption,
    chart: Path = typer.Option(None, "--chart", help="Also draw the events per period, stacked by quad class, as "
                                                     "an SVG file (open it in a browser)."),
) -> None:
    """Event counts, mentions, mean Goldstein and the quad-class mix per period and dyad (or actor).

    Example: newsevents stats --by week --per dyad --actor RUS --format csv
    """
    if format not in ROW_FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; valid: {', '.join(ROW_FORMATS)}", param_hint="--format")
    with _open(store) as s:
        table = s.stats_reader(by, per, by_country, filters).read_all()
    write_result(pa.RecordBatchReader.from_batches(table.schema, table.to_batches()), format, output, "stats", None)
    if chart is not None:
        chart.write_text(stats_chart(table, by), encoding="utf-8")
        err_console.print(f"chart written to {plain(chart)}", highlight=False)


#: stats columns of the quad-class mix, in quad-class order.
QUAD_COLUMNS = ("neutral", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


def stats_chart(table: pa.Table, by: str) -> str:
    """Events per period (summed over the groups), stacked by quad class, as SVG."""
    from ..charts import QUAD_COLOURS, columns

    totals: dict[str, list[float]] = {}
    for row in table.to_pylist():
        p = row.get("period")
        period = "undated" if p is None else str(p)[: {"year": 4, "month": 7}.get(by, 10)]
        counts = totals.setdefault(period, [0.0] * len(QUAD_COLUMNS))
        for i, name in enumerate(QUAD_COLUMNS):
            counts[i] += float(row.get(name) or 0)
    periods = sorted(totals)
    series = {name.replace("_", " "): [totals[p][i] for p in periods] for i, name in enumerate(QUAD_COLUMNS)}
    return columns(periods, series, f"Events per {by}, by quad class", colours=QUAD_COLOURS)


EXPORT_FORMAT_HELP = ("parquet (a folder, partitioned by year/month), csv, jsonl, gdelt (GDELT 2.0 event TSV, 61 "
                      "columns) or plover (PLOVER/POLECAT-style JSON lines).")


@app.command()
@filter_options(paging=False)
def export(
    format_arg: str = typer.Argument(None, metavar="[FORMAT]", help="The format, as --format (the older form)."),
    output_arg: str = typer.Argument(None, metavar="[OUTPUT]", help="The output, as --output (the older form)."),
    format: str = typer.Option(None, "--format", "-f", help=EXPORT_FORMAT_HELP),
    output: str = typer.Option(None, "--output", "-o", help="The file (the folder for parquet) to write; - is "
                                                             "stdout. Beside it goes OUTPUT.json: what it holds."),
    table: str = typer.Option("events", "--table", help="events, mentions, quotes or articles; parquet also takes all."),
    header: bool = typer.Option(False, "--header", help="gdelt: start with a line of column names (GDELT files have none)."),
    filters: Filters = None, store: Path = StoreOption,
) -> None:
    """Export the store (or what the filters select) for other tools, with a sidecar OUTPUT.json
    saying what it holds (filters, version, rows).

    Example: newsevents export --format gdelt -o events.tsv --since 2022-01-01
    """
    format, output = _one("--format", format, format_arg), _one("--output", output, output_arg)
    with _open(store) as s:
        n = s.export(format, str(output), filters, table=table, header=header)
    err_console.print(f"{n} rows written to {plain(output)}", highlight=False)


def _one(option: str, value: str | None, positional: str | None) -> str:
    """An option that may also come as a positional argument (the older form of ``export``)."""
    if value and positional and value != positional:
        raise typer.BadParameter(f"given twice: {positional!r} and {value!r}", param_hint=option)
    if not (value or positional):
        raise typer.BadParameter(f"missing: newsevents export --format FORMAT --output PATH", param_hint=option)
    return value or positional


def write_result(reader: pa.RecordBatchReader, format: str, output: Path | None, kind: str,
                 limit: int | None) -> None:
    from ..store.export import write_parquet_file, write_rows

    if format == "parquet":
        if output is None:
            raise typer.BadParameter("parquet needs a file: add --output PATH", param_hint="--format")
        n = write_parquet_file(reader, output)
        err_console.print(f"{n} rows written to {plain(output)}", highlight=False)
    elif format == "table":
        print_table(reader.read_all(), kind, limit)
    elif format == "json":
        n = _write_json_array(reader, output)
        if output is not None:
            err_console.print(f"{n} rows written to {plain(output)}", highlight=False)
    elif output is None:
        write_rows(reader, format, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as f:
            n = write_rows(reader, format, f)
        err_console.print(f"{n} rows written to {plain(output)}", highlight=False)


def _write_json_array(reader: pa.RecordBatchReader, output: Path | None) -> int:
    """Rows as one JSON array, written batch by batch (one row per line inside it)."""
    import json

    from ..store.export import json_default

    out = sys.stdout if output is None else open(output, "w", encoding="utf-8")
    n = 0
    try:
        out.write("[")
        for batch in reader:
            for row in batch.to_pylist():
                out.write(("\n" if not n else ",\n") + json.dumps(row, ensure_ascii=False, default=json_default))
                n += 1
        out.write("\n]\n" if n else "]\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return n


def _actor(row: dict, side: str) -> str:
    code, name = row.get(f"{side}_code"), row.get(f"{side}_name") or row.get(f"{side}_text")
    return f"{name or ''} [{code}]" if code else (name or "")


def _short(text: str | None, n: int = 90) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


# kind -> [(header, row -> cell)]
_VIEWS = {
    "events": [
        ("date", lambda r: str(r["date"] or "")), ("source", lambda r: _actor(r, "source")),
        ("event", lambda r: f"{r['cameo']} {r['cameo_name'] or ''}"), ("PLOVER", lambda r: r["plover"] or ""),
        ("target", lambda r: _actor(r, "target")), ("quad", lambda r: str(r["quad_class"])),
        ("Goldstein", lambda r: f"{r['goldstein']:+.1f}"),
        ("ment/src/art", lambda r: f"{r['num_mentions']}/{r['num_sources']}/{r['num_articles']}"),
        ("place", lambda r: r["place_name"] or r["place_country"] or ""), ("evidence", lambda r: _short(r["evidence"])),
    ],
    "mentions": [
        ("date", lambda r: str(r["date"] or "")), ("source", lambda r: _actor(r, "source")),
        ("trigger", lambda r: r["trigger"]), ("target", lambda r: _actor(r, "target")),
        ("CAMEO", lambda r: r["cameo"]), ("modality", lambda r: r["modality"]), ("event id", lambda r: r["event_id"]),
        ("sentence", lambda r: _short(r["sentence"])),
    ],
    "quotes": [
        ("published", lambda r: str(r["published_date"] or "")), ("kind", lambda r: r["kind"]),
        ("speaker", lambda r: _actor(r, "speaker")), ("quote", lambda r: _short(r["content"], 120)),
    ],
    "articles": [
        ("published", lambda r: str(r["published_date"] or "")), ("id", lambda r: r["article_id"]),
        ("outlet", lambda r: r["outlet"] or ""), ("title", lambda r: _short(r["title"], 70)),
        ("events", lambda r: str(r["n_events"])), ("quotes", lambda r: str(r["n_quotes"])),
    ],
}


#: Columns left out below 120 terminal columns (the JSON, CSV and Parquet formats have them all).
_WIDE_ONLY = {"Goldstein", "ment/src/art", "place", "modality", "event id", "id", "CAMEO", "PLOVER", "kind", "quotes"}
#: Columns kept on one line.
_NO_WRAP = {"date", "published", "quad", "events"}


def print_table(table: pa.Table, kind: str, limit: int | None) -> None:
    rows = table.to_pylist()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    if kind in _VIEWS:
        view = _VIEWS[kind]
    else:
        view = [(c, (lambda c: lambda r: "" if r[c] is None else str(r[c]))(c)) for c in table.column_names]
    if console.width < 120:  # a narrow terminal: the columns that say what happened, wide enough to read
        view = [c for c in view if c[0] not in _WIDE_ONLY]
    t = fold_table(*[h for h, _ in view], title=f"{len(rows)} {kind}", no_wrap=_NO_WRAP)
    for r in rows:
        t.add_row(*texts(*[cell(r) for _, cell in view]))
    console.print(t)
    if more:
        err_console.print("[dim]more rows: raise --limit, or use --format csv/jsonl/parquet for all of them[/]")


store_app = typer.Typer(help="Check a store for damage, rebuild one from a damaged store, or lay it out for fast "
                             "reads.", no_args_is_help=True)
app.add_typer(store_app, name="store")


@store_app.command("check")
def store_check(store: Path = StoreOption) -> None:
    """Read every row of every table and say whether the store is sound (exit 0) or damaged
    (exit 2, with what to do).

    Example: newsevents store check --store events.duckdb
    """
    from ..store.repair import check

    settings = make_settings(store_path=str(store) if store else None)
    report = check(settings.store_path)
    if not report.opened:
        err_console.print(f"[bold red]damaged:[/] {plain(report.problem)}", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    for t in report.tables:
        state = f"{t.rows:,} rows" if t.problem is None else f"[red]cannot be read[/]: {plain(t.problem)}"
        console.print(f"{t.table}: {state}", highlight=False)
    for problem in report.consistency:
        console.print(f"[red]inconsistent:[/] {plain(problem)}", highlight=False)
    if report.ok:
        console.print(f"{plain(report.path)}: sound", highlight=False)
        return
    err_console.print(f"[bold red]damaged:[/] {plain(report.path)}. Rebuild a store from the articles it can still "
                      f"give: newsevents store repair --store {plain(report.path)} --output NEW.duckdb (the damaged "
                      "file is left as it is); or restore it from a copy", highlight=False)
    raise typer.Exit(EXIT_USAGE)


@store_app.command("optimize")
def store_optimize(store: Path = StoreOption,
                   wait: float = typer.Option(0.0, "--wait", help="Wait up to this many seconds for a process "
                                                                  "that holds the store.")) -> None:
    """Rewrite the events and mentions in date order, so that pages and date filters read only
    the days they show (worth it after filling a store out of date order); every answer stays
    the same. Readers (a server) take turns with it as with a run.

    Example: newsevents store optimize --store events.duckdb
    """
    from ..store import open_store

    settings = make_settings(store_path=str(store) if store else None)
    with open_store(settings.store_path, settings=settings, wait=wait, share=True) as s:
        rows = s.optimize()
    err_console.print(f"{plain(settings.store_path)}: " + ", ".join(f"{n:,} {t}" for t, n in rows.items())
                      + " rows, in date order", highlight=False)


@store_app.command("repair")
def store_repair(
    output: Path = typer.Option(..., "--output", "-o", help="The new store to write (must not exist)."),
    store: Path = StoreOption,
) -> None:
    """Write every article a damaged store can still give into a new store, rebuilding its events,
    mentions, quotes and places from them. Exits 0 when every article was recovered, 1 when some
    could not be read (counted; run their corpus again into the new store to get them back).

    Example: newsevents store repair --store events.duckdb --output repaired.duckdb
    """
    from ..store.repair import repair

    settings = make_settings(store_path=str(store) if store else None)
    report = repair(settings.store_path, output, settings)
    err_console.print(f"{report.articles} articles written to {plain(output)}", highlight=False)
    if report.lost or report.unreadable:
        err_console.print(f"[yellow]{report.lost + report.unreadable} articles could not be read[/] "
                          f"({report.lost} in damaged blocks, {report.unreadable} with a broken document); run the "
                          f"corpus again with --store {plain(output)} to add them (stored articles are skipped)",
                          highlight=False)
        raise typer.Exit(EXIT_REJECTED)
