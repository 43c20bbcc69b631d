"""The ``newsevents`` command line (Typer + rich).

Each command parses its arguments, builds a Settings, makes one library call and turns our
exceptions into a clear message and an exit code. Commands live in one module per group.
"""

from __future__ import annotations

import sys

from .app import app

# Command groups register themselves on `app` when imported.
from . import extract as _extract  # noqa: F401
from . import demo as _demo  # noqa: F401
from . import evaluate as _evaluate  # noqa: F401
from . import store as _store  # noqa: F401
from . import serve as _serve  # noqa: F401
from . import train as _train  # noqa: F401
from . import run as _run  # noqa: F401


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
