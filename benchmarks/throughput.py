"""Throughput of batch runs against the floor: bare spaCy parsing the same texts.

Run: PYTHONPATH=src python benchmarks/throughput.py [--articles 2000] [--corpus FILE.jsonl]
     [--repeat N] [--only bare-1,pipeline-1,...] [--profile] [--events-model shipped|none]

It makes a corpus (or takes one): articles of news length (~580 words) built from the bundled
sample (three official statements per article, now and then the canonical article, in varying
order, so every article is distinct). Then, in one run, each configuration runs in a fresh
process while this one samples the resident memory of that process and all its children:

- bare-1, bare-2: spaCy ``nlp.pipe`` over the same texts (the ingested bodies), 1 and 2
  processes: the model alone, the floor.
- pipeline-1, pipeline-2: ``newsevents run`` (ingest from the JSONL dump, every stage, the
  store) with 1 and 2 workers, into a fresh DuckDB store.
- dask-2: the same on the Dask engine, a LocalCluster of 2 workers.

Times are wall clock from the start of the work to its end, model loading and worker start-up
included (every real run pays them). Ratios compare a configuration with bare spaCy at the same
worker count. On a shared machine the figures move with the load: the load average is printed
beside each, and ``--repeat`` keeps the best of several rounds. ``--profile`` adds where the
time goes in one process, stage by stage, and the hottest functions (cProfile).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIGS = ("bare-1", "pipeline-1", "bare-2", "pipeline-2", "dask-2")


# ---------------------------------------------------------------- the corpus

def make_corpus(path: Path, n: int, seed: int = 13) -> None:
    """``n`` distinct articles of news length from the bundled sample, as a JSONL dump."""
    from newsevents.data import SAMPLE_ARTICLE, SAMPLE_CORPUS, data_path
    from newsevents.ingest import read_text

    statements = [json.loads(line) for line in data_path("samples", SAMPLE_CORPUS).read_text("utf-8").splitlines()]
    canonical = read_text(data_path("samples", SAMPLE_ARTICLE).read_text("utf-8")).body
    rng = random.Random(seed)
    seen: set[tuple] = set()
    with open(path, "w", encoding="utf-8") as f:
        while len(seen) < n:
            parts = tuple(rng.sample(range(len(statements)), 3))
            lead = rng.random() < 0.1  # one article in ten opens with the canonical one
            if (parts, lead) in seen:
                continue
            seen.add((parts, lead))
            texts = ([canonical] if lead else []) + [statements[i]["text"] for i in parts]
            first = statements[parts[0]]
            f.write(json.dumps({"id": f"bench-{len(seen)}", "title": first["title"], "source": first["source"],
                                "published": f"2016-{1 + len(seen) % 12:02d}-{1 + len(seen) % 28:02d}",
                                "text": "\n\n".join(texts)}, ensure_ascii=False) + "\n")


def bodies(corpus: Path) -> list[str]:
    from newsevents.ingest import read
    from newsevents.model import Article

    return [a.body for a in read([corpus]) if isinstance(a, Article)]


# ---------------------------------------------------------------- one configuration (a child process)

def one(config: str, corpus: Path, texts_path: Path, events_model: str = "shipped") -> dict:
    from newsevents.settings import Settings

    kind, workers = config.rsplit("-", 1)
    workers = int(workers)
    settings = Settings(workers=workers, events_model=events_model)
    if kind == "bare":
        texts = json.loads(texts_path.read_text("utf-8"))
        started = time.perf_counter()
        import spacy

        nlp = spacy.load(settings.spacy_model)
        n = sum(1 for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=workers))
        return {"articles": n, "seconds": time.perf_counter() - started}
    from newsevents.run import run

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = run([corpus], settings, store=Path(tmp) / "bench.duckdb",
                     engine="dask" if kind == "dask" else "local", workers=workers)
        seconds = time.perf_counter() - started
    if not report.ok or report.written == 0:
        raise SystemExit(f"{config}: the run did not go through: {report}")
    return {"articles": report.written, "seconds": seconds}


def measure(config: str, corpus: Path, texts_path: Path, events_model: str = "shipped") -> dict:
    """Run ``config`` in a fresh process; sample the memory of its whole process tree."""
    import psutil

    load = os.getloadavg()[0]
    proc = subprocess.Popen([sys.executable, __file__, "--one", config, "--corpus", str(corpus),
                             "--texts", str(texts_path), "--events-model", events_model],
                            stdout=subprocess.PIPE, text=True)
    top = psutil.Process(proc.pid)
    peak = peak_pss = 0
    while proc.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
            peak = max(peak, sum(_memory(p, "rss") for p in tree))
            peak_pss = max(peak_pss, sum(_memory(p, "pss") for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.2)
    out = proc.stdout.read()
    if proc.returncode:
        raise SystemExit(f"{config} failed (exit {proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    return {**result, "config": config, "peak_rss": peak, "peak_pss": peak_pss,
            "load": (load + os.getloadavg()[0]) / 2}


def _memory(p, kind: str) -> int:
    """A process's resident memory: ``rss`` counts pages it shares with others (the libraries,
    a forked parent's pages) in full, ``pss`` counts its share of them (Linux), so the PSS of a
    process tree adds up to the memory it really holds."""
    try:
        return p.memory_info().rss if kind == "rss" else getattr(p.memory_full_info(), "pss", 0)
    except Exception:
        return 0


# ---------------------------------------------------------------- where the time goes

def profile(corpus: Path, chunk: int = 64, events_model: str = "shipped") -> None:
    """Per-stage time in one process (each stage over a chunk at a time), then cProfile's top."""
    import cProfile
    import io
    import pstats
    from itertools import islice

    from newsevents import get_pipeline
    from newsevents.ingest import units, article_of
    from newsevents.model import Document
    from newsevents.pipeline import _apply
    from newsevents.settings import Settings
    from newsevents.store import open_store

    settings = Settings(workers=1, events_model=events_model)
    pipeline = get_pipeline(settings)
    spent: dict[str, float] = {}
    n = 0

    def tick(name, t):
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - t

    raw = units([corpus], settings)
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "p.duckdb", settings=settings) as store:
        while batch := list(islice(raw, chunk)):
            t = time.perf_counter()
            docs = [Document(article=article_of(u, settings)) for u in batch]
            tick("ingest (decode, furniture, language, id)", t)
            for name, stage in pipeline.stages:
                t = time.perf_counter()
                docs = list(_apply(name, stage, docs, settings))
                tick(f"stage {name}", t)
            for d in docs:
                d.drop_parse()
            t = time.perf_counter()
            texts = [d.to_json() for d in docs]
            tick("serialise (to_json, in the worker)", t)
            t = time.perf_counter()
            back = [(Document.from_dict(json.loads(x)), x) for x in texts]
            tick("deserialise (from_dict, main process)", t)
            t = time.perf_counter()
            store.write(back)
            tick("store write (main process)", t)
            n += len(docs)
    total = sum(spent.values())
    print(f"\nWhere the time goes, one process, {n} articles ({total / n * 1000:.1f} ms an article):")
    for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<44} {s / n * 1000:8.2f} ms/article  {s / total:6.1%}")

    prof = cProfile.Profile()
    sample = list(islice(units([corpus], settings), 200))
    prof.enable()
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "p.duckdb", settings=settings) as store:
        store.write(pipeline.pipe(article_of(u, settings) for u in sample))
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
    print(f"\ncProfile over {len(sample)} articles, by own time (top 25):")
    print("\n".join(buf.getvalue().splitlines()[6:]))


