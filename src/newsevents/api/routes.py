"""The routes under /api. Each calls the library function its command calls, so the API can do
nothing the command line cannot:

==============================  ===============================================================
``GET /api/articles`` ...       ``newsevents query articles|events|mentions|quotes``:
                                ``store.reader(kind, filters)``, paged (``store.count``)
``GET /api/articles/{id}``      ``store.get_document(id)``: the Document JSON, as ``extract``
``GET /api/stats``              ``newsevents stats``: ``store.stats_reader(by, per, ...)``
``POST /api/extract``           ``newsevents extract``: ingest (``read_text``) + the pipeline;
                                ``store=true`` writes it as ``demo`` does (``store.write``)
``GET /api/facets``, ``/places``, counts beside the filters, the map's places, the dyad network:
``/network``                    ``store.summary`` over the same filters
``GET /api/export``             ``newsevents export``: the filtered rows as one streamed file
                                (``store.export.Export``), ``/api/export/manifest`` its sidecar
``GET /api/health``             ``store.counts()`` and whether the pipeline is loaded
==============================  ===============================================================
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any, Literal

import pyarrow as pa
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from ..version import __version__
from ..errors import InvalidFilter, SettingsError, StoreError
from ..ingest import normalise_date, read_text
from ..ingest.decode import decode
from ..model import Document
from ..pipeline import STAGE_FACTORIES
from ..store import Filters
from ..store import summary
from ..store.export import Export
from ..store.query import GROUPINGS, KINDS, PERIODS, page_key
from ..store.filters import MAX_ROWS
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
    ``total`` counts every row that passes the filters; ``next``, when there may be more, is the
    ``after`` that gives the following page (as ``offset=offset+limit`` does, at the cost of the
    first page however far down)."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next: str | None = None  # ?after= this gives the following page (keyset paging); None on the last page


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
unpaged_filters = filter_params(None, MAX_ROWS)
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
        table, total = store.page(kind, filters)
    n = table.num_rows
    following = page_key(kind, table.slice(n - 1, 1).to_pylist()[0]) if n and n == filters.limit else None
    return {"items": rows(table, drop), "total": total, "limit": filters.limit, "offset": filters.offset or 0,
            "next": following}


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


@router.get("/facets", tags=["store"], summary="Counts per PLOVER type, CAMEO root, quad class, country, actor, outlet")
def facets(kind: Literal[KINDS] = Query("events", description="events, mentions, quotes or articles."),
           filters: Filters = Depends(unpaged_filters), svc: Service = Depends(service)) -> dict[str, Any]:
    """For each facet, the most frequent values among the rows the filters select, with their
    counts: adding a value as the facet's `filter` gives a list of that many rows (outlet and
    language are counts only: they are not filters)."""
    with svc.reading() as store:
        return {"kind": kind, "facets": summary.facets(store, kind, filters)}


@router.get("/places", tags=["store"], summary="The events' places with coordinates, for a map")
def places(filters: Filters = Depends(unpaged_filters), svc: Service = Depends(service)) -> dict[str, Any]:
    """Per place of the events the filters select (name, country, lat, lon): the number of
    events, their mean Goldstein and the first five events (date, CAMEO name, evidence and
    `first_mention`, `ARTICLE/N`: the article and the event's index in it); and in `named`,
    the places the articles reporting those events name (how often, in how many articles)."""
    with svc.reading() as store:
        items = summary.places(store, filters)
        named = summary.named_places(store, filters)
        total = store.count("events", filters.unpaged())
    return {"items": items, "events": total, "placed": sum(p["events"] for p in items), "named": named}


@router.get("/network", tags=["store"], summary="Who acts on whom: dyads with their events and mean Goldstein")
def network(top: int = Query(40, ge=1, le=500, description="The most frequent dyads, at most this many."),
            filters: Filters = Depends(unpaged_filters), svc: Service = Depends(service)) -> dict[str, Any]:
    """The dyads (source and target by country, or by code where an actor has none) of the events
    the filters select, with their number of events and mean Goldstein; `dyad=SOURCE-TARGET`
    lists those events."""
    with svc.reading() as store:
        return {"items": summary.network(store, filters, top)}


EXPORT_FORMATS = ("csv", "parquet", "gdelt", "plover", "jsonl")


def _export(format: str = Query("csv", description="csv, parquet (one file), gdelt (GDELT 2.0 event TSV, 61 columns, "
                                                    "no header line unless `header=true`), plover (PLOVER JSON lines) "
                                                    "or jsonl."),
            table: Literal[KINDS] = Query("events", description="events, mentions, quotes or articles "
                                                                 "(gdelt and plover: events)."),
            header: bool = Query(False, description="gdelt: start with a line of the GDELT column names."),
            filters: Filters = Depends(unpaged_filters)) -> tuple[str, str, bool, Filters]:
    if format not in EXPORT_FORMATS:
        raise SettingsError(f"unknown export format {format!r}; valid: {', '.join(EXPORT_FORMATS)}")
    return format, table, header, filters


@router.get("/export", tags=["store"], summary="Download the filtered rows as CSV, Parquet, GDELT TSV or PLOVER JSON",
            response_class=StreamingResponse,
            responses={200: {"description": "The file, streamed; `X-Newsevents-Export` holds its manifest (JSON)",
                             "content": {"text/csv": {}, "application/vnd.apache.parquet": {},
                                         "text/tab-separated-values": {}, "application/x-ndjson": {}}}})
def export(job: tuple = Depends(_export), svc: Service = Depends(service)) -> StreamingResponse:
    """Every row the filters select (no page, no cap), streamed as it is read: memory stays flat
    whatever the size. The filters, the product version and the time go into the Parquet file's
    metadata (key `newsevents`), the `X-Newsevents-Export` header and `GET /api/export/manifest`
    (the same query string): the sidecar to keep beside a CSV, TSV or JSON file."""
    format, table, header, filters = job
    with ExitStack() as stack:
        store = stack.enter_context(svc.reading())
        out = Export(store, format, filters, table, header)  # a bad filter fails here, as a 422
        held = stack.pop_all()

    def chunks():
        with held:
            yield from out

    return StreamingResponse(chunks(), media_type=out.media_type, headers={
        "Content-Disposition": f'attachment; filename="{out.filename}"',
        "X-Newsevents-Export": json.dumps(out.manifest()), "Cache-Control": "no-store"})


@router.get("/export/manifest", tags=["store"], summary="What an export with these parameters holds (its sidecar)")
def export_manifest(job: tuple = Depends(_export), svc: Service = Depends(service)) -> dict[str, Any]:
    """The product and version, the time, the format, the table, the filters and the number of
    rows of `GET /api/export` with the same query string."""
    format, table, header, filters = job
    with svc.reading() as store:
        out = Export(store, format, filters, table, header)
        return {**out.manifest(), "rows": store.count(table, out.filters)}


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
