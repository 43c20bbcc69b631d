"""Finding and coding event predicates in a parsed sentence (no training, codebook knowledge only).

The algorithm (first written for the quad-class study in our research notes, then given
arguments, negation and modality here):

1. Walk the main predicate chain from the sentence root. A head's own lexicon entry is tried in
   the order verb+object > phrasal verb > verb > predicate adjective, else an event noun.
2. Control roles combine a trigger with the event it governs (its xcomp/ccomp clause or an
   event noun among its objects), following CAMEO/PLOVER conventions: report verbs pass the
   reported event through ("said X attacked" -> attack, modality reported); intent verbs turn
   cooperation into 03 and conflict into 13 (threaten); appeals and hopes -> 02; demands -> 10;
   refusals of cooperation -> 12; threats -> 13; "stop/halt/end" of fighting -> 087, of talks
   or aid -> 16.
3. Negation of a cooperative event -> 12 (reject); of anything else the event is kept and
   marked negated. Future or conditional material cooperation -> 03 (intent), future material
   conflict -> 138 (threaten force). "must/should" in reported speech -> 10 (demand).
4. If the main chain has no trigger, the trigger nearest the root is taken.

Each result is a :class:`Match`: the code plus the tokens the arguments are read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .codebook import ROOT_QUAD
from .lexicon import Entry, lemma, lexicon

# roles whose trigger governs a content event
CONTENT_ROLES = {"report", "intent", "appeal", "demand", "order", "threat", "warn", "refuse", "terminate", "aspect",
                 "attempt", "future", "light", "allow", "help", "hope"}
# control verbs that say nothing by themselves ("they decided", "it wants")
NO_CONTENT_NONE = {"want", "wish", "aim", "resolve", "accept", "plan", "intend", "prepare", "fail", "stop", "end",
                   "cease", "abandon", "give up", "keep", "decide", "move", "vote"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
COND_AUX = {"could", "may", "might", "can", "ca"}
MUST_AUX = {"must", "should", "ought"}
OBJ_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "dative", "obj"}
ADJ_DEPS = {"acomp", "ROOT", "xcomp", "ccomp", "conj", "oprd", "advcl"}
NEGATORS = {"never", "no", "not", "n't", "neither", "nor"}

# Modality of the combined event by the control role that produced it.
ROLE_MODALITY = {"hope": "hoped", "appeal": "demanded", "demand": "demanded", "order": "demanded",
                 "intent": "future", "threat": "future", "future": "future"}


def quad_of(code: str) -> int:
    return ROOT_QUAD[code[:2]]


@dataclass
class Match:
    """One coded predicate: its CAMEO code and where its arguments are."""

    code: str
    trigger: object  # spaCy Token: the head word of the trigger
    pred: object  # the clause predicate (Token) whose subject is the source
    role: str = ""
    key: str = ""  # lexicon key, e.g. "call for"
    noun: object = None  # event noun (Token) when the event is nominal ("launched an attack")
    content: "Match | None" = None
    negated: bool = False
    modal: str = ""  # "", future, cond, must
    rule: str = ""
    base: str = ""  # the code before negation or modality recoded it
    extra: list = field(default_factory=list)  # tokens that belong to the trigger span (particles, "to")

    @property
    def quad(self) -> int:
        return quad_of(self.code)

    def chain(self):
        m = self
        while m is not None:
            yield m
            m = m.content


def objects(t) -> list:
    """Object-like dependents of ``t``: direct objects and objects of its prepositions."""
    kids = list(t.children)  # each pass over Token.children makes every child Token again
    out = [c for c in kids if c.dep_ in OBJ_DEPS]
    for c in kids:
        if c.dep_ in ("prep", "agent", "prt"):
            grandkids = list(c.children)
            out.extend(g for g in grandkids if g.dep_ == "pobj")
            for g in grandkids:  # "walk out of talks", "pull out of the deal"
                if g.dep_ == "prep":
                    out.extend(h for h in g.children if h.dep_ == "pobj")
    more = []
    for o in out:
        more.extend(c for c in o.children if c.dep_ == "conj")
    return out + more


def verb_keys(t) -> list[tuple[str, object]]:
    """Phrasal keys first ("call for", "crack down"), then the bare lemma; with the extra token."""
    lem = lemma(t)
    keys = []
    for c in t.children:
        if c.dep_ in ("prt", "prep", "acomp", "oprd", "advmod", "agent") and c.i > t.i:
            keys.append((f"{lem} {c.lemma_.lower()}", c))
    if t.i + 1 < len(t.doc):  # "seek to" etc.
        keys.append((f"{lem} {t.doc[t.i + 1].lower_}", t.doc[t.i + 1]))
    keys.append((lem, None))
    return keys


def noun_entry(t) -> tuple[Entry, object] | None:
    """(entry, modifier token that made a two-word key) for an event noun (or gerund)."""
    if t.pos_ not in ("NOUN", "PROPN", "VERB") or t.dep_ in ("compound", "amod"):
        return None
    if t.pos_ == "VERB" and t.tag_ != "VBG":
        return None
    if t.ent_type_ in ("DATE", "TIME"):  # "March 8", "the strike anniversary": a date, not an act
        return None
    lex = lexicon()
    lem = t.lemma_.lower()
    for m in t.children:
        if m.dep_ in ("compound", "amod", "nmod") and m.i < t.i:
            e = lex.nouns.get(f"{m.lemma_.lower()} {lem}")
            if e is None and t.i - m.i == 2 and t.doc[m.i + 1].text == "-":
                # the tokenizer splits "sit-in", "cease-fire", "walk-out" at the hyphen
                e = lex.nouns.get(f"{m.lower_}-{t.lower_}") or lex.nouns.get(f"{m.lemma_.lower()}{lem}")
            if e:
                return e, m
    for p in t.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for po in p.children:
                if po.dep_ == "pobj":
                    e = lex.nouns.get(f"{lem} of {po.lemma_.lower()}")
                    if e:
                        return e, None
    e = lex.nouns.get(lem) or (lex.nouns.get(t.lower_) if t.pos_ == "PROPN" else None)
    if e is None and lem in GENERIC_EVENT_HEADS:
        # "mediation efforts", "peace process", "rescue mission": the modifier names the act
        for m in t.children:
            if m.dep_ in ("compound", "amod", "nmod") and m.i < t.i:
                e = lex.nouns.get(m.lemma_.lower())
                if e:
                    return e, m
    return (e, None) if e else None


# nouns that only say an act was undertaken; their modifier says which ("mediation efforts")
GENERIC_EVENT_HEADS = {"effort", "process", "initiative", "mission", "attempt", "bid", "campaign", "drive", "work",
                       "activity", "operation", "programme", "program"}


# "assessed the talks as negative", "calls these demands unacceptable": the judgement is the event
EVALUATIVE_VERBS = {"assess", "call", "describe", "consider", "deem", "term", "label", "brand", "regard", "see", "view",
                    "characterize", "characterise", "evaluate", "rate", "judge", "find", "declare", "dismiss"}
JUDGEMENTS = {
    "120": {"unacceptable", "inadmissible", "impossible", "unrealistic", "unworkable", "invalid", "void", "null"},
    "111": {"illegal", "illegitimate", "criminal", "provocative", "aggressive", "hostile", "unfriendly", "destructive",
            "irresponsible", "outrageous", "absurd", "dangerous", "reckless", "shameful", "barbaric", "unlawful"},
    "110": {"negative", "bad", "wrong", "unsatisfactory", "disappointing", "unhelpful", "counterproductive",
            "insufficient", "inadequate", "poor", "problematic", "harmful", "unfair", "unjust", "unjustified",
            "baseless", "groundless", "regrettable", "worrying", "alarming", "misguided", "unconstructive"},
    "051": {"positive", "constructive", "useful", "productive", "good", "successful", "fruitful", "helpful",
            "excellent", "encouraging", "satisfactory", "commendable", "welcome", "valuable", "historic"},
}
_JUDGEMENT_CODE = {adj: code for code, adjs in JUDGEMENTS.items() for adj in adjs}


def judgement(t) -> tuple[Entry, object] | None:
    """An evaluative predication: a verb of judging with an object and an adjective about it."""
    if t.pos_ not in ("VERB", "AUX") or lemma(t) not in EVALUATIVE_VERBS:
        return None
    if not any(c.dep_ in ("dobj", "nsubjpass") for c in t.children):
        return None
    objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
    # "as negative" may hang on the verb or anywhere in its object
    preps = [c for c in t.children] + [g for o in objs for g in o.subtree if g.dep_ == "prep" and g.lower_ == "as"]
    for c in preps:
        cands = [c] if c.dep_ in ("oprd", "acomp", "ccomp", "xcomp") else []
        if c.dep_ == "prep" and c.lower_ == "as":
            cands = list(c.subtree)[1:]
        for a in cands:
            code = _JUDGEMENT_CODE.get(a.lower_)
            if code and a.pos_ in ("ADJ", "NOUN", "VERB"):
                return Entry(code, "", f"{lemma(t)} {a.lower_}"), a
    return None


def intransitive(t) -> bool:
    """No object, and at most one noun after the verb (so none displaced by the parser)."""
    if any(c.dep_ in ("dobj", "nsubjpass", "dative") for c in t.children):
        return False
    return sum(1 for d in t.subtree if d.i > t.i and d.pos_ in ("NOUN", "PROPN") and d.dep_ != "compound") <= 1


# Weapons found, seized or made safe are a coercive act on whoever held them (CAMEO 1711
# confiscate property, 171 seize or damage property: PLOVER COERCE), whatever the verb would
# code by itself ("detonated", "destroyed"), as ACLED's "disrupted weapons use" counts them.
WEAPONS = {"weapon", "arm", "arms", "explosive", "ammunition", "munition", "ordnance", "bomb", "mine", "landmine",
           "ied", "gun", "rifle", "pistol", "grenade", "rocket", "missile", "launcher", "device", "shell", "firearm",
           "detonator", "bullet", "cartridge", "mortar", "drug", "narcotic"}
# what weapons are found in: "a cache of weapons", "an arms depot", "a depot containing rifles"
ARMS_HOLDERS = {"cache", "stockpile", "depot", "haul", "stash", "arsenal", "consignment", "shipment", "store",
                "quantity", "number", "lot", "batch", "cargo", "factory", "workshop", "dump"}
SEIZING = {"seize": "1711", "confiscate": "1711", "find": "1711", "discover": "1711", "recover": "1711",
           "uncover": "1711", "detect": "1711", "intercept": "1711", "impound": "1711", "capture": "1711",
           "unearth": "1711", "defuse": "171", "dismantle": "171", "neutralize": "171", "neutralise": "171",
           "deactivate": "171", "destroy": "171", "disable": "171"}


def weapons_phrase(o) -> bool:
    """A noun phrase of weapons: "rifles", "an explosive device", "a cache of weapons", "an arms
    depot", "a depot containing rifles"."""
    lem = o.lemma_.lower()
    mods = [c for c in o.children if c.dep_ in ("compound", "amod", "nmod") and c.i < o.i]
    if lem in WEAPONS or o.lower_ in WEAPONS:
        # "an explosive device", "mortar shells"; but a device or shell of something else is not
        return lem not in ("device", "shell", "mine", "store") or any(m.lemma_.lower() in WEAPONS or m.lower_ in
                                                                      ("improvised", "explosive") for m in mods)
    if lem not in ARMS_HOLDERS:
        return False
    if any(m.lemma_.lower() in WEAPONS or m.lower_ in WEAPONS for m in mods):
        return True
    inner = [g for c in o.children if c.dep_ in ("prep", "acl") for g in c.children if g.dep_ in ("pobj", "dobj")]
    return any(weapons_phrase(g) or g.lemma_.lower() in WEAPONS for g in inner)


