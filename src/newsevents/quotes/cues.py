"""Attribution cues in the dependency parse: who said, wrote, thought or claimed what.

Each cue is a word of the lexicon (``data/quotes/cues.yaml``) in one of its frames:

- clause: ``X said (that) ...``, ``..., X said`` (the complement clause, ``ccomp``), or the
  host clause of a parenthetical ``..., he said, ...`` (``parataxis``), or what follows a colon;
- object: ``X praised the deal`` (``dobj``); naming: ``X called the plan "a disaster"``;
- infinitive: ``X vowed to fight on`` (``xcomp``); prepositions: ``X called for a ban``;
- light: a light verb with a speech noun, ``X raised questions about ...``;
- nouns: ``his claim that ...``, ``his promise to build ...``;
- as: ``As the Post reported, ...``; stance: ``X is optimistic that ...``, ``it is not clear
  whether ...``; copula: ``Their fear is that ...``;
- and, outside the lexicon: ``according to X, ...``, ``In a new poll, ...``, ``X reportedly
  ...``, ``X seemed fixated on ...`` and ``NAME: ...`` opening a paragraph.

The speaker is the cue's subject (``nsubj``), the agent of a passive (``by X``), the subject
of the verb a participle or infinitive hangs from (``..., saying ...``), a relative pronoun
(``Mr. Reid, who said ...``) with its antecedent, or the owner of a noun cue (``Trump's
claim``). Every function here looks at one token and its neighbourhood in the parse: one pass
over the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import yaml

from ..data import data_path
from ..vocab import QUOTE_MARKS, SUBJECT_PRONOUNS

#: Frames in the order they are tried for a verb that has several.
FRAMES = ("clause", "naming", "object", "infinitive")
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
#: Dependencies a cue climbs through to find its speaker: "took the step of criticizing" (dobj),
#: "are quick to offer" (acomp), "..., saying" (advcl).
_CLIMB = {
    "xcomp", "advcl", "conj", "pcomp", "ccomp", "prep", "pobj", "acomp", "dobj", "attr", "advmod", "npadvmod", "relcl",
}
#: Dependencies a speaker is found through where the host's passive subject is the speaker.
_PASSIVE_CONTROL = {"conj", "xcomp", "advcl", "pcomp", "prep"}
#: Nouns of a message: in "X released a statement saying ...", X speaks through the statement.
_MESSAGES = {
    "statement", "resolution", "letter", "ad", "advertisement", "tweet", "report", "release", "memo",
    "video", "post", "email", "message", "speech", "column", "editorial", "note", "petition", "motion",
    "complaint", "lawsuit", "suit", "filing", "brief", "interview", "op-ed", "essay", "book", "blog",
}
_LIGHT = {"make", "repeat", "reiterate", "issue", "voice", "express", "offer", "deliver", "raise", "add", "echo"}
_TRIM = {",", ";", ":", "-", "—", "–", "--", "(", ")", "...", "…"}


@dataclass
class Cue:
    """One attribution found in the parse, as token ranges ``[start, end)`` of the spaCy Doc."""

    cue: tuple[int, int]
    content: tuple[int, int]
    speaker: tuple[int, int] | None
    frame: str
    head: int  # index of the cue word
    antecedent: tuple[int, int] | None = None  # what a relative-pronoun speaker stands for


@dataclass(frozen=True)
class Lexicon:
    frames: dict[str, frozenset[str]]
    prepositions: dict[str, frozenset[str]]
    nouns: frozenset[str]
    light_verbs: frozenset[str] = frozenset()
    light_nouns: frozenset[str] = frozenset()

    def verb_frames(self, lemma: str) -> list[str]:
        return [f for f in FRAMES if lemma in self.frames[f]]

    @cached_property  # read for every candidate predicate: built once
    def verbs(self) -> frozenset[str]:
        out = set(self.prepositions)
        for words in self.frames.values():
            out |= words
        return frozenset(out)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped cue lexicon (read once per process)."""
    data = yaml.safe_load(data_path("quotes", "cues.yaml").read_text(encoding="utf-8"))
    return Lexicon(
        frames={f: frozenset(data.get(f) or ()) for f in FRAMES},
        prepositions={k: frozenset(v) for k, v in (data.get("prepositions") or {}).items()},
        nouns=frozenset(data.get("nouns") or ()),
        light_verbs=frozenset((data.get("light") or {}).get("verbs") or ()),
        light_nouns=frozenset((data.get("light") or {}).get("nouns") or ()),
    )


def lemma(tok) -> str:
    return tok.lemma_.lower()


def trimmed(doc, start: int, end: int, marks: bool = False) -> tuple[int, int] | None:
    """``[start, end)`` without edge punctuation, whitespace and a final full stop (quote marks
    too when ``marks``); None when nothing is left."""
    edge = _TRIM | QUOTE_MARKS if marks else _TRIM
    while start < end and (doc[start].is_space or doc[start].text in edge):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in edge or doc[end - 1].text == "."):
        end -= 1
    return (start, end) if end > start else None


def _has_child(tok, dep: str, word: str) -> bool:
    return any(c.dep_ == dep and c.lower_ == word for c in tok.children)


