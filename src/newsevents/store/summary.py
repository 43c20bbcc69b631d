"""Summaries of what a filter selects, for the page's facets, map and dyad network.

Each is one grouped query over the rows the filters select (the same WHERE clause as the list
they sit beside), so a facet's count is the total the list shows once that value is added as a
filter: ``plover=ACCUSE`` for the PLOVER type, ``cameo=02`` for a CAMEO root, ``quad=3``,
``place=RUS`` (an event placed there, or reported as there by any of its mentions),
``source=RUS`` and ``target=RUS`` (by the actor's country), ``language=en`` for articles. Outlet
is not a filter, nor language for events and mentions: their counts are the events (mentions,
articles) reported by that outlet or in that language.
"""

from __future__ import annotations

from typing import Any

from .query import Filters, check, where_clause

#: An actor by its country, else its code unless that is a bare sector (GOV, CVL), for the network.
#: (Facets count countries only: a code filter matches by prefix and by name, IGOUNO takes in
#: IGOUNOHCR, so a count per code would not be the total its link gives.)
_ACTOR = "coalesce({0}_country, CASE WHEN length({0}_code) > 3 THEN {0}_code END)"
#: The facets of each kind of row: (facet, SQL of its value, the filter it stands for).
_EVENT_PLACE = ("(SELECT event_id, place_country AS value FROM events{where} UNION "
                "SELECT event_id, place_country FROM mentions WHERE event_id IN (SELECT event_id FROM events{where}))")
FACETS: dict[str, list[tuple[str, str, str | None]]] = {
    "events": [("plover", "plover", "plover"), ("cameo", "cameo_root", "cameo"), ("quad", "quad_class", "quad"),
               ("place", "place_country", "place"), ("source", "source_country", "source"),
               ("target", "target_country", "target"), ("outlet", "outlet", None), ("language", "language", None)],
    "mentions": [("plover", "plover", "plover"), ("cameo", "cameo_root", "cameo"), ("quad", "quad_class", "quad"),
                 ("place", "place_country", "place"), ("source", "source_country", "source"),
                 ("target", "target_country", "target"), ("outlet", "outlet", None), ("language", "language", None)],
    "articles": [("outlet", "outlet", None), ("language", "language", "language")],
    "quotes": [("outlet", "outlet", None)],
}
#: Values shown per facet.
TOP = 12


def facets(store, kind: str, f: Filters, top: int = TOP) -> list[dict[str, Any]]:
    """Per facet of ``kind``: the ``top`` most frequent values among the rows ``f`` selects, with
    their counts (``[{"facet", "filter", "values": [{"value", "n"}]}]``)."""
    f = f.unpaged()
    check(kind, f)
    where, params = where_clause(kind, f)
    out = []
    for facet, column, filter_name in FACETS[kind]:
        sql, args = _facet_sql(kind, facet, column, where, params)
        rows = store._reader(f"{sql} ORDER BY n DESC, value LIMIT {int(top)}", args).read_all().to_pylist()
        out.append({"facet": facet, "filter": filter_name, "values": rows})
    return out


def _facet_sql(kind: str, facet: str, column: str, where: str, params: list[Any]) -> tuple[str, list[Any]]:
    if kind == "events" and facet == "place":  # as the place filter: the event's place or a mention's
        return (f"SELECT value, count(DISTINCT event_id) AS n FROM {_EVENT_PLACE.format(where=where)} "
                "WHERE value IS NOT NULL GROUP BY value", params + params)
    if kind == "events" and facet in ("outlet", "language"):  # events reported by that outlet, in that language
        rows = (f"SELECT m.event_id AS key, a.{column} AS value FROM mentions m JOIN articles a USING (article_id) "
                f"WHERE m.event_id IN (SELECT event_id FROM events{where})")
        return f"SELECT value, count(DISTINCT key) AS n FROM ({rows}) WHERE value IS NOT NULL GROUP BY value", params
    if facet == "language" and kind != "articles":  # from the article each row comes from
        return (f"SELECT a.language AS value, count(*) AS n FROM (SELECT article_id FROM {kind}{where}) t "
                "JOIN articles a USING (article_id) WHERE a.language IS NOT NULL GROUP BY a.language", params)
    sep = " AND " if where else " WHERE "
    return (f"SELECT {column} AS value, count(*) AS n FROM {kind}{where}{sep}{column} IS NOT NULL GROUP BY value",
            params)


def places(store, f: Filters, examples: int = 5) -> list[dict[str, Any]]:
    """The places of the events ``f`` selects that have coordinates: name, country, lat, lon,
    the number of events, their mean Goldstein, and the first ``examples`` events there (date,
    CAMEO name, evidence and its mention, for a link to the sentence)."""
    f = f.unpaged()
    check("events", f)
    where, params = where_clause("events", f)
    sep = " AND " if where else " WHERE "
    sql = (
        "SELECT place_name AS name, place_country AS country, place_lat AS lat, place_lon AS lon, "
        "count(*) AS events, round(avg(goldstein), 2) AS mean_goldstein, "
        f"list(struct_pack(date := date, cameo_name := cameo_name, plover := plover, quad_class := quad_class, "
        f"evidence := evidence, first_mention := first_mention) ORDER BY date NULLS LAST, event_num)[1:{int(examples)}] "
        f"AS examples FROM events{where}{sep}place_lat IS NOT NULL AND place_lon IS NOT NULL "
        "GROUP BY place_name, place_country, place_lat, place_lon ORDER BY events DESC, name"
    )
    return store._reader(sql, params).read_all().to_pylist()


def named_places(store, f: Filters, top: int = 500) -> list[dict[str, Any]]:
    """The places named in the articles that report the events ``f`` selects (where the news
    is about, beyond where each event happened): name, country, lat, lon, how often they are
    named and in how many articles; the ``top`` most named."""
    f = f.unpaged()
    check("events", f)
    where, params = where_clause("events", f)
    sql = (
        "SELECT name, country, lat, lon, count(*) AS mentions, count(DISTINCT article_id) AS articles FROM locations "
        "WHERE lat IS NOT NULL AND lon IS NOT NULL AND article_id IN (SELECT article_id FROM mentions WHERE event_id IN "
        f"(SELECT event_id FROM events{where})) GROUP BY name, country, lat, lon "
        f"ORDER BY mentions DESC, name LIMIT {int(top)}"
    )
    return store._reader(sql, params).read_all().to_pylist()


def network(store, f: Filters, top: int = 40) -> list[dict[str, Any]]:
    """Who acts on whom among the events ``f`` selects: the ``top`` dyads by events, between
    actors' countries (their codes where they have none: IGOWSTNAT; bare sectors such as GOV are
    left out), each with its events
    and their mean Goldstein."""
    f = f.unpaged()
    check("events", f)
    where, params = where_clause("events", f)
    sep = " AND " if where else " WHERE "
    src, tgt = _ACTOR.format("source"), _ACTOR.format("target")
    sql = (
        "SELECT source, target, count(*) AS events, round(avg(goldstein), 2) AS mean_goldstein FROM ("
        f"SELECT {src} AS source, {tgt} AS target, goldstein FROM events{where}{sep}{src} IS NOT NULL "
        f"AND {tgt} IS NOT NULL) WHERE source <> target GROUP BY source, target "
        f"ORDER BY events DESC, source, target LIMIT {int(top)}"
    )
    return store._reader(sql, params).read_all().to_pylist()
