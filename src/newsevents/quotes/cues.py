"""Attribution cues in the dependency parse: who said, wrote, thought or claimed what.

Each cue is a word of the lexicon (``data/quotes/cues.yaml``) in one of its frames:

- clause: ``X said (that) ...``, ``..., X said`` (the complement clause, ``ccomp``), or the
  host clause of a parenthetical ``..., he said, ...`` (``parataxis``), or what follows a colon;
- object: ``X praised the deal`` (``dobj``); naming: ``X called the plan "a disaster"``;
- infinitive: ``X vowed to fight on`` (``xcomp``); prepositions: ``X called for a ban``;
- nouns: ``his claim that ...``; and ``according to X, ...``.

The speaker is the cue's subject (``nsubj``), the agent of a passive (``by X``), the subject
of the verb a participle or infinitive hangs from (``..., saying ...``), the antecedent of a
relative pronoun (``Mr. Reid, who said ...``) or the owner of a noun cue (``Trump's claim``).
Every function here is one pass over the tokens of a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from ..data import data_path

#: Frames in the order they are tried for a verb that has several.
FRAMES = ("clause", "naming", "object", "infinitive")
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_CLIMB = {"xcomp", "advcl", "conj", "pcomp", "acl", "ccomp"}
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


@dataclass(frozen=True)
class Lexicon:
    frames: dict[str, frozenset[str]]
    prepositions: dict[str, frozenset[str]]
    nouns: frozenset[str]

    def verb_frames(self, lemma: str) -> list[str]:
        return [f for f in FRAMES if lemma in self.frames[f]]

    @property
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
    )


def lemma(tok) -> str:
    return tok.lemma_.lower()


def trimmed(doc, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without edge punctuation and whitespace; None when nothing is left."""
    while start < end and (doc[start].is_space or doc[start].text in _TRIM):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in _TRIM):
        end -= 1
    return (start, end) if end > start else None


def subtree(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def speaker_of(verb) -> tuple[int, int] | None:
    """The token range of who speaks through ``verb`` (see the module docstring)."""
    tok = verb
    for _ in range(4):
        subj = [c for c in tok.children if c.dep_ in _SUBJECTS and c.dep_ != "nsubjpass"]
        if not subj:
            agent = [c for c in tok.children if c.dep_ == "agent"]
            objs = [g for a in agent for g in a.children if g.dep_ == "pobj"]
            if objs:
                return trimmed(objs[0].doc, *subtree(objs[0]))
        if subj:
            # the subject nearest the verb (a misparse can hang a second one further away)
            s = min(subj, key=lambda c: abs(c.i - tok.i))
            if s.lower_ in _RELATIVE and tok.dep_ == "relcl":
                head = tok.head
                start = head.left_edge.i
                end = min(tok.left_edge.i, s.i)
                return trimmed(tok.doc, start, end)
            if s.pos_ in ("PRON", "NOUN", "PROPN", "NUM", "DET", "ADJ", "X"):
                return trimmed(tok.doc, *subtree(s))
            return None
        if tok.dep_ in _CLIMB and tok.head is not tok:
            tok = tok.head
            continue
        return None
    return None


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
            c = min(comp, key=lambda c: abs(c.i - verb.i))
            return cue, subtree(c)
        # "..., he said, ..." : the verb hangs from the clause it reports
        if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i < verb.i and verb.head.pos_ in ("VERB", "AUX"):
            host = verb.head
            if lemma(host) not in lex.verbs and any(c.dep_ in _SUBJECTS for c in kids):
                start, end = subtree(host)
                vs, _ = subtree(verb)
                return cue, (start, vs)
        # "X said: ..." : the rest of the sentence after the colon
        after = verb.i + 1
        while after < len(doc) and after < verb.right_edge.i + 1 and doc[after].dep_ in ("npadvmod", "advmod", "prep", "pobj", "det", "compound", "amod", "dative") and doc[after].text != ":":
            after += 1
        if after < len(doc) and doc[after].text == ":":
            end = verb.sent.end
            if end > after + 1:
                return (verb.i, after + 1), (after + 1, end)
        return None
    if frame == "naming":
        obj = [c for c in kids if c.dep_ == "dobj"]
        pred = [c for c in kids if c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")]
        if obj and pred:
            start = min(obj[0].left_edge.i, min(p.left_edge.i for p in pred))
            end = max(obj[0].right_edge.i, max(p.right_edge.i for p in pred)) + 1
            return cue, (start, end)
        if obj and any(c.dep_ == "prep" and c.lower_ == "as" for c in obj[0].children):
            return cue, subtree(obj[0])
        return None
    if frame == "object":
        obj = [c for c in kids if c.dep_ == "dobj"]
        if obj:
            return cue, subtree(obj[0])
        return None
    if frame == "infinitive":
        comp = [c for c in kids if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
        if comp:
            c = comp[0]
            if any(t.dep_ == "aux" and t.lower_ == "to" for t in c.children):
                return cue, subtree(c)
        return None
    return None


def _prepositional(verb, preps: frozenset[str]):
    for c in verb.children:
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
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            got = _according(tok)
            if got:
                out.append(got)
        elif tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
            lem = lemma(tok)
            found = None
            for frame in lex.verb_frames(lem):
                got = _content(tok, frame, lex)
                if got:
                    found = (frame, *got)
                    break
            if found is None and lem in lex.prepositions:
                got = _prepositional(tok, lex.prepositions[lem])
                if got:
                    found = ("prepositions", *got)
            if found is None:
                continue
            frame, cue, content = found
            content = trimmed(doc, *content)
            if content is None:
                continue
            out.append(Cue(cue=cue, content=content, speaker=speaker_of(tok), frame=frame, head=tok.i))
        elif tok.pos_ == "NOUN" and lemma(tok) in lex.nouns:
            got = _noun(tok)
            if got:
                out.append(got)
    return out


def _according(tok) -> Cue | None:
    """``according to X, ...``: X speaks the clause the phrase modifies."""
    doc = tok.doc
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    prep = tok if tok.dep_ == "prep" else (to if to.dep_ == "prep" else tok)
    speaker = trimmed(doc, *subtree(objs[0])) if objs else None
    host = prep.head
    while host.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis") and host.head is not host:
        host = host.head
    sent = tok.sent
    ps, pe = subtree(prep)
    hs, he = subtree(host) if host.i != prep.i else (sent.start, sent.end)
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
    return Cue(cue=(tok.i, tok.i + 2), content=content, speaker=speaker, frame="according", head=tok.i)


def _noun(tok) -> Cue | None:
    """``the claim that ...`` / ``Trump's claim that ...``."""
    comp = [c for c in tok.children if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
    if not comp:
        return None
    poss = [c for c in tok.children if c.dep_ == "poss"]
    speaker = trimmed(tok.doc, *subtree(poss[0])) if poss else None
    if speaker is not None and tok.doc[speaker[1] - 1].text in ("'s", "’s", "'", "’"):
        speaker = trimmed(tok.doc, speaker[0], speaker[1] - 1)
    if speaker is None and tok.dep_ == "dobj" and lemma(tok.head) in _LIGHT:
        speaker = speaker_of(tok.head)  # "X made the claim that ..."
    content = trimmed(tok.doc, *subtree(comp[0]))
    if content is None:
        return None
    return Cue(cue=(tok.i, tok.i + 1), content=content, speaker=speaker, frame="nouns", head=tok.i)


__all__ = ["Cue", "Lexicon", "find_cues", "lexicon", "speaker_of"]