class _VerbObjectHeads:
    """The verbs of the verb+object entries ("hold" of "hold talks"), read when first asked."""

    def __contains__(self, lem: str) -> bool:
        return lem in _vo_heads()


@lru_cache(maxsize=1)
def _vo_heads() -> frozenset[str]:
    return frozenset(k.split()[0] for k, _ in lexicon().verb_objects)


VERB_OBJECT_HEADS = _VerbObjectHeads()


def participle_of(t) -> str | None:
    """The verb lemma of a past participle used as an adjective ("the *seized* weapons"), which
    the tagger may read as an adjective with itself as lemma."""
    if t.tag_ == "VBN":
        return lemma(t)
    if t.pos_ == "ADJ" and t.lower_.endswith("ed"):
        for stem in (t.lower_[:-1], t.lower_[:-2]):
            if stem in SEIZING or stem in lexicon().verbs:
                return stem
    return None


def seized_weapons(t) -> tuple[Entry, object] | None:
    """"police seized a cache of weapons", "a roadside bomb was defused": the entry and the weapons."""
    if t.pos_ not in ("VERB", "AUX"):
        return None
    code = SEIZING.get(lemma(t))
    if code is None:
        return None
    for o in t.children:
        if o.dep_ in ("dobj", "nsubjpass") and weapons_phrase(o):
            return Entry(code, "", f"{lemma(t)} weapon"), o
    return None


