"""``event_days`` and the query paths that read it give what the plain queries over the events
give: totals, statistics and pages, on both backends, after merges, regroupings and keyset
paging, and while another process commits."""

from __future__ import annotations

import hashlib
import math
import random
import subprocess
import sys
import time

import pytest

from newsevents.model import ActorRef, Article, Document, Event, Quote, Sentence, Span
from newsevents.store import DuckDBStore, MemoryStore, SharedReads, rollup, schema
from newsevents.store import query as q
from newsevents.store.filters import Filters
from newsevents.store.schema import EVENT_DAYS_OF_EVENTS

#: (text as written, name, code, country): countries, a government, an organisation, a person.
ACTORS = [("Russia", "Russia", "RUS", "RUS"), ("Moscow", "Russian government", "RUSGOV", "RUS"),
          ("Washington", "United States", "USA", "USA"), ("Ukraine", "Ukraine", "UKR", "UKR"),
          ("NATO", "NATO", "IGOWSTNAT", None), ("Peskov", "Dmitry Peskov", "RUSGOV", "RUS"),
          ("rebels", "rebels", None, None)]
TYPES = [("0214", "REQUEST", 1, 3.4), ("111", "ACCUSE", 3, -2.0), ("190", "ASSAULT", 4, -10.0),
         ("057", "AGREE", 2, 8.0), ("010", "CONSULT", 0, None)]


