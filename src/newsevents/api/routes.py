"""The routes under /api. Each calls the library function its command calls, so the API can do
nothing the command line cannot:

==============================  ===============================================================
``GET /api/articles`` ...       ``newsevents query articles|events|mentions|quotes``:
                                ``store.reader(kind, filters)``, paged (``store.count``)
``GET /api/articles/{id}``      ``store.get_document(id)``: the Document JSON, as ``extract``
``GET /api/stats``              ``newsevents stats``: ``store.stats_reader(by, per, ...)``
``POST /api/extract``           ``newsevents extract``: ingest (``read_text``) + the pipeline;
                                ``store=true`` writes it as ``demo`` does (``store.write``)
``GET /api/health``             ``store.counts()`` and whether the pipeline is loaded
==============================  ===============================================================
"""

from __future__ import annotations

import json
from typing import Any, Literal

import pyarrow as pa
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from .. import __version__
from ..errors import InvalidFilter, SettingsError, StoreError
from ..ingest import normalise_date, read_text
from ..ingest.decode import decode
from ..model import Document
from ..pipeline import STAGE_FACTORIES
from ..store import Filters
from ..store.query import GROUPINGS, PERIODS
from .params import StrictRoute, filter_params
from .service import Service

router = APIRouter(route_class=StrictRoute)

#: Rows per page unless ``limit`` says otherwise, and the most one page may hold (on the demo
#: store an event row is 1.2 kB of JSON and a mention 1.6 kB: 1,000 rows stay under 2 MB).
PAGE = 50
MAX_PAGE = 1000
#: Statistics are not paged by default: ten years of days for one dyad is 3,653 rows.
STATS_ROWS = 10_000


