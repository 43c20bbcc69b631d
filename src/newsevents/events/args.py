"""Sources, targets and reporters of a coded predicate, read from the dependency parse.

This module finds the head token of each argument; :mod:`.spans` turns a head into the span of
the actor (the conventions of the development gold) and into the coordinated actors it stands
for ("the USA and NATO" gives two events).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import lemma, lexicon
from .rules import GETTING, Match, noun_entry
from .spans import _named_side, _owned_thing, split
from ..vocab import FIRST_PLURAL
from .words import (GOODS, PATIENTS, PRONOUNS, QUANTITIES, THING_ENTS, THING_NOUNS, actor_like, human, names_who,
                    place_like)

SUBJ_DEPS = ("nsubj", "csubj", "expl")
# prepositions that introduce the target of an event (checked in this order)
TARGET_PREPS = ("on", "against", "with", "to", "toward", "towards", "into", "at", "upon", "from", "over", "about",
                "regarding", "in")
# a request is addressed to whom it is expected from: "expects statements from NATO"
REQUEST_PREPS = ("from", "to", "on", "upon", "with", "against")
RECIPIENT_PREPS = ("to", "into", "with", "for", "in", "from")
# pessimistic and optimistic comments (CAMEO 012, 013) are about what follows the attitude word,
# thing or actor: "skeptical of the announcement", "optimism at the deal", "pessimism over talks"
ATTITUDES = {"012", "013"}
# ("concern for Buhari's health")
ATTITUDE_PREPS = ("to", "about", "of", "over", "at", "regarding", "on", "toward", "towards", "in", "for")
# cooperation is agreed, shared or signed *with* someone and *on* a topic: "agreed to share
# information on company ownership", "signed an agreement on customs processes"
TOPIC_ROOTS = {"03", "05", "06"}
TOPIC_PREPS = {"on", "about", "over", "regarding", "upon"}
# one meets *with* someone, *between* parties; talks *on* something are about it
CONSULT_PREPS = ("with", "between", "among", "to", "in")
# "in" only names a target for events directed at a place (aid, troops, strikes "in Syria")
PLACE_ROOTS = {"07", "15", "17", "18", "19", "20", "06"}
# verbs of giving: their "to" phrase names the recipient ("giving money to local communities")
GIVING = {"give", "send", "provide", "donate", "deliver", "supply", "offer", "lend", "grant", "transfer", "return",
          "contribute", "hand", "ship", "airlift", "extend", "allocate", "channel", "dispatch", "deploy"}
# verbs of purpose clauses that name whom aid is for ("to help Haiti", "to assist Ethiopia")
HELPING = {"help", "assist", "support", "benefit", "aid", "relieve", "feed", "rebuild"}
DEMANDS = {"demand", "request", "call", "appeal", "claim", "grievance", "condition", "ultimatum"}
RELATIVE_WORDS = {"that", "which", "who", "whom", "what", "whose", "whatever", "whoever"}
# roots whose verb takes what it is about as its object: "rejected the request", "defended the decision"
PATIENT_ROOTS = {"01", "02", "05", "09", "10", "11", "12"}
RESOURCES = {
    "aid", "assistance", "money", "fund", "funding", "troop", "soldier", "supply", "weapon", "arm", "equipment", "food",
    "medicine", "vaccine", "loan", "grant", "support", "help", "relief", "statement", "comment", "talk", "meeting",
    "responsibility", "condolence", "sympathy", "concern", "hope", "optimism", "pessimism", "agreement", "deal",
    "accord", "treaty", "resolution", "memorandum", "pact", "contract", "declaration",
}


@dataclass
class Arguments:
    sources: list = field(default_factory=list)  # head Tokens
    targets: list = field(default_factory=list)
    reporter: object = None  # head Token of who reports it
    reported: bool = False
    reciprocal: bool = False  # coordinated subjects acting together: one joined source span
    target_checks: list = field(default_factory=list)  # names of the TARGET_CHECKS that changed the target


# what refugees seek where they flee
HAVENS = {"refuge", "asylum", "shelter", "sanctuary", "haven", "protection"}
# roots whose target is who or where benefits (intent, material cooperation, aid, yielding)
BENEFIT_ROOTS = {"03", "06", "07", "08"}


def last_code(m: Match) -> str:
    node = m
    while node.content is not None:
        node = node.content
    return m.code if m.code[:2] in BENEFIT_ROOTS else node.code


def inner_actor(t, exclude=(), deps=("prep", "acl", "relcl", "pcomp")):
    """The nearest actor, group of people or place inside the phrase of ``t`` (breadth first through
    its prepositions and clauses, ``deps``), or None."""
    frontier = [c for c in t.children if c.dep_ in deps and c.lower_ != "by"]
    for _ in range(4):
        nxt = []
        for c in frontier:
            for g in c.children:
                if g in exclude or g.dep_ in ("det", "punct", "cc", "aux", "mark", "nsubj", "nsubjpass", "poss",
                                              "case"):
                    continue
                if g.pos_ in ("NOUN", "PROPN") and (actor_like(g) or place_like(g) or human(g)) and g.lemma_.lower() \
                        not in THING_NOUNS:
                    return g
                nxt.append(g)
        frontier = nxt
    return None


def subject(p):
    """The subject of predicate ``p``: its own, the agent of a passive, or its controller's."""
    seen = 0
    while p is not None and seen < 6:
        seen += 1
        # a verb coordinated with a passive shares its grammatical subject: "We are concerned by
        # reports ... and call on all parties"
        deps = SUBJ_DEPS if seen == 1 else (*SUBJ_DEPS, "nsubjpass")
        subjects = [c for c in p.children if c.dep_ in deps and c.dep_ != "expl"]
        # "The UK and France however have opposed": the parser may hang the subject on the auxiliary
        subjects = subjects or [g for c in p.children if c.dep_ in ("aux", "auxpass") and c.i < p.i
                                for g in c.children if g.dep_ in deps and g.dep_ != "expl"]
        if subjects:  # the parser may hang two subjects on a verb: take the nearest before it
            before = [c for c in subjects if c.i < p.i]
            return max(before, key=lambda c: c.i) if before else subjects[0]
        for c in p.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if p.dep_ in ("xcomp", "conj", "advcl", "acomp") and p.head != p:
            p = p.head
            continue
        if p.dep_ == "pcomp" and p.head.dep_ == "prep" and p.head.lower_ in ("by", "through", "after", "before"):
            # "continues its efforts in Africa by donating supplies": whoever makes the efforts
            h = p.head.head
            while h.pos_ in ("NOUN", "PROPN") and h.dep_ in ("dobj", "pobj", "prep") and h.head != h:
                h = h.head
            p = h if h.pos_ in ("VERB", "AUX") else None
            continue
        if p.dep_ in ("relcl", "acl") and p.head != p:
            if p.dep_ == "relcl":
                return p.head
            if p.tag_ == "VBG" and not actor_like(p.head) and p.head.dep_ == "dobj":
                p = p.head.head  # "put out a report accusing the army": whoever put it out
                continue
            return p.head if p.tag_ == "VBG" and actor_like(p.head) else None  # "the coalition fighting X"
        return None
    return None


