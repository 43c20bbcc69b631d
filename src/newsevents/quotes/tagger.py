"""The learned attribution tagger: a linear-chain CRF that labels each token of a sentence as
part of an attribution's source (SRC), cue (CUE), content (CON) or none (O), in BIO form.

PolNeAR's annotation is univocal (a token belongs to at most one role), so a sequence tagger
fits it. The features are the parse's (word, lemma, tag, dependency, the governing verb of the
clause a token sits in, its place in the sentence), the quote marks, the cue lexicon and the
rules' own reading (:func:`rule_tags`), so the CRF learns where to trust the hand-written
rules and picks up the long tail of cues no list covers. :func:`decode` turns the tags back
into attributions: content spans (split pieces joined across their attribution), each with
its cue and source. The weights are trained by ``newsevents train quotes`` (see
:mod:`.learn`) and ship in ``data/quotes/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data import data_path
from .cues import lexicon

MODEL_FILE = "attribution.crfsuite"
PROVENANCE_FILE = "attribution.json"
ROLES = ("SRC", "CUE", "CON")
LABELS = ("O", *(f"{p}-{r}" for r in ROLES for p in "BI"))
#: Dependencies through which a token's clause is governed by a verb: the governor of "X" in
#: "said that X", "accused him of X", "wants to X", "the claim that X".
_CLAUSAL = {"ccomp", "xcomp", "advcl", "pcomp", "acl", "relcl", "parataxis", "dobj", "pobj", "conj", "csubj"}
_QUOTE_MARKS = {'"', "“", "”", "«", "»", "‘", "’", "''", "``", "„"}


def rule_tags(parse, spans: list[tuple[str, int, int]]) -> list[str]:
    """BIO tags of the rules' reading: ``spans`` are (role, start token, end token); a cue or a
    source wins over the content it stands in (the split quote '"A," he said, "B."')."""
    tags = ["O"] * len(parse)
    rank = {"CON": 0, "SRC": 1, "CUE": 2}
    for role, a, b in sorted(spans, key=lambda s: rank[s[0]]):
        for i in range(a, b):
            tags[i] = ("B-" if i == a else "I-") + role
    return tags


def char_spans(parse, role: str, frags) -> list[tuple[str, int, int]]:
    """(role, start token, end token) of character ranges ``frags`` of the parse's text."""
    out = []
    for s, e in frags:
        span = parse.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span):
            out.append((role, span.start, span.end))
    return out


def quote_spans(parse, quotes) -> list[tuple[str, int, int]]:
    """The rules' quotes as (role, start token, end token): content (each piece of a split
    quote), cue and speaker."""
    out = []
    for q in quotes:
        pieces = q.parts or [q.content]
        out += char_spans(parse, "CON", [(p.start, p.end) for p in pieces])
        if q.cue is not None:
            out += char_spans(parse, "CUE", [(q.cue.start, q.cue.end)])
        if q.speaker is not None and q.speaker.end > q.speaker.start:
            out += char_spans(parse, "SRC", [(q.speaker.start, q.speaker.end)])
    return out


@dataclass
class _Arrays:
    """Per-token attributes read once per parse (reading a spaCy Token costs)."""

    low: list[str]
    lem: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    ent: list[str]


def _arrays(parse) -> _Arrays:
    """One ``Doc.to_array`` call and a string lookup per distinct value: a Token object per
    word per attribute was most of the tagger's time."""
    from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, POS, TAG

    rows = parse.to_array([LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_TYPE]).tolist()
    strings = parse.vocab.strings
    names: dict[int, str] = {0: ""}

    def text(h: int) -> str:
        got = names.get(h)
        if got is None:
            got = names[h] = strings[h]
        return got

    lowered: dict[str, str] = {}
    low, lem, pos, tag, dep, head, ent = [], [], [], [], [], [], []
    for i, (lo, le, po, ta, de, he, en) in enumerate(rows):
        low.append(text(lo))
        lemma = text(le)
        lem.append(lowered.setdefault(lemma, lemma.lower()))
        pos.append(text(po))
        tag.append(text(ta))
        dep.append(text(de))
        head.append(i + he if he < 2 ** 63 else i + he - 2 ** 64)
        ent.append(text(en))
    return _Arrays(low, lem, pos, tag, dep, head, ent)


def _governor(ar: _Arrays, i: int) -> tuple[int, str] | None:
    """(index, dependency) of the nearest word governing ``i``'s clause (see ``_CLAUSAL``)."""
    j = i
    for _ in range(8):
        h = ar.head[j]
        if h == j:
            return None
        if ar.dep[j] in _CLAUSAL and ar.pos[h] in ("VERB", "AUX", "NOUN", "ADJ"):
            return h, ar.dep[j]
        j = h
    return None


