"""Training the attribution tagger (:mod:`.tagger`) on PolNeAR's training split.

``newsevents train quotes`` runs the parse, actors and (rule) quotes stages over every training
article, labels each token from the gold attributions, fits the CRF and writes its weights with
their provenance (the gold files' sha256, the command, the figures of a cross-validation on the
training split) next to it. The gold text never enters the package: only the learned weights.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..data import data_path
from ..settings import Settings
from ..evaluation.quotes import GoldArticle, documents_for, read_polnear
from .tagger import MODEL_FILE, PROVENANCE_FILE, char_spans, quote_spans, rule_tags, sentence_features, sequences, _arrays

#: The averaged perceptron: on PolNeAR dev it tagged as well as L-BFGS (content overlap F1 0.730
#: against 0.722 with L2, 0.664 with L1 after 120 iterations) and trains in a fraction of the time.
PARAMS = {"algorithm": "ap", "max_iterations": 12, "feature.possible_transitions": True}
FOLDS = 3


def gold_tags(n: int, attributions: list[tuple[list, list, list]]) -> list[str]:
    """BIO tags of the gold (content, cue, source) token spans of one article. A later piece of
    a split content or cue starts with I- (it continues the piece before it); a cue or source
    wins over a content it stands in."""
    tags = ["O"] * n
    rank = {"CON": 0, "SRC": 1, "CUE": 2}
    spans = []
    for con, cue, src in attributions:
        for group in (con, cue, src):
            for k, (role, a, b) in enumerate(sorted(group, key=lambda s: s[1])):
                spans.append((rank[role], role, a, b, k > 0))
    for _, role, a, b, cont in sorted(spans):
        for i in range(a, b):
            tags[i] = ("I-" if i > a or cont else "B-") + role
    return tags


@dataclass
class Example:
    """One article ready for the CRF: its sentences' features and gold tags."""

    name: str
    xseqs: list[list[list[str]]]
    yseqs: list[list[str]]
    rules: list[tuple[str, int, int]]  # the rules' reading, as (role, start, end) token spans
    in_quote: list[bool]


def example(name: str, parse, rules: list[tuple[str, int, int]], gold) -> Example:
    from . import quoted_tokens

    in_quote = quoted_tokens(parse, parse.text)
    rt = rule_tags(parse, rules)
    tags = gold_tags(len(parse), gold)
    ar = _arrays(parse)
    xs, ys = [], []
    for block in sequences(parse):
        xs.append([f for a, b in block for f in sentence_features(parse, a, b, rt, in_quote, ar)])
        ys.append([t for a, b in block for t in tags[a:b]])
    return Example(name, xs, ys, rules, in_quote)


def gold_token_spans(parse, article: GoldArticle):
    return [(char_spans(parse, "CON", g.content), char_spans(parse, "CUE", g.cue), char_spans(parse, "SRC", g.source))
            for g in article.attributions]


def examples(articles: list[GoldArticle], log: Callable[[str], None] = print) -> Iterable[tuple[Example, object]]:
    """(Example, Document) for each article, through the parse, actors and rule quotes stages."""
    # the rules alone (quotes_model "none"): their reading is a feature, as at run time
    for n, (gold, doc) in enumerate(documents_for(articles, Settings(quotes_model="none"), keep_parse=True)):
        if n and n % 100 == 0:
            log(f"  {n}/{len(articles)} articles read")
        yield example(gold.name, doc.parse, quote_spans(doc.parse, doc.quotes), gold_token_spans(doc.parse, gold)), doc


def fit(train: list[Example], path: Path, params: dict | None = None) -> None:
    import pycrfsuite

    params = {**PARAMS, **(params or {})}
    trainer = pycrfsuite.Trainer(algorithm=params.pop("algorithm", "lbfgs"), verbose=False)
    for ex in train:
        for x, y in zip(ex.xseqs, ex.yseqs):
            trainer.append(x, y)
    trainer.set_params({k: v for k, v in params.items() if k in trainer.params()})
    trainer.train(str(path))


def folds(items: list, k: int = FOLDS, seed: int = 13) -> list[list]:
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [[items[i] for i in order[j::k]] for j in range(k)]


