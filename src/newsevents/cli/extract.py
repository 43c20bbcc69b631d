"""``newsevents extract`` and ``newsevents code``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..model import Document, Rejection
from . import app
from ._common import (
    ActorsOption, InputFormatOption, RejectionLog, TextFieldOption, console, err_console, make_settings, plain, texts,
)

FORMATS = ("json", "jsonl", "table")


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files or folders (read recursively); - reads stdin."),
    format: str = typer.Option("json", "--format", "-f", help="json (one object, or an array for several), jsonl or table."),
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
        else:
            docs.append(item.to_dict())
    if format == "json" and docs:
        payload = docs[0] if len(docs) == 1 else docs
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(log.summary(n))


@app.command()
def code(
    lines: Path = typer.Option(..., "--lines", help="A text file: each line is coded as one independent sentence.",
                               exists=True, dir_okay=False),
    published: str = typer.Option(None, "--published", help="Date the sentences against this ISO date."),
    actors: list[Path] = ActorsOption,
) -> None:
    """Code each input line as one sentence; print one JSON object per line (text, quad_class, events).

    Example: newsevents code --lines sentences.txt > coded.jsonl
    """
    from ..events.lines import code_lines

    settings = make_settings(actors)
    with open(lines, encoding="utf-8", errors="replace") as f:
        texts = [line.rstrip("\n") for line in f]
    for record in code_lines(texts, published=published, settings=settings):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def print_document(doc: Document) -> None:
    """A readable view of one Document."""
    from rich.table import Table

    a = doc.article
    console.rule(f"[bold]{plain(a.title or a.source)}")
    console.print(f"id {a.id} · published {a.published or '?'} · views {a.views_total}/{a.views_today} · "
                  f"{len(doc.sentences)} sentences · source {plain(a.source)}", highlight=False)
    if doc.actors:
        t = Table("actor", "name", "code", "country", "sector", title="Actors")
        for m in doc.actors:
            t.add_row(*texts(m.text, m.name, m.code, m.country, m.sector))
        console.print(t)
    if doc.quotes:
        t = Table("kind", "speaker", "cue", "content", title="Quotes")
        for q in doc.quotes:
            speaker = f"{q.speaker.text} → {q.speaker.name}" if q.speaker else ""
            t.add_row(*texts(q.kind, speaker, q.cue.text if q.cue else "", q.content.text[:120]))
        console.print(t)
    if doc.locations:
        t = Table("place", "name", "country", "lat", "lon", title="Places")
        for loc in doc.locations:
            t.add_row(*texts(loc.text, loc.name, loc.country, f"{loc.lat:.3f}" if loc.lat is not None else "",
                            f"{loc.lon:.3f}" if loc.lon is not None else ""))
        console.print(t)
    if doc.events:
        t = Table("source", "event", "target", "CAMEO", "PLOVER", "quad", "Goldstein", "modality", "date", title="Events")
        for e in doc.events:
            t.add_row(*texts(
                _actor(e.source), e.trigger.text + (" (negated)" if e.negated else ""), _actor(e.target),
                f"{e.cameo} {e.cameo_name}", e.plover, e.quad_class, f"{e.goldstein:+.1f}", e.modality, e.date,
            ))
        console.print(t)
    if not (doc.actors or doc.events):
        err_console.print("[dim]no actors or events found[/]")


def _actor(ref) -> str:
    return f"{ref.text} [{ref.code}]" if ref else ""
