"""Scoring the event type model (:mod:`newsevents.events.typemodel`) honestly: every gold set
separately, by cross-validation and leaving one set out.

The gold lines are coded by the rules once (:func:`newsevents.events.typetrain.prepare`); each
fold then fits the model on its training lines, lets it decide the candidates of its test lines
exactly as the event stage does (:func:`newsevents.events.typemodel.apply`), reads each line's
record as ``newsevents code --lines`` writes it and scores the records as the shared scorers do
(``score_events.py``: quad macro-F1 of the line's class; ``score_plv.py``: PLOVER type of the
event that links the gold dyad, else of the line's first typed event).

- ``rules``: the rules alone, every line;
- ``cv``: 5 folds grouped by sentence (a sentence in two sets is in one fold), each set scored
  on its own lines;
- ``without_plv``: trained on the ConfliBERT lines whose sentence PLV lacks, scored on all of PLV;
  ``without_conflibert``: trained on PLV, scored on the ConfliBERT class lines whose sentence PLV
  lacks (the two files share 536 sentences, which would otherwise be scored after training on them).

Calibration: the expected calibration error (10 equal-width bins) of the decided root's
probability on the cross-validated training candidates, before and after the temperature, and
of the rules' own ``confidence`` against their root (what ``confidence`` meant before the model).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..events import typemodel
from ..events.lines import line_record
from ..events.typetrain import SETS, Prepared, anchored, fit, fit_temperature, norm, vocabulary, weights
from .events import ClassScores, score_classes

K = 5
SNAPSHOT = ("cameo", "cameo_root", "cameo_name", "plover", "plover_mode", "quad_class", "goldstein", "confidence", "rule")


@dataclass
class PlvScores:
    n: int
    accuracy: float
    macro_f1: float
    linked: float  # share of rows whose gold dyad an event links
    confused: list[tuple[str, int]] = field(default_factory=list)  # commonest wrong predictions


@dataclass
class ModelEval:
    rules: dict[str, object]
    cv: dict[str, object]
    loso: dict[str, object]  # "without_plv" -> PlvScores on PLV; "without_conflibert" -> ClassScores
    loso_rules: dict[str, object]  # the rules alone on the same lines as ``loso``
    temperature: float = 1.0
    ece_before: float = 0.0
    ece_after: float = 0.0
    ece_rules: float = 0.0  # the rules' own confidence (0.3 to 0.8 by rule kind) against their root
    records: dict[str, dict] = field(default_factory=dict)  # sentence -> its cross-validated record

    def summary(self) -> dict:
        def f(s):
            return round(s.macro_f1, 3)
        return {"rules": {k: f(v) for k, v in self.rules.items()}, "cv": {k: f(v) for k, v in self.cv.items()},
                "loso": {k: f(v) for k, v in self.loso.items()},
                "loso_rules": {k: f(v) for k, v in self.loso_rules.items()},
                "temperature": self.temperature, "ece_before": round(self.ece_before, 3),
                "ece_after": round(self.ece_after, 3), "ece_rules": round(self.ece_rules, 3)}


def words(text) -> set[str]:
    return set(re.findall(r"\w+", str(text or "").lower()))


def score_plv(lines: Sequence, records: Sequence[dict]) -> PlvScores:
    """``score_plv.py``'s count over (gold line, its sentence's record) pairs."""
    def ptype(e):
        return str(e.get("plover") or "").upper()

    def linked_to(e, key, gold):
        ref = e.get(key)
        return isinstance(ref, dict) and bool(words(ref.get("text")) & words(gold))

    gold, pred, linked = [], [], 0
    for line, rec in zip(lines, records):
        evs = [e for e in rec.get("events", []) if ptype(e)]
        hit = next((e for e in evs if linked_to(e, "source", line.source) and linked_to(e, "target", line.target)), None)
        linked += hit is not None
        t = ptype(hit) if hit else (ptype(evs[0]) if evs else "NONE")
        g = line.label
        gold.append(g)
        pred.append(g if t in {"YIELD": {"CONCEDE", "RETREAT"}}.get(g, {g}) else t)
    n = len(gold)
    f1s = []
    for c in sorted(set(gold)):
        tp = sum(g == q == c for g, q in zip(gold, pred))
        fp = sum(q == c != g for g, q in zip(gold, pred))
        fn = sum(g == c != q for g, q in zip(gold, pred))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return PlvScores(n, sum(g == q for g, q in zip(gold, pred)) / n if n else 0.0, sum(f1s) / len(f1s) if f1s else 0.0,
                     linked / n if n else 0.0, Counter(q for g, q in zip(gold, pred) if g != q).most_common(3))


def ece(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    total = len(confidence)
    out = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidence) if lo < c <= hi or (b == 0 and c == 0)]
        if idx:
            out += len(idx) / total * abs(sum(correct[i] for i in idx) / len(idx) - sum(confidence[i] for i in idx) / len(idx))
    return out


class Runner:
    """Fits on some gold lines and codes others, on the rules' candidates prepared once."""

    def __init__(self, prep: Prepared, vectors: str = typemodel.DEFAULT_VECTORS, encoder=None):
        self.prep = prep
        flat = [c for cs in prep.cands for c in cs]
        self.rows = [k for k, ex in enumerate(prep.examples) if ex is not None]
        examples = [prep.examples[k][1] for k in self.rows]
        encoded = typemodel.encode_texts(flat + examples, encoder) if vectors == "minilm" else None
        self.dense_ex = typemodel.dense_part(examples, vectors, encoder, encoded)
        self.dense_all = [typemodel.dense_part(cs, vectors, encoder, encoded) if cs else None for cs in prep.cands]
        self.weights = weights([prep.lines[k] for k in self.rows])
        self.saved = [[self._snapshot(c) for c in cs] for cs in prep.cands]
        self.group = [norm(line.text) for line in prep.lines]

    @staticmethod
    def _snapshot(c):
        e = {k: getattr(c.event, k) for k in SNAPSHOT} if c.event is not None else None
        return e, (c.sentence.quad_class if c.sentence is not None else None)

    def restore(self, t: int) -> None:
        for c, (e, q) in zip(self.prep.cands[t], self.saved[t]):
            if e is not None:
                for k, v in e.items():
                    setattr(c.event, k, v)
            if c.sentence is not None:
                c.sentence.quad_class = q

    def fit(self, train_lines: set[int]):
        import numpy as np

        pick = [i for i, k in enumerate(self.rows) if k in train_lines]
        names = vocabulary([self.prep.examples[self.rows[i]][1] for i in pick])
        index = {n: i for i, n in enumerate(names)}
        x = np.hstack([self.dense_ex[pick], typemodel.sparse_part([self.prep.examples[self.rows[i]][1] for i in pick], index)])
        w, b = fit(x, [anchored(self.prep.lines[self.rows[i]].allowed, self.prep.examples[self.rows[i]][1]) for i in pick],
                   [self.weights[i] for i in pick])
        return w, b, index

    def logits(self, model, cands, dense):
        import numpy as np

        w, b, index = model
        return np.hstack([dense, typemodel.sparse_part(cands, index)]) @ w.T + b

    def records(self, model, texts: Sequence[int], temperature: float = 1.0) -> dict[int, dict]:
        """Each text's record with the model deciding its candidates (the events are restored after)."""
        out = {}
        for t in texts:
            cands = self.prep.cands[t]
            if cands:
                z = self.logits(model, cands, self.dense_all[t]) / temperature
                for c, p in zip(cands, softmax(z)):
                    typemodel.apply(c, p)
            out[t] = line_record(self.prep.texts[t], self.prep.docs[t])
            self.restore(t)
        return out

    def rules_records(self) -> dict[int, dict]:
        return {t: line_record(text, self.prep.docs[t]) for t, text in enumerate(self.prep.texts)}

    def example_logits(self, model, rows: Sequence[int]):
        import numpy as np

        pick = [self.rows.index(k) for k in rows]
        return self.logits(model, [self.prep.examples[k][1] for k in rows], self.dense_ex[pick]) if pick else np.zeros((0, 20))


