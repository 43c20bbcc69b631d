"""Speed of the quotes stage against bare spaCy, on PolNeAR dev texts (or the bundled corpus).

    python benchmarks/quotes.py [--polnear DIR] [--limit N] [--quotes-model none,shipped]

Prints words per second for: bare spaCy (the pinned model's ``nlp.pipe``), the quotes stage
alone on those parses (after the actors stage, which it relies on for speakers), and parse +
quotes together, with the ratio to bare spaCy; once per reading named in ``--quotes-model``
(the rules alone, the shipped cue classifier, the CRF), on the same parses, so their costs
compare within one run. Best of two runs (the machine is shared); the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), ROOT.parent / "shared") \
    / "gold" / "quotes" / "polnear" / "dev"


def texts(folder: Path, limit: int | None) -> list[str]:
    if (folder / "text").is_dir():
        files = sorted((folder / "text").glob("*.txt"))[:limit]
        return [f.read_text(encoding="utf-8") for f in files]
    import json

    from newsevents.data import SAMPLE_CORPUS, data_path

    lines = data_path("samples", SAMPLE_CORPUS).read_text(encoding="utf-8").splitlines()[:limit]
    return [json.loads(line)["text"] for line in lines if line.strip()]


def best(fn, runs: int = 2) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polnear", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--quotes-model", default="none,shipped", help="comma-separated readings (Settings.quotes_model)")
    args = ap.parse_args()

    from newsevents.actors import ActorStage
    from newsevents.model import Article, Document
    from newsevents.nlp import load, sentences_of
    from newsevents.quotes import QuoteStage
    from newsevents.settings import Settings

    settings = Settings()
    nlp = load(settings.spacy_model)
    bodies = texts(args.polnear, args.limit)
    words = sum(len(t.split()) for t in bodies)
    parses: list = []

    def parse():
        parses[:] = list(nlp.pipe(bodies, batch_size=settings.batch_size))

    t_parse = best(parse)
    docs = [Document(article=Article(id=str(i), body=t), parse=p, sentences=sentences_of(p))
            for i, (t, p) in enumerate(zip(bodies, parses))]
    actors = ActorStage(settings)
    for d in docs:
        actors(d)
    print(f"{len(bodies)} articles, {words} words; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"bare spaCy      {words / t_parse:9.0f} words/s")
    for model in args.quotes_model.split(","):
        quotes = QuoteStage(settings.with_(quotes_model=model))
        t_quotes = best(lambda: [quotes(d) for d in docs])
        n_quotes = sum(len(d.quotes) for d in docs)
        print(f"quotes_model={model}: {n_quotes} quotes")
        print(f"  quotes stage    {words / t_quotes:9.0f} words/s ({1000 * t_quotes / len(bodies):.1f} ms per article)")
        print(f"  parse + quotes  {words / (t_parse + t_quotes):9.0f} words/s = {t_parse / (t_parse + t_quotes):.2f}x bare spaCy")


if __name__ == "__main__":
    main()
