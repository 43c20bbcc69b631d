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


def test_unknown_format_is_a_usage_error(sample_path):
    r = runner.invoke(app, ["extract", str(sample_path), "--format", "xml"])
    assert r.exit_code == 2 and "json, jsonl, table" in r.output


def test_code_lines_gives_one_record_per_line(tmp_path):
    f = tmp_path / "lines.txt"
    f.write_text("Russia accused Ukraine of shelling.\n\nThe weather was fine in Paris.\n", encoding="utf-8")
    r = runner.invoke(app, ["code", "--lines", str(f)])
    assert r.exit_code == 0, r.output
    records = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["text"] for x in records] == ["Russia accused Ukraine of shelling.", "", "The weather was fine in Paris."]
    assert all(isinstance(x["events"], list) for x in records)