def passive_subject(p):
    return next((c for c in p.children if c.dep_ == "nsubjpass"), None)


def agent(p):
    for c in p.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


# nouns whose "of" names who suffers them: "the blockade of Qatar", "a boycott of U.S. products"
OF_TARGETS = {"blockade", "boycott", "siege", "occupation", "invasion", "embargo", "bombardment", "bombing",
              "shelling", "annexation", "encirclement", "expulsion", "arrest", "detention", "release", "killing",
              "investigation", "probe", "inquiry", "prosecution", "trial", "extradition", "deportation", "suspension"}


def _is_resource(t) -> bool:
    return t.lemma_.lower() in RESOURCES or t.ent_type_ in THING_ENTS


def transfer(code: str) -> bool:
    """Events that move goods or people to a recipient: aid, cooperation, returns, deployments."""
    return code[:2] in ("06", "07", "15") or code.startswith(("084", "162", "033", "023", "103", "0334", "0861"))


def withdrawal(code: str) -> bool:
    return code.startswith(("0874", "166", "087", "0872", "161"))


def _is_thing(t, code: str = "") -> bool:
    """Not an actor: quantities, money, abstractions, events; goods (troops, aid) in a transfer."""
    lem = t.lemma_.lower()
    if t.like_num or lem in QUANTITIES:  # "dozens of political activists" but "dozens of artifacts"
        of = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        if of:
            return _is_thing(of[0], code)
    if t.ent_type_ in THING_ENTS or t.pos_ in ("VERB", "ADJ", "NUM"):
        return True
    if lem == "position" and code[:2] in ("17", "18", "19", "20"):
        return False  # "struck militant positions": a place held by someone, not a stance
    # soldiers are sent (goods of a transfer) but released persons (0841) are who is released
    return lem in THING_NOUNS or (lem in GOODS and (not code or transfer(code)) and not code.startswith("0841"))


