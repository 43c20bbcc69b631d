"""Finding and coding actor mentions in a parsed article.

One pass over the spaCy parse: a PhraseMatcher (built once per process) finds dictionary names;
then every noun-phrase head is coded from its own words: a name, a role noun ("court" -> JUD)
with the country its modifiers give ("a Swiss court" -> CHE), or a pronoun left to
coreference. :func:`code_phrase_head` (the same, plus nouns an actor modifies: "Turkish
demands") is what ``resolve_span`` uses on any noun phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .dictionary import Dictionary, Entry, RoleNoun, role_at

# A name that is the object of one of these is a place, not an actor ("talks in Moscow").
LOCATIVE = {"in", "at", "near", "to", "into", "from", "outside", "inside", "across", "around", "through", "via",
            "toward", "towards", "within", "throughout", "across", "beyond", "between"}
_LOCATIVE_STRICT = LOCATIVE - {"to", "from", "between"}  # "demands to Moscow", "a letter from Washington"
PRONOUNS = {
    "he": ("m", "sg"), "him": ("m", "sg"), "his": ("m", "sg"), "himself": ("m", "sg"),
    "she": ("f", "sg"), "her": ("f", "sg"), "hers": ("f", "sg"), "herself": ("f", "sg"),
    "they": (None, "pl"), "them": (None, "pl"), "their": (None, "pl"), "themselves": (None, "pl"),
    "it": (None, "it"), "its": (None, "it"),
}
_TYPE_ORDER = {"person": 0, "organization": 1, "metonym": 2, "country": 3, "capital": 4, "region": 5, "demonym": 6}
ANAPHORIC_NOUNS = {"group", "organisation", "organization", "movement", "network", "outfit", "faction"}
_NOMINAL_POS = {"NOUN", "PROPN"}


@dataclass
class Coded:
    """One actor mention found in the parse (token offsets; ``end`` exclusive)."""

    start: int
    end: int
    head: int
    name: str
    kind: str  # name | pronoun | nominal | title | metonym
    type: str | None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    rule: str = ""
    entry: Entry | None = None  # the dictionary entry it names, when it names one
    gender: str | None = None
    number: str | None = None  # sg | pl | it (for pronoun agreement)
    key: str | None = None  # identity shared by mentions of the same dictionary actor


@dataclass
class Analysis:
    """What the actors stage worked out about one parse, handed on to later stages in
    ``Document.analysis["actors"]`` so that resolve_span codes with the stage's dictionary."""

    names: dict[int, tuple[Span, Entry]] = field(default_factory=dict)  # token index -> name match
    partial: set[int] = field(default_factory=set)  # tokens of names inside a longer name ("Georgia Tech")
    coded: dict[int, Coded | None] = field(default_factory=dict)  # head token index -> coding
    date: str | None = None
    dictionary: Any = None
    parse: Any = None  # the spaCy Doc analysed
    lookup: Any = None  # the mentions by offset (newsevents.actors.resolve.Lookup), made on first use


