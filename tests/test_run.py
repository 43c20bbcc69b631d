"""Batch runs: every article once, resumable after kill -9, failures reported, workers equal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsevents import get_pipeline
from newsevents.cli import app
from newsevents.data import SAMPLE_CORPUS, data_path
from newsevents.ingest import Unit
from newsevents.model import Document, Rejection
from newsevents.pipeline import STAGE_FACTORIES
from newsevents.run import Listener, run
from newsevents.run import _chunks
from newsevents.run.progress import count_inputs
from newsevents.run.work import KnownIds
from newsevents.settings import Settings
from newsevents.store import open_store

SRC = str(Path(__file__).resolve().parents[1] / "src")
SMALL = dict(batch_size=2, commit_every=2)


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Ten real articles from the bundled sample corpus, as a JSONL dump."""
    lines = data_path("samples", SAMPLE_CORPUS).read_text(encoding="utf-8").splitlines()[:10]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(path) -> dict:
    """What a run leaves in the store, without the times it was written."""
    with open_store(path, read_only=True) as s:
        def table(kind, *keys):
            rows = s.reader(kind).read_all()
            rows = rows.drop_columns([c for c in ("added_at",) if c in rows.column_names])
            return rows.sort_by([(k, "ascending") for k in keys]).to_pylist()

        return {
            "order": s.sql("SELECT article_id FROM articles ORDER BY rowid").article_id.tolist(),
            "documents": {d.article.id: d.to_dict() for d in s.documents()},
            "events": table("events", "event_num"),
            "mentions": table("mentions", "mention_id"),
            "quotes": table("quotes", "article_id", "idx"),
        }


def test_run_writes_every_article_then_skips_them(corpus, tmp_path):
    store = tmp_path / "s.duckdb"
    first = run([corpus], Settings(workers=1, **SMALL), store=store)
    assert (first.written, first.stored, first.failed, first.ok) == (10, 0, 0, True)
    assert first.total == first.inputs == 10 and first.mentions > 0
    again = run([corpus], Settings(workers=1, **SMALL), store=store)
    assert (again.written, again.stored) == (0, 10)
    with open_store(store, read_only=True) as s:
        assert s.counts()["articles"] == 10


def test_articles_in_every_language_are_stored_and_only_english_is_coded(tmp_path):
    folder = tmp_path / "world"
    folder.mkdir()
    texts = {  # written for this test
        "en.txt": "Russia accused Ukraine of shelling villages in the Donbas on Tuesday. "
                  "NATO foreign ministers met in Brussels to discuss security guarantees in Europe.",
        "ru.txt": "Россия обвинила Украину в обстреле деревень в Донбассе во вторник. "
                  "Министры иностранных дел НАТО встретились в Брюсселе, чтобы обсудить безопасность.",
        "ar.txt": "اتهمت روسيا أوكرانيا بقصف قرى في دونباس يوم الثلاثاء. "
                  "واجتمع وزراء خارجية حلف شمال الأطلسي في بروكسل لمناقشة الضمانات الأمنية.",
        "zh.txt": "俄罗斯周二指责乌克兰炮击顿巴斯的村庄。北约外长在布鲁塞尔举行会议，讨论欧洲的安全保障问题。",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = run([folder], Settings(workers=1, **SMALL), store=tmp_path / "s.duckdb")
    assert (report.written, report.failed, report.ok) == (4, 0, True)
    with open_store(tmp_path / "s.duckdb", read_only=True) as s:
        articles = {r["language"]: r for r in s.articles().to_dict("records")}
        assert set(articles) == {"en", "ru", "ar", "zh"}
        assert articles["en"]["n_events"] > 0
        for lang in ("ru", "ar", "zh"):
            a = articles[lang]
            assert a["body"].strip() and a["n_events"] == 0 and a["n_places"] == 2  # Russia and Ukraine
            assert any(f"'{lang}'" in w and "not coded" in w for w in a["warnings"])
        ru = s.articles(language="ru")
        assert list(ru["language"]) == ["ru"]


def test_rejections_and_failing_articles_are_reported_and_the_run_goes_on(corpus, tmp_path, monkeypatch):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "no text"}\nnot json\n', encoding="utf-8")

    class Fussy:  # a stage that cannot handle one article
        name = "tone"

        def __call__(self, doc: Document) -> Document:
            if "Iraq" in (doc.article.title or ""):
                raise ValueError("cannot take this one")
            return doc

    monkeypatch.setitem(STAGE_FACTORIES, "tone", lambda settings: Fussy())
    get_pipeline.cache_clear()
    seen = []

    class Seen(Listener):
        def rejection(self, r):
            seen.append(r.reason)

        def failure(self, f):
            seen.append(f.reason)

    try:
        report = run([bad, corpus, tmp_path / "missing.txt"], Settings(workers=1, stages=("parse", "tone"), **SMALL),
                     store=tmp_path / "s.duckdb", listener=Seen())
    finally:
        get_pipeline.cache_clear()
    iraq = sum("Iraq" in json.loads(line)["title"] for line in corpus.read_text().splitlines())
    assert iraq >= 1
    assert report.rejected == {"bad-record": 2, "unsupported": 1}
    assert report.failed == iraq and report.failures[0].reason == "ValueError: cannot take this one"
    assert report.written == 10 - iraq and not report.ok
    assert sorted(seen) == sorted(["bad-record", "bad-record", "unsupported"] + ["ValueError: cannot take this one"] * iraq)


