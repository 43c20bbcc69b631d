"""``newsevents serve`` as users run it (a real uvicorn process on a free localhost port): a
bounded load of concurrent clients with no error and a reported p95 latency, and bad or
oversized requests answered 4xx, never 500.

Latency is printed (``pytest -s``) and checked only against a generous bound: speed is measured
by benchmarks, but a server that takes seconds to answer a page of events under load is broken.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from factories import report
from malformed import article

from newsevents import open_store
from newsevents.settings import Settings

SRC = str(Path(__file__).resolve().parents[1] / "src")

CLIENTS = 50
SECONDS = 20
PER_CLIENT = 40  # at most 50 x 40 = 2,000 requests
POSTING = 10  # clients that also have an article coded (POST /api/extract) once
P95_BOUND = 5.0  # seconds; generous for a 2-core CI machine shared with the clients


class Log:
    """What the server process has written so far."""

    def __init__(self, path: Path):
        self.path = path

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(store: Path, *options: str):
    """``newsevents serve --store STORE`` in its own process until the block ends: yields the
    base URL, an httpx client and the server's log. Waits for the language model to load."""
    port = free_port()
    log = Log(Path(store).parent / f"serve-{port}.log")
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "COLUMNS": "10000"}
    with open(log.path, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "newsevents", "serve", "--port", str(port), "--store",
                                 str(store), *options], stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, f"the server died: {log.read()[-3000:]}"
                assert time.monotonic() < deadline, f"the server did not start: {log.read()[-3000:]}"
                try:
                    if client.get(f"{url}/api/health").json()["pipeline"]["loaded"]:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            yield url, client, log
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


ACTORS = [("Russia", "RUS", "RUS"), ("the United States", "USA", "USA"), ("Ukraine", "UKR", "UKR"),
          ("NATO", "IGOWSTNAT", None), ("China", "CHN", "CHN"), ("France", "FRA", "FRA")]
VERBS = [("urged", "0214", "REQUEST", 1, 3.4), ("accused", "112", "ACCUSE", 3, -2.0),
         ("threatened", "138", "THREATEN", 3, -7.0), ("sent aid to", "070", "AID", 2, 7.0),
         ("met", "040", "CONSULT", 1, 1.0), ("attacked", "190", "ASSAULT", 4, -10.0)]


def stored_corpus(n: int = 300) -> list:
    """``n`` one-event articles over six actors, six event types and a year of dates."""
    rng = random.Random(5)
    docs = []
    for i in range(n):
        src, tgt = rng.sample(ACTORS, 2)
        verb, cameo, plover, quad, goldstein = rng.choice(VERBS)
        day = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        docs.append(report(f"{src[0]} {verb} {tgt[0]} over the border crisis (report {i}).", trigger=verb, source=src,
                           target=tgt, cameo=cameo, cameo_name=verb, plover=plover, quad=quad, goldstein=goldstein,
                           published=day, outlet=f"outlet {i % 7}"))
    return docs


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("load") / "store.duckdb"
    docs = stored_corpus()
    with open_store(path) as s:
        s.write(docs)
    with serving(path) as (url, client, log):
        yield url, [d.article.id for d in docs], log


def requests_for(client_no: int, ids: list[str]) -> list[tuple[str, str, dict]]:
    """The requests one client makes: (kind, path, httpx arguments)."""
    rng = random.Random(client_no)
    codes = [a[1] for a in ACTORS]
    out = []
    for _ in range(PER_CLIENT):
        roll = rng.random()
        if roll < 0.4:
            params = {"actor": rng.choice(codes), "since": "2022-03-01", "limit": rng.choice([10, 50, 200])}
            if rng.random() < 0.5:
                params = {"dyad": f"{rng.choice(codes)}-{rng.choice(codes)}", "undirected": "true",
                          "cameo": rng.choice(["01", "14", "11", "04"]), "quad": rng.randint(1, 4)}
            out.append(("events", "/api/events", {"params": params}))
        elif roll < 0.6:
            out.append(("article", f"/api/articles/{rng.choice(ids)}", {}))
        elif roll < 0.75:
            out.append(("mentions", "/api/mentions", {"params": {"source": rng.choice(codes), "offset": rng.randint(0, 20)}}))
        elif roll < 0.9:
            out.append(("articles", "/api/articles", {"params": {"text": "border", "limit": 20}}))
        else:
            out.append(("stats", "/api/stats", {"params": {"dyad": "RUS-USA", "undirected": "true", "by": "week",
                                                          "per": "none"}}))
    if client_no < POSTING:  # one article coded by the real pipeline, early, while the others read
        text = article(5000 + client_no)
        out.insert(rng.randint(0, 3), ("extract", "/api/extract", {"content": text.encode(),
                                                                   "headers": {"Content-Type": "text/plain"}}))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@pytest.mark.slow
