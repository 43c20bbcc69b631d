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
name, the intercepts and the provenance. It is applied in pure Python (no numpy, no pickle);
fitting needs scikit-learn. Where the rules were unsure (no trigger, a fallback trigger or a
report of something uncoded) and this model is too, the same folder's sentence-embedding
fallback (:mod:`.encoder`) is asked, if it is installed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
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
#: Regularisation of the logistic regression (sklearn's C). 0.3 scored best on the style-shift
#: split among 0.05 to 3 (docs/events.md); plain cross-validation prefers weaker
#: regularisation, which fits the file's wording more.
C = 0.3
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


# --- training --------------------------------------------------------------------------------------

def fit(feats: Sequence[dict[str, float]], labels: Sequence[int], c: float = C, provenance: dict | None = None) -> QuadModel:
    """Multinomial logistic regression (balanced classes) over feature dicts."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    dv = DictVectorizer()
    x = dv.fit_transform(feats)
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, list(labels))
    if list(lr.classes_) != list(range(len(LABELS))):
        raise ModelError(f"the training labels must cover 0..4, got {list(lr.classes_)}")
    names = dv.get_feature_names_out()
    weights = {str(names[j]): [float(lr.coef_[k][j]) for k in range(len(LABELS))] for j in range(len(names))
               if any(abs(lr.coef_[k][j]) >= 1e-5 for k in range(len(LABELS)))}
    return QuadModel(weights, [float(v) for v in lr.intercept_], provenance)


def line_features(texts: Sequence[str], settings=None) -> tuple[list[dict[str, float]], list[str]]:
    """Features of each text coded as one line (as ``newsevents code --lines`` does), and the
    lemma of its root verb (the groups of the style-shift split).

    A line the parser splits in several sentences is represented by its first sentence with a
    trigger (the one whose class the line takes), else its first sentence.
    """
    from ..model import Article
    from ..pipeline import Pipeline
    from ..settings import Settings
    from . import sentence_match

    settings = (settings or Settings()).with_(stages=("parse",))
    articles = (Article(id=f"line-{i}", body=t, language="en", source=f"line {i + 1}") for i, t in enumerate(texts))
    feats, roots = [], []
    for doc in Pipeline(settings, keep_parse=True).pipe(articles):
        sents = [doc.parse.char_span(s.start, s.end, alignment_mode="expand") for s in doc.sentences]
        sents = [s for s in sents if s is not None and len(s) <= settings.max_sentence_tokens]
        chosen = None
        for s in sents:
            m = sentence_match(s)
            if m is not None:
                chosen = (s, m)
                break
        if chosen is None:
            chosen = (sents[0], None) if sents else (doc.parse[:], None)
        feats.append(features(*chosen))
        roots.append(doc.parse[:].root.lemma_.lower() if len(doc.parse) else "")
    return feats, roots


def train(class_file: str | Path, out: str | Path | None = None, export_encoder: bool = False, log=print) -> Path:
    """Fit the model on the whole gold quad-class file (``newsevents train events``): the
    feature model, and the fallback's head where the folder has the encoder (``export_encoder``
    builds it first; needs the train extra)."""
    from ..evaluation.events import read_classes
    from . import encoder

    class_file = Path(class_file)
    folder = model_dir(str(out) if out else None)
    texts, labels = read_classes(class_file)
    provenance = {
        "trained_on": class_file.name, "sha256": hashlib.sha256(class_file.read_bytes()).hexdigest(),
        "sentences": len(texts),
        "labels": "0 neutral, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
        "data": "ConfliBERT cameo_class (eventdata/ConfliBERT @ 0b63001, GPL-3.0 repository; data from Parolin et "
                "al. 2022, Multi-CoPED); only the fitted weights are shipped, no sentence",
        "command": "newsevents train events --gold ../shared/gold/events",
    }
    log(f"reading the rules' evidence in {len(texts)} sentences ...")
    feats, _ = line_features(texts)
    fit(feats, labels, provenance={
        **provenance, "model": f"{MODEL_ID}: sklearn LogisticRegression(C={C}, class_weight=balanced) over the rule "
        "coder's features (newsevents.events.quadmodel.features)",
        "lexicon_sha256": hashlib.sha256(data_path("events", "triggers.csv").read_bytes()).hexdigest(),
    }).save(folder)
    if export_encoder:
        log("exporting the encoder (all-MiniLM-L6-v2, int8 ONNX) ...")
        encoder.export_encoder(folder)
    if (folder / "encoder.onnx").is_file():
        log(f"embedding {len(texts)} sentences for the fallback's head ...")
        encoder.train_head(folder, texts, labels, provenance)
    return folder
