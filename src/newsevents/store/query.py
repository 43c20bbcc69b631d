"""The SQL that filters over the store become (shared by every backend).

The filters themselves, how they are checked and how an actor value resolves to codes and names
are in :mod:`.filters`. A CAMEO value matches by prefix, so ``02`` is the root, ``021`` the
base code and ``0214`` the code. Words (``text``, names) match as written: ``%`` and ``_`` are
escaped, never wildcards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import InvalidFilter, SettingsError
from .filters import KINDS, Filters, check, is_code, resolve_actor, resolve_place, split_dyad
from .schema import columns

__all__ = ["Filters", "KINDS", "PERIODS", "GROUPINGS", "check", "count", "escape_like", "is_code", "page_key",
           "parse_after", "select", "stats", "where_clause"]

PERIODS = ("day", "week", "month", "year")
GROUPINGS = ("dyad", "source", "target", "actor", "none")

#: The order each kind of row is listed in.
ORDER = {
    "events": "date NULLS LAST, event_num",
    "mentions": "date NULLS LAST, article_id, idx",
    "quotes": "published_date NULLS LAST, article_id, idx",
    "articles": "published_date NULLS LAST, article_id",
}


#: The columns of each kind's order, as keyset paging (``after``) names a row: the day first
#: (NULLs last), then the rest, which is unique.
KEYSET = {
    "events": (("date", "date"), ("event_num", int)),
    "mentions": (("date", "date"), ("article_id", str), ("idx", int)),
    "quotes": (("published_date", "date"), ("article_id", str), ("idx", int)),
    "articles": (("published_date", "date"), ("article_id", str)),
}
#: Between the values of a keyset cursor (unreserved in a URL).
_SEP = "~"


def page_key(kind: str, row: dict[str, Any]) -> str:
    """The ``after`` value that starts the page following ``row`` (a row of ``kind``)."""
    out = []
    for column, _ in KEYSET[kind]:
        value = row[column]
        out.append("" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value))
    return _SEP.join(out)


def parse_after(kind: str, value: str) -> list[Any]:
    """The values of the order's columns that an ``after`` cursor names (the date None for an
    undated row); InvalidFilter when it is not a cursor of ``kind``."""
    keys = KEYSET[kind]
    day, _, rest = value.partition(_SEP)
    parts = rest.rsplit(_SEP, len(keys) - 2) if rest else []
    try:
        if len(parts) != len(keys) - 1:
            raise ValueError
        values: list[Any] = [date.fromisoformat(day) if day else None]
        for (_, kind_of), part in zip(keys[1:], parts):
            values.append(int(part) if kind_of is int else part)
        return values
    except ValueError:
        example = {"events": "2022-01-05~15604", "mentions": "2022-01-05~ARTICLE~3",
                   "quotes": "2022-01-05~ARTICLE~0", "articles": "2022-01-05~ARTICLE"}[kind]
        raise InvalidFilter("after", f"after {value!r} is not a row of {kind}: give the `next` of the previous "
                                     f"page, e.g. {example} (its date, empty when undated, then "
                                     f"{', '.join(c for c, _ in keys[1:])})") from None


def _after_clause(kind: str, value: str) -> Clause:
    """The rows that come after the row ``value`` names, in the order of :func:`select`."""
    (day, _), *rest = KEYSET[kind]
    values = parse_after(kind, value)
    later, args = None, []
    for (column, _), v in reversed(list(zip(rest, values[1:]))):
        if later is None:
            later, args = f"{column} > ?", [v]
        else:
            later, args = f"({column} > ? OR ({column} = ? AND {later}))", [v, v, *args]
    if values[0] is None:
        return f"({day} IS NULL AND {later})", args
    return f"({day} > ? OR ({day} = ? AND {later}) OR {day} IS NULL)", [values[0], values[0], *args]


def select(kind: str, f: Filters, cols: str | None = None, also: tuple[str, list[Any]] | None = None,
           ) -> tuple[str, list[Any]]:
    """SQL (and its parameters) selecting the ``kind`` rows that pass ``f``, in order; ``also``
    is one more condition, with its parameters (a slice of them: :mod:`.stream`)."""
    check(kind, f)
    where, params = where_clause(kind, f)
    if also is not None:
        where = f"{where} AND ({also[0]})" if where else f" WHERE {also[0]}"
        params = params + list(also[1])
    if cols is None:
        cols = ", ".join(c for c in columns(kind) if c not in ("document", "merge_key"))
    sql = f"SELECT {cols} FROM {kind}{where} ORDER BY {ORDER[kind]}"
    return sql + _page(f), params


def count(kind: str, f: Filters) -> tuple[str, list[Any]]:
    """SQL counting every ``kind`` row that passes ``f`` (``limit`` and ``offset`` aside)."""
    check(kind, f)
    where, params = where_clause(kind, f.unpaged())
    return f"SELECT count(*) AS n FROM {kind}{where}", params


def _page(f: Filters) -> str:
    page = f" LIMIT {int(f.limit)}" if f.limit else ""
    if f.offset:
        page += f" OFFSET {int(f.offset)}"
    return page


def where_clause(kind: str, f: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        clauses.append(sql)
        params.extend(values)

    if kind == "quotes":
        # A quote's actor is its speaker.
        _any(add, [_actor_match(kind, "speaker", v) for v in f.actor + f.source])
    elif kind == "articles":
        _any(add, [_article_actor(v) for v in f.actor])
    else:
        _any(add, [_or(_actor_match(kind, "source", v), _actor_match(kind, "target", v)) for v in f.actor])
        _any(add, [_actor_match(kind, "source", v) for v in f.source])
        _any(add, [_actor_match(kind, "target", v) for v in f.target])
        dyads = []
        for d in f.dyad:
            a, b = split_dyad(d)
            forward = _and(_actor_match(kind, "source", a), _actor_match(kind, "target", b))
            dyads.append(_or(forward, _and(_actor_match(kind, "source", b), _actor_match(kind, "target", a)))
                         if f.undirected else forward)
        _any(add, dyads)
        _any(add, [("starts_with(cameo, ?)", [c]) for c in f.cameo])
        if f.plover:
            add(f"upper(plover) IN ({', '.join('?' for _ in f.plover)})", *f.plover)
        if f.quad:
            add(f"quad_class IN ({', '.join('?' for _ in f.quad)})", *f.quad)
    day = {"events": "date", "mentions": "date"}.get(kind, "published_date")
    if f.since:
        add(f"{day} >= ?", f.since)
    if f.until:
        add(f"{day} <= ?", f.until)
    if f.place:
        _any(add, [_place_match(kind, p) for p in f.place])
    if f.text:
        pattern = contains(f.text)
        if kind == "events":
            add(f"event_id IN (SELECT event_id FROM mentions WHERE sentence {ILIKE})", pattern)
        elif kind == "mentions":
            add(f"sentence {ILIKE}", pattern)
        elif kind == "quotes":
            add(f"content {ILIKE}", pattern)
        else:
            add(f"(title {ILIKE} OR body {ILIKE})", pattern, pattern)
    if f.event_id:
        add(f"event_id IN ({', '.join('?' for _ in f.event_id)})", *f.event_id)
    if f.article_id:
        in_articles = _in("article_id", f.article_id)
        if kind == "events":  # an event is in an article when one of its mentions is
            in_articles = f"event_id IN (SELECT event_id FROM mentions WHERE {in_articles})"
        add(in_articles, *f.article_id)
    if f.quote_kind:
        add("kind = ?", f.quote_kind)
    if f.language:
        add(_in("language", f.language), *f.language)
    if f.after:
        clause, args = _after_clause(kind, f.after)
        add(clause, *args)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


Clause = tuple[str, list[Any]]


#: A case-insensitive "contains" whose pattern comes from :func:`contains`.
ILIKE = "ILIKE ? ESCAPE '\\'"


def escape_like(value: str) -> str:
    """``value`` with the LIKE wildcards ``%`` and ``_`` (and the escape itself) made plain."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(value: str) -> str:
    return f"%{escape_like(value.strip())}%"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _actor_match(kind: str, side: str, value: str) -> Clause:
    """``side`` (source, target, speaker) of a ``kind`` row is the actor ``value`` stands for;
    kind ``actors`` (the actors table) has the columns without a side."""
    code, country, name, text = (f"{side}_{c}" if kind != "actors" else c for c in ("code", "country", "name", "text"))
    match = resolve_actor(value)
    if match.codes:  # a code, or a name that stands for one: its codes by prefix, its names as written
        sql = " OR ".join([f"starts_with({code}, ?)" for _ in match.codes] +
                          [_in(country, match.codes), _in(f"upper({name})", match.names)])
        params = [*match.codes, *match.codes, *match.names]
        if kind != "events":  # merged events keep names, not the text of each mention
            sql += " OR " + _in(f"upper({text})", match.names)
            params += match.names
        return f"({sql})", params
    pattern = contains(match.pattern)
    if kind == "events":  # a merged event shows one name; its mentions may use others
        return (f"({name} {ILIKE} OR event_id IN (SELECT event_id FROM mentions WHERE {name} {ILIKE} "
                f"OR {text} {ILIKE}))", [pattern] * 3)
    return f"({name} {ILIKE} OR {text} {ILIKE})", [pattern, pattern]


