"""Actors: who is who. Named entities, coreference and the actor dictionary give every actor
mention a CAMEO code, an ISO country and a sector.

The stage fills ``doc.actors`` (every resolved mention: names, pronouns, descriptions,
metonyms) and ``doc.entities`` (coreference clusters), and hands its analysis of the parse on in
``doc.analysis["actors"]``. Later stages call :func:`resolve_span` to code an arbitrary stretch
of text (an event's source noun phrase, a quote's speaker) and :func:`actor_phrase` for the
conventional extent of an actor noun phrase.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Document, Entity, Mention
from ..settings import Settings
from . import dictionary as _dictionary
from .find import Analysis, Coded, add_context_countries, code_token, find_names, matcher_for
from .phrases import actor_phrase, actor_phrases, phrase_extent
from .resolve import KEY, mentions_in, resolve_span

__all__ = ["ActorStage", "actor_phrase", "actor_phrases", "mentions_in", "phrase_extent", "resolve_span"]

_MODIFIER_DEPS = {"compound", "amod", "nmod", "det", "predet", "nummod", "quantmod"}


class ActorStage:
    """Finds, codes and links actor mentions; fills ``doc.actors`` and ``doc.entities``."""

    name = "actors"
    language_bound = True  # reads English (see pipeline.py)
    requires = ("parse",)
    assigns = ("actors", "entities", "analysis.actors")

    def __init__(self, settings: Settings):
        self.settings = settings
        self.dictionary = _dictionary.load(tuple(settings.actors_files))

    def __call__(self, doc: Document) -> Document:
        if doc.parse is None:
            return doc
        an = doc.analysis[KEY] = analyse(doc, self.dictionary)
        doc.actors, doc.entities = _mentions_and_entities(doc, an, self.dictionary)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


def analyse(doc: Document, d) -> Analysis:
    """The stage's analysis of ``doc.parse`` with the dictionary ``d``: names found, heads coded."""
    an = Analysis(date=doc.article.published, dictionary=d, parse=doc.parse)
    an.names, an.partial = find_names(doc.parse, d, matcher_for(d, doc.parse.vocab))
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
