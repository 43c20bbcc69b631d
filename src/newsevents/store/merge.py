"""Cross-article event merging: the same event reported by several articles becomes one event.

Every event found in an article is a *mention*. Mentions merge into one event when they agree on
meaning, not on strings:

- the same source and the same target, compared by actor code, where a bare state code is its
  government (``RUS`` and ``RUSGOV`` are both "the Russian state acting"); uncoded actors by
  their resolved name;
- the same kind of action: the PLOVER event type (so "urged" coded 0214 and "called for" coded
  1011 both count as REQUEST), else the CAMEO root;
- the same polarity (negated or not) and the same reality (asserted/reported against
  hoped/demanded/hypothetical/future);
- dates within ``merge_window_days`` of each other (the whole event spans at most the window);
- compatible places: none given, the same GeoNames id or name, or one place inside the
  country the other names. Two different cities are two events.

A mention with no actor, an actor known only by its words ("he", "the official"), or no date
at all merges only within its own article (the same event told twice there).

The first five make the ``merge_key`` (looked up by equality); dates and places are checked for
each candidate. Each mention keeps its own row, evidence and coding; the event row summarises
them (the most common coding, the most specific place, counts like GDELT's NumMentions,
NumSources and NumArticles).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

#: Modalities of events that happened (as opposed to wished for, demanded or expected).
REALIS = frozenset({"asserted", "reported"})
_FEATURE_RANK = {"country": 0, "continent": 0, "region": 0, "admin1": 1, "admin2": 1}


def actor_key(code: str | None, country: str | None, name: str | None, text: str | None) -> str:
    """Who an actor is, for merging: its code (a bare state code taken as its government), else
    its resolved name (``~name``), else the words that name it in this article (``?words``:
    "he" or "the official" say nothing about who it is elsewhere), else ``""`` (no actor)."""
    if code:
        code = code.upper()
        if country and code == country.upper():
            return code + "GOV"
        return code
    if name:
        return "~" + normalise_name(name)
    return "?" + normalise_name(text) if text else ""


def normalise_name(text: str) -> str:
    """Lower case, no possessive, no punctuation, no leading article: "the Kremlin's" -> "kremlin"."""
    text = re.sub(r"['’]s\b", "", text.lower())
    words = re.sub(r"[^\w\s]", " ", text).split()
    while words and words[0] in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words)


def mention_key(row: dict[str, Any]) -> str:
    """The part of a mention's meaning that must match exactly (see the module docstring).

    A mention whose actors are unknown or known only by their words in the article, or which
    has no date, cannot be matched with reports elsewhere: its key names its article, so it
    merges only with the same event reported again in the same article.
    """
    kind = row["plover"].upper() if row.get("plover") else f"CAMEO{row.get('cameo_root') or ''}"
    source = actor_key(row["source_code"], row["source_country"], row["source_name"], row["source_text"])
    target = actor_key(row["target_code"], row["target_country"], row["target_name"], row["target_text"])
    key = "|".join((source, target, kind, "negated" if row.get("negated") else "",
                    "real" if row.get("modality") in REALIS else "irreal"))
    if not (source or target) or source.startswith("?") or target.startswith("?") or row.get("date") is None:
        key += f"|in:{row['article_id']}"
    return key


@dataclass
class Candidate:
    """What merging needs to know of an event: its key, dates and place."""

    event_id: str
    merge_key: str
    date: date | None
    date_last: date | None
    place: dict[str, Any] | None


def place_of(row: dict[str, Any], prefix: str = "place") -> dict[str, Any] | None:
    place = {f: row.get(f"{prefix}_{f}") for f in ("name", "country", "geonameid", "feature")}
    return place if any(v is not None for v in place.values()) else None


def places_compatible(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None:
        return True
    if a["country"] and b["country"] and a["country"] != b["country"]:
        return False
    if "country" in (a["feature"], b["feature"]):
        return True  # a place in a country that the other place names (or the same country)
    if a["geonameid"] and b["geonameid"]:
        return a["geonameid"] == b["geonameid"]
    if a["name"] and b["name"]:
        return normalise_name(a["name"]) == normalise_name(b["name"])
    return True


def dates_compatible(c: Candidate, day: date | None, window_days: int) -> bool:
    if c.date is None or day is None:
        return c.date is None and day is None
    return (max(c.date_last or c.date, day) - min(c.date, day)).days <= window_days


def event_id_for(first_mention_id: str) -> str:
    """A merged event's id: stable for the mention that created it."""
    return "ev_" + hashlib.sha1(first_mention_id.encode("utf-8")).hexdigest()[:16]


