"""`newsevents evaluate all --report`: the runs, the self-contained HTML, and the page in Chromium.

Most tests score a tiny gold folder written here (our own sentences and articles, in the
formats of shared/gold), so they run everywhere; one runs every scorer on the real development
gold with a tiny --limit, skipped where ../shared is absent.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil

import pytest
from typer.testing import CliRunner

from newsevents.charts import bars, columns, heatmap, reliability
from newsevents.cli import app
from newsevents.evaluation.report import TASKS, calibration, render_html, render_markdown, run_all, write_markdown

SENTENCES = [  # (text, quad class) in the ConfliBERT class file's format
    ("Russia accused Ukraine of shelling villages in the Donbas.", 3),
    ("The United States urged Russia to withdraw its troops from the border.", 1),
    ("Turkish troops attacked Kurdish fighters near the border.", 4),
    ("France sent humanitarian aid to Lebanon.", 2),
    ("The weather in Paris was mild on Tuesday.", 0),
]
NER = [  # CoNLL BIO: S source, T target
    [("Russia", "B-S"), ("accused", "O"), ("Ukraine", "B-T"), ("of", "O"), ("shelling", "O"), (".", "O")],
    [("The", "B-S"), ("United", "I-S"), ("States", "I-S"), ("urged", "O"), ("Russia", "B-T"), ("to", "O"),
     ("withdraw", "O"), (".", "O")],
]
ARTICLE = ('The minister said the talks had failed. "We will not give up," Ivan Petrov told reporters on Monday. '
           "Officials said the border would stay closed.")
PAGE = ("<html><head><title>Talks fail</title></head><body><nav>Home | World | Sport</nav><article><h1>Talks fail"
        "</h1>{}</article><footer>Copyright 2024 Example News</footer></body></html>")
BODY = ("<p>The foreign ministers of both countries met in Geneva on Monday for a third round of talks on the "
        "border dispute, which has closed two crossings since the spring.</p><p>Neither side reported progress, "
        "and a spokesman for the ministry said that the next meeting had not been scheduled yet.</p>")


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    """A gold folder laid out as shared/gold, with a few items per task."""
    root = tmp_path_factory.mktemp("gold")
    (root / "events").mkdir()
    (root / "events" / "conflibert-cameo-class-train.tsv").write_text(
        "".join(f"{t}\t{label}\n" for t, label in SENTENCES), encoding="utf-8")
    (root / "events" / "conflibert-cameo-ner-train.txt").write_text(
        "\n\n".join("\n".join(f"{tok} {tag}" for tok, tag in s) for s in NER) + "\n", encoding="utf-8")
    polnear = root / "quotes" / "polnear" / "dev"
    (polnear / "text").mkdir(parents=True)
    (polnear / "attributions").mkdir()
    (polnear / "text" / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    q_start = ARTICLE.index("We will")
    q_end = ARTICLE.index(",", q_start)
    s_start = ARTICLE.index("Ivan Petrov")
    c_start = ARTICLE.index("told")
    (polnear / "attributions" / "a1_0001.ann").write_text(
        f"T1\tContent {q_start} {q_end}\t{ARTICLE[q_start:q_end]}\n"
        f"T2\tSource {s_start} {s_start + 11}\tIvan Petrov\n"
        f"T3\tCue {c_start} {c_start + 4}\ttold\n"
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2\n", encoding="utf-8")
    l3s = root / "extraction" / "l3s-gn1"
    (l3s / "input").mkdir(parents=True)
    (l3s / "GoldStandard").mkdir()
    (l3s / "input" / "p1.html.gz").write_bytes(gzip.compress(PAGE.format(BODY).encode()))
    marked = BODY.replace("<p>", '<p><span class="x-nc-sel2">').replace("</p>", "</span></p>")
    (l3s / "GoldStandard" / "p1.txt.gz").write_bytes(gzip.compress(PAGE.format(marked).encode()))
    return root


@pytest.fixture(scope="module")
def report_files(gold, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(app, ["evaluate", "all", "--gold", str(gold), "--report", str(out / "report.html"),
                                      "--markdown", str(out / "figures.md"), "--json", str(out / "report.json")])
    assert result.exit_code == 0, result.output
    return out


def test_every_task_runs_on_a_small_gold_folder(gold, report_files):
    report = json.loads((report_files / "report.json").read_text())
    by_key = {t["key"]: t for t in report["tasks"]}
    assert list(by_key) == list(TASKS)
    for key in ("events", "actors", "quotes", "extraction"):
        task = by_key[key]
        assert "error" not in task and "skipped" not in task, task
        assert task["figures"] and all(0.0 <= v <= 1.0 for _, v in task["figures"]), task["figures"]
    ev = by_key["events"]
    assert ev["items"] == "5 of 5 sentences"
    assert [c["title"] for c in ev["confusions"]] == ["Confusion matrix, rules only"]  # 5 sentences: too few to fold
    assert sum(map(sum, ev["confusions"][0]["matrix"])) == 5
    assert [row[0] for row in ev["tables"][0]["rows"]][0] == "0 neutral"
    cal = ev["calibrations"][0]
    assert sum(b["n"] for b in cal["bins"]) == cal["n"] > 0
    # the one-page extraction gold: our ingest finds the article and not the menu or the footer
    assert by_key["extraction"]["tables"][0]["rows"][0][3] > 0.9
    assert by_key["quotes"]["items"].startswith("1 of 1 articles, 1 gold attributions")
    run = report["run"]
    assert run["commit"] and run["date"] and run["gold"] == str(gold.resolve())
    assert run["command"].startswith("newsevents ")


def test_the_report_is_one_self_contained_page(report_files):
    html = (report_files / "report.html").read_text()
    assert html.count("<svg") >= 5  # per-class bars, spans, quotes, extraction, confusion matrix, calibration
    assert "Confusion matrix, rules only" in html and "Calibration, rules only" in html
    assert "default-src 'none'" in html  # the browser may fetch nothing
    assert not re.search(r"<script|<link|@import|src=['\"]http|href=['\"]http", html)
    figures = (report_files / "figures.md").read_text()
    assert "| task | scored | figures |" in figures and "Events: quad class" in figures


def test_gold_text_cannot_inject_markup():
    task = {"key": "x", "title": "<script>alert(1)</script>", "gold": "<img src=x onerror=alert(2)>",
            "gold_size": "1 MB", "items": "1", "seconds": 0.1, "figures": [("F1 <b>", 0.5)],
            "tables": [{"title": "t", "columns": ["class", "P", "R", "F1"], "rows": [["<i>x</i>", 0.1, 0.2, 0.3]]}],
            "notes": ["`<script>`"]}
    html = render_html({"run": {"date": "d", "commit": "c", "version": "v", "limit": None, "command": "<script>"},
                        "tasks": [task]})
    assert "<script" not in html and "<img" not in html and "<i>x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_missing_gold_is_skipped_with_a_reason(tmp_path):
    report = run_all(tmp_path, tasks=("events", "quotes"))
    assert [t["skipped"] for t in report["tasks"]] == [
        f"no gold at {tmp_path / 'events' / 'conflibert-cameo-class-train.tsv'}",
        f"no gold at {tmp_path / 'quotes' / 'polnear' / 'dev'}"]
    with pytest.raises(ValueError, match="unknown evaluation"):
        run_all(tmp_path, tasks=("event",))


def test_unknown_task_is_refused_by_the_cli(gold, tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "all", "--gold", str(gold), "--task", "nope",
                                      "--report", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "valid: events, actors" in result.output
    assert not (tmp_path / "r.html").exists()


def test_calibration_bins_and_expected_calibration_error():
    def rec(conf, quad):
        return {"quad_class": quad, "events": [{"confidence": conf, "principal": True}]}

    records = [rec(0.95, 1), rec(0.95, 1), rec(0.95, 3), rec(0.35, 2), {"quad_class": 0, "events": []}]
    labels = [1, 1, 1, 0, 0]
    c = calibration(records, labels)
    assert c["n"] == 4  # the sentence without an event is left out
    top, low = c["bins"][9], c["bins"][3]
    assert (top["n"], round(top["accuracy"], 3), round(top["confidence"], 2)) == (3, 0.667, 0.95)
    assert (low["n"], low["accuracy"]) == (1, 0.0)
    assert c["ece"] == pytest.approx((3 * abs(2 / 3 - 0.95) + 1 * 0.35) / 4)
    assert calibration([rec(1.0, 1)], [1])["bins"][9]["n"] == 1  # confidence 1.0 falls in the last bin


def test_markdown_figures_replace_only_the_marked_part(tmp_path):
    page = tmp_path / "evaluation.md"
    page.write_text("# Evaluation\n\nintro\n\n<!-- figures:start -->\nSTALE FIGURES\n<!-- figures:end -->\n\nafter\n")
    report = {"run": {"date": "2024-01-01 00:00 UTC", "commit": "abc", "version": "0", "spacy": "s", "platform": "p",
                      "seconds": 1.0, "limit": None},
              "tasks": [{"key": "geo", "title": "Places", "skipped": "no gold"}]}
    write_markdown(report, page, html_link="evaluation/report.html")
    text = page.read_text()
    assert text.startswith("# Evaluation\n\nintro\n\n<!-- figures:start -->\nRun on 2024-01-01")
    assert "STALE" not in text and text.endswith("<!-- figures:end -->\n\nafter\n")
    assert "[report.html](evaluation/report.html)" in text
    assert render_markdown(report).count("Skipped: no gold") == 1


def test_charts_are_svg_with_escaped_labels():
    svgs = [bars({"F1": [0.5, 1.2]}, ["a<b", "c"], "t"), heatmap([[1, 0], [2, 3]], ["x", "y"], ["x", "y"], "m"),
            reliability([{"low": 0.5, "high": 0.6, "n": 2, "confidence": 0.55, "accuracy": 0.5}], "r"),
            columns(["2022-01", "2022-02"], {"conflict": [1, 2], "cooperation": [0, 3]}, "c")]
    for svg in svgs:
        assert svg.startswith("<svg") and svg.endswith("</svg>") and "<title>" in svg
    assert "a&lt;b" in svgs[0] and "a<b" not in svgs[0]


@pytest.mark.slow
def test_every_scorer_on_the_development_gold(shared, tmp_path):
    """The real gold, two items per task: every scorer runs end to end (figures are in docs/evaluation.md)."""
    result = CliRunner().invoke(app, ["evaluate", "all", "--gold", str(shared / "gold"), "--limit", "2",
                                      "--report", str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    tasks = json.loads((tmp_path / "r.json").read_text())["tasks"]
    assert not [t for t in tasks if "error" in t], tasks
    assert {t["key"] for t in tasks if "figures" in t} >= {"events", "actors", "quotes", "extraction", "geo"}


@pytest.mark.slow
def test_events_model_is_scored_by_cross_validation(shared, tmp_path):
    report = run_all(shared / "gold", limit=30, tasks=("events",), cv=3)
    ev = report["tasks"][0]
    assert "error" not in ev, ev
    assert [t["title"] for t in ev["tables"]] == ["Per class, rules only", "Per class, rules + model, 3-fold cross-validation"]
    cv_cal = ev["calibrations"][1]
    assert cv_cal["n"] > 0 and sum(b["n"] for b in cv_cal["bins"]) == cv_cal["n"]


@pytest.mark.browser
def test_report_shows_its_plots_in_chromium(browser, report_files, tmp_path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: errors.append(f"fetched {r.url}") if not r.url.startswith(("file:", "data:")) else None)
    page.goto((report_files / "report.html").as_uri())
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000  # a page of charts, not a blank one
    if os.environ.get("NEWSEVENTS_SCREENSHOTS"):  # keep it to look at
        shutil.copy(shot, os.environ["NEWSEVENTS_SCREENSHOTS"])
    boxes = page.evaluate("""() => [...document.querySelectorAll('svg')].map(s => {
        const r = s.getBoundingClientRect(); return [r.width, r.height, s.querySelectorAll('rect').length]; })""")
    assert len(boxes) >= 5 and all(w > 200 and h > 100 and n > 1 for w, h, n in boxes), boxes
    # every plot is drawn where it is laid out: the element at a bar's centre is that bar
    page.locator("#events .charts svg").first.scroll_into_view_if_needed()
    visible = page.evaluate("""() => [...document.querySelectorAll('#events .charts svg')].map(s => {
        const bar = [...s.querySelectorAll('rect')].find(r => r.getBoundingClientRect().width > 4
                                                            && r.getBoundingClientRect().height > 4);
        if (!bar) return false;
        bar.scrollIntoView({block: 'center'});
        const b = bar.getBoundingClientRect();
        const el = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
        return el !== null && el.closest('svg') === s; })""")
    assert visible and all(visible), visible
    assert not errors, errors
    page.close()
