"""Sources, targets and reporters of a coded predicate, read from the dependency parse.

Argument spans follow the conventions of the development gold (full noun phrases with their
determiners, prepositional modifiers and appositions: "a Swiss court", "Saudi Arabia's
ambassador to the UN Abdallah al-Mouallimi"; relative and participial clauses cut off;
coordinated actors split into one span each, so "the USA and NATO" gives two events).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import lemma, lexicon
from .rules import Match, noun_entry

SUBJ_DEPS = ("nsubj", "csubj", "expl")
PRONOUNS = {"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "our", "them", "him", "us"}
# prepositions that introduce the target of an event (checked in this order)
TARGET_PREPS = ("on", "against", "with", "to", "toward", "towards", "into", "at", "upon", "from", "over", "about",
                "regarding", "for", "in")
# "in" only names a target for events directed at a place (aid, troops, strikes "in Syria")
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
# roots whose verb takes what it is about as its object: "rejected the request", "defended the decision"
PATIENT_ROOTS = {"01", "02", "05", "09", "10", "11", "12"}
RESOURCES = {
    "aid", "assistance", "money", "fund", "funding", "troop", "soldier", "supply", "weapon", "arm", "equipment", "food",
    "medicine", "vaccine", "loan", "grant", "support", "help", "relief", "statement", "comment", "talk", "meeting",
    "responsibility", "condolence", "sympathy", "concern", "hope", "optimism", "pessimism",
}
CUT_DEPS = {"relcl", "acl", "conj", "cc", "punct", "advcl", "dep", "parataxis"}


@dataclass
class Arguments:
    sources: list = field(default_factory=list)  # head Tokens
    targets: list = field(default_factory=list)
    reporter: object = None  # head Token of who reports it
    reported: bool = False
    reciprocal: bool = False  # coordinated subjects acting together: one joined source span


def np_bounds(head, cut_time: bool = False) -> tuple[int, int]:
    """Token bounds [start, end) of the noun phrase headed by ``head`` (gold conventions).

    Kept: determiners, modifiers, possessors, prepositional phrases, appositions and
    bracketed acronyms. Cut: relative and participial clauses, coordinated nouns (they are
    actors of their own) and, with ``cut_time``, phrases of time the parser hung on a subject
    ("the Foreign Office during a weekly briefing on Thursday").
    """
    start, end = head.i, head.i + 1
    for c in head.lefts:
        if c.dep_ not in ("punct", "cc", "preconj") or c.i > start:
            start = min(start, c.left_edge.i)
            break
    end = _right_end(head, cut_time)
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


def _right_end(tok, cut_time: bool = False, depth: int = 0) -> int:
    """End of ``tok``'s phrase: its right dependents up to the first clause or coordination."""
    end = tok.i + 1
    rights = list(tok.rights)
    for k, c in enumerate(rights):
        if c.dep_ == "punct" and c.text in ("(", ")"):
            end = max(end, c.i + 1)
            continue
        if c.dep_ == "punct" and c.text == "," and k + 1 < len(rights) and rights[k + 1].dep_ == "appos":
            continue  # "the Palestinian president, Mahmoud Abbas"
        if c.dep_ in CUT_DEPS or (cut_time and c.dep_ == "prep" and _temporal(c)):
            break
        end = max(end, _right_end(c, False, depth + 1) if depth < 12 else c.right_edge.i + 1)
    return end


TIME_PREPS = {"during", "after", "before", "since", "until", "following", "amid", "ahead"}


def _temporal(prep) -> bool:
    if prep.lower_ in TIME_PREPS:
        return True
    return any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children)


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
        if p.dep_ in ("xcomp", "conj", "advcl", "acomp") and p.head != p:
            p = p.head
            continue
        if p.dep_ in ("relcl", "acl") and p.head != p:
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


def _is_resource(t) -> bool:
    return t.lemma_.lower() in RESOURCES or t.ent_type_ in THING_ENTS


def _is_thing(t) -> bool:
    return t.ent_type_ in THING_ENTS or t.lemma_.lower() in THING_NOUNS or t.pos_ in ("VERB", "ADJ", "NUM")


def prep_object(heads, code: str, exclude=(), depth: int = 0):
    """The first object of a target preposition on any of ``heads``; an object that is a thing
    or an event ("agreed to a ceasefire in eastern Ukraine") passes on to its own prepositions."""
    for prep in TARGET_PREPS:
        for h in heads:
            if h is None:
                continue
            for c in h.children:
                if c.dep_ not in ("prep", "dative") or c.lower_ != prep:
                    continue
                for g in c.children:
                    if g.dep_ != "pobj" or g in exclude or g.pos_ not in ("NOUN", "PROPN", "PRON"):
                        continue
                    if g.ent_type_ in THING_ENTS:
                        continue
                    if _is_thing(g) or noun_entry(g):
                        if depth < 2:
                            inner = prep_object([g], code, exclude, depth + 1)
                            if inner is not None:
                                return inner
                        continue
                    if prep == "in" and not (_place_target(code) and g.ent_type_ in ("GPE", "LOC")):
                        continue
                    return g
    return None


def _place_target(code: str) -> bool:
    return code[:2] in PLACE_ROOTS or code in ("042", "0334", "074")


def _verb_carries(m: Match) -> bool:
    """True when the verb alone already means the event ("reject" in "reject request"), so its
    object is what the event is aimed at, not the event itself ("hold talks", "lift sanctions")."""
    alone = lexicon().verbs.get(lemma(m.trigger))
    roots = {m.code[:2], (m.base or m.code)[:2]}
    return bool(alone and alone.code and alone.role not in ("light", "aspect") and alone.code[:2] in roots
                and m.code[:2] in PATIENT_ROOTS and not _is_resource(m.noun))


def target_of(m: Match, exclude=()):
    """The target of a simple (non-control) match."""
    p = m.trigger
    if m.noun is not None and m.noun != p and _verb_carries(m):
        return m.noun  # "rejected the Croatian government's request": the request is the target
    if m.noun is not None:  # "launched an attack on X", "held talks with X", "the attack on X"
        t = prep_object([m.noun, p], m.code, exclude)
        if t is not None:
            return t
        poss = next((c for c in m.noun.children if c.dep_ == "poss"), None)
        if poss is not None and m.noun == p:
            return None
    ps = passive_subject(p)
    if ps is not None and ps not in exclude:
        return ps
    for c in p.children:
        if c.dep_ == "dative":
            return c if c.pos_ != "ADP" else next((g for g in c.children if g.dep_ == "pobj"), None)
    for c in p.children:
        if c.dep_ == "dobj" and c != m.noun and c not in exclude and not _is_thing(c):
            return c
    return prep_object([p], m.code, exclude)


def source_of(m: Match):
    p = m.trigger
    if m.noun is not None and m.noun == p:  # a nominal event: its possessor or "by" phrase
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
            if outer_obj is None and node.content.trigger != node.trigger:
                outer_obj = subject(node.content.trigger)
                if outer_obj is not None and outer_obj.dep_ != "nsubj":
                    outer_obj = None
            tgt = tgt or outer_obj
            node = node.content
            continue
        if node.content is not None and node.role:
            src = src or source_of(node)
            nxt = node.content
            if nxt.noun is not None and nxt.noun == nxt.trigger and nxt.pred == node.trigger:
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
        # "India and Pakistan agreed to a ceasefire": one reciprocal actor, named as written
        args.reciprocal = True
        args.sources = [src]
    return args