def verb_entry(t) -> tuple[Entry, object, object] | None:
    """(entry, matched object token, extra trigger token) for a verbal or adjectival head."""
    judged = judgement(t)
    if judged:
        return judged[0], None, judged[1]
    seized = seized_weapons(t)
    if seized:
        return seized[0], seized[1], None
    lex = lexicon()
    keys = verb_keys(t)
    objs = objects(t)
    for k, extra in keys:
        for o in objs:
            e = lex.verb_objects.get((k, o.lemma_.lower()))
            if e:
                return e, o, extra
    if t.pos_ in ("VERB", "AUX") and lemma(t) in TRANSFER_VERBS:
        for o in objs:  # "received food and blankets", "sent weapons": goods make the transfer aid
            code = GOODS.get(o.lemma_.lower())
            if code:
                return Entry(code, "", f"{lemma(t)} {o.lemma_.lower()}"), o, None
    if t.pos_ in ("VERB", "AUX"):
        for k, extra in keys:
            e = lex.verbs.get(k)
            if e:
                if k in TRANSITIVE_ONLY and intransitive(t):
                    return None  # "all aircraft returned to base": a movement, not a return of property
                return e, None, extra
    if t.pos_ == "ADJ" and t.dep_ in ADJ_DEPS:
        e = lex.adjectives.get(t.lemma_.lower())
        if e:
            return e, None, None
    for c in t.children:  # predicative adjectives: "was ready to", "found guilty"
        if c.dep_ in ("acomp", "oprd") and c.pos_ == "ADJ":
            e = lex.adjectives.get(c.lemma_.lower())
            if e:
                return e, None, c
            e = lex.verbs.get(c.lemma_.lower())  # "likely", "due", "poised" (future role)
            if e and e.role == "future":
                return e, None, c
    return None