def articles(n: int, seed: int = 7) -> list[Document]:
    """``n`` articles of three events each over ten days, so that many events merge."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        picks = [(rng.randrange(len(ACTORS)), rng.randrange(len(ACTORS)), rng.randrange(len(TYPES)))
                 for _ in range(3)]
        sentences = [f"{ACTORS[a][0]} and {ACTORS[b][0]} did it {i}-{j}." for j, (a, b, _) in enumerate(picks)]
        body = " ".join(sentences)
        day = rng.randrange(10)
        events, pos = [], 0
        for j, (text, (a, b, t)) in enumerate(zip(sentences, picks)):
            sp = Span(text, pos, pos + len(text))
            src_at, tgt_at = pos, pos + len(ACTORS[a][0]) + 5

            def ref(k: int, at: int) -> ActorRef:
                written, name, code, country = ACTORS[k]
                return ActorRef(written, at, at + len(written), name=name, code=code, country=country)

            cameo, plover, quad, gold = TYPES[t]
            events.append(Event(id=f"e{j}", sentence=sp, trigger=Span("did", pos + text.index("did"),
                                pos + text.index("did") + 3), source=ref(a, src_at), target=ref(b, tgt_at),
                                cameo=cameo, cameo_root=cameo[:2], cameo_name=plover.title(), plover=plover,
                                plover_mode=None, quad_class=quad, goldstein=gold,
                                date=None if rng.random() < 0.1 else f"2022-03-{1 + day + rng.randrange(2):02d}",
                                sentence_index=j))
            pos += len(text) + 1
        published = None if rng.random() < 0.05 else f"2022-03-{1 + day:02d}"
        docs.append(Document(article=Article(id=hashlib.sha256(body.encode()).hexdigest()[:16], body=body,
                                             title=f"A{i}", published=published, publisher=f"Outlet {i % 3}"),
                             sentences=[Sentence(s, 0, 0, index=k) for k, s in enumerate(sentences)],
                             events=events, stages=["test"]))
    return docs


FILTERS = [
    Filters(),
    Filters.make(dyad="RUS-USA"),
    Filters.make(dyad="Russia-NATO", undirected=True),
    Filters.make(actor="RUS"),
    Filters.make(source="RUSGOV", target=["USA", "UKR"]),
    Filters.make(target="NATO", since="2022-03-03", until="2022-03-08"),
    Filters.make(actor=["Ukraine", "IGO"], since="2022-03-05"),
]
#: Filters event_days does not answer: the plain queries serve them.
OTHER = [Filters.make(dyad="Peskov-USA"), Filters.make(actor="RUS", plover="ACCUSE")]


@pytest.fixture(scope="module", params=["duckdb", "memory"])
def store(request, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rollup, "COMPACT_MIN", 40)  # regroup a few times on the way
        s = DuckDBStore(tmp_path_factory.mktemp("rollup") / "s.duckdb", commit_every=8) \
            if request.param == "duckdb" else MemoryStore(commit_every=8)
        s.write(articles(120))
    yield s
    s.close()


def plain_count(store, f: Filters) -> int:
    return store._reader(*q.count("events", f)).read_all().column("n")[0].as_py()


def same_stats(fast, plain) -> None:
    assert fast.schema == plain.schema
    fast, plain = fast.to_pylist(), plain.to_pylist()
    assert len(fast) == len(plain)
    for a, b in zip(fast, plain):
        for k in b:
            if k in ("mean_goldstein", "weighted_goldstein") and b[k] is not None:
                assert math.isclose(a[k], b[k], abs_tol=0.0011), (k, a, b)  # sums in another order: see rollup
            else:
                assert a[k] == b[k], (k, a, b)


def test_event_days_sum_to_the_events(store):
    n = store._rows("SELECT count(*) AS n FROM event_days")[0]["n"]
    assert store.counts()["events"] < 360  # mentions merged into events
    regrouped = store._rows(f"SELECT * FROM ({EVENT_DAYS_OF_EVENTS.replace(' ORDER BY date', '')}) "
                            "ORDER BY ALL")
    summed = store._rows("SELECT * FROM (SELECT date, source_code, source_country, source_name, target_code, "
                         "target_country, target_name, sum(events) AS events, sum(mentions) AS mentions, "
                         "sum(goldstein_n) AS goldstein_n, sum(neutral) AS neutral, sum(verbal_conflict) AS vc "
                         "FROM event_days GROUP BY ALL HAVING sum(events) <> 0) ORDER BY ALL")
    assert [(r["date"], r["source_code"], r["target_name"], r["events"], r["mentions"], r["goldstein_n"],
             r["neutral"], r["verbal_conflict"]) for r in regrouped] == \
        [(r["date"], r["source_code"], r["target_name"], r["events"], r["mentions"], r["goldstein_n"],
          r["neutral"], r["vc"]) for r in summed]
    assert n < 360


@pytest.mark.parametrize("f", FILTERS + OTHER, ids=lambda f: ",".join(f.used()) or "none")
def test_totals_and_stats_are_those_of_the_events(store, f):
    assert rollup.answers(f) == (f in FILTERS)
    assert store.count("events", f) == plain_count(store, f)
    for by, per, by_country in [("day", "none", False), ("week", "dyad", True), ("month", "actor", False),
                                ("year", "source", True), ("day", "target", False)]:
        same_stats(store.stats_reader(by, per, by_country, f).read_all(),
                   store._reader(*q.stats(f, by, per, by_country)).read_all())


@pytest.mark.parametrize("f", FILTERS + OTHER, ids=lambda f: ",".join(f.used()) or "none")
def test_pages_are_those_of_the_plain_query(store, f):
    every = store._reader(*q.select("events", f)).read_all().to_pylist()
    for limit, offset in [(1, None), (5, None), (5, 3), (20, 40), (1000, None)]:
        want = every[offset or 0:(offset or 0) + limit]
        assert store.reader("events", f.with_(limit=limit, offset=offset)).read_all().to_pylist() == want
        page, total = store.page("events", f.with_(limit=limit, offset=offset))
        assert (page.to_pylist(), total) == (want, len(every))


@pytest.mark.parametrize("kind", ["events", "mentions", "quotes", "articles"])
def test_keyset_pages_walk_the_whole_list(store, kind):
    f = Filters.make(actor="RUS") if kind in ("events", "mentions") else Filters()
    every = store._reader(*q.select(kind, f)).read_all().to_pylist()
    seen, after = [], None
    while True:
        page = store.reader(kind, f.with_(limit=7, after=after)).read_all().to_pylist()
        seen += page
        if len(page) < 7:
            break
        after = q.page_key(kind, page[-1])
    assert seen == every
    assert len(every) > 14 or kind == "quotes"


def test_a_bad_cursor_names_the_parameter(store):
    from newsevents.errors import InvalidFilter

    with pytest.raises(InvalidFilter, match="after"):
        store.reader("events", Filters.make(after="yesterday", limit=5)).read_all()


def test_a_version_1_store_gets_its_event_days(tmp_path):
    path = tmp_path / "old.duckdb"
    with DuckDBStore(path, commit_every=8) as s:
        s.write(articles(30))
        want = [s.count("events", f) for f in FILTERS]
        s._con.execute("DROP TABLE event_days")
        s._con.execute("ALTER TABLE quotes DROP COLUMN in_title")
        s._con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with DuckDBStore(path) as s:
        assert s.schema_version() == schema.SCHEMA_VERSION == 3
        assert [s.count("events", f) for f in FILTERS] == want == [plain_count(s, f) for f in FILTERS]


def test_a_version_2_store_gets_quotes_in_title(tmp_path):
    path = tmp_path / "old.duckdb"
    docs = articles(12)
    for doc in docs:
        doc.quotes = [Quote(content=Span(doc.article.body[:9], 0, 9))]
    with DuckDBStore(path, commit_every=8) as s:
        s.write(docs[:10])
        s._con.execute("ALTER TABLE quotes DROP COLUMN in_title")
        s._con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    docs[11].article.title = "Pence: a title"
    docs[11].title_quotes = [Quote(content=Span("a title", 7, 14), in_title=True)]
    with DuckDBStore(path) as s:
        assert s.schema_version() == 3
        s.write(docs[10:])  # and it takes new rows with the column
        rows = s.sql("SELECT content, in_title FROM quotes ORDER BY in_title")
        assert list(rows.in_title) == [False] * 12 + [True] and rows.content.iloc[-1] == "a title"


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from test_store_rollup import articles
from newsevents.store import DuckDBStore
docs = articles(160, seed=11)
with DuckDBStore({path!r}, commit_every=8, share=True) as s:
    for i in range(0, len(docs), 8):
        s.write(docs[i:i + 8])
"""


