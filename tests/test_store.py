"""The store: atomic, idempotent, resumable writes; merging across articles; queries; locking."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from factories import RUS, USA, report

from newsevents import open_store
from newsevents.errors import SchemaMismatch, SettingsError, StoreError, StoreLocked
from newsevents.pipeline import STAGE_FACTORIES
from newsevents.settings import Settings
from newsevents.store import DuckDBStore, Filters, MemoryStore
from newsevents.store import schema

SRC = str(Path(__file__).resolve().parents[1] / "src")
TESTS = str(Path(__file__).resolve().parent)


@pytest.fixture(params=["duckdb", "memory"])
def store(request, tmp_path):
    s = DuckDBStore(tmp_path / "s.duckdb") if request.param == "duckdb" else MemoryStore()
    yield s
    s.close()


def talks(n: int = 0, **kw):
    """A distinct article (its own id) reporting Russia asking the USA for written answers."""
    kw.setdefault("outlet", f"Outlet {n % 3}")
    return report(f"Russia urged the United States to answer in writing (report {n}).", trigger="urged",
                  source=RUS, target=USA, **kw)


def corpus():
    return [
        talks(1, outlet="TASS", tone=-2.0),
        report("Moscow called on Washington to reply in writing.", trigger="called on",
               source=("Moscow", "RUSGOV", "RUS", "GOV"), target=("Washington", "USAGOV", "USA", "GOV"),
               cameo="1042", cameo_name="Demand policy change", outlet="Reuters", published="2022-01-14", tone=-4.0),
        report("NATO rejected the demands of Russia in Brussels.", trigger="rejected",
               source=("NATO", "IGOWSTNAT", None), target=RUS, cameo="120", cameo_name="Reject", plover="REJECT",
               quad=3, goldstein=-4.0, outlet="AP", published="2022-01-12",
               place_=("Brussels", "BEL", 2800866)),
        report("Ukraine accused Russia of massing troops.", trigger="accused", source=("Ukraine", "UKR", "UKR"),
               target=RUS, cameo="112", cameo_name="Accuse", plover="ACCUSE", quad=3, goldstein=-2.0,
               published="2022-02-20", outlet="Kyiv Post", quote="massing troops"),
    ]


# ------------------------------------------------------------------ writing

def test_writing_twice_changes_nothing(store):
    docs = corpus()
    first = store.write(docs)
    assert (first.articles, first.skipped, first.failed) == (4, 0, 0)
    counts = store.counts()
    assert counts["articles"] == 4 and counts["mentions"] == 4 and counts["events"] == 3
    again = store.write(docs + docs)  # repeated inside the input too
    assert (again.articles, again.skipped, again.mentions) == (0, 8, 0)
    assert store.counts() == counts


def test_progress_after_each_commit(tmp_path):
    seen = []
    with DuckDBStore(tmp_path / "s.duckdb", commit_every=2) as s:
        s.write([talks(i) for i in range(5)], progress=lambda c: seen.append(c.articles + c.skipped))
    assert seen == [2, 4, 5]


def test_round_trip_and_lookup(store):
    docs = corpus()
    store.write(docs)
    for d in docs:
        assert store.get_document(d.article.id) == d
    assert store.get_document("nope") is None
    assert store.has(docs[0].article.id) and not store.has("nope")
    assert store.known_ids([docs[1].article.id, "nope"]) == {docs[1].article.id}
    assert list(store.documents(article_id=docs[2].article.id)) == [docs[2]]


def test_a_bad_article_costs_only_itself(store, monkeypatch):
    docs = [talks(i) for i in range(5)]
    bad = docs[2].article.id
    append = store._append

    def failing(table, rows):
        if table == "mentions" and any(r["article_id"] == bad for r in rows):
            raise ValueError("disk says no")
        append(table, rows)

    monkeypatch.setattr(store, "_append", failing)
    counts = store.write(docs)
    assert (counts.articles, counts.failed) == (4, 1)
    assert counts.failures[0][0] == bad and "disk says no" in counts.failures[0][1]
    # Nothing of the failed article is left behind: not its article row, nor its actors.
    assert not store.has(bad)
    assert len(store.mentions()) == 4 and len(store.sql("SELECT * FROM actors")) == 8
    monkeypatch.setattr(store, "_append", append)
    assert store.write(docs).articles == 1  # written once the fault is gone


def test_read_only_store_refuses_writes(tmp_path):
    path = tmp_path / "s.duckdb"
    with open_store(path) as s:
        s.write([talks(1)])
    with open_store(path, read_only=True) as s:
        assert len(s.events()) == 1
        with pytest.raises(StoreError, match="read-only"):
            s.write([talks(2)])


def test_missing_store_read_only_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="newsevents demo"):
        open_store(tmp_path / "none.duckdb", read_only=True)


def test_default_path_comes_from_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_STORE", str(tmp_path / "env.duckdb"))
    with open_store() as s:
        assert s.path == str(tmp_path / "env.duckdb")
    with open_store(settings=Settings(store_path=str(tmp_path / "set.duckdb"))) as s:
        assert s.path == str(tmp_path / "set.duckdb")


# ------------------------------------------------------------------ merging across articles

def test_two_articles_reporting_one_event_make_one_event_with_two_mentions(store):
    a = talks(1, outlet="TASS", url="https://tass.com/1")
    b = report("Moscow called on the American side to reply in writing.", trigger="called on",
               source=("Moscow", "RUSGOV", "RUS", "GOV"), target=("the American side", "USA", "USA"),
               cameo="1042", cameo_name="Demand policy change", outlet="Reuters", published="2022-01-14")
    store.write([a, b])
    events = store.events()
    assert len(events) == 1
    e = events.iloc[0]
    assert (e.num_mentions, e.num_sources, e.num_articles) == (2, 2, 2)
    assert e.source_code == "RUSGOV" and e.target_code == "USA"  # the more specific code of a tie
    assert str(e.date.date()) == "2022-01-13" and str(e.date_last.date()) == "2022-01-14"
    assert e.source_url == "https://tass.com/1"  # the first report
    mentions = store.mentions(event_id=e.event_id)
    assert sorted(mentions.trigger) == ["called on", "urged"]  # each keeps its own evidence and coding
    assert sorted(mentions.cameo) == ["0214", "1042"]
    assert set(mentions.sentence) == {a.events[0].sentence.text, b.events[0].sentence.text}


def test_merging_is_the_same_across_batches(tmp_path):
    docs = [talks(i, published=f"2022-01-{13 + i % 2}") for i in range(6)] + corpus()
    one = MemoryStore(commit_every=100)
    one.write(docs)
    many = DuckDBStore(tmp_path / "s.duckdb", commit_every=1)
    many.write(docs)
    cols = ["event_id", "event_num", "num_mentions", "num_sources", "num_articles", "cameo"]
    assert one.events()[cols].to_dict("records") == many.events()[cols].to_dict("records")
    # talks 0..5 and corpus()[1] (corpus()[0] is talks(1) again): one event of seven mentions.
    assert one.events().num_mentions.tolist() == [1, 7, 1]


def test_same_article_twice_the_same_event_counts_two_mentions_one_article(store):
    d = talks(1)
    second = d.events[0].__class__(**{**d.events[0].__dict__, "id": "e2"})
    d.events.append(second)
    store.write([d])
    e = store.events().iloc[0]
    assert (e.num_mentions, e.num_articles, e.num_sources) == (2, 1, 1)


@pytest.mark.parametrize("change, merged", [
    ({}, True),
    ({"published": "2022-01-14"}, True),  # within the one-day window
    ({"published": "2022-01-16"}, False),
    ({"target": ("the United Kingdom", "GBR", "GBR")}, False),
    ({"source": ("the Russian government", "RUSGOV", "RUS", "GOV")}, True),  # the state is its government
    ({"source": ("the Russian army", "RUSMIL", "RUS", "MIL")}, False),
    ({"cameo": "1042", "cameo_name": "Demand policy change"}, True),  # same PLOVER type
    ({"cameo": "120", "plover": "REJECT"}, False),
    ({"negated": True}, False),
    ({"modality": "hoped"}, False),
    ({"modality": "reported"}, True),
    ({"place_": ("Geneva", "CHE", 2660646)}, True),  # one report names the place, the other does not
])
def test_what_merges(change, merged):
    base = talks(1, place_=None)
    kw = {"source": RUS, "target": USA, "outlet": "Other", **change}
    body = f"{kw['source'][0]} urged {kw['target'][0]} again, said officials in Geneva."
    other = report(body, trigger="urged", **kw)
    s = MemoryStore()
    s.write([base, other])
    assert len(s.events()) == (1 if merged else 2)


def test_different_places_are_different_events():
    geneva = report("Russia urged the United States in Geneva.", trigger="urged", source=RUS, target=USA,
                    place_=("Geneva", "CHE", 2660646))
    brussels = report("Russia urged the United States in Brussels.", trigger="urged", source=RUS, target=USA,
                      place_=("Brussels", "BEL", 2800866))
    switzerland = report("Russia urged the United States in Switzerland.", trigger="urged", source=RUS, target=USA,
                         place_=("Switzerland", "CHE", 2658434, "country"))
    s = MemoryStore()
    s.write([geneva, brussels, switzerland])
    events = s.events()
    assert sorted(events.num_mentions) == [1, 2]
    assert set(events.place_name) == {"Geneva", "Brussels"}  # the city, more specific than its country


# ------------------------------------------------------------------ a killed run, resumed

KILLED_WRITER = """
import sys, time
sys.path[:0] = [{src!r}, {tests!r}]
from factories import RUS, USA, report
from newsevents.store import DuckDBStore

