"""Places on GeoWebNews, measured through the product's places stage, plus the cost of the
places, dates and tone stages against a bare spaCy parse.

usage: python benchmarks/geo.py [GWN_DIR] [--limit N] [--no-context] [--errors FILE]
(default dir: ../shared/gold/geo). Prints:

- the gazetteer's load time and memory (in a fresh process: what each spawned worker pays; and
  the private memory a forked worker adds after resolving articles, pages being shared);
- GWN toponym recall, and among found toponyms country accuracy, within-161-km and exact id
  (the scorer is newsevents.evaluation.geo, as in ``newsevents evaluate geo``);
- ms per article of bare spaCy (en_core_web_sm), our parse stage and each later stage (each
  stage warmed up on 5 articles first, so one-off loads are left out), and the pipeline's
  throughput as a share of bare spaCy's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LOAD_PROBE = """
import gc, time
def rss(): return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024
import numpy, newsevents.geo.gazetteer as g
r0 = rss(); t = time.perf_counter(); gaz = g.load(); dt = time.perf_counter() - t; gc.collect()
hwm = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024
print(f"{dt:.2f} {rss() - r0:.1f} {hwm - r0:.1f}")
"""


def private_mb() -> float:
    """Private (unshared) memory of this process, from smaps_rollup."""
    with open("/proc/self/smaps_rollup") as f:
        return sum(int(line.split()[1]) for line in f if line.startswith(("Private_Clean", "Private_Dirty"))) / 1024


def forked_worker_private(docs) -> float:
    """Private memory a forked child adds while it resolves ``docs`` with the parent's gazetteer."""
    from newsevents.geo import locate

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: resolve, then report how much of its memory is its own
        os.close(r)
        before = private_mb()
        for d in docs:
            locate(d.article.body, d.parse)
        os.write(w, f"{private_mb() - before:.1f}".encode())
        os._exit(0)
    os.close(w)
    out = os.read(r, 64).decode()
    os.waitpid(pid, 0)
    return float(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(ROOT.parent / "shared" / "gold" / "geo"))
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--no-context", action="store_true", help="ablation: resolve each name from its prior alone")
    ap.add_argument("--errors", help="write missed and misplaced toponyms to this TSV file")
    args = ap.parse_args()

    import spacy

    from newsevents.evaluation.geo import read_gwn, score
    from newsevents.geo import locate
    from newsevents.model import Article, Document
    from newsevents.stages import STAGE_FACTORIES, factory_of
    from newsevents.settings import Settings

    out = subprocess.run([sys.executable, "-c", LOAD_PROBE], capture_output=True, text=True, check=True).stdout.split()
    print(f"gazetteer load (fresh process): {float(out[0]):.2f} s, +{float(out[1]):.0f} MB RSS after load "
          f"(+{float(out[2]):.0f} MB peak while loading)")

    gold = read_gwn(args.gold)[:args.limit]
    texts = [a.text for a in gold]
    ntok = 0
    settings = Settings()
    nlp = spacy.load(settings.spacy_model)
    t = time.perf_counter()
    for d in nlp.pipe(texts, batch_size=settings.batch_size):
        ntok += len(d)
    bare = time.perf_counter() - t
    del nlp

    parse_stage = factory_of("parse")(settings)
    docs = [Document(article=Article(id=a.id, body=a.text, language="en", source=f"GWN:{a.id}")) for a in gold]
    t = time.perf_counter()
    docs = list(parse_stage.pipe(docs))
    timings = {"parse": time.perf_counter() - t}
    for name in settings.stages[1:]:
        if name not in STAGE_FACTORIES:
            continue
        stage = factory_of(name)(settings)
        for d in docs[:5]:  # one-off loads (gazetteer, dateparser's tables) are not a per-article cost
            stage(d)
        t = time.perf_counter()
        for d in docs:
            stage(d)
        timings[name] = time.perf_counter() - t

    # the learned ranker's share of the places stage: the same stage with the rule resolver's choices kept
    from newsevents.geo import extract, load, locate_events, locations, resolve

    gaz = load()
    t = time.perf_counter()
    for d in docs:
        d.locations = locations(gaz, resolve(gaz, d.article.body, extract(gaz, d.article.body, d.parse)))
        locate_events(d)
    timings_rules = time.perf_counter() - t

    n = len(docs)
    if args.no_context:
        predicted = [locate(d.article.body, d.parse, context=False) for d in docs]
    else:
        predicted = [d.locations for d in docs]
    r = score(gold, predicted)
    a = r.all
    print(f"GeoWebNews ({n} articles, {a.n} geocoded gold toponyms){' [no context]' if args.no_context else ''}: "
          f"recall {a.recall:.3f}; among {a.found} found: country {a.country:.3f}, within 161 km {a.within_161km:.3f}, "
          f"exact GeoNames id {a.exact_id:.3f}")
    print(f"  {r.predicted} predicted toponyms: {r.precision_any:.3f} overlap a GWN annotation, "
          f"{r.precision_geocoded:.3f} a geocoded one")
    for title, rows in (("GWN type", r.by_type), ("gold feature", r.by_feature)):
        for k, s in rows.items():
            print(f"  {title:<12} {k:<22} n={s.n:<5} recall {s.recall:.3f} country {s.country:.3f} "
                  f"161km {s.within_161km:.3f}")
    if args.errors:
        Path(args.errors).write_text("".join("\t".join(map(str, e)) + "\n" for e in r.errors), encoding="utf-8")

    print(f"cost per article ({n} articles, {ntok / n:.0f} tokens each on average):")
    print(f"  bare spaCy ({settings.spacy_model}) {1000 * bare / n:8.2f} ms  ({n / bare:.1f} articles/s)")
    for name, s in timings.items():
        print(f"  {name:<10} {1000 * s / n:8.2f} ms  ({100 * s / bare:5.1f}% of bare spaCy)")
    print(f"  {'places without the ranker (rules only)':<10} {1000 * timings_rules / n:8.2f} ms  "
          f"({100 * timings_rules / bare:5.1f}% of bare spaCy)")
    mine = sum(timings.get(k, 0.0) for k in ("places", "dates", "tone"))
    total = sum(timings.values())
    print(f"  places+dates+tone {1000 * mine / n:.2f} ms ({100 * mine / bare:.1f}% of bare spaCy); whole pipeline "
          f"throughput = {bare / total:.2f}x bare spaCy")
    print(f"forked worker: +{forked_worker_private(docs[:50]):.1f} MB private memory after resolving 50 articles "
          f"with the parent's gazetteer (the rest stays shared)")


if __name__ == "__main__":
    main()
