"""Training and measuring the span tagger (:mod:`.spantagger`) on all our span gold.

Two gold sets, read here: the ConfliBERT NER file (CoNLL BIO with S source, T target and R
reciprocal, R read as S) and PLV (``plv-train.tsv``: ``marked_sentence`` with ``<s>..</s>`` and
``<t>..</t>``; a sentence's rows are joined). Each gold line is coded by the pipeline with the
rules alone (the events' spans are the rules' reading), its parse kept; each sentence of it is
one CRF sequence.

``newsevents train spans`` fits the CRF on both sets and writes its weights with their
provenance (the gold files' sha256, the figures of :func:`measure`); the gold text never enters
the package. :func:`measure` gives the figures ``newsevents evaluate events`` reports: the rules
against rules + tagger, k-fold cross-validated within each set and leaving one set out.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..evaluation.gold import NER_FILE, read_conll
from ..model import Article
from ..settings import Settings
from .spantagger import LABELS, MODEL_FILE, MODEL_ID, PROVENANCE_FILE, ROLES, token_arrays, bio, reconcile, \
    sentence_inputs, spans_of, token_span, well_formed

PLV_FILE = "plv-train.tsv"
#: L-BFGS with elastic net; the L1 term keeps the weights small (about 110 kB). Weaker
#: regularisation (c1 0.05, c2 0.01) scored within a point below on both sets left out.
PARAMS = {"c1": 0.2, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
FOLDS = 5


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass
class GoldLine:
    """One gold sentence: its text and gold (role, start char, end char) spans."""

    set: str  # "conflibert" | "plv"
    text: str
    spans: list[tuple[str, int, int]]


def read_ner(path: str | Path) -> list[GoldLine]:
    out = []
    for sent in read_conll(path):
        text, spans, pos, cur = "", [], 0, None
        for k, (tok, tag) in enumerate([*sent, ("", "O")]):
            if tag == "O" or tag.startswith("B-") or (cur is not None and tag[2:] != cur[0]):
                if cur is not None:
                    spans.append(("S" if cur[0] == "R" else cur[0], cur[1], pos - 1))
                cur = None
                if tag != "O":
                    cur = (tag[2:], pos)
            if k < len(sent):
                text += tok + " "
                pos += len(tok) + 1
        out.append(GoldLine("conflibert", text[:-1], [(r, a, b) for r, a, b in spans]))
    return out


_MARK = re.compile(r"</?[st]>")


def read_plv(path: str | Path) -> list[GoldLine]:
    """PLV's marked dyads, one line per sentence (its rows' dyads joined)."""
    by_text: dict[str, GoldLine] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            marked, plain, spans, opened = row["marked_sentence"], "", [], {}
            pos = 0
            for m in _MARK.finditer(marked):
                plain += marked[pos:m.start()]
                pos = m.end()
                tag = m.group()
                role = tag.strip("</>").upper()
                if tag.startswith("</"):
                    if role in opened:
                        a, b = opened.pop(role), len(plain)
                        while a < b and plain[a].isspace():
                            a += 1
                        while b > a and plain[b - 1].isspace():
                            b -= 1
                        if b > a:
                            spans.append((role, a, b))
                else:
                    opened[role] = len(plain)
            plain += marked[pos:]
            line = by_text.setdefault(plain, GoldLine("plv", plain, []))
            line.spans.extend(s for s in spans if s not in line.spans)
    return list(by_text.values())


@dataclass
class Sequence_:
    """One sentence ready for the CRF and for scoring."""

    line: int  # index of its gold line
    start: int  # token bounds in the line's parse
    end: int
    features: list[list[str]]
    gold: list[str]  # BIO tags
    pairs: list[tuple[tuple[int, int] | None, tuple[int, int] | None]]  # the rules' events, principal first
    fill: bool  # the principal event's empty roles may be filled (not a mutual act)


@dataclass
class Prepared:
    """The gold lines of one set coded and cut into sequences."""

    lines: list[GoldLine]
    words: list[list[str]] = field(default_factory=list)  # each line's parse tokens (text with whitespace)
    sequences: list[Sequence_] = field(default_factory=list)
    rule_sets: list[set] = field(default_factory=list)  # each line's (role, norm text) of the rules' events


def prepare(lines: list[GoldLine], settings: Settings | None = None,
            log: Callable[[str], None] = lambda m: None) -> Prepared:
    """Code ``lines`` with the rules (parse kept) and cut them into CRF sequences."""
    from ..pipeline import Pipeline

    settings = (settings or Settings()).with_(events_model="none", event_spans="none")
    out = Prepared(lines)
    articles = (Article(id=f"gold-{i}", body=g.text, language="en", source=f"line {i + 1}")
                for i, g in enumerate(lines))
    for i, doc in enumerate(Pipeline(settings, keep_parse=True).pipe(articles)):
        g = lines[i]
        out.rule_sets.append({(role, norm(ref.text)) for e in doc.events
                              for role, ref in zip(ROLES, (e.source, e.target)) if ref is not None and ref.text})
        parse = doc.parse
        out.words.append([t.text_with_ws for t in parse] if parse is not None else [])
        if parse is None or not len(parse):
            continue
        ar = token_arrays(parse)
        gold_tok = [(r, *sp) for r, a, b in g.spans if (sp := token_span(parse, a, b)) is not None]
        for sentence in doc.sentences:
            span = parse.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if span is None or not len(span) or len(span) > settings.max_sentence_tokens:
                continue
            events = [e for e in doc.events if e.sentence_index == sentence.index]
            pairs, fill, feats = sentence_inputs(doc, events, span.start, span.end, ar)
            out.sequences.append(Sequence_(i, span.start, span.end, feats, bio(len(span), gold_tok, span.start),
                                           pairs, fill))
        if (i + 1) % 200 == 0:
            log(f"  coded {i + 1} of {len(lines)} lines")
    return out


def fit(sequences: Sequence[Sequence_], path: str | Path, params: dict | None = None) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sequences:
        trainer.append(s.features, s.gold)
    trainer.set_params({**PARAMS, **(params or {})})
    trainer.train(str(path))


def text_of(words: list[str], a: int, b: int) -> str:
    return "".join(words[a:b]).strip()


def predicted_sets(prep: Prepared, tagger_path: str | Path, only: set[int] | None = None,
                   mode: str = "reconcile") -> dict[int, set]:
    """Each line's (role, norm text) spans with the tagger at ``tagger_path`` applied to the rules'
    events (``mode`` "reconcile", as the pipeline does) or the tagged spans alone ("tags")."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(tagger_path))
    out: dict[int, set] = {}
    seen: set[int] = set()
    for s in prep.sequences:
        if only is not None and s.line not in only:
            continue
        words = prep.words[s.line]
        got = out.setdefault(s.line, set())
        pos = [next(f[2:] for f in tok if f.startswith("p=")) for tok in s.features]
        tagged = well_formed(spans_of(tagger.tag(s.features), s.start), pos, s.start)
        if mode == "tags":
            got.update((r, norm(text_of(words, a, b))) for r, a, b in tagged)
            continue
        changes = reconcile(s.pairs, tagged, fill=s.fill)
        for k, pair in enumerate(s.pairs):
            for r, old in zip(ROLES, pair):
                new = changes.get((r, old, k), old)
                if new is not None:
                    got.add((r, norm(text_of(words, *new))))
        seen.add(s.line)
    if mode != "tags":
        # a line the rules coded outside any sequence (none should be) keeps their spans
        for i, rules in enumerate(prep.rule_sets):
            if (only is None or i in only) and i not in seen and rules:
                out.setdefault(i, set()).update(rules)
    return out


