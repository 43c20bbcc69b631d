"""``newsevents evaluate ...``: score the pipeline against gold data (one command per task)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from .app import app
from ._common import console, make_settings, plain

evaluate_app = typer.Typer(help="Score the pipeline against gold data (P/R/F1).", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")


@evaluate_app.command("quotes")
def quotes(
    polnear: Path = typer.Option(..., "--polnear", help="A PolNeAR split folder (with text/ and attributions/), "
                                 "e.g. ../shared/gold/quotes/polnear/dev.", exists=True, file_okay=False),
    limit: int = typer.Option(None, "--limit", help="Score only the first N articles."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: bool = typer.Option(False, "--errors", help="Print where it goes wrong instead: every gold attribution "
                                "and predicted quote in one class, the cue words and frames missed, precision by rule."),
    quotes_model: str = typer.Option("shipped", "--quotes-model", help="The attribution reading: shipped (the cue "
                                     "classifier over the rules, the default), crf (the CRF tagger over the rules), tensor (the "
                                     "token head over the parse's vectors, over the rules), "
                                     "none (the rules alone), or a folder written by `newsevents train quotes`."),
) -> None:
    """Score quotes against PolNeAR attributions: content P/R/F1 (exact and by token overlap),
    cue P/R/F1 and speaker accuracy (see docs/quotes.md for how each is computed).

    Example: newsevents evaluate quotes --polnear ../shared/gold/quotes/polnear/dev
    """
    from ..evaluation.quotes import evaluate_polnear

    if errors:
        from ..evaluation.quote_errors import quote_errors

        print(quote_errors(polnear, make_settings(quotes_model=quotes_model), limit=limit))
        return
    scores = evaluate_polnear(polnear, make_settings(quotes_model=quotes_model), limit=limit)
    if json_out:
        console.print_json(json.dumps(scores))
        return
    table = Table("measure", "precision", "recall", "F1", title=f"Quotes on {plain(polnear)} ({scores['articles']} articles, "
                  f"{scores['gold']} gold attributions, {scores['predicted']} predicted quotes)")
    for key, label in (("content_overlap", "content (token overlap)"), ("content_exact", "content (exact)"),
                       ("cue_overlap", "cue (overlap)"), ("cue_exact", "cue (exact)")):
        m = scores[key]
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}")
    console.print(table)
    console.print(f"speaker accuracy {scores['speaker_accuracy']:.3f} (span overlaps the gold Source; shared-word rule "
                  f"{scores['speaker_words']:.3f}) over {scores['speaker_n']} matched attributions with a source",
                  highlight=False)
    console.print("content recall by gold cue type: " + ", ".join(
        f"{t} {m['recall']:.3f} ({m['n']})" for t, m in scores["recall_by_cue_type"].items()), highlight=False)


GOLD_EVENTS = Path("../shared/gold/events")


@evaluate_app.command("events")
def events(
    gold: Path = typer.Option(GOLD_EVENTS, "--gold", help="Folder with the ConfliBERT CAMEO class and NER files and "
                              "plv-train.tsv.", exists=True, file_okay=False),
    limit: int = typer.Option(None, "--limit", help="Score only the first N sentences of each file."),
    cv: int = typer.Option(5, "--cv", help="Folds for the cross-validated figures of the event type model (0: rules "
                           "only and the shipped model, no cross-validation)."),
    split: str = typer.Option("none", "--split", help="Also cross-validate the older quad-class model: random "
                              "(stratified folds), shift (grouped by root-verb lemma), both or none."),
    spans: bool = typer.Option(True, "--spans/--no-spans", help="Score the learned span tagger against the rules on "
                               "the ConfliBERT NER file and PLV (cross-validated with --cv, and each set left out)."),
    event_spans: str = typer.Option("none", "--event-spans", help="The span tagger the pipeline's span figures use: "
                                    "none (the rules), shipped, or a folder written by `newsevents train spans`."),
) -> None:
    """Each event gold set separately: rules alone, the event type model cross-validated and left out
    of one set at a time (the honest figures), its calibration; source/target spans.

    Example: newsevents evaluate events --gold ../shared/gold/events --cv 5
    """
    from ..evaluation.events import SPLITS, evaluate_events

    if split not in (*SPLITS, "both", "none"):
        raise typer.BadParameter(f"{split!r}: choose one of {', '.join(SPLITS)}, both or none", param_hint="--split")
    splits = () if split == "none" else SPLITS if split == "both" else (split,)
    result = evaluate_events(gold, make_settings(event_spans=event_spans), limit=limit, cv=cv, splits=splits,
                             span_model=spans)
    print_class_scores(result["classes"], "ConfliBERT quad class, rules only (no training; written from the codebooks)")
    for name, how in (("random", "random folds"), ("shift", "folds by root verb")):
        if f"classes_{name}" in result:
            print_class_scores(result[f"classes_{name}"], f"quad class, rules + quad-class model, {cv}-fold CV, {how}")
    print_span_scores(result["spans"])
    if "span_model" in result:
        console.rule("[bold]span tagger against the rules (ConfliBERT NER; PLV's marked dyads)")
        print_span_model(result["span_model"], cv)
    print_challenge_scores()
    if cv > 1:
        print_model_scores(gold, cv, limit)


def print_challenge_scores() -> None:
    from ..evaluation.challenge import CHALLENGE, evaluate_challenge

    console.rule("[bold]challenge set (our own snippets: checks the mechanisms, not a measure of generalisation)")
    result = evaluate_challenge()
    for name, title in (("rules", "rules"), ("keywords", "four-regex keyword baseline")):
        s = result[name]
        recall = ", ".join(f"{t} {r:.3f} ({n})" for t, (r, n) in s.recall.items())
        principal = f"; principal event right {s.principal[0]:.3f} ({s.principal[1]})" if s.principal[1] else ""
        console.print(f"{title}: n={s.n} recall {recall}{principal}; disaster false alarms {s.false_alarms[0]:.3f} "
                      f"({s.false_alarms[1]})", highlight=False)
    console.print(f"({CHALLENGE.name}; misses: python -m newsevents.evaluation.challenge)", highlight=False)


def print_span_model(result: dict, k: int) -> None:
    """Exact and overlap F1, sources and targets apart: the rules, then rules + tagger."""
    for name, title in (("conflibert", "ConfliBERT NER"), ("plv", "PLV marked dyads")):
        got = result[name]
        for key, how in (("cv", f"{k}-fold CV (trained on the other folds and all of the other set)"),
                         ("loso", "trained on the other set only")):
            if key not in got:
                continue
            console.print(f"[bold]{title} ({got['lines']} lines), {how}", highlight=False)
            for who in ("rules", "learned"):
                s = got[key][who]
                console.print(f"  {who:8s} " + "  ".join(
                    f"{role}: exact {s[part]['exact'][2]:.3f} overlap {s[part]['overlap'][2]:.3f}"
                    for part, role in (("all", "all"), ("S", "source"), ("T", "target"))), highlight=False)
    console.print("PLV marks one dyad a sentence: a right span of another event counts as a false positive there.",
                  highlight=False)


def print_model_scores(gold: Path, k: int, limit: int | None) -> None:
    from ..evaluation.event_model import evaluate_model

    console.rule("[bold]event type model (rules propose, the model decides)")
    result = evaluate_model(gold, k=k, limit=limit, log=lambda m: console.print(m, highlight=False))
    for title, group in (("rules alone, every line", result.rules), (f"{k}-fold CV grouped by sentence", result.cv),
                         ("leave one set out (trained without the set scored)", result.loso),
                         ("rules alone on the same lines", result.loso_rules)):
        console.print(f"[bold]{title}", highlight=False)
        for name, s in group.items():
            console.print(f"  {describe(name, s)}", highlight=False)
    console.print(f"calibration (expected calibration error of `confidence`, cross-validated): the rules' own "
                  f"{result.ece_rules:.3f}; the model's probability {result.ece_before:.3f}, "
                  f"{result.ece_after:.3f} after temperature {result.temperature:.2f}", highlight=False)


def describe(name: str, s) -> str:
    from ..evaluation.event_model import PlvScores

    if isinstance(s, PlvScores):
        return (f"{name}: PLV PLOVER type n={s.n} accuracy={s.accuracy:.3f} macro-F1={s.macro_f1:.3f} "
                f"dyad linked={s.linked:.3f} commonest wrong {s.confused}")
    return f"{name}: ConfliBERT quad class n={s.n} accuracy={s.accuracy:.3f} macro-F1={s.macro_f1:.3f}"


def print_class_scores(c, title: str) -> None:
    from rich.table import Table

    console.rule(f"[bold]{title}")
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


def print_span_scores(s) -> None:
    console.rule("[bold]source/target spans (pipeline as shipped)")
    ep, er, ef = s.exact
    op, orr, of = s.overlap
    console.print(f"actor spans: n={s.n} exact P={ep:.3f} R={er:.3f} F1={ef:.3f}; overlap P={op:.3f} R={orr:.3f} "
                  f"F1={of:.3f}", highlight=False)
    for role, (p, r, f) in s.by_role.items():
        console.print(f"  {'source' if role == 'S' else 'target'}: exact P={p:.3f} R={r:.3f} F1={f:.3f}", highlight=False)


GOLD_GEO = Path("../shared/gold/geo")


@evaluate_app.command("geo")
def geo(
    gold: Path = typer.Option(GOLD_GEO, "--gold", help="Folder with GWN.xml and GeoVirus.xml (or one of the files).",
                              exists=True),
    limit: int = typer.Option(None, "--limit", help="Score only the first N articles of each set."),
    errors: Path = typer.Option(None, "--errors", help="Write each missed or misplaced toponym (held-out ranker) to "
                                                       "this TSV file, the set's name first."),
) -> None:
    """Toponym recall and precision, and among found toponyms country accuracy (where the gold gives countries)
    and the share within 161 km of the gold point: each set with the rule resolver, with the ranker trained on the
    other set only (the figure that counts), and with the shipped ranker (trained on both: in-sample).

    Example: newsevents evaluate geo --gold ../shared/gold/geo
    """
    from ..evaluation.geo import evaluate_geo

    results = evaluate_geo(gold, limit=limit)
    print_geo_scores(results)
    if errors:
        errors.write_text("".join("\t".join(map(str, (r.name, *e))) + "\n" for r in results
                                  for e in (r.held_out or r.rules).errors), encoding="utf-8")


def print_geo_scores(results) -> None:
    console.rule("[bold]places: each set, with the ranker trained on the other set (held out)")
    console.print(f"{'set':<10} {'resolver':<16} {'n':>5} {'recall':>6} {'prec.':>6} {'country':>7} {'161 km':>6} "
                  f"{'id':>6}", highlight=False)
    for r in results:
        for label, g in (("rules", r.rules), ("ranker held out", r.held_out), ("ranker shipped", r.shipped)):
            if g is None:
                continue
            a = g.all
            country = f"{a.country:.3f}" if a.country_n else "-"
            exact = f"{a.exact_id:.3f}" if a.id_n else "-"
            console.print(f"{r.name:<10} {label:<16} {a.n:>5} {a.recall:>6.3f} {g.precision_geocoded:>6.3f} "
                          f"{country:>7} {a.within_161km:>6.3f} {exact:>6}", highlight=False)
    console.print("ranker held out: trained on the other set only; shipped: trained on both (in-sample). prec.: "
                  "predicted spans overlapping a geocoded gold toponym; country, 161 km and id (exact GeoNames id): "
                  "among the found toponyms; GeoVirus gives points only.", highlight=False)


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
    cv: int = typer.Option(5, "--cv", help="Folds for the cross-validated rules+model events figure (0: rules only)."),
    gate: bool = typer.Option(False, "--gate", help="Every task on its full gold sets, checked against the committed "
                              "floors (evaluation/floors.json): exit 1 when a figure drops below its floor or a gold "
                              "file changed."),
    update_floors: bool = typer.Option(False, "--update-floors", help="With --gate: write the figures measured as the "
                                       "new floors (raising them only)."),
    allow_regression: bool = typer.Option(False, "--allow-regression", help="With --update-floors: also lower floors "
                                          "(and accept changed gold); say why in the commit."),
    floors: Path = typer.Option(None, "--floors", help="With --gate: this floors file instead of the shipped one."),
) -> None:
    """Run every evaluation against the gold and write one self-contained HTML report (figures, per-class
    P/R/F1, confusion matrix, confidence calibration, the data and commit it ran on).

    Example: newsevents evaluate all --gold ../shared/gold --report report.html --limit 50

    The gate: newsevents evaluate all --gate (then --update-floors to raise the floors; see docs/evaluation.md)
    """
    import shlex

    from ..evaluation.report import TASKS, run_all, write_report

    bad = [t for t in task or () if t not in TASKS]
    if bad:
        raise typer.BadParameter(f"unknown evaluation {', '.join(bad)}; valid: {', '.join(TASKS)}", param_hint="--task")
    if (update_floors or allow_regression or floors) and not gate:
        raise typer.BadParameter("--update-floors, --allow-regression and --floors go with --gate", param_hint="--gate")
    if allow_regression and not update_floors:
        raise typer.BadParameter("--allow-regression lowers floors: it goes with --update-floors",
                                 param_hint="--allow-regression")
    if gate and (limit or task or cv != 5):
        raise typer.BadParameter("the gate scores every task on its full gold: leave out --limit, --task and --cv",
                                 param_hint="--gate")

    def progress(key: str, result: dict) -> None:
        figures = "; ".join(f"{n} {v:.3f}" if isinstance(v, float) else f"{n} {v}" for n, v in result.get("figures", []))
        what = result.get("skipped") or result.get("error") or f"{result['items']}: {figures}"
        console.print(f"[bold]{key}[/] ({result['seconds']} s) {what}", highlight=False)

    args = ["--gold", gold, "--report", report, *(["--limit", limit] if limit else []), *(["--cv", cv] if cv != 5 else []),
            *[a for t in task or () for a in ("--task", t)]]
    command = "newsevents evaluate all " + " ".join(shlex.quote(str(a)) for a in args)
    if gate:
        from ..evaluation.gate import FLOORS_FILE, describe, run_gate

        checked, result = run_gate(gold, floors or FLOORS_FILE, update=update_floors, allow_regression=allow_regression,
                                   command=command + " --gate", progress=progress)
    else:
        result = run_all(gold, limit=limit, tasks=task or TASKS, command=command, cv=cv, progress=progress)
    write_report(result, html=report, markdown=markdown, json_path=json_path)
    console.print(f"report written to {plain(report)}", highlight=False)
    if gate:
        for line in describe(checked):
            console.print(line, highlight=False, markup=False)
        if not checked.passed:
            raise typer.Exit(1)
