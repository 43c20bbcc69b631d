"""Time per stage on long inputs: is the pipeline linear in the length of an article?

    python benchmarks/long_inputs.py [--sizes 25000,50000,100000,200000] [--tokens 1000,10000,30000]

Prints two tables:
1. articles of growing length (news paragraphs, as ``tests/malformed.py`` writes them), up to
   ``max_body_chars`` (200,000 characters, the most an article keeps): seconds per stage, and
   microseconds per character, which stays flat when a stage is linear;
2. one run-on "sentence" of N tokens (no full stop until the end): seconds per stage.
The machine is shared: compare the rows of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


def stage_times(pipeline, text: str):
    """(seconds per stage, the Document) for ``text``."""
    from newsevents.model import Article, Document

    doc = Document(article=Article(id="bench", body=text, language="en"))
    times = {}
    for name, stage in pipeline.stages:
        began = time.perf_counter()
        doc = stage(doc)
        times[name] = time.perf_counter() - began
    return times, doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25000,50000,100000,200000")
    parser.add_argument("--tokens", default="1000,10000,30000")
    args = parser.parse_args()

    from malformed import SENTENCES, article

    from newsevents import Settings, get_pipeline

    pipeline = get_pipeline(Settings())
    stage_times(pipeline, article(0))  # warm up: models load
    names = pipeline.stage_names
    text = "\n\n".join(article(i).split("\n\n", 1)[1] for i in range(400))
    print(f"{'characters':>10} {'tokens':>7} " + " ".join(f"{n:>7}" for n in names) + f" {'total s':>8} {'µs/char':>8}")
    for size in [int(s) for s in args.sizes.split(",")]:
        times, doc = stage_times(pipeline, text[:size])
        total = sum(times.values())
        print(f"{size:>10,} {len(doc.parse):>7,} " + " ".join(f"{times[n]:>7.2f}" for n in names)
              + f" {total:>8.1f} {total / size * 1e6:>8.0f}")
    words = [w.strip(".,") for w in " ".join(SENTENCES).split()]
    print(f"\n{'tokens':>10} {'sentences':>9} " + " ".join(f"{n:>7}" for n in names) + f" {'total s':>8}")
    for n in [int(s) for s in args.tokens.split(",")]:
        rng = random.Random(3)
        sentence = "Officials said that " + " ".join(rng.choice(words) for _ in range(n)) + "."
        times, doc = stage_times(pipeline, sentence)
        print(f"{n:>10,} {len(doc.sentences):>9} " + " ".join(f"{times[s]:>7.2f}" for s in names)
              + f" {sum(times.values()):>8.1f}")


if __name__ == "__main__":
    main()