def _plain_quotes(parse, attributions) -> list:
    """Quotes with their speaker's span only (no actor resolution): enough to score content,
    cue and speaker span."""
    from ..model import ActorRef, Quote, Span

    def span(r, cls=Span):
        a, b = r
        s, e = parse[a].idx, parse[b - 1].idx + len(parse[b - 1].text)
        return cls(text=parse.text[s:e], start=s, end=e)

    return [Quote(content=span(at.content), cue=span(at.cue) if at.cue else None,
                  speaker=span(at.source, ActorRef) if at.source else None) for at in attributions]


def score_model(model: Path, items: list[tuple[Example, object]], articles: dict[str, GoldArticle],
                matched: Counter | None = None):
    """The content, cue and speaker-span scores of a fitted tagger on (Example, parse) pairs;
    ``matched`` counts, per :func:`~.tagger.bucket`, the attributions ("n:...") and those that
    match a gold content ("tp:...")."""
    import pycrfsuite

    from ..evaluation.quotes import QuoteScores, content_matches, score_article, words
    from ..nlp import sentence_numbers
    from .tagger import bucket, decode

    crf = pycrfsuite.Tagger()
    crf.open(str(model))
    scores = QuoteScores()
    for ex, parse in items:
        tags = [t for x in ex.xseqs for t in crf.tag(x)]
        gold = articles[ex.name]
        found = decode(parse, tags, sentence_numbers(parse))
        quotes = _plain_quotes(parse, found)
        score_article(parse.text, gold.attributions, quotes, scores, parse)
        if matched is not None:
            gold_words = [words(g.content_text) for g in gold.attributions]
            for att, q in zip(found, quotes):
                kind = bucket(att.content, ex.rules, ex.in_quote)
                matched["n:" + kind] += 1
                matched["tp:" + kind] += any(content_matches(g, words(q.content.text)) for g in gold_words)
    return scores


def cross_validate(items: list[tuple[Example, object]], articles: list[GoldArticle], k: int = FOLDS,
                   log: Callable[[str], None] = print) -> dict:
    """k-fold cross-validation by article: the scores of the held-out folds, pooled."""
    from ..evaluation.quotes import QuoteScores

    by_name = {a.name: a for a in articles}
    pooled = QuoteScores()
    matched: Counter = Counter()
    parts = folds(items, k)
    with tempfile.TemporaryDirectory() as tmp:
        for j, held in enumerate(parts):
            train_on = [ex for i, part in enumerate(parts) if i != j for ex, _ in part]
            model = Path(tmp) / f"fold{j}.crfsuite"
            fit(train_on, model)
            got = score_model(model, held, by_name, matched)
            log(f"  fold {j + 1}/{k}: content overlap F1 {got.summary()['content_overlap']['f1']:.3f}")
            pooled.merge(got)
    out = pooled.summary()
    out["confidence"] = {k[3:]: round(matched[k] / matched["n:" + k[3:]], 3) for k in sorted(matched) if k[:3] == "tp:"}
    return out


def digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def trained_on(split_dir: Path, articles: list[GoldArticle]) -> dict[str, object]:
    """What a model learned from, for its provenance: the PolNeAR split, its size and the sha256
    of its files."""
    files = sorted((split_dir / "attributions").glob("*.ann")) + sorted((split_dir / "text").glob("*.txt"))
    return {
        "trained_on": f"PolNeAR {split_dir.name} split ({len(articles)} articles, "
                      f"{sum(len(a.attributions) for a in articles)} attributions); networkdynamics/PolNeAR @ c3eee83",
        "data_sha256": digest(files),
        "files": len(files),
    }


def train(split_dir: Path, out: Path | None = None, folds_k: int = FOLDS,
          log: Callable[[str], None] = print) -> Path:
    """Fit the tagger on a PolNeAR split folder and write it (and its provenance) to ``out``
    (default: the package's data/quotes/)."""
    split_dir = Path(split_dir)
    articles = read_polnear(split_dir)
    log(f"reading {len(articles)} articles of {split_dir}")
    pairs = [(e, doc.parse) for e, doc in examples(articles, log)]
    return write_model(pairs, articles, split_dir, out, folds_k, log)


