"""Every evaluation in one run, written as one self-contained HTML report (and Markdown for the docs).

``run_all(gold_root)`` runs each scorer of :mod:`newsevents.evaluation` that has its gold under
``gold_root`` (the layout of ``shared/gold``) and returns plain data: the run (date, commit,
versions, command), and per task the gold it read, how many items it scored, headline figures,
tables (per class P/R/F1 ...), a confusion matrix and a calibration table where the task has
them. :func:`render_html` turns that into one HTML file with inline CSS and inline SVG charts
(:mod:`newsevents.charts`): no script, no font, nothing fetched (its Content-Security-Policy
forbids it). :func:`render_markdown` gives the figures as Markdown for docs/evaluation.md.

A task whose gold is missing, or whose stage is not installed, is listed as skipped with the
reason; a task that fails is listed with its error, and the others still run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from ..settings import Settings

#: Task keys in report order.
TASKS = ("events", "actors", "quotes", "geo", "extraction")
QUAD_NAMES = ("0 neutral", "1 verbal coop.", "2 material coop.", "3 verbal conflict", "4 material conflict")
CALIBRATION_BINS = 10


# --- running -------------------------------------------------------------------------------


def run_all(gold_root: str | Path, limit: int | None = None, tasks: Sequence[str] = TASKS,
            settings: Settings | None = None, command: str = "", cv: int = 5,
            progress: Callable[[str, dict], None] | None = None) -> dict[str, Any]:
    """Run the evaluations named in ``tasks`` against ``gold_root``; ``limit`` caps the items
    (sentences, articles, pages) each one scores; ``cv`` is the number of folds for the events
    model's cross-validated figure (0: rules only). ``progress(key, result)`` is called after each."""
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        raise ValueError(f"unknown evaluation(s) {', '.join(unknown)}; valid: {', '.join(TASKS)}")
    settings = settings or Settings()
    root = Path(gold_root)
    options = {"events": {"cv": cv}}
    run = run_info(root, limit, command)  # the commit and date the run starts from
    started = time.perf_counter()
    results = []
    for key in [t for t in TASKS if t in tasks]:
        t0 = time.perf_counter()
        try:
            result = RUNNERS[key](root, limit, settings, **options.get(key, {}))
        except _Skip as why:
            result = {"key": key, "title": TITLES[key], "skipped": str(why)}
        except Exception as exc:  # one broken scorer must not lose the others' figures
            result = {"key": key, "title": TITLES[key], "error": f"{type(exc).__name__}: {exc}"}
        result["seconds"] = round(time.perf_counter() - t0, 1)
        results.append(result)
        if progress:
            progress(key, result)
    run["seconds"] = round(time.perf_counter() - started, 1)
    return {"run": run, "tasks": results}


class _Skip(Exception):
    """A task that cannot run here (no gold, or its stage is not installed)."""


def _need(path: Path) -> Path:
    if not path.exists():
        raise _Skip(f"no gold at {path}")
    return path


