"""What every command shares: consoles, settings from options, the rejection summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.console import Console

from ..model import Rejection
from ..settings import Settings

console = Console()
err_console = Console(stderr=True)

ActorsOption = typer.Option(
    None, "--actors", help="A YAML file of extra actors (see docs/actors.md); repeat for several.", exists=True,
    dir_okay=False,
)
InputFormatOption = typer.Option("auto", "--input-format", help="auto, text, html, jsonl or csv.")
TextFieldOption = typer.Option(None, "--text-field", help="JSONL/CSV field holding the article text (tried first).")


def make_settings(actors: list[Path] | None = None, input_format: str = "auto", text_field: str | None = None,
                  **changes) -> Settings:
    base = Settings()
    if text_field:
        changes["text_fields"] = (text_field, *base.text_fields)
    if actors:
        changes["actors_files"] = tuple(str(p) for p in actors)
    return base.with_(input_format=input_format, **{k: v for k, v in changes.items() if v is not None})


class RejectionLog:
    """Reports each rejected input as it happens and sums them up at the end."""

    def __init__(self, quiet: bool = False):
        self.rejections: list[Rejection] = []
        self.quiet = quiet

    def add(self, r: Rejection) -> None:
        self.rejections.append(r)
        if not self.quiet:
            err_console.print(f"[yellow]skipped[/] {r.source}: {r.message} [dim]({r.reason})[/]", highlight=False)

    def summary(self, ok: int, what: str = "articles") -> int:
        """Print the summary line; return the exit status (1 when anything failed)."""
        if self.rejections:
            reasons = ", ".join(f"{n} {reason}" for reason, n in Counter(r.reason for r in self.rejections).most_common())
            err_console.print(f"{ok} {what} done, {len(self.rejections)} inputs skipped ({reasons})")
            return 1
        return 0


def fold_table(*headers: str, title: str, no_wrap: set[str] = frozenset()):
    """A rich table whose cells wrap (long words folded) on a narrow terminal rather than being
    cut ("expec…"); the ``no_wrap`` columns (dates, numbers) stay on one line."""
    from rich.table import Table

    table = Table(title=title)
    for header in headers:
        table.add_column(header, overflow="fold", no_wrap=header in no_wrap)
    return table