def prep_object(heads, code: str, exclude=(), depth: int = 0, preps=None):
    """The first object of a target preposition on any of ``heads``; an object that is a thing
    or an event ("agreed to a ceasefire in eastern Ukraine", "condemned attacks in Tehran")
    passes on to its own prepositions, where a place also counts."""
    if preps is None:
        preps = ATTITUDE_PREPS if code in ATTITUDES else {"02": REQUEST_PREPS, "10": REQUEST_PREPS,
                                                         "04": CONSULT_PREPS}.get(code[:2], TARGET_PREPS)
        if code == "018":  # sympathy is for someone: "condolences for the British people"
            preps = (*preps, "for")
        if code[:2] in TOPIC_ROOTS:
            preps = tuple(p for p in preps if p not in TOPIC_PREPS)
        if withdrawal(code):
            preps = ("from", *preps)
    # "sanctions imposed on Eritrea", "an operation, Operation X, against militants"; read once,
    # not once per preposition
    kids_of = [(h, [*h.children, *(g for c in h.children if c.dep_ == "appos" or (c.dep_ == "acl" and lemma(c) not in
                                                                                 HELPING) for g in c.children)])
               for h in heads if h is not None]
    for prep in preps:
        for h, kids in kids_of:
            for c in kids:
                if c.dep_ not in ("prep", "dative") or (c.lower_ != prep and not (
                        prep == "on" and c.lower_ == "of" and h.lemma_.lower() in OF_TARGETS)):
                    continue
                for g in c.children:
                    if g.dep_ not in ("pobj", "pcomp") or g in exclude or (g.dep_ == "pcomp" and g.tag_ != "VBG"):
                        continue
                    if code in ATTITUDES and g.tag_ == "VBG":
                        # "pessimism about bringing the standoff to an end": what is brought, unless it
                        # is an act ("over holding negotiations with the United States")
                        obj = next((d for d in g.children if d.dep_ == "dobj" and d not in exclude), None)
                        if obj is not None and obj.pos_ in ("NOUN", "PROPN") and not _is_thing(obj, code) \
                                and not noun_entry(obj):
                            return obj
                    if code in ATTITUDES and h.pos_ in ("NOUN", "ADJ", "VERB") and g.pos_ in ("NOUN", "PROPN") \
                            and g.ent_type_ not in THING_ENTS:
                        # "optimistic about the deal", "skeptical of the announcement", "expressed
                        # optimism at a deal" (the parser hangs the phrase on the verb)
                        return g
                    if prep == "in" and (depth > 0 or _place_target(code)) and place_like(g) and g.pos_ != "VERB":
                        return g  # "lifted the state of emergency in northern parts of the country"
                    named = g.pos_ == "PROPN" and g.ent_type_ in ("ORG", "GPE", "PERSON", "NORP")
                    if g.tag_ == "VBG" or (g.pos_ in ("NOUN", "PROPN") and (_is_thing(g, code) or (
                            noun_entry(g) and not named))):
                        # "the ban on doing business with ZTE", "a ceasefire in eastern Ukraine"
                        if prep != "in" and _owned_thing(g):
                            return g  # "offered support to French operations": the operations are someone's
                        if depth < 2 and g.ent_type_ not in THING_ENTS:
                            # an attitude about an act aims at whom the act is with ("pessimism over
                            # holding negotiations with the United States")
                            inner = prep_object([g, *(d for d in g.children if d.dep_ == "dobj")], code, exclude,
                                                depth + 1, TARGET_PREPS if code in ATTITUDES else None)
                            if inner is not None:
                                return inner
                        continue
                    if g.pos_ not in ("NOUN", "PROPN", "PRON"):
                        continue
                    if prep == "in" and not ((depth > 0 or _place_target(code)) and place_like(g)):
                        continue
                    return g
    return None


def _place_target(code: str) -> bool:
    """Events aimed at a place: strikes, aid, deployments, curfews, ceasefires "in X"."""
    return code[:2] in PLACE_ROOTS or code in ("042", "0334", "074") or code.startswith(("172", "081", "087"))


def _verb_carries(m: Match) -> bool:
    """True when the verb alone already means the event ("reject" in "reject request"), so its
    object is what the event is aimed at, not the event itself ("hold talks", "lift sanctions")."""
    alone = lexicon().verbs.get(lemma(m.trigger))
    roots = {m.code[:2], (m.base or m.code)[:2]}
    # what is rejected or vetoed is the target even when it is a thing ("vetoed a draft resolution"),
    # except talks (125), which aim at whom they would be with
    return bool(alone and alone.code and alone.role not in ("light", "aspect") and alone.code[:2] in roots
                and (m.base or m.code)[:2] in PATIENT_ROOTS
                and ((m.code[:2] == "12" and m.code != "125") or not _is_resource(m.noun)))