def run_info(root: Path, limit: int | None, command: str) -> dict[str, Any]:
    import spacy

    from ..version import __version__

    settings = Settings()
    try:
        model = f"{settings.spacy_model} {spacy.util.get_package_version(settings.spacy_model)}"
    except Exception:  # the model's metadata is informative only
        model = settings.spacy_model
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "version": __version__,
        "python": platform.python_version(),
        "spacy": f"spaCy {spacy.__version__}, {model}",
        "platform": f"{platform.system()} {platform.machine()}, {_cores()} cores",
        "gold": str(root.resolve()),
        "limit": limit,
        "command": command,
        "seconds": None,
    }


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def git_commit() -> str:
    """``git describe`` of the checkout this package runs from ("-dirty" when it has changes)."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=12"], cwd=here, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown (git not available)"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown (not a git checkout)"


def _table(title: str, columns: Sequence[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"title": title, "columns": list(columns), "rows": rows}


def _gold_size(path: Path) -> str:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB in {len(files)} file{'s' * (len(files) != 1)}"


def run_events(root: Path, limit: int | None, settings: Settings, cv: int = 5) -> dict[str, Any]:
    """Quad class of each gold sentence (ConfliBERT CAMEO class file), and the calibration of the
    confidence of the event that decides it: the rules alone on the whole file (they never saw
    it), then rules + the event type model by ``cv``-fold cross-validation (the shipped model was
    fitted on this file and PLV, so only cross-validated figures say anything about it)."""
    from ..events.lines import code_lines
    from .event_model import evaluate_model
    from .events import CLASS_FILE, LABELS, quad_of_records, read_classes, score_classes

    path = _need(root / "events" / CLASS_FILE)
    texts, labels = read_classes(path)
    total = len(texts)
    texts, labels = texts[:limit], labels[:limit]
    runs = [("rules only", list(code_lines(texts, settings=settings.with_(events_model="none"))), None)]
    if cv > 1 and len(texts) >= 10 * cv:  # a fold needs a few sentences of each class to fit a head on
        # the event type model, trained on all the event gold, cross-validated (folds by sentence)
        result = evaluate_model(root / "events", k=cv, limit=limit, settings=settings, loso=False, log=lambda m: None)
        records = [result.records[t] for t in texts]
        runs.append((f"rules + model, {cv}-fold cross-validation", records, score_classes(labels, quad_of_records(records))))
    out = {
        "key": "events", "title": TITLES["events"], "gold": str(path), "gold_size": _gold_size(path),
        "items": f"{len(texts):,} of {total:,} sentences", "figures": [], "tables": [], "confusions": [],
        "calibrations": [],
        "notes": [
            "Each sentence is coded alone (`newsevents code --lines`); its class is its sentence quad_class: with the "
            "rules alone the quad class of its principal event, with the model the model's estimate; 0 when it has "
            "none.",
            "Calibration: the confidence of the event that gives a sentence its class against whether that class is "
            "the gold one, for the sentences that have an event. ECE is the mean gap between confidence and accuracy "
            "over the bins, weighted by their counts.",
        ],
    }
    for name, records, scores in runs:
        c = scores or score_classes(labels, quad_of_records(records))
        calib = calibration(records, labels)
        out["figures"] += [(f"macro-F1, {name.split(',')[0]}", c.macro_f1), (f"accuracy, {name.split(',')[0]}", c.accuracy)]
        out["tables"].append(_table(f"Per class, {name}", ("class", "P", "R", "F1", "n"),
                                    [[QUAD_NAMES[k], *c.per_class[k]] for k in LABELS]))
        out["confusions"].append({"title": f"Confusion matrix, {name}", "labels": list(QUAD_NAMES),
                                  "matrix": c.confusion})
        out["calibrations"].append({"title": f"Calibration, {name}", **calib})
        if c.folds:
            out["notes"].append(f"{name}: macro-F1 per fold " + ", ".join(f"{f:.3f}" for f in c.folds) + ".")
    if len(runs) == 1 and cv > 1:
        out["notes"].append(f"No cross-validated figure: {len(texts)} sentences are too few for {cv} folds.")
    return out


def calibration(records: Sequence[dict], labels: Sequence[int], bins: int = CALIBRATION_BINS) -> dict[str, Any]:
    """Reliability table: per confidence bin, how many sentences, their mean confidence and the
    share whose predicted quad class is the gold one. Sentences with no event are left out."""
    pairs = []
    for rec, gold in zip(records, labels):
        events = rec.get("events") or []
        if not events:
            continue
        event = next((e for e in events if e.get("principal")), None) or max(events, key=lambda e: e.get("confidence", 0))
        pairs.append((float(event.get("confidence") or 0.0), int(rec.get("quad_class") or 0) == gold))
    table = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(p, ok) for p, ok in pairs if low <= p < high or (b == bins - 1 and p == 1.0)]
        n = len(inside)
        table.append({"low": low, "high": high, "n": n,
                      "confidence": sum(p for p, _ in inside) / n if n else 0.0,
                      "accuracy": sum(ok for _, ok in inside) / n if n else 0.0})
    ece = sum(b["n"] * abs(b["accuracy"] - b["confidence"]) for b in table) / len(pairs) if pairs else 0.0
    return {"bins": table, "ece": ece, "n": len(pairs)}


def run_actors(root: Path, limit: int | None, settings: Settings) -> dict[str, Any]:
    """Source and target spans of the coded events against the ConfliBERT CAMEO NER gold."""
    from ..events.lines import code_lines
    from .events import NER_FILE, gold_spans, read_conll, score_spans

    path = _need(root / "events" / NER_FILE)
    conll = read_conll(path)
    total = len(conll)
    conll = conll[:limit]
    records = list(code_lines([" ".join(t for t, _ in s) for s in conll], settings=settings))
    s = score_spans([gold_spans(x) for x in conll], records)
    rows = [["all, exact", *s.exact], ["all, overlap", *s.overlap],
            *[[f"{'source' if r == 'S' else 'target'}, exact", *v] for r, v in s.by_role.items()]]
    return {
        "key": "actors", "title": TITLES["actors"], "gold": str(path), "gold_size": _gold_size(path),
        "items": f"{len(conll):,} of {total:,} sentences",
        "figures": [("exact F1", s.exact[2]), ("overlap F1", s.overlap[2])],
        "tables": [_table("Source and target spans", ("spans", "P", "R", "F1"), rows)],
        "notes": ["A predicted span is the text of an event's source or target; gold R (reciprocal) counts as a "
                  "source, as shared/eval/score_events.py counts it. Overlap: one span contains the other."],
    }


def run_quotes(root: Path, limit: int | None, settings: Settings) -> dict[str, Any]:
    """Quote contents, cues and speakers against PolNeAR (dev split)."""
    from .quotes import evaluate_polnear, read_polnear

    path = _need(root / "quotes" / "polnear" / "dev")
    total = len(read_polnear(path))
    s = evaluate_polnear(path, settings=settings, limit=limit)
    rows = [[name, d["precision"], d["recall"], d["f1"]] for name, d in
            (("content, overlap", s["content_overlap"]), ("content, exact", s["content_exact"]),
             ("cue, overlap", s["cue_overlap"]), ("cue, exact", s["cue_exact"]))]
    return {
        "key": "quotes", "title": TITLES["quotes"], "gold": str(path), "gold_size": _gold_size(path),
        "items": f"{s['articles']:,} of {total:,} articles, {s['gold']:,} gold attributions, {s['predicted']:,} predicted",
        "figures": [("content F1 (overlap)", s["content_overlap"]["f1"]), ("speaker accuracy", s["speaker_accuracy"])],
        "tables": [_table("Contents and cues", ("what", "P", "R", "F1"), rows),
                   _table("Speakers (of matched contents with a gold source)", ("rule", "accuracy", "n"),
                          [["speaker span overlaps the gold source", s["speaker_accuracy"], s["speaker_n"]],
                           ["shares a content word (score_quotes.py)", s["speaker_words"], s["speaker_n"]]])],
        "notes": ["How each figure is counted: docs/quotes.md. PolNeAR marks every attribution, direct or reported."],
    }


def run_geo(root: Path, limit: int | None, settings: Settings) -> dict[str, Any]:
    """Toponyms against GeoWebNews and GeoVirus: recall and precision, then country and distance of
    the found ones; each set resolved by the ranker trained on the other set only."""
    import importlib.util

    if importlib.util.find_spec("newsevents.evaluation.geo") is None:
        raise _Skip("the places stage and its scorer (newsevents.evaluation.geo) are not in this version")
    from .geo import evaluate_geo, read_sets

    path = _need(root / "geo" / "GWN.xml").parent
    totals = {s.name: len(s.articles) for s in read_sets(path)}
    results = evaluate_geo(path, limit=limit, settings=settings)
    figures, tables, ids = [], [], []
    for r in results:
        g = r.held_out or r.rules
        a = g.all
        # GeoWebNews keeps the unprefixed names the report has always had
        prefix = "" if r.name == "GeoWebNews" else r.name + " "
        figures += [(prefix + "recall", a.recall), (prefix + "precision", g.precision_geocoded)]
        if a.country_n:
            figures.append((prefix + "country accuracy", a.country))
        figures.append((prefix + "within 161 km", a.within_161km))
        columns = ("resolver", "n", "recall", "precision", *(("country",) if a.country_n else ()), "161 km")
        rows = [[label, x.all.n, x.all.recall, x.precision_geocoded, *((x.all.country,) if a.country_n else ()),
                 x.all.within_161km]
                for label, x in (("rules", r.rules), ("ranker held out", r.held_out), ("ranker shipped", r.shipped))
                if x is not None]
        tables.append(_table(f"{r.name}: rules, ranker trained on the other set, shipped ranker", columns, rows))
        if r.name == "GeoWebNews":
            ids = [[t, s.n, s.recall, s.country, s.within_161km] for t, s in [("all", a), *g.by_type.items()]]
    return {
        "key": "geo", "title": TITLES["geo"], "gold": str(path), "gold_size": _gold_size(path),
        "items": "; ".join(f"{r.name} {(r.held_out or r.rules).articles:,} of {totals[r.name]:,} articles, "
                           f"{(r.held_out or r.rules).all.n:,} toponyms" for r in results),
        "figures": figures,
        "tables": [*tables,
                   *([_table("GeoWebNews by type (held-out ranker)", ("type", "n", "recall", "country", "161 km"),
                             ids)] if ids else [])],
        "notes": ["Each set is resolved by the ranker trained on the other set only (leave-one-set-out). Country "
                  "accuracy and within-161-km are among the toponyms found; GeoVirus gives points only."],
    }


def run_extraction(root: Path, limit: int | None, settings: Settings) -> dict[str, Any]:
    """Article body extraction from HTML against L3S-GN1, with trafilatura alone for reference."""
    import trafilatura

    from ..errors import IngestError
    from ..ingest import read_text
    from .extraction import score

    path = _need(root / "extraction" / "l3s-gn1")
    total = sum(1 for _ in (path / "GoldStandard").glob("*.txt.gz"))
    def ours(html: str) -> str | None:
        try:
            return read_text(html, fmt="html", settings=settings).body
        except IngestError:
            return None

    rows, ours_score = [], None
    for name, fn in (("newsevents ingest", ours), ("trafilatura alone", trafilatura.extract)):
        s = score(path, fn, limit)
        ours_score = ours_score or s
        rows.append([name, s.precision, s.recall, s.f1, s.macro_f1, s.empty])
    return {
        "key": "extraction", "title": TITLES["extraction"], "gold": str(path), "gold_size": _gold_size(path),
        "items": f"{ours_score.pages:,} of {total:,} pages",
        "figures": [("token F1", ours_score.f1), ("macro F1", ours_score.macro_f1)],
        "tables": [_table("Body tokens", ("extractor", "P", "R", "F1", "macro F1", "empty"), rows)],
        "notes": ["Gold body: the x-nc-sel2 (main text) blocks. Tokens are lower-cased words, counted with "
                  "repetition and summed over pages (macro F1: the mean of per-page F1)."],
    }


TITLES = {
    "events": "Events: quad class",
    "actors": "Actors: event source and target spans",
    "quotes": "Quotes and speakers",
    "geo": "Places",
    "extraction": "Article extraction from HTML",
}
RUNNERS: dict[str, Callable[..., dict[str, Any]]] = {
    "events": run_events, "actors": run_actors, "quotes": run_quotes, "geo": run_geo, "extraction": run_extraction,
}


# --- rendering -----------------------------------------------------------------------------


def _fmt(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def charts(task: dict[str, Any]) -> list[str]:
    """The SVG charts of one task: P/R/F1 bars of each table that has them, the confusion
    matrix, the reliability diagram."""
    from .. import charts as ch

    out = []
    for t in task.get("tables", []):
        cols = t["columns"]
        wanted = [c for c in ("P", "R", "F1", "recall", "country", "161 km", "accuracy") if c in cols]
        if not wanted or not t["rows"]:
            continue
        series = {c: [row[cols.index(c)] for row in t["rows"]] for c in wanted}
        out.append(ch.bars(series, [str(row[0]) for row in t["rows"]], t["title"]))
    for c in task.get("confusions", []):
        out.append(ch.heatmap(c["matrix"], c["labels"], [x.split()[0] for x in c["labels"]], c["title"]))
    for cal in task.get("calibrations", []):
        out.append(ch.reliability(cal["bins"], cal["title"], f"expected calibration error {cal['ece']:.3f}, "
                                                             f"{cal['n']:,} sentences"))
    return out


CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;margin:0;background:#f6f7f9}
main{max-width:1080px;margin:0 auto;padding:24px}
header{background:#1f3b57;color:#fff;padding:20px 24px}header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;opacity:.9}
section{background:#fff;border:1px solid #e3e5e8;border-radius:8px;padding:16px 20px;margin:0 0 20px}
h2{margin:0 0 8px;font-size:19px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:14px}
th,td{border-bottom:1px solid #e6e6e6;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f0f2f4}
.figures{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
.figure{background:#eef4fa;border-radius:6px;padding:8px 14px;min-width:140px}
.figure b{display:block;font-size:22px}.figure span{font-size:13px;color:#445}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}.charts svg{flex:1 1 480px}
.meta{color:#555;font-size:13px}.skip{color:#8a5a00}.error{color:#b00020}
code{background:#f0f2f4;padding:1px 4px;border-radius:3px}header code{background:rgba(255,255,255,.18)}
#summary td,#summary th{text-align:left}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px}dt{color:#555}dd{margin:0}
"""


