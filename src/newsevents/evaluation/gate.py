"""The evaluation gate: every task on its full development sets, held to committed floors.

In the manner of trafilatura's ``tests/eval_gate.py`` and ``eval_baseline.json``:
``newsevents evaluate all --gate`` runs every evaluation of :mod:`.report` on the whole of each
gold set (no ``--limit``), and compares each headline figure with its floor in
``evaluation/floors.json``. The gate fails when

- a figure falls more than the file's ``tolerance`` below its floor,
- a figure that has a floor is no longer produced (renamed or dropped), or a task with floors
  is skipped or fails,
- a gold file differs from the one the floors were set on (its sha256 is recorded).

A figure without a floor yet is reported as new and passes. ``--update-floors`` writes the
figures measured into the file, raising floors only; lowering one (a figure that fell, a gold
file that changed, a figure that went away) also needs ``--allow-regression``, on purpose and
with the reason in the commit message. Floors are the measured figures rounded down to three
decimals. See docs/evaluation.md ("The gate").
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The committed floors (package data, so an installed package gates itself too).
FLOORS_FILE = Path(__file__).with_name("floors.json")
#: How far below its floor a figure may fall before the gate fails (scores move by a few
#: thousandths between machines: ONNX and BLAS threads sum in different orders).
TOLERANCE = 0.005


@dataclass
class Check:
    task: str
    figure: str
    value: float | None  # None: the figure was not produced
    floor: float | None  # None: no floor yet
    status: str  # ok | new | drop | missing


@dataclass
class GateResult:
    checks: list[Check] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why the gate fails, one line each
    seconds: float = 0.0
    written: bool = False  # the floors file was updated

    @property
    def passed(self) -> bool:
        return not self.problems


def load_floors(path: str | Path = FLOORS_FILE) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        return {"tolerance": TOLERANCE, "gold": {}, "floors": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def figures_of(report: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Task key -> headline figure name -> value, for the tasks of a :func:`.report.run_all` result
    that ran (numbers only)."""
    out: dict[str, dict[str, float]] = {}
    for task in report["tasks"]:
        if "skipped" in task or "error" in task:
            continue
        out[task["key"]] = {name: float(v) for name, v in task.get("figures", [])
                            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}
    return out


