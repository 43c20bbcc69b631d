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
from . import follow as _follow  # noqa: F401
from . import actors as _actors  # noqa: F401


def main() -> None:
    """Run the command line; every way it can stop is one exit status (docs/reliability.md)."""
    import errno
    import os

    from ..errors import EXIT_FAULT, EXIT_USAGE, NewseventsError, exit_status
    from ._common import err_console, plain

    try:
        app()
    except NewseventsError as exc:
        err_console.print(f"[bold red]error:[/] {plain(exc)}", highlight=False)
        sys.exit(exit_status(exc))
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]: what was committed is kept; run the same command again to go on",
                          highlight=False)
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (`newsevents query ... | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except OSError as exc:  # a file we were told to write or read: a fault of the disk, or a bad path
        fault = exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EROFS)
        where = f" ({exc.filename})" if exc.filename else ""
        err_console.print(f"[bold red]error:[/] {plain(exc.strerror or exc)}{plain(where)}", highlight=False)
        sys.exit(EXIT_FAULT if fault else EXIT_USAGE)
    except Exception as exc:  # a bug: one line here, the traceback in a file to report
        import tempfile
        import traceback

        with tempfile.NamedTemporaryFile("w", prefix="newsevents-error-", suffix=".txt", delete=False) as f:
            traceback.print_exc(file=f)
        err_console.print(f"[bold red]internal error[/] ({plain(type(exc).__name__)}: {plain(exc)}); this is a bug "
                          f"in newsevents: please report it with the command and {plain(f.name)}, which holds the "
                          "details", highlight=False)
        sys.exit(EXIT_FAULT)
