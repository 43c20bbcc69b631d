"""``newsevents evaluate ...``: score the pipeline against gold data (one command per task)."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import console

evaluate_app = typer.Typer(help="Score the pipeline against gold data (P/R/F1).", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")

GOLD_EVENTS = Path("../shared/gold/events")


@evaluate_app.command("events")
def events(
    gold: Path = typer.Option(GOLD_EVENTS, "--gold", help="Folder with the ConfliBERT CAMEO class and NER files.",
                              exists=True, file_okay=False),
    limit: int = typer.Option(None, "--limit", help="Score only the first N sentences of each file."),
) -> None:
    """Quad-class accuracy, macro-F1, per-class P/R/F1 and confusion matrix; source/target span P/R/F1.

    Example: newsevents evaluate events --gold ../shared/gold/events
    """
    from ..evaluation.events import evaluate_events

    print_event_scores(evaluate_events(gold, limit=limit))


def print_event_scores(result: dict, title: str = "rules (never trained on these files)") -> None:
    from rich.table import Table

    c, s = result["classes"], result["spans"]
    console.rule(f"[bold]events: {title}")
    folds = f" · folds {', '.join(f'{f:.3f}' for f in c.folds)}" if c.folds else ""
    console.print(f"quad class: n={c.n} accuracy={c.accuracy:.3f} macro-F1={c.macro_f1:.3f}{folds}", highlight=False)
    t = Table("class", "P", "R", "F1", "n")
    for label, (p, r, f, n) in c.per_class.items():
        t.add_row(str(label), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(n))
    console.print(t)
    m = Table("gold \\ pred", *[str(i) for i in range(len(c.confusion))], title="confusion matrix")
    for i, row in enumerate(c.confusion):
        m.add_row(str(i), *[str(v) for v in row])
    console.print(m)
    ep, er, ef = s.exact
    op, orr, of = s.overlap
    console.print(f"actor spans: n={s.n} exact P={ep:.3f} R={er:.3f} F1={ef:.3f}; overlap P={op:.3f} R={orr:.3f} "
                  f"F1={of:.3f}", highlight=False)
    for role, (p, r, f) in s.by_role.items():
        console.print(f"  {'source' if role == 'S' else 'target'}: exact P={p:.3f} R={r:.3f} F1={f:.3f}", highlight=False)


GOLD_ROOT = Path("../shared/gold")


@evaluate_app.command("all")
def all_tasks(
    gold: Path = typer.Option(GOLD_ROOT, "--gold", help="The gold folder, laid out as shared/gold (events/, quotes/, "
                                                        "geo/, extraction/).", exists=True, file_okay=False),
    report: Path = typer.Option(Path("report.html"), "--report", help="Write the HTML report here."),
    markdown: Path = typer.Option(None, "--markdown", help="Also write the figures as Markdown (between the "
                                                           "<!-- figures:start/end --> markers when the file has them)."),
    json_path: Path = typer.Option(None, "--json", help="Also write the raw figures as JSON."),
    limit: int = typer.Option(None, "--limit", help="Score only the first N items (sentences, articles, pages) of "
                                                    "each gold set: a quick run."),
    task: list[str] = typer.Option(None, "--task", help="Run only this evaluation (events, actors, quotes, geo, "
                                                        "extraction); repeat for several."),
) -> None:
    """Run every evaluation against the gold and write one self-contained HTML report (figures, per-class
    P/R/F1, confusion matrix, confidence calibration, the data and commit it ran on).

    Example: newsevents evaluate all --gold ../shared/gold --report report.html --limit 50
    """
    import shlex

    from ..evaluation.report import TASKS, run_all, write_report

    bad = [t for t in task or () if t not in TASKS]
    if bad:
        raise typer.BadParameter(f"unknown evaluation {', '.join(bad)}; valid: {', '.join(TASKS)}", param_hint="--task")

    def progress(key: str, result: dict) -> None:
        figures = "; ".join(f"{n} {v:.3f}" if isinstance(v, float) else f"{n} {v}" for n, v in result.get("figures", []))
        what = result.get("skipped") or result.get("error") or f"{result['items']}: {figures}"
        console.print(f"[bold]{key}[/] ({result['seconds']} s) {what}", highlight=False)

    args = ["--gold", gold, "--report", report, *(["--limit", limit] if limit else []),
            *[a for t in task or () for a in ("--task", t)]]
    command = "newsevents evaluate all " + " ".join(shlex.quote(str(a)) for a in args)
    result = run_all(gold, limit=limit, tasks=task or TASKS, command=command, progress=progress)
    write_report(result, html=report, markdown=markdown, json_path=json_path)
    console.print(f"report written to {report}", highlight=False)
