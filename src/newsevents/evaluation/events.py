"""Scoring event coding against the development gold (ConfliBERT CAMEO files).

- Quad class (``conflibert-cameo-class-train.tsv``: ``sentence<TAB>label``): accuracy,
  macro-F1, per-class P/R/F1 and the confusion matrix, the sentence-level ``quad_class`` of
  ``newsevents code --lines`` read as 0 when a sentence has no event.
- Actor spans (``conflibert-cameo-ner-train.txt``, CoNLL BIO with S source, T target and R
  reciprocal, R scored as S): exact and overlap P/R/F1 of the set of (role, normalised text)
  per sentence, as ``shared/eval/score_events.py`` counts them.

The rules were written from the codebooks, so their figures are reported on the whole file
(with the caveat that they were corrected while reading errors on it). The learned quad-class
model is scored only by k-fold cross-validation (:func:`model_cv`): each fold's sentences are
coded by a model trained on the other folds, on two kinds of split:

- ``random``: stratified folds; flatters anything that learns the file's wording;
- ``shift``: folds grouped by the lemma of the sentence's root verb, so no test sentence's main
  verb was a training sentence's. On it TF-IDF + LR scores 0.60 and frozen MiniLM + LR 0.63,
  close to what the held-out set of another distribution gave them (0.61, 0.62; issue 4), so
  it is our proxy for that set, and the split models are chosen by.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .gold import CLASS_FILE, NER_FILE, gold_spans, read_classes, read_conll

LABELS = (0, 1, 2, 3, 4)
#: Floors the test suite holds the development gold to: rules only on the whole file, rules +
#: the shipped kind of model on the style-shift split (5 folds), exact actor-span F1. A few points
#: under what was measured when they were set (0.891, 0.900; span F1 0.787 when raised from 0.66),
#: so a change that loses accuracy fails. Lower one only on purpose, saying why in the commit.
FLOORS = {"quad_macro_f1": 0.86, "quad_macro_f1_shift": 0.87, "span_f1": 0.75}


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass
class ClassScores:
    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[int, tuple[float, float, float, int]]  # label -> (P, R, F1, support)
    confusion: list[list[int]]  # rows gold, columns predicted
    folds: list[float] = field(default_factory=list)  # per-fold macro-F1 (cross-validation only)


@dataclass
class SpanScores:
    n: int
    exact: tuple[float, float, float]  # P, R, F1
    overlap: tuple[float, float, float]
    by_role: dict[str, tuple[float, float, float]]  # exact P/R/F1 for S and T


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_classes(gold: Sequence[int], pred: Sequence[int], folds: list[float] | None = None) -> ClassScores:
    per = {}
    for c in LABELS:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        per[c] = (*prf(tp, fp, fn), tp + fn)
    confusion = [[sum(1 for g, p in zip(gold, pred) if g == a and p == b) for b in LABELS] for a in LABELS]
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    return ClassScores(len(gold), acc, sum(v[2] for v in per.values()) / len(LABELS), per, confusion, folds or [])


def predicted_spans(record: dict) -> set[tuple[str, str]]:
    out = set()
    for e in record.get("events", []):
        for role, key in (("S", "source"), ("T", "target")):
            a = e.get(key)
            if isinstance(a, dict) and a.get("text"):
                out.add((role, norm(a["text"])))
    return out


def score_spans(gold: Sequence[list[tuple[str, str]]], records: Sequence[dict]) -> SpanScores:
    tp = fp = fn = overlap_found = overlap_right = npred = 0
    role_counts = {r: [0, 0, 0] for r in ("S", "T")}
    for g_spans, rec in zip(gold, records):
        g = {(r, norm(t)) for r, t in g_spans}
        p = predicted_spans(rec)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        overlap_found += sum(1 for r, t in g if any(r == r2 and t2 and (t in t2 or t2 in t) for r2, t2 in p))
        overlap_right += sum(1 for r, t in p if any(r == r2 and t and (t in t2 or t2 in t) for r2, t2 in g))
        npred += len(p)
        for r in role_counts:
            gr, pr = {x for x in g if x[0] == r}, {x for x in p if x[0] == r}
            role_counts[r][0] += len(gr & pr)
            role_counts[r][1] += len(pr - gr)
            role_counts[r][2] += len(gr - pr)
    exact = prf(tp, fp, fn)
    # overlap: a gold span counts as found when a predicted span of its role contains it or sits inside it
    orec = overlap_found / (tp + fn) if tp + fn else 0.0
    opre = overlap_right / npred if npred else 0.0
    of1 = 2 * opre * orec / (opre + orec) if opre + orec else 0.0
    return SpanScores(len(gold), exact, (opre, orec, of1), {r: prf(*v) for r, v in role_counts.items()})


def quad_of_records(records: Iterable[dict]) -> list[int]:
    return [int(r.get("quad_class") or 0) for r in records]


def kfold_indices(labels: Sequence[int], k: int = 5, seed: int = 13) -> list[list[int]]:
    """Stratified folds: the indexes of each class dealt round-robin after a seeded shuffle."""
    import random

    rng = random.Random(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    for c in sorted(set(labels)):
        idx = [i for i, y in enumerate(labels) if y == c]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            folds[j % k].append(i)
    return [sorted(f) for f in folds]


def shift_indices(groups: Sequence[str], k: int = 5) -> list[list[int]]:
    """Folds that keep each group (the root-verb lemma) whole, balanced by size (GroupKFold)."""
    from sklearn.model_selection import GroupKFold

    return [sorted(test.tolist()) for _, test in GroupKFold(k).split(list(groups), groups=list(groups))]


def quad_cv(texts: Sequence[str], labels: Sequence[int], fit_predict: Callable[[list[int], list[int]], list[int]],
            k: int = 5, folds: list[list[int]] | None = None) -> ClassScores:
    """Cross-validated scores: ``fit_predict(train_idx, test_idx)`` returns predictions for test_idx
    (stratified ``k`` folds unless ``folds`` are given)."""
    pred = [0] * len(texts)
    fold_f1 = []
    for test in folds or kfold_indices(labels, k):
        held = set(test)
        train = [i for i in range(len(texts)) if i not in held]
        got = fit_predict(train, test)
        for i, p in zip(test, got):
            pred[i] = p
        fold_f1.append(score_classes([labels[i] for i in test], got).macro_f1)
    return score_classes(labels, pred, fold_f1)


SPLITS = ("random", "shift")


def evaluate_events(gold_dir: str | Path, settings=None, limit: int | None = None, cv: int = 5,
                    splits: Sequence[str] = SPLITS, fallback: bool = True, span_model: bool = False) -> dict:
    """Code the gold sentences with the pipeline and score them.

    ``classes``: rules only (the model switched off) on the whole file. ``classes_random`` and
    ``classes_shift`` (with ``cv`` = k > 1): rules plus the quad-class model, k-fold on each
    split of ``splits``; ``fallback=False`` leaves out the embedding fallback. ``spans``: the
    pipeline as ``settings`` has it (``event_spans``). ``span_model``: the learned span tagger
    against the rules (:func:`newsevents.events.spantrain.measure`: the ConfliBERT NER file and PLV's
    marked dyads, each ``cv``-fold and trained on the other set only).
    """
    from ..errors import SettingsError
    from ..events.lines import code_lines
    from ..settings import Settings

    settings = settings or Settings()
    gold_dir = Path(gold_dir)
    texts, labels = read_classes(gold_dir / CLASS_FILE)
    conll = read_conll(gold_dir / NER_FILE)
    if limit:
        texts, labels, conll = texts[:limit], labels[:limit], conll[:limit]
    rules_only = settings.with_(events_model="none")
    out = {"classes": score_classes(labels, quad_of_records(code_lines(texts, settings=rules_only)))}
    if cv > 1 and splits:
        from ..events.train import line_features

        unknown = set(splits) - set(SPLITS)
        if unknown:
            raise SettingsError(f"unknown split(s) {', '.join(sorted(unknown))}; valid: {', '.join(SPLITS)}")
        feats, roots = line_features(texts, settings)
        for split in splits:
            folds = kfold_indices(labels, cv) if split == "random" else shift_indices(roots, cv)
            out[f"classes_{split}"] = model_cv(texts, labels, settings, folds=folds, feats=feats, fallback=fallback)
    ner_records = list(code_lines([" ".join(t for t, _ in s) for s in conll], settings=settings))
    out["spans"] = score_spans([gold_spans(s) for s in conll], ner_records)
    if span_model:
        from ..events.spantrain import measure

        # the span tagger against the rules on both span sets, cross-validated (cv > 1) and leaving one out
        out["span_model"] = measure(gold_dir, settings.with_(event_spans="none"), k=cv, limit=limit)
    return out


def model_cv(texts: Sequence[str], labels: Sequence[int], settings, k: int = 5, records: dict[int, dict] | None = None,
             *, folds: list[list[int]] | None = None, feats: Sequence[dict] | None = None,
             fallback: bool = True) -> ClassScores:
    """Rules + model over ``folds`` (default: ``k`` stratified ones): each fold is coded by a model
    fitted without it (the feature model and the fallback's head; the frozen encoder never saw any
    gold). ``feats`` are the sentences' features when the caller has them. ``records``, when
    given, receives each sentence's coded record by index (the evaluation report reads the
    events' confidence from them)."""
    import os
    import tempfile

    from ..events import encoder
    from ..events.lines import code_lines
    from ..events.quadmodel import model_dir
    from ..events.train import fit, line_features

    if feats is None:
        feats, _ = line_features(texts, settings)
    folder = model_dir(settings.events_model if settings.events_model not in ("", "none", "shipped") else None)
    fallback = fallback and encoder.present(folder)
    emb = encoder.Encoder(folder, threads=2).embed(list(texts)) if fallback else None

    def fit_predict(train: list[int], test: list[int]) -> list[int]:
        with tempfile.TemporaryDirectory() as tmp:
            fit([feats[i] for i in train], [labels[i] for i in train], provenance={"cross-validation": True}).save(tmp)
            if fallback:
                for name in ("encoder.onnx", "tokenizer.json"):
                    os.symlink((folder / name).resolve(), Path(tmp) / name)
                coef, intercept = encoder.fit_head(emb[train], [labels[i] for i in train])
                encoder.write_head(tmp, coef, intercept, {"cross-validation": True})
            coded = list(code_lines([texts[i] for i in test], settings=settings.with_(events_model=tmp)))
        if records is not None:
            records.update(zip(test, coded))
        return quad_of_records(coded)

    return quad_cv(texts, labels, fit_predict, k, folds)
