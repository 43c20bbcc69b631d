"""Store throughput on synthetic coded articles: write, re-write (skipped), query, stats, export.

Run: PYTHONPATH=src python benchmarks/bench_store.py [ARTICLES] [--commit-every N]
Each article is ~2,500 characters with 12 actor mentions, 3 quotes, 2 places and 8 events drawn
from 30 actors, 8 PLOVER types and 120 days, so events merge across articles as news does.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from newsevents.model import ActorRef, Article, Document, Event, Location, Mention, Quote, Sentence, Span, Tone
from newsevents.store import DuckDBStore

ACTORS = [(f"{c}{s}", c, s) for c in ("RUS", "USA", "UKR", "CHN", "GBR", "FRA", "DEU", "TUR", "IRN", "ISR")
          for s in ("", "GOV", "MIL")]
TYPES = [("0214", "REQUEST", 1, 3.4), ("040", "CONSULT", 1, 1.0), ("111", "ACCUSE", 3, -2.0),
         ("120", "REJECT", 3, -4.0), ("139", "THREATEN", 3, -7.0), ("051", "SUPPORT", 1, 3.4),
         ("190", "ASSAULT", 4, -10.0), ("057", "AGREE", 2, 8.0)]
PLACES = [("Geneva", "CHE", 2660646), ("Brussels", "BEL", 2800866), ("Kyiv", "UKR", 703448)]


def synthetic(i: int, rng: random.Random) -> Document:
    sentences = [f"Sentence {j} of article {i}: {' '.join(rng.choice(['officials', 'said', 'talks', 'the', 'forces', 'on', 'Monday']) for _ in range(50))}."
                 for j in range(8)]
    body = " ".join(sentences)
    day = 1 + rng.randrange(120)
    published = f"2022-{1 + (day - 1) // 30:02d}-{1 + (day - 1) % 30:02d}"
    spans, pos = [], 0
    for s in sentences:
        spans.append(Span(s, pos, pos + len(s)))
        pos += len(s) + 1
    def ref(k: int, at: int) -> ActorRef:
        code, country, sector = ACTORS[k]
        return ActorRef(body[at:at + 8], at, at + 8, name=f"Actor {code}", code=code, country=country,
                        sector=sector or None)
    events = []
    for j in range(8):
        sp = spans[j]
        cameo, plover, quad, gold = TYPES[rng.randrange(len(TYPES))]
        place = PLACES[rng.randrange(3)] if rng.random() < 0.3 else None
        loc = Location(body[sp.start:sp.start + 6], sp.start, sp.start + 6, name=place[0], country=place[1],
                       geonameid=place[2], feature="city") if place else None
        events.append(Event(id=f"e{j}", sentence=sp, trigger=Span(body[sp.start + 20:sp.start + 26], sp.start + 20,
                            sp.start + 26), source=ref(rng.randrange(len(ACTORS)), sp.start + 30),
                            target=ref(rng.randrange(len(ACTORS)), sp.start + 40), cameo=cameo, cameo_root=cameo[:2],
                            cameo_name=plover.title(), plover=plover, plover_mode=None, quad_class=quad,
                            goldstein=gold, location=loc, sentence_index=j))
    actors = [Mention(body[s.start:s.start + 8], s.start, s.start + 8, name="x", code=ACTORS[k % 30][0])
              for k, s in enumerate(spans + spans[:4])]
    quotes = [Quote(content=spans[k], kind="direct", sentence=k) for k in range(3)]
    return Document(article=Article(id=f"art{i:08d}", body=body, title=f"Article {i}", published=published,
                                    publisher=f"Outlet {i % 25}", url=f"https://example.org/{i}"),
                    sentences=[Sentence(s.text, s.start, s.end, index=k) for k, s in enumerate(spans)],
                    actors=actors, quotes=quotes, events=events, tone=Tone(tone=rng.uniform(-5, 5)),
                    stages=["bench"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("articles", type=int, nargs="?", default=5000)
    ap.add_argument("--commit-every", type=int, default=64)
    args = ap.parse_args()
    rng = random.Random(13)
    docs = [synthetic(i, rng) for i in range(args.articles)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with DuckDBStore(path, commit_every=args.commit_every) as s:
            t = time.perf_counter()
            counts = s.write(docs)
            write = time.perf_counter() - t
            t = time.perf_counter()
            again = s.write(docs)
            rewrite = time.perf_counter() - t
            n = s.counts()
            t = time.perf_counter()
            dyad = s.events(source="RUS", target="USA")
            q = time.perf_counter() - t
            t = time.perf_counter()
            weekly = s.stats(by="week", per="dyad", by_country=True)
            st = time.perf_counter() - t
            t = time.perf_counter()
            rows = s.export("gdelt", str(Path(tmp) / "e.tsv"))
            ex = time.perf_counter() - t
        size = path.stat().st_size
    print(f"articles {args.articles}, commit_every {args.commit_every}")
    print(f"write: {write:.1f} s = {args.articles / write:.0f} articles/s ({counts.mentions} mentions -> "
          f"{n['events']} events, {counts.merged} merged)")
    print(f"re-write (all skipped): {rewrite:.2f} s = {args.articles / rewrite:.0f} articles/s, skipped {again.skipped}")
    print(f"query RUS->USA: {len(dyad)} events in {q * 1000:.0f} ms; weekly dyad stats: {len(weekly)} rows in "
          f"{st * 1000:.0f} ms; GDELT export: {rows} events in {ex:.2f} s")
    print(f"file: {size / 1e6:.1f} MB ({size / args.articles / 1e3:.1f} kB/article)")


if __name__ == "__main__":
    main()