KILLED_RUN = textwrap.dedent("""
    import sys, time
    from newsevents.run import Listener, run
    from newsevents.settings import Settings

    class Slow(Listener):  # slow commits down so the run is surely killed half-way
        written = 0
        def progress(self, report):
            if report.written > self.written:
                self.written = report.written
                print(report.written, flush=True)
                time.sleep(0.4)

    run([sys.argv[1]], Settings(workers=2, batch_size=2, commit_every=2), store=sys.argv[2], listener=Slow())
    print("finished", flush=True)
""")


def test_a_killed_run_resumes_with_every_article_exactly_once(corpus, tmp_path):
    psutil = pytest.importorskip("psutil")
    store = tmp_path / "killed.duckdb"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(corpus), str(store)], stdout=subprocess.PIPE,
                            text=True, env=env)
    try:
        line = proc.stdout.readline()
        while line and line.strip() != "finished" and int(line) < 4:
            line = proc.stdout.readline()
        assert line and line.strip() != "finished", "the run ended before it could be killed"
        workers = psutil.Process(proc.pid).children(recursive=True)
        assert workers, "the run has no worker processes"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    _, alive = psutil.wait_procs(workers, timeout=20)
    assert not alive, "worker processes outlived the killed run"

    with open_store(store, read_only=True) as s:
        before = s.counts()["articles"]
    assert 4 <= before < 10
    resumed = run([corpus], Settings(workers=1, **SMALL), store=store)
    assert (resumed.stored, resumed.written) == (before, 10 - before)
    clean = tmp_path / "clean.duckdb"
    run([corpus], Settings(workers=1, **SMALL), store=clean)
    # every article exactly once, and the same store a run without the kill leaves
    assert snapshot(store) == snapshot(clean)
    with open_store(store, read_only=True) as s:
        n, ids = s.sql("SELECT count(*) AS n, count(DISTINCT mention_id) AS ids FROM mentions").iloc[0]
        assert n == ids and s.counts()["articles"] == 10


def test_known_ids_snapshot():
    known = KnownIds(["00000000000000ff", "ffffffffffffffff", "empty", "art00000001"])
    assert known(["00000000000000ff", "00000000000000fe", "empty", "art00000002", "ffffffffffffffff"]) == {
        "00000000000000ff", "empty", "ffffffffffffffff"}
    assert KnownIds([])(["00000000000000ff"]) == set()


