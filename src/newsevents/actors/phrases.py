"""The extent of an actor noun phrase, in the conventions of event-data annotation.

Source and target spans in CAMEO-style gold data (e.g. the ConfliBERT CAMEO NER set) cover
the whole noun phrase: determiners and quantities ("a Swiss court", "at least 75 displaced
people"), possessors ("Libya 's renegade Gen. Khalifa Haftar"), appositions ("Aya Hijazi , an
American aid worker imprisoned in Egypt"), parenthesised acronyms ("Nigerian Air Force ( NAF
)") and "of" phrases ("The armies of Brazil and Argentina"); coordinated actors are separate
spans ("Russia" and "the USA"), and relative clauses stay out. docs/actors.md shows examples.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..model import ActorRef, Document

_LEFT_SKIP = {"punct", "cc", "preconj", "case", "mark", "advmod", "neg"}
_RIGHT_KEEP_PREPS = {"of"}
_TRIM = {"punct", "cc"}


def _right_end(tok: Token) -> int:
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in _RIGHT_KEEP_PREPS:
            end = max(end, _subtree_end(c))
        elif c.dep_ == "appos":
            end = max(end, _subtree_end(c))
        elif c.dep_ == "case":  # possessive 's closing a possessor
            end = max(end, c.i + 1)
        elif c.dep_ in {"punct"} and c.text == ")" and end == c.i - 1:
            end = c.i + 1
    return end


def _subtree_end(tok: Token) -> int:
    return max(t.i for t in tok.subtree) + 1


def token_extent(tok: Token) -> tuple[int, int]:
    """Token extent ``[start, end)`` of the actor phrase headed by ``tok``."""
    doc = tok.doc
    start = tok.i
    for c in tok.lefts:
        if c.dep_ in _LEFT_SKIP:
            continue
        start = min(start, min(t.i for t in c.subtree))
    end = _right_end(tok)
    # a parenthesised acronym right after the head: "Nigerian Air Force ( NAF )"
    if end + 2 < len(doc) + 1 and end < len(doc) and doc[end].text == "(" and end + 2 < len(doc) and doc[end + 2].text == ")" \
            and doc[end + 1].is_upper:
        end += 3
    while end - 1 > start and doc[end - 1].dep_ in _TRIM and doc[end - 1].text != ")":
        end -= 1
    while start < end - 1 and (doc[start].dep_ in _TRIM or doc[start].is_space):
        start += 1
    return start, end


def actor_phrase(doc: Document, start: int, end: int | None = None) -> tuple[int, int]:
    """Character extent of the actor noun phrase headed at character ``start`` (or headed by the
    root of ``body[start:end]``): ``(start, end)`` in the article body."""
    parse = doc.parse
    span = parse.char_span(start, end if end is not None else start + 1, alignment_mode="expand")
    tok = span.root
    s, e = token_extent(tok)
    return parse[s].idx, parse[e - 1].idx + len(parse[e - 1])


def actor_phrases(doc: Document) -> list[ActorRef]:
    """Every actor noun phrase of ``doc`` (one per actor mention head that is not inside a larger
    actor phrase's modifiers), coded with :func:`~newsevents.actors.resolve_span`."""
    from . import resolve_span

    parse = doc.parse
    heads = []
    for m in doc.actors:
        span = parse.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            heads.append(span.root)
    out, seen = [], set()
    for tok in sorted(set(heads), key=lambda t: t.i):
        s, e = token_extent(tok)
        cs, ce = parse[s].idx, parse[e - 1].idx + len(parse[e - 1])
        if (cs, ce) in seen:
            continue
        seen.add((cs, ce))
        out.append(resolve_span(doc, cs, ce))
    return out
