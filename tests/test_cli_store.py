"""``newsevents query``, ``stats``, ``export`` and ``demo`` writing into the store."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_store import corpus
from typer.testing import CliRunner

from newsevents import open_store
from newsevents.cli import app
from newsevents.pipeline import STAGE_FACTORIES
from newsevents.store.export import GDELT_COLUMNS

runner = CliRunner()


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "s.duckdb"
    with open_store(p) as s:
        s.write(corpus())
    return str(p)


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.stdout


def test_query_events_by_dyad_as_json_lines(path):
    rows = [json.loads(line) for line in run("query", "--store", path, "--source", "RUS", "--target", "USA",
                                             "-f", "jsonl").splitlines()]
    assert len(rows) == 1 and rows[0]["source_code"] == "RUSGOV" and rows[0]["num_articles"] == 2


def test_query_pages_by_keyset_and_store_optimize_keeps_the_answers(path):
    every = [json.loads(line) for line in run("query", "mentions", "--store", path, "-f", "jsonl").splitlines()]
    first = [json.loads(line) for line in run("query", "mentions", "--store", path, "-f", "jsonl", "--limit", "1")
             .splitlines()]
    key = f"{first[0]['date']}~{first[0]['article_id']}~{first[0]['idx']}"
    rest = [json.loads(line) for line in run("query", "mentions", "--store", path, "-f", "jsonl", "--after", key)
            .splitlines()]
    assert first + rest == every and len(every) > 1
    before = run("stats", "--store", path, "--per", "none", "-f", "csv")
    result = runner.invoke(app, ["store", "optimize", "--store", path])
    assert result.exit_code == 0 and "in date order" in result.output
    assert run("stats", "--store", path, "--per", "none", "-f", "csv") == before
    assert [json.loads(line) for line in run("query", "mentions", "--store", path, "-f", "jsonl").splitlines()] == every


def test_query_table_and_csv(path, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich reads the terminal width from it
    table = run("query", "--store", path, "--actor", "NATO")
    assert "NATO [IGOWSTNAT]" in table and "120 Reject" in table and "1 events" in table
    out = run("query", "quotes", "--store", path, "--actor", "Ukraine", "-f", "csv")
    assert "massing troops" in out and out.splitlines()[0].startswith("article_id,")
    run("query", "mentions", "--store", path, "--quad", "3", "-f", "parquet", "-o", str(tmp_path / "m.parquet"))
    assert len(pd.read_parquet(tmp_path / "m.parquet")) == 2


def test_query_refuses_what_it_cannot_do(path):
    result = runner.invoke(app, ["query", "--store", path, "-f", "parquet"])
    assert result.exit_code == 2 and "--output" in result.output
    result = runner.invoke(app, ["query", "quotes", "--store", path, "--cameo", "02"])
    assert "do not apply to quotes" in str(result.exception)


def test_stats_as_csv(path):
    out = run("stats", "--store", path, "--by", "year", "--per", "actor", "--by-country", "-f", "csv")
    df = pd.read_csv(__import__("io").StringIO(out))
    assert df[df.actor == "RUS"].events.iloc[0] == 3


def test_export_gdelt(path, tmp_path):
    result = runner.invoke(app, ["export", "gdelt", str(tmp_path / "e.tsv"), "--store", path])
    assert result.exit_code == 0 and "3 rows written" in result.output
    df = pd.read_csv(tmp_path / "e.tsv", sep="\t", header=None, names=GDELT_COLUMNS)
    assert len(df) == 3 and df.NumArticles.sum() == 4


@pytest.fixture
def canonical_only(monkeypatch):
    """The demo on the canonical article alone (the whole sample takes too long for a unit test)."""
    import newsevents.data as data

    monkeypatch.setattr(data, "sample_paths", lambda: [data.data_path("samples", data.SAMPLE_ARTICLE)])


@pytest.mark.slow
def test_demo_writes_into_the_store_given_by_the_environment(tmp_path, monkeypatch, canonical_only):
    store = tmp_path / "demo.duckdb"
    monkeypatch.setenv("NEWSEVENTS_STORE", str(store))
    for _ in range(2):  # twice: the second run finds everything there
        result = runner.invoke(app, ["demo", "--no-show"])
        assert result.exit_code == 0, result.output
    assert "0 articles written, 1 already there" in " ".join(result.output.split())
    with open_store(store, read_only=True) as s:
        [title] = s.articles().title
        assert title.startswith("Kremlin is waiting for written statements")
        assert s.counts()["articles"] == 1


@pytest.mark.slow
@pytest.mark.skipif(not {"actors", "events"} <= set(STAGE_FACTORIES), reason="needs the actors and events stages")
def test_demo_store_answers_the_seed_query(tmp_path, canonical_only):
    store = str(tmp_path / "demo.duckdb")
    run("demo", "--no-show", "--store", store)
    rows = [json.loads(line) for line in run("query", "--store", store, "--source", "RUS", "--target", "USA",
                                             "-f", "jsonl").splitlines()]
    assert rows and all(r["source_country"] == "RUS" and r["target_country"] == "USA" for r in rows)
    run("export", "gdelt", str(tmp_path / "e.tsv"), "--store", store)
    lines = (tmp_path / "e.tsv").read_text().splitlines()
    assert lines and all(len(line.split("\t")) == 61 for line in lines)


def test_query_as_one_json_array(path):
    rows = json.loads(run("query", "--store", path, "--actor", "RUS", "-f", "json"))
    assert isinstance(rows, list) and len(rows) == 3 and {"event_id", "evidence"} <= set(rows[0])
    assert json.loads(run("query", "--store", path, "--actor", "XYZ", "-f", "json")) == []


def test_export_takes_format_and_output_options_and_writes_a_sidecar(path, tmp_path):
    import newsevents

    run("export", "--format", "csv", "-o", str(tmp_path / "e.csv"), "--store", path, "--actor", "RUS")
    assert len(pd.read_csv(tmp_path / "e.csv")) == 3
    sidecar = json.loads((tmp_path / "e.csv.json").read_text())
    assert sidecar["filters"] == {"actor": ["RUS"]} and sidecar["rows"] == 3
    assert sidecar["version"] == newsevents.__version__
    run("export", "-f", "parquet", "-o", str(tmp_path / "pq"), "--store", path)
    assert len(pd.read_parquet(tmp_path / "pq")) == 3  # pandas reads the partitioned folder
    both = runner.invoke(app, ["export", "csv", "x.csv", "--format", "gdelt", "--store", path])
    assert both.exit_code == 2 and "given twice" in both.output
    neither = runner.invoke(app, ["export", "--store", path])
    assert neither.exit_code == 2 and "--format" in neither.output


def test_tables_fit_80_columns_without_cutting_words(path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    table = run("query", "--store", path, "--actor", "NATO")
    assert max(len(line) for line in table.splitlines()) <= 80
    # the columns that say what happened are there, whole: dates on one line, headers uncut
    assert "2022-01-12" in table and all(h in table for h in ("date", "source", "event", "target", "evidence"))
    assert "…" not in table  # nothing cut: long cells wrap
