"""The HTTP API and the web page (``newsevents serve``).

``create_app(settings)`` gives a FastAPI app: JSON routes under ``/api`` that call the same
library functions as the command line (query, stats, extract), the web page at ``/`` (plain
HTML/CSS/JS shipped in ``static/``, Vega-Lite for the timeline, nothing from a CDN), and the
OpenAPI docs at ``/docs``. See docs/api.md.

    import uvicorn
    from newsevents import Settings
    from newsevents.api import create_app
    uvicorn.run(create_app(Settings(store_path="events.duckdb")), host="127.0.0.1", port=8000)
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
