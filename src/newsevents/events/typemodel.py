"""The event type model: decides each candidate event's CAMEO root (and so its PLOVER type and
quad class) from the whole sentence, with its source, target and trigger marked.

The rules (:mod:`.rules`, :mod:`.args`) propose the candidates: each event with its trigger,
source and target. One encoder pass per sentence (all-MiniLM-L6-v2's first 3 layers, frozen, int8 ONNX; see
:mod:`.encoder`) gives the sentence embedding and the word pieces' hidden states; a candidate is
read as the sentence embedding, the mean hidden state of each marked span (source, target,
trigger: the ``<s>..</s>``, ``<t>..</t>`` of PLV, pooled rather than written into the text) and
the rules' evidence (:func:`.quadmodel.features` plus the event's own code, modality and rule).
A linear layer over that gives a probability for each of the 20 CAMEO roots; the quad class is
the roots' summed probability, the PLOVER type that of the root.

It is trained (:mod:`.typetrain`, ``newsevents train events``) on all our event gold, each set
giving what it knows: a quad class (ConfliBERT) allows the roots of that class, a PLOVER type
(PLV) the roots of that type; the loss is the probability of the allowed roots. So one head
learns from both label sets, and leaving one set out still leaves a model to score it with.

Files in the model folder (``data/events/evtype``): ``encoder.onnx`` and ``tokenizer.json``
(shared with nothing else), ``head.npz`` (the weights, loaded without pickle) and
``head.json`` (feature names, temperature, provenance).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..data import data_path
from ..errors import ModelError
from .codebook import ROOT_QUAD, lookup

MODEL_ID = "evtype-v1"
DEFAULT_DIR = "evtype"
ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
FILES = ("encoder.onnx", "tokenizer.json", "head.npz", "head.json")
SPANS = ("source", "target", "trigger")


@dataclass
class Candidate:
    """One thing to decide: an event the rules proposed (or a sentence with none), its sentence
    text and the character offsets, within that text, of what is marked."""

    text: str
    feats: dict[str, float]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # "source" | "target" | "trigger"
    event: object | None = None  # the model.Event, None for a sentence the rules found no event in
    sentence: object | None = None  # the model.Sentence it classes, when it is the principal one


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


class TypeModel:
    """Root probabilities of candidates: encoder features plus the rules' evidence, one linear layer."""

    def __init__(self, folder: Path):
        import numpy as np

        from .encoder import shared_encoder

        meta = json.loads((folder / "head.json").read_text(encoding="utf-8"))
        with np.load(folder / "head.npz", allow_pickle=False) as z:
            self.weight, self.bias = z["weight"].astype(np.float32), z["bias"].astype(np.float32)
        self.names = {n: i for i, n in enumerate(meta["features"])}
        self.temperature = float(meta.get("temperature", 1.0))
        self.meta = meta.get("provenance", {})
        self.encoder = shared_encoder(str((folder / "encoder.onnx").resolve().parent))

    def probabilities(self, cands: list[Candidate]):
        """One row of 20 root probabilities per candidate (columns in :data:`ROOTS` order)."""
        return probabilities(self.design(cands), self.weight, self.bias, self.temperature)

    def design(self, cands: list[Candidate]):
        return design_matrix(cands, self.encoder, self.names)


def design_matrix(cands: list[Candidate], encoder, names: dict[str, int], encoded: dict | None = None):
    """The model's input: per candidate, the dense encoder part then the rules' one-hot evidence.
    ``encoded`` (text -> :meth:`.encoder.Encoder.encode` output) saves encoding texts again."""
    import numpy as np

    return np.hstack([dense_part(cands, encoded or encode_texts(cands, encoder)), sparse_part(cands, names)])


def encode_texts(cands: list[Candidate], encoder) -> dict:
    texts = sorted({c.text for c in cands})
    return dict(zip(texts, encoder.encode(texts)))


def dense_part(cands: list[Candidate], encoded: dict):
    import numpy as np

    x = np.zeros((len(cands), DENSE_SIZE), dtype=np.float32)
    for i, c in enumerate(cands):
        emb, hidden, offsets = encoded[c.text]
        size = len(emb)
        x[i, :size] = emb
        for k, name in enumerate(SPANS):
            v = span_mean(hidden, offsets, c.spans.get(name))
            if v is not None:
                x[i, size * (k + 1):size * (k + 2)] = v
                x[i, DENSE_SIZE - len(SPANS) + k] = 1.0
    return x


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
    return all((folder / f).is_file() for f in FILES)


@lru_cache(maxsize=4)
def load_type_model(path: str = "") -> TypeModel | None:
    """The type model in folder ``path`` ("" = the shipped one, "none" = rules only), or None
    where the shipped folder lacks it."""
    if path == "none":
        return None
    folder = model_dir(path or None)
    if not present(folder):
        if path:
            raise ModelError(f"no event type model in {path} (expected {', '.join(FILES)}): "
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
    root, quad = quad_then_root(p)
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


DENSE_SIZE = 4 * 384 + len(SPANS)  # sentence embedding, three marked spans, their presence flags
