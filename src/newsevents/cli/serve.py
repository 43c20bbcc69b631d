"""``newsevents serve``: the HTTP API and the web page."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import console, err_console, make_settings

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
    from ..api.app import LOCAL_HOSTS

    settings = make_settings(store_path=str(store) if store else None)
    local = host in LOCAL_HOSTS
    if not local:
        err_console.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach this port can read the "
                          "store and have articles coded (there is no login)", highlight=False)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"newsevents: http://{shown}:{port}/ (API docs at /docs), store {settings.store_path}",
                  highlight=False)
    app = create_app(settings, preload=True, hosts=LOCAL_HOSTS if local else None)
    uvicorn.run(app, host=host, port=port, log_level="info")