class LowerNames:
    """The Phoenix layer's names over a parse's lower-cased tokens: every name indexed by its
    first token, longest first. A dict lookup per token, and built in a fraction of the time a
    PhraseMatcher of 33,000 patterns takes."""

    def __init__(self, names: dict[str, list[Entry]]):
        index: dict[str, list[tuple[str, ...]]] = {}
        for surface in names:
            words = tuple(surface.split(" "))
            index.setdefault(words[0], []).append(words)
        for forms in index.values():
            forms.sort(key=len, reverse=True)
        self.index = index

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(surface, start, end) of every name in ``doc``, overlapping ones included."""
        lowers = [t.lower_ for t in doc]
        found = []
        for i, word in enumerate(lowers):
            for words in self.index.get(word, ()):
                n = len(words)
                if tuple(lowers[i:i + n]) == words:
                    found.append((" ".join(words), i, i + n))
        return found


def matcher_for(d: Dictionary, vocab) -> tuple[PhraseMatcher, LowerNames]:
    """The matchers over every dictionary name for ``vocab``, built once per (dictionary,
    vocab): a PhraseMatcher over our names as written (tokenized by spaCy's English rules, as
    the pipeline's tokenizer does), and the Phoenix layer's names, stored tokenized and
    lower-cased, over lower-cased tokens."""
    key = id(vocab)
    if key not in d._matchers or d._matchers[key][0] is not vocab:
        from spacy.lang.en import English

        tokenizer = English(vocab=vocab).tokenizer
        matcher = PhraseMatcher(vocab, attr="ORTH")
        surfaces = sorted(d.names)
        for surface, doc in zip(surfaces, tokenizer.pipe(surfaces)):
            matcher.add(surface, [doc])
        lower = next((m[1][1] for m in d._matchers.values()), None) or LowerNames(d.lower_names)
        d._matchers[key] = (vocab, (matcher, lower))
    return d._matchers[key][1]


def _pick(entries: list[Entry]) -> Entry:
    return min(entries, key=lambda e: _TYPE_ORDER.get(e.type, 9))


def _written_as_name(span: Span) -> bool:
    """A Phoenix name (matched regardless of case) counts where it is written as a name: its
    longer words capitalised ("Kabul", "Islamic State", not "the poor" or "turkey")."""
    if span[0].is_lower and (len(span) == 1 or len(span[0]) > 3):
        return False
    return not any(t.is_lower for t in span if t.is_alpha and len(t) > 3)


def _ner_disagrees(span: Span, entry: Entry) -> bool:
    """The parser's entity type contradicts a Phoenix entry: "Austin" the person is not the city."""
    label = span.root.ent_type_
    if entry.type == "person":
        return label in {"GPE", "LOC", "FAC"}
    return label == "PERSON"


def find_names(doc: Doc, d: Dictionary, matchers) -> tuple[dict[int, tuple[Span, Entry]], set[int]]:
    """Dictionary names in ``doc``: token index -> (matched span, entry), longest match first
    (ours before Phoenix's on the same words), and the tokens of matches that are only part of a
    longer organisation name the NER found ("Nigerian" in "Nigerian Air Force"): those code the
    longer name, never an actor of their own. A country or city inside a longer place name
    ("Jersey" in "New Jersey") is dropped."""
    ours, phoenix = matchers
    spans = []
    for match_id, start, end in ours(doc):
        span = doc[start:end]
        span.label_ = doc.vocab.strings[match_id]
        spans.append(span)
    ours_count = len(spans)
    for surface, start, end in phoenix(doc):
        span = doc[start:end]
        if _written_as_name(span):
            span.label_ = surface
            spans.append(span)
    phoenix_spans = {id(s) for s in spans[ours_count:]}
    out, partial = {}, set()
    for span in filter_spans(spans):  # a stable sort: on the same words, ours (listed first) win
        if id(span) in phoenix_spans:
            entry = _pick(d.lower_names[span.label_])
            if _ner_disagrees(span, entry):
                continue
        else:
            entry = _pick(d.names[span.label_])
        start, end = span.start, span.end
        after = end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].pos_ == "PROPN" and doc[end - 1].ent_type_
        before = doc[start].ent_iob_ == "I" and start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].ent_type_
        if entry.type == "person":
            if before and doc[start - 1].ent_type_ == "PERSON" and len(span) == 1:
                continue  # "Jeb Bush" is not George W. Bush
        elif after or before:
            label = doc[end].ent_type_ if after else doc[start - 1].ent_type_
            if label in {"GPE", "LOC", "FAC"} and entry.type in {"country", "capital", "region", "metonym"}:
                continue
            partial.update(t.i for t in span)
        for t in span:
            out[t.i] = (span, entry)
    # a lone surname of a known person ("Peskov", "Putin") when the parser sees a proper name,
    # unless the article names someone else with that surname ("Bernie Sanders" ... "Sanders")
    others: dict[str, list[Span]] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            others.setdefault(ent[-1].text, []).append(ent)
    for t in doc:
        if t.i in out or not (t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.is_title)):
            continue
        # Phoenix's surnames (matched in any case) only where the parser sees a person: "Mosul" is a city
        known = d.surnames.get(t.text) or ([d.lower_surnames[t.lower_]] if t.is_title and t.ent_type_ == "PERSON"
                                           and t.lower_ in d.lower_surnames else None)
        if not known:
            continue
        if t.ent_type_ and t.ent_type_ != "PERSON" and (t.ent_iob_ == "I" or (t.i + 1 < len(doc) and doc[t.i + 1].ent_iob_ == "I")):
            continue  # part of a longer non-person name
        prev = doc[t.i - 1] if t.i else None
        if prev is not None and prev.pos_ == "PROPN" and prev.ent_type_ == "PERSON" and prev.i not in out:
            continue  # another person with the same surname ("Hunter Biden")
        entry = known[-1]
        own = d.person_names.get(entry.name, set())
        if any(e.text not in own and out.get(e[-1].i, (None, None))[1] is not entry for e in others.get(t.text, ())):
            continue
        out[t.i] = (doc[t.i:t.i + 1], entry)
    return out, partial