def render_html(report: dict[str, Any]) -> str:
    """One self-contained HTML page: inline CSS and SVG, no script, nothing fetched."""
    run, tasks = report["run"], report["tasks"]
    e = escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        # Nothing may be fetched: the page is one file, its charts are inline SVG.
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        f"<title>newsevents evaluation, {e(run['date'])}</title><style>{CSS}</style></head><body>",
        f"<header><h1>newsevents evaluation</h1><p>{e(run['date'])} · commit <code>{e(run['commit'])}</code> · "
        f"newsevents {e(run['version'])}{' · limit ' + str(run['limit']) + ' per task' if run['limit'] else ''}"
        "</p></header><main>",
        "<section id='summary'><h2>Summary</h2><table><tr><th>task</th><th>scored</th><th>figures</th>"
        "<th>seconds</th></tr>",
    ]
    for t in tasks:
        parts.append(f"<tr><td><a href='#{e(t['key'])}'>{e(t['title'])}</a></td><td>{e(_status(t))}</td>"
                     f"<td>{e(_headline(t))}</td><td>{t.get('seconds', '')}</td></tr>")
    parts.append("</table></section>")
    for t in tasks:
        parts.append(f"<section id='{e(t['key'])}'><h2>{e(t['title'])}</h2>")
        if "skipped" in t or "error" in t:
            cls = "skip" if "skipped" in t else "error"
            parts.append(f"<p class='{cls}'>{'Skipped' if cls == 'skip' else 'Failed'}: {e(t.get('skipped') or t['error'])}</p>"
                         "</section>")
            continue
        parts.append(f"<p class='meta'>gold <code>{e(t['gold'])}</code> ({e(t['gold_size'])}); scored {e(t['items'])}; "
                     f"{t['seconds']} s</p><div class='figures'>")
        parts += [f"<div class='figure'><b>{e(_fmt(v))}</b><span>{e(name)}</span></div>" for name, v in t["figures"]]
        parts.append("</div>")
        for table in t.get("tables", []):
            parts.append(f"<h3>{e(table['title'])}</h3><table><tr>" + "".join(f"<th>{e(c)}</th>" for c in table["columns"])
                         + "</tr>")
            parts += ["<tr>" + "".join(f"<td>{e(_fmt(v))}</td>" for v in row) + "</tr>" for row in table["rows"]]
            parts.append("</table>")
        parts.append("<div class='charts'>" + "".join(charts(t)) + "</div>")
        parts += [f"<p class='meta'>{_code(e(n))}</p>" for n in t.get("notes", [])]
        parts.append("</section>")
    parts.append("<section id='run'><h2>Run</h2><dl>")
    for k in ("date", "commit", "version", "python", "spacy", "platform", "gold", "limit", "seconds", "command"):
        v = run.get(k)
        parts.append(f"<dt>{e(k)}</dt><dd>{e('none' if v is None else v if isinstance(v, str) else _fmt(v))}</dd>")
    parts.append("</dl></section></main></body></html>")
    return "\n".join(parts)


