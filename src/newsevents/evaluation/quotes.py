"""Score quotes against PolNeAR attributions (brat standoff: Source, Cue, Content, Attribution).

A PolNeAR split folder holds ``text/NAME.txt`` and ``attributions/NAME_XXXX.ann``. Each
attribution (an ``E`` line) links a Content span, usually a Cue and often a Source; spans may
be discontinuous (``start end;start end``). The parse, actors and quotes stages run on each
text exactly as it is (no furniture removal), so gold offsets point into ``article.body``.
How each figure is computed is documented in docs/quotes.md; in short:

- content overlap: a predicted quote matches a gold content when it covers >= 50% of the gold
  content's word tokens and >= 50% of its own tokens lie in the gold content (the rule of
  shared/eval/score_quotes.py). Recall = gold contents matched / gold contents; precision =
  predicted quotes matching some gold content / predicted quotes.
- content exact: the same with equal character spans (after trimming whitespace and
  punctuation at both ends), one to one.
- cue: a predicted cue matches a gold cue it overlaps by one character or more (and "exact"
  with equal spans); P/R/F1 over all cues.
- recall by cue type: the recall of the gold attributions of each kind of cue (:func:`cue_type`).
- speaker accuracy: over gold attributions whose content was matched (overlap) and that have
  a Source, the share whose matched quote has a speaker span overlapping the gold Source.
  ``speaker_words`` gives score_quotes.py's looser rule (a shared content word) for comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Article, Document, Quote
from ..settings import Settings

#: The stages the quotes stage reads from (and itself).
QUOTE_STAGES = ("parse", "actors", "quotes")
_WORD = re.compile(r"[a-z0-9]+")
_EDGE = " \t\r\n\"'“”‘’«».,;:!?-—–()[]"
#: Words that carry no identity when comparing speakers (as in shared/eval/score_quotes.py).
_STOP = {"the", "a", "an", "of", "and", "to", "in", "said", "says", "he", "she", "they", "it", "we", "i"}


@dataclass
class GoldAttribution:
    content: list[tuple[int, int]]
    content_text: str
    source: list[tuple[int, int]] = field(default_factory=list)
    source_text: str = ""
    cue: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


def read_ann(path: Path) -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` file (those with a Content span)."""
    spans: dict[str, tuple[list[tuple[int, int]], str]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) >= 3:
            _, _, offsets = parts[1].partition(" ")
            try:
                frags = [(int(a), int(b)) for a, b in (f.split() for f in offsets.split(";"))]
            except ValueError:
                continue
            spans[parts[0]] = (frags, parts[2])
        elif parts[0].startswith("E") and len(parts) >= 2:
            links.append(dict(x.split(":", 1) for x in parts[1].split() if ":" in x))
    out = []
    for link in links:
        content = spans.get(link.get("Content", ""))
        if not content:
            continue
        source = spans.get(link.get("Source", ""), ([], ""))
        cue = spans.get(link.get("Cue", ""), ([], ""))
        out.append(GoldAttribution(content[0], content[1], source[0], source[1], cue[0]))
    return out


def read_polnear(split_dir: str | Path) -> list[GoldArticle]:
    """Every article of a PolNeAR split folder that has an annotation file."""
    root = Path(split_dir)
    texts, anns = root / "text", root / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise FileNotFoundError(f"{root} is not a PolNeAR split folder (it needs text/ and attributions/)")
    ann_by_stem: dict[str, Path] = {}
    for a in sorted(anns.glob("*.ann")):
        ann_by_stem.setdefault(a.stem.rsplit("_", 1)[0], a)
    out = []
    for t in sorted(texts.glob("*.txt")):
        ann = ann_by_stem.get(t.stem)
        if ann is not None:
            out.append(GoldArticle(t.name, t.read_text(encoding="utf-8"), read_ann(ann)))
    return out


