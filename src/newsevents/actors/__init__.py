"""Actors: who is who. Named entities, coreference and the actor dictionary give every actor
mention a CAMEO code, an ISO country and a sector.

The stage fills ``doc.actors`` (every resolved mention: names, pronouns, descriptions,
metonyms) and ``doc.entities`` (coreference clusters). Other stages call
:func:`resolve_span` to code an arbitrary stretch of text (an event's source noun phrase, a
quote's speaker) and :func:`actor_phrase` for the conventional extent of an actor noun phrase.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..model import ActorRef, Document, Entity, Mention
from ..settings import Settings
from . import dictionary as _dictionary
from .find import Analysis, Coded, add_context_countries, code_phrase_head, code_token, find_names, matcher_for
from .phrases import actor_phrase, actor_phrases, phrase_extent

__all__ = ["ActorStage", "actor_phrase", "actor_phrases", "mentions_in", "phrase_extent", "resolve_span"]

# Per-parse analyses, kept beside the parse rather than in Doc.user_data (which is pickled with
# the Doc, and spaCy Spans cannot be pickled). Only the last few: stages ask for the analysis of
# the document they are on. (Not a WeakKeyDictionary: an analysis holds Spans of its parse, so
# the parse would never go, and a batch run would keep every parse it made.)
_ANALYSES: "OrderedDict[int, tuple[Any, Analysis]]" = OrderedDict()
_KEEP_ANALYSES = 64
# Per-parse lookups for resolve_span, which other stages call once per phrase: the actors by
# start offset, and whether the parse is of the article body. Made per call, they made a long
# article quadratic: 200k characters took minutes.
# (They hold no part of the parse, so a WeakKeyDictionary lets the parse go.)
_LOOKUPS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_MODIFIER_DEPS = {"compound", "amod", "nmod", "det", "predet", "nummod", "quantmod"}


class ActorStage:
    """Finds, codes and links actor mentions; fills ``doc.actors`` and ``doc.entities``."""

    name = "actors"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.dictionary = _dictionary.load(tuple(settings.actors_files))

    def __call__(self, doc: Document) -> Document:
        if doc.parse is None:
            return doc
        an = analyse(doc, self.dictionary)
        doc.actors, doc.entities = _mentions_and_entities(doc, an, self.dictionary)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


def analyse(doc: Document, d=None) -> Analysis:
    """The per-document analysis (names found, heads coded), kept beside the parse. Without the
    stage's dictionary (resolve_span on a document the stage did not see) the shipped one."""
    parse = doc.parse
    kept = _ANALYSES.get(id(parse))
    if kept is not None and kept[0] is parse:  # the id of a parse held here is never reused
        return kept[1]
    d = d or _dictionary.load(())
    an = Analysis(date=doc.article.published)
    an.names, an.partial = find_names(parse, d, matcher_for(d, parse.vocab))
    an.dictionary = d
    _ANALYSES[id(parse)] = (parse, an)
    while len(_ANALYSES) > _KEEP_ANALYSES:
        _ANALYSES.popitem(last=False)
    return an


def _candidates(parse, an: Analysis) -> Iterator[int]:
    """Tokens that may head an actor mention: noun-phrase heads, pronouns and dictionary names."""
    seen_spans = set()
    for tok in parse:
        if tok.i in an.partial:
            continue
        if tok.i in an.names:
            span, entry = an.names[tok.i]
            if span.start in seen_spans:
                continue
            seen_spans.add(span.start)
            root = span.root
            if root.dep_ in _MODIFIER_DEPS and entry.type in ("country", "demonym", "region", "capital"):
                continue  # "Russian", "US" in "US President ...": a modifier, not an actor of its own
            yield root.i
        elif tok.pos_ in {"NOUN", "PROPN", "PRON"} and tok.dep_ not in _MODIFIER_DEPS:
            yield tok.i