def _first_conjunct(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def is_place_use(tok: Token) -> bool:
    """Whether a place name is used as a place here ("talks in Moscow"), not as an actor."""
    first = _first_conjunct(tok)
    if first.dep_ == "pobj" and first.head.lower_ in _LOCATIVE_STRICT:
        return True
    if first.dep_ == "pobj" and first.head.lower_ in LOCATIVE and first.head.head.pos_ == "VERB" \
            and first.head.head.lemma_ in {"go", "travel", "fly", "come", "return", "arrive", "move", "flee", "visit", "send"}:
        return True
    if first.dep_ in {"npadvmod", "appos"} and first.head.ent_type_ in {"GPE", "LOC", "FAC"}:
        return True
    return False


def is_agent(tok: Token) -> bool:
    """Whether ``tok`` acts: the subject of a verb, the agent of a passive, a possessor."""
    first = _first_conjunct(tok)
    if first.dep_ in {"nsubj", "csubj"}:
        # the subject of an infinitive ("allow Ukraine to join") is not acting on its own
        return not any(c.dep_ == "aux" and c.lower_ == "to" for c in first.head.children)
    if first.dep_ == "pobj" and first.head.dep_ == "agent":
        return True
    if first.dep_ == "poss":
        return True
    return False


def role_noun(tok: Token, d: Dictionary) -> tuple[RoleNoun, int, int] | None:
    """The role noun headed by ``tok`` and its token extent: multi-word first ("foreign minister",
    "secretary of state"), then the word and its lemma."""
    doc = tok.doc
    lower = tok.lower_
    ends, starts = lower in d.role_ends, lower in d.role_starts
    for n in range(min(d.max_role_words, 4), 1, -1) if ends or starts else ():
        if ends and tok.i - n + 1 >= 0:  # ends at the head: "foreign minister"
            phrase = " ".join(t.lower_ for t in doc[tok.i - n + 1:tok.i + 1])
            if phrase in d.roles:
                return d.roles[phrase], tok.i - n + 1, tok.i + 1
        if starts and tok.i + n <= len(doc) and doc[tok.i + 1].lower_ == "of":  # starts at it: "secretary of state"
            phrase = " ".join(t.lower_ for t in doc[tok.i:tok.i + n])
            if phrase in d.roles:
                return d.roles[phrase], tok.i, tok.i + n
    for form in (lower, tok.lemma_.lower()):
        if form in d.roles:
            return d.roles[form], tok.i, tok.i + 1
    return None


def _entry_code(entry: Entry, date: str | None, agent: bool = False) -> tuple[str | None, str | None, str | None, str | None]:
    """(code, country, sector, role) of a dictionary entry on ``date``."""
    if entry.type == "person":
        role = role_at(entry, date)
        if role is None:
            return None, None, None, None
        return _role_code(role)
    if entry.roles:  # an organisation whose status changed ("Taliban": insurgents, then the government)
        held = role_at(entry, date)
        if held is not None and not held.role.startswith("former"):
            return _role_code(held)
    if entry.type == "country":
        if agent and entry.country:  # a country entry without a country code (seen on PolNeAR train) stays uncoded as GOV
            return entry.country + "GOV", entry.country, "GOV", None
        return entry.code, entry.country, None, None
    if entry.type == "demonym":
        return entry.code, entry.country, None, None
    return entry.code, entry.country, entry.sector, None


def _role_code(role) -> tuple[str | None, str | None, str | None, str | None]:
    """(code, country, sector, role) of a dated role; an international body's or group's code
    (IGOUNO, IMGMOSISI) stands as the whole code."""
    if not role.country:
        return role.sector, None, role.sector, role.role or None
    if role.country.startswith(("IGO", "NGO", "IMG")) or len(role.country) != 3:
        return role.country, None, role.sector, role.role or None
    return role.country + (role.sector or ""), role.country, role.sector, role.role or None


def _compose(country: str | None, sector: str | None) -> str | None:
    if country and sector:
        return country + sector
    return country or sector


@dataclass
class _Signal:
    country: str | None = None
    sector: str | None = None
    code: str | None = None  # an organisation's own code ("IGOUNO") when it gives the sector
    via: Token | None = None


def _modifier_signal(tok: Token, an: Analysis, d: Dictionary, seen: set[int]) -> _Signal:
    """Country and sector a modifier or attached phrase gives ("Swiss", "Kremlin", "army", "of Turkey")."""
    sig = _Signal()
    if tok.i in seen:
        return sig
    seen.add(tok.i)
    if tok.i in an.names:
        _, entry = an.names[tok.i]
        code, country, sector, _role = _entry_code(entry, an.date)
        sig.country, sig.sector, sig.via = country, sector, tok
        if code and (entry.type in ("organization", "metonym") or not country):  # bodies, regions ("African")
            sig.code = code
        if entry.type in ("capital", "metonym", "country") and is_place_use(tok):
            sig.sector, sig.code = None, None  # "security talks in Geneva": a place, not its government
        return sig
    described = described_entry(tok, an, d) if tok.pos_ in _NOMINAL_POS else None
    if described is not None:
        code, country, sector, _role = _entry_code(described, an.date)
        sig.country, sig.sector, sig.via = country, sector, tok
        if code and not country:
            sig.code = code
        return sig
    rn = role_noun(tok, d)
    if rn is not None and (tok.pos_ in _NOMINAL_POS or tok.pos_ == "ADJ"):  # "military spokesman"
        rnoun = rn[0]
        sig.sector = rnoun.sector if not rnoun.relational else None
        sig.via = tok
        inner = _country_from_children(tok, an, d, seen)
        sig.country = inner.country
        if rnoun.relational and inner.sector:
            sig.sector, sig.code = inner.sector, inner.code  # "the Taliban delegation" keeps the Taliban's code
        elif rnoun.relational and inner.country:
            sig.sector = rnoun.sector
        return sig
    return sig


_ATTACHING_PREPS = {"of", "for", "from", "in", "at", "with"}


def _country_from_children(tok: Token, an: Analysis, d: Dictionary, seen: set[int]) -> _Signal:
    """What the phrase around head ``tok`` says: possessor first, then the modifiers nearest the
    head, then an attached "of/for/in ..." phrase."""
    best = _Signal()
    lefts = [c for c in tok.lefts if c.dep_ in {"poss", "compound", "amod", "nmod", "npadvmod"}]
    lefts.sort(key=lambda c: (c.dep_ != "poss", -c.i))
    for c in lefts:
        sig = _modifier_signal(c, an, d, seen)
        best = _combine(best, sig)
        if best.country and best.sector:
            return best
    for prep in tok.rights:
        if prep.dep_ != "prep" or prep.lower_ not in _ATTACHING_PREPS:
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj":
                best = _combine(best, _modifier_signal(obj, an, d, seen))
    for c in tok.rights:  # "Mohammad Radmanish, an Afghan defence spokesperson"
        if c.dep_ == "appos":
            best = _combine(best, _modifier_signal(c, an, d, seen))
    return best


def _combine(a: _Signal, b: _Signal) -> _Signal:
    return _Signal(a.country or b.country, a.sector or b.sector, a.code or b.code, a.via or b.via)


def _subtree_end(tok: Token) -> int:
    return max(t.i for t in tok.subtree) + 1


def nominal_extent(tok: Token) -> tuple[int, int]:
    """Token extent of the noun phrase headed by ``tok`` for a description mention: its left
    modifiers plus "of ..." phrases ("the speaker of the President of the Russian Federation")."""
    start = min([tok.i] + [min(t.i for t in c.subtree) for c in tok.lefts if c.dep_ not in {"punct", "cc", "case"}])
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in {"of", "for"}:
            end = max(end, _subtree_end(c))
        elif c.dep_ == "case":  # possessive 's
            end = max(end, c.i + 1)
    return start, end


def _expletive_it(tok: Token) -> bool:
    """ "It is vital that ...", "it seems ...": an "it" that stands for a clause, not an actor."""
    if tok.lower_ != "it" or tok.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    verb = tok.head
    if verb.lemma_ in {"seem", "appear", "remain", "happen", "rain", "take", "matter"}:
        return True
    return verb.lemma_ == "be" and any(c.dep_ in {"acomp", "attr"} for c in verb.children) \
        and any(c.dep_ in {"ccomp", "xcomp", "advcl", "csubj"} for c in verb.children)


def code_phrase_head(tok: Token, an: Analysis, d: Dictionary) -> Coded | None:
    """Like :func:`code_token`, and a noun that is no actor itself is coded from the actor
    modifying it ("Turkish demands" -> TUR, "the U.S. State Department call" -> USAGOV): event
    sources and targets are often written that way."""
    c = code_token(tok, an, d)
    if c is not None or tok.pos_ not in _NOMINAL_POS:
        return c
    seen = {tok.i}
    sig = _Signal()
    for m in sorted((m for m in tok.lefts if m.dep_ in {"poss", "compound", "amod", "nmod"}), key=lambda m: -m.i):
        sig = _combine(sig, _modifier_signal(m, an, d, seen))
    for prep in tok.rights:
        if prep.dep_ == "prep" and prep.lower_ in {"of", "by"}:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    sig = _combine(sig, _modifier_signal(obj, an, d, seen))
    if not (sig.country or sig.code or sig.sector):
        return None
    start, end = nominal_extent(tok)
    return Coded(start, end, tok.i, tok.doc[start:end].text, "nominal", None, sig.code or _compose(sig.country, sig.sector),
                 sig.country, sig.sector, None, rule="modifier")


def code_token(tok: Token, an: Analysis, d: Dictionary) -> Coded | None:
    """The actor mention headed by ``tok``, coded from the dictionary and the phrase around it
    (cached per token), or None when ``tok`` heads no actor."""
    if tok.i in an.coded:
        return an.coded[tok.i]
    an.coded[tok.i] = None  # guards against cycles through appositions
    result = _code(tok, an, d)
    an.coded[tok.i] = result
    return result


def _code(tok: Token, an: Analysis, d: Dictionary) -> Coded | None:
    lower = tok.lower_
    if tok.pos_ == "PRON" or tok.tag_ in {"PRP", "PRP$"}:
        if lower in PRONOUNS and tok.dep_ != "expl" and not _expletive_it(tok):
            gender, number = PRONOUNS[lower]
            return Coded(tok.i, tok.i + 1, tok.i, tok.text, "pronoun", None, rule="pronoun", gender=gender, number=number)
        return None
    if tok.i in an.names and tok.i not in an.partial:
        return _code_name(tok, an, d)
    if tok.pos_ not in _NOMINAL_POS and tok.tag_ not in {"NNS", "NNPS"}:
        return None
    described = described_entry(tok, an, d)
    if described is not None:
        code, country, sector, role = _entry_code(described, an.date)
        start, end = nominal_extent(tok)
        return Coded(start, end, tok.i, described.name, "nominal", described.type if described.type != "metonym" else "organization",
                     code, country, sector, role, rule=f"description:{tok.lower_}", entry=described,
                     number="it", key=described.key)
    rn = role_noun(tok, d)
    if rn is not None and _named_body(tok, rn[1], an):
        return _code_org(tok, an, d)  # "Democratic Liberation Front": a name that ends in a role noun
    if rn is not None:
        return _code_role(tok, rn, an, d)
    if tok.lower_ in ANAPHORIC_NOUNS and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts):
        # "the group": an actor only if coreference finds who (dropped otherwise)
        start, end = nominal_extent(tok)
        return Coded(start, end, tok.i, tok.doc[start:end].text, "nominal", "organization", rule=f"anaphor:{tok.lower_}",
                     number="it")
    if tok.ent_type_ == "PERSON" and tok.pos_ == "PROPN":
        return _code_person(tok, an, d)
    if tok.ent_type_ in {"ORG", "NORP"}:
        return _code_org(tok, an, d)
    return None


