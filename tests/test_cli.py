"""The CLI: extract on the canonical sample, exit status and summary on bad input, code --lines."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from newsevents.cli import app

runner = CliRunner()


def test_extract_sample_json(sample_path):
    r = runner.invoke(app, ["extract", str(sample_path), "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    a = d["article"]
    assert a["title"].startswith("Kremlin is waiting for written statements")
    assert a["published"] == "2022-01-13T15:39:32"
    assert (a["views_total"], a["views_today"]) == (726, 0)
    assert a["body"].startswith("The Russian leadership expects")


def test_extract_batch_goes_on_and_fails_at_the_end(tmp_path, sample_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    r = runner.invoke(app, ["extract", str(bad), str(sample_path), "--format", "jsonl"])
    assert r.exit_code == 1
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0]["article"]["views_total"] == 726
    assert "empty.txt" in r.stderr and "1 inputs skipped (1 empty)" in r.stderr


def test_extract_table_format(sample_path):
    r = runner.invoke(app, ["extract", str(sample_path), "--format", "table"])
    assert r.exit_code == 0 and "Kremlin is waiting" in r.stdout


def test_unknown_format_is_a_usage_error(sample_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the message on one line
    r = runner.invoke(app, ["extract", str(sample_path), "--format", "xml"])
    assert r.exit_code == 2 and "json, jsonl, csv, table" in r.output


def test_code_lines_gives_one_record_per_line(tmp_path):
    f = tmp_path / "lines.txt"
    f.write_text("Russia accused Ukraine of shelling.\n\nThe weather was fine in Paris.\n", encoding="utf-8")
    r = runner.invoke(app, ["code", "--lines", str(f)])
    assert r.exit_code == 0, r.output
    records = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["text"] for x in records] == ["Russia accused Ukraine of shelling.", "", "The weather was fine in Paris."]
    assert all(isinstance(x["events"], list) for x in records)


def test_code_lines_reads_stdin():
    r = runner.invoke(app, ["code", "--lines", "-"], input="Russia accused Ukraine of shelling.\nThe weather was fine.\n")
    assert r.exit_code == 0, r.output
    records = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["text"] for x in records] == ["Russia accused Ukraine of shelling.", "The weather was fine."]
    missing = runner.invoke(app, ["code", "--lines", "no-such-file.txt"])
    assert missing.exit_code == 2 and "not a file" in missing.output


def test_extract_csv_has_a_row_per_event(sample_path):
    import io

    import pandas as pd

    r = runner.invoke(app, ["extract", str(sample_path), "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = pd.read_csv(io.StringIO(r.stdout), dtype={"cameo": str})
    doc = json.loads(runner.invoke(app, ["extract", str(sample_path), "--format", "json"]).stdout)
    assert len(rows) == len(doc["events"]) > 0
    assert list(rows.trigger) == [e["trigger"]["text"] for e in doc["events"]]
    assert list(rows.cameo) == [e["cameo"] for e in doc["events"]]


def test_workers_above_the_cores_are_warned_about(tmp_path, monkeypatch):
    import os

    import newsevents.run
    from newsevents.errors import SettingsError

    def no_run(paths, settings, **kw):  # the warning comes first; the run itself is tested in test_run.py
        raise SettingsError(f"not run here ({settings.workers} workers)")

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(newsevents.run, "run", no_run)
    r = runner.invoke(app, ["run", str(tmp_path), "--workers", "8", "--store", str(tmp_path / "s.duckdb")])
    assert "--workers 8 on a machine with 2 cores" in " ".join(r.output.split())
    assert "not run here (8 workers)" in str(r.exception)
    r = runner.invoke(app, ["run", str(tmp_path), "--workers", "2", "--store", str(tmp_path / "s.duckdb")])
    assert "cores" not in r.output


def test_the_progress_rate_is_the_average_since_the_start():
    """A run's progress comes in bursts; the rate shown is what was done over the time it took."""
    from types import SimpleNamespace

    from newsevents.cli.run import _Eta, _Rate

    task = SimpleNamespace(completed=37, total=100, elapsed=10.0, finished=False, finished_time=None,
                           speed=273.0, finished_speed=None)
    assert str(_Rate().render(task)) == "3.7 articles/s"
    assert str(_Eta().render(task)) == "ETA 0:00:17"
