"""Actor span detection against the ConfliBERT CAMEO NER gold (source S, target T, reciprocal R).

    python benchmarks/actors.py [--gold PATH] [--limit N]

Prints three tables:
1. event roles: the pipeline's event sources/targets (``code_document``'s events) against the
   gold S/T/R spans, exact and overlap P/R/F1 per role (R is scored against sources and
   targets alike; "all" merges roles the way ../shared/eval/score_events.py does, R as S);
2. role-agnostic: every actor phrase the actors stage finds (``actors.actor_phrases``) against
   every gold span, whatever its role: how well actor detection and span boundaries cover the
   gold before any event coding;
3. boundaries: given each gold span's syntactic head, how often ``actors.phrase_extent`` gives
   exactly the gold extent (what an event coder that finds the right head would score);
4. speed: parse alone, the actors stage alone on those parses, and the whole pipeline, in words
   per second on the same sentences (best of two runs; the machine is shared).
Gold sentences are token lists; each is coded as its tokens joined by spaces, as the scorer does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_GOLD = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), ROOT.parent / "shared") \
    / "gold" / "events" / "conflibert-cameo-ner-train.txt"


def gold_spans(sent: list[tuple[str, str]]) -> tuple[str, list[tuple[str, int, int]]]:
    """The sentence text (tokens joined by spaces) and its (role, start, end) character spans."""
    offsets, pos = [], 0
    for tok, _ in sent:
        offsets.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    text = " ".join(t for t, _ in sent)
    spans, role, first, last = [], None, 0, 0
    for i, (_, tag) in enumerate(sent + [("", "O")]):
        inside = tag.startswith("I-") and tag[2:] == role
        if role and not inside:
            spans.append((role, offsets[first][0], offsets[last][1]))
            role = None
        if tag.startswith("B-") or (tag.startswith("I-") and not inside):
            role, first = tag[2:], i
        if role:
            last = i
    return text, spans


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(pairs) -> dict:
    """Exact and overlap P/R/F1 over (gold spans, predicted spans) per sentence; a span is
    ``(start, end)`` or ``(start, end, role)``, and with roles only the same role matches."""
    tp = tpo_g = tpo_p = n_pred = n_gold = 0

    def near(a, b) -> bool:
        return a[2:] == b[2:] and overlaps(a, b)

    for gold, pred in pairs:
        gold, pred = set(gold), set(pred)
        n_gold += len(gold)
        n_pred += len(pred)
        tp += len(gold & pred)
        tpo_g += sum(1 for g in gold if any(near(g, q) for q in pred))
        tpo_p += sum(1 for q in pred if any(near(g, q) for g in gold))
    po = tpo_p / n_pred if n_pred else 0.0
    ro = tpo_g / n_gold if n_gold else 0.0
    return {"exact": prf(tp, n_pred, n_gold), "overlap": (po, ro, 2 * po * ro / (po + ro) if po + ro else 0.0),
            "n": (n_gold, n_pred)}


def event_spans(doc, key: str) -> list[tuple[int, int]]:
    out = []
    for e in doc.events:
        v = getattr(e, key)
        for a in (v if isinstance(v, list) else [v]):
            if a is not None and a.text:
                out.append((a.start, a.end))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--limit", type=int, default=0, help="first N sentences only")
    ap.add_argument("--show", type=int, default=0, help="print N role-agnostic misses")
    args = ap.parse_args(argv)
    if not args.gold.exists():
        print(f"gold not found: {args.gold} (it lives in ../shared/gold/events)")
        return 2

    from newsevents import Settings
    from newsevents.actors import ActorStage, actor_phrases, phrase_extent
    from newsevents.evaluation.gold import read_conll
    from newsevents.model import Article
    from newsevents.pipeline import Pipeline

    sents = read_conll(args.gold)
    if args.limit:
        sents = sents[: args.limit]
    items = [gold_spans(s) for s in sents]
    words = sum(len(s) for s in sents)
    articles = [Article(id=f"s{i}", body=text, language="en", source=f"line {i + 1}") for i, (text, _) in enumerate(items)]

    parse_only = Pipeline(Settings(stages=("parse",)), keep_parse=True)
    full = Pipeline(Settings(), keep_parse=True)
    list(full.pipe(articles[:20]))  # load models and build the matcher before timing
    t_parse = t_actors = t_full = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        parsed = list(parse_only.pipe(articles))
        t_parse = min(t_parse, time.perf_counter() - t0)
        stage = ActorStage(Settings())
        t0 = time.perf_counter()
        for doc in parsed:
            stage(doc)
        t_actors = min(t_actors, time.perf_counter() - t0)
        t0 = time.perf_counter()
        docs = list(full.pipe(articles))
        t_full = min(t_full, time.perf_counter() - t0)

    roles = {"S": [], "T": [], "R": [], "all": []}
    agnostic, coded = [], 0
    misses = []
    bounds_ok = 0
    for (text, spans), doc in zip(items, docs):
        src, tgt = event_spans(doc, "source"), event_spans(doc, "target")
        roles["S"].append(([(s, e) for r, s, e in spans if r == "S"], src))
        roles["T"].append(([(s, e) for r, s, e in spans if r == "T"], tgt))
        roles["R"].append(([(s, e) for r, s, e in spans if r == "R"], src + tgt if any(r == "R" for r, *_ in spans) else []))
        roles["all"].append(([(s, e, "S" if r == "R" else r) for r, s, e in spans],
                             [(s, e, "S") for s, e in src] + [(s, e, "T") for s, e in tgt]))
        phrases = actor_phrases(doc)
        pred = [(p.start, p.end) for p in phrases]
        gold = [(s, e) for _, s, e in spans]
        agnostic.append((gold, pred))
        coded += sum(1 for p in phrases if p.code)
        for g in gold:
            head = doc.parse.char_span(*g, alignment_mode="expand").root
            s, e = phrase_extent(head)
            bounds_ok += (doc.parse[s].idx, doc.parse[e - 1].idx + len(doc.parse[e - 1])) == g
            if g not in set(pred) and len(misses) < args.show:
                near = [text[s:e] for s, e in pred if overlaps(g, (s, e))]
                misses.append(f"  gold {text[g[0]:g[1]]!r:60} pred {near}")

    print(f"gold: {args.gold.name}, {len(sents)} sentences, {words} words")
    print("\n1. event roles (pipeline events' source/target spans)")
    print(f"   {'role':5} {'gold':>5} {'pred':>5}   {'exact P':>7} {'R':>5} {'F1':>5}   {'overlap P':>9} {'R':>5} {'F1':>5}")
    for role, pairs in roles.items():
        res = score(pairs)
        (p, r, f), (po, ro, fo), (ng, np_) = res["exact"], res["overlap"], res["n"]
        print(f"   {role:5} {ng:5} {np_:5}   {p:7.3f} {r:5.3f} {f:5.3f}   {po:9.3f} {ro:5.3f} {fo:5.3f}")
    if not any(doc.events for doc in docs):
        print("   (no events: the events stage is not in this build)")
    res = score(agnostic)
    (p, r, f), (po, ro, fo), (ng, np_) = res["exact"], res["overlap"], res["n"]
    print("\n2. role-agnostic actor phrases (actors.actor_phrases) against all gold spans")
    print(f"   gold {ng}, predicted {np_} ({coded} coded)")
    print(f"   exact   P={p:.3f} R={r:.3f} F1={f:.3f}")
    print(f"   overlap P={po:.3f} R={ro:.3f} F1={fo:.3f}")
    if misses:
        print("   misses:")
        print("\n".join(misses))
    n_gold = sum(len(spans) for _, spans in items)
    print("\n3. boundaries given the gold head (actors.phrase_extent)")
    print(f"   exact extent {bounds_ok / n_gold:.3f} ({bounds_ok}/{n_gold})")
    print("\n4. speed")
    print(f"   parse only       {words / t_parse:8.0f} words/s ({t_parse:.1f} s)")
    print(f"   actors stage     {words / t_actors:8.0f} words/s ({t_actors:.1f} s, {t_actors / t_parse:.0%} of parse time)")
    print(f"   full pipeline    {words / t_full:8.0f} words/s ({t_full:.1f} s) = {t_parse / t_full:.2f}x parse-only throughput"
          f" (stages: {', '.join(full.stage_names)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