def _named_body(tok: Token, role_start: int, an: Analysis) -> bool:
    """Whether the role noun ``tok`` ends an organisation's proper name: the NER's ORG goes on
    to its left with words that are no dictionary name ("Democratic" in "Democratic Liberation
    Front", not "Nigerian" in "Nigerian Air Force", which is Nigeria's air force)."""
    if tok.ent_type_ != "ORG" or tok.pos_ != "PROPN":
        return False
    doc = tok.doc
    i = role_start
    while i > 0 and doc[i].ent_iob_ == "I" and doc[i - 1].ent_type_ == "ORG":
        i -= 1
        if doc[i].is_alpha and doc[i].lower_ != "the" and i not in an.names:
            return True
    return False


def described_entry(tok: Token, an: Analysis, d: Dictionary) -> Entry | None:
    """The dictionary actor a definite description refers to: "the Alliance" after "NATO",
    "the country" after "Georgia" (the nearest earlier name whose entry lists the noun)."""
    noun = tok.lower_ if tok.lower_ in d.noun_refs else tok.lemma_.lower()
    if noun not in d.noun_refs and noun not in ("country", "nation"):
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts):
        return None
    if any(c.dep_ in {"amod", "compound", "poss"} for c in tok.lefts) or tok.tag_ in {"NNS", "NNPS"} \
            and noun not in ("militants", "rebels", "insurgents", "jihadists", "terrorists", "extremists"):
        return None
    for i in range(tok.i - 1, -1, -1):
        if i in an.names:
            entry = an.names[i][1]
            if noun in entry.nouns and an.names[i][0].start == i or (noun in entry.nouns and an.names[i][0].root.i == i):
                return entry
    return None


