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
SCHEMA_VERSION = 3


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
        ("outlet", "VARCHAR"), ("in_title", "BOOLEAN"),
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
    # Events per day and pair of actors as coded, kept current on write (:mod:`.rollup`): the
    # counts, totals and timelines of actor and date filters without reading the events.
    "event_days": [
        ("date", "DATE"), *[(f"{side}_{c}", "VARCHAR") for side in ("source", "target")
                            for c in ("code", "country", "name")],
        ("events", "BIGINT"), ("mentions", "BIGINT"), ("goldstein_sum", "DOUBLE"), ("goldstein_n", "BIGINT"),
        ("goldstein_weighted", "DOUBLE"), ("neutral", "BIGINT"), ("verbal_cooperation", "BIGINT"),
        ("material_cooperation", "BIGINT"), ("verbal_conflict", "BIGINT"), ("material_conflict", "BIGINT"),
    ],
}

#: Primary keys (an index each; kept to what must be unique so bulk inserts stay fast).
PRIMARY_KEYS = {"meta": "key", "articles": "article_id"}

#: Data tables, in the order their rows are written for one article.
DATA_TABLES = ("articles", "actors", "entities", "quotes", "locations", "mentions")

#: version -> SQL statements that bring a store at ``version - 1`` to ``version``. Version 1
#: is the first schema: it is created from TABLES, so it has no statements. Version 2 adds
#: ``event_days``, filled from the events already stored. Version 3 adds ``quotes.in_title``
#: (quotes read from the article's title; offsets into the title), false for the quotes stored.
MIGRATIONS: dict[int, list[str]] = {}

#: What ``event_days`` is grouped by: the day and the actors as an actor filter reads them.
DAY_KEYS = ["date", "source_code", "source_country", "source_name", "target_code", "target_country", "target_name"]
_QUADS = ["neutral", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
#: The ``event_days`` rows of the events table (a migration fills the table with them).
EVENT_DAYS_OF_EVENTS = (
    f"SELECT {', '.join(DAY_KEYS)}, count(*) AS events, sum(num_mentions) AS mentions, "
    "coalesce(sum(goldstein), 0) AS goldstein_sum, count(goldstein) AS goldstein_n, "
    "coalesce(sum(goldstein * num_mentions), 0) AS goldstein_weighted, "
    + ", ".join(f"count(*) FILTER (WHERE quad_class = {i}) AS {name}" for i, name in enumerate(_QUADS))
    + f" FROM events GROUP BY ALL ORDER BY date"
)
#: ``event_days`` regrouped: one row per day and actors, the days whose events moved left out.
EVENT_DAYS_COMPACTED = (
    f"SELECT {', '.join(DAY_KEYS)}, "
    + ", ".join(f"CAST(sum({c}) AS {'DOUBLE' if c.startswith('goldstein_') and c != 'goldstein_n' else 'BIGINT'}) "
                f"AS {c}" for c in ("events", "mentions", "goldstein_sum", "goldstein_n", "goldstein_weighted", *_QUADS))
    + f" FROM event_days GROUP BY ALL HAVING sum(events) <> 0 ORDER BY date"
)


def _create(table: str) -> str:
    cols = [f'"{name}" {kind}' for name, kind in TABLES[table]]
    if table in PRIMARY_KEYS:
        cols.append(f"PRIMARY KEY ({PRIMARY_KEYS[table]})")
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"


def create_statements() -> list[str]:
    """``CREATE TABLE`` statements for the current schema."""
    return [_create(table) for table in TABLES]


_ARROW = {
    "VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "VARCHAR[]": pa.list_(pa.string()),
}


MIGRATIONS[2] = [_create("event_days"), f"INSERT INTO event_days BY NAME {EVENT_DAYS_OF_EVENTS}"]
MIGRATIONS[3] = ["ALTER TABLE quotes ADD COLUMN in_title BOOLEAN DEFAULT false"]


def arrow_schema(table: str) -> pa.Schema:
    """The pyarrow schema of ``table`` (how rows travel into DuckDB and the in-memory double)."""
    return pa.schema([(name, _ARROW[kind]) for name, kind in TABLES[table]])


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]
