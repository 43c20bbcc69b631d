"""The HTTP API (newsevents.api) through FastAPI's TestClient: the routes give what the library
and the command line give, page, refuse bad input with JSON errors, and let go of the store."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import threading
import textwrap

import pytest
from factories import report
from newsevents.settings import STAGES
from fastapi.testclient import TestClient
from test_cli_store import path  # noqa: F401  (a store file holding test_store.corpus())
from test_store import SRC, corpus

import newsevents
from newsevents import open_store
from newsevents.api import create_app
from newsevents.api.app import STATIC
from newsevents.model import Document, Sentence
from newsevents.settings import Settings


class FakePipeline:
    """Codes nothing: one sentence per article (the API's plumbing without spaCy)."""

    def __call__(self, article):
        return Document(article=article, sentences=[Sentence(article.body, 0, len(article.body))], stages=["fake"])


@pytest.fixture
def client(path):
    with TestClient(create_app(Settings(store_path=path), pipeline=FakePipeline())) as c:
        yield c


def ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def test_articles_are_paged_without_their_bodies(client):
    first = ok(client.get("/api/articles", params={"limit": 3}))
    rest = ok(client.get("/api/articles", params={"limit": 3, "offset": 3}))
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (4, 3, 0, 3)
    assert (rest["offset"], len(rest["items"])) == (3, 1)
    ids = [a["article_id"] for a in first["items"] + rest["items"]]
    assert sorted(ids) == sorted(d.article.id for d in corpus())
    assert "body" not in first["items"][0] and "document" not in first["items"][0]
    assert ok(client.get("/api/articles"))["limit"] == 50
    # keyset paging: `next` gives what offset + limit gives; the last page has none
    assert first["next"] and rest["next"] is None
    after = ok(client.get("/api/articles", params={"limit": 3, "after": first["next"]}))
    assert (after["items"], after["total"]) == (rest["items"], 4)


@pytest.mark.parametrize("kind", ["events", "mentions", "quotes"])
def test_keyset_pages_are_the_offset_pages(client, kind):
    every = ok(client.get(f"/api/{kind}", params={"limit": 1000}))["items"]
    seen, after = [], None
    while True:
        page = ok(client.get(f"/api/{kind}", params={"limit": 2, **({"after": after} if after else {})}))
        seen += page["items"]
        if page["next"] is None:
            break
        after = page["next"]
    assert seen == every and every
    bad = client.get(f"/api/{kind}", params={"after": "not-a-row"})
    assert bad.status_code == 422 and "after" in bad.text


def test_one_article_is_the_document_it_was_stored_as(client):
    doc = corpus()[2]
    assert ok(client.get(f"/api/articles/{doc.article.id}")) == doc.to_dict()
    missing = client.get("/api/articles/0000")
    assert missing.status_code == 404 and missing.json()["error"] == "not-found" and "0000" in missing.json()["detail"]


def test_event_filters_are_the_query_commands(client, path):
    cases = [("events", {"source": "RUS", "target": "USA"}), ("events", {"dyad": "USA-RUS", "undirected": True}),
             ("events", {"quad": 3}), ("mentions", {"actor": "NATO"}), ("events", {"place": "BEL"}),
             ("quotes", {"actor": "Ukraine"}), ("articles", {"actor": "UKR", "since": "2022-02-01"})]
    with open_store(path, read_only=True) as store:
        for kind, filters in cases:
            got = ok(client.get(f"/api/{kind}", params=filters))
            want = store.query(kind, **filters)
            assert got["total"] == len(want) > 0, (kind, filters)
            key = {"events": "event_id", "mentions": "mention_id", "quotes": "content", "articles": "article_id"}[kind]
            assert [r[key] for r in got["items"]] == list(want[key]), (kind, filters)


def test_repeated_parameters_widen_the_selection(client):
    one = ok(client.get("/api/events", params={"source": "UKR"}))["total"]
    both = ok(client.get("/api/events", params=[("source", "UKR"), ("source", "NATO")]))["total"]
    assert (one, both) == (1, 2)


@pytest.mark.parametrize("url, words", [
    ("/api/quotes?cameo=02", "do not apply to quotes"),
    ("/api/events?since=yesterday", "not an ISO date"),
    ("/api/events?quad=7", "quad class must be 0..4"),
    ("/api/events?quad=three", "quad"),
    ("/api/events?dyad=RUS", "SOURCE-TARGET"),
    ("/api/events?limit=100000", "limit"),
    ("/api/events?offset=-1", "offset"),
    ("/api/stats?by=decade", "by"),
])
def test_bad_input_is_a_clear_422(client, url, words):
    r = client.get(url)
    assert r.status_code == 422 and r.json()["error"] == "invalid-request", r.text
    assert words in r.json()["detail"]


def test_stats_give_a_dyad_timeline(client, path):
    params = {"dyad": "RUS-USA", "undirected": True, "by": "day", "per": "none"}
    got = ok(client.get("/api/stats", params=params))
    with open_store(path, read_only=True) as store:
        want = store.stats(by="day", per="none", dyad="RUS-USA", undirected=True)
    assert [r["period"] for r in got["items"]] == [str(d.date()) for d in want.period]
    assert [r["events"] for r in got["items"]] == list(want.events)
    row = got["items"][0]
    assert isinstance(row["mentions"], int) and isinstance(row["mean_goldstein"], float)  # not decimal strings
    assert set(row) >= {"neutral", "verbal_cooperation", "material_cooperation", "verbal_conflict",
                        "material_conflict"}


def test_extract_codes_without_storing_unless_asked(client):
    text = "Russia urged the United States to answer in writing, the ministry said on Thursday."
    r = client.post("/api/extract", content=text, headers={"Content-Type": "text/plain"},
                    params={"published": "2022-01-13"})
    doc = ok(r)
    assert doc["article"]["body"] == text and doc["article"]["published"] == "2022-01-13"
    assert doc["stages"] == ["fake"] and "X-Newsevents-Stored" not in r.headers
    assert ok(client.get("/api/articles"))["total"] == 4
    stored = client.post("/api/extract?store=true", json={"text": text})
    assert stored.status_code == 200 and stored.headers["X-Newsevents-Stored"] == "written"
    assert ok(client.get(f"/api/articles/{doc['article']['id']}"))["article"]["body"] == text
    again = client.post("/api/extract?store=true", content=text.encode())
    assert again.headers["X-Newsevents-Stored"] == "already-there"
    assert ok(client.get("/api/articles"))["total"] == 5


def test_extract_reads_html_pages_and_bytes_in_any_encoding(client):
    page = ("<html><head><title>Talks in Geneva</title></head><body><nav>Home | World</nav><article><p>"
            + "Russian and American diplomats met in Geneva on Monday to discuss security guarantees. " * 3
            + "</p></article></body></html>")
    doc = ok(client.post("/api/extract", content=page, headers={"Content-Type": "text/html; charset=utf-8"}))
    assert doc["article"]["format"] == "html" and "Home | World" not in doc["article"]["body"]
    latin1 = "Le ministre a déclaré que la Russie répondrait. " * 3
    text = "The minister said Russia would answer the proposals of Zürich negotiators within a week. " * 2
    doc = ok(client.post("/api/extract", content=text.encode("cp1252"), headers={"Content-Type": "text/plain"}))
    assert "Zürich" in doc["article"]["body"]
    doc = ok(client.post("/api/extract", content=latin1.encode()))  # kept, with its language (the pipeline skips it)
    assert doc["article"]["language"] == "fr" and doc["article"]["language_probability"] > 0.5


@pytest.mark.parametrize("body, headers, error", [
    (b"   ", {"Content-Type": "text/plain"}, "empty"),
    (b'{"txt": "x"}', {"Content-Type": "application/json"}, "invalid-request"),
    (b'{"text": 3}', {"Content-Type": "application/json"}, "invalid-request"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {"Content-Type": "application/octet-stream"}, "binary"),
])
def test_extract_refuses_what_is_not_an_article(client, body, headers, error):
    r = client.post("/api/extract", content=body, headers=headers)
    assert r.status_code == 422 and r.json()["error"] == error, r.text


def test_request_bodies_over_the_limit_are_refused(path):
    app = create_app(Settings(store_path=path, max_request_bytes=1000), pipeline=FakePipeline())
    with TestClient(app) as c:
        r = c.post("/api/extract", content=b"x" * 1001)
        assert r.status_code == 413 and r.json()["error"] == "request-too-large" and "1,000" in r.json()["detail"]
        # no Content-Length (a chunked upload): cut off once the body grows past the limit
        r = c.post("/api/extract", content=(b"word " * 100 for _ in range(10)))
        assert r.status_code == 413 and r.json()["error"] == "request-too-large"
        assert c.post("/api/extract", content=b"Russia urged the United States to answer.").status_code == 200


def test_no_store_yet_is_503_and_health_says_why(tmp_path):
    with TestClient(create_app(Settings(store_path=str(tmp_path / "none.duckdb")))) as c:
        r = c.get("/api/events")
        assert r.status_code == 503 and r.json()["error"] == "store-unavailable"
        assert "newsevents demo" in r.json()["detail"] and r.headers["Retry-After"]
        health = ok(c.get("/api/health"))
        assert health["status"] == "ok" and health["store"]["available"] is False
        assert health["pipeline"] == {"loaded": False, "stages": list(STAGES)}


def test_a_store_locked_by_a_batch_run_is_503(path, client):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {SRC!r})
        from newsevents import open_store
        s = open_store({path!r})
        print("ready", flush=True)
        sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = client.get("/api/events")
        assert r.status_code == 503 and r.json()["error"] == "store-locked" and "is writing it" in r.json()["detail"]
        assert ok(client.get("/api/health"))["store"]["available"] is False
    finally:
        holder.communicate("", timeout=30)
    assert ok(client.get("/api/events"))["total"] == 3