def _code_name(tok: Token, an: Analysis, d: Dictionary) -> Coded | None:
    span, entry = an.names[tok.i]
    if tok.i != span.root.i and span.root.i in an.names:
        tok = span.root
    if entry.type in ("country", "capital", "metonym", "region") and is_place_use(tok):
        return None
    agent = is_agent(tok)
    code, country, sector, role = _entry_code(entry, an.date, agent=agent)
    kind = "metonym" if entry.type in ("capital", "metonym") else "name"
    etype = {"capital": "organization", "metonym": "organization", "demonym": "group"}.get(entry.type, entry.type)
    if entry.type == "demonym" and (tok.pos_ not in _NOMINAL_POS or tok.dep_ in {"amod", "compound"}):
        return None  # an adjective ("Russian"), not the people
    c = Coded(span.start, span.end, tok.i, entry.name, kind, etype, code, country, sector, role,
              rule=f"dictionary:{entry.type}", entry=entry, gender=entry.gender,
              number="pl" if entry.type == "demonym" else ("sg" if entry.type == "person" else "it"))
    if entry.type == "person" and code is None:
        # known name, no role on this date: fall back on what the phrase says
        sig = _country_from_children(tok, an, d, set())
        c.country, c.sector = sig.country, sig.sector
        c.code = _compose(sig.country, sig.sector)
    c.key = entry.key if entry.type != "country" or not agent else f"code:{code}"
    if entry.type in ("capital", "metonym") or (entry.type == "country" and agent):
        c.key = f"code:{code}"
    return c