def _by_agent(noun, preps=("by", "from")):
    """"accusations by the US", "demands from the rebel group": who made them."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def clause_subject(t, deps=("ccomp", "acl", "advcl")):
    """The subject of a clause hanging on ``t``: "expressed surprise that *the Post* published"."""
    for c in t.children:
        if c.dep_ in deps and c.i > t.i:
            subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ not in PRONOUNS and subj.pos_ != "PRON":
                return subj
    return None


def target_of(m: Match, exclude=()):
    """The target of a simple (non-control) match."""
    p, code = m.trigger, m.code
    if m.noun is not None and m.noun != p:
        # "denied charges by the US": the parser may hang the agent on the (active) verb
        made_by = _by_agent(m.noun) or (_by_agent(p) if passive_subject(p) is None else None)
        if (m.base or code)[:2] == "01" and made_by is not None:
            return made_by  # "rejected accusations by the US"
        if code[:2] == "08" and m.noun.lemma_.lower() in DEMANDS and _by_agent(m.noun, ("by", "from", "of")):
            return _by_agent(m.noun, ("by", "from", "of"))  # "accepted the demands of the protesters"
        if code == "196" and _owned_thing(m.noun):
            return m.noun  # "violated South Sudan's ceasefire": the ceasefire of whoever agreed it
        if code[:3] == "015" and (claimed := _claimed_target([m.noun, p], exclude)) is not None:
            return claimed  # "claimed responsibility for attacks on X": aimed at whom the act hit
        if _verb_carries(m):
            return m.noun  # "rejected the Croatian government's request": the request is the target
        if m.noun.lemma_.lower() in PATIENTS or m.noun.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return m.noun  # "will not release the prisoners", "expelled the diplomat"
    if transfer(code) and any(c.dep_ == "prep" and c.lower_ == "with" for c in p.children):
        named = [c for c in p.children if c.dep_ == "dobj" and actor_like(c) and c.lemma_.lower() not in GOODS]
        if named:
            return named[0]  # "provided the Lebanese Armed Forces with aircraft"
    if code[:3] == "045" and (parties := _between(m.noun if m.noun is not None else p, exclude)) is not None:
        return parties  # "launched a mediation effort to resolve the rift between Qatar and ..."
    if code == "0831" and m.noun is None and (body := _left_body(p, exclude)) is not None:
        return body  # "resigned as president of Indonesia", "stepped down from the cabinet"
    heads = [m.noun, p] if m.noun is not None else [p]
    if m.noun is not None:  # "launched an attack on X", "held talks with X", "the attack on X"
        t = prep_object(heads, code, exclude)
        if t is not None:
            return t
        if m.noun == p:
            if code in ATTITUDES and m.pred is not None and m.pred != p:
                # "expressed optimism (Wednesday) that the timeline could be accelerated": the
                # attitude is about the clause's subject, wherever the parser hung the clause
                return clause_subject(p) or clause_subject(m.pred, ("ccomp",))
            return clause_subject(p)
    ps = passive_subject(p)
    if ps is not None and ps not in exclude and ps != m.noun:
        if not (transfer(code) and _is_given(ps, code)):
            return ps
        # "An ancient sarcophagus was returned to Egypt": what was given is not whom it was given to
        t = prep_object([p], code, exclude, preps=RECIPIENT_PREPS)
        return t if t is not None else ps
    for c in p.children:
        if c.dep_ == "dative":
            return c if c.pos_ != "ADP" else next((g for g in c.children if g.dep_ == "pobj"), None)
    objs = [c for c in p.children if c.dep_ == "dobj" and c != m.noun and c not in exclude]
    if transfer(code) or withdrawal(code):  # the recipient, not the goods: "returned paintings to Brazil"
        given = [*objs, m.noun] if m.noun is not None and m.noun != p else objs
        # "returned 1 , 044 cultural antiquities to X": a split number leaves the goods as npadvmod
        given += [c for c in p.children if c.dep_ == "npadvmod" and c.pos_ == "NOUN" and c.ent_type_ not in THING_ENTS]
        # "provide ammunition alongside humanitarian assistance to Turkey": given along with the rest
        given += [g for c in p.children if c.dep_ == "prep" and c.lower_ in ("alongside", "including", "plus")
                  for g in c.children if g.dep_ == "pobj"]
        t = (prep_object([p, *objs], code, exclude, preps=RECIPIENT_PREPS[:2]) or deep_recipient(given, code, exclude)
             or prep_object([p, *objs], code, exclude, preps=RECIPIENT_PREPS[2:]))
        if t is not None:
            return t
    for c in objs:
        if code[:2] in ("04", "07") and not actor_like(c):
            continue  # one meets someone but discusses something: "discussed co-operation"; aid is given
        if not _is_thing(c, code) or (code[:2] in PATIENT_ROOTS and code[:2] != "01" and not _is_resource(c)
                                      and c.pos_ != "NUM"):
            return c  # what is praised or rejected may be a decision: "welcomed NATO's decision"
    t = prep_object([p, *objs], code, exclude)  # "confirmed their position at the talks with X"
    if t is not None:
        return t
    if transfer(code):
        t = beneficiary([p, *objs, *([m.noun] if m.noun is not None else [])], exclude)
        if t is not None:
            return t
    return clause_subject(m.noun) if m.noun is not None else clause_subject(p)


def _between(t, exclude=()):
    """The first party named after "between" in the phrase of ``t`` (the others are its conjuncts)."""
    for d in t.subtree:
        if d.dep_ == "prep" and d.lower_ == "between":
            g = next((x for x in d.children if x.dep_ == "pobj" and x not in exclude), None)
            if g is not None:
                return g
    return None


def _left_body(p, exclude=()):
    """The body an official leaves: "resigned *as president of Indonesia*" (the body after "of"),
    "stepped down *from the cabinet*"."""
    for c in (c for v in (p, *(c for c in p.children if c.dep_ == "prt")) for c in v.children):
        if c.dep_ != "prep":
            continue
        for g in c.children:
            if g.dep_ != "pobj" or g in exclude:
                continue
            if c.lower_ == "from" and (actor_like(g) or place_like(g)
                                       or g.lemma_.lower() in ("cabinet", "board", "council", "committee")):
                return g
            while c.lower_ == "as":  # "as chief of staff of the army": the last "of" that names a body
                g = next((o for d in g.children if d.dep_ == "prep" and d.lower_ == "of"
                          for o in d.children if o.dep_ == "pobj" and o not in exclude), None)
                if g is None or actor_like(g) or place_like(g):
                    return g
    return None


def _claimed_target(heads, exclude=()):
    """Whom a claimed act hit: "claimed responsibility for several attacks *in Rwanda's Southern
    Province*", "for the bombings that killed *300 people*"."""
    for h in heads:
        for c in h.children:
            if c.dep_ != "prep" or c.lower_ != "for":
                continue
            for act in (g for g in c.children if g.dep_ in ("pobj", "pcomp")):
                t = prep_object([act], "190", exclude)
                if t is not None:
                    return t
                for v in act.children:  # "the bombings that killed ...": the clause's victim
                    if v.dep_ in ("relcl", "acl"):
                        obj = next((d for d in v.children if d.dep_ in ("dobj", "nsubjpass") and d not in exclude
                                    and d.lower_ not in RELATIVE_WORDS), None)
                        if obj is not None:
                            return obj
    return None