def negated(t) -> bool:
    for c in t.children:
        if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in NEGATORS):
            return True
    # "there can be no process": the negating determiner sits on the noun
    if t.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
        return True
    return False


def modal(t) -> str:
    for c in t.children:
        if c.dep_ in ("aux", "auxpass"):
            w = c.lower_
            if w in FUTURE_AUX or c.lemma_ in FUTURE_AUX:
                return "future"
            if w in MUST_AUX:
                return "must"
            if w == "would":
                return "would"  # conditional, or a future seen from the past in reported speech
            if w in COND_AUX:
                return "cond"
            if w == "to" and t.head != t and t.head.lower_ == "going":
                return "future"
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
        return "cond"
    return ""


# --- combination --------------------------------------------------------------------------------

_INTENT = {"06": "031", "07": "033", "08": "035", "04": "036", "05": "032"}
_APPEAL = {"06": "021", "07": "023", "08": "025", "04": "026", "05": "022"}
_DEMAND = {"06": "101", "07": "103", "08": "105", "04": "106", "05": "102"}
_REFUSE = {"06": "121", "07": "122", "08": "124", "04": "125", "03": "120"}
_THREAT = {"18": "138", "19": "138", "20": "1385", "16": "131", "17": "137", "14": "133"}
_RELEASE = ("0841", "0842", "084")
GETTING = {"receive", "get", "obtain", "secure", "win"}
# goods that make a transfer aid (CAMEO 07: 071 economic, 072 military, 073 humanitarian), as our
# quad-class study listed them; only as objects of a transfer verb, never as events by themselves
TRANSFER_VERBS = {"send", "deliver", "hand", "distribute", "give", "provide", "donate", "ship", "receive", "airlift"}
GOODS = {"supply": "070", "food": "073", "medicine": "073", "tent": "073", "clothing": "073", "blanket": "073",
         "vaccine": "073", "vehicle": "070", "equipment": "070", "ambulance": "073", "fund": "071", "money": "071",
         "package": "070", "shipment": "070", "convoy": "073", "weapon": "072", "ammunition": "072",
         "arm": "072", "medication": "073", "water": "073", "shelter": "073", "ration": "073", "grain": "073"}
