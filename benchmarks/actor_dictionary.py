"""Load time and memory of the actor dictionary (all layers) and its name matchers.

    PYTHONPATH=src python benchmarks/actor_dictionary.py [--rounds 3]

Each round runs in a fresh process: spaCy's English vocabulary is made first (the pipeline has
one anyway), then the resident memory is read, the dictionary loaded and the matchers built,
and the memory read again. Prints the best load time and the median memory added. Run it with
an older checkout on PYTHONPATH to compare.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

_CHILD = r"""
import json, resource, time
def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
import spacy
from newsevents.actors import dictionary
from newsevents.actors.find import matcher_for
vocab = spacy.blank("en").vocab
before = rss_mb()
t0 = time.perf_counter()
d = dictionary.load(())
t1 = time.perf_counter()
matcher_for(d, vocab)
t2 = time.perf_counter()
names = len(d.names) + len(getattr(d, "lower_names", {}))
print(json.dumps({"load_s": t1 - t0, "matchers_s": t2 - t1, "rss_added_mb": rss_mb() - before, "names": names,
                  "roles": len(d.roles)}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    runs = [json.loads(subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True)
                       .stdout.strip().splitlines()[-1]) for _ in range(args.rounds)]
    best = min(runs, key=lambda r: r["load_s"] + r["matchers_s"])
    print(f"names {best['names']}, role nouns {best['roles']}")
    print(f"load {best['load_s']:.2f} s + matchers {best['matchers_s']:.2f} s (best of {args.rounds}); "
          f"memory added {statistics.median(r['rss_added_mb'] for r in runs):.0f} MB (median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
