"""``newsevents serve``: the HTTP API and the web page."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import app
from ._common import console, err_console, make_settings, plain

@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on; the default is this machine "
                                                          "only (the API has no login: anyone who reaches it reads the store)."),
    port: int = typer.Option(8000, "--port", "-p", help="Port to listen on."),
    store: Path = typer.Option(None, "--store", help="The store to serve (default: $NEWSEVENTS_STORE, else "
                                                      "~/.local/share/newsevents/newsevents.duckdb)."),
) -> None:
    """Serve the web page (read articles with their events, browse the store, dyad timelines) and the
    JSON API (docs at /docs) until Ctrl+C.

    Example: newsevents serve --port 8000 --store demo.duckdb
    """
    import uvicorn

    from ..api import create_app
    from ..api.app import LOCAL_HOSTS, MAX_HEADER_BYTES

    settings = make_settings(store_path=str(store) if store else None)
    local = host in LOCAL_HOSTS
    if not local:
        err_console.print(f"[yellow]warning:[/] listening on {plain(host)}: anyone who can reach this port can read the "
                          "store and have articles coded (there is no login)", highlight=False)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"newsevents: http://{plain(shown)}:{port}/ (API docs at /docs), store {plain(settings.store_path)}",
                  highlight=False)
    _say_if_locked(settings)
    app = create_app(settings, preload=True, hosts=LOCAL_HOSTS if local else None)
    uvicorn.run(app, host=host, port=port, log_level="info", http="h11", h11_max_incomplete_event_size=MAX_HEADER_BYTES)


def _say_if_locked(settings) -> None:
    """A store a batch run is writing is served once the run ends; say so rather than let every
    request fail unexplained."""
    from ..errors import StoreDamaged, StoreError, StoreLocked
    from ..store import open_store

    try:
        open_store(settings.store_path, read_only=True, settings=settings).close()
    except StoreLocked as exc:
        err_console.print(f"[yellow]warning:[/] {plain(exc)} Until then the page and the API answer 503 (store-locked).",
                          highlight=False)
    except StoreDamaged as exc:
        err_console.print(f"[yellow]warning:[/] {plain(exc)} Until then the page and the API answer 503.",
                          highlight=False)
    except StoreError:  # no store yet, and the like: /api/health says why
        pass
