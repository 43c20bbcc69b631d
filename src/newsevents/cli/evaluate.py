"""``newsevents evaluate ...``: score the pipeline against gold data (one command per task)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from . import app
from ._common import console, make_settings

evaluate_app = typer.Typer(help="Score the pipeline against gold data (P/R/F1).", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")


@evaluate_app.command("quotes")
def quotes(
    polnear: Path = typer.Option(..., "--polnear", help="A PolNeAR split folder (with text/ and attributions/), "
                                 "e.g. ../shared/gold/quotes/polnear/dev.", exists=True, file_okay=False),
    limit: int = typer.Option(None, "--limit", help="Score only the first N articles."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score quotes against PolNeAR attributions: content P/R/F1 (exact and by token overlap),
    cue P/R/F1 and speaker accuracy (see docs/quotes.md for how each is computed).

    Example: newsevents evaluate quotes --polnear ../shared/gold/quotes/polnear/dev
    """
    from ..evaluation.quotes import evaluate_polnear

    scores = evaluate_polnear(polnear, make_settings(), limit=limit)
    if json_out:
        console.print_json(json.dumps(scores))
        return
    table = Table("measure", "precision", "recall", "F1", title=f"Quotes on {polnear} ({scores['articles']} articles, "
                  f"{scores['gold']} gold attributions, {scores['predicted']} predicted quotes)")
    for key, label in (("content_overlap", "content (token overlap)"), ("content_exact", "content (exact)"),
                       ("cue_overlap", "cue (overlap)"), ("cue_exact", "cue (exact)")):
        m = scores[key]
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}")
    console.print(table)
    console.print(f"speaker accuracy {scores['speaker_accuracy']:.3f} (span overlaps the gold Source; shared-word rule "
                  f"{scores['speaker_words']:.3f}) over {scores['speaker_n']} matched attributions with a source",
                  highlight=False)
