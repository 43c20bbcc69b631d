"""Actors: who is who. Named entities, coreference and the actor dictionary give every actor
mention a CAMEO code, an ISO country and a sector.

Other stages call :func:`resolve_span` to code an arbitrary stretch of text (an event's source
noun phrase, a quote's speaker) from the mentions this stage found.
"""

from __future__ import annotations

from ..model import ActorRef, Document, Mention


def mentions_in(doc: Document, start: int, end: int) -> list[Mention]:
    """The actor mentions of ``doc`` that lie inside ``[start, end)``, in text order."""
    return [m for m in doc.actors if m.start >= start and m.end <= end]


def resolve_span(doc: Document, start: int, end: int) -> ActorRef:
    """An ActorRef for ``body[start:end]``: the span itself, coded from the best mention inside it.

    The head mention is the coded mention that ends last in the span (in "the Croatian
    government" that is the whole phrase; in "Kremlin spokesman Dmitry Peskov" the person).
    A span with no coded mention gets no code rather than a guess.
    """
    body = doc.article.body
    ref = ActorRef(text=body[start:end], start=start, end=end)
    inside = [m for m in mentions_in(doc, start, end) if m.code]
    if inside:
        head = max(inside, key=lambda m: (m.end, m.end - m.start))
        ref.name, ref.code, ref.country, ref.sector, ref.entity = head.name, head.code, head.country, head.sector, head.entity
    return ref