def sha256_of(path: Path) -> str:
    """The sha256 of a file, or of a folder's files (their paths relative to it and their bytes, in order)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for p in files:
        if p != path:
            digest.update(p.relative_to(path).as_posix().encode("utf-8") + b"\0")
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def gold_of(report: dict[str, Any], gold_root: Path) -> dict[str, dict[str, str]]:
    """Task key -> the gold it read (path relative to the gold root) and its sha256."""
    out = {}
    root = gold_root.resolve()
    for task in report["tasks"]:
        if "gold" not in task or "skipped" in task or "error" in task:
            continue
        path = Path(task["gold"]).resolve()
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        out[task["key"]] = {"path": rel, "sha256": sha256_of(path)}
    return out


def compare(report: dict[str, Any], gold: dict[str, dict[str, str]], floors: dict[str, Any]) -> GateResult:
    """The checks of ``report`` (with the ``gold`` it read) against ``floors``."""
    tol = floors.get("tolerance", TOLERANCE)
    measured = figures_of(report)
    result = GateResult(seconds=report["run"].get("seconds") or 0.0)
    by_key = {t["key"]: t for t in report["tasks"]}
    for key, task_floors in floors.get("floors", {}).items():
        task = by_key.get(key)
        if task is None or "skipped" in task or "error" in task:
            why = "not run" if task is None else task.get("skipped") or task.get("error")
            result.problems.append(f"{key}: has floors but did not score ({why})")
            continue
        known = floors.get("gold", {}).get(key)
        if known and gold.get(key, {}).get("sha256") != known["sha256"]:
            result.problems.append(
                f"{key}: the gold ({gold.get(key, {}).get('path')}) is not the one the floors were set on "
                f"({known['path']}, sha256 {known['sha256'][:12]}...): check the figures, then --update-floors "
                "--allow-regression")
    for key, figures in sorted(measured.items()):
        for name, value in figures.items():
            floor = floors.get("floors", {}).get(key, {}).get(name)
            status = "new" if floor is None else "drop" if value < floor - tol else "ok"
            result.checks.append(Check(key, name, value, floor, status))
            if status == "drop":
                result.problems.append(f"{key}: {name} {value:.4f} is below its floor {floor:.3f} "
                                       f"(tolerance {tol})")
    for key, task_floors in floors.get("floors", {}).items():
        if key not in measured:
            continue
        for name, floor in task_floors.items():
            if name not in measured[key]:
                result.checks.append(Check(key, name, None, floor, "missing"))
                result.problems.append(f"{key}: {name} has a floor ({floor:.3f}) but was not measured")
    return result


def updated_floors(floors: dict[str, Any], report: dict[str, Any], gold: dict[str, dict[str, str]],
                   allow_regression: bool = False) -> dict[str, Any]:
    """``floors`` with the figures of ``report``: each floor raised to its figure (rounded down
    to three decimals); lowered, dropped, or re-pinned to other gold only with ``allow_regression``."""
    new_floors: dict[str, dict[str, float]] = {} if allow_regression else \
        {k: dict(v) for k, v in floors.get("floors", {}).items()}
    for key, figures in figures_of(report).items():
        for name, value in figures.items():
            floor = math.floor(value * 1000 + 1e-9) / 1000
            old = floors.get("floors", {}).get(key, {}).get(name)
            new_floors.setdefault(key, {})[name] = floor if allow_regression or old is None else max(old, floor)
    new_gold = dict(gold) if allow_regression else {**gold, **floors.get("gold", {})}
    by_key = {t["key"]: t for t in report["tasks"]}
    return {
        "about": "Floors of the evaluation gate (newsevents evaluate all --gate; docs/evaluation.md, 'The gate'). "
                 "Raise them with --update-floors; lowering one needs --allow-regression and a reason in the commit.",
        "tolerance": floors.get("tolerance", TOLERANCE),
        "measured": {"commit": report["run"].get("commit"), "date": report["run"].get("date"),
                     "platform": report["run"].get("platform"), "seconds": report["run"].get("seconds"),
                     "task_seconds": {k: t.get("seconds") for k, t in by_key.items()}},
        "gold": dict(sorted(new_gold.items())),
        "floors": {k: dict(sorted(v.items())) for k, v in sorted(new_floors.items())},
    }


def run_gate(gold_root: str | Path, floors_path: str | Path = FLOORS_FILE, update: bool = False,
             allow_regression: bool = False, settings=None, command: str = "",
             progress: Callable[[str, dict], None] | None = None,
             run: Callable[..., dict[str, Any]] | None = None) -> tuple[GateResult, dict[str, Any]]:
    """Run every task on the full gold under ``gold_root`` and check it against the floors; with
    ``update``, write the new floors when the gate passes (or ``allow_regression``). Returns the
    gate's result and the report (for :func:`.report.write_report`). ``run`` stands in for
    :func:`.report.run_all` (tests)."""
    if run is None:
        from .report import run_all as run
    gold_root = Path(gold_root)
    floors = load_floors(floors_path)
    report = run(gold_root, limit=None, command=command, settings=settings, progress=progress)
    gold = gold_of(report, gold_root)
    result = compare(report, gold, floors)
    if update and (result.passed or allow_regression):
        new = updated_floors(floors, report, gold, allow_regression)
        Path(floors_path).write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        result.written = True
    return result, report


def describe(result: GateResult) -> list[str]:
    """One line per figure, then the verdict."""
    lines = []
    for c in result.checks:
        value = "-" if c.value is None else f"{c.value:.4f}"
        floor = "-" if c.floor is None else f"{c.floor:.3f}"
        lines.append(f"{c.status:8s} {c.task:12s} {c.figure:42s} {value:>8s}  floor {floor}")
    lines += [f"FAIL: {p}" for p in result.problems]
    lines.append(("gate passed" if result.passed else "gate FAILED") + f" in {result.seconds:.0f} s"
                 + ("; floors file updated" if result.written else ""))
    return lines