def test_chunks_close_at_a_size_or_a_byte_budget(monkeypatch):
    import newsevents.run as r

    monkeypatch.setattr(r, "MAX_CHUNK_BYTES", 100)
    items = [Unit(f"f{i}", "text", b"x" * (60 if i in (3, 4) else 1)) for i in range(7)]
    bad = Rejection("g", "empty", "nothing")
    rejected = []
    chunks = list(_chunks(items[:2] + [bad] + items[2:], 3, rejected.append))
    # three inputs, then 61 + 60 bytes close a chunk of two, then the rest
    assert [[u.source for u in c] for c in chunks] == [["f0", "f1", "f2"], ["f3", "f4"], ["f5", "f6"]]
    assert rejected == [bad]


def test_count_inputs(tmp_path, corpus):
    (tmp_path / "a.txt").write_text("one article")
    csv = tmp_path / "d.csv"
    csv.write_text("title,text\nA,one\nB,two\n")
    assert count_inputs([str(tmp_path / "a.txt"), str(corpus), str(csv)], Settings()) == 1 + 10 + 2
    assert count_inputs(["-"], Settings()) is None


def test_run_command(corpus, tmp_path):
    runner = CliRunner()
    store = tmp_path / "cli.duckdb"
    r = runner.invoke(app, ["run", str(corpus), "--workers", "1", "--store", str(store), "--batch-size", "4"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.stderr.split())  # rich wraps lines at the console width
    assert "10 articles written" in said and "0 already stored" in said
    (tmp_path / "empty.txt").write_text("  ")
    r = runner.invoke(app, ["run", str(corpus), str(tmp_path / "empty.txt"), "-w", "1", "--store", str(store), "-q"])
    assert r.exit_code == 1
    said = " ".join(r.stderr.split())
    assert "10 already stored" in said and "1 inputs rejected (1 empty)" in said
    r = runner.invoke(app, ["run", str(corpus), "--scheduler", "tcp://nowhere:8786"])
    assert r.exit_code == 2 and "--engine dask" in r.output


def test_document_json_survives_the_trip_to_the_main_process(sample_doc):
    # workers send to_json(); the main process rebuilds the Document and stores that same JSON
    text = sample_doc.to_json()
    assert Document.from_dict(json.loads(text)).to_json() == text


def test_parses_do_not_outlive_their_documents(monkeypatch):
    # A batch run's memory stays flat only if each spaCy parse is freed once its document is done
    # (the actors stage once kept every parse alive through its per-parse analyses).
    import gc
    import weakref

    from newsevents.model import Article
    from newsevents.pipeline import Pipeline

    parses = []

    class Watch:
        name = "tone"

        def __call__(self, doc):
            parses.append(weakref.ref(doc.parse))
            return doc

    monkeypatch.setitem(STAGE_FACTORIES, "tone", lambda settings: Watch())
    pipeline = Pipeline(Settings(stages=("parse", "actors", "quotes", "events", "tone")))
    articles = [Article(id=f"{i:016x}", body=f"Russia accused Ukraine of shelling village {i}. He said so.")
                for i in range(150)]
    for _ in pipeline.pipe(articles):
        pass
    gc.collect()
    assert len(parses) == 150 and sum(r() is not None for r in parses) <= 64


def test_a_worker_of_the_built_in_stages_loads_spacy_without_torch():
    # in a fresh interpreter: the check marks torch absent for good in the process it runs in
    import subprocess
    import sys

    code = """
import sys
from newsevents.engines.local import _without_torch
from newsevents.settings import Settings
from newsevents.stages import register_stage
register_stage("mine", lambda settings: (lambda doc: doc), requires=("parse",))
_without_torch(Settings(stages=("parse", "mine")))
assert "torch" not in sys.modules or sys.modules["torch"] is not None  # a stage of your own keeps it
_without_torch(Settings())
assert "torch" in sys.modules and sys.modules["torch"] is None
import newsevents
doc = newsevents.code_document("Israeli jets bombed Hamas positions in Gaza.")
assert doc.events and "torch" in sys.modules and sys.modules["torch"] is None
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
