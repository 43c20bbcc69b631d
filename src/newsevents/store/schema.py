"""The store's tables, their columns and the migrations between schema versions.

:data:`TABLES` is the current schema: a fresh store is created from it, the in-memory double
types its rows with it, and ``docs/store.md`` documents it (a test keeps them in step). A store
written by an older version is brought up to date by :data:`MIGRATIONS`, run in order inside
one transaction; a store written by a newer version is refused (SchemaMismatch) rather than
misread.

Columns are named after the model (``model.py``) with the span offsets spelled out
(``trigger_start``), because ``end`` is an SQL keyword.
"""

from __future__ import annotations

import pyarrow as pa

#: Bump with every migration; stored in ``meta`` under ``schema_version``.
SCHEMA_VERSION = 1


def _actor(prefix: str) -> list[tuple[str, str]]:
    return [(f"{prefix}_{c}", t) for c, t in (
        ("text", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"), ("name", "VARCHAR"), ("code", "VARCHAR"),
        ("country", "VARCHAR"), ("sector", "VARCHAR"))]


def _place(prefix: str) -> list[tuple[str, str]]:
    return [(f"{prefix}_{c}", t) for c, t in (
        ("name", "VARCHAR"), ("country", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"), ("geonameid", "BIGINT"),
        ("feature", "VARCHAR"), ("admin1", "VARCHAR"))]


_CODING = [
    ("cameo", "VARCHAR"), ("cameo_root", "VARCHAR"), ("cameo_name", "VARCHAR"), ("plover", "VARCHAR"),
    ("plover_mode", "VARCHAR"), ("quad_class", "INTEGER"), ("goldstein", "DOUBLE"), ("negated", "BOOLEAN"),
    ("modality", "VARCHAR"),
]

#: table -> [(column, DuckDB type)], in order.
TABLES: dict[str, list[tuple[str, str]]] = {
    "meta": [("key", "VARCHAR"), ("value", "VARCHAR")],
    "articles": [
        ("article_id", "VARCHAR"), ("title", "VARCHAR"), ("published", "VARCHAR"), ("published_date", "DATE"),
        ("source", "VARCHAR"), ("outlet", "VARCHAR"), ("url", "VARCHAR"), ("external_id", "VARCHAR"),
        ("author", "VARCHAR"), ("publisher", "VARCHAR"), ("dateline", "VARCHAR"), ("language", "VARCHAR"),
        ("format", "VARCHAR"), ("tags", "VARCHAR[]"), ("views_total", "BIGINT"), ("views_today", "BIGINT"),
        ("n_sentences", "INTEGER"), ("n_actors", "INTEGER"), ("n_quotes", "INTEGER"), ("n_places", "INTEGER"),
        ("n_events", "INTEGER"), ("tone", "DOUBLE"), ("tone_positive", "DOUBLE"), ("tone_negative", "DOUBLE"),
        ("tone_polarity", "DOUBLE"), ("tone_compound", "DOUBLE"), ("words", "INTEGER"), ("stages", "VARCHAR[]"),
        ("warnings", "VARCHAR[]"), ("body", "VARCHAR"), ("document", "VARCHAR"), ("added_at", "TIMESTAMP"),
    ],
    # Actor mentions (Document.actors).
    "actors": [
        ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("text", "VARCHAR"), ("span_start", "INTEGER"),
        ("span_end", "INTEGER"), ("name", "VARCHAR"), ("code", "VARCHAR"), ("country", "VARCHAR"),
        ("sector", "VARCHAR"), ("entity", "INTEGER"), ("kind", "VARCHAR"), ("type", "VARCHAR"), ("role", "VARCHAR"),
        ("rule", "VARCHAR"), ("confidence", "DOUBLE"), ("published_date", "DATE"),
    ],
    "entities": [
        ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("name", "VARCHAR"), ("code", "VARCHAR"),
        ("country", "VARCHAR"), ("sector", "VARCHAR"), ("type", "VARCHAR"), ("role", "VARCHAR"),
        ("n_mentions", "INTEGER"), ("published_date", "DATE"),
    ],
    "quotes": [
        ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("kind", "VARCHAR"), ("content", "VARCHAR"),
        ("content_start", "INTEGER"), ("content_end", "INTEGER"), *_actor("speaker"), ("cue", "VARCHAR"),
        ("cue_start", "INTEGER"), ("cue_end", "INTEGER"), ("sentence_index", "INTEGER"),
        ("mention_ids", "VARCHAR[]"), ("rule", "VARCHAR"), ("confidence", "DOUBLE"), ("published_date", "DATE"),
        ("outlet", "VARCHAR"),
    ],
    "locations": [
        ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("text", "VARCHAR"), ("span_start", "INTEGER"),
        ("span_end", "INTEGER"), ("name", "VARCHAR"), ("country", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"),
        ("geonameid", "BIGINT"), ("feature", "VARCHAR"), ("admin1", "VARCHAR"), ("rule", "VARCHAR"),
        ("confidence", "DOUBLE"), ("published_date", "DATE"),
    ],
    # One row per event found in one article (Document.events), with its own evidence.
    "mentions": [
        ("mention_id", "VARCHAR"), ("event_id", "VARCHAR"), ("article_id", "VARCHAR"), ("idx", "INTEGER"),
        ("local_id", "VARCHAR"), ("date", "DATE"), ("date_text", "VARCHAR"), ("date_precision", "VARCHAR"),
        ("published_date", "DATE"), ("outlet", "VARCHAR"), ("url", "VARCHAR"), ("sentence", "VARCHAR"),
        ("sentence_start", "INTEGER"), ("sentence_end", "INTEGER"), ("sentence_index", "INTEGER"),
        ("lead", "BOOLEAN"), ("trigger", "VARCHAR"), ("trigger_start", "INTEGER"), ("trigger_end", "INTEGER"),
        *_actor("source"), *_actor("target"), *_actor("reporter"), *_CODING,
        ("place_text", "VARCHAR"), *_place("place"), ("confidence", "DOUBLE"), ("rule", "VARCHAR"),
        ("principal", "BOOLEAN"), ("compound", "BOOLEAN"), ("group_id", "VARCHAR"), ("quote_idx", "INTEGER"),
        ("tone", "DOUBLE"), ("merge_key", "VARCHAR"), ("added_at", "TIMESTAMP"),
    ],
    # Events merged across articles: one row per real-world event, counting its mentions.
    "events": [
        ("event_id", "VARCHAR"), ("event_num", "BIGINT"), ("merge_key", "VARCHAR"), ("date", "DATE"),
        ("date_last", "DATE"), ("date_precision", "VARCHAR"),
        *[c for c in _actor("source") if not c[0].endswith(("_start", "_end"))],
        *[c for c in _actor("target") if not c[0].endswith(("_start", "_end"))],
        *_CODING, *_place("place"),
        ("num_mentions", "INTEGER"), ("num_sources", "INTEGER"), ("num_articles", "INTEGER"), ("avg_tone", "DOUBLE"),
        ("confidence", "DOUBLE"), ("is_root", "BOOLEAN"), ("first_published", "DATE"), ("source_url", "VARCHAR"),
        ("evidence", "VARCHAR"), ("first_mention", "VARCHAR"), ("added_at", "TIMESTAMP"),
    ],
}

#: Primary keys (an index each; kept to what must be unique so bulk inserts stay fast).
PRIMARY_KEYS = {"meta": "key", "articles": "article_id"}

#: Data tables, in the order their rows are written for one article.
DATA_TABLES = ("articles", "actors", "entities", "quotes", "locations", "mentions")

#: version -> SQL statements that bring a store at ``version - 1`` to ``version``. Version 1
#: is the first schema: it is created from TABLES, so it has no statements.
MIGRATIONS: dict[int, list[str]] = {}


def create_statements() -> list[str]:
    """``CREATE TABLE`` statements for the current schema."""
    out = []
    for table, columns in TABLES.items():
        cols = [f'"{name}" {kind}' for name, kind in columns]
        if table in PRIMARY_KEYS:
            cols.append(f"PRIMARY KEY ({PRIMARY_KEYS[table]})")
        out.append(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})")
    return out


_ARROW = {
    "VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "VARCHAR[]": pa.list_(pa.string()),
}


def arrow_schema(table: str) -> pa.Schema:
    """The pyarrow schema of ``table`` (how rows travel into DuckDB and the in-memory double)."""
    return pa.schema([(name, _ARROW[kind]) for name, kind in TABLES[table]])


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]
