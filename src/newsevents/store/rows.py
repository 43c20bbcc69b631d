"""One Document as rows of the store's tables (plain dicts keyed by column name).

Pure functions shared by every backend, so the DuckDB store and the in-memory double hold the
same rows. Mentions get their ``merge_key`` here; their ``event_id`` is assigned by
:mod:`.merge` when they are written.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from ..dates import to_date
from ..model import ActorRef, Document, Event, Location
from .merge import mention_key
from .schema import DATA_TABLES

Rows = dict[str, list[dict[str, Any]]]


def document_rows(doc: Document, added_at: datetime, document_json: str | None = None) -> Rows:
    """The rows ``doc`` adds to each data table (``mentions`` without their ``event_id``).
    ``document_json`` is ``doc.to_json()`` when the caller has it already (from a worker or a
    shard), so it is not made twice."""
    a = doc.article
    published = to_date(a.published)
    outlet = outlet_of(a.source, a.url, a.publisher)
    tone = doc.tone
    rows: Rows = {t: [] for t in DATA_TABLES}
    rows["articles"].append(dict(
        article_id=a.id, title=a.title, published=a.published, published_date=published, source=a.source,
        outlet=outlet, url=a.url, external_id=a.external_id, author=a.author, publisher=a.publisher,
        dateline=a.dateline, language=a.language, format=a.format, tags=list(a.tags), views_total=a.views_total,
        views_today=a.views_today, n_sentences=len(doc.sentences), n_actors=len(doc.actors),
        n_quotes=len(doc.quotes), n_places=len(doc.locations), n_events=len(doc.events),
        tone=tone.tone if tone else None, tone_positive=tone.positive if tone else None,
        tone_negative=tone.negative if tone else None, tone_polarity=tone.polarity if tone else None,
        tone_compound=tone.compound if tone else None, words=tone.words if tone else None,
        stages=list(doc.stages), warnings=list(a.warnings), body=a.body, document=document_json or doc.to_json(), added_at=added_at,
    ))
    for i, m in enumerate(doc.actors):
        rows["actors"].append(dict(
            article_id=a.id, idx=i, text=m.text, span_start=m.start, span_end=m.end, name=m.name, code=m.code,
            country=m.country, sector=m.sector, entity=m.entity, kind=m.kind, type=m.type, role=m.role, rule=m.rule,
            confidence=m.confidence, published_date=published,
        ))
    for e in doc.entities:
        rows["entities"].append(dict(
            article_id=a.id, idx=e.id, name=e.name, code=e.code, country=e.country, sector=e.sector, type=e.type,
            role=e.role, n_mentions=len(e.mentions), published_date=published,
        ))
    mention_ids = {e.id: mention_id(a.id, i) for i, e in enumerate(doc.events)}
    for i, q in enumerate(doc.quotes + doc.title_quotes):
        rows["quotes"].append(dict(
            article_id=a.id, idx=i, kind=q.kind, content=q.content.text, content_start=q.content.start,
            content_end=q.content.end, **actor_columns("speaker", q.speaker), cue=q.cue.text if q.cue else None,
            cue_start=q.cue.start if q.cue else None, cue_end=q.cue.end if q.cue else None,
            sentence_index=q.sentence, mention_ids=[mention_ids[x] for x in q.events if x in mention_ids],
            rule=q.rule, confidence=q.confidence, published_date=published, outlet=outlet, in_title=q.in_title,
        ))
    for i, loc in enumerate(doc.locations):
        rows["locations"].append(dict(
            article_id=a.id, idx=i, text=loc.text, span_start=loc.start, span_end=loc.end, name=loc.name,
            country=loc.country, lat=loc.lat, lon=loc.lon, geonameid=loc.geonameid, feature=loc.feature,
            admin1=loc.admin1, rule=loc.rule, confidence=loc.confidence, published_date=published,
        ))
    lead_end = _lead_end(a.body)
    for i, e in enumerate(doc.events):
        rows["mentions"].append(event_row(e, a.id, i, published, outlet, a.url or a.source, lead_end,
                                          tone.tone if tone else None, added_at))
    return rows


def event_row(e: Event, article_id: str, index: int, published: date | None, outlet: str | None, url: str | None,
              lead_end: int, tone: float | None, added_at: datetime) -> dict[str, Any]:
    row = dict(
        mention_id=mention_id(article_id, index), event_id=None, article_id=article_id, idx=index, local_id=e.id,
        # An undated event happened, as far as we know, when it was reported (as in GDELT).
        date=to_date(e.date) or published, date_text=e.date, date_precision=e.date_precision if e.date else
        ("publication" if published else "unknown"), published_date=published, outlet=outlet, url=url,
        sentence=e.sentence.text, sentence_start=e.sentence.start, sentence_end=e.sentence.end,
        sentence_index=e.sentence_index, lead=e.sentence_index == 0 or e.sentence.start < lead_end,
        trigger=e.trigger.text, trigger_start=e.trigger.start, trigger_end=e.trigger.end,
        # a reciprocal act has a counterpart, not a target: the store keeps the dyad either way
        **actor_columns("source", e.source), **actor_columns("target", e.target or e.counterpart),
        **actor_columns("reporter", e.reporter),
        cameo=e.cameo, cameo_root=e.cameo_root, cameo_name=e.cameo_name, plover=e.plover, plover_mode=e.plover_mode,
        quad_class=e.quad_class, goldstein=e.goldstein, negated=e.negated, modality=e.modality,
        place_text=e.location.text if e.location else None, **place_columns("place", e.location),
        confidence=e.confidence, rule=e.rule, principal=e.principal, compound=e.compound, group_id=e.group,
        quote_idx=e.quote, tone=tone, added_at=added_at,
    )
    row["merge_key"] = mention_key(row)
    return row


def mention_id(article_id: str, index: int) -> str:
    return f"{article_id}/{index}"


def actor_columns(prefix: str, ref: ActorRef | None) -> dict[str, Any]:
    fields = ("text", "start", "end", "name", "code", "country", "sector")
    if ref is None:
        return {f"{prefix}_{f}": None for f in fields}
    # An unresolved actor has name "" in the model; in the store unknown is NULL.
    return {f"{prefix}_{f}": getattr(ref, f) if f in ("start", "end") else (getattr(ref, f) or None) for f in fields}


def place_columns(prefix: str, loc: Location | None) -> dict[str, Any]:
    fields = ("name", "country", "lat", "lon", "geonameid", "feature", "admin1")
    return {f"{prefix}_{f}": (getattr(loc, f) if loc else None) for f in fields}


def outlet_of(source: str, url: str | None, publisher: str | None) -> str | None:
    """Who published it, for counting sources: the publisher, else the web site, else the file
    the article came from (a dump or a folder is one collection), else None."""
    if publisher:
        return publisher.strip()
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    if source and not source.startswith("<"):
        # "data/dump.jsonl:17" -> "dump.jsonl": records of one file come from one collection.
        return PurePath(re.sub(r":\d+$", "", source)).name or None
    return None


def _lead_end(body: str) -> int:
    """End of the lead paragraph (GDELT's IsRootEvent marks events found there)."""
    stripped = body.lstrip()
    offset = len(body) - len(stripped)
    cut = stripped.find("\n")
    return offset + cut if cut >= 0 else 0
