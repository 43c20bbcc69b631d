"""The documentation is kept honest by tests.

- the site builds with ``mkdocs build --strict`` (a broken link, a missing page or anchor, a
  docstring mkdocstrings cannot read fails);
- the CLI reference (docs/cli.md) is what scripts/gen_cli_docs.py writes from the commands' own
  help, and every command has help text and an ``Example:`` line;
- every setting and every command is documented;
- the commands of the quickstart and the export page run, in order, in an empty folder; the
  Python blocks marked for testing run; the coding examples give what their table says.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from newsevents.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _gen_cli_docs():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NEWSEVENTS_STORE"] = str(tmp_path / "docs.duckdb")
    env["NO_MKDOCS_2_WARNING"] = "1"
    # the commands and `python3` of the pages are this interpreter's, running this checkout
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    return env


def test_site_builds_strict_without_warnings(tmp_path):
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                          "-d", str(site)], capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path), timeout=300)
    log = run.stdout + run.stderr
    assert run.returncode == 0, log
    assert not re.search(r"^(WARNING|ERROR)", log, re.M), log
    for page in ("index.html", "quickstart/index.html", "cli/index.html", "python/index.html", "coding/index.html",
                 "evaluation/index.html", "limits/index.html", "settings/index.html", "export/index.html"):
        assert (site / page).is_file(), page
    api = (site / "python" / "index.html").read_text(encoding="utf-8")
    assert "extract_files" in api and "open_store" in api and "class=\"doc doc-object" in api  # mkdocstrings ran


def test_cli_reference_is_generated_from_the_help():
    gen = _gen_cli_docs()
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == gen.render(), \
        "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_every_command_has_help_and_an_example():
    gen = _gen_cli_docs()
    problems = []
    for path, cmd, _ in gen.commands():
        name = " ".join(path)
        desc, examples = gen.split_help(cmd.help or "")
        if not desc:
            problems.append(f"{name}: no help text")
        if getattr(cmd, "commands", None):
            continue  # a group: its commands carry the examples
        if not examples:
            problems.append(f"{name}: no 'Example:' line in its docstring")
        problems += [f"{name}: example {e!r} does not run this command" for e in examples if not e.startswith(name)]
        problems += [f"{name} {p.name}: no help" for p in cmd.params
                     if p.name != "help" and not getattr(p, "hidden", False) and not (p.help or "").strip()]
    assert not problems, "\n".join(problems)


def test_every_setting_is_documented():
    page = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Settings) if f"`{f.name}`" not in page]
    assert not missing, f"settings missing from docs/settings.md: {', '.join(missing)}"


def test_every_command_is_documented_beyond_the_reference():
    """Each top-level command appears in a hand-written page, not only in the generated reference."""
    gen = _gen_cli_docs()
    written = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md") if p.name != "cli.md")
    top = sorted({path[1] for path, _, _ in gen.commands() if len(path) > 1})
    missing = [c for c in top if not re.search(rf"newsevents {c}\b", written)]
    assert not missing, f"commands no page explains: {', '.join(missing)}"


# --- runnable pages ------------------------------------------------------------------------------

FENCE = re.compile(r"<!-- test -->\s*\n```(bash|python)\n(.*?)\n```", re.S)


def marked_blocks(page: str) -> list[tuple[str, str]]:
    """The ``(language, code)`` of each fenced block marked ``<!-- test -->`` on a docs page."""
    return FENCE.findall((DOCS / page).read_text(encoding="utf-8"))


def run_block(lang: str, code: str, cwd: Path, env: dict[str, str]) -> str:
    cmd = ["bash", "-euo", "pipefail", "-c", code] if lang == "bash" else [sys.executable, "-c", code]
    run = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"this {lang} block failed ({run.returncode}):\n{code}\n--- output:\n{run.stdout}\n{run.stderr}"
    return run.stdout


@pytest.mark.slow
def test_quickstart_and_export_pages_run(tmp_path):
    env = _env(tmp_path)
    out = {}
    for page in ("quickstart.md", "export.md"):
        blocks = marked_blocks(page)
        assert len(blocks) >= 3, f"{page}: no tested blocks found"
        out[page] = [run_block(lang, code, tmp_path, env) for lang, code in blocks]
    quick = out["quickstart.md"]
    assert "Usage: newsevents" in quick[0]
    assert "Dmitry Peskov" in quick[1] and "Events" in quick[1]
    assert re.search(r"^\d+ events, \d+ quotes$", quick[2].strip(), re.M)
    assert int(quick[3].split()[0]) == 161  # the seed, 89 VOA stories and 71 statements, one JSON line each
    assert re.search(r"^161 articles written, \d+ new events$", quick[4].strip(), re.M)
    assert "RUS" in quick[5]
    svg = (tmp_path / "events.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "2022-01" in svg and "2025-03" in svg and svg.count("<rect") > 5
    assert (tmp_path / "russia.csv").read_text(encoding="utf-8").startswith("event_id,")
    for name in ("events.tsv", "events.plover.jsonl", "mentions.csv"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert len((tmp_path / "events.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")) == 61


def test_python_blocks_of_the_coding_page_run(tmp_path):
    blocks = marked_blocks("coding.md")
    assert blocks
    for lang, code in blocks:
        run_block(lang, code, tmp_path, _env(tmp_path))


def coding_examples() -> list[dict[str, str]]:
    text = (DOCS / "coding.md").read_text(encoding="utf-8")
    table = text.split("<!-- examples:start -->", 1)[1].split("<!-- examples:end -->", 1)[0].strip().splitlines()
    head = [c.strip() for c in table[0].strip("|").split("|")]
    return [dict(zip(head, (c.strip().strip("`") for c in row.strip("|").split("|")))) for row in table[2:]]


def test_coding_examples_are_what_the_coder_gives():
    import newsevents

    rows = coding_examples()
    assert len(rows) >= 6
    wrong = []
    for row in rows:
        events = newsevents.code_text(row["sentence"], published="2022-01-13")
        e = next((x for x in events if x.principal), None)
        if e is None:
            wrong.append(f"{row['sentence']}: no event")
            continue
        date = "publication" if e.date_precision == "publication" else f"{e.date} ({e.date_precision})"
        got = {
            "source": (e.source.code if e.source else None) or "—",
            "CAMEO": f"{e.cameo} {e.cameo_name}",
            "PLOVER": e.plover or "—",
            "target": (e.target.code if e.target else None) or "—",
            "modality": e.modality,
            "negated": "yes" if e.negated else "no",
            "date": date,
            "places": ", ".join(loc.name for loc in e.locations) or "—",
        }
        diff = {k: (row[k], v) for k, v in got.items() if row[k] != v}
        if diff:
            wrong.append(f"{row['sentence']}: " + "; ".join(f"{k}: table {a!r}, coder {b!r}" for k, (a, b) in diff.items()))
    assert not wrong, "docs/coding.md examples differ from the coder:\n" + "\n".join(wrong)