def test_the_fast_paths_agree_while_another_process_commits(tmp_path):
    path = tmp_path / "s.duckdb"
    with DuckDBStore(path, commit_every=8) as s:
        s.write(articles(40))
    from pathlib import Path

    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(tests=str(Path(__file__).parent), path=str(path))])
    reads = SharedReads(path)
    sizes, f, timeline = set(), Filters.make(dyad="RUS-USA", undirected=True, limit=4, offset=2), ("week", "none", False)
    try:
        while proc.poll() is None or len(sizes) < 2:
            with reads.store() as s:  # one request: the writer commits between requests
                sizes.add(s.counts()["events"])
                assert s.count("events", f) == plain_count(s, f)
                assert s.reader("events", f).read_all().to_pylist() == \
                    s._reader(*q.select("events", f)).read_all().to_pylist()
                same_stats(s.stats_reader(*timeline, f.unpaged()).read_all(),
                           s._reader(*q.stats(f.unpaged(), *timeline)).read_all())
            time.sleep(0.05)
            if proc.poll() is not None and len(sizes) < 2:
                break
    finally:
        proc.wait(timeout=120)
        reads.close()
    assert proc.returncode == 0
    assert len(sizes) >= 2  # the reader saw the store grow


def test_optimize_keeps_every_answer(tmp_path):
    with DuckDBStore(tmp_path / "s.duckdb", commit_every=8) as s:
        s.write(articles(60))
        f = Filters.make(actor="RUS", limit=6, offset=2)
        before = [s.page("events", f), s.reader("mentions", f).read_all().to_pylist(),
                  s.stats_reader("week", "dyad", False, f.unpaged()).read_all().to_pylist()]
        rows = s.optimize()
        assert rows["events"] == s.counts()["events"]
        after = [s.page("events", f), s.reader("mentions", f).read_all().to_pylist(),
                 s.stats_reader("week", "dyad", False, f.unpaged()).read_all().to_pylist()]
        assert after[0][0].to_pylist() == before[0][0].to_pylist() and after[0][1] == before[0][1]
        assert after[1:] == before[1:]
        s.write(articles(10, seed=3))  # and writing goes on
        assert s.count("events", f) == plain_count(s, f)


@pytest.mark.parametrize("f", FILTERS[:4], ids=lambda f: ",".join(f.used()) or "none")
def test_exports_sliced_by_the_days_of_event_days_are_the_plain_list(store, f, monkeypatch):
    from newsevents.store import stream

    monkeypatch.setattr(stream, "SLICE_ROWS", 15)  # many slices, days cut further by event number
    every = store._reader(*q.select("events", f)).read_all().to_pylist()
    assert store.reader("events", f).read_all().to_pylist() == every
    assert store.reader("events", f.with_(limit=60, offset=7)).read_all().to_pylist() == every[7:67]