def assign(mentions: list[dict[str, Any]], candidates: dict[str, list[Candidate]],
           window_days: int) -> list[Candidate]:
    """Set ``event_id`` on each mention row: the closest compatible candidate, else a new event.

    ``candidates`` (merge_key -> events) grows with the events created here, so mentions in the
    same batch merge with each other too. Returns the new events.
    """
    created: list[Candidate] = []
    for row in mentions:
        day, place = row["date"], place_of(row)
        best, best_gap = None, None
        for c in candidates.get(row["merge_key"], ()):
            if not (dates_compatible(c, day, window_days) and places_compatible(c.place, place)):
                continue
            gap = abs((day - c.date).days) if day and c.date else 0
            if best is None or gap < best_gap:
                best, best_gap = c, gap
        if best is None:
            best = Candidate(event_id_for(row["mention_id"]), row["merge_key"], day, day, place)
            candidates.setdefault(row["merge_key"], []).append(best)
            created.append(best)
        else:
            if day is not None:
                best.date, best.date_last = min(best.date, day), max(best.date_last or day, day)
            best.place = best.place or place
        row["event_id"] = best.event_id
    return created


def summarise(event_id: str, event_num: int, mentions: list[dict[str, Any]], added_at=None) -> dict[str, Any]:
    """The events-table row of one merged event from all its mention rows."""
    ms = sorted(mentions, key=lambda m: (m["published_date"] or date.max, m["mention_id"]))
    first = ms[0]
    coded = _representative(ms, lambda m: m["cameo"])
    source = _representative(ms, lambda m: m["source_code"] or m["source_name"] or m["source_text"])
    target = _representative(ms, lambda m: m["target_code"] or m["target_name"] or m["target_text"])
    dates = [m["date"] for m in ms if m["date"] is not None]
    earliest = min((m for m in ms if m["date"] is not None), key=lambda m: m["date"], default=first)
    placed = [m for m in ms if place_of(m)]
    place_counts = Counter(_place_id(m) for m in placed)
    where = max(placed, key=lambda m: (_FEATURE_RANK.get(m["place_feature"], 2), place_counts[_place_id(m)]),
                default=None)
    tones = {m["article_id"]: m["tone"] for m in ms if m["tone"] is not None}
    row = dict(
        event_id=event_id, event_num=event_num, merge_key=first["merge_key"],
        date=min(dates) if dates else None, date_last=max(dates) if dates else None,
        date_precision=earliest["date_precision"],
        **{f"source_{f}": source[f"source_{f}"] for f in ("text", "name", "code", "country", "sector")},
        **{f"target_{f}": target[f"target_{f}"] for f in ("text", "name", "code", "country", "sector")},
        **{f: coded[f] for f in ("cameo", "cameo_root", "cameo_name", "plover", "plover_mode", "quad_class",
                                 "goldstein", "negated")},
        modality=Counter(m["modality"] for m in ms).most_common(1)[0][0],
        **{f"place_{f}": where[f"place_{f}"] if where else None
           for f in ("name", "country", "lat", "lon", "geonameid", "feature", "admin1")},
        num_mentions=len(ms), num_articles=len({m["article_id"] for m in ms}),
        # An article of unknown origin counts as a source of its own.
        num_sources=len({m["outlet"] or f"article:{m['article_id']}" for m in ms}),
        avg_tone=sum(tones.values()) / len(tones) if tones else None,
        confidence=max(m["confidence"] for m in ms), is_root=bool(first["lead"]),
        first_published=first["published_date"], source_url=first["url"], evidence=coded["sentence"],
        first_mention=first["mention_id"], added_at=added_at or min(m["added_at"] for m in ms),
    )
    return row


def _representative(ms: list[dict[str, Any]], key) -> dict[str, Any]:
    """The first mention holding the most common value of ``key`` (ties: the more specific value,
    e.g. the longer CAMEO code, then the earlier mention)."""
    counts = Counter(key(m) for m in ms if key(m) is not None)
    if not counts:
        return ms[0]
    best = max(counts, key=lambda v: (counts[v], len(str(v))))
    return next(m for m in ms if key(m) == best)


def _place_id(m: dict[str, Any]) -> Any:
    return m["place_geonameid"] or (normalise_name(m["place_name"] or ""), m["place_country"])
