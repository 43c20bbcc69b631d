"""The store at scale: ingest rate, size, and the web page's queries with concurrent readers,
alone and while a writer commits.

Run: PYTHONPATH=src nice -n 5 python benchmarks/bench_store.py --events 1000000 [--readers 8]
     [--seconds 20] [--keep STORE] [--copies 10] [--optimize]

1. Writes synthetic coded articles (8 events each, no NLP: ``store.write`` as ``newsevents
   run`` calls it) until the store has ``--events`` event mentions; prints the ingest rate and
   the file size. ``--keep PATH`` keeps the store there and reuses it on the next run.
   ``--copies K`` then copies every row K times in SQL (10 M mentions from 1 M written: the
   write path is what limits a build); ``--optimize`` rewrites the tables in date order.
2. ``--readers`` threads ask the page's queries through the server's shared read connection
   (:class:`~newsevents.store.SharedReads`, as ``newsevents serve`` does) for ``--seconds``:
   a filtered events page with its total (a dyad), a deep page (by offset, and by keyset:
   ``after=`` a row), a dyad timeline, an article,
   the month-by-dyad stats, and an export of 100,000 event rows; prints p50/p95 of each.
3. The same while another process writes (``share=True``, 64 articles a commit, as a run).

Each synthetic article is ~1,300 characters with 8 events drawn from 30 actors, 8 PLOVER types,
5 places and two years of dates, so events merge across articles as news does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from newsevents.model import ActorRef, Article, Document, Event, Location, Quote, Sentence, Span, Tone
from newsevents.store import DuckDBStore, SharedReads
from newsevents.store import query as q
from newsevents.store.query import Filters

ACTORS = [(f"{c}{s}", c, s) for c in ("RUS", "USA", "UKR", "CHN", "GBR", "FRA", "DEU", "TUR", "IRN", "ISR")
          for s in ("", "GOV", "MIL")]
TYPES = [("0214", "REQUEST", 1, 3.4), ("040", "CONSULT", 1, 1.0), ("111", "ACCUSE", 3, -2.0),
         ("120", "REJECT", 3, -4.0), ("139", "THREATEN", 3, -7.0), ("051", "SUPPORT", 1, 3.4),
         ("190", "ASSAULT", 4, -10.0), ("057", "AGREE", 2, 8.0)]
PLACES = [("Geneva", "CHE", 2660646), ("Brussels", "BEL", 2800866), ("Kyiv", "UKR", 703448),
          ("Moscow", "RUS", 524901), ("Washington", "USA", 4140963)]
WORDS = ["officials", "said", "talks", "the", "forces", "on", "Monday", "border", "minister", "agreed"]
DAYS = 730
EVENTS_PER_ARTICLE = 8
EXPORT_ROWS = 100_000


def synthetic(i: int, rng: random.Random) -> Document:
    sentences = [f"Sentence {j} of article {i}: {' '.join(rng.choice(WORDS) for _ in range(22))}."
                 for j in range(EVENTS_PER_ARTICLE)]
    body = " ".join(sentences)
    day = rng.randrange(DAYS)
    published = f"{2022 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + (day % 365) % 28:02d}"
    spans, pos = [], 0
    for s in sentences:
        spans.append(Span(s, pos, pos + len(s)))
        pos += len(s) + 1

    def ref(k: int, at: int) -> ActorRef:
        code, country, sector = ACTORS[k]
        return ActorRef(body[at:at + 8], at, at + 8, name=f"Actor {code}", code=code, country=country,
                        sector=sector or None)

    events = []
    for j, sp in enumerate(spans):
        cameo, plover, quad, gold = TYPES[rng.randrange(len(TYPES))]
        place = PLACES[rng.randrange(len(PLACES))] if rng.random() < 0.3 else None
        loc = Location(body[sp.start:sp.start + 6], sp.start, sp.start + 6, name=place[0], country=place[1],
                       geonameid=place[2], feature="city") if place else None
        events.append(Event(id=f"e{j}", sentence=sp, trigger=Span(body[sp.start + 20:sp.start + 26], sp.start + 20,
                            sp.start + 26), source=ref(rng.randrange(len(ACTORS)), sp.start + 30),
                            target=ref(rng.randrange(len(ACTORS)), sp.start + 40), cameo=cameo, cameo_root=cameo[:2],
                            cameo_name=plover.title(), plover=plover, plover_mode=None, quad_class=quad,
                            goldstein=gold, location=loc, sentence_index=j))
    return Document(article=Article(id=f"art{i:09d}", body=body, title=f"Article {i}", published=published,
                                    publisher=f"Outlet {i % 25}", url=f"https://example.org/{i}"),
                    sentences=[Sentence(s.text, s.start, s.end, index=k) for k, s in enumerate(spans)],
                    quotes=[Quote(content=spans[0], kind="direct", sentence=0)], events=events,
                    tone=Tone(tone=rng.uniform(-5, 5)), stages=["bench"])


def build(path: Path, events: int, commit_every: int) -> None:
    """Write articles until the store holds ``events`` mentions; print the rate."""
    articles = -(-events // EVENTS_PER_ARTICLE)
    with DuckDBStore(path, commit_every=commit_every) as store:
        have = store.counts()["articles"]
        if have >= articles:
            print(f"store {path}: {have:,} articles already there")
            return
        rng = random.Random(13 + have)
        writing = making = 0.0
        for start in range(have, articles, commit_every):
            t = time.perf_counter()
            docs = [synthetic(i, rng) for i in range(start, min(start + commit_every, articles))]
            t1 = time.perf_counter()
            store.write(docs)
            t2 = time.perf_counter()
            making, writing = making + t1 - t, writing + t2 - t1
            done = min(start + commit_every, articles) - have
            if (start // commit_every) % 20 == 0:
                print(f"  {done:,} articles, {done * EVENTS_PER_ARTICLE / writing:,.0f} events/s", flush=True)
        n = store.counts()
    written = articles - have
    print(f"ingest: {written:,} articles = {written * EVENTS_PER_ARTICLE:,} mentions in {writing:.0f} s of "
          f"store.write: {written / writing:,.0f} articles/s, {written * EVENTS_PER_ARTICLE / writing:,.0f} "
          f"mentions/s (commit_every {commit_every}; making the Documents took another {making:.0f} s); "
          f"{n['events']:,} events after merging")


def copy_rows(path: Path, copies: int, tables: tuple[str, ...] = ("articles", "mentions", "events")) -> None:
    """Make the store ``copies`` times as large in SQL: each copy of an article, its mentions and
    its events gets new ids (``~2``, ``~3`` ...) and event numbers, on the same days; ``event_days``
    is then made again from the events. The queries then read what a store of that size holds;
    only the ingest rate is not measured (that of the first copy is printed). ``tables`` may
    leave out the articles and mentions (on a slow disk: the page's queries read the events)."""
    import duckdb

    from newsevents.store.schema import EVENT_DAYS_OF_EVENTS, columns

    con = duckdb.connect(str(path))
    con.execute("SET memory_limit = '3GB'")  # a copy is written a table and a copy at a time
    have = con.execute("SELECT count(*) FROM events WHERE event_id LIKE '%~%'").fetchone()[0]
    if have:
        print(f"store {path}: copies already made")
        return
    t = time.perf_counter()
    top = con.execute("SELECT max(event_num) FROM events").fetchone()[0]
    renamed = {"articles": {"article_id": "article_id || '~' || k"},
               "mentions": {"article_id": "article_id || '~' || k", "mention_id": "mention_id || '~' || k",
                            "event_id": "event_id || '~' || k"},
               "events": {"event_id": "event_id || '~' || k", "event_num": f"event_num + (k - 1) * {top}",
                          "first_mention": "first_mention || '~' || k"}}
    for table in set(renamed) - set(tables):
        del renamed[table]
    for table, changes in renamed.items():
        cols = ", ".join(changes.get(c, c) for c in columns(table))
        original = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for k in range(2, copies + 1):
            con.execute(f"INSERT INTO {table} SELECT {cols} FROM (SELECT *, {k} AS k FROM {table} LIMIT {original})")
            con.execute("CHECKPOINT")
        print(f"  {table}: {con.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:,} rows", flush=True)
    con.execute("DELETE FROM event_days")
    con.execute(f"INSERT INTO event_days BY NAME {EVENT_DAYS_OF_EVENTS}")
    con.execute("CHECKPOINT")
    con.close()
    print(f"copied {copies - 1} times in {time.perf_counter() - t:,.0f} s")


def queries(ids: list[str], cursors: list[str]) -> dict:
    dyad = Filters.make(dyad="RUS-USA", limit=50)
    timeline = Filters.make(dyad="RUS-USA", undirected=True)
    rng = random.Random()

    def page(s):
        s.page("events", dyad)  # the rows and their total, as GET /api/events answers

    def deep_page(s):
        f = dyad.with_(offset=rng.randrange(0, 2_000))
        s.reader("events", f).read_all()

    def keyset_page(s):
        s.reader("events", dyad.with_(after=rng.choice(cursors))).read_all()

    return {
        "events page (dyad, 50 rows + total)": page,
        "events page, deep (offset <= 2,000)": deep_page,
        "events page, deep (after= a row <= 2,000)": keyset_page,
        "dyad timeline (by week)": lambda s: s.stats_reader("week", "none", False, timeline).read_all(),
        "article view": lambda s: s.get_document(rng.choice(ids)),
        "stats (month x country dyad)": lambda s: s.stats_reader("month", "dyad", True, Filters()).read_all(),
        f"export {EXPORT_ROWS:,} event rows": lambda s: s.reader("events", Filters.make(limit=EXPORT_ROWS)).read_all(),
    }


def measure(path: Path, readers: int, seconds: float) -> dict[str, list[float]]:
    """Each reader asks the queries in turn (the export one time in four) for ``seconds``."""
    reads = SharedReads(path)
    with reads.store() as s:
        ids = s.sql("SELECT article_id FROM articles USING SAMPLE 1000").article_id.tolist()
        first = s._reader(*q.select("events", Filters.make(dyad="RUS-USA", limit=2_000), cols="date, event_num"))
        cursors = [q.page_key("events", r) for r in first.read_all().to_pylist()]
    kinds = queries(ids, cursors)
    names = list(kinds)
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def reader(k: int) -> None:
        turn = k
        while time.monotonic() < stop:
            name = names[turn % len(names)]
            turn += 1
            if name.startswith("export") and (turn // len(names)) % 4:
                continue
            t = time.perf_counter()
            with reads.store() as s:
                kinds[name](s)
            with lock:
                times[name].append(time.perf_counter() - t)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reads.close()
    return times


def writer(path: str, stop, commits) -> None:
    """Another process writing as a run does: 64 articles a commit, taking turns with readers."""
    rng = random.Random(os.getpid())
    with DuckDBStore(path, commit_every=64, share=True) as store:
        i = 10**8
        while not stop.is_set():
            store.write([synthetic(i + k, rng) for k in range(64)])
            i += 64
            commits.value += 1
            time.sleep(0.5)  # a run's workers take seconds per commit; here the writer is busier


def report(title: str, times: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    print(f"| query | n | p50 ms | p95 ms |\n|---|---|---|---|")
    for name, ts in times.items():
        ts = sorted(ts)
        p95 = ts[min(len(ts) - 1, int(len(ts) * 0.95))]
        print(f"| {name} | {len(ts)} | {statistics.median(ts) * 1000:,.0f} | {p95 * 1000:,.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000, help="event mentions in the store")
    ap.add_argument("--readers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--commit-every", type=int, default=2_000)
    ap.add_argument("--keep", type=Path, help="keep the store here (and reuse it next time)")
    ap.add_argument("--copies", type=int, default=1,
                    help="then copy every row this many times in SQL (new ids, the same days): a store of "
                         "COPIES x EVENTS mentions without writing them one by one")
    ap.add_argument("--copy-tables", default="articles,mentions,events",
                    help="the tables --copies copies (events alone: the page's queries read only them)")
    ap.add_argument("--optimize", action="store_true", help="then rewrite the tables in date order (store.optimize)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.duckdb"
        build(path, args.events, args.commit_every)
        if args.copies > 1:
            copy_rows(path, args.copies, tuple(args.copy_tables.split(",")))
        if args.optimize:
            t = time.perf_counter()
            with DuckDBStore(path) as s:
                s.optimize()
            print(f"optimize (events and mentions rewritten in date order): {time.perf_counter() - t:,.0f} s; "
                  f"load {os.getloadavg()[0]:.1f}")
        size = path.stat().st_size
        with DuckDBStore(path, read_only=True) as s:
            n = s.counts()
        print(f"store: {n['articles']:,} articles, {n['mentions']:,} mentions, {n['events']:,} events, "
              f"{size / 1e6:,.0f} MB ({size / n['mentions']:,.0f} bytes a mention); load {os.getloadavg()[0]:.1f}")
        report(f"{args.readers} concurrent readers, {args.seconds:.0f} s", measure(path, args.readers, args.seconds))
        stop, commits = multiprocessing.Event(), multiprocessing.Value("i", 0)
        proc = multiprocessing.Process(target=writer, args=(str(path), stop, commits))
        proc.start()
        try:
            times = measure(path, args.readers, args.seconds)
        finally:
            stop.set()
            proc.join()
        report(f"{args.readers} concurrent readers while another process commits ({commits.value} commits of 64 "
               f"articles in {args.seconds:.0f} s); load {os.getloadavg()[0]:.1f}", times)


if __name__ == "__main__":
    main()
