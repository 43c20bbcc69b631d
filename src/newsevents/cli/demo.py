"""``newsevents demo``: the main job on the bundled sample."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import typer

from ..model import Rejection
from .app import app
from ._common import RejectionLog, console, err_console, make_settings, plain


@app.command()
def demo(
    show: bool = typer.Option(True, "--show/--no-show", help="Print the canonical article's result as tables."),
    store: Path = typer.Option(None, "--store", help="Write the documents into this store (default: "
                                                      "$NEWSEVENTS_STORE, else ~/.local/share/newsevents/newsevents.duckdb)."),
) -> None:
    """Run the whole pipeline on the bundled sample (the canonical article, 89 Voice of America
    news stories of 2019-2025 and 71 official statements of 2016, all public domain), write the
    results into the store and print a summary.

    Example: newsevents demo --store demo.duckdb
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .. import extract_files
    from ..data import sample_paths
    from ..run.progress import count_inputs
    from ..store import open_store
    from .extract import print_document

    settings = make_settings(store_path=str(store) if store else None)
    log = RejectionLog()
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    dyads: Counter[tuple[str, str]] = Counter()
    first = None
    paths = sample_paths()
    total = count_inputs([str(p) for p in paths], settings)
    # Said at once: the language model takes seconds to load before the first article is done.
    err_console.print(f"demo: coding the bundled sample ({total} articles: {', '.join(p.name for p in paths)}) "
                      "into the store; the language model loads first", highlight=False)
    bar = Progress(TextColumn("demo"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err_console, transient=True)
    task = bar.add_task("demo", total=total)

    def documents():
        nonlocal first
        for item in extract_files(paths, settings):
            bar.advance(task)
            if isinstance(item, Rejection):
                log.add(item)
                continue
            first = first or item
            counts.update(articles=1, sentences=len(item.sentences), actors=len(item.actors), quotes=len(item.quotes),
                          places=len(item.locations), events=len(item.events))
            # a dyad of event data: both sides coded (uncoded phrases are in the store, not here)
            dyads.update((e.source.code, e.target.code) for e in item.events
                         if e.source and e.target and e.source.code and e.target.code)
            yield item

    with bar, open_store(settings.store_path, settings=settings, share=True) as s:
        written = s.write(documents())
        stored = s.counts()
        shape = s._reader(
            "SELECT count(*) AS events, count(date) AS dated, count(place_lat) AS placed, "
            "min(date) AS first, max(date) AS last FROM events").read_all().to_pylist()[0]
    seconds = time.perf_counter() - started
    if show and first is not None:
        print_document(first)
    console.print(
        f"[bold]demo:[/] {counts['articles']} articles, {counts['sentences']} sentences, {counts['actors']} actor "
        f"mentions, {counts['quotes']} quotes, {counts['places']} places, {counts['events']} events "
        f"in {seconds:.1f} s",
        highlight=False,
    )
    if dyads:
        console.print("top coded dyads: " + ", ".join(f"{s}→{t} ({n})" for (s, t), n in dyads.most_common(8)), highlight=False)
    console.print(
        f"[bold]store:[/] {plain(settings.store_path)}: {written.articles} articles written, {written.skipped} already there; "
        f"it holds {stored['articles']} articles, {stored['events']} events from {stored['mentions']} mentions; "
        f"{_share(shape['dated'], shape['events'])} of the events dated ({shape['first'] or '-'} to "
        f"{shape['last'] or '-'}), {_share(shape['placed'], shape['events'])} placed on a map. "
        "Try: newsevents query --dyad USA-RUS --undirected, or newsevents serve" + (f" --store {plain(store)}" if store else ""),
        highlight=False,
    )
    raise typer.Exit(log.summary(counts["articles"]))


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "none"


@app.command()
def sample(
    folder: Path = typer.Argument(Path("newsevents-sample"), help="Copy the sample files into this folder "
                                                                  "(created when missing)."),
) -> None:
    """Copy the bundled sample (the canonical scraped article, 89 Voice of America stories and 71
    official statements, as JSONL) into a folder, to try the other commands on real files.

    Example: newsevents sample articles/
    """
    import shutil

    from ..data import sample_paths

    folder.mkdir(parents=True, exist_ok=True)
    for path in sample_paths():
        shutil.copy(path, folder / path.name)
        console.print(plain(folder / path.name), highlight=False)