def _article_actor(value: str) -> Clause:
    clause, params = _actor_match("actors", "", value)
    return f"article_id IN (SELECT article_id FROM actors WHERE {clause})", params


def _place_match(kind: str, value: str) -> Clause:
    country = resolve_place(value)
    clause, arg = ("country = ?", country) if country else (f"name {ILIKE}", contains(value))
    if kind == "articles":
        return f"article_id IN (SELECT article_id FROM locations WHERE {clause})", [arg]
    if kind == "events":  # the event's place, or the place any of its mentions gives
        return (f"(place_{clause} OR event_id IN (SELECT event_id FROM mentions WHERE place_{clause}))", [arg, arg])
    return f"place_{clause}", [arg]


def _or(a: Clause, b: Clause) -> Clause:
    return f"({a[0]} OR {b[0]})", a[1] + b[1]


def _and(a: Clause, b: Clause) -> Clause:
    return f"({a[0]} AND {b[0]})", a[1] + b[1]


def _any(add, clauses: list[Clause]) -> None:
    if clauses:
        add("(" + " OR ".join(c for c, _ in clauses) + ")", *[p for _, ps in clauses for p in ps])


def stats_frame(f: Filters, by: str, per: str, by_country: bool, table: str):
    """What :func:`stats` and its summary-table twin share: the rows of ``table`` that ``f``
    selects with their ``source``/``target`` (or ``actor``) columns, their parameters, the
    grouping keys, the period expression and the GROUP BY list."""
    if by not in PERIODS:
        raise SettingsError(f"unknown period {by!r}; valid: {', '.join(PERIODS)}")
    if per not in GROUPINGS:
        raise SettingsError(f"unknown grouping {per!r}; valid: {', '.join(GROUPINGS)}")
    check("events", f)
    where, params = where_clause("events", f.unpaged())
    level = "country" if by_country else "code"
    base = f"SELECT *, source_{level} AS source, target_{level} AS target FROM {table}{where}"
    if per == "actor":
        # An event counts once for each side it involves.
        base = (f"SELECT *, source AS actor FROM ({base}) UNION ALL "
                f"SELECT *, target AS actor FROM ({base}) WHERE target IS DISTINCT FROM source")
        params = params + params
    keys = {"dyad": ["source", "target"], "source": ["source"], "target": ["target"], "actor": ["actor"],
            "none": []}[per]
    period = "date" if by == "day" else f"CAST(date_trunc('{by}', date) AS DATE)"
    return base, params, keys, period, ", ".join(["period", *keys])


def stats(f: Filters, by: str = "month", per: str = "dyad", by_country: bool = False) -> tuple[str, list[Any]]:
    """SQL for counts and mean Goldstein of merged events per period and dyad (or actor)."""
    base, params, keys, period, group = stats_frame(f, by, per, by_country, "events")
    sql = (
        f"SELECT {period} AS period{''.join(', ' + k for k in keys)}, count(*) AS events, "
        "sum(num_mentions) AS mentions, round(avg(goldstein), 3) AS mean_goldstein, "
        "round(sum(goldstein * num_mentions) / sum(num_mentions), 3) AS weighted_goldstein, "
        "count(*) FILTER (WHERE quad_class = 0) AS neutral, "
        "count(*) FILTER (WHERE quad_class = 1) AS verbal_cooperation, "
        "count(*) FILTER (WHERE quad_class = 2) AS material_cooperation, "
        "count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict, "
        "count(*) FILTER (WHERE quad_class = 4) AS material_conflict "
        f"FROM ({base}) GROUP BY {group} ORDER BY period NULLS LAST, events DESC{''.join(', ' + k for k in keys)}"
    )
    return sql + _page(f), params
