"""What every command shares: consoles, settings from options, the rejection summary."""

from __future__ import annotations

import functools
import inspect
from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..model import Rejection
from ..settings import Settings

console = Console()
err_console = Console(stderr=True)



def plain(value) -> str:
    """``value`` as text to print among markup: what the user gave (a path, a field name, a value)
    is shown as written, never read as rich markup (a JSONL key "[/note]" must not crash a run)."""
    return escape(str(value))


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


def skipped_line(r: Rejection) -> str:
    """The line that reports a rejected input: ``skipped SOURCE: why (reason)``."""
    return f"[yellow]skipped[/] {plain(r.source)}: {plain(r.message)} [dim]({plain(r.reason)})[/]"


def texts(*cells) -> list:
    """Table cells shown as written (a cell given as a string would be read as markup)."""
    from rich.text import Text

    return [Text("" if c is None else str(c)) for c in cells]


class RejectionLog:
    """Reports each rejected input as it happens and sums them up at the end."""

    def __init__(self, quiet: bool = False):
        self.rejections: list[Rejection] = []
        self.quiet = quiet

    def add(self, r: Rejection) -> None:
        self.rejections.append(r)
        if not self.quiet:
            err_console.print(skipped_line(r), highlight=False)

    def summary(self, ok: int, what: str = "articles") -> int:
        """Print the summary line; return the exit status (1 when anything failed)."""
        if self.rejections:
            reasons = ", ".join(f"{n} {reason}" for reason, n in Counter(r.reason for r in self.rejections).most_common())
            err_console.print(f"{ok} {what} done, {len(self.rejections)} inputs skipped ({reasons})")
            return 1
        return 0


def filter_options(paging: bool = True, kind: str | None = None):
    """Give a command the store's filters as options, declared once in
    :data:`newsevents.store.filters.PARAMS` (the API's query parameters come from the same list).

    The command declares a parameter ``filters`` (``filters: Filters = None``); it is replaced by
    one option per filter (``--limit`` and ``--offset`` only with ``paging``; with ``kind``, those
    that apply to that kind of rows), and the command
    is called with the checked :class:`~newsevents.store.filters.Filters`. A value that is not
    valid is a usage error (exit 2) naming the option and the valid values.
    """
    from ..store.filters import PARAMS, Filters
    from ..errors import InvalidFilter

    declared = [p for p in PARAMS if (paging or p.field not in ("limit", "offset")) and (kind is None or kind in p.kinds)]

    def option(p) -> inspect.Parameter:
        flags = [f"--{p.option.replace('_', '-')}", *([p.short] if p.short else [])]
        if p.type is bool:
            default, annotation = typer.Option(False, *flags, help=p.help), bool
        elif p.many:
            default, annotation = typer.Option(None, *flags, help=p.help), list[p.type]
        else:
            default, annotation = typer.Option(None, *flags, help=p.help), Optional[p.type]
        return inspect.Parameter(p.option, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)

    def decorate(command):
        signature = inspect.signature(command, eval_str=True)
        parameters = []
        for parameter in signature.parameters.values():
            if parameter.name == "filters":
                parameters += [option(p) for p in declared]
            else:
                parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))

        @functools.wraps(command)
        def with_filters(**values):
            given = {p.field: values.pop(p.option) for p in declared}
            try:
                filters = Filters.make(**given)
            except InvalidFilter as exc:
                raise typer.BadParameter(str(exc), param_hint=f"--{exc.param.replace('_', '-')}") from None
            return command(filters=filters, **values)

        with_filters.__signature__ = signature.replace(parameters=parameters)
        with_filters.__annotations__ = {p.name: p.annotation for p in parameters}
        return with_filters

    return decorate


def fold_table(*headers: str, title: str, no_wrap: set[str] = frozenset()):
    """A rich table whose cells wrap (long words folded) on a narrow terminal rather than being
    cut ("expec…"); the ``no_wrap`` columns (dates, numbers) stay on one line."""
    from rich.table import Table

    table = Table(title=title)
    for header in headers:
        table.add_column(header, overflow="fold", no_wrap=header in no_wrap)
    return table
