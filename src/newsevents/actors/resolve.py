"""Coding any stretch of the body as an actor, from what the actors stage found.

Other stages call :func:`resolve_span` once per phrase they code (an event's source noun
phrase, a quote's speaker) and :func:`mentions_in` for the mentions inside a span. Both read
the actors stage's results on the document: ``doc.actors`` and its analysis of the parse in
``doc.analysis["actors"]`` (names found, the dictionary it coded with, the user's
``--actors`` files included). Without that analysis they raise
:class:`~newsevents.errors.StageOrderError`: coding with another dictionary would be a silent
difference.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from ..errors import StageOrderError
from ..model import ActorRef, Document, Mention
from .find import Analysis, code_phrase_head

#: The key of the actors stage's analysis in ``Document.analysis``.
KEY = "actors"


def analysis_of(doc: Document) -> Analysis:
    """The actors stage's analysis of ``doc.parse``; StageOrderError when the stage did not run on it."""
    an = doc.analysis.get(KEY)
    if an is None or an.parse is not doc.parse:
        raise StageOrderError(
            f"{doc.article.source or doc.article.id}: actors are coded from the actors stage's analysis of the parse, "
            "and the actors stage has not run on this one: run the 'actors' stage before the stage that codes actors")
    return an


class Lookup(NamedTuple):
    """The mentions of a parsed document by start offset (made per call, they made a long
    article quadratic: 200k characters took minutes)."""

    body: str
    actors: list  # the list object it was made from, and its length then: made again when either changes
    count: int
    same_text: bool  # the parse is of this body
    starts: list[int]
    ordered: list  # the actors by start offset


def _lookup(doc: Document) -> Lookup | None:
    """The lookup of a parsed doc, kept with the actors stage's analysis while the body and the
    actors stay the same; None without a parse."""
    if doc.parse is None:
        return None
    an = analysis_of(doc)
    body, actors, old = doc.article.body, doc.actors, an.lookup
    if old is not None and old.body is body and old.actors is actors and old.count == len(actors):
        return old
    same_text = old.same_text if old is not None and old.body is body else _parsed_length(doc.parse) == len(body)
    ordered = sorted(actors, key=lambda m: m.start)
    an.lookup = Lookup(body, actors, len(actors), same_text, [m.start for m in ordered], ordered)
    return an.lookup


def mentions_in(doc: Document, start: int, end: int) -> list[Mention]:
    """The actor mentions of ``doc`` that lie inside ``[start, end)``, in text order."""
    lookup = _lookup(doc)
    if lookup is None:
        return [m for m in doc.actors if m.start >= start and m.end <= end]
    starts, ordered = lookup.starts, lookup.ordered
    out = []
    for i in range(bisect_left(starts, start), bisect_left(starts, end)):
        if ordered[i].end <= end:
            out.append(ordered[i])
    return out


def resolve_span(doc: Document, start: int, end: int) -> ActorRef:
    """An ActorRef for ``body[start:end]``: the span itself, coded as an actor noun phrase.

    The phrase's syntactic head decides: a mention the actors stage resolved there (a name, or a
    pronoun with its antecedent), else the head coded from its own words ("a Swiss court" ->
    CHE JUD, "Protesters" -> OPP). Without a parse, the coded mention that ends last in the span.
    A span with nothing to code gets no code rather than a guess.
    """
    body = doc.article.body
    ref = ActorRef(text=body[start:end], start=start, end=end)
    best = _mention_at_head(doc, start, end)
    if best is None:
        inside = [m for m in mentions_in(doc, start, end) if m.code]
        if inside:
            best = max(inside, key=lambda m: (m.end, m.end - m.start))
    if best is not None:
        ref.name, ref.code, ref.country, ref.sector, ref.entity = best.name, best.code, best.country, best.sector, best.entity
    return ref


def _parsed_length(parse) -> int:
    """Characters covered by a spaCy Doc, in O(1) (Doc.text rebuilds the whole string)."""
    if len(parse) == 0:
        return 0
    last = parse[-1]
    return last.idx + len(last.text_with_ws)


def _mention_at_head(doc: Document, start: int, end: int):
    lookup = _lookup(doc)
    if lookup is None or not lookup.same_text:
        return None
    span = doc.parse.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    head = span.root
    # the mention whose head is the phrase's head: the smallest one covering it
    covering = [m for m in mentions_in(doc, start, end) if m.start <= head.idx < m.end]
    if covering:
        return min(covering, key=lambda m: m.end - m.start)
    an = analysis_of(doc)
    c = code_phrase_head(head, an, an.dictionary)
    if c is None and head.i in an.names and an.names[head.i][1].type in {"country", "capital", "metonym", "region", "demonym"}:
        # a place asked about as an actor ("sent troops to Mali"), a bare adjective ("Turkish"): the country
        entry = an.names[head.i][1]
        return Mention(text="", start=start, end=end, name=entry.name, code=entry.country or entry.code,
                       country=entry.country)
    if c is None or (not c.code and not c.country and not c.sector):
        return None
    return Mention(text="", start=start, end=end, name=c.entry.name if c.entry else c.name, code=c.code,
                   country=c.country, sector=c.sector)
