"""Each case of issue 19, through the command line and the API: input that holds rich markup,
an unreadable folder, short and shifted CSV rows, a full disk, a damaged store, and filters that
must not select something else in silence. The inputs are generated into tmp_path.

The command line runs in this process (``newsevents.cli.main`` with ``sys.argv`` set: the exit
status, stderr and the store are what a user gets, without a fresh interpreter per case);
``run`` uses one worker, which codes in this process. The disk-full case fails the store's
write call once two articles are committed (a small file system is not available everywhere);
docs/reliability.md shows the same run on a real 1 MB tmpfs.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from factories import report
from fastapi.testclient import TestClient
from malformed import article

from newsevents.api import create_app
from newsevents.settings import Settings
from newsevents.store import DuckDBStore, open_store


# ------------------------------------------------------------------------------ helpers
def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``newsevents ARGS`` in this process: (exit status, stdout, stderr with lines joined)."""
    from newsevents.cli import _common, main

    for console in (_common.console, _common.err_console):
        monkeypatch.setattr(console, "_width", 10_000)  # no wrapping to parse
    monkeypatch.setattr(sys, "argv", ["newsevents", *args])
    capsys.readouterr()
    try:
        main()
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return status, out, " ".join(err.replace("\u2502", " ").split())  # Click's usage errors come in a box


def api(path: str) -> TestClient:
    return TestClient(create_app(Settings(store_path=str(path))), raise_server_exceptions=False)


def stored(path: Path) -> int:
    with open_store(path, read_only=True) as s:
        return s.counts()["articles"]


# ------------------------------------------------------------------------------ filters
BODIES = {
    "nato": "Russia warned NATO against expansion.",
    "alliance": "Russia rebuked representatives of the Alliance in Brussels.",
    "peskov": "Peskov criticised NATO on Monday.",
    "percent": "Prices rose 100% after the United States sanctioned Russia.",
}


