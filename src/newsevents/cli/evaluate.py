"""``newsevents evaluate ...``: score the pipeline against gold data (one command per task)."""

from __future__ import annotations

import typer

from . import app

evaluate_app = typer.Typer(help="Score the pipeline against gold data (P/R/F1).", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")
