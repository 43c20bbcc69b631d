"""The Typer application every command group registers its commands on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="newsevents",
    help="Turn raw news articles into structured, coded, queryable political event data.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