def beneficiary(heads, exclude=()):
    """Whom aid is for when no recipient is named: the one a purpose clause helps ("donated
    ventilators to assist Ethiopia", "earmarked aid to help Haiti cope")."""
    for h in heads:
        for c in h.children:
            if c.dep_ not in ("advcl", "xcomp", "relcl", "acl") or lemma(c) not in HELPING:
                continue
            for d in c.children:
                if d.dep_ == "dobj" and d not in exclude and (actor_like(d) or place_like(d)) and not _is_thing(d):
                    return d
                if d.dep_ in ("ccomp", "xcomp"):  # "help Haiti cope"
                    s = next((g for g in d.children if g.dep_ == "nsubj"), None)
                    if s is not None and s not in exclude and s.pos_ in ("NOUN", "PROPN"):
                        return s
    return None


def _is_given(t, code: str) -> bool:
    """What a transfer moves: goods, money, things, or anything that is not an actor."""
    return _is_thing(t, code) or not actor_like(t) or t.ent_type_ == "NORP"


def deep_recipient(objs, code: str, exclude=()):
    """The recipient of a transfer when the parser hung "to X" inside what was given ("sent
    vehicles and a team of paratroopers to Lebanon", "returned a pendant engraved with the image
    of Peter the Great to Russian authorities"): the last "to/into" phrase in the objects whose
    object is not itself a thing."""
    found = None
    for o in objs:
        if not _is_given(o, code):
            continue
        for d in o.subtree:
            if d.dep_ == "prep" and d.lower_ in ("to", "into"):
                g = next((x for x in d.children if x.dep_ == "pobj"), None)
                if g is not None and g not in exclude and g.pos_ in ("NOUN", "PROPN") and len(g.text) > 1 \
                        and not _is_thing(g, code):
                    found = g
    return found


