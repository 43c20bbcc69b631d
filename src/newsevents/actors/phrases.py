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
from .find import code_phrase_head
from .resolve import analysis_of, resolve_span

_LEFT_SKIP = {"punct", "cc", "preconj", "case", "mark", "neg"}
# prepositional phrases attached to the head that gold spans keep ("The armies of Brazil",
# "A court in Argentina", "the UAE Ambassador to Bahrain", "A car bombing by the Islamic State")
RIGHT_PREPS = {"of", "in", "to", "by", "from", "for"}
# names and people keep only "of"/"to" phrases: "in Washington" after a name is almost always
# where something happened, attached to the noun by the parser
_NAME_PREPS = {"of", "to"}
_TEMPORAL = {"DATE", "TIME"}
# quantity words a phrase climbs to: "dozens of demonstrators", "a number of political parties"
QUANTITIES = {"dozens", "hundreds", "thousands", "scores", "tens", "millions", "number", "group", "groups", "handful",
              "some", "many", "most", "all", "several", "both", "one", "two", "three", "four", "five", "none", "each",
              "members", "member", "majority", "rest", "lot", "lots", "couple", "band"}
INCLUDE_PARTICIPLES = True  # "The missiles fired by the Israeli military", "people affected by ..."


def _temporal(tok: Token) -> bool:
    return tok.ent_type_ in _TEMPORAL and tok.dep_ in {"npadvmod", "advmod", "nmod"}


def token_extent(tok: Token, right: bool = True, conj: bool = False) -> tuple[int, int]:
    """Token extent ``[start, end)`` of the actor phrase headed by ``tok``: its left modifiers,
    then (when ``right``) "of/in/to/by ..." phrases, appositions, past-participle modifiers, a
    possessive 's and a parenthesised acronym; coordinated heads only when ``conj`` (inside an
    "of" phrase: "The armies of Brazil and Argentina"); dates and relative clauses never."""
    doc = tok.doc
    start = tok.i
    for c in tok.lefts:
        if c.dep_ in _LEFT_SKIP or _temporal(c):
            continue
        start = min(start, min(t.i for t in c.subtree))
    end = tok.i + 1
    if right:
        preps = _NAME_PREPS if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON" else RIGHT_PREPS
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ in preps:
                objs = [o for o in c.children if o.dep_ == "pobj"]
                if objs:
                    end = max(end, token_extent(objs[0], conj=True)[1])
            elif c.dep_ == "appos":
                end = max(end, token_extent(c)[1])
            elif c.dep_ == "acl" and INCLUDE_PARTICIPLES and c.tag_ == "VBN" and c.i == end \
                    and not any(x.dep_ in {"dobj", "nsubj"} for x in c.children):
                end = max(end, max(t.i for t in c.subtree) + 1)
            elif c.dep_ == "case":  # possessive 's closing a possessor
                end = max(end, c.i + 1)
            elif c.dep_ == "punct" and c.text == ")" and c.i == end:
                end = c.i + 1
            elif c.dep_ == "conj" and conj:
                end = max(end, token_extent(c, conj=True)[1])
    # a parenthesised acronym right after the head: "Nigerian Air Force ( NAF )"
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].is_upper:
        end += 3
    while end - 1 > start and doc[end - 1].dep_ in {"punct", "cc"} and doc[end - 1].text != ")":
        end -= 1
    while start < end - 1 and (doc[start].dep_ in {"punct", "cc"} or doc[start].is_space):
        start += 1
    return start, end


#: Dependency labels of noun-phrase heads that can be an event's source or target.
HEAD_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "attr", "dative", "ROOT", "poss", "oprd", "agent",
             "csubj", "iobj", "npadvmod"}


def phrase_extent(tok: Token) -> tuple[int, int]:
    """Token extent of the actor phrase around head ``tok``: a possessor climbs to what it
    possesses ("Trump 's decision"), a quantity's complement to the quantity ("dozens of
    demonstrators")."""
    if tok.dep_ == "poss" and tok.head.pos_ in {"NOUN", "PROPN"}:
        return token_extent(tok.head, right=False)
    while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in QUANTITIES \
            and tok.head.head.i < tok.i:
        tok = tok.head.head
    return token_extent(tok)


def actor_phrase(doc: Document, start: int, end: int | None = None) -> tuple[int, int]:
    """Character extent of the actor noun phrase headed at character ``start`` (or headed by the
    root of ``body[start:end]``): ``(start, end)`` in the article body."""
    parse = doc.parse
    span = parse.char_span(start, end if end is not None else start + 1, alignment_mode="expand")
    if span is None or not len(span):
        return start, end if end is not None else start
    s, e = phrase_extent(span.root)
    return parse[s].idx, parse[e - 1].idx + len(parse[e - 1])


def actor_phrases(doc: Document) -> list[ActorRef]:
    """The maximal actor noun phrases of ``doc``: every noun phrase whose head codes as an actor
    (a mention, a role noun, or a noun an actor modifies: "Turkish demands"), extended to the
    conventional extent, possessors climbing to what they possess ("Trump 's decision"), and
    phrases nested in another dropped. Each is coded with :func:`~newsevents.actors.resolve.resolve_span`."""
    parse = doc.parse
    an = analysis_of(doc)
    extents = set()
    for tok in parse:
        if tok.pos_ not in {"NOUN", "PROPN", "PRON", "NUM"} or tok.dep_ not in HEAD_DEPS:
            continue
        c = code_phrase_head(tok, an, an.dictionary)
        if c is None or not (c.code or c.country or c.sector):
            continue
        extents.add(phrase_extent(tok))
    maximal = [x for x in extents if not any(o != x and o[0] <= x[0] and x[1] <= o[1] for o in extents)]
    out = []
    for s, e in sorted(maximal):
        cs, ce = parse[s].idx, parse[e - 1].idx + len(parse[e - 1])
        out.append(resolve_span(doc, cs, ce))
    return out