# ---------------------------------------------------------------- the table

def table(results: list[dict], words_per_article: float) -> str:
    best: dict[str, dict] = {}
    for r in results:  # the best of the rounds: the least disturbed by other load
        r["rate"] = r["articles"] / r["seconds"]
        if r["config"] not in best or r["rate"] > best[r["config"]]["rate"]:
            best[r["config"]] = r
    lines = [f"{'configuration':<12} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'words/s':>9} "
             f"{'x bare':>7} {'peak RSS':>9} {'peak PSS':>9} {'load avg':>8}"]
    for config in CONFIGS:
        r = best.get(config)
        if r is None:
            continue
        bare = best.get(f"bare-{config.rsplit('-', 1)[1]}")
        ratio = f"{r['rate'] / bare['rate']:.2f}" if bare else "-"
        lines.append(f"{config:<12} {r['articles']:>8} {r['seconds']:>8.1f} {r['rate']:>10.2f} "
                     f"{r['rate'] * words_per_article:>9.0f} {ratio:>7} {r['peak_rss'] / 2**20:>6.0f} MB "
                     f"{r['peak_pss'] / 2**20:>6.0f} MB {r['load']:>8.2f}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="articles in the made corpus (default 2000)")
    ap.add_argument("--corpus", type=Path, help="use this JSONL dump instead of making one")
    ap.add_argument("--repeat", type=int, default=1, help="rounds; the best of each configuration is shown")
    ap.add_argument("--only", help=f"comma-separated configurations among {', '.join(CONFIGS)}")
    ap.add_argument("--profile", action="store_true", help="also show where the time goes, stage by stage")
    ap.add_argument("--events-model", default="shipped",
                    help="Settings.events_model of the pipeline runs: shipped (the default) or none (rules alone)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.corpus, args.texts, args.events_model)))
        return
    configs = args.only.split(",") if args.only else list(CONFIGS)
    unknown = set(configs) - set(CONFIGS)
    if unknown:
        ap.error(f"unknown configuration(s) {', '.join(sorted(unknown))}; valid: {', '.join(CONFIGS)}")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "corpus.jsonl"
        if not args.corpus:
            make_corpus(corpus, args.articles)
        texts = bodies(corpus)
        words = sum(len(t.split()) for t in texts) / len(texts)
        texts_path = Path(tmp) / "texts.json"
        texts_path.write_text(json.dumps(texts), "utf-8")
        print(f"corpus: {len(texts)} articles, {words:.0f} words an article on average; {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.2f} at the start", flush=True)
        results = []
        for round_ in range(args.repeat):
            for config in configs:
                r = measure(config, corpus, texts_path, args.events_model)
                results.append(r)
                print(f"  round {round_ + 1} {config}: {r['articles']} articles in {r['seconds']:.1f} s, peak RSS "
                      f"{r['peak_rss'] / 2**20:.0f} MB (PSS {r['peak_pss'] / 2**20:.0f} MB), load {r['load']:.2f}",
                      flush=True)
        print()
        print(table(results, words))
        if args.profile:
            profile(corpus, events_model=args.events_model)


if __name__ == "__main__":
    main()