def gold_set(line: GoldLine) -> set:
    return {(r, norm(line.text[a:b])) for r, a, b in line.spans}


def score(gold: Sequence[set], pred: Sequence[set]) -> dict:
    """Exact and overlap P/R/F1 of per-line (role, text) sets, overall and per role (the counts
    of ``shared/eval/score_events.py``; overlap: a span of the same role contains or is inside)."""
    def prf(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return (p, r, 2 * p * r / (p + r) if p + r else 0.0)

    def counts(role=None):
        tp = fp = fn = of = orr = npred = ngold = 0
        for g, p in zip(gold, pred):
            if role:
                g, p = {x for x in g if x[0] == role}, {x for x in p if x[0] == role}
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
            of += sum(1 for r, t in g if any(r == r2 and t2 and (t in t2 or t2 in t) for r2, t2 in p))
            orr += sum(1 for r, t in p if any(r == r2 and t and (t in t2 or t2 in t) for r2, t2 in g))
            npred += len(p)
            ngold += len(g)
        ex = prf(tp, fp, fn)
        op, orc = (orr / npred if npred else 0.0), (of / ngold if ngold else 0.0)
        return {"exact": ex, "overlap": (op, orc, 2 * op * orc / (op + orc) if op + orc else 0.0), "gold": ngold}

    return {"all": counts(), "S": counts("S"), "T": counts("T")}


def folds_of(n: int, k: int = FOLDS, seed: int = 13) -> list[list[int]]:
    idx = list(range(n))
    random.Random(seed).shuffle(idx)
    return [sorted(idx[j::k]) for j in range(k)]


def cross_validate(prep: Prepared, k: int = FOLDS, params: dict | None = None, extra: Sequence[Sequence_] = (),
                   mode: str = "reconcile") -> dict:
    """Rules against rules + tagger on ``prep``'s lines, ``k``-fold (each fold tagged by a CRF
    fitted on the other folds and on ``extra``, sequences of other sets)."""
    pred: dict[int, set] = {}
    for test in folds_of(len(prep.lines), k):
        held = set(test)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / MODEL_FILE
            fit([s for s in prep.sequences if s.line not in held] + list(extra), path, params)
            pred.update(predicted_sets(prep, path, held, mode))
    gold = [gold_set(g) for g in prep.lines]
    return {"rules": score(gold, prep.rule_sets),
            "learned": score(gold, [pred.get(i, set()) for i in range(len(prep.lines))])}


def held_out(train: Sequence[Sequence_], test: Prepared, params: dict | None = None, mode: str = "reconcile") -> dict:
    """Rules against rules + a tagger fitted on ``train`` only, on ``test``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / MODEL_FILE
        fit(train, path, params)
        pred = predicted_sets(test, path, None, mode)
    gold = [gold_set(g) for g in test.lines]
    return {"rules": score(gold, test.rule_sets),
            "learned": score(gold, [pred.get(i, set()) for i in range(len(test.lines))])}


def gold_sets(gold_dir: str | Path) -> tuple[list[GoldLine], list[GoldLine]]:
    """The ConfliBERT NER lines and the PLV lines, PLV without the sentences the NER file holds
    (so that leaving one set out leaves it out wholly)."""
    gold_dir = Path(gold_dir)
    ner = read_ner(gold_dir / NER_FILE)
    seen = {norm(g.text) for g in ner}
    plv = [g for g in read_plv(gold_dir / PLV_FILE) if norm(g.text) not in seen]
    return ner, plv


def measure(gold_dir: str | Path, settings: Settings | None = None, k: int = FOLDS, limit: int | None = None,
            log: Callable[[str], None] = lambda m: None) -> dict:
    """The figures of the span tagger: on the ConfliBERT NER file and on PLV, the rules alone
    against rules + tagger ``k``-fold cross-validated (trained on the other folds of the set and
    on all of the other set) and leaving the set out (trained on the other set only)."""
    ner, plv = gold_sets(gold_dir)
    if limit:
        ner, plv = ner[:limit], plv[:limit]
    log(f"coding {len(ner)} ConfliBERT NER lines and {len(plv)} PLV lines with the rules")
    pn, pp = prepare(ner, settings, log), prepare(plv, settings, log)
    out = {"conflibert": {"lines": len(ner)}, "plv": {"lines": len(plv)}}
    if k > 1:
        out["conflibert"]["cv"] = cross_validate(pn, k, extra=pp.sequences)
        out["plv"]["cv"] = cross_validate(pp, k, extra=pn.sequences)
    out["conflibert"]["loso"] = held_out(pp.sequences, pn)
    out["plv"]["loso"] = held_out(pn.sequences, pp)
    return out


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(gold_dir: str | Path, out: str | Path | None = None, settings: Settings | None = None,
          log: Callable[[str], None] = print, measure_k: int = 0) -> Path:
    """Fit the tagger on all of both sets and write ``spans.crfsuite`` and ``spans.json`` (its
    provenance) to ``out`` (default: the shipped folder)."""
    from .spantagger import model_dir

    gold_dir = Path(gold_dir)
    out = Path(out) if out else model_dir()
    out.mkdir(parents=True, exist_ok=True)
    ner, plv = gold_sets(gold_dir)
    log(f"coding {len(ner)} ConfliBERT NER lines and {len(plv)} PLV lines with the rules")
    pn, pp = prepare(ner, settings, log), prepare(plv, settings, log)
    fit(pn.sequences + pp.sequences, out / MODEL_FILE)
    prov = {
        "model": MODEL_ID,
        "what": "linear-chain CRF tagging event sources (S) and targets (T) over the parse and the rules' reading",
        "labels": list(LABELS),
        "params": PARAMS,
        "command": "newsevents train spans --gold " + str(gold_dir),
        "trained_on": {name: {"sha256": sha256_of(gold_dir / name), "lines": n, "sequences": len(p.sequences)}
                       for name, n, p in ((NER_FILE, len(ner), pn), (PLV_FILE, len(plv), pp))},
        "note": "PLV sentences that the NER file also holds are read from the NER file only",
    }
    if measure_k:
        prov["figures"] = _rounded({"conflibert": {"cv": cross_validate(pn, measure_k, extra=pp.sequences),
                                                    "loso": held_out(pp.sequences, pn)},
                                     "plv": {"cv": cross_validate(pp, measure_k, extra=pn.sequences),
                                             "loso": held_out(pn.sequences, pp)}})
    (out / PROVENANCE_FILE).write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8")
    return out


def _rounded(x):
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    if isinstance(x, (tuple, list)):
        return [_rounded(v) for v in x]
    return round(x, 4) if isinstance(x, float) else x
