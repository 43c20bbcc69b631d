"""Exports of the store: GDELT 2.0 TSV, Parquet partitioned by date, CSV, JSON lines, PLOVER JSON."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest
from factories import RUS, USA, report
from test_store import corpus

from newsevents.errors import SettingsError, StoreError
from newsevents.store import MemoryStore
from newsevents.store.export import GDELT_COLUMNS


@pytest.fixture
def store():
    s = MemoryStore()
    s.write(corpus())
    s.write([report("Russia urged the United States in Geneva.", trigger="urged", source=RUS, target=USA,
                    published="2022-03-02", outlet="Le Temps", url="https://letemps.ch/a",
                    place_=("Geneva", "CHE", 2660646, "city", 46.20, 6.14))])
    return s


def test_gdelt_export_has_61_columns_and_loads_with_gdelt_names(store, tmp_path):
    path = tmp_path / "events.tsv"
    assert store.export("gdelt", path) == 4
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(len(line.split("\t")) == 61 for line in lines)
    assert len(GDELT_COLUMNS) == 61 and GDELT_COLUMNS[0] == "GLOBALEVENTID" and GDELT_COLUMNS[-1] == "SOURCEURL"
    df = pd.read_csv(path, sep="\t", header=None, names=GDELT_COLUMNS,
                     dtype={"EventCode": str, "EventBaseCode": str, "EventRootCode": str})
    assert list(df.columns) == list(GDELT_COLUMNS)
    talks = df[df.EventCode == "0214"].iloc[0]
    assert (talks.SQLDATE, talks.MonthYear, talks.Year) == (20220113, 202201, 2022)
    assert talks.FractionDate == pytest.approx(2022 + (30 + 13) / 365, abs=1e-4)
    assert (talks.Actor1Code, talks.Actor1CountryCode, talks.Actor1Type1Code) == ("RUSGOV", "RUS", "GOV")
    assert talks.Actor1Name == "MOSCOW" and talks.Actor2Code == "USAGOV"
    assert (talks.EventBaseCode, talks.EventRootCode, talks.QuadClass) == ("021", "02", 1)
    assert (talks.NumMentions, talks.NumSources, talks.NumArticles) == (2, 2, 2)
    assert talks.AvgTone == pytest.approx(-3.0) and talks.IsRootEvent == 1
    assert talks.ActionGeo_Type == 0 and pd.isna(talks.ActionGeo_FullName)
    geneva = df[df.SOURCEURL == "https://letemps.ch/a"].iloc[0]
    assert (geneva.ActionGeo_Type, geneva.ActionGeo_CountryCode, geneva.ActionGeo_FeatureID) == (4, "SZ", 2660646)
    assert geneva.ActionGeo_FullName == "Geneva, Switzerland" and geneva.ActionGeo_Lat == pytest.approx(46.2)
    nato = df[df.EventCode == "120"].iloc[0]
    assert (nato.Actor1Code, nato.Actor1KnownGroupCode, nato.QuadClass, nato.GoldsteinScale) == \
        ("IGOWSTNAT", "NAT", 3, -4.0)
    assert str(nato.DATEADDED).isdigit() and len(str(nato.DATEADDED)) == 14


def test_gdelt_header_line_on_request(store, tmp_path):
    path = tmp_path / "events.tsv"
    store.export("gdelt", path, header=True, source="UKR")
    df = pd.read_csv(path, sep="\t", dtype={"EventCode": str})
    assert list(df.columns) == list(GDELT_COLUMNS) and df.EventCode.tolist() == ["112"]


def test_parquet_export_is_partitioned_by_date(store, tmp_path):
    out = tmp_path / "pq"
    assert store.export("parquet", out, table="all") > 0
    parts = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet"))
    assert "events/year=2022/month=1/events-0.parquet" in parts
    assert "events/year=2022/month=3/events-0.parquet" in parts
    assert any(p.startswith("articles/year=2022/month=2/") for p in parts)
    events = ds.dataset(out / "events", partitioning="hive").to_table().to_pandas()
    assert len(events) == 4 and set(events.month) == {1, 2, 3}
    sql = f"SELECT count(*) FROM read_parquet('{out}/mentions/**/*.parquet', hive_partitioning=true)"
    assert duckdb.sql(sql).fetchall()[0][0] == 5
    with pytest.raises(StoreError, match="not empty"):
        store.export("parquet", out / "events")


def test_csv_and_jsonl_exports(store, tmp_path):
    n = store.export("csv", tmp_path / "articles.csv", table="articles", since="2022-02-01")
    articles = pd.read_csv(tmp_path / "articles.csv")
    assert n == len(articles) == 2 and "body" in articles and "document" not in articles
    assert store.export("jsonl", tmp_path / "m.jsonl", table="mentions", cameo="12") == 1
    row = json.loads((tmp_path / "m.jsonl").read_text())
    assert row["trigger"] == "rejected" and row["date"] == "2022-01-12"


def test_plover_export_keeps_each_mentions_evidence(store, tmp_path):
    path = tmp_path / "events.jsonl"
    store.export("plover", path, dyad="RUS-USA", until="2022-01-31")
    [record] = [json.loads(line) for line in path.read_text().splitlines()]
    assert record["event"] == "REQUEST" and record["actor"]["code"] == "RUSGOV"
    assert record["recipient"]["country"] == "USA" and record["num_articles"] == 2
    assert {m["trigger"]["text"] for m in record["mentions"]} == {"urged", "called on"}
    for m in record["mentions"]:
        assert m["sentence"]["text"] and m["sentence"]["end"] > m["sentence"]["start"]


def test_unknown_export_format_lists_the_valid_ones(store, tmp_path):
    with pytest.raises(SettingsError, match="parquet, csv, jsonl, gdelt, plover"):
        store.export("xlsx", tmp_path / "x")
    with pytest.raises(SettingsError, match="holds events"):
        store.export("gdelt", tmp_path / "x", table="quotes")


def test_every_export_format_reads_back_with_pandas_and_says_what_it_holds(store, tmp_path):
    """Undated events included: they sit in the Parquet partition year=0/month=0, and
    ``pd.read_parquet`` reads the whole folder (a null partition value made it fail)."""
    import pyarrow.parquet as pq

    import newsevents

    store.write([report("Russia warned the United States.", trigger="warned", source=RUS, target=USA,
                        published=None, cameo="130", plover="THREATEN", quad=3)])
    events = store.count("events")
    assert store.export("parquet", tmp_path / "pq") == events
    frame = pd.read_parquet(tmp_path / "pq")
    assert len(frame) == events and frame.date.isna().sum() == 1
    assert set(frame[frame.date.isna()].year) == {0}
    manifest = json.loads((tmp_path / "pq" / "_export.json").read_text())
    assert (manifest["version"], manifest["rows"]) == (newsevents.__version__, events)
    some_file = next((tmp_path / "pq").rglob("*.parquet"))
    assert json.loads(pq.read_schema(some_file).metadata[b"newsevents"])["product"] == "newsevents"

    assert store.export("csv", tmp_path / "e.csv", actor="RUS") == len(pd.read_csv(tmp_path / "e.csv"))
    assert json.loads((tmp_path / "e.csv.json").read_text())["filters"] == {"actor": ["RUS"]}
    assert store.export("gdelt", tmp_path / "e.tsv") == events
    gdelt = pd.read_csv(tmp_path / "e.tsv", sep="\t", header=None, names=GDELT_COLUMNS, dtype={"EventCode": str})
    assert len(gdelt) == events and set(gdelt.EventCode) >= {"130", "0214"}
    assert store.export("plover", tmp_path / "e.jsonl") == events
    plover = pd.read_json(tmp_path / "e.jsonl", lines=True)
    assert len(plover) == events and all(isinstance(m, list) and m for m in plover.mentions)
    assert json.loads((tmp_path / "e.jsonl.json").read_text())["format"] == "plover"


def test_a_streamed_export_is_cut_into_chunks_and_counts_its_rows(store, monkeypatch):
    """The bytes of one export come chunk by chunk (what an HTTP download streams), each chunk at
    most CHUNK_ROWS rows: memory stays flat whatever the export's size."""
    import io

    import pyarrow.parquet as pq

    from newsevents.store import export as export_module

    monkeypatch.setattr(export_module, "CHUNK_ROWS", 1)
    job = export_module.Export(store, "csv")
    chunks = list(job)
    assert job.rows == store.count("events") == len(chunks) == 4
    assert len(pd.read_csv(io.BytesIO(b"".join(chunks)))) == 4
    job = export_module.Export(store, "parquet", export_module.Filters(actor=("RUS",)))
    table = pq.read_table(io.BytesIO(b"".join(job)))
    assert table.num_rows == job.rows == store.count("events", actor="RUS")
    assert json.loads(table.schema.metadata[b"newsevents"])["filters"] == {"actor": ["RUS"]}