# verbs whose event needs what is given, freed or returned
TRANSITIVE_ONLY = {"return", "release", "free", "send", "give", "provide", "deliver", "supply", "donate", "hand"}


def combine(code: str | None, role: str, key: str, content: Match | None) -> str | None:
    """The code of a control trigger (``code``, ``role``) governing ``content``."""
    cq = content.quad if content else None
    root = content.code[:2] if content else ""
    if role in ("", None):
        return code
    if role in ("light", "report", "aspect"):
        return content.code if content else code
    if role in ("consider", "deny"):
        return code
    if role in ("hope", "appeal", "intent") and content is not None and content.key.split()[0] in GETTING:
        return "020"  # "hopes to receive statements from X": a request to X, not a receipt
    if role == "hope":
        if content is None or cq == 0:
            return code
        if cq in (1, 2):
            return "0253" if content.code in _RELEASE else _APPEAL.get(root, "020")
        return code
    if role == "intent":
        if content is None:
            return None if key in NO_CONTENT_NONE else code
        if cq in (1, 2):
            return "0353" if content.code in _RELEASE else _INTENT.get(root, "030")
        if cq in (3, 4):
            return "130"
        return code if key not in NO_CONTENT_NONE else None
    if role == "appeal":
        if content is None or cq == 0:
            return code
        if cq in (1, 2):
            if content.code in _RELEASE:
                return "0253"
            if content.code.startswith("087"):
                return "0256"
            return _APPEAL.get(root, "020")
        return "020"  # asked to do something else is still an appeal ("asked NATO to help patrol ...")
    if role == "demand":
        if content is None or cq in (0, 3, 4):
            return code
        if content.code.startswith("087"):
            return "1056"  # "raises the question of ending the aggression": demand de-escalation
        if content.code in _RELEASE:
            return "1053"
        return _DEMAND.get(root, "100")
    if role == "order":
        return content.code if content is not None and cq in (2, 4) else code
    if role == "threat":
        return _THREAT.get(root, code) if content else code
    if role == "warn":
        return "130" if content is not None and cq in (3, 4) else code
    if role == "refuse":
        if content is None:
            return None if key in NO_CONTENT_NONE else code
        if content.code == "010" and key in ("decline", "refuse"):
            return "011"
        if cq in (1, 2):
            return _REFUSE.get(root, "120")
        if cq in (3, 4) and key == "fail":
            return content.code
        if cq == 0:
            return None if key in NO_CONTENT_NONE else code
        return code
    if role == "terminate":
        if content is None:
            return None if key in NO_CONTENT_NONE else code
        if cq == 4:
            return "082" if root == "14" else "087"
        if cq in (1, 2):
            return {"04": "164", "07": "162", "06": "160"}.get(root, "160")
        if cq == 3:
            return "080"
        return None if key in NO_CONTENT_NONE else code
    if role == "attempt":
        if content is None:
            return None
        return "185" if content.code == "186" else content.code
    if role == "future":
        return apply_modal(content.code, "future") if content else None
    if role == "allow":
        return content.code if content and cq in (1, 2) else code
    if role == "help":
        return content.code if content and cq else code
    return code