def _code_person(tok: Token, an: Analysis, d: Dictionary) -> Coded:
    """An unknown person: country and role from titles and appositions ("Kremlin spokesman X")."""
    start = tok.i
    while start > 0 and tok.doc[start - 1].ent_type_ == "PERSON" and tok.doc[start - 1].pos_ == "PROPN" \
            and tok.doc[start - 1].ent_iob_ != "O":
        start -= 1
    name = tok.doc[start:tok.i + 1].text
    sig = _Signal()
    role = None
    for c in sorted(tok.lefts, key=lambda c: -c.i):
        if c.i >= start:
            continue
        rn = role_noun(c, d)
        if rn is not None:
            sub = _modifier_signal(c, an, d, set())
            role = role or rn[0].role
            sig = _combine(sig, sub)
            if rn[0].relational and not sig.sector:
                sig.sector = rn[0].sector
        else:
            sig = _combine(sig, _modifier_signal(c, an, d, set()))
    for c in tok.rights:
        if c.dep_ == "appos":
            inner = code_token(c, an, d)
            if inner is not None and inner.kind != "pronoun":
                sig = _combine(sig, _Signal(inner.country, inner.sector))
                role = role or inner.role
        elif c.dep_ == "prep" and c.lower_ == "of" and role:  # "Prime Minister Jan Novak of Slovakia"
            for obj in c.children:
                if obj.dep_ == "pobj":
                    sig = _combine(sig, _modifier_signal(obj, an, d, set()))
    return Coded(start, tok.i + 1, tok.i, name, "name", "person", sig.code or _compose(sig.country, sig.sector),
                 sig.country, sig.sector, role, rule="ner:person", number="sg", key=f"person:{name}")