def write_model(pairs: list[tuple[Example, object]], articles: list[GoldArticle], split_dir: Path,
                out: Path | None = None, folds_k: int = FOLDS, log: Callable[[str], None] = print) -> Path:
    """Cross-validate, fit on all ``pairs`` (Example, parse) and write the weights and provenance."""
    exs = [e for e, _ in pairs]
    cv = cross_validate(pairs, articles, folds_k, log) if folds_k > 1 else None
    del pairs
    out = Path(out) if out else data_path("quotes", MODEL_FILE).parent
    out.mkdir(parents=True, exist_ok=True)
    log("fitting on all of them")
    fit(exs, out / MODEL_FILE)
    provenance = {
        "model": MODEL_FILE,
        **trained_on(split_dir, articles),
        "command": f"newsevents train quotes --model crf --polnear {split_dir} --folds {folds_k}",
        "params": PARAMS,
        "model_sha256": hashlib.sha256((out / MODEL_FILE).read_bytes()).hexdigest(),
        "cross_validation": cv,
        # the confidence of a learned quote, by kind: the share of that kind matching gold in the
        # held-out folds
        "confidence": (cv or {}).get("confidence", {}),
    }
    (out / PROVENANCE_FILE).write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return out / MODEL_FILE


__all__ = ["Example", "PARAMS", "example", "examples", "fit", "folds", "gold_tags", "train"]


# --- the predicate classifier (:mod:`.predicates`) -------------------------------------------

#: Regularisation of the logistic regressions (liblinear, L2): C 0.3 was best of 0.1, 0.3, 1 in
#: the cross-validation on PolNeAR train.
PREDICATE_C = 0.3
#: A word seen this many times on train has a cue rate of its own; rarer words share the prior.
RATE_MIN_COUNT = 3
#: Thresholds tried in the cross-validation: the pair with the best pooled content F1 is kept.
THRESHOLDS = (0.4, 0.45, 0.5, 0.55)
RULE_THRESHOLDS = (0.0, 0.2, 0.3, 0.4)
#: Words seen on train whose cue rate is below this are no candidates at run time (unless in the
#: cue lexicon): on PolNeAR dev this left content F1 as it was (0.753 at 0.05 against 0.754 with
#: every predicate) with 60% of the candidates, and keeps the stage's cost down.
MIN_RATE = 0.05


@dataclass
class PredicateItem:
    """One rule quote or candidate of a training article: its features (without the rate
    features, which depend on the fold), whether its content matches a gold content, and what
    to decode it into."""

    features: list[str]
    label: bool
    kind: str  # "rule" or "new"
    quote: object  # the rules' Quote, or a predicates.Candidate


