"""The token-head attribution tagger: a small bidirectional GRU over the parse's own token
vectors that labels each token of a paragraph as part of an attribution's source (SRC), cue
(CUE), content (CON) or none (O), in BIO form, as the CRF of :mod:`.tagger` does.

Its input per token is spaCy's tok2vec output ``doc.tensor`` (96 wide in ``en_core_web_sm``),
which the parse computes anyway for its tagger, parser and NER (the events model pools the same
vectors), plus a few parse features the vectors do not carry: the rules' own tag of the token,
its head and the verb governing its clause, whether it is in quote marks, the cue lexicon, POS
and dependency. The GRU reads a paragraph in both directions, so a token's tag sees the clause
around it and the cue before or after it. It runs in numpy (no torch at run time): a paragraph
batch of a few hundred tokens costs a few small matrix products per step. The tags are read back
into attributions by :func:`.tagger.decode`, exactly as the CRF's. The weights are trained by
``newsevents train quotes --model tensor`` (:mod:`.tokenhead_train`, with torch) and ship in
``data/quotes/tokenhead.npz`` with their provenance in ``tokenhead.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..data import data_path
from ..nlp import sentence_numbers
from .cues import lexicon
from .tagger import _CLAUSAL, _QUOTE_MARKS, LABELS, _arrays, _governor, decode, rule_tags, sequences

WEIGHTS_FILE = "tokenhead.npz"
PROVENANCE_FILE = "tokenhead.json"
#: The tok2vec width of en_core_web_sm; a parse without a tensor gets zeros (and tags worse).
TENSOR_WIDTH = 96
UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
        "PUNCT", "SCONJ", "SYM", "VERB", "X", "SPACE")
DEPS = ("ROOT", "acl", "acomp", "advcl", "advmod", "agent", "amod", "appos", "attr", "aux", "auxpass", "case",
        "cc", "ccomp", "compound", "conj", "csubj", "csubjpass", "dative", "dep", "det", "dobj", "expl", "intj",
        "mark", "meta", "neg", "nmod", "npadvmod", "nsubj", "nsubjpass", "nummod", "oprd", "parataxis", "pcomp",
        "pobj", "poss", "preconj", "predet", "prep", "prt", "punct", "quantmod", "relcl", "xcomp")
GOV_DEPS = tuple(sorted(_CLAUSAL))
_POS_I = {p: i for i, p in enumerate(UPOS)}
_DEP_I = {d: i for i, d in enumerate(DEPS)}
_GOV_I = {d: i for i, d in enumerate(GOV_DEPS)}
_TAG_I = {t: i for i, t in enumerate(LABELS)}
#: The width of the parse features after the tensor: see :func:`token_features`.
FLAGS = ("in_quote", "quote_mark", "quote_edge_left", "quote_edge_right", "lex_verb", "lex_noun",
         "head_lex_verb", "gov_lex_verb", "gov_lex_noun", "sent_start", "sent_end", "newline", "punct",
         "entity", "person", "org_gpe", "before_root", "root", "after_root", "para_start")
PARSE_WIDTH = 3 * len(LABELS) + 2 * len(UPOS) + len(DEPS) + len(GOV_DEPS) + len(FLAGS)


def token_features(parse, rule_spans: list[tuple[str, int, int]], in_quote: list[bool],
                   tensor: np.ndarray | None = None) -> np.ndarray:
    """The input rows of the tagger, one per token of the parse: the token's vector (``tensor``,
    default ``parse.tensor``) and the parse features (one-hot: the rules' tag of the token, of its
    head and of its clause's governor, POS and the head's POS, dependency, the governing
    dependency; flags: :data:`FLAGS`)."""
    n = len(parse)
    tensor = parse.tensor if tensor is None else tensor
    out = np.zeros((n, TENSOR_WIDTH + PARSE_WIDTH), dtype=np.float32)
    if n == 0:
        return out
    if tensor is not None and getattr(tensor, "shape", (0,))[0] == n and tensor.shape[1] == TENSOR_WIDTH:
        out[:, :TENSOR_WIDTH] = tensor
    ar = _arrays(parse)
    rt = rule_tags(parse, rule_spans)
    lex = lexicon()
    verbs, nouns = lex.verbs, lex.nouns
    L, P = len(LABELS), len(UPOS)
    o_rule, o_head_rule, o_gov_rule = TENSOR_WIDTH, TENSOR_WIDTH + L, TENSOR_WIDTH + 2 * L
    o_pos = TENSOR_WIDTH + 3 * L
    o_hpos = o_pos + P
    o_dep = o_hpos + P
    o_gov = o_dep + len(DEPS)
    o_flag = o_gov + len(GOV_DEPS)
    flag = {name: o_flag + k for k, name in enumerate(FLAGS)}
    starts, ends, roots = set(), set(), {}
    for sent in parse.sents:
        starts.add(sent.start)
        ends.add(sent.end - 1)
        root = next((i for i in range(sent.start, sent.end) if ar.head[i] == i), sent.start)
        for i in range(sent.start, sent.end):
            roots[i] = root
    para_starts = {block[0][0] for block in sequences(parse)}
    for i in range(n):
        row = out[i]
        h = ar.head[i]
        row[o_rule + _TAG_I[rt[i]]] = 1
        row[o_head_rule + _TAG_I[rt[h]]] = 1
        row[o_pos + _POS_I.get(ar.pos[i], P - 2)] = 1
        row[o_hpos + _POS_I.get(ar.pos[h], P - 2)] = 1
        d = _DEP_I.get(ar.dep[i])
        if d is not None:
            row[o_dep + d] = 1
        gov = _governor(ar, i)
        if gov is not None:
            g, gdep = gov
            row[o_gov_rule + _TAG_I[rt[g]]] = 1
            row[o_gov + _GOV_I[gdep]] = 1
            if ar.lem[g] in verbs:
                row[flag["gov_lex_verb"]] = 1
            if ar.lem[g] in nouns:
                row[flag["gov_lex_noun"]] = 1
        else:
            row[o_gov_rule + _TAG_I["O"]] = 1
        low, lem = ar.low[i], ar.lem[i]
        if in_quote[i]:
            row[flag["in_quote"]] = 1
        if low in _QUOTE_MARKS:
            row[flag["quote_mark"]] = 1
        if i > 0 and in_quote[i - 1] != in_quote[i]:
            row[flag["quote_edge_left"]] = 1
        if i + 1 < n and in_quote[i + 1] != in_quote[i]:
            row[flag["quote_edge_right"]] = 1
        if lem in verbs:
            row[flag["lex_verb"]] = 1
        if lem in nouns:
            row[flag["lex_noun"]] = 1
        if ar.lem[h] in verbs:
            row[flag["head_lex_verb"]] = 1
        if i in starts:
            row[flag["sent_start"]] = 1
        if i in ends:
            row[flag["sent_end"]] = 1
        if "\n" in low:
            row[flag["newline"]] = 1
        if ar.pos[i] == "PUNCT":
            row[flag["punct"]] = 1
        ent = ar.ent[i]
        if ent:
            row[flag["entity"]] = 1
            if ent == "PERSON":
                row[flag["person"]] = 1
            elif ent in ("ORG", "GPE", "NORP"):
                row[flag["org_gpe"]] = 1
        r = roots.get(i, i)
        row[flag["before_root" if i < r else "after_root" if i > r else "root"]] = 1
        if i in para_starts:
            row[flag["para_start"]] = 1
    return out


@dataclass
class Weights:
    """The tagger's parameters (names as torch gives them, see :mod:`.tokenhead_train`):
    feature standardisation, an input projection, one bidirectional GRU layer, the output layer."""

    arrays: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def _gru(w: Weights, x: np.ndarray, lengths: list[int], suffix: str, reverse: bool) -> np.ndarray:
    """One direction of torch's GRU over a padded batch ``x`` (batch, time, in) of sequences of
    ``lengths``; padding steps leave the state as it is."""
    b, t, _ = x.shape
    w_ih, w_hh = w[f"gru.weight_ih_l0{suffix}"], w[f"gru.weight_hh_l0{suffix}"]
    b_ih, b_hh = w[f"gru.bias_ih_l0{suffix}"], w[f"gru.bias_hh_l0{suffix}"]
    hid = w_hh.shape[1]
    gates_x = x @ w_ih.T + b_ih  # (b, t, 3h): the input's part of every gate, at once
    h = np.zeros((b, hid), dtype=np.float32)
    out = np.zeros((b, t, hid), dtype=np.float32)
    lens = np.asarray(lengths)
    steps = range(t - 1, -1, -1) if reverse else range(t)
    for s in steps:
        gx = gates_x[:, s]
        gh = h @ w_hh.T + b_hh
        r = _sigmoid(gx[:, :hid] + gh[:, :hid])
        z = _sigmoid(gx[:, hid:2 * hid] + gh[:, hid:2 * hid])
        nn = np.tanh(gx[:, 2 * hid:] + r * gh[:, 2 * hid:])
        new = (1 - z) * nn + z * h
        live = (s < lens)[:, None]
        h = np.where(live, new, h)
        out[:, s] = h
    return out


def forward(w: Weights, feats: np.ndarray, blocks: list[tuple[int, int]]) -> np.ndarray:
    """Label probabilities (tokens x :data:`~.tagger.LABELS`) of the rows ``feats`` tagged in
    sequences ``blocks`` ([start, end) token ranges, a paragraph each)."""
    x = (feats - w["mean"]) / w["scale"]
    x = np.maximum(0.0, x @ w["proj.weight"].T + w["proj.bias"]).astype(np.float32)
    lengths = [b - a for a, b in blocks]
    t = max(lengths)
    batch = np.zeros((len(blocks), t, x.shape[1]), dtype=np.float32)
    for k, (a, b) in enumerate(blocks):
        batch[k, :b - a] = x[a:b]
    fw = _gru(w, batch, lengths, "", False)
    # the backward direction reads each sequence from its own end: reverse within its length
    rev = np.zeros_like(batch)
    for k, n in enumerate(lengths):
        rev[k, :n] = batch[k, n - 1::-1]
    bw_rev = _gru(w, rev, lengths, "_reverse", False)
    bw = np.zeros_like(bw_rev)
    for k, n in enumerate(lengths):
        bw[k, :n] = bw_rev[k, n - 1::-1]
    h = np.concatenate([fw, bw], axis=2)
    logits = h @ w["out.weight"].T + w["out.bias"]
    logits -= logits.max(axis=2, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=2, keepdims=True)
    out = np.zeros((len(feats), len(LABELS)), dtype=np.float32)
    for k, (a, b) in enumerate(blocks):
        out[a:b] = p[k, :b - a]
    return out


#: Paragraphs longer than this are tagged in pieces of whole sentences (the GRU's cost grows
#: with the longest sequence of a batch; PolNeAR paragraphs are rarely longer).
MAX_BLOCK = 160


def blocks_of(parse) -> list[tuple[int, int]]:
    """The token ranges the tagger reads: a paragraph each (:func:`.tagger.sequences`), split
    between sentences when longer than :data:`MAX_BLOCK`."""
    out = []
    for block in sequences(parse):
        a = block[0][0]
        for s, e in block:
            if e - a > MAX_BLOCK and s > a:
                out.append((a, s))
                a = s
        out.append((a, block[-1][1]))
    return out


@dataclass
class Model:
    """The token head and, per kind of attribution (:func:`.tagger.bucket`), the share of its
    attributions that matched a gold one in the cross-validation on train (the confidence)."""

    weights: Weights
    confidence: dict[str, float] = field(default_factory=dict)
    #: Quotes of a kind whose cross-validated precision is below this are left out (half the
    #: cross-validated F1, as for the CRF).
    min_confidence: float = 0.0

    def probabilities(self, parse, rule_spans, in_quote) -> np.ndarray:
        if len(parse) == 0:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        return forward(self.weights, token_features(parse, rule_spans, in_quote), blocks_of(parse))

    def tag(self, parse, rule_spans, in_quote) -> list[str]:
        """The likeliest tag of every token of the parse, less contents too short to be one
        (:func:`drop_short_contents`)."""
        p = self.probabilities(parse, rule_spans, in_quote)
        return drop_short_contents(parse, [LABELS[k] for k in p.argmax(axis=1)])


#: A content the tagger reads over fewer tokens than this (all its pieces together) is left out:
#: such one-word contents are mostly stray tags inside a clause (on PolNeAR dev, dropping them
#: raised the tagger's content precision from 0.68 to 0.75 at a recall cost of 0.016; chosen by
#: the cross-validation on train, see docs/quotes.md).
MIN_CONTENT_TOKENS = 2


def drop_short_contents(parse, tags: list[str], min_tokens: int = MIN_CONTENT_TOKENS) -> list[str]:
    """``tags`` with the content tags of every attribution :func:`.tagger.decode` would read over
    fewer than ``min_tokens`` tokens set to O."""
    out = list(tags)
    for att in decode(parse, tags, sentence_numbers(parse)):
        if sum(b - a for a, b in att.parts) < min_tokens:
            for a, b in att.parts:
                out[a:b] = ["O"] * (b - a)
    return out


def read_weights(path: Path) -> Weights:
    with np.load(path) as z:
        return Weights({k: z[k].astype(np.float32) for k in z.files})


@lru_cache(maxsize=4)
def load(model: str = "tensor") -> Model:
    """The token head of ``model``: "tensor" the shipped weights, or a folder written by
    ``newsevents train quotes --model tensor``. Missing weights are an error naming the file."""
    path = data_path("quotes", WEIGHTS_FILE) if model == "tensor" else Path(model) / WEIGHTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no token-head weights (rebuild them with `newsevents train quotes --model tensor`)")
    meta = path.with_name(PROVENANCE_FILE)
    info = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}
    f1 = ((info.get("cross_validation") or {}).get("content_overlap") or {}).get("f1", 0.0)
    return Model(read_weights(path), info.get("confidence") or {}, f1 / 2)


__all__ = ["FLAGS", "MAX_BLOCK", "MIN_CONTENT_TOKENS", "Model", "PARSE_WIDTH", "PROVENANCE_FILE", "TENSOR_WIDTH", "WEIGHTS_FILE", "Weights",
           "blocks_of", "drop_short_contents", "forward", "load", "read_weights", "token_features"]
