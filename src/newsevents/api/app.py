"""The FastAPI app: the routes under /api, the web page at /, the API docs at /docs.

Around the routes: a limit on request bodies (``settings.max_request_bytes``, 413 before a
byte more is read), security headers on every response (a strict Content-Security-Policy:
scripts, styles and data from this server only, no inline script, no eval), a refusal of
cross-site POSTs and of foreign Host names (see :class:`Guard`), and one JSON shape for every
error: ``{"error": "<code>", "detail": "<what went wrong and what to do>"}``.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException

from ..version import __version__
from ..errors import (
    IngestError, InputTooLarge, InvalidFilter, NewseventsError, SchemaMismatch, SettingsError, StoreError, StoreLocked,
)
from ..pipeline import Pipeline
from ..settings import Settings
from .routes import router
from .service import Service

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"

#: The names of this machine, which a server listening on localhost answers to.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
#: The most bytes of request line and headers the server buffers before it refuses a request
#: (400). Browsers send a few kB; uvicorn's httptools parser has no such bound (a client could
#: stream headers until memory runs out), so ``newsevents serve`` runs its h11 parser with this.
MAX_HEADER_BYTES = 64 * 1024
#: The longest URL (path and query string) answered; a longer one is 414. (h11 bounds only what
#: arrives in pieces, so a long request line sent at once would pass its limit.)
MAX_URL_BYTES = 64 * 1024

#: The page's policy: nothing but this server's own files; no inline script, no eval (Vega
#: evaluates its expressions with vega-interpreter), no plugins, no framing.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
#: Swagger UI sets style attributes while it renders; /docs shows the API, never article text.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

DESCRIPTION = """\
Articles coded into political events (CAMEO/PLOVER): who did what to whom, when and where,
and who said what, each fact traceable to its span in the article.

The store's reads take the filters of `newsevents query` (repeat a parameter for any of several
values), list endpoints are paged (`limit`, `offset`, and the `total` to page through), and
`POST /api/extract` codes a text or an HTML page on the fly. Errors are JSON:
`{"error": "<code>", "detail": "<message>"}`. The Document JSON is described in docs/schema.md,
the store's columns in docs/store.md.
"""


def create_app(settings: Settings | None = None, *, pipeline: Pipeline | None = None,
               preload: bool = False, hosts: tuple[str, ...] | None = None) -> FastAPI:
    """The app serving ``settings.store_path`` and coding with ``settings``' pipeline.

    ``pipeline`` replaces the one built from the settings (tests pass a fake); ``preload``
    builds it in the background at startup rather than on the first request that needs it;
    ``hosts``, when given, are the only names the server answers to (``newsevents serve`` on
    localhost gives ``LOCAL_HOSTS``, so that a web page cannot reach it by DNS rebinding).
    """
    settings = settings or Settings()
    service = Service(settings, pipeline)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if preload:  # spaCy takes seconds to load: do it while the user opens the page
            threading.Thread(target=service.pipeline, name="newsevents-preload", daemon=True).start()
        yield
        service.close()

    app = FastAPI(title="newsevents", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.service = service
    app.add_middleware(Guard, hosts=hosts)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    _error_handlers(app)
    app.include_router(router, prefix="/api")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html")

    return app


def error(status: int, detail: str, code: str | None = None, **extra) -> JSONResponse:
    """The JSON error every route answers with."""
    body = {"error": code or _slug(status), "detail": detail, **extra}
    headers = {"Retry-After": "10"} if status == 503 else None
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers)


def _slug(status: int) -> str:
    if status == 413:  # its phrase changed between Python versions
        return "request-too-large"
    return HTTPStatus(status).phrase.lower().replace(" ", "-")


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in exc.errors()]
        return error(422, "; ".join(problems), "invalid-request",
                     errors=[{k: e[k] for k in ("loc", "msg", "type")} for e in exc.errors()])

    @app.exception_handler(NewseventsError)
    async def ours(request: Request, exc: NewseventsError):
        if isinstance(exc, InvalidFilter):
            return error(422, str(exc), "invalid-request", param=exc.param, valid=exc.valid)
        if isinstance(exc, SettingsError):
            return error(422, str(exc), "invalid-request")
        if isinstance(exc, InputTooLarge):
            return error(413, exc.message, exc.reason)
        if isinstance(exc, IngestError):  # the text was read, but is not an article we can code
            return error(422, exc.message, exc.reason)
        if isinstance(exc, StoreLocked):
            return error(503, str(exc), "store-locked")
        if isinstance(exc, (SchemaMismatch, StoreError)):
            return error(503, str(exc), "store-unavailable")
        log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        return error(500, str(exc), "server-error")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error(500, f"unexpected {type(exc).__name__}; the server log has the details", "server-error")


class Guard:
    """Adds the Content-Security-Policy and its companions to every response, and refuses what a
    hostile web page open in the user's browser could send: a POST from another origin (an
    article stored behind the user's back) and, with ``hosts``, a Host header naming another
    server (DNS rebinding)."""

    def __init__(self, app, hosts: tuple[str, ...] | None = None):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if url_bytes > MAX_URL_BYTES:
            return await error(414, f"the URL is {url_bytes:,} bytes long, over the limit of {MAX_URL_BYTES:,}; "
                                    "send fewer or shorter filter values", "uri-too-long")(scope, receive, send)
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.hosts is not None and _hostname(host) not in self.hosts:
            return await error(400, f"this server answers to {', '.join(self.hosts)}, not {host!r}",
                               "bad-host")(scope, receive, send)
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and origin and urlsplit(origin).netloc != host:
            return await error(403, f"a {scope['method']} from another site ({origin}) is refused; send it from "
                                    "this server's page or without an Origin header (curl, scripts)",
                               "cross-origin")(scope, receive, send)
        policy = DOCS_CSP if scope["path"] == "/docs" else CSP

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413: at once when Content-Length says so,
    else as soon as the streamed body grows past it (nothing more is read)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = (f"the request body is larger than {self.max_bytes:,} bytes (max_request_bytes); "
                     "send one article at a time")
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and not length.isdigit():
            return await error(400, "Content-Length is not a number")(scope, receive, send)
        if length is not None and int(length) > self.max_bytes:
            return await error(413, too_large)(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, too_large)
            return message

        await self.app(scope, counted, send)


def _hostname(host: str) -> str:
    """``localhost`` of ``localhost:8000``, ``::1`` of ``[::1]:8000``."""
    return urlsplit(f"//{host}").hostname or ""
