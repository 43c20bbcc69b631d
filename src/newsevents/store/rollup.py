"""Events per day and pair of actors (``event_days``), kept current on write, and the query
paths that read it instead of the events.

The page's costly reads are totals and timelines of an actor filter (``dyad=RUS-USA``): plain,
each reads the actor columns of every event (the filter is a prefix match on codes, or the
country, or the name: no index helps an OR of prefix matches). ``event_days`` holds, per day
and (source, target) as an actor filter reads them (code, country, name), the number of
events, of mentions, the Goldstein sums and the quad-class counts: what :func:`.query.stats`
computes. An actor filter's WHERE clause names the same columns, so it runs unchanged over
``event_days``, which has one row per day and dyad rather than one per event.

Kept current on write: :meth:`.base.Store._update_events` appends, for each event it writes,
its contribution, and for each event it replaces (a new mention merged into it), the old row's
contribution negated. Readers sum the rows, so the table is exact after every commit; when it
has grown to twice its size at the last regrouping (:data:`COMPACT_GROWTH`), the writer
regroups it in the same transaction (amortised: each row is regrouped a bounded number of times).

What reads it (:func:`answers`: the filters are actors that resolve to codes, dates, a page):

- :func:`count_sql`: the total of an events page;
- :func:`stats_sql`: ``stats`` (timelines, dyads per month), with the same columns and order;
- :func:`span_sql` and :func:`windows`: the total of a page and the days that likely hold its
  rows (the first ``offset + limit`` events from the first day of the selection, or from the
  row ``after`` names), so the page reads those days only (with the events table in date
  order, DuckDB's zone maps skip the other row groups: :meth:`.duck.DuckDBStore.optimize`).
  A window that gives less than a full page is widened; the rows are always those of the
  plain query, since a full page of the events up to a day holds the first rows of the list.

Means (``mean_goldstein``, ``weighted_goldstein``) come from sums in another order than the
plain ``avg``: they agree to floating-point rounding (1e-12), so a mean that falls exactly
between two thousandths may round the other way.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from .filters import Filters, resolve_actor, split_dyad
from .query import _page, parse_after, stats_frame, where_clause
from .schema import DAY_KEYS

#: Regroup ``event_days`` once it holds this many times the rows it had after the last regrouping.
COMPACT_GROWTH = 2.0
#: ... and at least this many rows more (a small store is not regrouped at every commit).
COMPACT_MIN = 10_000
#: How many more days than the density of the selected events says a page's window spans.
WINDOW_SLACK = 1.5
#: The key in ``meta`` that holds the row count after the last regrouping.
META_KEY = "event_days_compacted"

#: The events' columns an ``event_days`` row is made of.
EVENT_COLUMNS = [*DAY_KEYS, "num_mentions", "goldstein", "quad_class"]
_QUADS = ("neutral", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
#: The filters ``event_days`` answers (the others need the events themselves).
_ANSWERS = {"actor", "source", "target", "dyad", "undirected", "since", "until", "limit", "offset", "after"}


def deltas(removed: list[dict[str, Any]], added: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``event_days`` rows that take the ``removed`` event rows out and put the ``added`` in
    (both with :data:`EVENT_COLUMNS`); keys whose changes cancel out are left out."""
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0, 0.0, 0, 0.0, 0, 0, 0, 0, 0])
    for sign, rows in ((-1, removed), (1, added)):
        for e in rows:
            s = sums[tuple(e[k] for k in DAY_KEYS)]
            g, n = e["goldstein"], e["num_mentions"] or 0
            s[0] += sign
            s[1] += sign * n
            if g is not None:
                s[2] += sign * g
                s[3] += sign
                s[4] += sign * g * n
            if e["quad_class"] in range(5):
                s[5 + e["quad_class"]] += sign
    out = []
    for key, s in sums.items():
        if s[0] == s[1] == s[3] == 0 and not any(s[5:]) and s[2] == s[4] == 0:
            continue
        out.append({**dict(zip(DAY_KEYS, key)), "events": s[0], "mentions": s[1], "goldstein_sum": s[2],
                    "goldstein_n": s[3], "goldstein_weighted": s[4], **dict(zip(_QUADS, s[5:]))})
    return out