def source_of(m: Match):
    p = m.trigger
    if m.noun is not None and m.noun == p:  # a nominal event: its possessor, "by" phrase or nationality
        for c in p.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ == "by":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        for c in p.children:  # "Russian aggression"
            if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE") and c.i < p.i:
                return c
        if p.dep_ in ("dobj", "pobj", "attr"):
            h = p.head if p.dep_ != "pobj" else p.head.head
            return subject(h)
        return None
    ps = passive_subject(p)
    if ps is not None:
        # "was struck and killed by a coalition airstrike": the agent may hang on a conjoined verb
        found = agent(p) or next((agent(c) for c in p.conjuncts if agent(c) is not None), None)
        if found is None and (ps == m.noun or noun_entry(ps)):
            found = _owner(ps)  # "UN sanctions against Iran were lifted": the sanctions were the UN's
        if found is None and (m.code[:2] == "17" or m.code.startswith("166")):
            # "was arrested in Rwanda", "were expelled from North Korea": the state where it happened
            found = next((g for c in p.children if c.dep_ == "prep" and c.lower_ in ("in", "from")
                          for g in c.children if g.dep_ == "pobj" and g.ent_type_ == "GPE"), found)
        return found
    return subject(p)


def _owner(noun):
    """Whose act or measure ``noun`` is: its possessor or a named modifier ("*UN* sanctions")."""
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ not in PRONOUNS:
            return c
    return next((c for c in noun.children if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i
                 and c.ent_type_ in ("ORG", "GPE", "NORP")), None)