class Page(BaseModel):
    """One page of rows: ``items`` are rows as ``newsevents query --format jsonl`` gives them;
    ``total`` counts every row that passes the filters."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class Stats(BaseModel):
    """Rows as ``newsevents stats`` gives them: ``period`` (its first day), the group's actors,
    ``events``, ``mentions``, ``mean_goldstein``, ``weighted_goldstein`` and the quad-class mix
    (``neutral``, ``verbal_cooperation``, ``material_cooperation``, ``verbal_conflict``,
    ``material_conflict``)."""

    items: list[dict[str, Any]]
    by: str
    per: str


def service(request: Request) -> Service:
    return request.app.state.service


page_filters = filter_params(PAGE, MAX_PAGE)
stats_filters = filter_params(STATS_ROWS, STATS_ROWS)


def rows(table: pa.Table, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """JSON-ready rows: big integers (DuckDB sums) as numbers, not decimal strings."""
    for i, f in enumerate(table.schema):
        if pa.types.is_decimal(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(pa.int64() if f.type.scale == 0 else pa.float64()))
    table = table.drop_columns([c for c in drop if c in table.column_names])
    return table.to_pylist()


def _page(svc: Service, kind: str, filters: Filters, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    with svc.reading() as store:
        table = store.reader(kind, filters).read_all()
        total = store.count(kind, filters)
    return {"items": rows(table, drop), "total": total, "limit": filters.limit, "offset": filters.offset or 0}


@router.get("/articles", tags=["store"], response_model=Page, summary="List and search stored articles")
def articles(filters: Filters = Depends(page_filters), svc: Service = Depends(service)):
    """Stored articles, oldest first, without their bodies (`GET /api/articles/{id}` has them).
    Filters: `actor`, `since`, `until` (publication date), `place`, `text` (title or body),
    `article`."""
    return _page(svc, "articles", filters, drop=("body",))


@router.get("/articles/{article_id}", tags=["store"], summary="One article with its sentences, actors, quotes and events",
            responses={404: {"description": "No such article in the store"}})
def article(article_id: str, svc: Service = Depends(service)) -> dict[str, Any]:
    """The Document as it was stored: the JSON contract of `newsevents extract`
    (docs/schema.md), every span an offset into `article.body`."""
    with svc.reading() as store:
        doc = store.get_document(article_id)
    if doc is None:
        raise HTTPException(404, f"no article {article_id!r} in the store; GET /api/articles lists them")
    return doc.to_dict()


@router.get("/events", tags=["store"], response_model=Page, summary="Events merged across articles")
def events(filters: Filters = Depends(page_filters), svc: Service = Depends(service)):
    """One row per event, with `num_mentions`, `num_sources`, `num_articles` and the evidence
    sentence; ordered by date."""
    return _page(svc, "events", filters)


@router.get("/mentions", tags=["store"], response_model=Page, summary="Each article's report of an event, with its evidence")
def mentions(filters: Filters = Depends(page_filters), svc: Service = Depends(service)):
    """One row per event mention: sentence and trigger with their offsets, the actors as written
    and coded; `event` gives the reports of one event."""
    return _page(svc, "mentions", filters)


@router.get("/quotes", tags=["store"], response_model=Page, summary="Quotes with their speakers")
def quotes(filters: Filters = Depends(page_filters), svc: Service = Depends(service)):
    """Filters: `actor`/`source` (the speaker), `since`, `until`, `text`, `article`, `quote_kind`."""
    return _page(svc, "quotes", filters)


@router.get("/stats", tags=["store"], response_model=Stats, summary="Events per period and dyad: counts, Goldstein, quad classes")
def stats(by: Literal[PERIODS] = Query("month", description="Period: day, week (from Monday), month or year."),
          per: Literal[GROUPINGS] = Query("dyad", description="Group by dyad, source, target, actor (either side) or "
                                                              "none."),
          by_country: bool = Query(False, description="Group RUSGOV and RUSMIL under RUS."),
          filters: Filters = Depends(stats_filters), svc: Service = Depends(service)):
    """For a dyad timeline: `?dyad=RUS-USA&undirected=true&by=week&per=none` gives, per week,
    the events between the two and their mean Goldstein, split by quad class."""
    with svc.reading() as store:
        table = store.stats_reader(by, per, by_country, filters).read_all()
    return {"items": rows(table), "by": by, "per": per}


_BODY = {
    "required": True,
    "description": "The article: scraped text or an HTML page as the raw body (any encoding; "
                   "`Content-Type: text/html` reads it as HTML), or JSON `{\"text\": \"...\"}`.",
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object", "required": ["text"],
                                        "properties": {"text": {"type": "string"}}}},
    },
}


@router.post("/extract", tags=["coding"], summary="Code a text or an HTML page on the fly", openapi_extra={"requestBody": _BODY},
             responses={413: {"description": "Body over max_request_bytes"},
                        422: {"description": "Not an article we can code (empty, binary, not English ...)"}})
async def extract(request: Request, response: Response,
                  store: bool = Query(False, description="Also write it into the store (as `newsevents demo` does)."),
                  format: Literal["auto", "text", "html"] = Query(
                      "auto", description="How to read the body: auto (by Content-Type, then content), text or html."),
                  published: str | None = Query(None, description="Publication date (ISO), dates events against it."),
                  url: str | None = Query(None, description="Where the page was found."),
                  source: str | None = Query(None, description="A name for where it came from (default: the url, "
                                                               "else <http>)."),
                  svc: Service = Depends(service)) -> dict[str, Any]:
    """Every stage over one article; the answer is the Document JSON of `newsevents extract`
    (docs/schema.md). Nothing is stored unless `store=true`; then the `X-Newsevents-Stored`
    header says `written`, or `already-there` for an article stored before (same text)."""
    if published is not None and published.strip() and normalise_date(published) is None:
        raise InvalidFilter("published", f"published: {published!r} is not a date; write it as ISO 8601 (2022-01-13)")
    data = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            text = json.loads(data)["text"]
        except (ValueError, KeyError, TypeError, RecursionError):
            raise SettingsError('a JSON body must be an object with a "text" string: {"text": "..."}') from None
        if not isinstance(text, str):
            raise SettingsError('"text" must be a string')
    else:
        text = None
    if format == "auto" and kind in ("text/html", "application/xhtml+xml"):
        format = "html"
    where = source or url or "<http>"
    doc = await run_in_threadpool(_extract, svc, text, data, where, format, published, url)
    if store:
        state = await run_in_threadpool(_store, svc, doc)
        response.headers["X-Newsevents-Stored"] = state
    return doc.to_dict()


def _extract(svc: Service, text: str | None, data: bytes, source: str, fmt: str, published: str | None,
             url: str | None) -> Document:
    if text is None:
        text = decode(data, source)
    return svc.extract(read_text(text, source=source, settings=svc.settings, fmt=fmt, published=published, url=url))


def _store(svc: Service, doc: Document) -> str:
    with svc.writing() as store:
        counts = store.write([doc])
    if counts.failed:
        raise StoreError(f"the article could not be stored: {counts.failures[0][1]}")
    return "written" if counts.articles else "already-there"


@router.get("/health", tags=["server"], summary="Is the server up, what does the store hold, is the pipeline loaded")
def health(svc: Service = Depends(service)) -> dict[str, Any]:
    """Always 200 while the server runs; `store.available` is false (with the reason in
    `store.detail`) when the store is missing or a batch run is writing it."""
    out: dict[str, Any] = {"status": "ok", "version": __version__}
    store: dict[str, Any] = {"path": svc.settings.store_path}
    try:
        with svc.reading() as s:
            store.update(available=True, **s.counts())
    except StoreError as exc:
        store.update(available=False, detail=str(exc))
    out["store"] = store
    out["pipeline"] = {"loaded": svc.pipeline_loaded,
                       "stages": [n for n in svc.settings.stages if n in STAGE_FACTORIES]}
    return out
