"""``newsevents train ...``: rebuild the shipped models from data (one command per model)."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import console

train_app = typer.Typer(help="Rebuild the shipped models from the gold data.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("events")
def events(
    gold: Path = typer.Option(Path("../shared/gold/events"), "--gold", exists=True, file_okay=False,
                              help="Folder with conflibert-cameo-class-train.tsv."),
    out: Path = typer.Option(None, "--out", help="Where to write the model (default: the package's own)."),
    encoder: bool = typer.Option(False, "--encoder", help="Also re-export the MiniLM encoder (needs the train extra)."),
) -> None:
    """Fit the quad-class model the events stage consults where its rules are unsure.

    Example: newsevents train events --gold ../shared/gold/events
    """
    from ..evaluation.events import CLASS_FILE
    from ..events.quadmodel import train

    path = train(gold / CLASS_FILE, out=out, encoder=encoder, log=lambda m: console.print(m, highlight=False))
    console.print(f"wrote {path}; score it with `newsevents evaluate events --cv 5`", highlight=False)