@pytest.fixture(scope="module")
def filters_store(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A store of hand-built reports (no pipeline): article key -> id."""
    path = tmp_path_factory.mktemp("filters") / "store.duckdb"
    docs = {
        "nato": report(BODIES["nato"], trigger="warned", source=("Russia", "RUSGOV", "RUS", "GOV"),
                       target=("NATO", "IGOWSTNAT", None, "IGO"), cameo="111", plover="ACCUSE", quad=3,
                       published="2022-01-10"),
        "alliance": report(BODIES["alliance"], trigger="rebuked", source=("Russia", "RUSGOV", "RUS", "GOV"),
                           target=("representatives of the Alliance", "IGOWSTNAT", None, "IGO"), cameo="111",
                           plover="ACCUSE", quad=3, published="2022-02-11"),
        "peskov": report(BODIES["peskov"], trigger="criticised", source=("Peskov", "RUSGOV", "RUS", "GOV"),
                         target=("NATO", "IGOWSTNAT", None, "IGO"), cameo="111", plover="ACCUSE", quad=3,
                         published="2022-03-12"),
        "percent": report(BODIES["percent"], trigger="sanctioned", source=("the United States", "USA", "USA"),
                          target=("Russia", "RUS", "RUS"), cameo="163", plover="SANCTION", quad=4,
                          published="2022-04-13"),
    }
    with open_store(path) as s:
        s.write(list(docs.values()))
    return path, {k: d.article.id for k, d in docs.items()}


BAD_FILTERS = [  # (command line, API query, words of the message, a valid value it names)
    (["--cameo", "abc"], "cameo=abc", "unknown CAMEO code 'abc'", "01 MAKE PUBLIC STATEMENT"),
    (["--cameo", "99"], "cameo=99", "unknown CAMEO code '99'", "20 USE UNCONVENTIONAL MASS VIOLENCE"),
    (["--plover", "NOTAPLOVER"], "plover=NOTAPLOVER", "unknown PLOVER event type", "REQUEST"),
    (["--since", "notadate"], "since=notadate", "is not an ISO date", None),
    (["--since", "2023-01-01", "--until", "2022-01-01"], "since=2023-01-01&until=2022-01-01", "before since", None),
    (["--quad", "7"], "quad=7", "quad class must be 0..4", "4"),
    (["--dyad", "RUS"], "dyad=RUS", "should be SOURCE-TARGET", None),
    (["--limit", "-1"], "limit=-1", "limit", None),
    (["--limit", "0"], "limit=0", "limit", None),
    (["--offset", str(10**20)], f"offset={10**20}", "offset", None),
    (["--offset", str(2**63)], f"offset={2**63}", "offset", None),
    (["--text", "x" * 1001], "text=" + "x" * 1001, "at most 1,000", None),
]


@pytest.mark.parametrize("args, query, words, valid", BAD_FILTERS, ids=[c[1][:30] for c in BAD_FILTERS])
def test_a_bad_filter_is_exit_2_and_422_with_the_valid_values(filters_store, monkeypatch, capsys, args, query, words,
                                                              valid):
    path, _ = filters_store
    status, out, err = cli(monkeypatch, capsys, "query", *args, "--store", str(path))
    assert status == 2 and words in err and out == "", err
    if valid:
        assert valid in err
    r = api(path).get(f"/api/events?{query}")
    assert r.status_code == 422 and r.json()["error"] == "invalid-request", r.text
    assert words.split("'")[0].split()[0] in r.json()["detail"]
    if valid:
        assert valid in r.json()["valid"]


def test_filters_that_do_not_apply_and_unknown_parameters_are_refused(filters_store, monkeypatch, capsys):
    path, _ = filters_store
    status, _, err = cli(monkeypatch, capsys, "query", "quotes", "--cameo", "02", "--store", str(path))
    assert status == 2 and "cameo do not apply to quotes" in err
    status, _, err = cli(monkeypatch, capsys, "query", "--actr", "RUS", "--store", str(path))
    assert status == 2 and "--actr" in err
    client = api(path)
    r = client.get("/api/events?actr=RUS&source=RUS")
    assert r.status_code == 422 and r.json()["param"] == "actr" and "actor" in r.json()["valid"]
    assert client.get("/api/quotes?cameo=02").status_code == 422
    assert client.get("/api/health?verbose=1").status_code == 422
    assert client.get("/api/events?since=&cameo=&actor=").json()["total"] == 4  # empty form fields: no filter
    r = client.post("/api/extract?published=notadate", content=b"Russia accused Ukraine.")
    assert r.status_code == 422 and r.json()["param"] == "published"


def test_a_url_over_64_kb_is_414(filters_store):
    """Sent to the app as the server hands it over (HTTP clients refuse to send such a URL)."""
    path, _ = filters_store
    app = create_app(Settings(store_path=str(path)))
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    for size, status in ((100_000, 414), (60_000, 422)):  # under the limit: read (and too long a text)
        sent.clear()
        scope = {"type": "http", "method": "GET", "path": "/api/events", "raw_path": b"/api/events",
                 "query_string": b"text=" + b"a" * size, "headers": [(b"host", b"testserver")], "http_version": "1.1",
                 "scheme": "http", "server": ("testserver", 80), "client": ("127.0.0.1", 5000), "root_path": ""}
        asyncio.run(app(scope, receive, send))
        assert sent[0]["status"] == status
        if status == 414:
            assert json.loads(sent[1]["body"])["error"] == "uri-too-long"


def ids_cli(monkeypatch, capsys, path: Path, *args: str, kind: str = "events") -> list[str]:
    status, out, err = cli(monkeypatch, capsys, "query", kind, *args, "-f", "jsonl", "--store", str(path))
    assert status == 0, err
    return [json.loads(line)["event_id" if kind == "events" else "article_id"] for line in out.splitlines()]


def ids_api(path: Path, query: str) -> list[str]:
    r = api(path).get(f"/api/events?{query}")
    assert r.status_code == 200, r.text
    return [row["event_id"] for row in r.json()["items"]]


def test_names_and_codes_resolve_alike_in_the_cli_and_the_api(filters_store, monkeypatch, capsys):
    path, ids = filters_store
    by_code = ids_cli(monkeypatch, capsys, path, "--dyad", "RUS-IGOWSTNAT")
    assert len(by_code) == 3  # NATO, "representatives of the Alliance" (coded IGOWSTNAT), Peskov
    for dyad in ("RUS-NATO", "Russia-NATO", "russia-North Atlantic Treaty Organization", "RUS:IGOWSTNAT"):
        assert ids_cli(monkeypatch, capsys, path, "--dyad", dyad) == by_code, dyad
        assert ids_api(path, f"dyad={dyad}") == by_code, dyad
    peskov = ids_cli(monkeypatch, capsys, path, "--dyad", "Peskov\u2013NATO")  # as the page writes it
    assert len(peskov) == 1 and peskov == ids_api(path, "dyad=Peskov%E2%80%93NATO")
    # an organisation's name finds the articles that name it by its code too
    assert sorted(ids_cli(monkeypatch, capsys, path, "--actor", "NATO", kind="articles")) == \
        sorted(ids_cli(monkeypatch, capsys, path, "--actor", "IGOWSTNAT", kind="articles")) == \
        sorted([ids["nato"], ids["alliance"], ids["peskov"]])


def test_wildcards_are_plain_characters(filters_store, monkeypatch, capsys):
    path, _ = filters_store
    assert len(ids_cli(monkeypatch, capsys, path, "--text", "100%")) == 1
    assert len(ids_cli(monkeypatch, capsys, path, "--text", "%")) == 1
    assert ids_cli(monkeypatch, capsys, path, "--text", "_") == [] == ids_api(path, "text=_")
    assert ids_api(path, "text=%25") == ids_cli(monkeypatch, capsys, path, "--text", "%")
    assert ids_cli(monkeypatch, capsys, path, "--actor", "%") == []


def test_article_selects_events_and_statistics(filters_store, monkeypatch, capsys):
    path, ids = filters_store
    events = ids_cli(monkeypatch, capsys, path, "--article", ids["percent"])
    assert len(events) == 1 and events == ids_api(path, f"article={ids['percent']}")
    status, out, err = cli(monkeypatch, capsys, "stats", "--article", ids["percent"], "-f", "jsonl", "--store",
                           str(path))
    assert status == 0 and sum(json.loads(line)["events"] for line in out.splitlines()) == 1, err
    r = api(path).get(f"/api/stats?article={ids['percent']}")
    assert r.status_code == 200 and sum(row["events"] for row in r.json()["items"]) == 1


def test_the_cli_and_the_api_take_the_same_filters():
    from newsevents.api.app import create_app as make
    from newsevents.cli import app as typer_app
    from newsevents.store.filters import PARAMS

    import typer

    command = typer.main.get_command(typer_app).commands["query"]
    cli_options = {o.lstrip("-").replace("-", "_") for p in command.params for o in p.opts if o.startswith("--")}
    schema = make(Settings(store_path=":memory:")).openapi()
    api_params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    declared = {p.option for p in PARAMS}
    assert declared <= cli_options and declared == api_params
    helps = {p["name"]: p.get("description", "") for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    for p in PARAMS:
        if p.field != "limit":  # a page's limit is said the API's way
            assert helps[p.option] == p.help, p.option


# ------------------------------------------------------------------------------ input
@pytest.fixture
def hostile_corpus(tmp_path) -> tuple[Path, dict[str, str], int]:
    """A folder of inputs as a hostile user writes them: source -> the reason it is rejected,
    and how many articles it holds."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "markup.jsonl").write_text(
        json.dumps({"id": "p", "[/note]": "x"}) + "\n" + json.dumps({"text": article(1)}) + "\n", encoding="utf-8")
    (root / "d[").mkdir()
    (root / "d[" / "b].txt").write_text(article(2), encoding="utf-8")  # the path d[/b].txt
    (root / "rows.csv").write_text(
        "id,[/b],text\n"
        f'1,first,"{article(3)}"\n'
        "2,https://example.com/2\n"  # short: the URL would be the text
        f'3,"{article(4)}",https://example.com/3\n',  # shifted: the URL in the text column
        encoding="utf-8")
    locked = root / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(article(5), encoding="utf-8")
    short = 3 + article(3).count("\n")  # the line the short row starts on (the first row spans lines)
    rejected = {
        "markup.jsonl:1": "bad-record",
        f"rows.csv:{short}": "bad-record",
        f"rows.csv:{short + 1}": "bad-record",
        "locked": "unsupported",
    }
    return root, rejected, 3