def sentence_features(parse, start: int, end: int, rules: list[str], in_quote: list[bool],
                      ar: _Arrays | None = None) -> list[list[str]]:
    """The CRF features of the tokens ``[start, end)`` (one sentence)."""
    ar = ar or _arrays(parse)
    lex = lexicon()
    verbs, nouns = lex.verbs, lex.nouns
    root = next((i for i in range(start, end) if ar.head[i] == i), start)
    root_lem = ar.lem[root]
    out = []
    for i in range(start, end):
        low, lem, pos = ar.low[i], ar.lem[i], ar.pos[i]
        dep = ar.dep[i]
        h = ar.head[i]
        f = [
            "b", "w=" + low, "l=" + lem, "p=" + pos, "t=" + ar.tag[i], "d=" + dep,
            "hl=" + ar.lem[h], "hp=" + ar.pos[h], "dh=" + dep + "|" + ar.pos[h],
            "r=" + rules[i], "e=" + ar.ent[i],
            "root=" + ("<" if i < root else ">" if i > root else "="), "rootl=" + root_lem,
        ]
        if in_quote[i]:
            f.append("q")
        if low in _QUOTE_MARKS:
            f.append("qm")
        if lem in verbs:
            f.append("lexv")
        if lem in nouns:
            f.append("lexn")
        if ar.lem[h] in verbs:
            f.append("hlexv|" + dep)
        if i == start:
            f.append("ss")
        if i == end - 1:
            f.append("se")
        if "\n" in low:
            f.append("nl")
        gov = _governor(ar, i)
        if gov is not None:
            g, gdep = gov
            f.append("gov=" + ar.lem[g])
            f.append("govd=" + gdep)
            f.append("govr=" + rules[g])
            if ar.lem[g] in verbs:
                f.append("govlex|" + gdep)
        for k, name in ((-2, "-2"), (-1, "-1"), (1, "+1"), (2, "+2")):
            j = i + k
            if start <= j < end:
                f.append(f"p{name}=" + ar.pos[j])
                f.append(f"r{name}=" + rules[j])
                if k in (-1, 1):
                    f.append(f"w{name}=" + ar.low[j])
                    f.append(f"l{name}=" + ar.lem[j])
                    if in_quote[j] != in_quote[i]:
                        f.append(f"qedge{name}")
            else:
                f.append(f"edge{name}")
        out.append(f)
    return out


def sequences(parse) -> list[list[tuple[int, int]]]:
    """The sentences of the parse grouped into the sequences the CRF tags: a paragraph each
    (a quote or a reported clause may run over several sentences; it rarely crosses a
    paragraph without quote marks, which the features carry)."""
    out: list[list[tuple[int, int]]] = []
    for sent in parse.sents:
        a, b = sent.start, sent.end
        new_para = a == 0 or "\n" in parse[a - 1].text or "\n" in parse[a].text
        if new_para or not out:
            out.append([])
        out[-1].append((a, b))
    return out


@dataclass
class Attribution:
    """One attribution read off the tags, in token ranges ``[start, end)`` of the parse."""

    parts: list[tuple[int, int]]  # the content, in one piece or split around its attribution
    cue: tuple[int, int] | None
    source: tuple[int, int] | None

    @property
    def content(self) -> tuple[int, int]:
        return self.parts[0][0], self.parts[-1][1]


def _spans(parse, tags: list[str]) -> dict[str, list[list[tuple[int, int]]]]:
    """The tagged spans of each role; a span whose first tag is I- (after a gap of other roles
    or punctuation) continues the last span of its role: a content split around its cue."""
    out: dict[str, list[list[tuple[int, int]]]] = {r: [] for r in ROLES}
    open_role, start = None, 0

    def close(end: int) -> None:
        nonlocal open_role
        if open_role is not None:
            out[open_role][-1].append((start, end))
        open_role = None

    last_end = 0
    for i, tag in enumerate(tags):
        if parse[i].is_space and tag != "O" and open_role is not None:
            continue  # spaces neither open nor close a span
        if tag == "O":
            close(last_end)
            continue
        bio, role = tag.split("-")
        if open_role == role and bio == "I":
            last_end = i + 1
            continue
        close(last_end)
        pieces = out[role]
        if not (bio == "I" and pieces and _gap_ok(parse, tags, pieces[-1][-1][1], i)):
            pieces.append([])
        open_role, start, last_end = role, i, i + 1
    close(last_end)
    return out


