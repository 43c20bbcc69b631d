"""The learned attribution cues: a classifier over the predicates of the parse.

PolNeAR annotates every attribution of a statement, a belief, a stance or evidence (``X
supported Sanders``, ``the poll showed ...``), with hundreds of different cue words: a list
written by hand (``data/quotes/cues.yaml``) covers the frequent ones only. Here every verb,
stance adjective and noun with a complement that the rules did not take as a cue is a
*candidate*: for each frame its dependencies allow (the complement clause, the naming, the
object, the infinitive, a preposition's object, the noun's complement) the content is read off
the parse exactly as the rules read it (:mod:`.cues`), and a logistic regression says how
likely that content is an attribution, from the words and the parse around the predicate: its
lemma and the learned share of its occurrences in PolNeAR train that are cues, the frame, the
subject (a name, a pronoun, an organisation, none), negation, modality, whether it stands in
what another cue reports, the content's length. Candidates above the threshold become reported
quotes; the same model, with the rule's name as a feature, also scores the rules' own quotes
and drops those it finds unlikely (:func:`score_rule_quote`).

The weights (``data/quotes/predicates.json``: feature weights, the per-lemma cue rates, the
threshold and the cross-validated figures with the training data's sha256) are written by
``newsevents train quotes`` (:mod:`.learn`); no PolNeAR text is kept, only the weights.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data import data_path
from ..nlp import sentence_numbers
from ..vocab import QUOTE_MARKS, SUBJECT_PRONOUNS
from .cues import (
    _ANSWERING, _ASKED, Cue, _asked, _content, _light, _prepositional, _RELATIVE, _without_asides, lexicon, lemma, noun_owner,
    speaker_of, subtree, trimmed,
)

WEIGHTS_FILE = "predicates.json"
#: Prepositions whose object a candidate predicate may report ('worried about X', 'voted for X').
_PREPS = frozenset({"for", "against", "about", "on", "to", "of", "with", "over", "at", "into", "from", "in", "as"})
#: Frames tried for a verb, as in the rules (:data:`.cues.FRAMES`) plus prepositions.
_VERB_FRAMES = ("clause", "naming", "object", "infinitive")
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_PREDICATE_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})
_MODALS = {"will", "would", "could", "can", "may", "might", "should", "must", "shall"}


@dataclass
class Candidate:
    """A predicate in one frame: its cue, content and speaker (token ranges) and its features."""

    cue: Cue
    features: list[str]


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8-15" if n <= 15 else "16-30" if n <= 30 else "31+"


def _frames(tok) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(frame, cue range, content range) for each frame the token's dependencies allow."""
    out = []
    lex = lexicon()
    if tok.pos_ in ("VERB", "AUX"):
        for frame in _VERB_FRAMES:
            got = _content(tok, frame, lex)
            if got:
                out.append((frame, *got))
        got = _prepositional(tok, _PREPS)
        if got:
            out.append(("prepositions", *got))
        if lemma(tok) in lex.light_verbs or lemma(tok) in ("make", "have", "give", "take", "express", "raise"):
            got = _light(tok, lex.light_nouns | lex.nouns)
            if got:
                out.append(("light", *got))
    elif tok.pos_ == "ADJ":
        comp = [c for c in tok.children if c.i > tok.i and (
            c.dep_ in ("ccomp", "xcomp") or c.dep_ == "prep" and c.lower_ in _PREPS)]
        if comp:
            c = comp[0]
            cop = tok.head
            cue = (cop.i, tok.i + 1) if cop.i < tok.i and tok.i - cop.i <= 2 else (tok.i, tok.i + 1)
            out.append(("stance", cue, subtree(c) if c.dep_ != "prep" else (c.i + 1, c.right_edge.i + 1)))
    elif tok.pos_ == "NOUN":
        comp = [c for c in tok.children if c.i > tok.i and c.dep_ in ("acl", "ccomp") and any(
            g.dep_ in ("mark", "aux") and g.lower_ in ("that", "to") for g in c.children)]
        if comp:
            out.append(("nouns", (tok.i, tok.i + 1), subtree(comp[0])))
        else:
            preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in _PREPS and c.i == tok.i + 1]
            objs = [g for p in preps for g in p.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                out.append(("nouns", (tok.i, preps[0].i + 1), subtree(objs[0])))
    return out


def _possible(tok) -> bool:
    """Whether the token can head an attribution at all (cheap tests first)."""
    pos = tok.pos_
    if pos == "VERB" or pos == "AUX" and tok.dep_ not in ("aux", "auxpass"):
        return True
    if pos == "ADJ":
        return tok.dep_ in ("acomp", "amod") and tok.n_rights > 0
    if pos == "NOUN":
        return tok.n_rights > 0
    return False


def _answered(noun) -> bool:
    """The noun is what a verb of answering answers ('answering the question', 'responded to
    questions')."""
    head = noun.head.head if noun.dep_ == "pobj" else noun.head
    return lemma(head) in _ANSWERING


def _owner(doc, tok) -> tuple[int, int] | None:
    """The possessor of a noun cue ('Trump's claim'), without its 's."""
    poss = [c for c in tok.children if c.dep_ == "poss"]
    if not poss:
        return None
    span = trimmed(doc, *subtree(poss[0]), marks=True)
    if span is not None and doc[span[1] - 1].text in ("'s", "’s", "'", "’"):
        span = trimmed(doc, span[0], span[1] - 1)
    return span


def candidates(doc, skip: set[int], in_quote: list[bool], contents: list[tuple[int, int]],
               rates: dict[str, float], min_rate: float = 0.0, sents: list[int] | None = None) -> list[Candidate]:
    """The candidate attributions of a parse: every possible predicate outside quote marks whose
    index is not in ``skip`` (the rules' cues), in each frame it allows. ``contents`` are the
    token ranges of the rules' quotes (a candidate inside one is nested in a statement);
    ``rates`` the per-lemma cue rates learned on train: a word seen on train whose rate is below
    ``min_rate`` is no candidate (most nouns and verbs never attribute: this keeps the cost to
    the few that may), nor a noun or adjective never seen there. ``sents``: each token's
    sentence number (:func:`newsevents.nlp.sentence_numbers`; Token.sent costs)."""
    from spacy.attrs import IS_ALPHA, LEMMA, POS

    sents = sents if sents is not None else sentence_numbers(doc)
    out = []
    verbs = lexicon().verbs
    # sentences the rules already found a cue in
    cued = {sents[i] for i in skip}
    # the gate reads arrays: making a Token for every word costs more than the rest together
    import numpy as np

    rows = doc.to_array([POS, LEMMA, IS_ALPHA])
    alpha = [0, *np.cumsum(rows[:, 2]).tolist()]
    strings = doc.vocab.strings
    pos_ids = np.array([strings[p] for p in _PREDICATE_POS], dtype=rows.dtype)
    gate: dict[tuple[int, int], bool] = {}  # (POS, lemma) -> whether such a word may be a candidate
    for i in np.flatnonzero(np.isin(rows[:, 0], pos_ids)).tolist():
        if i in skip or in_quote[i]:
            continue
        pair = (int(rows[i, 0]), int(rows[i, 1]))
        ok = gate.get(pair)
        if ok is None:
            pos, lem = strings[pair[0]], strings[pair[1]].lower()
            rate = rates.get(lem + "|" + pos)
            ok = gate[pair] = min_rate <= 0 or not (
                rate is None and pos != "VERB" or rate is not None and rate < min_rate and lem not in verbs)
        if not ok:
            continue
        tok = doc[i]
        if not _possible(tok):
            continue
        lem = lemma(tok)
        if lem in _ASKED and _answered(tok):
            continue  # "responded to questions about the deal": the questions are someone else's
        frames = _frames(tok)
        if not frames:
            continue
        base = _token_features(doc, tok, rates, contents)
        if sents[i] in cued:
            base.append("cued_sentence")
        who = None
        if tok.pos_ in ("VERB", "AUX"):
            who = speaker_of(tok)
        elif tok.pos_ == "ADJ" and tok.head is not tok:
            who = speaker_of(tok.head)
        elif tok.pos_ == "NOUN":
            own = _owner(doc, tok)
            # no owner: whoever the clause it stands in speaks for ('voters showed strong support for X')
            who = (own, None) if own else speaker_of(tok)
        speaker, antecedent = who if who else (None, None)
        # the features keep the possessor alone (as trained); the quote takes any owner the
        # rules read ('the Trump claim', 'warnings from his attorney') before the clause's subject
        named = noun_owner(tok) if tok.pos_ == "NOUN" and not own else None
        spoken, spoken_via = (named, None) if named else (speaker, antecedent)
        for frame, cue, content in frames:
            if frame != "clause":
                content = (content[0], _without_asides(doc, *content))
            content = trimmed(doc, *content)
            if content is None or content[0] <= i < content[1] and frame != "clause":
                continue
            if lem in _ANSWERING and frame in ("object", "prepositions") and _asked(doc, content):
                continue  # "answering the question of journalists": the question is someone else's, as in the rules
            if frame == "clause" and content[0] <= i < content[1]:
                first = doc[content[0]]
                if first.lower_ in _RELATIVE and i + 1 < content[1]:
                    content = (i + 1, content[1])
                else:
                    continue
            n = alpha[content[1]] - alpha[content[0]]
            quoted = sum(in_quote[content[0]:content[1]]) >= 0.8 * (content[1] - content[0])
            f = base + [
                "f=" + frame, "lf=" + lemma(tok) + "|" + frame, "n=" + _bucket(n), "fn=" + frame + "|" + _bucket(n),
                "spk=" + ("yes" if speaker else "no") + "|" + frame,
            ]
            first = doc[content[0]]
            f += ["c0=" + first.lower_ if first.is_stop else "c0p=" + first.pos_, "fc0=" + frame + "|" + first.pos_]
            if quoted:
                f.append("quoted")
            if doc[content[0]].lower_ == "that":
                f.append("that")
            if sents[content[0]] != sents[content[1] - 1]:
                f.append("crosses")
            out.append(Candidate(Cue(cue, content, spoken, frame, i, spoken_via), f))
    return out


def rate_features(rate: float | None) -> list[str]:
    """The learned cue rate of a predicate's word as features: its tenth, and its value."""
    if rate is None:
        return ["rate=unk"]
    return ["rate=" + str(min(9, int(rate * 10))), f"rate_v:{rate:.4f}"]


def _token_features(doc, tok, rates: dict[str, float], contents: list[tuple[int, int]]) -> list[str]:
    lem = lemma(tok)
    pos = tok.pos_
    rate = rates.get(f"{lem}|{pos}")
    f = ["bias", "l=" + lem, "p=" + pos, "t=" + tok.tag_, "d=" + tok.dep_, "lp=" + lem + "|" + pos,
         "hd=" + tok.dep_ + "|" + tok.head.pos_, "hl=" + lemma(tok.head) if tok.head is not tok else "root",
         *rate_features(rate)]
    lex = lexicon()
    if lem in lex.verbs:
        f.append("lexv")
    if lem in lex.nouns:
        f.append("lexn")
    kids = list(tok.children)
    deps = {c.dep_ for c in kids}
    for d in ("ccomp", "xcomp", "dobj", "dative", "oprd", "agent", "prep", "advcl", "neg", "poss", "acl", "nsubjpass"):
        if d in deps:
            f.append("has=" + d)
    for c in kids:
        if c.dep_ == "prep" and c.i > tok.i:
            f.append("prep=" + c.lower_)
            f.append("lprep=" + lem + "|" + c.lower_)
        elif c.dep_ == "aux" and c.lower_ in _MODALS:
            f.append("modal")
        elif c.dep_ == "ccomp" and any(g.dep_ == "mark" for g in c.children):
            f.append("mark=" + next(g.lower_ for g in c.children if g.dep_ == "mark"))
    subj = [c for c in kids if c.dep_ in _SUBJ]
    if subj:
        s = subj[0]
        if s.lower_ in SUBJECT_PRONOUNS:
            f.append("subj=pron:" + s.lower_)
        elif s.lower_ in _RELATIVE:
            f.append("subj=rel")
        elif s.ent_type_:
            f.append("subj=ent:" + s.ent_type_)
        else:
            f.append("subj=" + s.pos_)
            f.append("subjl=" + lemma(s))
    else:
        f.append("subj=none")
    if any(a <= tok.i < b for a, b in contents):
        f.append("nested")
    if tok.dep_ == "ROOT":
        f.append("root")
    return f


def rule_features(doc, quote_cue: tuple[int, int] | None, content: tuple[int, int], rule: str, has_speaker: bool,
                  rates: dict[str, float], in_quote: list[bool], others: list[tuple[int, int]],
                  sents: list[int] | None = None) -> list[str]:
    """The features of one of the rules' quotes (token ranges): the rule, the cue's word and
    parse, the content's length, whether it sits in another quote."""
    n = sum(1 for t in doc[content[0]:content[1]] if t.is_alpha)
    f = ["rule=" + rule, "n=" + _bucket(n), "rn=" + rule + "|" + _bucket(n), "spk=" + str(has_speaker) + "|" + rule]
    if quote_cue is not None:
        tok = doc[quote_cue[0]]
        span = doc[quote_cue[0]:quote_cue[1]]
        if len(span) > 1:
            tok = span.root
        f += _token_features(doc, tok, rates, [c for c in others if c != content])
        f.append("rl=" + rule + "|" + lemma(tok))
    else:
        f.append("nocue")
    if content[1] > content[0] and (sents[content[0]] != sents[content[1] - 1] if sents is not None else
                                    doc[content[0]].sent.start != doc[content[1] - 1].sent.start):
        f.append("crosses")
    return f


def probability(weights: dict[str, float], features: list[str]) -> float:
    """The logistic regression's probability for ``features`` (binary, and ``rate_v:VALUE``)."""
    z = 0.0
    for name in features:
        if name.startswith("rate_v:"):
            z += weights.get("rate_v", 0.0) * float(name[7:])
        else:
            z += weights.get(name, 0.0)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class Weights:
    """The two fitted logistic regressions (feature -> weight) and what they are applied with."""

    candidate: dict[str, float]  # is a candidate's content an attribution
    rule: dict[str, float]  # is a rule quote's content an attribution
    rates: dict[str, float]  # lemma|POS -> share of its occurrences on train that are cues
    threshold: float  # a candidate becomes a quote at this probability or above
    rule_threshold: float  # a rule's quote is dropped below this probability
    min_rate: float  # words seen on train with a lower cue rate are no candidates
    info: dict


def select(weights: Weights, rule_items: list[tuple[object, list[str]]],
           cands: list[Candidate]) -> tuple[list[tuple[object, float]], list[tuple[Candidate, float]]]:
    """The rule quotes kept (with their probability) and the candidates taken: at most one
    frame per predicate, the likeliest, if it reaches the threshold."""
    kept = []
    for q, f in rule_items:
        p = probability(weights.rule, f)
        if p >= weights.rule_threshold:
            kept.append((q, p))
    best: dict[int, tuple[Candidate, float]] = {}
    for c in cands:
        p = probability(weights.candidate, c.features)
        if p >= weights.threshold and (c.cue.head not in best or best[c.cue.head][1] < p):
            best[c.cue.head] = (c, p)
    return kept, sorted(best.values(), key=lambda cp: cp[0].cue.content)


@lru_cache(maxsize=4)
def load(folder: str = "shipped") -> Weights | None:
    """The weights shipped in ``data/quotes/`` ("shipped"), or in a folder written by
    ``newsevents train quotes``; None for "none". Missing weights are an error naming the file."""
    if folder == "none":
        return None
    path = data_path("quotes", WEIGHTS_FILE) if folder == "shipped" else Path(folder) / WEIGHTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no attribution cue weights (rebuild them with `newsevents train quotes`)")
    data = json.loads(path.read_text(encoding="utf-8"))
    return Weights(data["candidate_weights"], data["rule_weights"], data["rates"], data["threshold"],
                   data["rule_threshold"], data["min_rate"],
                   {k: v for k, v in data.items() if k not in ("candidate_weights", "rule_weights", "rates")})


__all__ = ["Candidate", "Weights", "WEIGHTS_FILE", "candidates", "load", "probability", "rate_features", "rule_features", "select"]
