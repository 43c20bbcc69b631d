"""Where each event happens: the places its sentence gives it, read from the dependency parse.

A place belongs to an event when its toponym (or the first toponym of its coordination:
"in Geneva and Brussels") is

- the object of a locative preposition ("in", "at", "near", ...; "to" only after motion words:
  "a visit to Kyiv") whose governor is the trigger or lies in the trigger's clause (so a place
  attached to the trigger's arguments counts: "police in Kyiv arrested ...", "talks with the
  Russian Federation in Geneva"), or in a participle/relative clause on the trigger ("talks
  held in Geneva");
- a name modifier of the trigger ("the Geneva talks");
- the object of a few verbs whose object is where they happen ("visited Kyiv", "shelled Mariupol").

A place in another clause, a demonym ("Russian aggression") and the container in "Paris, Texas"
are not the event's places.

When the sentence names no place at all (demonyms aside), the event takes the article's dateline
place, if it has one ("MOSCOW, Jan 13 (Reuters)", or an upper-case place opening the body:
"KYIV, Ukraine -"), marked ``/dateline`` in its rule: a sentence that names places but gives
none to the event says the event happened elsewhere or does not say where, and the dateline
would be a guess. Nothing else is taken from the rest of the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from ..model import Document, Location
from ..nlp.syntax import governs_event, token_at

LOCATIVE = frozenset("""in at near outside inside across throughout around within into over along off onto
aboard amid amidst beside beneath under""".split())
MOTION = frozenset("""visit trip travel journey tour fly go come arrive return deploy send move march head flee
evacuate transfer deport extradite relocate""".split())
PLACE_VERBS = frozenset("""visit tour enter invade occupy bomb shell raid capture besiege evacuate liberate
reach""".split())


def _attached(top, trigger) -> str | None:
    """The rule by which the toponym whose coordination head is ``top`` places the event, if any."""
    head = top.head
    if top.dep_ == "pobj" and head.dep_ in ("prep", "agent", "dative"):
        word = head.lower_
        if word not in LOCATIVE and not (word == "to" and head.head.lemma_.lower() in MOTION):
            return None
        return "preposition" if governs_event(head.head, trigger) else None
    if top.dep_ in ("compound", "nmod") and head.i == trigger.i:
        return "modifier"
    if top.dep_ == "dobj" and head.i == trigger.i and trigger.lemma_.lower() in PLACE_VERBS:
        return "object"
    return None


def _containers(locations: list[Location], body: str) -> set[int]:
    """Starts of the B in "A, B" where B is A's admin1 or country ("Paris, Texas")."""
    out = set()
    for a, b in zip(locations, locations[1:]):
        if body[a.end:b.start].strip() != "," or b.end - a.start > 120:
            continue
        if (b.feature == "country" and b.country == a.country) or (b.feature == "admin1" and b.name == a.admin1
                                                                   and a.feature != "admin1"):
            out.add(b.start)
    return out


#: What follows a dateline's place, up to the dash that ends the dateline: "KYIV, Ukraine -",
#: "GENEVA (Reuters) -", "BEIRUT —".
_DATELINE_REST = re.compile(r"(?:\s*,[^\n\u2013\u2014]{0,40}?|\s*\([^)\n]{0,30}\))*\s*(?:--?|\u2013|\u2014)")


def body_dateline(body: str, locations: list[Location]) -> tuple[Location | None, int]:
    """The place of a dateline left at the start of the body (an upper-case toponym that opens
    the text, up to a dash), and where the dateline ends (0 when there is none)."""
    first = locations[0] if locations else None
    if first is None or body[:first.start].strip() or not first.text.isupper() or len(first.text) < 3:
        return None, 0
    m = _DATELINE_REST.match(body, first.end)
    return (first, m.end()) if m else (None, 0)


def locate_events(doc: Document, dateline: Location | None = None) -> None:
    """Set ``location``/``locations`` on every event of ``doc`` from ``doc.locations``, and from
    the dateline place (``dateline``, else one opening the body) where the sentence names none."""
    if doc.parse is None or not doc.events:
        return
    parse, body = doc.parse, doc.article.body
    places = [loc for loc in doc.locations if "/demonym" not in loc.rule]
    dateline_end = 0
    if dateline is None:
        dateline, dateline_end = body_dateline(body, places)
    # the places a sentence names, the dateline's own aside ("KYIV, Ukraine - Drones hit ...")
    place_starts = [loc.start for loc in places if loc.start >= dateline_end]
    if dateline is not None:
        dateline = replace(dateline, rule=dateline.rule.removesuffix("/dateline") + "/dateline")
    skip = _containers(places, body)
    tops = []  # (location, the head of its coordination)
    for loc in places:
        if loc.start in skip:
            continue
        tok = token_at(parse, loc.start, loc.end)
        if tok is None:
            continue
        while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
            tok = tok.head
        tops.append((loc, tok))
    tops.sort(key=lambda pair: pair[0].start)  # so an event looks only at its sentence's places
    starts = [loc.start for loc, _ in tops]
    for event in doc.events:
        trigger = token_at(parse, event.trigger.start, event.trigger.end)
        if trigger is None:
            continue
        near = tops[bisect_left(starts, event.sentence.start):bisect_left(starts, event.sentence.end)]
        found = [loc for loc, top in near if loc.end <= event.sentence.end and _attached(top, trigger)]
        if not found and dateline is not None and \
                bisect_left(place_starts, event.sentence.start) == bisect_left(place_starts, event.sentence.end):
            found = [dateline]
        event.locations = found
        event.location = found[0] if found else None