def apply_negation(code: str) -> str | None:
    """A negated cooperative act is a rejection (CAMEO 12); other negated events keep their code."""
    if quad_of(code) in (1, 2):
        return _REFUSE.get(code[:2], "120")
    return None


def apply_modal(code: str, mod: str) -> str:
    q = quad_of(code)
    if q == 2 and mod in ("future", "cond", "would"):
        return "0353" if code in _RELEASE else _INTENT[code[:2]]
    if q == 4 and mod in ("future", "would"):
        return "138"
    return code


# --- the walk -----------------------------------------------------------------------------------

def analyze(t, depth: int = 0, visited: set | None = None) -> Match | None:
    """The event a predicate (or event noun) ``t`` expresses, combined with what it governs."""
    visited = visited if visited is not None else set()
    if t.i in visited or depth > 8:
        return None
    visited.add(t.i)
    hit = verb_entry(t)
    code = role = key = None
    noun = extra = None
    if hit:
        entry, noun, extra = hit  # noun: the object of a verb+object trigger ("hold *talks*")
        code, role, key = entry.code, entry.role, entry.key
    elif t.pos_ in ("NOUN", "PROPN"):
        ne = noun_entry(t)
        if ne:
            code, role, key = ne[0].code, ne[0].role, ne[0].key
    content = None
    if hit is None or role in CONTENT_ROLES:
        # "is willing to send ...": the clause may hang on the predicate adjective
        heads = [t, extra] if extra is not None and extra.pos_ == "ADJ" else [t]
        # a noun's clause is its "acl": "a plan *to withdraw* troops", "the threat *to close* the border"
        clausal = ("xcomp", "ccomp", "acl") if t.pos_ in ("NOUN", "PROPN") else ("xcomp", "ccomp")
        for c in (c for h in heads for c in h.children):
            if c.dep_ in clausal or (c.dep_ == "acomp" and c.pos_ in ("VERB", "ADJ")):
                r = analyze(c, depth + 1, visited)
                if r is not None:
                    content = r
                    break
        if content is None and noun is not None:  # "raised the question of ending the aggression"
            for p in noun.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for g in p.children:
                        if g.dep_ in ("pobj", "pcomp") and (g.tag_ == "VBG" or noun_entry(g)):
                            content = analyze(g, depth + 1, visited)
        if content is None:
            for o in objects(t):
                ne = noun_entry(o)
                if ne and ne[0].role in CONTENT_ROLES:
                    # "announced a plan to withdraw", "rejected the demand for talks": the noun
                    # governs an event of its own
                    r = analyze(o, depth + 1, visited)
                    if r is not None:
                        content = r
                        break
                if ne and ne[0].code:
                    # "there can be no talks": the talks are negated, nobody rejected them
                    content = Match(ne[0].code, trigger=o, pred=t, key=ne[0].key, noun=o, negated=negated(o),
                                    rule=f"noun:{ne[0].key}", base=ne[0].code)
                    break
    if hit is None and content is None and not (t.pos_ in ("NOUN", "PROPN") and code):
        for c in t.children:  # coordinated predicates
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX", "ADJ"):
                r = analyze(c, depth + 1, visited)
                if r is not None:
                    return r
        return None
    if hit is None and content is not None and not code:
        result, role, key = content.code, "light", content.key
    elif hit is None:
        # an event noun heading the clause ("Air strikes on X"); a noun of intent, threat or demand
        # combines with the act it governs as its verb would ("a plan to withdraw troops": 035)
        result = combine(code, role, key, content) if role in CONTENT_ROLES else code
    else:
        result = combine(code, role, key, content)
    if result is None:
        for c in t.children:
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                r = analyze(c, depth + 1, visited)
                if r is not None:
                    return r
        return None
    neg = negated(t)
    mod = modal(t)
    base = result
    was_negated = False
    if neg:
        recoded = apply_negation(result)
        if recoded:
            result = recoded
        else:
            was_negated = True
    elif mod:
        if mod == "must" and quad_of(result) in (1, 2) and role in ("", "light", "aspect"):
            result = _DEMAND.get(result[:2], "100")
        else:
            result = apply_modal(result, mod)
    if result[:2] == "11" and key and key.split()[0] in STREET_PROTEST_VERBS and crowd(clause_subject(t)):
        result, base = "141", "141"  # "hundreds of students protested against ...": a demonstration
    m = Match(result, trigger=t, pred=t if t.pos_ != "NOUN" or t.dep_ == "ROOT" else t.head, role=role or "",
              key=key or "", noun=noun, content=content, negated=was_negated, modal=mod,
              rule=f"{role or 'event'}:{key}", base=base, extra=[extra] if extra is not None else [])
    if hit is None and content is None:
        m.noun, m.pred = t, t  # a nominal clause head
    elif hit is None and code and t.pos_ in ("NOUN", "PROPN"):
        m.noun = t  # a noun governing an act ("a plan to withdraw"): nominal, as its arguments are read
    return m


