"""The sentence quad-class model: logistic regression over what the rules found in the sentence.

The rules (:mod:`.rules`) code one principal event per sentence; the quad class of its CAMEO
code is a good guess, but the development gold labels some codes its own way and a sentence
often holds more than the principal trigger. This model reads, for each sentence, the rule
coder's verdict (code, root, quad, the roles along its predicate chain, modality,
whether it came from the main chain or the fallback), every lexicon trigger in the sentence
with its quad class, the lexicon class of the root verb and whether the predicate has a
subject and an object, and weighs them with a multinomial logistic regression fitted on the
development gold (``newsevents train events``). It learns how the rules' evidence maps to the
gold's classes, not the gold's wording: features are codes, roles and counts, plus the lexicon
keys that fired (the only word-level features), so it carries over to text in another style
(see docs/events.md: "style shift").

The model is one JSON file, ``data/events/quadclass/features.json``: a weight vector per feature
name, the intercepts and the provenance. It is applied here, in pure Python (no numpy, no
pickle); :mod:`.train` fits it (with scikit-learn). Where the rules were unsure (no trigger, a fallback trigger or a
report of something uncoded) and this model is too, the same folder's sentence-embedding
fallback (:mod:`.encoder`) is asked, if it is installed.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from ..data import data_path
from ..errors import ModelError
from .lexicon import lemma, lexicon
from .rules import Match, noun_entry, quad_of, verb_entry

DEFAULT_DIR = "quadclass"
FILE = "features.json"
MODEL_ID = "quadlr-v1"
LABELS = ("neutral", "verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
#: The embedding fallback is asked where the rules were unsure and this model's top probability
#: is below this. Between 0.5 and 0.8 the style-shift scores move by less than 0.005 while the
#: share of sample-corpus sentences sent to the encoder goes from 3% to 14%; 0.6 sends ~6%.
FALLBACK_BELOW = 0.6
ACTOR_ENTS = {"GPE", "ORG", "NORP", "PERSON"}


# --- features --------------------------------------------------------------------------------------

def features(sent, m: Match | None) -> dict[str, float]:
    """What the rules found in ``sent`` (a spaCy Span), given its principal match ``m``."""
    f: dict[str, float] = {}
    if m is None:
        f["match=none"] = 1.0
    else:
        q = quad_of(m.code)
        chain = list(m.chain())
        inner = chain[-1]
        # no negation: the gold has no negated event, and the stage classes a negated one 0 by rule
        f[f"quad={q}"] = 1.0
        f[f"rules={q}"] = 1.0  # the rules' verdict twice over: half the regularisation (+0.003 on shift)
        f[f"root={m.code[:2]}"] = 1.0
        f[f"code={m.code[:3]}"] = 1.0
        f[f"via={m.rule.split(':', 1)[0]}"] = 1.0  # main chain or fallback
        f[f"role={m.role}"] = 1.0
        f[f"quad={q}|role={m.role}"] = 1.0
        f[f"inner={inner.code[:2]}"] = 1.0  # the governed event's own code ("said X *attacked*")
        if m.base and m.base[:2] != m.code[:2]:
            f[f"base={m.base[:2]}"] = 1.0  # what negation or modality recoded
        for n in chain:
            f[f"path={n.role or 'event'}"] = 1.0
            if n.modal:
                f[f"modal={n.modal}"] = 1.0
                f[f"modal={n.modal}|quad={q}"] = 1.0
        f[f"trig={m.key}"] = 1.0
        f[f"pos={m.trigger.pos_}"] = 1.0
        deps = {c.dep_ for c in m.pred.children}
        f[f"args={'s' if deps & {'nsubj', 'nsubjpass'} else ''}{'o' if deps & {'dobj', 'dative', 'prep'} else ''}"] = 1.0
    counts = [0.0] * 10  # lexicon hits anywhere in the sentence: verbs by quad, then nouns by quad
    ents = 0  # named actors beginning in the sentence (Span.ents rebuilds the Doc's entity list)
    for t in sent:
        if t.ent_iob_ == "B" and t.ent_type_ in ACTOR_ENTS:
            ents += 1
        if t.pos_ in ("VERB", "AUX", "ADJ"):
            hit = verb_entry(t)
            if hit and hit[0].code:
                counts[quad_of(hit[0].code)] += 1
                f[f"lex={hit[0].key}"] = 1.0
        elif t.pos_ in ("NOUN", "PROPN"):
            hit = noun_entry(t)
            if hit and hit[0].code:
                counts[5 + quad_of(hit[0].code)] += 1
                f[f"lex={hit[0].key}"] = 1.0
    for i, n in enumerate(counts):
        if n:
            f[f"{'vn'[i // 5]}q{i % 5}"] = n
    root = sent.root
    entry = lexicon().verbs.get(lemma(root)) if root.pos_ in ("VERB", "AUX") else None
    if entry is None:
        f[f"rootlex=none|{root.pos_}"] = 1.0
    else:  # the root verb's lexicon class, not its identity: unseen verbs of a known class count
        f[f"rootlex={quad_of(entry.code) if entry.code else '-'}|{entry.role}"] = 1.0
    f[f"ents={min(ents, 2)}"] = 1.0
    return f


# --- the model -------------------------------------------------------------------------------------

class QuadModel:
    """Quad-class probabilities of a sentence from its :func:`features`, and the embedding
    fallback where one is installed."""

    def __init__(self, weights: dict[str, list[float]], intercept: list[float], provenance: dict | None = None,
                 fallback=None):
        self.weights = weights
        self.intercept = intercept
        self.meta = provenance or {}
        self.fallback = fallback  # an encoder.Fallback, or None

    def probabilities(self, feats: dict[str, float]) -> list[float]:
        z = list(self.intercept)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for c in range(len(z)):
                    z[c] += w[c] * value
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]

    def classify(self, feats: dict[str, float]) -> tuple[int, float]:
        """(quad class, its probability)."""
        p = self.probabilities(feats)
        best = max(range(len(p)), key=p.__getitem__)
        return best, p[best]

    def to_json(self) -> dict:
        return {"model": MODEL_ID, "labels": list(LABELS), "intercept": [round(v, 5) for v in self.intercept],
                "weights": {k: [round(v, 5) for v in w] for k, w in sorted(self.weights.items())},
                "provenance": self.meta}

    def save(self, folder: str | Path) -> Path:
        path = Path(folder) / FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        return path


def model_dir(path: str | None = None) -> Path:
    """The model folder ``path``, or the shipped one."""
    return Path(path) if path else data_path("events", DEFAULT_DIR)


@lru_cache(maxsize=8)
def load_model(path: str = "") -> QuadModel | None:
    """The quad-class model in folder ``path`` ("" = the shipped one, "none" = rules only), or
    None; with the embedding fallback where the folder has it."""
    if path == "none":
        return None
    folder = model_dir(path or None)
    file = folder / FILE
    if not file.is_file():
        if path:
            raise ModelError(f"no quad-class model in {path} (expected {FILE}): "
                             f"build one with `newsevents train events --out {path}`")
        return None
    try:
        d = json.loads(file.read_text(encoding="utf-8"))
        model = QuadModel(d["weights"], d["intercept"], d.get("provenance"))
    except (ValueError, KeyError) as exc:
        raise ModelError(f"{file} is not a quad-class model ({exc}): rebuild it with `newsevents train events`") from exc
    from . import encoder

    if encoder.present(folder):
        model.fallback = encoder.Fallback(folder)
    return model
