"""Filters over the store and the SQL they become (shared by every backend).

An actor value that looks like a code (capitals and digits: ``RUS``, ``RUSGOV``, ``IGOWSTNAT``)
matches actor codes by prefix (CAMEO codes are hierarchical: ``RUS`` matches ``RUSGOV``), the
actor's country, or a name written that way (``NATO``); anything else (``Peskov``,
``Kremlin``) matches names and the text of the mention, case-insensitively. A CAMEO value
matches by prefix too, so ``02`` is the root, ``021`` the base code and ``0214`` the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from ..errors import SettingsError
from .schema import columns

KINDS = ("events", "mentions", "quotes", "articles")
PERIODS = ("day", "week", "month", "year")
GROUPINGS = ("dyad", "source", "target", "actor", "none")

_CODE = re.compile(r"^[A-Z0-9]{3,}$")
_SEPARATOR = re.compile(r"\s*[-:>/]\s*")


@dataclass(frozen=True)
class Filters:
    """What to select. Every field is optional; several fields narrow the selection (AND);
    several values in one field widen it (OR)."""

    actor: tuple[str, ...] = ()  # source or target (a quote's speaker; an article's actors)
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    dyad: tuple[str, ...] = ()  # "RUS-USA": source RUS and target USA
    undirected: bool = False  # a dyad matches both ways
    cameo: tuple[str, ...] = ()  # CAMEO code prefixes: "02", "021", "0214"
    plover: tuple[str, ...] = ()  # PLOVER event types, any case
    quad: tuple[int, ...] = ()  # quad classes 0..4
    since: date | None = None
    until: date | None = None
    place: tuple[str, ...] = ()  # ISO country code or place name
    text: str | None = None  # words in the evidence sentence, the quote, or the title/body
    event_id: tuple[str, ...] = ()
    article_id: tuple[str, ...] = ()
    quote_kind: str | None = None  # quotes: direct | indirect
    language: tuple[str, ...] = ()  # articles: ISO 639-1 codes of the detected language
    limit: int | None = None
    offset: int | None = None  # skip this many rows first (pages of ``limit`` rows)

    @classmethod
    def make(cls, **values: Any) -> "Filters":
        """Filters from keyword values: a single string where a tuple is wanted is one value; ISO
        date strings become dates; unknown names fail with the valid ones listed."""
        valid = {f.name: f for f in fields(cls)}
        unknown = [k for k in values if k not in valid]
        if unknown:
            raise SettingsError(f"unknown filter(s) {', '.join(unknown)}; valid: {', '.join(valid)}")
        out = {}
        for name, value in values.items():
            if value is None or value == ():
                continue
            if valid[name].type.startswith("tuple"):
                value = (value,) if isinstance(value, (str, int)) else tuple(value)
                if name == "quad":
                    value = tuple(int(v) for v in value)
            elif name in ("since", "until") and isinstance(value, str):
                try:
                    value = date.fromisoformat(value[:10])
                except ValueError:
                    raise SettingsError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None
            out[name] = value
        filters = cls(**out)
        for d in filters.dyad:
            if len(_SEPARATOR.split(d.strip(), maxsplit=1)) != 2:
                raise SettingsError(f"dyad {d!r} should be SOURCE-TARGET, e.g. RUS-USA")
        if filters.quote_kind not in (None, "direct", "indirect"):
            raise SettingsError(f"unknown quote kind {filters.quote_kind!r}; valid: direct, indirect")
        bad = [q for q in filters.quad if q not in range(5)]
        if bad:
            raise SettingsError(f"quad class must be 0..4, got {bad[0]}")
        for name in ("limit", "offset"):
            value = getattr(filters, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise SettingsError(f"{name} must be a whole number, 0 or more, got {value!r}")
        return filters

    def with_(self, **changes: Any) -> "Filters":
        return replace(self, **changes)


# Which filters each kind of row understands; others are refused with a clear message.
_APPLIES = {
    "events": {"actor", "source", "target", "dyad", "undirected", "cameo", "plover", "quad", "since", "until", "place",
               "text", "event_id", "article_id", "limit", "offset"},
    "mentions": {"actor", "source", "target", "dyad", "undirected", "cameo", "plover", "quad", "since", "until",
                 "place", "text", "event_id", "article_id", "limit", "offset"},
    "quotes": {"actor", "source", "since", "until", "text", "article_id", "quote_kind", "limit", "offset"},
    "articles": {"actor", "since", "until", "place", "text", "article_id", "language", "limit", "offset"},
}

_ORDER = {
    "events": "date NULLS LAST, event_num",
    "mentions": "date NULLS LAST, article_id, idx",
    "quotes": "published_date NULLS LAST, article_id, idx",
    "articles": "published_date NULLS LAST, article_id",
}


def check(kind: str, f: Filters) -> None:
    if kind not in KINDS:
        raise SettingsError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    default = Filters()
    used = [x.name for x in fields(f) if getattr(f, x.name) != getattr(default, x.name)]
    bad = [u for u in used if u not in _APPLIES[kind]]
    if bad:
        raise SettingsError(f"filter(s) {', '.join(bad)} do not apply to {kind}; "
                            f"{kind} take {', '.join(sorted(_APPLIES[kind]))}")


def select(kind: str, f: Filters, cols: str | None = None) -> tuple[str, list[Any]]:
    """SQL (and its parameters) selecting the ``kind`` rows that pass ``f``, in order."""
    check(kind, f)
    where, params = where_clause(kind, f)
    if cols is None:
        cols = ", ".join(c for c in columns(kind) if c not in ("document", "merge_key"))
    sql = f"SELECT {cols} FROM {kind}{where} ORDER BY {_ORDER[kind]}"
    return sql + _page(f), params


def count(kind: str, f: Filters) -> tuple[str, list[Any]]:
    """SQL counting every ``kind`` row that passes ``f`` (``limit`` and ``offset`` aside)."""
    check(kind, f)
    where, params = where_clause(kind, f.with_(limit=None, offset=None))
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
            a, b = _SEPARATOR.split(d.strip(), maxsplit=1)
            forward = _and(_actor_match(kind, "source", a), _actor_match(kind, "target", b))
            dyads.append(_or(forward, _and(_actor_match(kind, "source", b), _actor_match(kind, "target", a)))
                         if f.undirected else forward)
        _any(add, dyads)
        _any(add, [("cameo LIKE ?", [c.strip() + "%"]) for c in f.cameo])
        if f.plover:
            add(f"upper(plover) IN ({', '.join('?' for _ in f.plover)})", *[p.upper() for p in f.plover])
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
        pattern = f"%{f.text}%"
        if kind == "events":
            add("event_id IN (SELECT event_id FROM mentions WHERE sentence ILIKE ?)", pattern)
        elif kind == "mentions":
            add("sentence ILIKE ?", pattern)
        elif kind == "quotes":
            add("content ILIKE ?", pattern)
        else:
            add("(title ILIKE ? OR body ILIKE ?)", pattern, pattern)
    if f.event_id:
        add(f"event_id IN ({', '.join('?' for _ in f.event_id)})", *f.event_id)
    if f.article_id:
        add(f"article_id IN ({', '.join('?' for _ in f.article_id)})", *f.article_id)
    if f.quote_kind:
        add("kind = ?", f.quote_kind)
    if f.language:
        add(f"language IN ({', '.join('?' for _ in f.language)})", *[v.strip().lower() for v in f.language])
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


Clause = tuple[str, list[Any]]


def is_code(value: str) -> bool:
    return bool(_CODE.match(value.strip()))


def _actor_match(kind: str, side: str, value: str) -> Clause:
    value = value.strip()
    if is_code(value):  # a code, or a name in capitals (NATO, EU)
        if kind == "events":  # merged events keep names, not the text of each mention
            return f"({side}_code LIKE ? OR {side}_country = ? OR upper({side}_name) = ?)", [value + "%", value, value]
        return (f"({side}_code LIKE ? OR {side}_country = ? OR upper({side}_name) = ? OR upper({side}_text) = ?)",
                [value + "%", value, value, value])
    pattern = f"%{value}%"
    if kind == "events":  # a merged event shows one name; its mentions may use others
        return (f"({side}_name ILIKE ? OR event_id IN (SELECT event_id FROM mentions WHERE {side}_name ILIKE ? "
                f"OR {side}_text ILIKE ?))", [pattern] * 3)
    return f"({side}_name ILIKE ? OR {side}_text ILIKE ?)", [pattern, pattern]


def _article_actor(value: str) -> Clause:
    value = value.strip()
    if is_code(value):
        return ("article_id IN (SELECT article_id FROM actors WHERE code LIKE ? OR country = ? OR upper(name) = ? "
                "OR upper(text) = ?)", [value + "%", value, value, value])
    pattern = f"%{value}%"
    return "article_id IN (SELECT article_id FROM actors WHERE name ILIKE ? OR text ILIKE ?)", [pattern, pattern]


def _place_match(kind: str, value: str) -> Clause:
    value = value.strip()
    code = is_code(value)
    clause, arg = ("country = ?", value) if code else ("name ILIKE ?", f"%{value}%")
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


def stats(f: Filters, by: str = "month", per: str = "dyad", by_country: bool = False) -> tuple[str, list[Any]]:
    """SQL for counts and mean Goldstein of merged events per period and dyad (or actor)."""
    if by not in PERIODS:
        raise SettingsError(f"unknown period {by!r}; valid: {', '.join(PERIODS)}")
    if per not in GROUPINGS:
        raise SettingsError(f"unknown grouping {per!r}; valid: {', '.join(GROUPINGS)}")
    check("events", f)
    where, params = where_clause("events", f.with_(limit=None, offset=None))
    level = "country" if by_country else "code"
    base = f"SELECT *, source_{level} AS source, target_{level} AS target FROM events{where}"
    if per == "actor":
        # An event counts once for each side it involves.
        base = (f"SELECT *, source AS actor FROM ({base}) UNION ALL "
                f"SELECT *, target AS actor FROM ({base}) WHERE target IS DISTINCT FROM source")
        params = params + params
    keys = {"dyad": ["source", "target"], "source": ["source"], "target": ["target"], "actor": ["actor"],
            "none": []}[per]
    period = "date" if by == "day" else f"CAST(date_trunc('{by}', date) AS DATE)"
    group = ", ".join(["period", *keys])
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