def words(text: str) -> set[str]:
    """The word tokens the content overlap is counted in (runs of [a-z0-9], lowercased)."""
    return set(_WORD.findall(text.lower()))


def content_matches(gold: set[str], predicted: set[str]) -> bool:
    """A predicted content matches a gold one: each holds at least half of the other's words."""
    shared = len(gold & predicted)
    return bool(gold and predicted) and shared >= 0.5 * len(gold) and shared >= 0.5 * len(predicted)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> dict[str, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


@dataclass
class QuoteScores:
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def merge(self, other: "QuoteScores") -> None:
        """Add another set's counts (cross-validation folds pool their held-out counts)."""
        self.articles += other.articles
        self.gold += other.gold
        self.predicted += other.predicted
        for key, n in other.counts.items():
            self.add(key, n)

    def summary(self) -> dict[str, object]:
        c = self.counts.get
        return {
            "articles": self.articles, "gold": self.gold, "predicted": self.predicted,
            "content_overlap": _prf(c("overlap_tp_p", 0), self.predicted, c("overlap_tp_g", 0), self.gold),
            "content_exact": _prf(c("exact_tp", 0), self.predicted, c("exact_tp", 0), self.gold),
            "cue_overlap": _prf(c("cue_tp_p", 0), c("cue_p", 0), c("cue_tp_g", 0), c("cue_g", 0)),
            "cue_exact": _prf(c("cue_exact", 0), c("cue_p", 0), c("cue_exact", 0), c("cue_g", 0)),
            "speaker_accuracy": c("speaker_ok", 0) / c("speaker_n", 0) if c("speaker_n", 0) else 0.0,
            "speaker_words": c("speaker_words_ok", 0) / c("speaker_n", 0) if c("speaker_n", 0) else 0.0,
            "speaker_n": c("speaker_n", 0),
            "recall_by_cue_type": {t: {"recall": c(f"type_tp:{t}", 0) / c(f"type_n:{t}", 0), "n": c(f"type_n:{t}", 0)}
                                   for t in CUE_TYPES if c(f"type_n:{t}", 0)},
        }


#: The kinds of gold cue recall is reported by (see :func:`cue_type`).
CUE_TYPES = ("speech verb", "according to", "other predicate", "nominal", "punctuation only")
#: Verbs of saying proper; every other verbal or adjectival cue is an "other predicate" (believe,
#: accuse, want, show, support ...).
SPEECH_VERBS = frozenset("""say tell add ask write state announce explain note claim argue report declare insist
    respond reply tweet warn comment suggest answer remark testify acknowledge admit assert contend stress
    emphasize maintain mention reiterate repeat recall predict promise vow pledge deny confirm complain
    joke quip shout yell exclaim whisper speak talk describe call continue conclude observe point""".split())


def cue_type(parse, cue: list[tuple[int, int]]) -> str:
    """The kind of a gold cue, read off its words in the parse: "punctuation only" (or no cue),
    "according to", "nominal" (a noun heads it: "his claim that"), "speech verb" or "other
    predicate"."""
    if not cue or parse is None:
        return "punctuation only"
    s, e = min(a for a, _ in cue), max(b for _, b in cue)
    span = parse.char_span(s, e, alignment_mode="expand")
    words = [t for t in span if t.is_alpha] if span is not None else []
    if not words:
        return "punctuation only"
    if any(t.lower_ == "according" for t in words):
        return "according to"
    head = span.root
    if head.pos_ in ("NOUN", "PROPN"):
        return "nominal"
    return "speech verb" if head.lemma_.lower() in SPEECH_VERBS else "other predicate"


def score_article(text: str, gold: list[GoldAttribution], quotes: list[Quote], scores: QuoteScores,
                  parse=None) -> None:
    """Add one article's counts to ``scores`` (see the module docstring for the rules); with the
    article's ``parse``, also the recall by gold cue type."""
    scores.articles += 1
    scores.gold += len(gold)
    scores.predicted += len(quotes)
    pred_words = [words(q.content.text) for q in quotes]
    matched: set[int] = set()
    for g in gold:
        gw = words(g.content_text)
        best, best_score = None, 0.0
        for i, pw in enumerate(pred_words):
            if content_matches(gw, pw):
                score = len(gw & pw) / len(gw | pw)
                if score > best_score:
                    best, best_score = i, score
        kind = cue_type(parse, g.cue) if parse is not None else None
        if kind:
            scores.add(f"type_n:{kind}")
        if best is None:
            continue
        if kind:
            scores.add(f"type_tp:{kind}")
        scores.add("overlap_tp_g")
        matched.add(best)
        if g.source:
            scores.add("speaker_n")
            sp = quotes[best].speaker
            if sp is not None and _overlaps([(sp.start, sp.end)], g.source):
                scores.add("speaker_ok")
            sw = words(f"{sp.text} {sp.name}") if sp is not None else set()
            gs = words(g.source_text)
            if (gs - _STOP) & (sw - _STOP) or (gs & sw and gs <= _STOP | sw):
                scores.add("speaker_words_ok")
    scores.add("overlap_tp_p", len(matched))
    # exact: trimmed character spans, one to one
    gold_exact = {}
    for g in gold:
        s, e = min(a for a, _ in g.content), max(b for _, b in g.content)
        gold_exact.setdefault(_trim(text, s, e), 0)
        gold_exact[_trim(text, s, e)] += 1
    for q in quotes:
        key = _trim(text, q.content.start, q.content.end)
        if gold_exact.get(key, 0) > 0:
            gold_exact[key] -= 1
            scores.add("exact_tp")
    # cues
    gold_cues = [g.cue for g in gold if g.cue]
    pred_cues = [[(q.cue.start, q.cue.end)] for q in quotes if q.cue is not None]
    scores.add("cue_g", len(gold_cues))
    scores.add("cue_p", len(pred_cues))
    scores.add("cue_tp_g", sum(1 for g in gold_cues if any(_overlaps(g, p) for p in pred_cues)))
    scores.add("cue_tp_p", sum(1 for p in pred_cues if any(_overlaps(g, p) for g in gold_cues)))
    exact_gold = {(min(a for a, _ in g), max(b for _, b in g)) for g in gold_cues}
    scores.add("cue_exact", sum(1 for p in pred_cues if p[0] in exact_gold))


def documents_for(articles: Iterable[GoldArticle], settings: Settings | None = None,
                  keep_parse: bool = False) -> Iterable[tuple[GoldArticle, Document]]:
    """Run the pipeline over the gold articles' texts as they are; yields (gold, Document)."""
    from ..pipeline import Pipeline

    settings = settings or Settings()
    # only the stages quotes depend on: faster, and a later stage's failure cannot stop the score
    settings = settings.with_(stages=tuple(s for s in settings.stages if s in QUOTE_STAGES))
    articles = list(articles)
    items = (Article(id=a.name, body=a.text, source=a.name, language="en") for a in articles)
    return zip(articles, Pipeline(settings, keep_parse=keep_parse).pipe(items))


def evaluate_polnear(split_dir: str | Path, settings: Settings | None = None,
                     limit: int | None = None) -> dict[str, object]:
    """Scores of the pipeline's quotes on one PolNeAR split folder (see the module docstring)."""
    articles = read_polnear(split_dir)[:limit] if limit else read_polnear(split_dir)
    scores = QuoteScores()
    for gold, doc in documents_for(articles, settings, keep_parse=True):
        score_article(gold.text, gold.attributions, doc.quotes, scores, doc.parse)
    return scores.summary()


__all__ = ["CUE_TYPES", "GoldArticle", "content_matches", "cue_type", "words", "GoldAttribution", "QuoteScores", "evaluate_polnear", "read_ann", "read_polnear",
           "score_article"]
