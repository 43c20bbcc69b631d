"""``newsevents watch`` and ``newsevents feeds``: keep the store current without batch commands."""

from __future__ import annotations

import logging
import re
import signal
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.logging import RichHandler
from rich.status import Status

from .app import app
from ._common import err_console, make_settings

StoreOption = typer.Option(None, "--store", help="The store file (default: $NEWSEVENTS_STORE, else "
                                                 "~/.local/share/newsevents/newsevents.duckdb).")
LogOption = typer.Option(None, "--log", help="Also append the log to this file.")
QuietOption = typer.Option(False, "--quiet", "-q", help="No status line.")


def duration(text: str) -> float:
    """Seconds of ``90``, ``90s``, ``15m``, ``1h``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m or float(m[1]) <= 0:
        raise typer.BadParameter(f"{text!r} is not a duration such as 90s, 15m or 1h")
    return float(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[m[2]]


@contextmanager
def _following(store: Path | None, log_file: Path | None, quiet: bool, what: str):
    """The settings, the sharing store, the pipeline and a Stop set by SIGTERM/SIGINT; a status
    line on stderr and the log (stderr, and ``log_file``) meanwhile."""
    from .. import get_pipeline
    from ..follow import Stop
    from ..store import open_store

    handlers: list[logging.Handler] = [RichHandler(console=err_console, show_path=False, markup=False)]
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
        handlers[-1].setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True)
    settings = make_settings(store_path=str(store) if store else None)
    stop = Stop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    status = Status(f"{what}: loading the pipeline", console=err_console)
    if not quiet:
        status.start()
    try:
        pipeline = get_pipeline(settings)
        with open_store(settings.store_path, settings=settings, share=True) as st:
            yield settings, st, pipeline, stop, status
    finally:
        status.stop()


def _line(what: str, tally) -> str:
    return (f"{what}: {tally.written} articles written ({tally.events} event mentions), {tally.stored} already "
            f"stored, {tally.rejected} rejected, {tally.failed} failed" + (f"; last {tally.last}" if tally.last else ""))


@app.command()
def watch(
    folders: list[Path] = typer.Argument(..., help="Folders to watch (recursively)."),
    store: Path = StoreOption,
    settle: float = typer.Option(2.0, "--settle", help="Seconds a file must stay unchanged before it is read "
                                                       "(a file still being written is waited for)."),
    interval: float = typer.Option(1.0, "--interval", help="Seconds between two looks at the folders."),
    once: bool = typer.Option(False, "--once", help="Code what is there now, then stop."),
    log_file: Path = LogOption,
    quiet: bool = QuietOption,
) -> None:
    """Code files dropped into folders into the store as they appear or change, each once.

    Text, HTML, JSONL/CSV dumps and .gz files are read as `newsevents run` reads them. A restart
    goes on where it stopped (the files done are kept in STORE.watch). Stops on SIGTERM or
    Ctrl-C once the transaction under way is committed. A server on the same store shows the new
    events at once.

    Example: newsevents watch inbox/ --store events.duckdb --log watch.log
    """
    from ..follow.watch import Watcher

    with _following(store, log_file, quiet, "watch") as (settings, st, pipeline, stop, status):
        def show(tally):
            status.update(_line("watch", tally))

        watcher = Watcher(folders, st, pipeline, settings, settle=settle, interval=interval, on_change=show)
        status.update(f"watch: watching {', '.join(map(str, folders))}")
        tally = watcher.run(stop, once=once)
    err_console.print(_line("watch", tally) + ("; stopped" if stop else ""), highlight=False)


@app.command()
def feeds(
    feeds_file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                      help="RSS/Atom feed URLs, one a line (# comments), or an OPML file."),
    store: Path = StoreOption,
    every: str = typer.Option("15m", "--every", help="Time between two polls: 90s, 15m, 1h."),
    once: bool = typer.Option(False, "--once", help="Poll once, then stop."),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds a request may take."),
    max_bytes: int = typer.Option(5_000_000, "--max-bytes", help="Largest page or feed read, in bytes."),
    per_host_delay: float = typer.Option(1.0, "--per-host-delay", help="Least seconds between two requests to one "
                                                                        "host."),
    log_file: Path = LogOption,
    quiet: bool = QuietOption,
) -> None:
    """Poll news feeds and code their new articles into the store.

    Conditional GETs, robots.txt, a per-host delay, a timeout and a size cap keep it polite; a
    page already stored is not fetched again, and a feed or page that fails is logged and
    skipped. A restart goes on where it stopped (STORE.feeds). Stops on SIGTERM or Ctrl-C once
    the transaction under way is committed. Exits 1 when --once met any failure.

    Example: newsevents feeds feeds.opml --every 15m --store events.duckdb --log feeds.log
    """
    from ..follow.feeds import FeedPoller, FeedsFileError, Fetcher, read_feeds_file

    seconds = duration(every)
    try:
        urls = read_feeds_file(feeds_file)
    except FeedsFileError as exc:
        raise typer.BadParameter(str(exc), param_hint="FEEDS_FILE") from None
    with _following(store, log_file, quiet, "feeds") as (settings, st, pipeline, stop, status):
        fetcher = Fetcher(timeout=timeout, max_bytes=max_bytes, per_host_delay=per_host_delay)
        try:
            poller = FeedPoller(urls, st, pipeline, settings, fetcher,
                                on_change=lambda tally: status.update(_line("feeds", tally)))
            status.update(f"feeds: polling {len(urls)} feeds")
            tally = poller.run(seconds, stop, once=once)
        finally:
            fetcher.close()
    err_console.print(_line("feeds", tally) + ("; stopped" if stop else ""), highlight=False)
    raise typer.Exit(1 if once and tally.failed else 0)