def clause_target(m: Match, src=None):
    """Whom an uncoded clause under a control verb names: the recipient of a giving verb ("is
    considering giving money *to local communities*", "exploring the possibility of transferring
    helicopters *to Darfur*"), else an actor object ("pledged to work *with China*")."""
    clauses = []
    for n in m.chain():
        for c in n.trigger.children:
            if c.dep_ in ("xcomp", "ccomp"):
                clauses.append(c)
            elif c.dep_ == "dobj":  # "the possibility of providing ..."
                clauses.extend(g for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                               for g in p.children if g.dep_ == "pcomp" and g.tag_ == "VBG")
    for c in clauses:
        preps = [d for d in c.children if d.dep_ in ("prep", "dative")]
        if lemma(c) in GIVING:
            given = [d for d in c.children if d.dep_ == "dobj"]
            rec = next((g for d in preps if d.lower_ in ("to", "into") for g in d.children
                        if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN") and not _is_thing(g) and g != src), None)
            rec = rec or deep_recipient(given, "070", [src]) or beneficiary([c, *given], [src])
            if rec is not None:
                return rec  # "considering sending aid to help North Korea cope"
        objs = [d for d in c.children if d.dep_ == "dobj" and actor_like(d)]
        objs += [g for d in preps if d.lower_ in TARGET_PREPS
                 for g in d.children if g.dep_ == "pobj" and actor_like(g) and g != src]
        if objs:
            return objs[0]
    return None


def _own_clause(content: Match, node: Match) -> bool:
    """True when ``content`` is a clause under ``node`` with a subject of its own."""
    t = content.trigger
    return t != node.trigger and t.dep_ in ("ccomp", "parataxis") and any(
        c.dep_ in ("nsubj", "nsubjpass") for c in t.children)


# bodies a speaker names as "the government", "the fighters": their own side, not a new actor
OWN_SIDE = {"government", "administration", "authority", "ministry", "country", "army", "military", "force",
            "fighter", "movement", "party", "group", "organization", "organisation", "cabinet", "regime"}


def _speakers_own(head) -> bool:
    """"his country", "its government", "the government" (nothing more said of it): the
    speaker's own side, named through a possessive pronoun or a bare definite article."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    if head.pos_ == "NOUN" and any(c.dep_ == "poss" and c.lower_ in PRONOUNS for c in head.children):
        return True
    return (head.lemma_.lower() in OWN_SIDE or head.lower_.rstrip("s") in OWN_SIDE) \
        and [c.lower_ for c in head.children] == ["the"]


def nominal_content(node: Match) -> bool:
    """"announced a ceasefire": the verb's object is the event itself, not reported speech."""
    c = node.content
    return c.noun is not None and c.trigger == c.noun and c.pred == node.trigger


def arguments(m: Match) -> Arguments:
    """Sources, targets and reporter for the chain of ``m``."""
    args = Arguments()
    src = tgt = None
    node = m
    outer_obj = rejected = None
    while node is not None:
        if node.role == "report" and node.content is not None and not nominal_content(node):
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
        if node.role in ("appeal", "demand", "order", "allow", "hope"):
            src = src or source_of(node)
            haven = next((c for c in node.trigger.children if c.dep_ == "dobj" and c.lemma_.lower() in HAVENS), None)
            if haven is not None:  # "sought refuge in Bangladesh": asked of where they fled
                outer_obj = next((g for h in (node.trigger, haven) for c in h.children if c.dep_ == "prep"
                                  and c.lower_ in ("in", "at", "with") for g in c.children if g.dep_ == "pobj"
                                  and (place_like(g) or actor_like(g))), None)
            else:
                outer_obj = next((c for c in node.trigger.children if c.dep_ in ("dobj", "dative")
                                  and c != node.noun and not _is_thing(c)), None)
            if outer_obj is None:  # "expects statements from NATO", "called on X"
                things = [c for c in node.trigger.children if c.dep_ == "dobj"]
                outer_obj = prep_object([node.trigger, *things], node.code)
            if outer_obj is None and node.content is not None and node.content.key.split()[0] in GETTING:
                # "hopes to receive statements from the USA": asked of whom it would come from
                got = node.content.trigger
                outer_obj = prep_object([got, *(c for c in got.children if c.dep_ == "dobj")], node.code)
            if outer_obj is None:
                # "demand that Israel withdraw", "not to allow Ukraine to join": the clause's own subject
                clauses = [c for c in node.trigger.children if c.dep_ in ("ccomp", "xcomp")]
                outer_obj = next((g for c in clauses for g in c.children if g.dep_ == "nsubj"), None)
            if outer_obj is None and node.content is not None and node.content.role == "terminate":
                # "raises the question of ending Russian aggression": asked of the aggressor
                inner = list(node.content.chain())[-1]
                if inner.quad in (3, 4):
                    outer_obj = source_of(inner)
            tgt = tgt or outer_obj
            if node.content is None:
                break
            node = node.content
            continue
        if node.content is not None and node.role:
            nxt = node.content
            if not (node.role == "light" and _own_clause(nxt, node)):
                # "SIPRI research showed (that) Russia gave ...": a clause with its own subject
                src = src or source_of(node)
            if nxt.noun is not None and nxt.noun == nxt.trigger and nxt.pred == node.trigger:
                if node.role == "refuse" and tgt is None and nxt.base not in ("040", "044", "046") \
                        and not actor_like(nxt.noun) \
                        and (nxt.noun.dep_ == "dobj" or nxt.noun.head.i == node.trigger.i + 1):
                    # "rejected a call to release ...", "reneged on an accord with Iran": what is
                    # rejected is the target, or who made it ("spurned offers by the government");
                    # refused talks aim at whom they would be with
                    tgt = rejected = _by_agent(nxt.noun, ("by",)) or nxt.noun
                # the light verb's own prepositions also carry the target: "imposed sanctions on X"
                tgt = tgt or prep_object([nxt.noun, node.trigger], nxt.code) or target_of(node)
            node = nxt
            continue
        src = src or source_of(node)
        tgt = tgt or target_of(node, exclude=[src] if src is not None else ())
        break
    found = _Found(m, src, rejected)
    for name, check in TARGET_CHECKS:
        new = check(found, tgt)
        if (new is None) != (tgt is None) or (new is not None and new.i != tgt.i):
            args.target_checks.append(name)
        tgt = new
    if src is not None and src.lower_ in RELATIVE_WORDS:
        src = None
    if src is not None and args.reporter is not None and (src.lower_ in PRONOUNS or _speakers_own(src)) \
            and src.lower_ not in FIRST_PLURAL:  # "we" is the speaker's side, coded where the event is built
        src = args.reporter  # "Slovakia says it will not ...", "Putin said his country will ..."
    if src is not None:
        args.sources = split(src)
    if tgt is not None:
        args.targets = split(tgt)
    if len(args.sources) > 1 and (not args.targets and m.code[:2] in ("03", "04", "05", "06") or (
            not any(actor_like(t) for t in args.targets) and not args.reported and _joint(m))):
        # "India and Pakistan agreed to a ceasefire", "X and Y failed to reach agreement", "X and Y
        # were guilty of violating the ceasefire": one reciprocal actor, named as written
        args.reciprocal = True
        args.sources = [src]
    elif len(args.sources) > 1 and not args.reported and all(
            h.pos_ == "NOUN" and h.ent_type_ not in ("GPE", "ORG", "PERSON", "NORP") for h in args.sources) \
            and len({side for h in args.sources if (side := _named_side(h))}) <= 1:
        # "Yemeni army and allied forces launched ...": forces acting together, named as one (but
        # "The American side and representatives of the Alliance" are two actors)
        args.reciprocal = True
        args.sources = [src]
    return args


@dataclass
class _Found:
    """What the argument walk found, for the target checks."""

    m: Match
    src: object  # the source head Token, or None
    rejected: object  # the object of a refusal ("rejected the request"), which may be the target

    @property
    def triggers(self) -> set[int]:
        return {n.trigger.i for n in self.m.chain()}


def _not_own_words(f: _Found, tgt):
    """The event's own words are not its target ("expressed optimism that ...", "the
    negotiations were initiated"); the object of "rejected the request" may be."""
    return None if tgt is not None and tgt.i in f.triggers and tgt is not f.rejected else tgt


def _from_the_chain(f: _Found, tgt):
    """No target yet: the nearest predicate of the chain that has one ("is willing to send
    resources to Colombia", "considering giving money to X")."""
    if tgt is not None:
        return tgt
    for node in reversed(list(f.m.chain())):
        found = target_of(node, exclude=[f.src] if f.src is not None else ())
        if found is not None:
            return found
    return None


def _from_the_clause(f: _Found, tgt):
    """No target yet under a control verb: its uncoded clause still names whom ("pledged to work
    with China", "is considering sending aid to North Korea")."""
    if tgt is None and any(n.role in ("intent", "refuse", "threat", "appeal", "demand", "hope", "attempt", "consider")
                           for n in f.m.chain()):
        return clause_target(f.m, f.src)
    return tgt


def _not_the_source(f: _Found, tgt):
    return None if f.src is not None and tgt is not None and f.src.i == tgt.i else tgt


def _not_a_relative_word(f: _Found, tgt):
    """A misparsed "demanded that ..."."""
    return None if tgt is not None and tgt.lower_ in RELATIVE_WORDS else tgt


def _no_comment_topic(f: _Found, tgt):
    """"declined to comment on the bill": no one is the target of a refusal to comment."""
    return None if tgt is not None and f.m.code == "011" and not names_who(tgt) else tgt


def _rule_maker(f: _Found, tgt):
    """"violated a ban by the UN": a violated rule is aimed at whoever made it."""
    if tgt is not None and f.m.code[:3] == "128" and tgt.pos_ == "NOUN" and not names_who(tgt):
        by = _by_agent(tgt, ("by",))
        return by if by is not None and names_who(by) else tgt
    return tgt


def _beneficiary(f: _Found, tgt):
    """Aid, cooperation and eased restrictions go to someone or somewhere: "lifted travel curbs
    to and from North Korea", "gave priority to the shipment of water to the Haitian people"
    (inside the phrase, else in the predicates' other prepositions)."""
    if tgt is None or last_code(f.m)[:2] not in BENEFIT_ROOTS or names_who(tgt):
        return tgt
    away = [f.src, tgt] if f.src is not None else [tgt]
    return inner_actor(tgt, away) or next(
        (a for n in reversed(list(f.m.chain())) if (a := inner_actor(n.trigger, away, ("prep", "dative")))), tgt)


#: Checks of the target the argument walk found, in order; each returns the target (changed or
#: not). The names of those that change it land in ``Event.rule`` ("+target:from-the-chain").
#: "not-own-words" runs twice: before the fallbacks (so they look for another target) and after
#: them (they may land on the event's own words too).
TARGET_CHECKS = (
    ("not-own-words", _not_own_words),
    ("from-the-chain", _from_the_chain),
    ("from-the-clause", _from_the_clause),
    ("not-the-source", _not_the_source),
    ("not-a-relative-word", _not_a_relative_word),
    ("not-own-words", _not_own_words),
    ("no-comment-topic", _no_comment_topic),
    ("rule-maker", _rule_maker),
    ("beneficiary", _beneficiary),
)


# what two parties make, keep or break together
JOINT_NOUNS = {"agreement", "deal", "accord", "treaty", "ceasefire", "truce", "talk", "negotiation", "pact",
               "exercise", "drill", "summit", "cooperation", "partnership", "relation", "tie", "armistice"}


def _joint(m: Match) -> bool:
    """An act about an agreement, a ceasefire or talks, which two parties make, keep or break
    together: "failed to reach agreement", "fired across the ceasefire line", "were guilty of
    violating the truce" (the objects of the chain's verbs and of the verbs they govern)."""
    verbs = []
    for n in m.chain():
        verbs.append(n.trigger)
        verbs.extend(g for c in n.trigger.children if c.dep_ in ("xcomp", "acomp", "prep")
                     for g in ([c] if c.dep_ != "prep" else c.children) if g.pos_ in ("VERB", "ADJ"))
        verbs.extend(g for c in list(verbs) for p in c.children if p.dep_ == "prep"
                     for g in p.children if g.dep_ == "pcomp")
    words = set()
    for v in verbs:
        for c in v.children:
            if c.dep_ == "dobj":
                words.add(c.lemma_.lower())
            elif c.dep_ == "prep":
                words.update(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
    return bool(words & JOINT_NOUNS)


