"""Fitting the sentence quad-class model (``newsevents train events``): the feature model of
:mod:`.quadmodel` and the embedding fallback's head (:mod:`.encoder`), from the development gold
read by :mod:`newsevents.evaluation.gold`. Needs scikit-learn (the ``train`` extra)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from ..data import data_path
from ..errors import ModelError
from ..evaluation.gold import read_classes
from ..model import Article
from ..pipeline import Pipeline
from ..settings import Settings
from . import encoder, sentence_match
from .quadmodel import LABELS, MODEL_ID, QuadModel, features, model_dir

#: Regularisation of the logistic regression (sklearn's C). 0.3 scored best on the style-shift
#: split among 0.05 to 3 (docs/events.md); plain cross-validation prefers weaker
#: regularisation, which fits the file's wording more.
C = 0.3


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