def _code_org(tok: Token, an: Analysis, d: Dictionary) -> Coded | None:
    """An organisation the dictionary lacks, coded from its own words ("Nigerian Air Force")."""
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start - 1].ent_type_ == tok.ent_type_ and doc[start - 1].ent_iob_ != "O" \
            and doc[start].ent_iob_ == "I":
        start -= 1
    sig = _Signal()
    for t in doc[start:tok.i + 1]:
        if t.i in an.names:
            _, entry = an.names[t.i]
            code, country, sector, _ = _entry_code(entry, an.date)
            sig = _combine(sig, _Signal(country, sector if entry.type not in ("country", "capital") else None))
    rn = None
    for i in range(tok.i, start - 1, -1):
        rn = role_noun(doc[i], d)
        if rn is not None:
            break
    sector = sig.sector or (rn[0].sector if rn else None)
    if tok.ent_type_ == "NORP" and not sig.country:
        return None
    if doc[start].lower_ == "the" and start < tok.i:
        start += 1
    name = doc[start:tok.i + 1].text
    return Coded(start, tok.i + 1, tok.i, name, "name", "organization" if tok.ent_type_ == "ORG" else "group",
                 _compose(sig.country, sector), sig.country, sector, None, rule="ner:" + tok.ent_type_.lower(),
                 number="it", key=f"org:{name}")