def _token_range(parse, s: int, e: int):
    span = parse.char_span(s, e, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def rate_counts(items: Iterable[tuple[object, GoldArticle]]) -> tuple[Counter, Counter]:
    """Per lemma|POS of every verb, noun and adjective: occurrences and occurrences in a gold cue."""
    n, k = Counter(), Counter()
    for parse, gold in items:
        cue_tokens = set()
        for g in gold.attributions:
            for s, e in g.cue:
                r = _token_range(parse, s, e)
                if r:
                    cue_tokens.update(range(*r))
        for t in parse:
            if t.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
                key = f"{t.lemma_.lower()}|{t.pos_}"
                n[key] += 1
                k[key] += t.i in cue_tokens
    return n, k


def cue_rates(n: Counter, k: Counter, prior_weight: float = 2.0) -> dict[str, float]:
    """The share of each word's occurrences that are cues, smoothed toward the overall share."""
    overall = sum(k.values()) / max(1, sum(n.values()))
    return {key: round((k[key] + prior_weight * overall) / (n[key] + prior_weight), 4)
            for key in n if n[key] >= RATE_MIN_COUNT}


def with_rates(features: list[str], rates: dict[str, float]) -> list[str]:
    """``features`` with the rate features of the predicate's lemma|POS under ``rates``."""
    from .predicates import rate_features

    key = next((x[3:] for x in features if x.startswith("lp=")), None)
    out = [x for x in features if not x.startswith("rate")]
    return out + rate_features(rates.get(key)) if key is not None else out


def predicate_items(parse, rule_quotes, gold: GoldArticle) -> list[PredicateItem]:
    """The rule quotes and candidates of one article, labelled as the scorer would count them:
    a rule quote is right when it is the best match (highest word Jaccard among the rules'
    quotes) of some gold attribution; a candidate when it matches a gold attribution that no
    rule quote matches (matching one the rules found takes the best match from a rule quote
    at most, and the scorer counts only best matches as right)."""
    from ..evaluation.quotes import content_matches, words
    from . import quoted_tokens
    from .predicates import candidates, rule_features

    body = parse.text
    in_quote = quoted_tokens(parse, body)
    gold_words = [words(g.content_text) for g in gold.attributions]
    ranges = [(q, _token_range(parse, q.content.start, q.content.end),
               _token_range(parse, q.cue.start, q.cue.end) if q.cue else None) for q in rule_quotes]
    ranges = [r for r in ranges if r[1] is not None]
    rule_words = [words(q.content.text) for q, _, _ in ranges]
    best: dict[int, int] = {}  # gold index -> index of the rule quote that best matches it
    for k, g in enumerate(gold_words):
        scored = [(len(g & w) / len(g | w), i) for i, w in enumerate(rule_words) if content_matches(g, w)]
        if scored:
            best[k] = max(scored)[1]
    right_rules = set(best.values())
    open_gold = [g for k, g in enumerate(gold_words) if k not in best]
    contents = [c for _, c, _ in ranges]
    skip = {i for _, _, cu in ranges if cu for i in range(*cu)}
    out = []
    for i, (q, c, cu) in enumerate(ranges):
        f = rule_features(parse, cu, c, q.rule, q.speaker is not None, {}, in_quote, contents)
        out.append(PredicateItem(f, i in right_rules, "rule", q))
    for cand in candidates(parse, skip, in_quote, contents, {}):
        a, b = cand.cue.content
        w = words(body[parse[a].idx:parse[b - 1].idx + len(parse[b - 1].text)])
        out.append(PredicateItem(cand.features, any(content_matches(g, w) for g in open_gold), "new", cand))
    return out


def fit_logistic(rows: list[tuple[list[str], bool]], c: float = PREDICATE_C) -> dict[str, float]:
    """A logistic regression over binary features (and the numeric ``rate_v``): feature -> weight,
    the intercept folded into ``bias``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    def vec(f):
        return {("rate_v" if x.startswith("rate_v:") else x): (float(x[7:]) if x.startswith("rate_v:") else 1.0) for x in f}

    dv = DictVectorizer()
    x = dv.fit_transform([vec(f) for f, _ in rows]).tocsr()
    # liblinear takes 32-bit indices only (DictVectorizer gives 64-bit)
    x.indices, x.indptr = x.indices.astype('int32'), x.indptr.astype('int32')
    lr = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    lr.fit(x, [y for _, y in rows])
    w = {name: round(float(v), 4) for name, v in zip(dv.feature_names_, lr.coef_[0]) if abs(v) >= 1e-3}
    w["bias"] = round(w.get("bias", 0.0) + float(lr.intercept_[0]), 4)
    return w


def _decode_scores(pairs, item_lists, weights) -> "QuoteScores":
    """The scores of the rules' quotes kept and the candidates taken under ``weights``
    (a predicates.Weights), quotes with plain speaker spans (no actor resolution)."""
    from ..evaluation.quotes import QuoteScores, score_article
    from ..model import ActorRef, Quote, Span
    from .predicates import select

    scores = QuoteScores()
    for (parse, gold), items in zip(pairs, item_lists):
        rule_items = [(it.quote, with_rates(it.features, weights.rates)) for it in items if it.kind == "rule"]
        cands = [it.quote for it in items if it.kind == "new"]
        for c, it in zip(cands, [it for it in items if it.kind == "new"]):
            c.features = with_rates(it.features, weights.rates)
        kept, taken = select(weights, rule_items, cands)

        def span(r, cls=Span):
            a, b = r
            s, e = parse[a].idx, parse[b - 1].idx + len(parse[b - 1].text)
            return cls(text=parse.text[s:e], start=s, end=e)

        quotes = [q for q, _ in kept] + [
            Quote(content=span(c.cue.content), cue=span(c.cue.cue), speaker=span(c.cue.speaker, ActorRef) if c.cue.speaker else None)
            for c, _ in taken]
        score_article(gold.text, gold.attributions, quotes, scores, parse)
    return scores


def fit_predicates(pairs, item_lists, c: float = PREDICATE_C):
    """A predicates.Weights fitted on ``pairs`` ((parse, GoldArticle)) and their items, with
    the thresholds still at 0.5 and 0 (the cross-validation tunes them)."""
    from .predicates import Weights

    rates = cue_rates(*rate_counts(pairs))
    rule = fit_logistic([(with_rates(it.features, rates), it.label) for items in item_lists for it in items if it.kind == "rule"], c)
    cand = fit_logistic([(with_rates(it.features, rates), it.label) for items in item_lists for it in items if it.kind == "new"], c)
    return Weights(cand, rule, rates, 0.5, 0.0, 0.0, {})


def cross_validate_predicates(pairs, item_lists, k: int = FOLDS, log: Callable[[str], None] = print):
    """k-fold cross-validation by article of the predicate classifier: the thresholds with the
    best pooled content F1 over :data:`THRESHOLDS` x :data:`RULE_THRESHOLDS`, and the pooled
    scores at them."""
    from ..evaluation.quotes import QuoteScores

    parts = folds(list(range(len(pairs))), k)
    fitted = []
    for j, held in enumerate(parts):
        held_set = set(held)
        keep = [i for i in range(len(pairs)) if i not in held_set]
        fitted.append((held, fit_predicates([pairs[i] for i in keep], [item_lists[i] for i in keep])))
        log(f"  fold {j + 1}/{k} fitted")
    results = {}
    for t in THRESHOLDS:
        for rt in RULE_THRESHOLDS:
            pooled = QuoteScores()
            for held, w in fitted:
                w.threshold, w.rule_threshold = t, rt
                pooled.merge(_decode_scores([pairs[i] for i in held], [item_lists[i] for i in held], w))
            results[(t, rt)] = pooled.summary()
    best = max(results, key=lambda key: results[key]["content_overlap"]["f1"])
    return best, results[best]


def train_predicates(split_dir: Path, out: Path | None = None, folds_k: int = FOLDS,
                     log: Callable[[str], None] = print) -> Path:
    """Fit the predicate classifier (:mod:`.predicates`) on a PolNeAR split folder and write its
    weights and provenance (``predicates.json``) to ``out`` (default: the package's data/quotes/)."""
    from .predicates import WEIGHTS_FILE

    split_dir = Path(split_dir)
    articles = read_polnear(split_dir)
    log(f"reading {len(articles)} articles of {split_dir}")
    pairs, item_lists = [], []
    for n, (gold, doc) in enumerate(documents_for(articles, Settings(quotes_model="none"), keep_parse=True)):
        if n and n % 100 == 0:
            log(f"  {n}/{len(articles)} articles read")
        pairs.append((doc.parse, gold))
        item_lists.append(predicate_items(doc.parse, doc.quotes, gold))
    (threshold, rule_threshold), cv = (0.5, 0.0), None
    if folds_k > 1:
        (threshold, rule_threshold), cv = cross_validate_predicates(pairs, item_lists, folds_k, log)
        log(f"  cross-validated content F1 {cv['content_overlap']['f1']:.3f} at thresholds {threshold} / {rule_threshold}")
    w = fit_predicates(pairs, item_lists)
    out = Path(out) if out else data_path("quotes", WEIGHTS_FILE).parent
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "model": "logistic regressions over predicates and rule quotes (newsevents.quotes.predicates)",
        **trained_on(split_dir, articles),
        "command": f"newsevents train quotes --polnear {split_dir} --folds {folds_k}",
        "params": {"C": PREDICATE_C, "solver": "liblinear", "rate_min_count": RATE_MIN_COUNT},
        "threshold": threshold,
        "rule_threshold": rule_threshold,
        "min_rate": MIN_RATE,
        "cross_validation": cv,
        "rates": w.rates,
        "rule_weights": w.rule,
        "candidate_weights": w.candidate,
    }
    path = out / WEIGHTS_FILE
    path.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return path
