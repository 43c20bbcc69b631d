"""Where the quotes stage goes wrong on PolNeAR: every gold attribution and every predicted quote
put in one class, with the cue words and syntactic frames of what we miss.

Matching is the token-overlap rule of :mod:`.quotes` (>= 50% of the gold words covered and >= 50%
of the quote's words in the gold content). Each gold attribution is one of:

- ``matched``: some predicted quote matches it;
- ``boundary: too long|too short|both, <sides>``: a predicted quote has its cue on the gold cue
  but the content differs (``L+``: ours starts earlier, ``L-`` later, ``R+``: ours ends later,
  ``R-`` earlier);
- ``other quote overlaps``: no cue of ours on the gold cue, but one of our quotes overlaps the
  gold content (a nested or neighbouring attribution took it);
- ``missed``: nothing of ours touches it (``missed, quoted`` when the gold content opens with a
  quote mark). Missed ones are counted by cue lemma (the lemmas of the gold cue's words) and by
  frame: the cue head's part of speech and how the content's head hangs from it (``VERB:dobj``,
  ``AUX:acomp>prep``, ``ADP:^prep`` ...).

Each predicted quote that matches no gold is one of ``fp: cue on a gold cue`` (our cue is right,
the content is not), ``fp: inside a gold content`` (an attribution nested in one the annotators
marked, which they often leave out), ``fp: overlaps a gold content`` or ``fp: nothing in gold``.
Per rule, how many quotes it gave and the share that match.

Speakers are judged as the scorer does (the best-matching quote of each matched gold attribution
that has a Source): ``speaker ok``, ``speaker none`` (we name nobody) or ``speaker wrong``, each
by the quote's rule, with the gold Source and ours as examples.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Document, Quote
from ..settings import Settings
from .quotes import GoldArticle, GoldAttribution, documents_for, read_polnear

_WORD = re.compile(r"[a-z0-9]+")
_OPEN_MARKS = "\"“‘'`«"


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _matches(gold: set[str], pred: set[str]) -> bool:
    shared = len(gold & pred)
    return bool(gold and pred) and shared >= 0.5 * len(gold) and shared >= 0.5 * len(pred)


def _outer(frags: list[tuple[int, int]]) -> tuple[int, int]:
    return min(a for a, _ in frags), max(b for _, b in frags)


def _touches(start: int, end: int, frags: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in frags)


@dataclass
class ErrorTally:
    """Counts over many articles; ``examples`` keeps the first few of each class."""

    gold: Counter = field(default_factory=Counter)
    predicted: Counter = field(default_factory=Counter)
    missed_lemmas: Counter = field(default_factory=Counter)
    missed_frames: Counter = field(default_factory=Counter)
    speakers: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    rules_matched: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    keep: int = 5

    def example(self, key: str, text: str) -> None:
        if len(self.examples[key]) < self.keep:
            self.examples[key].append(text)


def _cue_head(parse, frags):
    """The syntactic head of a gold cue and the lemmas of its words, or (None, "")."""
    if not frags or parse is None:
        return None, ""
    span = parse.char_span(*_outer(frags), alignment_mode="expand")
    if span is None or not len(span):
        return None, ""
    return span.root, " ".join(t.lemma_.lower() for t in span if not t.is_punct and not t.is_space)


def _relation(cue, content) -> str:
    """How the content's head hangs from the cue's head, in dependency labels."""
    if content.head.i == cue.i:
        return content.dep_
    if content.head.head.i == cue.i:
        return f"{content.head.dep_}>{content.dep_}"
    if cue.head.i == content.i:
        return f"^{cue.dep_}"
    if cue.head.i == content.head.i:
        return f"sib:{cue.dep_}|{content.dep_}"
    return "other"


def _frame(parse, g: GoldAttribution, cue) -> str:
    if cue is None:
        return "no cue"
    pieces = [parse.char_span(a, b, alignment_mode="expand") for a, b in g.content]
    pieces = [p for p in pieces if p is not None and len(p)]
    if not pieces:
        return f"{cue.pos_}:?"
    return f"{cue.pos_}:{_relation(cue, max(pieces, key=len).root)}"


def _boundary(g: GoldAttribution, q: Quote, gw: set[str], qw: set[str]) -> str:
    shared = len(gw & qw)
    kind = [k for k, bad in (("too short", shared < 0.5 * len(gw)), ("too long", shared < 0.5 * max(1, len(qw))))
            if bad]
    s, e = _outer(g.content)
    sides = "".join(side for side, cond in (
        ("L+", q.content.start < s - 1), ("L-", q.content.start > s + 1),
        ("R+", q.content.end > e + 1), ("R-", q.content.end < e - 1)) if cond)
    return f"boundary: {' and '.join(kind) or 'other'}, {sides or 'same ends'}"


def _speaker_class(g: GoldAttribution, q: Quote, tally: ErrorTally) -> None:
    sp = q.speaker
    if sp is not None and _touches(sp.start, sp.end, g.source):
        tally.speakers[f"speaker ok: {q.rule}"] += 1
        return
    key = f"speaker {'none' if sp is None else 'wrong'}: {q.rule}"
    tally.speakers[key] += 1
    ours = sp.text if sp is not None else None
    tally.example(key, f"gold {g.source_text!r} ours {ours!r}: {g.content_text[:100]!r}")


def tally_article(gold: GoldArticle, doc: Document, tally: ErrorTally) -> None:
    """Add one article's classes to ``tally`` (see the module docstring)."""
    quotes = doc.quotes
    text = gold.text
    qwords = [_words(q.content.text) for q in quotes]
    used: set[int] = set()
    for g in gold.attributions:
        gw = _words(g.content_text)
        hit = [i for i, qw in enumerate(qwords) if _matches(gw, qw)]
        if hit:
            used.update(hit)
            tally.gold["matched"] += 1
            if g.source:
                _speaker_class(g, quotes[max(hit, key=lambda i: len(gw & qwords[i]) / len(gw | qwords[i]))], tally)
            continue
        on_cue = [i for i, q in enumerate(quotes) if q.cue is not None and _touches(q.cue.start, q.cue.end, g.cue)]
        s, e = _outer(g.content)
        if on_cue:
            i = max(on_cue, key=lambda i: len(gw & qwords[i]))
            key = _boundary(g, quotes[i], gw, qwords[i])
            tally.gold[key] += 1
            tally.example(key, f"gold: {g.content_text[:160]!r}\n      ours: {quotes[i].content.text[:160]!r}")
            continue
        if any(_touches(q.content.start, q.content.end, g.content) for q in quotes):
            tally.gold["other quote overlaps"] += 1
            continue
        quoted = g.content_text.lstrip()[:1] in _OPEN_MARKS
        key = "missed, quoted" if quoted else "missed"
        tally.gold[key] += 1
        cue, lemmas = _cue_head(doc.parse, g.cue)
        tally.missed_lemmas[lemmas or "(no cue)"] += 1
        frame = _frame(doc.parse, g, cue) if doc.parse is not None else "no parse"
        tally.missed_frames[frame] += 1
        cs = _outer(g.cue)[0] if g.cue else s
        tally.example(f"missed {frame}", text[max(0, min(s, cs) - 40):e + 5].replace("\n", " | "))
    for i, q in enumerate(quotes):
        tally.rules[q.rule] += 1
        if i in used:
            tally.rules_matched[q.rule] += 1
            continue
        if q.cue is not None and any(_touches(q.cue.start, q.cue.end, g.cue) for g in gold.attributions):
            key = "fp: cue on a gold cue"
        elif any(_touches(q.cue.start, q.cue.start + 1, g.content) for g in gold.attributions if q.cue is not None):
            key = "fp: inside a gold content"
        elif any(_touches(q.content.start, q.content.end, g.content) for g in gold.attributions):
            key = "fp: overlaps a gold content"
        else:
            key = "fp: nothing in gold"
        tally.predicted[key] += 1
        tally.example(key, f"{q.rule} {q.cue.text if q.cue else ''!r}: {q.content.text[:160]!r}")
    tally.predicted["matched"] += len(used)


