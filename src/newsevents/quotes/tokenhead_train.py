"""Training the token-head tagger (:mod:`.tokenhead`) on PolNeAR's training split, with torch.

``newsevents train quotes --model tensor`` runs the parse, actors and (rule) quotes stages over
every training article, labels each token from the gold attributions (:func:`.learn.gold_tags`),
cross-validates by article, fits the GRU on all of them and writes its weights as numpy arrays
(``tokenhead.npz``) with their provenance (``tokenhead.json``: the gold files' sha256, the
command, the parameters, the cross-validated figures and the per-kind confidence). Torch is
imported here only: the pipeline runs the weights with numpy.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data import data_path
from .learn import folds, gold_tags, trained_on
from .tagger import LABELS, bucket, decode
from .tokenhead import PROVENANCE_FILE, WEIGHTS_FILE, Model, Weights, blocks_of, drop_short_contents, forward, token_features

#: Sizes and schedule: a 128-wide input projection and a GRU of 64 each way (about 100k
#: parameters, 0.4 MB as float32); 6 passes of Adam. Chosen on the first fold of train.
PARAMS = {"proj": 128, "hidden": 64, "epochs": 6, "lr": 0.002, "batch": 32, "dropout": 0.2, "seed": 13}


@dataclass
class Item:
    """One training article: its parse, the rules' quotes and spans, the gold attributions."""

    name: str
    parse: object
    rule_quotes: list
    rule_spans: list[tuple[str, int, int]]
    in_quote: list[bool]
    gold_spans: list  # per attribution: (content, cue, source) token spans (learn.gold_token_spans)
    feats: np.ndarray | None = None
    tags: np.ndarray | None = None
    blocks: list[tuple[int, int]] | None = None

    def prepare(self) -> "Item":
        if self.feats is None:
            self.feats = token_features(self.parse, self.rule_spans, self.in_quote)
            idx = {t: k for k, t in enumerate(LABELS)}
            self.tags = np.array([idx[t] for t in gold_tags(len(self.parse), self.gold_spans)], dtype=np.int64)
            self.blocks = blocks_of(self.parse)
        return self