#: A content split around its attribution rejoins across at most this many other tokens.
_MAX_JOIN = 25


def _gap_ok(parse, tags: list[str], a: int, b: int) -> bool:
    """The tokens between two pieces of one span are other roles or punctuation only."""
    if b - a > _MAX_JOIN:
        return False
    return all(tags[i] != "O" or parse[i].is_punct or parse[i].is_space for i in range(a, b))


def decode(parse, tags: list[str], sents: list[int]) -> list[Attribution]:
    """The attributions of a tagged parse: each content with the nearest cue of its sentences
    (or the one before or after) and the source nearest that cue. ``sents`` is each token's
    sentence number."""
    spans = _spans(parse, tags)
    cues = [(p[0][0], p[-1][1]) for p in spans["CUE"]]
    sources = [(p[0][0], p[-1][1]) for p in spans["SRC"]]
    out = []
    for parts in spans["CON"]:
        a, b = parts[0][0], parts[-1][1]
        lo, hi = sents[a] - 1, sents[b - 1] + 1
        cue = _nearest(cues, a, b, sents, lo, hi)
        anchor = cue or (a, b)
        source = _nearest(sources, *anchor, sents, sents[anchor[0]], sents[anchor[1] - 1]) or (
            _nearest(sources, a, b, sents, lo + 1, hi - 1) if cue is None else None)
        out.append(Attribution(parts, cue, source))
    return out


def _nearest(spans: list[tuple[int, int]], a: int, b: int, sents: list[int], lo: int, hi: int):
    best, best_d = None, None
    for s, e in spans:
        if not (lo <= sents[s] <= hi):
            continue
        d = a - e if e <= a else s - b if s >= b else 0
        if best_d is None or d < best_d:
            best, best_d = (s, e), d
    return best


@dataclass
class Model:
    """The CRF and, per kind of attribution (:func:`bucket`), the share of its attributions that
    matched a gold one in the cross-validation on train: the confidence a quote of that kind gets."""

    crf: object
    confidence: dict[str, float]
    #: Quotes of a kind whose cross-validated precision is below this are left out: half the
    #: cross-validated F1 (a quote of precision p raises F1 only when p > F1 / 2).
    min_confidence: float = 0.0


@lru_cache(maxsize=4)
def load(model: str = "shipped") -> Model | None:
    """The tagger of ``model``: "shipped" the shipped weights, "none" no tagger (None), or a folder
    written by ``newsevents train quotes``. Missing weights are an error naming the file."""
    import json

    import pycrfsuite

    if model == "none":
        return None
    path = data_path("quotes", MODEL_FILE) if model == "shipped" else Path(model) / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no attribution tagger weights (rebuild them with `newsevents train quotes`)")
    crf = pycrfsuite.Tagger()
    crf.open(str(path))
    meta = path.with_name(PROVENANCE_FILE)
    info = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}
    f1 = ((info.get("cross_validation") or {}).get("content_overlap") or {}).get("f1", 0.0)
    return Model(crf, info.get("confidence") or {}, f1 / 2)


def bucket(content: tuple[int, int], rules: list[tuple[str, int, int]], in_quote: list[bool]) -> str:
    """The kind of a learned attribution its confidence is read by: whether a content of the
    rules overlaps it by half ("agreed" or "new") and whether it is mostly in quote marks."""
    a, b = content
    agreed = any(role == "CON" and 2 * max(0, min(b, e) - max(a, s)) > min(b - a, e - s) for role, s, e in rules)
    quoted = sum(in_quote[a:b]) >= 0.8 * (b - a)
    return f"{'agreed' if agreed else 'new'}-{'direct' if quoted else 'indirect'}"


def tag(model: Model, parse, rules: list[tuple[str, int, int]], in_quote: list[bool]) -> list[str]:
    """The tag of every token of the parse by the tagger ``model`` (see :func:`load`)."""
    crf = model.crf
    rt = rule_tags(parse, rules)
    ar = _arrays(parse)
    tags: list[str] = []
    for block in sequences(parse):
        crf.set([f for a, b in block for f in sentence_features(parse, a, b, rt, in_quote, ar)])
        tags += crf.tag()
    return tags


__all__ = ["Attribution", "decode", "tag", "LABELS", "MODEL_FILE", "ROLES", "Model", "PROVENANCE_FILE", "bucket", "load", "rule_tags", "sentence_features", "sequences"]