def test_the_server_holds_the_store_only_while_it_answers(client, path):
    for url in ("/api/articles", "/api/events", "/api/stats", "/api/health", f"/api/articles/{corpus()[0].article.id}"):
        ok(client.get(url))
        # a batch run (here: a writer in this very process, the strictest case) can take the file
        with open_store(path) as s:
            s.write([report("Ukraine urged NATO to send help.", trigger="urged", source=("Ukraine", "UKR", "UKR"),
                            target=("NATO", "IGOWSTNAT", None))])


def test_reads_and_writes_at_once_wait_for_each_other(client):
    texts = [f"Russia urged the United States to answer in writing (note {i})." for i in range(6)]
    failures = []

    def read():
        for _ in range(5):
            r = client.get("/api/events", params={"limit": 5})
            if r.status_code != 200:
                failures.append(r.text)

    def write(text):
        r = client.post("/api/extract?store=true", content=text)
        if r.status_code != 200:
            failures.append(r.text)

    threads = [threading.Thread(target=read) for _ in range(3)] + [threading.Thread(target=write, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert ok(client.get("/api/articles"))["total"] == 4 + len(texts)


def test_the_page_is_served_with_a_strict_policy(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = dict(part.strip().split(" ", 1) for part in r.headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["default-src"] == "'none'" and "unsafe" not in csp["style-src"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # every script is a file from this server: nothing inline, nothing from a CDN
    for name in ("index.html", "docs.html"):
        html = (STATIC / name).read_text()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
        assert not re.search(r"(src|href)=\"(https?:)?//", html)
        for ref in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html):
            assert client.get(ref).status_code == 200, ref
    # the page builds its DOM from text nodes: nothing in it parses strings as HTML
    assert not re.search(r"\.(innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML|document\.write|DOMParser",
                         (STATIC / "app.js").read_text())


def test_other_sites_cannot_use_the_server_through_the_users_browser(client, path):
    text = "Russia urged the United States to answer in writing."
    r = client.post("/api/extract?store=true", content=text, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["error"] == "cross-origin"
    assert ok(client.get("/api/articles"))["total"] == 4
    assert client.post("/api/extract", content=text, headers={"Origin": "http://testserver"}).status_code == 200
    app = create_app(Settings(store_path=path), pipeline=FakePipeline(), hosts=("127.0.0.1", "localhost", "::1"))
    for base, status in [("http://localhost:8000", 200), ("http://[::1]:8000", 200), ("http://127.0.0.1", 200),
                         ("http://rebound.evil.example:8000", 400)]:
        with TestClient(app, base_url=base) as c:
            assert c.get("/api/health").status_code == status, base


def test_vendored_libraries_ship_with_their_licences():
    vendor = STATIC / "vendor"
    for name in ("vega", "vega-lite", "vega-embed", "vega-interpreter"):
        assert "Redistribution and use in source and binary forms" in (vendor / "vega" / f"LICENSE-{name}").read_text()
    assert "Apache License" in (vendor / "swagger-ui" / "LICENSE").read_text()
    readme = (vendor / "README.md").read_text()
    assert "Permission to use, copy, modify" in (vendor / "world-atlas" / "LICENSE").read_text()
    assert all(v in readme for v in ("6.4.0", "6.4.3", "7.3.0", "2.3.2", "5.35.0", "2.0.2"))
    sums = re.findall(r"^ {4}([0-9a-f]{64})  (\S+)$", readme, re.M)
    assert len(sums) == 7
    for digest, name in sums:  # the README says what is shipped
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name


def test_openapi_docs_describe_every_route(client):
    spec = ok(client.get("/openapi.json"))
    assert set(spec["paths"]) == {"/api/articles", "/api/articles/{article_id}", "/api/events", "/api/mentions",
                                  "/api/quotes", "/api/stats", "/api/extract", "/api/health", "/api/export",
                                  "/api/export/manifest", "/api/facets", "/api/places", "/api/network"}
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert params >= {"actor", "source", "target", "dyad", "undirected", "cameo", "plover", "quad", "since", "until",
                      "place", "text", "event", "article", "limit", "offset", "after"}
    assert "text/html" in spec["paths"]["/api/extract"]["post"]["requestBody"]["content"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text


def test_serve_runs_uvicorn_on_localhost_by_default(monkeypatch, path):
    import uvicorn
    from typer.testing import CliRunner

    from newsevents.cli import app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: seen.update(app=app, host=host, port=port, **kw))
    result = CliRunner().invoke(app, ["serve", "--store", path, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)
    assert (seen["http"], seen["h11_max_incomplete_event_size"]) == ("h11", 65536)  # headers are bounded
    assert seen["app"].state.service.settings.store_path == path
    with TestClient(seen["app"], base_url="http://elsewhere.example:8123") as c:  # answers to localhost only
        assert c.get("/api/health").status_code == 400
    result = CliRunner().invoke(app, ["serve", "--store", path, "--host", "0.0.0.0"])
    assert "no login" in result.output


def test_extract_gives_the_extract_commands_document(sample_text, sample_doc):
    with TestClient(create_app(Settings(), pipeline=newsevents.get_pipeline())) as c:
        doc = ok(c.post("/api/extract", content=sample_text.encode(), params={"source": "kremlin-2022-01-13.txt"}))
    assert doc == sample_doc.to_dict()


def test_export_downloads_every_row_of_the_filter_in_each_format(client):
    """No page and no cap: every row the filters select, as a file pandas reads, with the
    filters and the version in the Parquet metadata, a header and the manifest route."""
    import io
    import json

    import pandas as pd
    import pyarrow.parquet as pq

    from newsevents.store.export import GDELT_COLUMNS

    total = ok(client.get("/api/events", params={"actor": "RUS", "limit": 1}))["total"]
    csv = client.get("/api/export", params={"format": "csv", "actor": "RUS"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert re.match(r'attachment; filename="newsevents-events-\d{4}-\d\d-\d\d\.csv"', csv.headers["content-disposition"])
    assert len(pd.read_csv(io.BytesIO(csv.content))) == total
    assert json.loads(csv.headers["x-newsevents-export"])["filters"] == {"actor": ["RUS"]}
    parquet = client.get("/api/export", params={"format": "parquet", "actor": "RUS"})
    table = pq.read_table(io.BytesIO(parquet.content))
    meta = json.loads(table.schema.metadata[b"newsevents"])
    assert table.num_rows == total and meta["version"] == newsevents.__version__ and meta["filters"]["actor"] == ["RUS"]
    gdelt = client.get("/api/export", params={"format": "gdelt", "actor": "RUS"})
    frame = pd.read_csv(io.BytesIO(gdelt.content), sep="\t", header=None, names=GDELT_COLUMNS)
    assert len(frame) == total and frame.GLOBALEVENTID.notna().all()
    plover = client.get("/api/export", params={"format": "plover", "actor": "RUS"})
    assert len(pd.read_json(io.BytesIO(plover.content), lines=True)) == total
    articles = client.get("/api/export", params={"format": "csv", "table": "articles"})
    assert len(pd.read_csv(io.BytesIO(articles.content))) == len(corpus())
    manifest = ok(client.get("/api/export/manifest", params={"format": "gdelt", "actor": "RUS"}))
    assert manifest["rows"] == total and manifest["columns"] == list(GDELT_COLUMNS)
    for bad in ({"format": "xlsx"}, {"format": "gdelt", "table": "quotes"}, {"quad": 9}):
        response = client.get("/api/export", params=bad)
        assert response.status_code == 422 and response.json()["error"] == "invalid-request", bad


def test_facets_places_and_network_count_what_the_filters_select(tmp_path):
    """Each facet count is the total of the list with that value added as its filter; the map's
    places and the network's dyads add up to the events they stand for."""
    from factories import RUS, USA

    path = tmp_path / "s.duckdb"
    geneva = ("Geneva", "CHE", 2660646, "city", 46.20, 6.14)
    with open_store(path) as s:
        s.write(corpus() + [report(f"Russia urged the United States in Geneva, round {i}.", trigger="urged",
                                   source=RUS, target=USA, published=f"2022-03-0{i}", place_=geneva)
                            for i in range(1, 4)])
    with TestClient(create_app(Settings(store_path=str(path)), pipeline=FakePipeline())) as client:
        for kind in ("events", "mentions", "articles"):
            facets = ok(client.get("/api/facets", params={"kind": kind, "since": "2022-01-01"}))["facets"]
            assert {f["facet"] for f in facets} >= (
                {"outlet", "language"} if kind == "articles" else
                {"plover", "cameo", "quad", "place", "source", "target", "outlet"})
            for f in facets:
                for v in f["values"] if f["filter"] else ():
                    params = {f["filter"]: v["value"], "since": "2022-01-01", "limit": 1}
                    assert ok(client.get(f"/api/{kind}", params=params))["total"] == v["n"], (kind, f["facet"], v)
        places = ok(client.get("/api/places"))
        [here] = places["items"]
        geneva_events = ok(client.get("/api/events", params={"place": "Geneva", "limit": 1}))["total"]
        assert (here["name"], here["country"], here["events"]) == ("Geneva", "CHE", geneva_events)
        assert places["placed"] == geneva_events > 0 and places["events"] == ok(client.get("/api/events"))["total"]
        named = {p["name"]: p for p in places["named"]}  # the places the reporting articles name
        assert named["Geneva"]["articles"] == 3 and named["Geneva"]["lat"] == pytest.approx(46.2)
        assert here["examples"][0]["first_mention"] and "Geneva" in here["examples"][0]["evidence"]
        edges = ok(client.get("/api/network"))["items"]
        for edge in edges:
            dyad = f"{edge['source']}-{edge['target']}"
            assert ok(client.get("/api/events", params={"dyad": dyad, "limit": 1}))["total"] == edge["events"], dyad
        assert ("RUS", "USA") in {(e["source"], e["target"]) for e in edges}