def _mentions_and_entities(doc: Document, an: Analysis, d) -> tuple[list[Mention], list[Entity]]:
    from ..nlp.coref import resolve

    parse = doc.parse
    coded: list[Coded] = []
    for i in _candidates(parse, an):
        c = code_token(parse[i], an, d)
        if c is None or (c.kind in {"nominal", "title"} and not c.code and not c.role and not c.rule.startswith("anaphor")):
            continue
        coded.append(c)
    coded.sort(key=lambda c: (c.start, -c.end))
    links = resolve(parse, coded)
    add_context_countries(parse, coded, {i for i, (j, _rule) in enumerate(links) if j is not None})
    # union-find over the links; each cluster becomes an Entity
    parent = list(range(len(coded)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (j, _rule) in enumerate(links):
        if j is not None:
            parent[root(i)] = root(j)
    clusters: dict[int, list[int]] = {}
    for i in range(len(coded)):
        clusters.setdefault(root(i), []).append(i)
    body = doc.article.body
    mentions: list[Mention] = []
    for c, (_j, rule) in zip(coded, links):
        start, end = parse[c.start].idx, parse[c.end - 1].idx + len(parse[c.end - 1])
        mentions.append(Mention(text=body[start:end], start=start, end=end, name=c.name, code=c.code, country=c.country,
                                sector=c.sector, kind=c.kind, type=c.type, role=c.role,
                                rule=c.rule + (f"+{rule}" if rule else ""), confidence=_confidence(c, rule)))
    entities: list[Entity] = []
    for members in sorted(clusters.values(), key=lambda m: m[0]):
        best = _representative([coded[i] for i in members])
        if best is None:
            continue  # an unresolved pronoun: not an actor we can name
        code, sector = best.code, best.sector
        if best.type == "country" and sector is None and any(
                coded[i].country == best.country and coded[i].sector == "GOV" and coded[i].type != "person" for i in members):
            code, sector = best.country + "GOV", "GOV"  # the state, acting through its government
        ent = Entity(id=len(entities), name=best.entry.name if best.entry else best.name, code=code,
                     country=best.country, sector=sector, type=best.type, role=best.role, mentions=members)
        for i in members:
            m = mentions[i]
            m.entity = ent.id
            # pronouns and descriptions take who they refer to; a country named where its
            # government acts takes the government's sector
            m.name = ent.name  # who it is, whatever the words ("he" -> "Dmitry Peskov")
            if coded[i].kind == "pronoun" or links[i][1] in _TAKES_ENTITY_CODE or not m.code:
                m.code, m.country, m.sector = ent.code, ent.country, ent.sector
                m.type, m.role = m.type or ent.type, m.role or ent.role
            elif m.type == "country" and m.sector is None and ent.sector and m.country == ent.country:
                m.code, m.sector = ent.code, ent.sector
        entities.append(ent)
    keep = [m for m in mentions if m.entity is not None]
    remap = {id(m): k for k, m in enumerate(keep)}
    for ent in entities:
        ent.mentions = [remap[id(mentions[i])] for i in ent.mentions]
    return keep, entities


def _representative(members: list[Coded]) -> Coded | None:
    """The mention that best says who a cluster is: a dictionary name with a code, then any name,
    then a coded description."""
    def rank(c: Coded):
        return (c.kind == "pronoun", c.code is None, c.entry is None or c.entry.type != "person", c.entry is None,
                c.sector is None, c.kind != "name")
    best = min(members, key=rank)
    if best.kind == "pronoun" or (best.code is None and best.rule.startswith("anaphor")):
        return None  # an unresolved pronoun or "the group": not an actor we can name
    return best


# Links after which a mention is coded as the actor it refers to ("the government" -> RUSGOV).
_TAKES_ENTITY_CODE = {"role-description", "apposition", "definite-description"}
# How sure each way of coding or linking a mention is (dictionary names are sure; a pronoun's
# antecedent or a bare "the government" much less so). Hand-set: rank, not probability.
_CONFIDENCE = {"pronoun": 0.7, "role-description": 0.7, "definite-description": 0.6, "state-government": 0.8,
               "surname": 0.9, "acronym": 0.9, "apposition": 0.9}


def _confidence(c: Coded, link_rule: str) -> float:
    base = 1.0 if c.rule.startswith(("dictionary", "description")) else 0.8
    return round(min(base, _CONFIDENCE.get(link_rule, 1.0)), 2)


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


class _Lookup(NamedTuple):
    body: str
    actors: list  # the list object it was made from, and its length then: made again when either changes
    count: int
    same_text: bool  # the parse is of this body
    starts: list[int]
    ordered: list  # the actors by start offset


def _lookup(doc: Document) -> _Lookup | None:
    """The lookups of a parsed doc, kept beside the parse while its body and actors stay the same."""
    parse, body, actors = doc.parse, doc.article.body, doc.actors
    if parse is None:
        return None
    old = _LOOKUPS.get(parse)
    if old is not None and old.body is body and old.actors is actors and old.count == len(actors):
        return old
    same_text = old.same_text if old is not None and old.body is body else _parsed_length(parse) == len(body)
    ordered = sorted(actors, key=lambda m: m.start)
    new = _Lookup(body, actors, len(actors), same_text, [m.start for m in ordered], ordered)
    _LOOKUPS[parse] = new
    return new


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
    an = analyse(doc)
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