# verbs of protest that are a demonstration when a crowd does them, a complaint when a state does
STREET_PROTEST_VERBS = {"protest", "demonstrate", "rally", "march"}
CROWD_WORDS = {"hundred", "hundreds", "thousand", "thousands", "dozen", "dozens", "crowd", "crowds", "protester",
               "protestor", "demonstrator", "resident", "student", "worker", "farmer", "teacher", "nurse", "doctor",
               "villager", "people", "supporter", "activist", "youth", "woman", "women", "employee", "driver",
               "trader", "miner", "citizen", "mourner", "fan", "member", "thousands"}


def clause_subject(t):
    """The grammatical subject of ``t``'s clause, climbing from an infinitive or conjunct."""
    for _ in range(3):
        if t.dep_ == "acl":  # the parser's reading of "Hundreds of students protested ..." as a noun phrase
            return t.head
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None or t.dep_ not in ("xcomp", "advcl", "conj") or t.head is t:
            return subj
        t = t.head
    return None


def crowd(subj) -> bool:
    """People in numbers, not a state or an office ("hundreds of students", "residents")."""
    if subj is None or subj.ent_type_ in ("GPE", "ORG", "PERSON", "NORP"):
        return False
    heads = [subj, *(g for c in subj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)]
    return any(h.lemma_.lower() in CROWD_WORDS or h.lower_ in CROWD_WORDS for h in heads) and subj.tag_ == "NNS" \
        or subj.lower_ in ("thousands", "hundreds", "dozens")


PEACEKEEPING = {"peacekeeping", "peacekeeper", "peacekeep", "peace-keeping", "blue-helmet"}
JOINT_DRILLS = {"exercise", "drill", "manoeuvre", "maneuver", "game", "wargame"}


def refine(m: Match, sent) -> Match:
    """Codebook usage notes that depend on the sentence around the trigger: deploying forces for
    peacekeeping is 074 (provide peacekeeping), joint military games and manoeuvres are 062."""
    if m.negated or m.code[:2] not in ("15", "19", "18"):
        return m
    lemmas = {t.lemma_.lower() for t in sent}
    if lemmas & PEACEKEEPING:
        m.code, m.rule = "074", m.rule + "+peacekeeping"
    elif "joint" in lemmas and lemmas & JOINT_DRILLS:
        m.code, m.rule = "062", m.rule + "+joint-drill"
    return m


