"""Peak memory of ``newsevents query`` writing a large result as CSV, JSON lines and Parquet.

    python benchmarks/query_memory.py [--rows 1000000] [--store PATH] [--formats csv jsonl parquet]

Writes a synthetic store of ``--rows`` merged events through the store's own write primitives
(``Store._append`` in ``Store._transaction``, the calls ``Store.write`` makes; coding a million
articles would take days), then runs ``newsevents query events --format F -o FILE`` in a fresh
process for each format and prints its peak resident memory (``ru_maxrss``), with that of
``newsevents query --help`` (the interpreter and the imports) for comparison. The store is
kept with ``--store`` (reused when it already holds the rows) and removed otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ACTORS = [("Russia", "RUSGOV", "RUS", "GOV"), ("the United States", "USAGOV", "USA", "GOV"), ("NATO", "IGOWSTNAT", None,
          "IGO"), ("Ukraine", "UKRMIL", "UKR", "MIL"), ("China", "CHN", "CHN", None), ("the EU", "IGOEUREEC", None, "IGO")]
CODES = [("0214", "02", "Appeal for diplomatic cooperation", "REQUEST", 1, 3.4), ("111", "11", "Criticize or denounce",
         "ACCUSE", 3, -2.0), ("163", "16", "Impose embargo, boycott, or sanctions", "SANCTION", 3, -8.0),
         ("190", "19", "Use conventional military force", "ASSAULT", 4, -10.0), ("040", "04", "Consult", "CONSULT", 1,
         1.0)]
WORDS = ("officials said the talks would resume after the border crisis eased and the ministers met in Geneva to "
         "discuss the sanctions the troops the ceasefire and the next round of negotiations").split()


def event_rows(start: int, n: int, rng: random.Random) -> list[dict]:
    day0 = date(2015, 1, 1)
    now = datetime(2026, 12, 1)
    rows = []
    for i in range(start, start + n):
        src, tgt = rng.sample(ACTORS, 2)
        code, root, name, plover, quad, goldstein = rng.choice(CODES)
        day = day0 + timedelta(days=rng.randrange(4000))
        rows.append({
            "event_id": f"ev_{i:016x}", "event_num": i + 1, "merge_key": f"k{i}", "date": day, "date_last": day,
            "date_precision": "day",
            "source_text": src[0], "source_name": src[0], "source_code": src[1], "source_country": src[2],
            "source_sector": src[3], "target_text": tgt[0], "target_name": tgt[0], "target_code": tgt[1],
            "target_country": tgt[2], "target_sector": tgt[3],
            "cameo": code, "cameo_root": root, "cameo_name": name, "plover": plover, "quad_class": quad,
            "goldstein": goldstein, "negated": False, "modality": "asserted",
            "num_mentions": 1 + i % 3, "num_sources": 1, "num_articles": 1, "avg_tone": -1.5, "confidence": 0.8,
            "is_root": True, "first_published": day, "source_url": f"https://example.com/news/{i}",
            "evidence": " ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + ".",
            "first_mention": f"a{i:015x}/0", "added_at": now,
        })
    return rows


def build(path: Path, rows: int) -> None:
    from newsevents.store import open_store

    started = time.perf_counter()
    rng = random.Random(7)
    with open_store(path) as store:
        have = store.counts()["events"]
        if have == rows:
            print(f"store {path}: {rows:,} events already there")
            return
        if have:
            raise SystemExit(f"{path} holds {have:,} events, not {rows:,}: give another --store")
        chunk = 50_000
        for start in range(0, rows, chunk):
            with store._transaction():
                store._append("events", event_rows(start, min(chunk, rows - start), rng))
    print(f"store {path}: {rows:,} events written in {time.perf_counter() - started:.0f} s "
          f"({path.stat().st_size / 1e6:,.0f} MB)")


def peak_rss_mb(args: list[str]) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit status) of ``newsevents ARGS`` in a fresh process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t, r.returncode); "
             "sys.stderr.write(r.stderr.decode()[-2000:] if r.returncode else '')")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "newsevents", *args], env=env,
                         capture_output=True, text=True, check=True)
    kb, seconds, status = out.stdout.split()
    if int(status):
        print(out.stderr, file=sys.stderr)
    return int(kb) / 1024, float(seconds), int(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--formats", nargs="+", default=["csv", "jsonl", "parquet"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
        store = args.store or Path(tmp) / "events.duckdb"
        build(store, args.rows)
        base, _, _ = peak_rss_mb(["query", "--help"])
        print(f"newsevents query --help: peak {base:,.0f} MB (interpreter and imports)")
        for fmt in args.formats:
            out = Path(tmp) / f"out.{fmt}"
            rss, seconds, status = peak_rss_mb(["query", "events", "--format", fmt, "-o", str(out), "--store",
                                                str(store)])
            size = out.stat().st_size / 1e6 if out.exists() else 0
            print(f"query events --format {fmt}: {args.rows:,} rows, peak {rss:,.0f} MB, {seconds:.1f} s, "
                  f"{size:,.0f} MB written, exit {status}")
            out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
