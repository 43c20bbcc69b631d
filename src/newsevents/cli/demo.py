"""``newsevents demo``: the main job on the bundled sample."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import typer

from ..model import Rejection
from . import app
from ._common import RejectionLog, console, make_settings, plain


@app.command()
def demo(
    show: bool = typer.Option(True, "--show/--no-show", help="Print the canonical article's result as tables."),
    store: Path = typer.Option(None, "--store", help="Write the documents into this store (default: "
                                                      "$NEWSEVENTS_STORE, else ~/.local/share/newsevents/newsevents.duckdb)."),
) -> None:
    """Run the whole pipeline on the bundled sample (the canonical article plus 71 public-domain
    official statements), write the results into the store and print a summary.

    Example: newsevents demo --store demo.duckdb
    """
    from .. import extract_files
    from ..data import sample_paths
    from ..store import open_store
    from .extract import print_document

    settings = make_settings(store_path=str(store) if store else None)
    log = RejectionLog()
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    dyads: Counter[tuple[str, str]] = Counter()
    first = None

    def documents():
        nonlocal first
        for item in extract_files(sample_paths(), settings):
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

    with open_store(settings.store_path, settings=settings) as s:
        written = s.write(documents())
        stored = s.counts()
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
        f"it holds {stored['articles']} articles, {stored['events']} events from {stored['mentions']} mentions. "
        "Try: newsevents query --source RUS --target USA" + (f" --store {plain(store)}" if store else ""),
        highlight=False,
    )
    raise typer.Exit(log.summary(counts["articles"]))


@app.command()
def sample(
    folder: Path = typer.Argument(Path("newsevents-sample"), help="Copy the sample files into this folder "
                                                                  "(created when missing)."),
) -> None:
    """Copy the bundled sample (the canonical scraped article and the JSONL corpus of 71 official
    statements) into a folder, to try the other commands on real files.

    Example: newsevents sample articles/
    """
    import shutil

    from ..data import sample_paths

    folder.mkdir(parents=True, exist_ok=True)
    for path in sample_paths():
        shutil.copy(path, folder / path.name)
        console.print(plain(folder / path.name), highlight=False)
