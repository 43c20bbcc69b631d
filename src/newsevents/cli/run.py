"""``newsevents run``: a whole corpus into the store, with a progress bar."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import typer
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn,
)
from rich.text import Text

from ..errors import EXIT_FAULT, EXIT_OK, EXIT_REJECTED, StoreFault, WorkerError
from ..model import Rejection
from .app import app
from ._common import ActorsOption, InputFormatOption, TextFieldOption, err_console, make_settings, plain, skipped_line


@app.command()
def run(
    paths: list[str] = typer.Argument(..., help="Files or folders (read recursively), JSONL/CSV dumps, .gz; - reads stdin."),
    workers: int = typer.Option(None, "--workers", "-w", help="Worker processes (default: the cores); with "
                                                               "--scheduler, wait for this many Dask workers."),
    engine: str = typer.Option("local", "--engine", help="local (processes on this machine) or dask (a Dask cluster)."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a "
                                                             "LocalCluster of --workers processes."),
    shards: str = typer.Option(None, "--shards", help="Dask: where workers write Parquet shards for the store to import: "
                                                       "a shared folder or an fsspec URL (s3://bucket/run/). Default: "
                                                       "beside the store (LocalCluster only)."),
    keep_shards: bool = typer.Option(False, "--keep-shards", help="Dask: keep the shards once imported."),
    store: Path = typer.Option(None, "--store", help="The store file (default: $NEWSEVENTS_STORE, else "
                                                      "~/.local/share/newsevents/newsevents.duckdb)."),
    batch_size: int = typer.Option(None, "--batch-size", help="Articles per chunk sent to a worker (one nlp.pipe batch)."),
    commit_every: int = typer.Option(None, "--commit-every", help="Articles per store transaction."),
    actors: list[Path] = ActorsOption,
    input_format: str = InputFormatOption,
    text_field: str = TextFieldOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, and no line per skipped input."),
    wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait for another process that holds the store "
                                                          "(a Python session, another tool) before giving up. A server "
                                                          "and other runs take turns with this one: no need to wait."),
) -> None:
    """Run every stage over a corpus and write the results into the store, in parallel, resumably.

    Articles already in the store are skipped, so after an interruption the same command does
    the rest. Exits 0 when all went in, 1 when any input was rejected or any article failed (each
    is named), 2 on a usage or store problem (locked, damaged), 3 when a fault stopped it (disk
    full, an I/O error, a worker killed): what was committed is kept, and the same command resumes.

    Example: newsevents run corpus/ dumps/news.jsonl.gz --workers 8 --store events.duckdb
    """
    from ..run import run as run_corpus

    if engine != "dask" and (scheduler or shards or keep_shards):
        raise typer.BadParameter("--scheduler, --shards and --keep-shards need --engine dask", param_hint="--engine")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if workers and workers > cores and engine == "local":
        err_console.print(f"[yellow]warning:[/] --workers {workers} on a machine with {cores} cores: each worker "
                          f"loads its own model and they share the cores, so more workers than cores run slower, "
                          f"not faster; --workers {cores} (the default) is the most this machine gains from",
                          highlight=False)
    settings = make_settings(actors, input_format, text_field, store_path=str(store) if store else None,
                             workers=workers, batch_size=batch_size, commit_every=commit_every)
    options = {"workers": workers}
    if engine == "dask":
        options.update(scheduler=scheduler, shards=shards, keep_shards=keep_shards)
    bar = _Bar(quiet)
    try:
        with bar:
            report = run_corpus(paths, settings, engine=engine, listener=bar, wait=wait, **options)
    except (StoreFault, WorkerError) as exc:
        if bar.report is not None:
            _summary(bar.report, settings.store_path)
        written = bar.report.written if bar.report else 0
        err_console.print(f"[bold red]stopped:[/] {plain(exc)}", highlight=False)
        err_console.print(f"{written} articles of this run were committed to the store before it stopped; run the "
                          "same command again to resume (stored articles are skipped)", highlight=False)
        raise typer.Exit(EXIT_FAULT) from None
    raise typer.Exit(_summary(report, settings.store_path))


class _Rate(ProgressColumn):
    """Inputs done per second since the start. Rich's own speed averages the last few updates,
    and a run's progress comes in bursts (a chunk's articles at once): that read 273/s for a run
    doing 3.7/s. The whole run's average is what the user can plan with."""

    def render(self, task) -> Text:
        rate = _rate(task)
        return Text(f"{rate:,.1f} articles/s" if rate else "", style="progress.data.speed")


class _Eta(ProgressColumn):
    """Time left at the average rate so far (see :class:`_Rate`)."""

    def render(self, task) -> Text:
        rate = _rate(task)
        if not rate or task.total is None:
            return Text("ETA -:--:--", style="progress.remaining")
        left = int(max(task.total - task.completed, 0) / rate)
        return Text(f"ETA {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}", style="progress.remaining")


def _rate(task) -> float | None:
    elapsed = task.finished_time if task.finished else task.elapsed
    return task.completed / elapsed if elapsed and task.completed else None


class _Bar:
    """The run's listener: a rich progress bar on stderr, and a line per rejected input."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
            TimeElapsedColumn(), _Eta(), TextColumn("{task.fields[problems]}"),
            console=err_console, disable=quiet, transient=False,
        )
        self.task = self.bar.add_task("starting", total=None, problems="")
        self.report = None  # the run's report, as far as it got

    def __enter__(self) -> "_Bar":
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def started(self, report) -> None:
        self.report = report
        self.bar.update(self.task, description=f"{report.engine}, {report.workers} workers")

    def progress(self, report) -> None:
        problems = []
        if report.rejected:
            problems.append(f"[yellow]{sum(report.rejected.values())} rejected[/]")
        if report.failed:
            problems.append(f"[red]{report.failed} failed[/]")
        self.bar.update(self.task, completed=report.inputs, total=report.total, problems=" ".join(problems))

    def rejection(self, r: Rejection) -> None:
        if not self.quiet:
            self.bar.console.print(skipped_line(r), highlight=False)

    def failure(self, f) -> None:
        self.bar.console.print(f"[red]failed[/] {plain(f.source)}{f' (article {f.article_id})' if f.article_id else ''}: "
                               f"{plain(f.reason)}", highlight=False)


def _summary(report, store_path: str) -> int:
    rate = report.written / report.seconds if report.seconds else 0.0
    err_console.print(
        f"[bold]run:[/] {report.written} articles written ({report.mentions} event mentions, {report.new_events} new "
        f"events, {report.quotes} quotes), {report.stored} already stored, in {report.seconds:.1f} s "
        f"({rate:.1f} articles/s, {report.engine} engine, {report.workers} workers) into {plain(store_path)}",
        highlight=False)
    if report.rejected:
        reasons = ", ".join(f"{n} {reason}" for reason, n in Counter(report.rejected).most_common())
        err_console.print(f"[yellow]{sum(report.rejected.values())} inputs rejected[/] ({reasons})", highlight=False)
    if report.failed:
        reasons = Counter(f.reason.split(":")[0] for f in report.failures).most_common(3)
        err_console.print(f"[red]{report.failed} articles failed[/] ({plain(', '.join(f'{n} {r}' for r, n in reasons))}); "
                          "they are not stored, and a rerun tries them again", highlight=False)
    return EXIT_OK if report.ok else EXIT_REJECTED
