"""``newsevents extract`` and ``newsevents code``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..model import Document, Rejection
from .app import app
from ._common import (
    ActorsOption, InputFormatOption, RejectionLog, TextFieldOption, console, err_console, fold_table, make_settings,
    plain, texts,
)

FORMATS = ("json", "jsonl", "csv", "table")


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files or folders (read recursively); - reads stdin."),
    format: str = typer.Option("json", "--format", "-f", help="json (one object, or an array for several), jsonl, "
                                                              "csv (one row per event, the columns of the store's "
                                                              "mentions) or table."),
    actors: list[Path] = ActorsOption,
    input_format: str = InputFormatOption,
    text_field: str = TextFieldOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not report skipped inputs one by one."),
) -> None:
    """Print the structured result (article, sentences, actors, quotes, places, events) for each article.

    Example: newsevents extract article.txt --format table
    """
    from .. import extract_files

    if format not in FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; valid: {', '.join(FORMATS)}", param_hint="--format")
    settings = make_settings(actors, input_format, text_field)
    log = RejectionLog(quiet)
    docs = []
    n = 0
    events_csv = _EventsCsv(sys.stdout) if format == "csv" else None
    for item in extract_files(paths, settings):
        if isinstance(item, Rejection):
            log.add(item)
            continue
        n += 1
        for warning in item.article.warnings:
            err_console.print(f"[yellow]warning[/] {plain(item.article.source)}: {plain(warning)}", highlight=False)
        if format == "jsonl":
            sys.stdout.write(item.to_json() + "\n")
        elif format == "table":
            print_document(item)
        elif events_csv:
            events_csv.write(item)
        else:
            docs.append(item.to_dict())
    if format == "json" and docs:
        payload = docs[0] if len(docs) == 1 else docs
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(log.summary(n))


class _EventsCsv:
    """Each article's events as CSV rows: the columns of the store's mentions table (docs/store.md)."""

    def __init__(self, out):
        import csv

        from ..store.schema import columns

        self.names = [c for c in columns("mentions") if c not in ("event_id", "merge_key")]
        self.writer = csv.DictWriter(out, self.names, extrasaction="ignore", lineterminator="\n")
        self.writer.writeheader()

    def write(self, doc: Document) -> None:
        from datetime import datetime, timezone

        from ..store.rows import document_rows

        for row in document_rows(doc, datetime.now(timezone.utc).replace(tzinfo=None))["mentions"]:
            self.writer.writerow(row)


@app.command()
def code(
    lines: str = typer.Option(..., "--lines", help="A text file: each line is coded as one independent sentence; "
                                                   "- reads stdin."),
    published: str = typer.Option(None, "--published", help="Date the sentences against this ISO date."),
    actors: list[Path] = ActorsOption,
) -> None:
    """Code each input line as one sentence; print one JSON object per line (text, quad_class, events).

    Example: newsevents code --lines sentences.txt > coded.jsonl
    """
    from ..events.lines import code_lines

    settings = make_settings(actors)
    if lines == "-":
        texts = [line.rstrip("\n") for line in sys.stdin]
    elif not Path(lines).is_file():
        raise typer.BadParameter(f"{lines!r} is not a file (- reads stdin)", param_hint="--lines")
    else:
        with open(lines, encoding="utf-8", errors="replace") as f:
            texts = [line.rstrip("\n") for line in f]
    for record in code_lines(texts, published=published, settings=settings):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def print_document(doc: Document) -> None:
    """A readable view of one Document."""
    a = doc.article
    console.rule(f"[bold]{plain(a.title or a.source)}")
    console.print(f"id {a.id} · published {a.published or '?'} · views {a.views_total}/{a.views_today} · "
                  f"{len(doc.sentences)} sentences · language {a.language or '?'} · source {plain(a.source)}",
                  highlight=False)
    if doc.actors:
        t = fold_table("actor", "name", "code", "country", "sector", title="Actors")
        for m in doc.actors:
            t.add_row(*texts(m.text, m.name, m.code, m.country, m.sector))
        console.print(t)
    if doc.quotes or doc.title_quotes:
        t = fold_table("kind", "speaker", "cue", "content", title="Quotes")
        for q in doc.title_quotes + doc.quotes:
            speaker = f"{q.speaker.text} → {q.speaker.name}" if q.speaker else ""
            kind = f"{q.kind} (title)" if q.in_title else q.kind
            t.add_row(*texts(kind, speaker, q.cue.text if q.cue else "", q.content.text[:120]))
        console.print(t)
    if doc.locations:
        t = fold_table("place", "name", "country", "lat", "lon", title="Places")
        for loc in doc.locations:
            t.add_row(*texts(loc.text, loc.name, loc.country, f"{loc.lat:.3f}" if loc.lat is not None else "",
                            f"{loc.lon:.3f}" if loc.lon is not None else ""))
        console.print(t)
    if doc.events:
        t = fold_table("source", "event", "target", "CAMEO", "PLOVER", "quad", "Goldstein", "modality", "date", title="Events")
        for e in doc.events:
            t.add_row(*texts(
                _actor(e.source), e.trigger.text + (" (negated)" if e.negated else ""), _actor(e.target),
                f"{e.cameo} {e.cameo_name}", e.plover, e.quad_class, f"{e.goldstein:+.1f}", e.modality, e.date,
            ))
        console.print(t)
    if doc.stages_skipped:
        err_console.print(f"not coded ({', '.join(doc.stages_skipped)} skipped): "
                          f"{next(iter(doc.stages_skipped.values()))}", style="dim", highlight=False, markup=False)
    elif not (doc.actors or doc.events):
        err_console.print("[dim]no actors or events found[/]")


def _actor(ref) -> str:
    return f"{ref.text} [{ref.code}]" if ref else ""