def fit(items: list[Item], params: dict | None = None, log: Callable[[str], None] = print) -> Weights:
    """Fit the token head on ``items`` with torch; the weights as numpy arrays."""
    import torch
    from torch import nn

    p = {**PARAMS, **(params or {})}
    torch.manual_seed(p["seed"])
    rng = random.Random(p["seed"])
    x_all = np.concatenate([it.feats for it in items])
    mean = x_all.mean(axis=0)
    scale = x_all.std(axis=0) + 1e-3
    del x_all
    seqs = [((it.feats[a:b] - mean) / scale, it.tags[a:b]) for it in items for a, b in it.blocks if b > a]
    d = seqs[0][0].shape[1]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(d, p["proj"])
            self.gru = nn.GRU(p["proj"], p["hidden"], batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * p["hidden"], len(LABELS))
            self.drop = nn.Dropout(p["dropout"])

        def forward(self, x, lengths):
            h = self.drop(torch.relu(self.proj(x)))
            packed = nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.gru(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=p["lr"])
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    # batches of sequences of similar length (less padding), in a new order each pass
    order = sorted(range(len(seqs)), key=lambda k: len(seqs[k][1]))
    batches = [order[k:k + p["batch"]] for k in range(0, len(order), p["batch"])]
    for epoch in range(p["epochs"]):
        net.train()
        rng.shuffle(batches)
        total, t0 = 0.0, time.time()
        for batch in batches:
            lengths = [len(seqs[k][1]) for k in batch]
            t = max(lengths)
            x = np.zeros((len(batch), t, d), dtype=np.float32)
            y = np.full((len(batch), t), -1, dtype=np.int64)
            for r, k in enumerate(batch):
                x[r, :lengths[r]] = seqs[k][0]
                y[r, :lengths[r]] = seqs[k][1]
            logits = net(torch.from_numpy(x), torch.tensor(lengths))
            loss = loss_fn(logits.reshape(-1, len(LABELS)), torch.from_numpy(y).reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(batch)
        log(f"    pass {epoch + 1}/{p['epochs']}: loss {total / len(seqs):.4f} ({time.time() - t0:.0f} s)")
    arrays = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    arrays["mean"], arrays["scale"] = mean.astype(np.float32), scale.astype(np.float32)
    return Weights(arrays)


def _plain(parse, attributions, rule_quotes=None) -> list:
    """Quotes with span-only speakers (no actor resolution): the rules' speaker for a content the
    rules also found (as the pipeline does), else the tagged source."""
    from ..model import ActorRef, Quote, Span

    def span(r, cls=Span):
        a, b = r
        s, e = parse[a].idx, parse[b - 1].idx + len(parse[b - 1].text)
        return cls(text=parse.text[s:e], start=s, end=e)

    out = []
    for at in attributions:
        content = span(at.content)
        speaker = span(at.source, ActorRef) if at.source else None
        if rule_quotes is not None:
            same = [q for q in rule_quotes if 2 * max(0, min(q.content.end, content.end) - max(q.content.start, content.start))
                    > min(q.content.end - q.content.start, content.end - content.start)]
            if same and same[0].speaker is not None:
                speaker = same[0].speaker
        out.append(Quote(content=content, cue=span(at.cue) if at.cue else None, speaker=speaker))
    return out


def predict(model: Model, items: list[Item], golds: dict, matched: Counter | None = None):
    """The decoded attributions of each item (numpy forward pass, as at run time) and the scores
    of the tagger alone; ``matched`` counts per :func:`.tagger.bucket` as :func:`.learn.score_model`."""
    from ..evaluation.quotes import QuoteScores, content_matches, score_article, words
    from ..nlp import sentence_numbers

    scores = QuoteScores()
    found_all = []
    for it in items:
        probs = forward(model.weights, it.feats, it.blocks)
        tags = drop_short_contents(it.parse, [LABELS[k] for k in probs.argmax(axis=1)])
        found = decode(it.parse, tags, sentence_numbers(it.parse))
        quotes = _plain(it.parse, found)
        gold = golds[it.name]
        score_article(it.parse.text, gold.attributions, quotes, scores, it.parse)
        gold_words = [words(g.content_text) for g in gold.attributions]
        kinds = [bucket(at.content, it.rule_spans, it.in_quote) for at in found]
        if matched is not None:
            for kind, q in zip(kinds, quotes):
                matched["n:" + kind] += 1
                matched["tp:" + kind] += any(content_matches(g, words(q.content.text)) for g in gold_words)
        found_all.append((found, kinds))
    return found_all, scores


def over_rules_scores(items: list[Item], found_all, golds: dict, confidence: dict, min_confidence: float):
    """Scores of the tagger over the rules as ``quotes_model="tensor"`` reads them (learned quotes of
    a kind under ``min_confidence`` left out, a direct quote the rules also found in the rules'
    reading), with span-only speakers."""
    from ..evaluation.quotes import QuoteScores, score_article
    from . import combine, _mostly_quoted

    scores = QuoteScores()
    for it, (found, kinds) in zip(items, found_all):
        keep = [at for at, kind in zip(found, kinds) if confidence.get(kind, 0.5) >= min_confidence]
        learned = _plain(it.parse, keep, it.rule_quotes)
        for at, q in zip(keep, learned):
            q.kind = "direct" if _mostly_quoted(at.content, it.in_quote) else "indirect"
        score_article(it.parse.text, golds[it.name].attributions, combine(it.rule_quotes, learned), scores, it.parse)
    return scores


def cross_validate(items: list[Item], golds: dict, k: int = 3, params: dict | None = None,
                   log: Callable[[str], None] = print, fold_dir: Path | None = None) -> dict:
    """k-fold cross-validation by article: pooled scores of the tagger alone, per-kind confidence,
    and the pooled scores over the rules at the confidence gate it implies."""
    from ..evaluation.quotes import QuoteScores

    pooled = QuoteScores()
    matched: Counter = Counter()
    held_out = []
    for j, held in enumerate(folds(items, k)):
        names = {it.name for it in held}
        w = fit([it for it in items if it.name not in names], params, log)
        if fold_dir is not None:  # kept to try other decodings on the held-out folds
            np.savez_compressed(Path(fold_dir) / f"fold{j}.npz", **w.arrays)
        found_all, got = predict(Model(w), held, golds, matched)
        log(f"  fold {j + 1}/{k}: content overlap F1 {got.summary()['content_overlap']['f1']:.3f} (tagger alone)")
        pooled.merge(got)
        held_out.append((held, found_all))
    out = pooled.summary()
    confidence = {key[3:]: round(matched[key] / matched["n:" + key[3:]], 3) for key in sorted(matched) if key[:3] == "tp:"}
    gate = out["content_overlap"]["f1"] / 2
    over = QuoteScores()
    for held, found_all in held_out:
        over.merge(over_rules_scores(held, found_all, golds, confidence, gate))
    out["confidence"] = confidence
    out["over_rules"] = over.summary()
    return out


def items_for(articles, log: Callable[[str], None] = print) -> list[Item]:
    """The Items of PolNeAR articles, through the parse, actors and rule quotes stages."""
    from ..evaluation.quotes import documents_for
    from ..settings import Settings
    from . import quoted_tokens
    from .learn import gold_token_spans
    from .tagger import quote_spans

    out = []
    for n, (gold, doc) in enumerate(documents_for(articles, Settings(quotes_model="none"), keep_parse=True)):
        if n and n % 100 == 0:
            log(f"  {n}/{len(articles)} articles read")
        p = doc.parse
        out.append(Item(gold.name, p, doc.quotes, quote_spans(p, doc.quotes), quoted_tokens(p, p.text),
                        gold_token_spans(p, gold)).prepare())
    return out


def train(split_dir: Path, out: Path | None = None, folds_k: int = 3, log: Callable[[str], None] = print) -> Path:
    """Fit the token head on a PolNeAR split folder and write its weights and provenance to
    ``out`` (default: the package's data/quotes/)."""
    from ..evaluation.quotes import read_polnear

    split_dir = Path(split_dir)
    articles = read_polnear(split_dir)
    log(f"reading {len(articles)} articles of {split_dir}")
    items = items_for(articles, log)
    return write_model(items, articles, split_dir, out, folds_k, log)


def write_model(items: list[Item], articles, split_dir: Path, out: Path | None = None, folds_k: int = 3,
                log: Callable[[str], None] = print, params: dict | None = None, fold_dir: Path | None = None) -> Path:
    golds = {a.name: a for a in articles}
    cv = cross_validate(items, golds, folds_k, params, log, fold_dir) if folds_k > 1 else None
    log("fitting on all of them")
    w = fit(items, params, log)
    out = Path(out) if out else data_path("quotes", WEIGHTS_FILE).parent
    out.mkdir(parents=True, exist_ok=True)
    path = out / WEIGHTS_FILE
    np.savez_compressed(path, **{k: v.astype(np.float32) for k, v in w.arrays.items()})
    provenance = {
        "model": "token head: a bidirectional GRU over en_core_web_sm's doc.tensor and parse features (newsevents.quotes.tokenhead)",
        **trained_on(split_dir, articles),
        "command": f"newsevents train quotes --model tensor --polnear {split_dir} --folds {folds_k}",
        "params": {**PARAMS, **(params or {})},
        "parameters": int(sum(v.size for k, v in w.arrays.items() if k not in ("mean", "scale"))),
        "model_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "cross_validation": cv,
        "confidence": (cv or {}).get("confidence", {}),
    }
    (out / PROVENANCE_FILE).write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return path


__all__ = ["Item", "PARAMS", "cross_validate", "fit", "items_for", "predict", "train", "write_model"]