def subtree(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


#: Verbs of means, whose object is a tool, not a speaker: "using an expletive to describe X".
_MEANS = {"use", "employ", "cite", "invoke", "take", "spend", "need"}


def speaker_of(verb) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """Who speaks through ``verb``: (speaker range, antecedent range or None), or None.

    A relative pronoun is the speaker mention itself (as annotators mark it) and its
    antecedent comes along for resolution: in "O'Donnell, who said ..." the speaker is "who",
    resolved through "O'Donnell".
    """
    doc = verb.doc
    tok, via = verb, None
    for _ in range(6):
        kids = list(tok.children)
        if via is None:
            objs = [g for a in kids if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
            if objs:  # "was criticized by X"
                return trimmed(doc, *subtree(objs[0]), marks=True), None
        if via == "xcomp":
            # object control: "led Priebus to declare", "asked her to say"
            objs = [c for c in kids if c.dep_ == "dobj" and c.i < verb.i]
            if objs and lemma(tok) not in _MEANS:
                return trimmed(doc, *subtree(objs[0]), marks=True), None
        # a participle or infinitive hanging from a passive speaks for its subject ('After saying
        # ..., she was whisked off', 'he was asked to say'); the cue's own passive subject does not
        deps = ("nsubj", "nsubjpass", "csubj") if via in _PASSIVE_CONTROL else ("nsubj", "csubj")
        subj = [c for c in kids if c.dep_ in deps and not c.is_punct]
        if not subj and via is None and tok.dep_ == "parataxis":
            # '"The risk," said Edward Leamer, ..., "is ..."': the parser hangs the inverted
            # subject on the clause the verb interrupts
            subj = [c for c in tok.head.children if c.dep_ == "nsubj" and c.left_edge.i == tok.i + 1]
        if subj:
            # the subject nearest the verb (a misparse can hang a second one further away)
            s = min(subj, key=lambda c: abs(c.i - tok.i))
            if s.lower_ in _RELATIVE and tok.dep_ == "relcl":
                return (s.i, s.i + 1), trimmed(doc, tok.head.left_edge.i, min(tok.left_edge.i, s.i), marks=True)
            span = trimmed(doc, *subtree(s), marks=True)
            return (span, None) if span else None
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            noun = tok.head
            if lemma(noun) in _MESSAGES and noun.dep_ in ("dobj", "pobj", "nsubjpass"):
                # "released a statement confirming ...": the one who released it speaks
                tok, via = noun.head, "acl"
                continue
            span = trimmed(doc, noun.left_edge.i, tok.left_edge.i, marks=True)  # "the super PACs supporting X"
            return (span, None) if span else None
        if tok.dep_ in _CLIMB and tok.head is not tok:
            tok, via = tok.head, tok.dep_
            continue
        if via is not None:
            # '"...," Mr. Obama said, not even needing to mention X': the parser makes the speech
            # verb a parataxis of the clause the cue hangs from; its subject speaks
            said = [c for c in kids if c.dep_ == "parataxis" and c.i < tok.i and c.pos_ == "VERB"]
            subj = [g for c in said[-1:] for g in c.children if g.dep_ == "nsubj" and not g.is_punct]
            if subj:
                span = trimmed(doc, *subtree(subj[0]), marks=True)
                return (span, None) if span else None
        if tok.dep_ == "ROOT" and tok is verb and tok.pos_ == "VERB":
            return _left_noun(verb)
        return None
    return None


#: Words that may stand between a subject and its verb ('X also said', 'X then revealed').
_BETWEEN = {"advmod", "aux", "neg", "auxpass"}


def _left_noun(verb):
    """A main verb left without a subject by a misparse ('In an interview with the hosts, the
    Democratic candidate stated that ...', the subject hung on the hosts as an apposition): the
    noun phrase right before it, as (speaker range, None), or None."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].dep_ in _BETWEEN and doc[k].head.i == verb.i:
        k -= 1
    if k < 0 or doc[k].pos_ not in ("NOUN", "PROPN") or doc[k].head.i > verb.i:
        return None
    left = doc[k].left_edge.i
    span = trimmed(doc, left, k + 1, marks=True)
    return (span, None) if span else None


def _content(verb, frame: str, lex: Lexicon) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(cue range, content range) of ``verb`` in ``frame``, or None when the frame does not fit."""
    doc = verb.doc
    kids = list(verb.children)
    cue = (verb.i, verb.i + 1)
    prt = [c for c in kids if c.dep_ == "prt"]
    if prt and prt[0].i == verb.i + 1:
        cue = (verb.i, verb.i + 2)
    if frame == "clause":
        comp = [c for c in kids if c.dep_ == "ccomp"]
        if comp:
            # "While A, X said B": the clause after the verb, where it has one on either side
            c = min(comp, key=lambda c: (c.i < verb.i and len(comp) > 1, abs(c.i - verb.i)))
            return cue, _reported(c)
        # "He said legalizing it could ...": the parser takes a gerund subject for the verb's
        # complement and hangs the clause under it
        gerund = [c for c in kids if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i == verb.i + 1
                  and any(g.dep_ == "ccomp" and g.i > c.i for g in c.children)]
        if gerund:
            return cue, _reported(gerund[0])
        # "the candidate said no", "55 percent said so"
        short = [c for c in kids if c.i == verb.i + 1 and c.lower_ in _SHORT_ANSWERS and c.dep_ in (
            "intj", "advmod", "dobj")]
        if short and lemma(verb) in ("say", "answer", "reply"):
            return cue, (short[0].i, short[0].i + 1)
        # "..., he said, ..." : the verb hangs from the clause it reports
        if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
            host = verb.head
            if any(c.dep_ in _SUBJECTS for c in kids):
                start, end = subtree(host)
                vs, ve = subtree(verb)
                if ve >= end:
                    return cue, (start, vs)
                # "A comic tone, she said, would make ...": the whole host, round the cue
                return cue, (start, end)
        # "X said: ..." : the rest of the sentence after the colon
        after = verb.i + 1
        while after <= verb.right_edge.i and doc[after].dep_ in _BEFORE_COLON and doc[after].text != ":":
            after += 1
        if after < len(doc) and doc[after].text == ":":
            end = verb.sent.end
            if end > after + 1:
                return (verb.i, after + 1), (after + 1, end)
        return None
    if frame == "naming":
        obj = [c for c in kids if c.dep_ == "dobj"]
        pred = [c for c in kids if c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")]
        if obj and (pred or any(t.dep_ == "prep" and t.lower_ == "as" for t in obj[0].subtree)):
            return cue, _right_side(verb)
        # the parser folds one of the two into the other: 'called her "third-rate"' (no object),
        # 'called his actions "a crucial step"' (the name as an apposition in quote marks)
        if not obj and any(c.dep_ == "oprd" and c.i > verb.i for c in kids) or obj and any(
                c.dep_ == "appos" and doc[c.left_edge.i - 1].text in QUOTE_MARKS for c in obj[0].children):
            return cue, _right_side(verb)
        if pred and verb.dep_ == "relcl":
            # "two rounds of which he assessed as negative": what is named stands before the verb
            return cue, (verb.head.left_edge.i, verb.right_edge.i + 1)
        return None
    if frame == "object":
        if any(c.dep_ == "dobj" for c in kids):
            return cue, _right_side(verb)
        subj = [c for c in kids if c.dep_ == "nsubjpass"]
        if subj and any(c.dep_ == "agent" for c in kids):  # "the move was criticized by X"
            return cue, subtree(subj[0])
        return None
    if frame == "infinitive":
        comp = [c for c in kids if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
        if comp:
            c = comp[0]  # "vowed to fight", "proposed banning ..."
            if c.tag_ == "VBG" or _has_child(c, "aux", "to"):
                start, end = subtree(c)
                # "vowed to fight on as Congress grappled with it": not the occasion it was said on
                tails = [g for g in c.children if g.dep_ == "advcl" and g.i > c.i and g.right_edge.i == end - 1
                         and any(m.dep_ == "mark" and m.lower_ in _OCCASION_MARKS for m in g.children)]
                return cue, (start, tails[0].left_edge.i if tails else end)
        return None
    return None


#: One-word statements: "said yes", "said so".
_SHORT_ANSWERS = {"yes", "no", "so", "nope", "yeah"}

#: Conjunctions of an adverbial clause of time or occasion.
_OCCASION_MARKS = {"after", "as", "while", "when", "before", "since", "until"}

#: Trailing asides left out of a reported clause (calibrated on PolNeAR train: cutting adverbial
#: clauses and participles as well cost more than it gained).
_ASIDES = {"relcl"}


def _reported(head) -> tuple[int, int]:
    """The clause headed by ``head`` as reported content: without a cue verb conjoined to it that
    has no subject of its own ('said A and praised B': the speaker praised, though the parser hangs
    'praised' on A), and without a trailing relative clause set off by a comma ('..., which ...'),
    which annotators leave out."""
    doc = head.doc
    start, end = subtree(head)
    for c in head.children:
        if c.dep_ == "conj" and c.i > head.i and lemma(c) in lexicon().verbs and not any(
                g.dep_ in _SUBJECTS or g.dep_ == "expl" for g in c.children):
            cut = c.left_edge.i
            while cut > start and doc[cut - 1].dep_ in ("cc", "punct"):
                cut -= 1
            end = min(end, cut)
            break
    return start, _without_asides(doc, start, end)


def _without_asides(doc, start: int, end: int) -> int:
    """The end of ``[start, end)`` before a trailing relative clause set off by a comma or dash
    ('of Jeb Bush, who announced ...')."""
    while True:
        tails = [t for t in doc[start + 2:end] if t.dep_ in _ASIDES and t.right_edge.i == end - 1
                 and t.left_edge.i > start + 1 and doc[t.left_edge.i - 1].text in (",", "—", "–", "--")]
        if not tails:
            return end
        end = min(t.left_edge.i for t in tails) - 1


_ARGUMENTS = {"dobj", "dative", "oprd", "prep", "ccomp", "xcomp", "acomp", "attr"}
#: What may stand between a verb and its colon: "told reporters on Monday: ..."
_BEFORE_COLON = {"npadvmod", "advmod", "prep", "pobj", "det", "compound", "amod", "dative"}
#: Prepositions of time and occasion: "criticized him during the debate" reports what was
#: criticized, not when. (Place prepositions stay: the parser often hangs a noun's own modifier
#: on the verb, "touted his victories in various states"; on PolNeAR train that outweighs "in an
#: interview".)
_CIRCUMSTANCE = {"during", "after", "before", "since", "until", "amid", "while", "despite"}


#: Where or when something was said, not what: "praised X at a press conference", "shared the
#: news on social media" (only where the parser hangs the phrase on the verb: cutting it from a
#: noun, or cutting what follows it, cost more on PolNeAR train than it gained).
_OCCASIONS = {
    "conference", "rally", "interview", "speech", "op-ed", "event", "debate", "media", "statement", "appearance",
    "hearing", "meeting", "forum", "town", "video", "radio", "television", "tv", "show", "program", "programme",
    "broadcast", "tweet", "post", "letter", "email", "press", "briefing", "remarks", "address", "visit", "stop",
    "campaign", "trail", "medium", "ed", "twitter", "facebook", "instagram", "message", "column", "editorial",
    "essay", "book", "memo", "release", "session", "summit", "convention", "ceremony", "dinner", "breakfast",
}


def _occasion(prep) -> bool:
    """A phrase of the occasion ('at a rally in Iowa', 'on social media') or time ('on Monday')."""
    if prep.lower_ not in ("in", "at", "on", "via", "through") or (
            prep.head.pos_ == "VERB" and prep.i == prep.head.i + 1):
        return False
    objs = [g for g in prep.children if g.dep_ == "pobj"]
    return bool(objs) and (lemma(objs[0]) in _OCCASIONS or objs[0].ent_type_ in ("DATE", "TIME"))


def _object_modifier(c) -> bool:
    """An infinitive or participle the parser hung on the verb that modifies its object
    ('backed his call to raise the wage', 'recalled her father teaching her to shoot'), which
    annotators keep with the object: not one set off by a comma or opened by a conjunction
    ('..., saying ...', 'because ...')."""
    if c.dep_ != "advcl":
        return False
    doc = c.doc
    if doc[c.left_edge.i - 1].text in _TRIM or any(m.dep_ == "mark" for m in c.children):
        return False
    return c.tag_ == "VBG" or _has_child(c, "aux", "to")


def _right_side(verb) -> tuple[int, int]:
    """The verb's complements to its right ("criticized Clinton for supporting the bill"),
    without a coordinated verb, an adverbial clause (but for an object's infinitive or participle
    the parser hung on the verb) or a phrase of time and place."""
    doc = verb.doc
    args = [c for c in verb.children if c.i > verb.i and (c.dep_ in _ARGUMENTS or _object_modifier(c))
            and not (c.dep_ == "prep" and (c.lower_ in _CIRCUMSTANCE or _occasion(c)))]
    if not args:  # the object stands before the verb ("the plan, which he criticized")
        obj = [c for c in verb.children if c.dep_ == "dobj"]
        return subtree(obj[0]) if obj else (verb.i + 1, verb.right_edge.i + 1)
    start = min(c.left_edge.i for c in args)
    end = max(c.right_edge.i for c in args) + 1
    return start, end


#: Frames whose content goes on past a colon that closes it: "suggested that she has three tasks: ..."
_COLON_FRAMES = {"clause", "object", "infinitive", "prepositions"}


def _through_colon(doc, content: tuple[int, int]) -> tuple[int, int]:
    """``content`` with what follows a colon right after it, to the end of the sentence: annotators
    take the list or statement the colon announces as part of what was said."""
    end = content[1]
    if end < len(doc) and doc[end].text == ":":
        longer = trimmed(doc, content[0], doc[end].sent.end)
        if longer is not None and longer[1] > end + 1:
            return longer
    return content


def _prepositional(verb, preps: frozenset[str]):
    for c in verb.children:
        if c.dep_ == "advcl" and c.i > verb.i:
            # "called for the United States to take ...": the parser makes 'for' the mark of a clause
            mark = [m for m in c.children if m.dep_ == "mark" and m.lower_ in preps and m.i == verb.i + 1]
            if mark:
                return (verb.i, mark[0].i + 1), (mark[0].i + 1, c.right_edge.i + 1)
        if c.dep_ == "prep" and c.lower_ in preps:
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                o = objs[0]
                return (verb.i, c.i + 1) if c.i == verb.i + 1 else (verb.i, verb.i + 1), subtree(o)
        if c.dep_ == "prt" and c.lower_ in preps:  # "looked forward to", "backed away from"
            for g in c.children:
                if g.dep_ == "prep":
                    objs = [x for x in g.children if x.dep_ in ("pobj", "pcomp")]
                    if objs:
                        return (verb.i, g.i + 1), subtree(objs[0])
    return None


def find_cues(doc) -> list[Cue]:
    """Every attribution cue of the parsed ``doc`` with its content and speaker, in text order."""
    lex = lexicon()
    out: list[Cue] = []
    for tok in doc:
        got = None
        low = tok.lower_
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            got = _according(tok, 2)
        elif low == "in" and tok.dep_ == "prep" and _in_source(tok, lex):
            got = _according(tok, 1)
        elif low in _HEARSAY and tok.dep_ == "advmod":
            got = _hearsay(tok)
        elif tok.lemma_ == "be" and tok.dep_ not in ("aux", "auxpass") and _said_noun_subject(tok):
            got = _copula(tok)
        elif tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
            got = _anaphoric(tok) or _verb(tok, lex)
        elif tok.pos_ == "NOUN" and (lemma(tok) in lex.nouns or lemma(tok) in _OWNED):
            got = _noun(tok)
        elif tok.dep_ == "acomp" and tok.lower_ in _STANCE:
            got = _stance(tok)
        elif tok.text == ":" and tok.i > 0:
            got = _label_cue(tok)
        if got is not None:
            out.append(got)
    _outer_speakers(doc, out)
    return out


def _outer_speakers(doc, cues: list[Cue]) -> None:
    """'Kasich says he'd sit Putin down and tells the crowd ...': a cue inside what someone else
    says whose speaker is a pronoun, or a cue verb without a subject that the parser conjoined
    to the reported clause, speaks for the outer speaker (as annotators credit it)."""
    by_sent: dict[int, list[Cue]] = {}
    for o in cues:
        if o.frame == "clause" and o.speaker is not None and not o.content[0] <= o.speaker[0] < o.content[1]:
            by_sent.setdefault(doc[o.head].sent.start, []).append(o)
    if not by_sent:
        return
    speech = lexicon().frames["clause"]
    for c in cues:
        tok = doc[c.head]
        pronoun = c.speaker is not None and c.speaker[1] - c.speaker[0] == 1 and doc[c.speaker[0]].lower_ in SUBJECT_PRONOUNS
        conj = tok.dep_ == "conj" and lemma(tok) in speech and not any(g.dep_ in _SUBJECTS for g in tok.children)
        if not (pronoun or conj):
            continue
        for o in by_sent.get(tok.sent.start, ()):
            if o is not c and _complement_of(tok, o.head) and (
                    conj or o.content[0] <= c.speaker[0] < o.content[1]):
                c.speaker, c.antecedent = o.speaker, o.antecedent
                break


def _complement_of(tok, head: int) -> bool:
    """``tok`` is (a conjunct of) the clause reported by the verb at ``head``, not in a relative
    clause or a noun phrase under it ('which he described as', 'what it says about')."""
    for _ in range(8):
        if tok.dep_ not in ("ccomp", "conj", "xcomp") or tok.head is tok:
            return False
        tok = tok.head
        if tok.i == head:
            return True
    return False


def _verb(tok, lex: Lexicon) -> Cue | None:
    doc = tok.doc
    lem = lemma(tok)
    found = None
    for frame in lex.verb_frames(lem):
        got = _content(tok, frame, lex)
        if got and frame == "clause" and got[1][0] <= tok.i < got[1][1] and tok.dep_ != "parataxis":
            first = doc[got[1][0]]
            if first.lower_ in _RELATIVE and first.dep_ in ("nsubj", "nsubjpass") and tok.i + 1 < got[1][1]:
                # "the changes, which officials said will go into effect": what follows the cue
                got = (got[0], (tok.i + 1, got[1][1]))
            else:
                got = None  # a reported clause holding its own cue is a misparse ("what he said about it")
        if got:
            found = (frame, *got)
            break
    if found is None and lem in lex.prepositions:
        got = _prepositional(tok, lex.prepositions[lem])
        if got:
            found = ("prepositions", *got)
    if found is None and (lem in lex.frames["clause"] or put_it(tok)) and tok.dep_ == "advcl" and _has_child(
            tok, "mark", "as"):
        got = _as_host(tok)
        if got:
            found = ("as", *got)
    if found is None and lem in _SEEM:
        got = _seeming(tok)
        if got:
            return got
    if found is None and lem in lex.light_verbs:
        got = _light(tok, lex.light_nouns)
        if got:
            found = ("light", *got)
    if found is None:
        return None
    frame, cue, content = found
    if frame != "clause":
        content = (content[0], _without_asides(doc, *content))
    if lem in _ANSWERING and frame in ("object", "prepositions") and _asked(doc, content):
        return None  # "answering the question of journalists": the question is someone else's
    content = trimmed(doc, *content)
    if content is None:
        return None
    if frame in _COLON_FRAMES:
        content = _through_colon(doc, content)
    who = speaker_of(tok)
    return Cue(cue, content, who[0] if who else None, frame, tok.i, who[1] if who else None)


#: Verbs of answering, and what they answer: another's question is not the answerer's statement.
_ANSWERING = {"answer", "respond", "reply"}
_ASKED = {"question", "query", "inquiry", "enquiry", "request", "questioning"}


def _asked(doc, content: tuple[int, int]) -> bool:
    """The content is headed by a question ('the question of journalists whether ...')."""
    heads = [t for t in doc[content[0]:content[1]] if not content[0] <= t.head.i < content[1] or t.head is t]
    return bool(heads) and lemma(heads[0]) in _ASKED


def put_it(verb) -> bool:
    """'as X put it': 'put' with 'it' as its object speaks."""
    return verb.lemma_ == "put" and _has_child(verb, "dobj", "it")


def _as_host(verb):
    """'As the Post reported, X ...': the clause the 'as' phrase modifies, without the phrase."""
    host = verb.head
    if host is verb or host.pos_ not in ("VERB", "AUX") or any(
            c.dep_ == "ccomp" or c.dep_ == "dobj" and c.lower_ != "it" for c in verb.children):
        return None
    hs, he = subtree(host)
    vs, ve = subtree(verb)
    content = (ve, he) if vs <= hs else (hs, vs) if ve >= he else None
    return ((verb.i, verb.i + 1), content) if content else None


#: Verbs of appearance: "Trump seemed fixated on China" attributes a view of Trump, to Trump as annotators mark it.
_SEEM = {"seem", "appear"}


def _seeming(verb) -> Cue | None:
    """'X seemed (to be) Y': the content is X with Y, round the cue; X is the speaker."""
    comp = [c for c in verb.children if c.dep_ in ("xcomp", "oprd", "acomp", "attr", "ccomp")]
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if not comp:
        return None
    start = min([c.left_edge.i for c in subj + comp])
    end = max(c.right_edge.i for c in comp) + 1
    content = trimmed(verb.doc, start, end)
    # the one who seems is its source, as annotators mark it ('Stumpf appeared to blame ...'),
    # though it stands inside the content; not 'it', 'there' or 'what'
    who = [c for c in subj if c.dep_ != "expl" and c.lower_ not in ("it", "there", "what", "which", "this", "that")]
    speaker = trimmed(verb.doc, *subtree(who[0]), marks=True) if who else None
    return Cue((verb.i, verb.i + 1), content, speaker, "seem", verb.i) if content else None


def _light(verb, nouns: frozenset[str]):
    """'raised questions about X', 'expressed concern that X': (cue, content) or None."""
    for obj in verb.children:
        if obj.dep_ == "dobj" and lemma(obj) in nouns:
            after = [c for c in obj.children if c.i > obj.i and c.dep_ in ("prep", "acl", "ccomp", "relcl")]
            after += [c for c in verb.children if c.i > obj.i and c.dep_ in ("prep", "ccomp")]
            if after:
                return (verb.i, obj.i + 1), (min(c.left_edge.i for c in after), max(c.right_edge.i for c in after) + 1)
    return None


#: Adjectives of a stance held by the subject of 'be': "his supporters are optimistic that ...".
_STANCE = {
    "optimistic", "pessimistic", "confident", "convinced", "sure", "certain", "concerned", "worried",
    "hopeful", "skeptical", "sceptical", "aware", "adamant", "unsure", "uncertain", "doubtful", "afraid",
    "fearful", "eager", "anxious", "critical", "supportive", "opposed", "unhappy", "happy", "pleased",
    "disappointed", "frustrated", "angry", "upset", "furious", "satisfied", "dissatisfied", "wary", "nervous",
    "enthusiastic", "proud", "determined", "insistent", "open", "willing", "unwilling", "reluctant", "glad",
    "tired", "undecided", "focused", "impressed", "unimpressed", "upbeat", "fond", "keen", "bullish", "bearish",
    "resigned", "alarmed", "troubled", "puzzled", "surprised", "shocked", "outraged", "appalled", "grateful",
    "clear", "unclear", "evident", "obvious", "apparent",
}
#: Stance adjectives that take 'it' as a dummy subject: no speaker.
_IMPERSONAL = {"clear", "unclear", "evident", "obvious", "apparent"}


#: Nouns whose content a copula gives: "Their fear is that ...", "the question is whether ...".
_SAID_NOUNS = {
    "fear", "question", "hope", "concern", "worry", "view", "argument", "point", "message", "slogan", "claim",
    "theory", "belief", "position", "goal", "aim", "promise", "pitch", "line", "mantra", "motto", "answer",
    "response", "reply", "explanation", "conclusion", "assessment", "verdict", "focus", "priority", "complaint",
    "contention", "suggestion", "warning", "thinking", "assumption", "expectation", "bet", "hunch", "sense",
}


def _said_noun_subject(be):
    subj = [c for c in be.children if c.dep_ == "nsubj"]
    return subj[0] if subj and subj[0].pos_ == "NOUN" and lemma(subj[0]) in _SAID_NOUNS else None


def _copula(be) -> Cue | None:
    """'Their fear is that ...': the clause after the copula, with the noun's owner as speaker."""
    noun = _said_noun_subject(be)
    comp = [c for c in be.children if c.i > be.i and c.dep_ in ("ccomp", "xcomp", "attr")]
    if noun is None or not comp:
        return None
    content = trimmed(be.doc, comp[0].left_edge.i, comp[-1].right_edge.i + 1)
    if content is None:
        return None
    poss = [c for c in noun.children if c.dep_ == "poss"]
    speaker = trimmed(be.doc, *subtree(poss[0]), marks=True) if poss else None
    if speaker is not None and be.doc[speaker[1] - 1].text in ("'s", "’s", "'", "’"):
        speaker = trimmed(be.doc, speaker[0], speaker[1] - 1)
    return Cue((noun.i, be.i + 1), content, speaker, "copula", be.i)


def _stance(adj) -> Cue | None:
    """'X is optimistic that ...', 'X is critical of ...', 'X was eager to ...': the complement,
    with the subject of the copula as the speaker."""
    comp = [c for c in adj.children if c.i > adj.i and (
        c.dep_ in ("ccomp", "xcomp") or c.dep_ == "prep" and c.lower_ in ("of", "about", "with", "that", "over"))]
    if not comp and adj.lower_ in _IMPERSONAL:  # "it's not clear [either company has ...]" hangs on 'is'
        comp = [c for c in adj.head.children if c.i > adj.i and c.dep_ == "ccomp"]
    if not comp:
        return None
    c = comp[0]
    content = trimmed(adj.doc, *(subtree(c) if c.dep_ != "prep" else (c.i + 1, c.right_edge.i + 1)))
    if content is None:
        return None
    cop = adj.head
    cue = (cop.i, adj.i + 1) if cop.i < adj.i and adj.i - cop.i <= 2 else (adj.i, adj.i + 1)
    if adj.lower_ in _IMPERSONAL:
        # "it is not clear whether ...": a view nobody in particular holds
        if not any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in cop.children):
            return None
        return Cue(cue, content, None, "stance", adj.i)
    who = speaker_of(cop)
    return Cue(cue, content, who[0] if who else None, "stance", adj.i, who[1] if who else None)


#: Adverbs that attribute a statement to nobody in particular ("Trump reportedly told aides").
_HEARSAY = {"reportedly", "allegedly", "purportedly"}
#: What a statement can come "in": "In a statement, the ministry ...", "in a new poll, ...".
_SOURCES = {
    "poll", "survey", "statement", "interview", "letter", "tweet", "report", "study", "book", "speech",
    "op-ed", "column", "memo", "post", "video", "ad", "advertisement", "editorial", "essay", "filing",
    "release", "email", "message", "remarks", "testimony", "memoir", "article", "analysis", "opinion",
}


def _in_source(tok, lex: Lexicon) -> bool:
    """"In a statement, ..." opening a sentence whose clause has no cue of its own."""
    objs = [c for c in tok.children if c.dep_ == "pobj"]
    if not objs or lemma(objs[0]) not in _SOURCES or tok.head.pos_ not in ("VERB", "AUX"):
        return False
    doc = tok.doc
    end = tok.right_edge.i + 1
    if tok.i != tok.sent.start or end >= len(doc) or doc[end].text != ",":
        return False  # only a phrase that opens its sentence: "In a new poll, ..."
    return lemma(tok.head) not in lex.verbs


def _hearsay(tok) -> Cue | None:
    """'X reportedly told aides ...': the clause, with no speaker."""
    head = tok.head
    if head.pos_ not in ("VERB", "AUX"):
        return None
    start, end = subtree(head)
    if start == tok.i:
        start += 1
    content = trimmed(tok.doc, start, end)
    if content is None:
        return None
    return Cue((tok.i, tok.i + 1), content, None, "hearsay", tok.i)


def _label_cue(colon) -> Cue | None:
    """'Pat Caddell: Democrat voters worried ...' at the start of a paragraph (headlines and
    transcripts): the name speaks the rest of the paragraph."""
    doc = colon.doc
    first = colon.sent.start
    if first > 0 and not (doc[first - 1].is_space and "\n" in doc[first - 1].text):
        return None  # not at the start of a paragraph
    start = first
    who = label_speaker(doc, start, colon.i)
    if who is None:
        return None
    end = colon.i + 1
    while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
        end += 1
    content = trimmed(doc, colon.i + 1, end)
    if content is None or content[1] - content[0] < 3:
        return None
    return Cue((colon.i, colon.i + 1), content, who, "label", colon.i)


def label_speaker(doc, start: int, colon: int) -> tuple[int, int] | None:
    """The speaker of 'NAME: ...': up to five words naming a person or body, no verb."""
    while start < colon and (doc[start].is_punct or doc[start].is_space):
        start += 1
    words = doc[start:colon]
    # a word in capitals is a transcript's name whatever the tagger makes of it ('WALLACE')
    if not 0 < len(words) <= 5 or any(t.pos_ in ("VERB", "AUX") and not t.is_upper for t in words):
        return None
    if any(t.lower_ in _NOT_SPEAKERS for t in words) or words[-1].ent_type_ in _NOT_SPEAKER_ENTS:
        return None  # a heading, or a dateline or time ('WASHINGTON:')
    if words[-1].ent_type_ in ("PERSON", "ORG") or all(t.is_upper and t.is_alpha and len(t) > 2 for t in words):
        return start, colon
    return None


#: Words of a heading, not a speaker, before a colon ("BREAKING:", "UPDATE:", "Q:").
_NOT_SPEAKER_ENTS = {"GPE", "LOC", "DATE", "TIME", "CARDINAL", "FAC"}
_NOT_SPEAKERS = {
    "breaking", "update", "updated", "exclusive", "note", "editor", "watch", "photo", "photos", "video",
    "read", "related", "source", "sources", "stat", "week", "boom", "wow", "more", "see", "correction",
    "warning", "live", "analysis", "opinion", "poll", "report", "q", "a",
}


_MADE = {"make", "voice", "express", "issue", "deliver"}
_STATEMENTS = {"statement", "remark", "comment", "word", "announcement", "assessment", "claim", "this", "that"}


def _anaphoric(verb) -> Cue | None:
    """'This statement was made by X': X said the sentence before it (same paragraph). A cue in
    that sentence ('The leadership expects ...') is then part of X's statement."""
    if verb.dep_ != "ROOT" or lemma(verb) not in _MADE:
        return None
    doc = verb.doc
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if subj is None or by is None or lemma(subj) not in _STATEMENTS:
        return None
    if subj.lower_ not in ("this", "that") and not any(
            c.dep_ == "det" and c.lower_ in ("this", "that", "these", "those") for c in subj.children):
        return None  # 'A statement was made by X' points at nothing before it
    start = verb.sent.start
    k = start - 1
    while k >= 0 and doc[k].is_space:
        if "\n" in doc[k].text:
            return None  # the sentence before is in another paragraph
        k -= 1
    if k < 0:
        return None
    before = doc[k].sent
    content = trimmed(doc, before.start, before.end)
    speaker = trimmed(doc, *subtree(by), marks=True)
    if content is None or speaker is None:
        return None
    return Cue((verb.i, verb.i + 1), content, speaker, "anaphoric", verb.i)


def _according(tok, width: int) -> Cue | None:
    """``according to X, ...`` (``width`` 2) or ``in a statement, ...`` (1): X speaks the clause
    the phrase modifies."""
    doc = tok.doc
    to = doc[tok.i + width - 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    prep = tok if tok.dep_ == "prep" else (to if to.dep_ == "prep" else tok)
    speaker = trimmed(doc, *subtree(objs[0]), marks=True) if objs else None
    host = prep.head
    while host.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "parataxis") and host.head is not host:
        host = host.head  # up to the clause, and up a chain of conjoined clauses ("A, B and C, according to X")
    sent = tok.sent
    ps, pe = subtree(prep)
    hs, he = trimmed(doc, *subtree(host)) or subtree(host) if host.i != prep.i else (sent.start, sent.end)
    # the host clause minus the "according to X" phrase, on whichever side it stands
    if ps <= hs:
        content = (pe, he)
    elif pe >= he:
        content = (hs, ps)
    else:
        content = (hs, he)
    content = trimmed(doc, *content)
    if content is None:
        return None
    return Cue((tok.i, tok.i + width), content, speaker, "according" if width == 2 else "in", tok.i)


def _noun(tok) -> Cue | None:
    """``the claim that ...`` / ``Trump's claim that ...`` / ``his promise to build a wall`` /
    ``Francis' remarks about him`` (the last two only with an owner who speaks)."""
    doc = tok.doc
    speaker = noun_owner(tok)
    comp = [c for c in tok.children if c.dep_ in ("acl", "ccomp") and _has_child(c, "mark", "that")]
    cue = (tok.i, tok.i + 1)
    if not comp and speaker is not None and lemma(tok) in _OWNED:
        comp = [c for c in tok.children if c.dep_ == "acl" and _has_child(c, "aux", "to")]
        if not comp:
            preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in _NOUN_PREPS and c.i > tok.i]
            objs = [g for p in preps[:1] for g in p.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                comp, cue = objs[:1], (tok.i, preps[0].i + 1)
    if not comp:
        return None
    antecedent = None
    if speaker is None:
        # no owner: whoever the clause it stands in speaks for, as annotators credit it ("X made
        # the claim that ...", "X entered the debate with an argument that ...")
        who = speaker_of(tok)
        speaker, antecedent = who if who else (None, None)
    content = trimmed(doc, *subtree(comp[0]))
    if content is None:
        return None
    return Cue(cue=cue, content=content, speaker=speaker, frame="nouns", head=tok.i, antecedent=antecedent)


#: Entity types of a name compounded to a noun cue that owns it ('the Trump claim that').
_OWNER_ENTS = {"PERSON", "ORG", "NORP", "GPE"}


def _possessor(tok) -> tuple[int, int] | None:
    doc = tok.doc
    poss = [c for c in tok.children if c.dep_ == "poss"]
    speaker = trimmed(doc, *subtree(poss[0]), marks=True) if poss else None
    if speaker is not None and doc[speaker[1] - 1].text in ("'s", "’s", "'", "’"):
        speaker = trimmed(doc, speaker[0], speaker[1] - 1)
    return speaker


def noun_owner(tok) -> tuple[int, int] | None:
    """Who speaks through a noun cue: its possessor ('Trump's claim'), a name compounded to it
    ('the Trump claim that', and 'Trump claims that ...' where the parser took the verb for a
    noun), the possessor of the noun it is conjoined to ('his remarks and a tacit
    acknowledgment that ...') or the object of its 'from'/'by' ('warnings from his attorney');
    None when it has none."""
    doc = tok.doc
    own = _possessor(tok)
    if own is not None:
        return own
    names = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i and c.ent_type_ in _OWNER_ENTS]
    if names:
        return trimmed(doc, *subtree(names[-1]), marks=True)
    if tok.dep_ == "conj" and tok.head.pos_ == "NOUN":
        own = _possessor(tok.head)
        if own is not None:
            return own
    by = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "by") and c.i > tok.i
          for g in c.children if g.dep_ == "pobj"]
    if by:
        return trimmed(doc, *subtree(by[0]), marks=True)
    return None


_NOUN_PREPS = {"of", "about", "on", "against", "for", "to", "regarding"}
#: Nouns that say what their owner said or stands for: "his promise to build a wall",
#: "Trump's attack on Clinton", "her opposition to the deal".
_OWNED = {
    "claim", "statement", "promise", "pledge", "vow", "threat", "call", "demand", "proposal", "remark",
    "comment", "criticism", "attack", "praise", "announcement", "endorsement", "opposition", "warning",
    "accusation", "allegation", "denial", "admission", "defense", "defence", "apology", "suggestion",
    "insistence", "assertion", "argument", "complaint", "plea",
    # stances: "her long support for stem cell research", "Kaine's embrace of the position"
    "support", "embrace", "dislike", "view", "assessment", "declaration", "reference", "request", "backing",
    "rejection", "condemnation", "disdain", "contempt", "admiration", "critique", "dismissal", "characterization",
    "description", "distaste", "skepticism", "scepticism",
}


__all__ = ["Cue", "Lexicon", "find_cues", "lexicon", "noun_owner", "put_it", "speaker_of"]