store = DuckDBStore({path!r}, commit_every=4)
append, batches = store._append, [0]

def slow_append(table, rows):
    append(table, rows)
    if table == "articles":
        batches[0] += 1
        if batches[0] == 3:  # inside the third batch's transaction: its articles are in, the rest is not
            open({flag!r}, "w").close()
            time.sleep(60)

store._append = slow_append
docs = [report(f"Russia urged the United States to answer ({{i}}).", trigger="urged", source=RUS, target=USA,
               outlet=f"o{{i % 3}}") for i in range(20)]
store.write(docs)
"""


def test_a_run_killed_mid_batch_and_resumed_stores_every_article_once(tmp_path):
    path, flag = str(tmp_path / "s.duckdb"), str(tmp_path / "inside")
    script = KILLED_WRITER.format(src=SRC, tests=TESTS, path=path, flag=flag)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while not os.path.exists(flag):
        assert proc.poll() is None, "the writer died before reaching its third batch"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    with DuckDBStore(path) as s:
        counts = s.counts()
        assert counts["articles"] == 8  # two whole batches; nothing of the third
        assert counts["mentions"] == 8 and counts["actors"] == 16
    docs = [report(f"Russia urged the United States to answer ({i}).", trigger="urged", source=RUS, target=USA,
                   outlet=f"o{i % 3}") for i in range(20)]
    with DuckDBStore(path, commit_every=4) as s:
        resumed = s.write(docs)
        assert (resumed.articles, resumed.skipped) == (12, 8)
        assert s.counts()["articles"] == 20 and s.counts()["mentions"] == 20
        assert s.sql("SELECT count(DISTINCT article_id) AS n FROM mentions").n[0] == 20
        e = s.events().iloc[0]
        assert (len(s.events()), e.num_mentions, e.num_articles, e.num_sources) == (1, 20, 20, 3)


# ------------------------------------------------------------------ locking and schema versions

HOLDER = """
import sys, time
sys.path.insert(0, {src!r})
from newsevents.store import DuckDBStore
s = DuckDBStore({path!r})
print("ready", flush=True)
time.sleep(60)
"""


def test_a_store_locked_by_another_process_says_so(tmp_path):
    path = str(tmp_path / "s.duckdb")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER.format(src=SRC, path=path)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLocked, match=rf"PID {proc.pid}.*one writer at a time"):
            open_store(path)
        with pytest.raises(StoreLocked):
            open_store(path, read_only=True, wait=0.3)  # waits a little, then gives up
        cli = subprocess.run([sys.executable, "-m", "newsevents", "query", "--store", path], capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": SRC})
        assert cli.returncode == 2 and "locked" in cli.stderr and "Traceback" not in cli.stderr
    finally:
        proc.kill()
        proc.wait()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    DuckDBStore(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SchemaMismatch, match="newer newsevents"):
        DuckDBStore(path)


def test_an_older_schema_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    with DuckDBStore(path) as s:
        s.write([talks(1)])
    newer = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(schema, "SCHEMA_VERSION", newer)
    monkeypatch.setattr(schema, "MIGRATIONS", {newer: ["ALTER TABLE events ADD COLUMN note VARCHAR"]})
    with pytest.raises(SchemaMismatch, match="open it once for writing"):
        DuckDBStore(path, read_only=True)
    with DuckDBStore(path) as s:
        assert s.schema_version() == newer
        assert "note" in s.sql("SELECT * FROM events").columns
        assert len(s.events()) == 1  # the data is still there


def test_a_foreign_duckdb_file_is_not_taken_over(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a newsevents store"):
        open_store(path)


def test_tables_match_the_documented_schema():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "store.md").read_text()
    for table, cols in schema.TABLES.items():
        assert f"### {table}" in doc, table
        for name, _ in cols:
            assert f"`{name}`" in doc, f"{table}.{name} is not documented in docs/store.md"


# ------------------------------------------------------------------ queries

@pytest.fixture
def filled(store):
    store.write(corpus())
    return store


@pytest.mark.parametrize("filters, expected", [
    ({"source": "RUS"}, {"0214"}),  # code prefix: RUS and RUSGOV
    ({"source": "RUSGOV"}, {"0214"}),
    ({"target": "RUS"}, {"120", "112"}),
    ({"actor": "UKR"}, {"112"}),
    ({"actor": "nato"}, {"120"}),  # a name, any case
    ({"source": "Moscow"}, {"0214"}),  # a name one of the event's mentions uses
    ({"dyad": "RUS-USA"}, {"0214"}),
    ({"dyad": "USA-RUS"}, set()),
    ({"dyad": "USA-RUS", "undirected": True}, {"0214"}),
    ({"cameo": "12"}, {"120"}),
    ({"cameo": ["02", "11"]}, {"0214", "112"}),
    ({"plover": "accuse"}, {"112"}),
    ({"quad": 3}, {"120", "112"}),
    ({"since": "2022-02-01"}, {"112"}),
    ({"until": "2022-01-12"}, {"120"}),
    ({"place": "BEL"}, {"120"}),
    ({"place": "bruss"}, {"120"}),
    ({"text": "massing"}, {"112"}),
    ({"source": "RUS", "target": "USA", "since": "2022-01-13"}, {"0214"}),
])
def test_event_filters(filled, filters, expected):
    assert set(filled.events(**filters).cameo) == expected


def test_mention_quote_and_article_queries(filled):
    assert set(filled.mentions(source="RUS").trigger) == {"urged", "called on"}
    quotes = filled.quotes(actor="UKR")
    assert list(quotes.content) == ["massing troops"] and list(quotes.speaker_code) == ["UKR"]
    assert filled.quotes(quote_kind="indirect").empty
    assert set(filled.articles(actor="IGOWSTNAT").title.str[:4]) == {"NATO"}
    assert len(filled.articles(text="WASHINGTON")) == 1
    assert len(filled.articles(place="Brussels")) == 1
    assert len(filled.events(limit=2)) == 2


def test_bad_filters_fail_clearly(filled):
    with pytest.raises(SettingsError, match="valid: actor"):
        filled.events(who="RUS")
    with pytest.raises(SettingsError, match="do not apply to quotes"):
        filled.quotes(cameo="02")
    with pytest.raises(SettingsError, match="SOURCE-TARGET"):
        filled.events(dyad="RUS")
    with pytest.raises(SettingsError, match="ISO date"):
        Filters.make(since="last week")


def test_stats(filled):
    monthly = filled.stats(by="month", per="dyad")
    assert monthly.columns.tolist()[:7] == ["period", "source", "target", "events", "mentions", "mean_goldstein",
                                            "weighted_goldstein"]
    row = monthly[(monthly.source == "RUSGOV") & (monthly.target == "USAGOV")].iloc[0]
    assert (row.events, row.mentions, row.verbal_cooperation) == (1, 2, 1)
    by_actor = filled.stats(by="year", per="actor", by_country=True)
    rus = by_actor[by_actor.actor == "RUS"].iloc[0]
    assert rus.events == 3 and rus.verbal_conflict == 2 and rus.mean_goldstein == pytest.approx((3.4 - 4 - 2) / 3,
                                                                                                 abs=1e-3)
    daily = filled.stats(by="day", per="none", quad=3)
    assert daily.events.tolist() == [1, 1] and daily.mean_goldstein.tolist() == [-4.0, -2.0]
    with pytest.raises(SettingsError, match="valid: day"):
        filled.stats(by="fortnight")


# ------------------------------------------------------------------ the canonical sample

def test_the_canonical_article_round_trips(sample_doc, tmp_path):
    with open_store(tmp_path / "s.duckdb") as s:
        s.write([sample_doc])
        assert s.get_document(sample_doc.article.id) == sample_doc
        assert len(s.mentions()) == len(sample_doc.events) and len(s.quotes()) == len(sample_doc.quotes)
        assert s.write([sample_doc]).skipped == 1


@pytest.mark.skipif(not {"actors", "events"} <= set(STAGE_FACTORIES), reason="needs the actors and events stages")
def test_a_second_report_of_the_seed_ultimatum_merges_with_it(sample_doc, tmp_path):
    import newsevents

    # dated like the seed's ultimatum ("shortly before": the week before publication); the store
    # compares dates as points, so an undated report a day later would not merge with a week-precision date
    other = newsevents.extract("Russia issued an ultimatum to the United States shortly before, officials in Washington "
                               "said.\n\nThe demands concern NATO.", source="wire.txt", published="2022-01-13")
    with open_store(tmp_path / "s.duckdb") as s:
        s.write([sample_doc, other])
        [event] = s.events(dyad="RUS-USA", plover="THREATEN").itertuples()
        assert (event.num_mentions, event.num_articles, event.num_sources) == (2, 2, 2)
        assert set(s.mentions(event_id=event.event_id).article_id) == {sample_doc.article.id, other.article.id}