def answers(f: Filters) -> bool:
    """Whether ``event_days`` gives what ``f`` selects among events: only actor filters whose
    values resolve to codes (a name such as Peskov is matched in the mentions' text), dates and
    paging."""
    if not set(f.used()) <= _ANSWERS:
        return False
    values = [*f.actor, *f.source, *f.target, *(v for d in f.dyad for v in split_dyad(d))]
    # Codes are three characters or more (filters.is_code), which the prefix keys assume nowhere,
    # but a pattern (a person's name) needs the mentions.
    return all(resolve_actor(v).codes for v in values)


def count_sql(f: Filters) -> tuple[str, list[Any]]:
    """The number of events ``f`` selects (``limit``, ``offset`` and ``after`` aside)."""
    where, params = where_clause("events", f.unpaged())
    return f"SELECT CAST(coalesce(sum(events), 0) AS BIGINT) AS n FROM event_days{where}", params


def stats_sql(f: Filters, by: str, per: str, by_country: bool) -> tuple[str, list[Any]]:
    """:func:`.query.stats` over ``event_days``: the same columns, types and order."""
    base, params, keys, period, group = stats_frame(f, by, per, by_country, "event_days")
    sql = (
        f"SELECT {period} AS period{''.join(', ' + k for k in keys)}, CAST(sum(events) AS BIGINT) AS events, "
        "CAST(sum(mentions) AS HUGEINT) AS mentions, "
        "round(sum(goldstein_sum) / nullif(sum(goldstein_n), 0), 3) AS mean_goldstein, "
        "round(CASE WHEN sum(goldstein_n) > 0 THEN sum(goldstein_weighted) END / sum(mentions), 3) "
        "AS weighted_goldstein, "
        + ", ".join(f"CAST(sum({q}) AS BIGINT) AS {q}" for q in _QUADS)
        + f" FROM ({base}) GROUP BY {group} HAVING sum(events) > 0 "
        f"ORDER BY period NULLS LAST, events DESC{''.join(', ' + k for k in keys)}"
    )
    return sql + _page(f), params


def span_sql(f: Filters) -> tuple[str, list[Any]]:
    """The events ``f`` selects: ``total`` (``after`` aside), and from the day of ``f.after``
    on (every day without it) how many have a date, the first and the last day."""
    where, params = where_clause("events", f.unpaged())
    start = _after_day(f) or date.min
    return ("SELECT CAST(coalesce(sum(events), 0) AS BIGINT) AS total, "
            "CAST(coalesce(sum(events) FILTER (WHERE date >= ?), 0) AS BIGINT) AS dated, "
            f"min(date) FILTER (WHERE date >= ?) AS first, max(date) AS last FROM event_days{where}",
            [start, start, *params])


def windows(span: dict[str, Any], f: Filters) -> Iterator[tuple[str, list[Any]]]:
    """Conditions on the events' date, each wider than the last, that likely hold the first
    ``offset + limit`` events ``f`` selects from ``span`` (:func:`span_sql`) on: the days the
    events' density says, then four times as many. None when the page reaches the undated
    events (read it plainly)."""
    need = (f.offset or 0) + (f.limit or 0)
    if span["first"] is None or span["dated"] < need or _after_day(f) is False:
        return
    first, last = span["first"], span["last"]
    days = (last - first).days + 1
    # A keyset page starts within its first day: the rows of that day before the cursor count
    # in the density but are not in the page, so give it that day on top.
    width = max(1, math.ceil(days * need / span["dated"] * WINDOW_SLACK)) + (1 if f.after else 0)
    while True:
        end = last if width >= days else first + timedelta(days=width - 1)
        yield "date BETWEEN ? AND ?", [first, end]
        if end >= last:
            return
        width *= 4


def _after_day(f: Filters):
    """The date of the row a keyset page starts after: None from the start, False for an
    undated row."""
    if not f.after:
        return None
    day = parse_after("events", f.after)[0]
    return False if day is None else day