@pytest.fixture
def unreadable(monkeypatch):
    """Makes folders named ``locked`` unreadable: by their mode where this user is bound by it,
    else (root reads everything) by refusing to list them, as the kernel would."""
    made = []

    def make(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0)
            made.append(folder)
            return
        real = Path.iterdir

        def iterdir(self):
            if self.name == "locked":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "iterdir", iterdir)

    yield make
    for folder in made:
        folder.chmod(0o755)


def test_markup_unreadable_folders_and_bad_rows_are_named_and_the_rest_stored(hostile_corpus, unreadable,
                                                                              monkeypatch, capsys, tmp_path):
    root, rejected, good = hostile_corpus
    unreadable(root / "locked")
    store = tmp_path / "store.duckdb"
    status, _, err = cli(monkeypatch, capsys, "run", str(root), "--store", str(store), "--workers", "1")
    assert status == 1, err
    for source, reason in rejected.items():
        assert f"skipped {root / source}" in err and f"({reason})" in err, (source, err)
    assert "fields are [/note], id" in err  # the key is shown as written
    assert "(id, [/b], text)" in err
    assert "a folder that cannot be read" in err and "none of its files are read" in err
    assert f"{len(rejected)} inputs rejected" in err
    assert stored(store) == good  # markup.jsonl:2, d[/b].txt, rows.csv:2 (its first row)
    status, _, err = cli(monkeypatch, capsys, "run", str(root), "--store", str(store), "--workers", "1")
    assert status == 1 and "0 articles written" in err and f"{good} already stored" in err
    assert stored(store) == good


