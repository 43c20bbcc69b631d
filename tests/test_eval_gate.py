"""The evaluation gate: figures against committed floors, gold pinned by digest, floors raised
only on request and lowered only with --allow-regression; and the gate itself on the full
development gold where ../shared/gold is (the way trafilatura's tests/eval_gate.py runs)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsevents.evaluation import gate
from newsevents.evaluation.gate import compare, gold_of, run_gate, updated_floors


def fake_report(gold_root, figures: dict[str, dict[str, float]], skipped: tuple[str, ...] = ()) -> dict:
    tasks = []
    for key, figs in figures.items():
        path = gold_root / f"{key}.txt"
        if not path.exists():
            path.write_text(f"gold of {key}\n", encoding="utf-8")
        tasks.append({"key": key, "gold": str(path), "figures": list(figs.items()), "seconds": 1.0})
    tasks += [{"key": key, "skipped": "no gold"} for key in skipped]
    return {"run": {"seconds": 2.0, "commit": "abc", "date": "today"}, "tasks": tasks}


def fake_runner(figures, skipped=()):
    def run(gold_root, **_):
        return fake_report(gold_root, figures, skipped)
    return run


@pytest.fixture
def floors_file(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    path = tmp_path / "floors.json"
    result, _ = run_gate(gold, path, update=True, run=fake_runner({"events": {"F1": 0.8123}, "quotes": {"F1": 0.7}}))
    assert result.passed and result.written
    return gold, path


def test_first_update_sets_floors_rounded_down_with_the_gold_digests(floors_file):
    gold, path = floors_file
    floors = json.loads(path.read_text())
    assert floors["floors"] == {"events": {"F1": 0.812}, "quotes": {"F1": 0.7}}
    assert floors["gold"]["events"] == {"path": "events.txt", "sha256": gate.sha256_of(gold / "events.txt")}
    assert floors["measured"]["seconds"] == 2.0


def test_a_drop_beyond_the_tolerance_fails_and_within_it_passes(floors_file):
    gold, path = floors_file
    within, _ = run_gate(gold, path, run=fake_runner({"events": {"F1": 0.809}, "quotes": {"F1": 0.7}}))
    assert within.passed
    dropped, _ = run_gate(gold, path, run=fake_runner({"events": {"F1": 0.80}, "quotes": {"F1": 0.7}}))
    assert not dropped.passed and "events: F1 0.8000 is below its floor 0.812" in dropped.problems[0]


def test_floors_rise_on_request_and_fall_only_with_allow_regression(floors_file):
    gold, path = floors_file
    up, _ = run_gate(gold, path, update=True, run=fake_runner({"events": {"F1": 0.9, "new": 0.5}, "quotes": {"F1": 0.698}}))
    assert up.passed and json.loads(path.read_text())["floors"] == {"events": {"F1": 0.9, "new": 0.5},
                                                                    "quotes": {"F1": 0.7}}  # not lowered
    down, _ = run_gate(gold, path, update=True, run=fake_runner({"events": {"F1": 0.5, "new": 0.5}, "quotes": {"F1": 0.7}}))
    assert not down.passed and not down.written and json.loads(path.read_text())["floors"]["events"]["F1"] == 0.9
    lowered, _ = run_gate(gold, path, update=True, allow_regression=True,
                          run=fake_runner({"events": {"F1": 0.5, "new": 0.5}, "quotes": {"F1": 0.7}}))
    assert lowered.written and json.loads(path.read_text())["floors"]["events"]["F1"] == 0.5


def test_changed_gold_a_lost_figure_and_a_skipped_task_fail(floors_file):
    gold, path = floors_file
    (gold / "quotes.txt").write_text("other gold\n", encoding="utf-8")
    r, _ = run_gate(gold, path, run=fake_runner({"events": {"F1": 0.82}, "quotes": {"F1": 0.7}}))
    assert [p.split(":")[0] for p in r.problems] == ["quotes"] and "not the one the floors were set on" in r.problems[0]
    (gold / "quotes.txt").write_text("gold of quotes\n", encoding="utf-8")
    renamed, _ = run_gate(gold, path, run=fake_runner({"events": {"F1 renamed": 0.82}, "quotes": {"F1": 0.7}}))
    assert any("F1 has a floor (0.812) but was not measured" in p for p in renamed.problems)
    assert [c.status for c in renamed.checks if c.task == "events"] == ["new", "missing"]
    skipped, _ = run_gate(gold, path, run=fake_runner({"events": {"F1": 0.82}}, skipped=("quotes",)))
    assert skipped.problems == ["quotes: has floors but did not score (no gold)"]


def test_non_numbers_are_not_figures(tmp_path):
    report = fake_report(tmp_path, {"geo": {"recall": 0.8, "label": "x", "nan": float("nan")}})
    result = compare(report, gold_of(report, tmp_path), {"floors": {}})
    assert [(c.figure, c.status) for c in result.checks] == [("recall", "new")]
    assert updated_floors({}, report, {})["floors"] == {"geo": {"recall": 0.8}}


def test_cli_gate_exits_1_on_a_drop_and_refuses_partial_runs(floors_file, tmp_path, monkeypatch):
    from newsevents.cli import app
    from newsevents.evaluation import report

    gold, path = floors_file
    runner = CliRunner()
    written = []
    monkeypatch.setattr(report, "write_report", lambda result, **paths: written.append(paths))
    monkeypatch.setattr(report, "run_all", fake_runner({"events": {"F1": 0.81}, "quotes": {"F1": 0.7}}))
    ok = runner.invoke(app, ["evaluate", "all", "--gold", str(gold), "--report", str(tmp_path / "r.html"),
                             "--gate", "--floors", str(path)])
    assert ok.exit_code == 0, ok.output
    assert "gate passed" in ok.output and written[0]["html"] == tmp_path / "r.html"
    monkeypatch.setattr(report, "run_all", fake_runner({"events": {"F1": 0.7}, "quotes": {"F1": 0.7}}))
    bad = runner.invoke(app, ["evaluate", "all", "--gold", str(gold), "--report", str(tmp_path / "r.html"),
                              "--gate", "--floors", str(path)])
    assert bad.exit_code == 1 and "gate FAILED" in bad.output
    partial = runner.invoke(app, ["evaluate", "all", "--gold", str(gold), "--gate", "--limit", "5"])
    assert partial.exit_code == 2 and "full gold" in partial.output
    alone = runner.invoke(app, ["evaluate", "all", "--gold", str(gold), "--update-floors"])
    assert alone.exit_code == 2


def test_the_shipped_floors_name_their_gold_and_a_tolerance():
    floors = gate.load_floors()
    assert floors["floors"] and 0 < floors["tolerance"] <= 0.01
    assert set(floors["floors"]) <= set(floors["gold"])
    assert all(len(g["sha256"]) == 64 for g in floors["gold"].values())


@pytest.mark.gate
@pytest.mark.slow
def test_the_gate_holds_on_the_full_development_gold(shared):
    result, _ = run_gate(shared / "gold")
    print("\n".join(gate.describe(result)))
    assert result.passed, "\n".join(result.problems) + (
        "\nIf a figure fell on purpose: newsevents evaluate all --gate --update-floors --allow-regression, "
        "and say why in the commit (docs/evaluation.md, 'The gate').")