def test_fifty_clients_for_twenty_seconds_without_an_error(server):
    url, ids, log = server
    results: list[tuple[str, int | str, float]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS
    start = threading.Barrier(CLIENTS)

    def client(no: int) -> None:
        plan = requests_for(no, ids)
        with httpx.Client(base_url=url, timeout=60) as c:
            start.wait()
            for kind, path, kwargs in plan:
                if time.monotonic() > deadline:
                    break
                began = time.perf_counter()
                try:
                    r = c.post(path, **kwargs) if kind == "extract" else c.get(path, **kwargs)
                    status = r.status_code
                    if status == 200:
                        r.json()
                except (httpx.HTTPError, json.JSONDecodeError) as exc:
                    status = type(exc).__name__
                with lock:
                    results.append((kind, status, time.perf_counter() - began))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)
    elapsed = time.perf_counter() - began
    errors = [(k, s) for k, s, _ in results if s != 200]
    latencies = [t for _, _, t in results]
    by_kind = {}
    for kind in sorted({k for k, _, _ in results}):
        times = [t for k, _, t in results if k == kind]
        by_kind[kind] = f"{len(times)} p95 {percentile(times, 0.95) * 1000:.0f} ms"
    p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    print(f"\nload: {CLIENTS} clients, {len(results)} requests in {elapsed:.1f} s ({len(results) / elapsed:.0f}/s), "
          f"{len(errors)} errors; latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms; {by_kind}")
    assert not errors, errors[:10]
    assert len(results) >= CLIENTS * 5, "too few requests were answered to say anything"
    assert sum(1 for k, _, _ in results if k == "extract") == POSTING
    assert p95 < P95_BOUND
    assert "Traceback" not in log.read()


# ------------------------------------------------------------------ bad and oversized requests

LIMIT = Settings().max_request_bytes
ENGLISH = "Russia accused Ukraine of shelling villages in the Donbas on Tuesday. " * 3
NESTED = "<html><body>" + "<div>" * 100_000 + "<p>" + ENGLISH + "</p>" + "</div>" * 100_000 + "</body></html>"