def _code_role(tok: Token, rn: tuple[RoleNoun, int, int], an: Analysis, d: Dictionary) -> Coded:
    noun, _, _ = rn
    sig = _country_from_children(tok, an, d, {tok.i})
    sector = (sig.sector or noun.sector) if noun.relational else noun.sector
    # a body's own code when the role belongs to it ("Taliban spokesman", "Taliban fighters");
    # an international body's own members keep its code with their sector ("NATO troops")
    if sig.code and (noun.relational or sector == sig.sector):
        code = sig.code
    elif sig.code and not sig.country and sector:
        code = sig.code + sector
    else:
        code = _compose(sig.country, sector)
    start, end = nominal_extent(tok)
    plural = tok.tag_ in {"NNS", "NNPS"}
    person = noun.person and not plural
    kind = "title" if person and sig.country else "nominal"
    c = Coded(start, end, tok.i, tok.doc[start:end].text, kind,
              "person" if person else ("group" if plural or noun.person else "organization"),
              code, sig.country, sector, noun.role if noun.person else None, rule=f"role:{noun.role}",
              number="pl" if plural else ("sg" if noun.person else "it"))
    if person and sig.country and any(t.lower_ == "the" for t in tok.lefts):
        holder = office_holder(d, sig.country, noun.role, an.date)
        if holder is not None:  # "the President of the Russian Federation" on 2022-01-13
            c.entry, c.key, c.gender, c.rule = holder, holder.key, holder.gender, c.rule + "+office-holder"
    elif not person and code and sig.country and sector:
        c.key = f"code:{code}"  # collective actors with the same code are one actor ("the Russian leadership")
    return c


_STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}


def add_context_countries(doc: Doc, coded: list[Coded], linked: set[int] = frozenset()) -> None:
    """Give a country to role-noun mentions whose phrase names none ("Authorities said", "the
    military"): the country of the last earlier mention of the same sector that has one ("Kenyan
    authorities ... authorities"), else, for a state's own institutions (government, military,
    police, courts, legislature, intelligence), the article's main country (the one most
    mentions belong to, when one clearly leads): journalists, business or civilians are not
    bound to one state. Never the country of the mention's own clause subject ("The UK condemned
    the attack on the government" is not about the UK's government). ``coded`` is in text order;
    mentions in ``linked`` (indices) take their code from who coreference found they are. A body
    with its own code ("NATO troops") keeps it."""
    counts: dict[str, int] = {}
    by_head = {c.head: c for c in coded}
    for c in coded:
        if c.country:
            counts[c.country] = counts.get(c.country, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    main = ranked[0][0] if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    last_by_sector: dict[str, str] = {}
    for i, c in enumerate(coded):
        if c.country and c.sector:
            last_by_sector[c.sector] = c.country
        elif c.sector and not c.country and c.rule.startswith("role:") and c.code == c.sector and i not in linked:
            country = last_by_sector.get(c.sector) or (main if c.sector in _STATE_SECTORS else None)
            if country and country != _clause_subject_country(doc[c.head], by_head):
                c.country, c.code, c.rule = country, country + c.sector, c.rule + "+context"


def _clause_subject_country(tok: Token, by_head: dict[int, Coded]) -> str | None:
    """The country of the subject of the clause ``tok`` is in, when that is not ``tok`` itself."""
    verb = tok
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child.i != tok.i:
            subject = by_head.get(child.i)
            return subject.country if subject is not None else None
    return None


def office_holder(d: Dictionary, country: str, role: str, date: str | None) -> Entry | None:
    """The one person the dictionary says held ``role`` for ``country`` on ``date``, if exactly one."""
    from ..nlp.coref import normalise_role

    want = normalise_role(role)
    found = []
    for entry in d.people_by_country.get(country, ()):
        r = role_at(entry, date)
        if r is not None and r.country == country and r.sector != "ELI" and normalise_role(r.role) == want:
            found.append(entry)
    return found[0] if len(found) == 1 else None