def _code(escaped: str) -> str:
    """Markdown `code` spans in an escaped note as <code>."""
    import re

    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def _status(t: dict[str, Any]) -> str:
    return "skipped" if "skipped" in t else "failed" if "error" in t else t["items"]


def _headline(t: dict[str, Any]) -> str:
    return "; ".join(f"{name} {_fmt(v)}" for name, v in t.get("figures", []))


def render_markdown(report: dict[str, Any], html_link: str | None = None) -> str:
    """The figures as Markdown (tables only), for docs/evaluation.md."""
    run = report["run"]
    lines = [f"Run on {run['date']}, commit `{run['commit']}`, newsevents {run['version']}, {run['spacy']}, "
             f"{run['platform']}; {run['seconds']} s."
             + (f" Limited to {run['limit']} items per task." if run["limit"] else ""), ""]
    if html_link:
        lines += [f"The whole report, with per-class charts, confusion matrix and calibration: "
                  f"[{Path(html_link).name}]({html_link}).", ""]
    lines += ["| task | scored | figures |", "|---|---|---|"]
    lines += [f"| [{t['title']}](#{t['key']}) | {_status(t)} | {_headline(t) or t.get('skipped') or t.get('error')} |"
              for t in report["tasks"]]
    for t in report["tasks"]:
        lines += ["", f"### {t['title']} {{#{t['key']}}}", ""]
        if "skipped" in t or "error" in t:
            lines.append(f"{'Skipped' if 'skipped' in t else 'Failed'}: {t.get('skipped') or t['error']}")
            continue
        lines += [f"Gold `{_short_path(t['gold'])}`; scored {t['items']}.", ""]
        for table in t.get("tables", []):
            lines += [f"**{table['title']}**", "", "| " + " | ".join(table["columns"]) + " |",
                      "|" + "---|" * len(table["columns"])]
            lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in table["rows"]]
            lines.append("")
        for c in t.get("confusions", []):
            lines += [f"**{c['title']}** (rows gold, columns predicted)", "",
                      "| gold \\ predicted | " + " | ".join(x.split()[0] for x in c["labels"]) + " |",
                      "|" + "---|" * (len(c["labels"]) + 1)]
            lines += [f"| {lab} | " + " | ".join(str(v) for v in row) + " |" for lab, row in zip(c["labels"], c["matrix"])]
            lines.append("")
        for cal in t.get("calibrations", []):
            lines += [f"**{cal['title']}**: ECE {cal['ece']:.3f} over {cal['n']:,} sentences with an event", "",
                      "| confidence | n | mean confidence | share correct |", "|---|---|---|---|"]
            lines += [f"| {b['low']:.1f}–{b['high']:.1f} | {b['n']:,} | {b['confidence']:.3f} | {b['accuracy']:.3f} |"
                      for b in cal["bins"] if b["n"]]
            lines.append("")
        for n in t.get("notes", []):
            lines += [n, ""]
    return "\n".join(lines).rstrip() + "\n"


def _short_path(path: str) -> str:
    """A gold path from its ``gold/`` folder on, so the docs do not show one machine's layout."""
    p = Path(path)
    return str(Path(*p.parts[p.parts.index("gold"):])) if "gold" in p.parts else p.name


START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def write_markdown(report: dict[str, Any], path: str | Path, html_link: str | None = None) -> None:
    """Write the figures into ``path``: between its START and END markers when it has them (the
    page's own text stays), else as the whole file."""
    path = Path(path)
    figures = render_markdown(report, html_link)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        figures = f"{head}{START}\n{figures}{END}{rest.split(END, 1)[1]}"
    path.write_text(figures, encoding="utf-8")


def write_report(report: dict[str, Any], html: str | Path | None = None, markdown: str | Path | None = None,
                 json_path: str | Path | None = None) -> None:
    """Write the report in the forms asked for."""
    if html:
        Path(html).write_text(render_html(report), encoding="utf-8")
    if markdown:
        link = os.path.relpath(Path(html).resolve(), Path(markdown).resolve().parent) if html else None
        write_markdown(report, markdown, html_link=link)
    if json_path:
        Path(json_path).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