def tally_errors(pairs: Iterable[tuple[GoldArticle, Document]], keep: int = 5) -> ErrorTally:
    """The error classes over (gold, Document) pairs, e.g. from :func:`.quotes.documents_for`."""
    tally = ErrorTally(keep=keep)
    for gold, doc in pairs:
        tally_article(gold, doc, tally)
    return tally


def render(tally: ErrorTally, top: int = 25, examples: int = 8) -> str:
    """The tally as plain text tables, with examples of each class and of the ``examples``
    commonest missed frames."""
    out = []
    n_gold = sum(tally.gold.values()) or 1
    out.append(f"gold attributions ({n_gold})")
    out += [f"  {v:6d} {v / n_gold:6.1%}  {k}" for k, v in tally.gold.most_common()]
    n_pred = sum(tally.predicted.values()) or 1
    out.append(f"predicted quotes ({n_pred})")
    out += [f"  {v:6d} {v / n_pred:6.1%}  {k}" for k, v in tally.predicted.most_common()]
    out.append("precision by rule")
    out += [f"  {v:6d} {tally.rules_matched[k] / v:6.1%}  {k}" for k, v in tally.rules.most_common()]
    out.append("speakers of matched attributions with a Source")
    out += [f"  {v:6d}  {k}" for k, v in tally.speakers.most_common()]
    out.append("missed: top cue lemmas")
    out.append("  " + ", ".join(f"{k} {v}" for k, v in tally.missed_lemmas.most_common(top)))
    out.append("missed: top frames (cue head POS : how the content hangs from it)")
    out.append("  " + ", ".join(f"{k} {v}" for k, v in tally.missed_frames.most_common(top)))
    keys = [*tally.gold, *tally.predicted, *(k for k in tally.speakers if not k.startswith("speaker ok")),
            *(f"missed {k}" for k, _ in tally.missed_frames.most_common(examples))]
    for key in keys:
        if tally.examples.get(key):
            out.append(f"e.g. {key}")
            out += [f"    {t}" for t in tally.examples[key]]
    return "\n".join(out)


def quote_errors(split_dir, settings: Settings | None = None, limit: int | None = None) -> str:
    """The error breakdown of the pipeline's quotes on one PolNeAR split folder, as text."""
    articles = read_polnear(split_dir)[:limit] if limit else read_polnear(split_dir)
    return render(tally_errors(documents_for(articles, settings, keep_parse=True)))


__all__ = ["ErrorTally", "quote_errors", "render", "tally_article", "tally_errors"]