# ------------------------------------------------------------------------------ faults
def test_a_full_disk_stops_the_run_with_status_3_and_the_same_command_resumes(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(5):
        (corpus / f"{n}.txt").write_text(article(10 + n, sentences=3), encoding="utf-8")
    store = tmp_path / "store.duckdb"
    append = DuckDBStore._append

    def full_disk(self, table, rows):
        if table == "articles" and self._rows("SELECT count(*) AS n FROM articles")[0]["n"] >= 2:
            raise duckdb.IOException(f'IO Error: Could not write file "{self.path}.wal": No space left on device')
        return append(self, table, rows)

    monkeypatch.setattr(DuckDBStore, "_append", full_disk)
    status, _, err = cli(monkeypatch, capsys, "run", str(corpus), "--store", str(store), "--workers", "1",
                         "--commit-every", "2", "--batch-size", "1")
    assert status == 3, err
    assert f"writing the store {store} failed" in err and "No space left on device" in err
    assert "2 articles of this run were committed" in err and "run the same command again" in err
    assert stored(store) == 2
    monkeypatch.setattr(DuckDBStore, "_append", append)
    status, _, err = cli(monkeypatch, capsys, "run", str(corpus), "--store", str(store), "--workers", "1")
    assert status == 0 and "3 articles written" in err and "2 already stored" in err, err
    assert stored(store) == 5


def damaged_copies(path: Path, folder: Path) -> list[Path]:
    """Copies of a store cut short or overwritten in part, as a failing disk or a bad copy leaves them."""
    size = path.stat().st_size
    out = []

    def copy(name: str) -> Path:
        p = folder / f"{name}.duckdb"
        shutil.copy(path, p)
        out.append(p)
        return p

    for frac in (0.1, 0.5):
        with open(copy(f"cut{int(frac * 100)}"), "r+b") as f:
            f.truncate(int(size * frac))
    for i, at in enumerate([0, 4096, *(int(size * frac) for frac in (0.2, 0.4, 0.6, 0.8))]):
        with open(copy(f"noise{i}"), "r+b") as f:
            f.seek(at)
            f.write(os.urandom(16_384))
    copy("empty").write_bytes(b"")
    copy("text").write_text("not a store\n")
    return out


def test_a_damaged_store_is_status_2_and_503_with_what_to_do_and_repair_rebuilds_it(tmp_path, monkeypatch, capsys):
    from newsevents.store.repair import check

    path = tmp_path / "sound.duckdb"
    docs = [report(f"Russia warned NATO against expansion on day {n}. " + "Officials met. " * 50, trigger="warned",
                   source=("Russia", "RUS", "RUS"), target=("NATO", "IGOWSTNAT", None), published=f"2022-01-{n:02d}")
            for n in range(1, 29)]
    with open_store(path) as s:
        s.write(docs)
    assert check(path).ok
    found_damage = 0
    for copy in damaged_copies(path, tmp_path):
        statuses = []
        for args in (["query", "-f", "csv"], ["query", "mentions", "-f", "csv"], ["query", "articles", "-f", "jsonl"],
                     ["stats", "-f", "csv"], ["export", "gdelt", str(tmp_path / "out.tsv")]):
            status, _, err = cli(monkeypatch, capsys, *args, "--store", str(copy))
            assert status in (0, 2), (copy.name, args, err)
            if status == 2:
                assert "is damaged" in err or "not a valid DuckDB" in err, err
                assert "newsevents store repair" in err or "restore it" in err, err
            statuses.append(status)
        client = api(copy)
        for url in ("/api/events", "/api/mentions", "/api/articles", "/api/stats", "/api/health"):
            assert client.get(url).status_code in (200, 503), (copy.name, url)
        status, out, err = cli(monkeypatch, capsys, "store", "check", "--store", str(copy))
        assert status == (2 if 2 in statuses else status), (copy.name, out, err)
        if status == 0:
            continue
        found_damage += 1
        repaired = tmp_path / f"{copy.stem}-repaired.duckdb"
        status, _, err = cli(monkeypatch, capsys, "store", "repair", "--store", str(copy), "--output", str(repaired))
        assert status in (0, 1, 2), err
        if status in (0, 1):
            assert check(repaired).ok
            n = stored(repaired)
            assert (n == len(docs)) if status == 0 else (n < len(docs) and "could not be read" in err), (copy, err)
        else:
            assert "restore it from a copy" in err and not repaired.exists()
    assert found_damage >= 6