def softmax(z):
    import numpy as np

    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def scores(prep: Prepared, records: dict[int, dict], lines: Sequence[int]) -> dict[str, object]:
    """Per set, the scores of ``lines`` (indexes into prep.lines) from their texts' records."""
    text_index = {t: i for i, t in enumerate(prep.texts)}
    out = {}
    by_set: dict[str, list[int]] = {}
    for k in lines:
        by_set.setdefault(prep.lines[k].set, []).append(k)
    for name, ks in sorted(by_set.items()):
        recs = [records[text_index[prep.lines[k].text]] for k in ks]
        if name == "plv":
            out[name] = score_plv([prep.lines[k] for k in ks], recs)
        else:
            out[name] = score_classes([int(prep.lines[k].label) for k in ks], [int(r.get("quad_class") or 0) for r in recs])
    return out


def cross_validate(prep: Prepared, vectors: str = typemodel.DEFAULT_VECTORS, encoder=None, k: int = K,
                   loso: bool = True, log=print) -> ModelEval:
    """The figures of :class:`ModelEval` for a model reading ``vectors`` (``minilm``: through
    ``encoder``)."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    run = Runner(prep, vectors, encoder)
    text_index = {t: i for i, t in enumerate(prep.texts)}
    everything = list(range(len(prep.lines)))
    rules = run.rules_records()
    result = ModelEval(rules=scores(prep, rules, everything), cv={}, loso={}, loso_rules={})

    cv_records: dict[int, dict] = {}
    oof_rows, oof_logits = [], []
    groups = [run.group[i] for i in everything]
    for fold, (_, test) in enumerate(GroupKFold(k).split(everything, groups=groups)):
        test = set(test.tolist())
        model = run.fit(set(everything) - test)
        cv_records.update(run.records(model, sorted({text_index[prep.lines[i].text] for i in test})))
        rows = [i for i in run.rows if i in test]
        oof_rows += rows
        oof_logits.append(run.example_logits(model, rows))
        log(f"  fold {fold + 1}/{k} done")
    result.cv = scores(prep, cv_records, everything)
    result.records = {prep.texts[t]: rec for t, rec in cv_records.items()}
    logits = np.vstack(oof_logits)
    masks = np.array([[r in prep.lines[i].allowed for r in typemodel.ROOTS] for i in oof_rows], dtype=np.float32)
    result.temperature = fit_temperature(logits, masks)
    for t, attr in ((1.0, "ece_before"), (result.temperature, "ece_after")):
        conf, correct = [], []
        for p, i in zip(softmax(logits / t), oof_rows):
            e = prep.examples[i][1].event
            root, _ = typemodel.decision(p, e.cameo_root if typemodel.decided(e) else None)
            conf.append(float(p[typemodel.ROOTS.index(root)]))
            correct.append(root in prep.lines[i].allowed)
        setattr(result, attr, ece(conf, correct))
    ruled = [(prep.examples[i][1].event, prep.lines[i].allowed) for i in oof_rows
             if typemodel.decided(prep.examples[i][1].event)]
    result.ece_rules = ece([e.confidence for e, _ in ruled], [e.cameo_root in allowed for e, allowed in ruled])

    if loso and {line.set for line in prep.lines} == set(SETS):
        plv_texts = {run.group[i] for i in everything if prep.lines[i].set == "plv"}
        plv = [i for i in everything if prep.lines[i].set == "plv"]
        cb_train = {i for i in everything if prep.lines[i].set == "conflibert" and run.group[i] not in plv_texts}
        model = run.fit(cb_train)
        recs = run.records(model, sorted({text_index[prep.lines[i].text] for i in plv}))
        result.loso["without_plv"] = scores(prep, recs, plv)["plv"]
        result.loso_rules["without_plv"] = scores(prep, rules, plv)["plv"]
        model = run.fit(set(plv))
        cb_test = sorted(cb_train)  # the ConfliBERT lines PLV lacks
        recs = run.records(model, sorted({text_index[prep.lines[i].text] for i in cb_test}))
        result.loso["without_conflibert"] = scores(prep, recs, cb_test)["conflibert"]
        result.loso_rules["without_conflibert"] = scores(prep, rules, cb_test)["conflibert"]
        log("  leave-one-set-out done")
    return result


def evaluate_model(gold_dir, k: int = K, limit: int | None = None, settings=None, loso: bool = True,
                   log=print) -> ModelEval:
    """``newsevents evaluate events``: the gold coded by the rules, then :func:`cross_validate`
    of a model reading the token vectors the shipped one reads (or the folder in
    ``settings.events_model``'s; ``limit``: the first N lines of each set)."""
    import json

    from ..events.typetrain import prepare, read_gold

    lines = read_gold(gold_dir)
    if limit:
        lines = [line for name in SETS for line in [x for x in lines if x.set == name][:limit]]
    folder = typemodel.model_dir(settings.events_model if settings and settings.events_model not in ("", "none", "shipped") else None)
    vectors, encoder = typemodel.DEFAULT_VECTORS, None
    if (folder / "head.json").is_file():
        vectors = typemodel.vectors_of(json.loads((folder / "head.json").read_text(encoding="utf-8")))
    if vectors == "minilm":
        from ..events.encoder import shared_encoder

        encoder = shared_encoder(str(folder.resolve()))
    return cross_validate(prepare(lines, settings, log=log), vectors, encoder, k=k, loso=loso, log=log)


__all__ = ["evaluate_model", "ModelEval", "PlvScores", "cross_validate", "score_plv", "ece", "ClassScores"]
