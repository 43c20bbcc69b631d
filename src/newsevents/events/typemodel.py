"""The event type model: decides each candidate event's CAMEO root (and so its PLOVER type and
quad class) from the whole sentence, with its source, target and trigger marked.

The rules (:mod:`.rules`, :mod:`.args`) propose the candidates: each event with its trigger,
source and target. The sentence is read through token vectors: spaCy's own (``tok2vec``, the
96-wide vectors the parse has already computed for its tagger, parser and NER, ``doc.tensor``:
free), or, in models trained before evtype-v2, a frozen MiniLM encoder pass (``minilm``, int8
ONNX, see :mod:`.encoder`; ~2 ms of CPU a sentence, for no better figure). A candidate is read as
the mean vector of the sentence, that of each marked span (source, target, trigger: the
``<s>..</s>``, ``<t>..</t>`` of PLV, pooled rather than written into the text) and the rules'
evidence (:func:`.quadmodel.features` plus the event's own code, modality and rule). A linear
layer over that gives a probability for each of the 20 CAMEO roots; the quad class is the
roots' summed probability, the PLOVER type that of the root.

It is trained (:mod:`.typetrain`, ``newsevents train events``) on all our event gold, each set
giving what it knows: a quad class (ConfliBERT) allows the roots of that class, a PLOVER type
(PLV) the roots of that type; the loss is the probability of the allowed roots. So one head
learns from both label sets, and leaving one set out still leaves a model to score it with.

Files in the model folder (``data/events/evtype``): ``head.npz`` (the weights, loaded without
pickle) and ``head.json`` (which vectors it reads, feature names, temperature, provenance); a
``minilm`` model also needs ``encoder.onnx`` and ``tokenizer.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..data import data_path
from ..errors import ModelError
from .codebook import ROOT_QUAD, lookup

MODEL_ID = "evtype-v2"
DEFAULT_DIR = "evtype"
ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
FILES = ("head.npz", "head.json")
ENCODER_FILES = ("encoder.onnx", "tokenizer.json")  # a minilm model's
SPANS = ("source", "target", "trigger")
# The token vectors a model reads, and their width. tok2vec: the parse's own (en_core_web_sm's
# tok2vec is 96 wide); minilm: the ONNX encoder's hidden states (evtype-v1).
WIDTHS = {"tok2vec": 96, "minilm": 384}
DEFAULT_VECTORS = "tok2vec"


@dataclass
class Candidate:
    """One thing to decide: an event the rules proposed (or a sentence with none), its sentence
    text and the character offsets, within that text, of what is marked."""

    text: str
    feats: dict[str, float]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # "source" | "target" | "trigger"
    event: object | None = None  # the model.Event, None for a sentence the rules found no event in
    sentence: object | None = None  # the model.Sentence it classes, when it is the principal one
    # the parse's token vectors of the sentence and their character offsets within ``text``
    vectors: tuple | None = None


def token_vectors(sent, start: int) -> tuple | None:
    """The parse's tok2vec output over ``sent`` (a spaCy Span) with each token's character
    offsets counted from ``start`` (where the candidate's text begins); None where the spaCy
    model sets no ``doc.tensor``."""
    tensor = sent.doc.tensor
    if tensor is None or len(tensor.shape) != 2 or tensor.shape[0] != len(sent.doc):
        return None
    return tensor[sent.start:sent.end], [(t.idx - start, t.idx + len(t.text) - start) for t in sent]


def event_features(e) -> dict[str, float]:
    """What the rules said of the event itself (the sentence's evidence is :func:`.quadmodel.features`)."""
    if e is None:
        return {"ev=none": 1.0}
    kind = e.rule.split("/", 1)[-1].split(":", 1)[0]
    f = {f"ev.root={e.cameo_root}": 1.0, f"ev.code={e.cameo[:3]}": 1.0, f"ev.modality={e.modality}": 1.0,
         f"ev.rule={kind}": 1.0, f"ev.quad={e.quad_class}": 1.0}
    f["ev.principal" if e.principal else "ev.secondary"] = 1.0
    f[f"ev.args={'s' if e.source is not None else ''}{'t' if e.target is not None else ''}"] = 1.0
    return f


def decided(e) -> bool:
    """Whether the model decides this event: not a speech act (the reporting verb keeps CAMEO 010)
    and not a negated act (classed neutral by rule)."""
    return e is not None and not e.negated and "speech-act:" not in e.rule


def quad_then_root(p) -> tuple[str, int]:
    """The likeliest quad class (summing its roots), then the likeliest root inside it."""
    by_quad = [0.0] * 5
    for r, v in zip(ROOTS, p):
        by_quad[ROOT_QUAD[r]] += float(v)
    quad = max(range(5), key=by_quad.__getitem__)
    root = max((r for r in ROOTS if ROOT_QUAD[r] == quad), key=lambda r: p[ROOTS.index(r)])
    return root, quad


def decision(p, rules_root: str | None = None) -> tuple[str, int]:
    """:func:`quad_then_root`, except that the rules' root stands where it is the model's single
    likeliest root ("visited Chile": 04 at 0.30, but 06, 07 and 08 summed higher). Cross-validated
    this lifted PLV from 0.770 to 0.774 and ConfliBERT left out from 0.668 to 0.678 (ConfliBERT
    within its folds 0.948 to 0.947)."""
    best = ROOTS[max(range(len(ROOTS)), key=lambda i: p[i])]
    if rules_root is not None and best == rules_root:
        return best, ROOT_QUAD[best]
    return quad_then_root(p)


class TypeModel:
    """Root probabilities of candidates: token vectors plus the rules' evidence, one linear layer."""

    def __init__(self, folder: Path):
        import numpy as np

        meta = json.loads((folder / "head.json").read_text(encoding="utf-8"))
        with np.load(folder / "head.npz", allow_pickle=False) as z:
            self.weight, self.bias = z["weight"].astype(np.float32), z["bias"].astype(np.float32)
        self.names = {n: i for i, n in enumerate(meta["features"])}
        self.temperature = float(meta.get("temperature", 1.0))
        self.meta = meta.get("provenance", {})
        self.vectors = vectors_of(meta)
        self.encoder = None
        if self.vectors == "minilm":
            from .encoder import shared_encoder

            self.encoder = shared_encoder(str((folder / "encoder.onnx").resolve().parent))
        if self.weight.shape[1] != dense_size(self.vectors) + len(self.names):
            raise ValueError(f"head.npz has {self.weight.shape[1]} inputs, head.json describes "
                             f"{dense_size(self.vectors) + len(self.names)}")

    def probabilities(self, cands: list[Candidate]):
        """One row of 20 root probabilities per candidate (columns in :data:`ROOTS` order)."""
        return probabilities(self.design(cands), self.weight, self.bias, self.temperature)

    def design(self, cands: list[Candidate]):
        return design_matrix(cands, self.vectors, self.names, self.encoder)


def vectors_of(meta: dict) -> str:
    """The token vectors a model's head.json says it reads (models before evtype-v2: minilm)."""
    kind = meta.get("vectors", "minilm")
    if kind not in WIDTHS:
        raise ValueError(f"unknown token vectors {kind!r} (known: {', '.join(WIDTHS)})")
    return kind


def dense_size(vectors: str) -> int:
    """Sentence, source, target and trigger means, then the three spans' presence flags."""
    return 4 * WIDTHS[vectors] + len(SPANS)


def design_matrix(cands: list[Candidate], vectors: str, names: dict[str, int], encoder=None, encoded: dict | None = None):
    """The model's input: per candidate, the dense part (:func:`dense_part`) then the rules'
    one-hot evidence."""
    import numpy as np

    return np.hstack([dense_part(cands, vectors, encoder, encoded), sparse_part(cands, names)])


def encode_texts(cands: list[Candidate], encoder) -> dict:
    texts = sorted({c.text for c in cands})
    return dict(zip(texts, encoder.encode(texts)))


def dense_part(cands: list[Candidate], vectors: str = DEFAULT_VECTORS, encoder=None, encoded: dict | None = None):
    """Per candidate: the mean token vector of its sentence and of each marked span, and the
    spans' presence flags. ``minilm`` encodes the texts (``encoded``: text -> the output of
    :meth:`.encoder.Encoder.encode`, to save encoding them again); ``tok2vec`` reads each
    candidate's own ``vectors``."""
    import numpy as np

    width = WIDTHS[vectors]
    size = dense_size(vectors)
    if vectors == "minilm" and encoded is None:
        encoded = encode_texts(cands, encoder)
    x = np.zeros((len(cands), size), dtype=np.float32)
    for i, c in enumerate(cands):
        read = encoded[c.text] if vectors == "minilm" else pooled(c.vectors, width)
        if read is None:
            continue
        emb, hidden, offsets = read
        x[i, :width] = emb
        for k, name in enumerate(SPANS):
            v = span_mean(hidden, offsets, c.spans.get(name))
            if v is not None:
                x[i, width * (k + 1):width * (k + 2)] = v
                x[i, size - len(SPANS) + k] = 1.0
    return x


def pooled(vectors: tuple | None, width: int) -> tuple | None:
    """(the L2-normalised mean vector, the token vectors, their offsets) of a candidate's
    ``vectors``; None for none or an empty sentence."""
    import numpy as np

    if vectors is None or len(vectors[0]) == 0:
        return None
    hidden, offsets = vectors
    if hidden.shape[1] != width:
        raise ModelError(f"the event type model reads token vectors {width} wide, the spaCy model gives "
                         f"{hidden.shape[1]}: retrain it with `newsevents train events` for this spaCy model")
    v = hidden.mean(axis=0)
    return v / max(float(np.linalg.norm(v)), 1e-6), hidden, offsets


def sparse_part(cands: list[Candidate], names: dict[str, int]):
    import numpy as np

    x = np.zeros((len(cands), len(names)), dtype=np.float32)
    for i, c in enumerate(cands):
        for f, value in c.feats.items():
            j = names.get(f)
            if j is not None:
                x[i, j] = value
    return x


def span_mean(hidden, offsets, span: tuple[int, int] | None):
    """The L2-normalised mean hidden state of the word pieces inside ``span`` (character offsets),
    None when there is no span or the encoder's cut left none of it."""
    import numpy as np

    if span is None:
        return None
    a, b = span
    rows = [k for k, (s, e) in enumerate(offsets) if e > s and s < b and e > a]
    if not rows:
        return None
    v = hidden[rows].mean(axis=0)
    return v / max(float(np.linalg.norm(v)), 1e-6)


def probabilities(x, weight, bias, temperature: float = 1.0):
    import numpy as np

    z = (x @ weight.T + bias) / temperature
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def model_dir(path: str | None = None) -> Path:
    return Path(path) if path else data_path("events", DEFAULT_DIR)


def present(folder: Path) -> bool:
    """Whether ``folder`` holds a whole model (a minilm one with its encoder)."""
    if not all((folder / f).is_file() for f in FILES):
        return False
    try:
        kind = vectors_of(json.loads((folder / "head.json").read_text(encoding="utf-8")))
    except (ValueError, OSError):
        return True  # load_type_model says what is wrong with it
    return kind != "minilm" or all((folder / f).is_file() for f in ENCODER_FILES)


@lru_cache(maxsize=4)
def load_type_model(path: str = "") -> TypeModel | None:
    """The type model in folder ``path`` ("" = the shipped one, "none" = rules only), or None
    where the shipped folder lacks it."""
    if path == "none":
        return None
    folder = model_dir(path or None)
    if not present(folder):
        if path:
            raise ModelError(f"no event type model in {path} (expected {', '.join(FILES)}, and "
                             f"{', '.join(ENCODER_FILES)} for a minilm one): "
                             f"build one with `newsevents train events --out {path}`")
        return None
    try:
        return TypeModel(folder)
    except (ValueError, KeyError, OSError) as exc:
        raise ModelError(f"{folder} holds no usable event type model ({exc}): rebuild it with "
                         "`newsevents train events`") from exc


def apply(cand: Candidate, p) -> None:
    """Recode the candidate's event (and its sentence's class) with the model's decision; the
    event keeps the rules' full code where the model agrees on its root."""
    e = cand.event
    if e is not None and e.negated:  # a negated act classes its sentence neutral by rule
        return
    root, quad = decision(p, e.cameo_root if decided(e) else None)
    confidence = round(float(p[ROOTS.index(root)]), 2)
    if cand.sentence is not None:
        cand.sentence.quad_class = quad
    if not decided(e):
        return
    if root != e.cameo_root:
        code = lookup(root)
        e.cameo, e.cameo_root, e.cameo_name, e.plover, e.plover_mode = (code.code, code.root, code.name, code.plover,
                                                                       code.plover_mode)
        e.quad_class, e.goldstein = code.quad_class, code.goldstein
    e.confidence = confidence
    e.rule = f"{e.rule}|{MODEL_ID}"

