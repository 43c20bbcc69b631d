"""``newsevents actors ...``: look into the actor dictionary."""

from __future__ import annotations

from pathlib import Path

import typer
from .app import app
from ._common import ActorsOption, console, make_settings

actors_app = typer.Typer(help="Look into the actor dictionary (Phoenix 2014 < our curated files < yours).",
                         no_args_is_help=True)
app.add_typer(actors_app, name="actors")


@actors_app.command("lookup")
def lookup(
    name: str = typer.Argument(..., help="A name, surname or role noun, as written in a text."),
    date: str = typer.Option(None, "--date", help="The article's date (YYYY-MM-DD); dated roles are read on it. "
                             "Default: the latest role."),
    actors: list[Path] = ActorsOption,
) -> None:
    """Say which layer codes NAME and why: the entry the actors stage uses first, then the others.

    Example: newsevents actors lookup "Barack Obama" --date 2025-03-14
    """
    from ..actors import dictionary
    from ..actors.lookup import lookup as find

    settings = make_settings(actors)
    found = find(dictionary.load(tuple(settings.actors_files)), name, date)
    if not found:
        console.print(f"[yellow]{name!r}: not in the actor dictionary[/] (an unknown name is coded from its title, "
                      "modifiers and apposition; see docs/actors.md)")
        raise typer.Exit(1)
    console.print(f"[bold]{name}[/]" + (f" on {date}" if date else " (latest roles)"), highlight=False)
    for f in found:
        mark = "*" if f.wins else " "
        console.print(f"{mark} {f.code or '-':10} {f.name} ({f.type}): {f.layer} layer, {f.source}, matched as {f.how}; "
                      f"{f.why}", highlight=False, soft_wrap=True)
    console.print("[dim]* what the actors stage uses for these words alone[/]")
