"""Sources, targets and reporters of a coded predicate, read from the dependency parse.

Argument spans follow the conventions of the development gold (full noun phrases with their
determiners, prepositional modifiers and appositions: "a Swiss court", "Saudi Arabia's
ambassador to the UN Abdallah al-Mouallimi"; relative and participial clauses cut off;
coordinated actors split into one span each, so "the USA and NATO" gives two events).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .rules import Match

SUBJ_DEPS = ("nsubj", "csubj", "expl")
PRONOUNS = {"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "our", "them", "him", "us"}
# prepositions that introduce the target of an event (checked in this order)
TARGET_PREPS = ("on", "against", "with", "to", "toward", "towards", "into", "at", "upon", "from", "over", "for", "in")
# prepositions that only name a target for events directed at a place (aid, troops, strikes "in Syria")
PLACE_PREPS = {"in", "into", "over"}
PLACE_ROOTS = {"07", "15", "17", "18", "19", "20", "06"}
# heads that are what is given or done, not who it is done to ("gave 5 million euros", "sent troops")
THING_ENTS = {"MONEY", "QUANTITY", "CARDINAL", "PERCENT", "DATE", "TIME", "ORDINAL"}
THING_NOUNS = {
    "aid", "assistance", "money", "fund", "funding", "troop", "soldier", "supply", "weapon", "arm", "equipment",
    "statement", "support", "help", "relief", "food", "medicine", "vaccine", "dose", "loan", "grant", "package",
    "team", "force", "personnel", "plan", "deal", "agreement", "ceasefire", "truce", "decision", "step", "measure",
    "action", "effort", "role", "position", "concern", "condolence", "sympathy", "hope", "readiness", "commitment",
    "intention", "way", "time", "talk", "meeting", "visit", "negotiation", "discussion", "consultation", "ban",
    "sanction", "restriction", "curfew", "blockade", "embargo", "attack", "strike", "operation", "fire", "pressure",
}
CUT_DEPS = {"relcl", "acl", "conj", "cc", "punct", "advcl", "dep", "parataxis"}


@dataclass
class Arguments:
    sources: list = field(default_factory=list)  # head Tokens
    targets: list = field(default_factory=list)
    reporter: object = None  # head Token of who reports it
    reported: bool = False
    reciprocal: bool = False


def np_bounds(head) -> tuple[int, int]:
    """Token bounds [start, end) of the noun phrase headed by ``head`` (gold conventions)."""
    start, end = head.i, head.i + 1
    for c in head.lefts:
        if c.dep_ not in ("punct", "cc", "preconj") or c.i > start:
            start = min(start, c.left_edge.i)
            break
    for c in head.rights:
        if c.dep_ in CUT_DEPS:
            if c.dep_ == "punct" and c.text in ("(", ")"):
                end = max(end, c.i + 1)
                continue
            break
        end = max(end, c.right_edge.i + 1)
    doc = head.doc
    while end - 1 > start and doc[end - 1].is_punct and doc[end - 1].text not in (")", "]"):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    # keep brackets balanced: "Nigerian Air Force (NAF"
    opened = sum(1 for t in doc[start:end] if t.text == "(") - sum(1 for t in doc[start:end] if t.text == ")")
    if opened > 0 and end < len(doc) and doc[end].text == ")":
        end += 1
    return start, end


def split(head) -> list:
    """``head`` and its coordinated nouns: "the USA and NATO" -> [USA, NATO]."""
    out = [head]
    for c in head.conjuncts:
        if c.i > head.i and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X"):
            out.append(c)
    return out


def subject(p):
    """The subject of predicate ``p``: its own, the agent of a passive, or its controller's."""
    seen = 0
    while p is not None and seen < 6:
        seen += 1
        for c in p.children:
            if c.dep_ in SUBJ_DEPS and c.dep_ != "expl":
                return c
        for c in p.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if p.dep_ in ("xcomp", "conj", "advcl", "acomp") and p.head is not p:
            p = p.head
            continue
        if p.dep_ in ("relcl", "acl") and p.head is not p:
            return p.head if p.dep_ == "relcl" else None
        return None
    return None


def passive_subject(p):
    return next((c for c in p.children if c.dep_ == "nsubjpass"), None)


