"""The ``newsevents`` command line (Typer + rich).

Each command parses its arguments, builds a Settings, makes one library call and turns our
exceptions into a clear message and an exit code. Commands live in one module per group.
"""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    name="newsevents",
    help="Turn raw news articles into structured, coded, queryable political event data.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

# Command groups register themselves on `app` when imported.
from . import extract as _extract  # noqa: E402,F401
from . import demo as _demo  # noqa: E402,F401
from . import evaluate as _evaluate  # noqa: E402,F401
from . import store as _store  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
from . import train as _train  # noqa: E402,F401
from . import run as _run  # noqa: E402,F401
from . import actors as _actors  # noqa: E402,F401


def main() -> None:
    from ..errors import NewseventsError
    from ._common import err_console

    try:
        app()
    except NewseventsError as exc:
        err_console.print(f"[bold red]error:[/] {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]")
        sys.exit(130)
