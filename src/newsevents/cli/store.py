"""``newsevents query``, ``newsevents stats`` and ``newsevents export``: the store from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import typer

from .app import app
from ._common import console, err_console, fold_table, make_settings

ROW_FORMATS = ("table", "csv", "json", "jsonl", "parquet")

StoreOption = typer.Option(None, "--store", help="The store file (default: $NEWSEVENTS_STORE, else "
                                                  "~/.local/share/newsevents/newsevents.duckdb).")
ActorOption = typer.Option(None, "--actor", "-a", help="Source or target (a quote's speaker, an article's actors): a "
                                                       "code (RUS, RUSGOV), a country or a name; repeat for any of several.")
SourceOption = typer.Option(None, "--source", "-s", help="Source actor: code, country or name (quotes: speaker).")
TargetOption = typer.Option(None, "--target", "-t", help="Target actor: code, country or name.")
DyadOption = typer.Option(None, "--dyad", help="SOURCE-TARGET, e.g. RUS-USA (see --undirected).")
UndirectedOption = typer.Option(False, "--undirected", help="A dyad matches both ways.")
CameoOption = typer.Option(None, "--cameo", help="CAMEO code or its prefix: 02 (root), 021, 0214.")
PloverOption = typer.Option(None, "--plover", help="PLOVER event type, e.g. REQUEST, ACCUSE, CONSULT.")
QuadOption = typer.Option(None, "--quad", help="Quad class: 0 neutral, 1 verbal cooperation, 2 material cooperation, "
                                               "3 verbal conflict, 4 material conflict.")
SinceOption = typer.Option(None, "--since", help="From this date on (YYYY-MM-DD; event date, or publication date).")
UntilOption = typer.Option(None, "--until", help="Up to this date (inclusive).")
PlaceOption = typer.Option(None, "--place", help="Place: an ISO country code (CHE) or a place name (Geneva).")
TextOption = typer.Option(None, "--text", help="Words in the evidence sentence, the quote, or the title/body.")
FormatOption = typer.Option("table", "--format", "-f", help="table, csv, json (one array), jsonl or parquet.")
OffsetOption = typer.Option(None, "--offset", help="Skip this many rows first (with --limit: a page of the result).")
OutputOption = typer.Option(None, "--output", "-o", help="Write here instead of stdout (needed for parquet).")


def _filters(**values):
    from ..store import Filters

    return Filters.make(**{k: v for k, v in values.items() if v not in (None, [], False)})


def _open(store: Path | None):
    from ..store import open_store

    settings = make_settings(store_path=str(store) if store else None)
    return open_store(settings.store_path, read_only=True, settings=settings)


@app.command()
def query(
    kind: str = typer.Argument("events", help="events (merged across articles), mentions (each article's report "
                                              "of an event, with its evidence), quotes or articles."),
    actor: list[str] = ActorOption, source: list[str] = SourceOption, target: list[str] = TargetOption,
    dyad: list[str] = DyadOption, undirected: bool = UndirectedOption, cameo: list[str] = CameoOption,
    plover: list[str] = PloverOption, quad: list[int] = QuadOption, since: str = SinceOption,
    until: str = UntilOption, place: list[str] = PlaceOption, text: str = TextOption,
    event: list[str] = typer.Option(None, "--event", help="Event id (mentions: the reports of that event)."),
    article: list[str] = typer.Option(None, "--article", help="Article id."),
    quote_kind: str = typer.Option(None, "--quote-kind", help="Quotes: direct or indirect."),
    limit: int = typer.Option(None, "--limit", "-n", help="At most this many rows (table: 50 unless given)."),
    offset: int = OffsetOption,
    format: str = FormatOption, output: Path = OutputOption, store: Path = StoreOption,
) -> None:
    """Select events, mentions, quotes or articles from the store.

    Example: newsevents query --source RUS --target USA --since 2022-01-01
    """
    if format not in ROW_FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; valid: {', '.join(ROW_FORMATS)}", param_hint="--format")
    shown = limit or (50 if format == "table" else None)
    filters = _filters(actor=actor, source=source, target=target, dyad=dyad, undirected=undirected, cameo=cameo,
                       plover=plover, quad=quad, since=since, until=until, place=place, text=text, event_id=event,
                       article_id=article, quote_kind=quote_kind, limit=shown + 1 if format == "table" else shown,
                       offset=offset)
    with _open(store) as s:
        write_result(s.reader(kind, filters), format, output, kind, shown)


@app.command()
def stats(
    by: str = typer.Option("month", "--by", help="Period: day, week, month or year."),
    per: str = typer.Option("dyad", "--per", help="dyad, source, target, actor (either side) or none."),
    by_country: bool = typer.Option(False, "--by-country", help="Group actors by country (RUS) rather than by "
                                                                 "code (RUSGOV, RUSMIL)."),
    actor: list[str] = ActorOption, source: list[str] = SourceOption, target: list[str] = TargetOption,
    dyad: list[str] = DyadOption, undirected: bool = UndirectedOption, cameo: list[str] = CameoOption,
    plover: list[str] = PloverOption, quad: list[int] = QuadOption, since: str = SinceOption,
    until: str = UntilOption, place: list[str] = PlaceOption, text: str = TextOption,
    limit: int = typer.Option(None, "--limit", "-n", help="At most this many rows."),
    offset: int = OffsetOption,
    format: str = FormatOption, output: Path = OutputOption, store: Path = StoreOption,
    chart: Path = typer.Option(None, "--chart", help="Also draw the events per period, stacked by quad class, as "
                                                     "an SVG file (open it in a browser)."),
) -> None:
    """Event counts, mentions, mean Goldstein and the quad-class mix per period and dyad (or actor).

    Example: newsevents stats --by week --per dyad --actor RUS --format csv
    """
    if format not in ROW_FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; valid: {', '.join(ROW_FORMATS)}", param_hint="--format")
    filters = _filters(actor=actor, source=source, target=target, dyad=dyad, undirected=undirected, cameo=cameo,
                       plover=plover, quad=quad, since=since, until=until, place=place, text=text, limit=limit,
                       offset=offset)
    with _open(store) as s:
        table = s.stats_reader(by, per, by_country, filters).read_all()
    write_result(pa.RecordBatchReader.from_batches(table.schema, table.to_batches()), format, output, "stats", None)
    if chart is not None:
        chart.write_text(stats_chart(table, by), encoding="utf-8")
        err_console.print(f"chart written to {chart}", highlight=False)


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
def export(
    format_arg: str = typer.Argument(None, metavar="[FORMAT]", help="The format, as --format (the older form)."),
    output_arg: str = typer.Argument(None, metavar="[OUTPUT]", help="The output, as --output (the older form)."),
    format: str = typer.Option(None, "--format", "-f", help=EXPORT_FORMAT_HELP),
    output: str = typer.Option(None, "--output", "-o", help="The file (the folder for parquet) to write; - is "
                                                             "stdout. Beside it goes OUTPUT.json: what it holds."),
    table: str = typer.Option("events", "--table", help="events, mentions, quotes or articles; parquet also takes all."),
    header: bool = typer.Option(False, "--header", help="gdelt: start with a line of column names (GDELT files have none)."),
    actor: list[str] = ActorOption, source: list[str] = SourceOption, target: list[str] = TargetOption,
    dyad: list[str] = DyadOption, undirected: bool = UndirectedOption, cameo: list[str] = CameoOption,
    plover: list[str] = PloverOption, quad: list[int] = QuadOption, since: str = SinceOption,
    until: str = UntilOption, place: list[str] = PlaceOption, text: str = TextOption, store: Path = StoreOption,
) -> None:
    """Export the store (or what the filters select) for other tools, with a sidecar OUTPUT.json
    saying what it holds (filters, version, rows).

    Example: newsevents export --format gdelt -o events.tsv --since 2022-01-01
    """
    format, output = _one("--format", format, format_arg), _one("--output", output, output_arg)
    filters = _filters(actor=actor, source=source, target=target, dyad=dyad, undirected=undirected, cameo=cameo,
                       plover=plover, quad=quad, since=since, until=until, place=place, text=text)
    with _open(store) as s:
        n = s.export(format, str(output), filters, table=table, header=header)
    err_console.print(f"{n} rows written to {output}", highlight=False)


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
        err_console.print(f"{n} rows written to {output}", highlight=False)
    elif format == "table":
        print_table(reader.read_all(), kind, limit)
    elif format == "json":
        n = _write_json_array(reader, output)
        if output is not None:
            err_console.print(f"{n} rows written to {output}", highlight=False)
    elif output is None:
        write_rows(reader, format, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as f:
            n = write_rows(reader, format, f)
        err_console.print(f"{n} rows written to {output}", highlight=False)


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
        t.add_row(*[cell(r) for _, cell in view])
    console.print(t)
    if more:
        err_console.print("[dim]more rows: raise --limit, or use --format csv/jsonl/parquet for all of them[/]")