def agent(p):
    for c in p.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _is_thing(t) -> bool:
    return t.ent_type_ in THING_ENTS or t.lemma_.lower() in THING_NOUNS or t.pos_ in ("VERB", "ADJ", "NUM")


def prep_object(heads, code: str, exclude=()):
    """The first object of a target preposition on any of ``heads``."""
    for prep in TARGET_PREPS:
        for h in heads:
            if h is None:
                continue
            for c in h.children:
                if c.dep_ in ("prep", "dative") and c.lower_ == prep:
                    for g in c.children:
                        if g.dep_ == "pobj" and g not in exclude:
                            if prep in PLACE_PREPS and not (code[:2] in PLACE_ROOTS and g.ent_type_ in ("GPE", "LOC")):
                                continue
                            if g.pos_ in ("NOUN", "PROPN", "PRON") and not g.ent_type_ in THING_ENTS:
                                return g
    return None


def target_of(m: Match, exclude=()):
    """The target of a simple (non-control) match."""
    p = m.trigger
    if m.noun is not None:  # "launched an attack on X", "held talks with X", "the attack on X"
        t = prep_object([m.noun, p], m.code, exclude)
        if t is not None:
            return t
        poss = next((c for c in m.noun.children if c.dep_ == "poss"), None)
        if poss is not None and m.noun is p:
            return None
    ps = passive_subject(p)
    if ps is not None and ps not in exclude:
        return ps
    for c in p.children:
        if c.dep_ == "dative":
            return c if c.pos_ != "ADP" else next((g for g in c.children if g.dep_ == "pobj"), None)
    for c in p.children:
        if c.dep_ == "dobj" and c is not m.noun and c not in exclude and not _is_thing(c):
            return c
    return prep_object([p], m.code, exclude)


def source_of(m: Match):
    p = m.trigger
    if m.noun is not None and m.noun is p:  # a nominal event: its possessor or "by" phrase
        for c in p.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ == "by":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        if p.dep_ in ("dobj", "pobj", "attr"):
            h = p.head if p.dep_ != "pobj" else p.head.head
            return subject(h)
        return None
    ps = passive_subject(p)
    if ps is not None:
        return agent(p)
    return subject(p)


def arguments(m: Match) -> Arguments:
    """Sources, targets and reporter for the chain of ``m``."""
    args = Arguments()
    src = tgt = None
    node = m
    outer_obj = None
    while node is not None:
        if node.role == "report" and node.content is not None:
            args.reporter = args.reporter or source_of(node)
            args.reported = True
            inner = node.content
            if inner.modal == "must" and inner.code[:2] == "10":
                # "X said Y must mediate": a demand by X of Y
                src = src or args.reporter
                tgt = tgt or subject(inner.trigger)
                break
            node = inner
            continue
        if node.role in ("appeal", "demand", "order", "allow") and node.content is not None:
            src = src or source_of(node)
            outer_obj = next((c for c in node.trigger.children if c.dep_ in ("dobj", "dative")
                              and not _is_thing(c)), None)
            if outer_obj is None:
                outer_obj = prep_object([node.trigger], node.code)
            if outer_obj is None and node.content.trigger is not node.trigger:
                outer_obj = subject(node.content.trigger)
                if outer_obj is not None and outer_obj.dep_ != "nsubj":
                    outer_obj = None
            tgt = tgt or outer_obj
            node = node.content
            continue
        if node.content is not None and node.role:
            src = src or source_of(node)
            nxt = node.content
            if nxt.noun is not None and nxt.noun is nxt.trigger and nxt.pred is node.trigger:
                # the light verb's own prepositions also carry the target: "imposed sanctions on X"
                tgt = tgt or prep_object([nxt.noun, node.trigger], nxt.code) or target_of(node)
            node = nxt
            continue
        src = src or source_of(node)
        tgt = tgt or target_of(node, exclude=[src] if src is not None else ())
        break
    if src is not None and tgt is not None and src.i == tgt.i:
        tgt = None
    if src is not None and args.reporter is not None and src.lower_ in PRONOUNS:
        src = args.reporter
    if src is not None:
        args.sources = split(src)
    if tgt is not None:
        args.targets = split(tgt)
    if len(args.sources) > 1 and not args.targets and m.code[:2] in ("03", "04", "05", "06"):
        args.reciprocal = True
    return args