def reported_must(m: Match) -> Match:
    """"EU says the intervention must be avoided": a statement that something must (not) happen
    is a demand (CAMEO 10) even when the demanded act is not in the lexicon."""
    if m.role != "report" or m.content is not None:
        return m
    for c in m.trigger.children:
        if c.dep_ == "ccomp" and modal(c) == "must":
            inner = Match("100", trigger=c, pred=c, rule="event:must", modal="must", base="100")
            return Match("100", trigger=m.trigger, pred=m.pred, role="report", key=m.key, content=inner,
                         rule=m.rule + "+must", base="100", extra=m.extra)
    return m


def bare_statement(m: Match) -> bool:
    """A plain statement (CAMEO 010: "said", "issued a statement") with nothing coded under it;
    the other 01 codes (deny, consider, claim responsibility) are events of their own."""
    return not m.negated and all(n.code == "010" and (n.content is None or n.content.code == "010") for n in m.chain())


def reported_elsewhere(m: Match) -> Match:
    """A statement is the principal event only when it reports nothing we code: in "the ministry
    issued a statement saying security forces had detained 25 militants" or "sent a letter
    threatening to ..." the parser hangs the reported act on a participle of the statement noun
    or verb, not in the clause the report role reads. Its clausal complement was read already."""
    if not bare_statement(m):
        return m
    node = m
    while node.content is not None:
        node = node.content
    used = {n.trigger.i for n in m.chain()}
    v = node.trigger
    heads = [v, *(o for o in v.children if o.dep_ in ("dobj", "nsubjpass") and o.pos_ in ("NOUN", "PROPN"))]
    for c in (c for h in heads for c in h.children):
        if c.dep_ not in ("acl", "advcl") or c.tag_ not in ("VBG", "VBN") or c.i in used:
            continue
        r = analyze(c, 1, set(used))
        if r is None or bare_statement(r):
            continue
        wrapped = Match(r.code, trigger=v, pred=node.pred, role="report", key=node.key, content=r,
                        rule=f"report:{node.key}+reported:{r.key}", base=r.code, extra=node.extra)
        if node is m:
            return wrapped
        node.role, node.content, node.code = "report", r, r.code
        for n in m.chain():
            if n.role in ("report", "light", "aspect"):
                n.code = r.code
        return m
    return m


def code_sentence(sent) -> Match | None:
    """The principal event of a sentence (a spaCy Span), or None."""
    m = analyze(sent.root)
    if m is not None:
        m = reported_elsewhere(reported_must(m))
        m.rule = "main:" + m.rule
        return refine(m, sent)
    cands = []
    heads = {t.i: t.head.i for t in sent}  # walking Token.head would make a Token per step
    for t in sent:  # fallback: the trigger nearest the root
        d, h = 0, t.i
        while _head(heads, sent.doc, h) != h and d < 30:
            h, d = heads[h], d + 1
        if t.pos_ in ("VERB", "AUX", "ADJ"):
            cands.append((d, 0, t.i, t))
        elif t.pos_ in ("NOUN", "PROPN"):
            cands.append((d, 1, t.i, t))
    cands.sort(key=lambda x: x[:3])
    for _, is_noun, _, t in cands:
        if is_noun:
            ne = noun_entry(t)
            if ne and ne[0].code:
                return Match(ne[0].code, trigger=t, pred=t.head, noun=t, key=ne[0].key, rule=f"fallback:noun:{ne[0].key}",
                             negated=negated(t))
        else:
            r = analyze(t, 0, set())
            if r is not None:
                r.rule = "fallback:" + r.rule
                return refine(r, sent)
    return None


def _head(heads: dict[int, int], doc, i: int) -> int:
    """The head index of token ``i``, read into ``heads`` when a walk leaves the sentence."""
    if i not in heads:
        heads[i] = doc[i].head.i
    return heads[i]