#: (what, method, path, httpx arguments, the statuses it may get)
BAD_REQUESTS = [
    ("a body over max_request_bytes", "POST", "/api/extract", {"content": b"x" * (LIMIT + 1)}, {413}),
    ("a chunked body growing past it", "POST", "/api/extract", {"content": (b"word " * 200_000 for _ in range(6))},
     {413}),
    ("JSON with a number for text", "POST", "/api/extract",
     {"content": b'{"text": 5}', "headers": {"Content-Type": "application/json"}}, {422}),
    ("JSON that is not JSON", "POST", "/api/extract",
     {"content": b'{"text": "Russia', "headers": {"Content-Type": "application/json"}}, {422}),
    ("JSON nested past the recursion limit", "POST", "/api/extract",
     {"content": b"[" * 100_000 + b"]" * 100_000, "headers": {"Content-Type": "application/json"}}, {422}),
    ("a lone surrogate escaped in JSON", "POST", "/api/extract",
     {"content": ('{"text": "' + ENGLISH + ' \\ud800 \\u0000 end."}').encode(),
      "headers": {"Content-Type": "application/json"}}, {200}),
    ("binary bytes", "POST", "/api/extract", {"content": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10}, {422}),
    ("an empty body", "POST", "/api/extract", {"content": b""}, {422}),
    ("invalid UTF-8", "POST", "/api/extract", {"content": ENGLISH.encode() + b"\xff\xfe\xc3("}, {200}),
    ("an unknown format", "POST", "/api/extract?format=pdf", {"content": ENGLISH.encode()}, {422}),
    ("a published date that is none", "POST", "/api/extract?published=yesterday-ish%00", {"content": ENGLISH.encode()},
     {200, 422}),
    ("100,000 nested divs", "POST", "/api/extract", {"content": NESTED.encode(), "headers": {"Content-Type": "text/html"}},
     {200, 422}),
    ("a quad class that is no number", "GET", "/api/events?quad=abc", {}, {422}),
    ("a page of no rows", "GET", "/api/events?limit=0", {}, {422}),
    ("a page too big", "GET", "/api/events?limit=100000", {}, {422}),
    ("a limit past 64 bits", "GET", "/api/events?limit=99999999999999999999999999", {}, {422}),
    ("a negative offset", "GET", "/api/events?offset=-1", {}, {422}),
    ("a date that is none", "GET", "/api/events?since=last%20tuesday", {}, {422}),
    ("a dyad that is one actor", "GET", "/api/events?dyad=RUS", {}, {422}),
    ("an unknown period", "GET", "/api/stats?by=century", {}, {422}),
    ("an unknown quote kind", "GET", "/api/quotes?quote_kind=shouted", {}, {422}),
    ("an article id of 10,000 characters", "GET", "/api/articles/" + "a" * 10_000, {}, {404}),
    ("an article id with a NUL", "GET", "/api/articles/%00", {}, {404}),
    ("an article id that is not UTF-8", "GET", "/api/articles/%ff%fe", {}, {404}),
    ("filters that are not UTF-8", "GET", "/api/events?actor=%ff%fe&text=%c3%28", {}, {200}),
    ("SQL in a filter", "GET", "/api/events?text=%27%20OR%201%3D1%20--&actor=%27%3B%20DROP%20TABLE%20events%3B--", {},
     {200}),
    # a text filter is bounded (422 names the limit); the whole query string, to 64 kB (414 beyond)
    ("a query string of 60 kB", "GET", "/api/events?text=" + "a" * 60_000, {}, {422}),
    ("no such route", "GET", "/api/nowhere", {}, {404}),
    ("a method the route does not take", "DELETE", "/api/events", {}, {405}),
    ("a path out of the static folder", "GET", "/static/..%2f..%2f..%2fetc%2fpasswd", {}, {404}),
    ("a foreign Host (DNS rebinding)", "GET", "/api/events", {"headers": {"Host": "evil.example"}}, {400}),
    ("a POST from another site", "POST", "/api/extract",
     {"content": ENGLISH.encode(), "headers": {"Origin": "http://evil.example"}}, {403}),
]


@pytest.mark.parametrize("what, method, path, kwargs, expected", BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_bad_requests_are_answered_4xx_never_500(server, what, method, path, kwargs, expected):
    url, _, log = server
    with httpx.Client(timeout=120) as c:
        r = c.request(method, url + path, **kwargs)
    assert r.status_code in expected, (r.status_code, r.text[:500])
    if r.status_code >= 400 and r.headers.get("content-type", "").startswith("application/json"):
        body = r.json()
        assert body["error"] and body["detail"]
    if r.status_code == 200 and path.startswith("/api/extract"):
        doc = r.json()
        assert "\ud800" not in doc["article"]["body"] and "\x00" not in doc["article"]["body"]
    assert "Traceback" not in log.read()


RAW_REQUESTS = [
    ("Content-Length that is no number", b"POST /api/extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\nx"),
    ("a request line that is not HTTP", b"GARBAGE\r\n\r\n"),
    # headers are not bounded by max_request_bytes: the server must not buffer them without end
    ("a header of 4 MB", b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 4_000_000 + b"\r\n\r\n"),
    ("a header that is not ASCII", b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd: \xff\xfe\x00\r\n\r\n"),
]


@pytest.mark.parametrize("what, raw", RAW_REQUESTS, ids=[r[0] for r in RAW_REQUESTS])
def test_malformed_http_is_refused_4xx(server, what, raw):
    url, _, log = server
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking it all
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
    assert status is not None and 400 <= status < 500, answer[:300]
    assert "Traceback" not in log.read()
