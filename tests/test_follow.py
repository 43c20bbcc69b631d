"""Continuous ingestion (newsevents.follow): feeds polled from a local HTTP server on 127.0.0.1
(pages, a 404, a slow page, a 50 MB page, robots.txt, a feed that changes between polls,
malformed XML), and folders watched while files are dropped into them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsevents import get_pipeline, open_store
from newsevents.data import SAMPLE_CORPUS, data_path
from newsevents.follow import Stop
from newsevents.follow.feeds import USER_AGENT, FeedPoller, FeedsFileError, Fetcher, read_feeds_file
from newsevents.follow.watch import Watcher
from newsevents.settings import Settings

SRC = str(Path(__file__).resolve().parents[1] / "src")
BIG = 50 * 1024 * 1024


def sample_records(n: int) -> list[dict]:
    lines = data_path("samples", SAMPLE_CORPUS).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:n]]


class Site:
    """What the fixture server serves, and what it was asked."""

    def __init__(self):
        self.records = sample_records(6)
        self.version = 1  # of the changing feed
        self.requests: list[tuple[float, str, dict]] = []
        self.big_sent = 0
        self.lock = threading.Lock()

    def page(self, n: int) -> bytes:
        r = self.records[n]
        paragraphs = "".join(f"<p>{p}</p>" for p in r["text"].split("\n") if p.strip())
        return (f"<html><head><title>{r['title']}</title></head><body><nav>Home | World</nav><article>"
                f"<h1>{r['title']}</h1>{paragraphs}</article></body></html>").encode()

    def rss(self, items: list[str]) -> bytes:
        entries = "".join(f"<item><title>{i}</title><link>{i}</link><pubDate>Mon, 10 Oct 2016 12:00:00 GMT</pubDate>"
                          "</item>" for i in items)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'.encode()

    def atom(self, items: list[str]) -> bytes:
        entries = "".join(f'<entry><title>{i}</title><link href="{i}"/><id>{i}</id>'
                          "<updated>2016-10-10T12:00:00Z</updated></entry>" for i in items)
        return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>c</title>{entries}'
                "</feed>").encode()


def handler_for(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status: int, body: bytes, kind: str = "text/html", **headers):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k.replace("_", "-"), v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            with site.lock:
                site.requests.append((time.monotonic(), self.path, dict(self.headers)))
            p = self.path
            if p == "/robots.txt":
                return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if p == "/feed.xml":
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                items = ["/page/0", "/page/1", "/missing", "/slow", "/big", "/private/secret"]
                return self.send(200, site.rss(items), "application/rss+xml", ETag='"v1"')
            if p == "/changing.xml":
                items = ["/page/2"] + (["/page/3"] if site.version > 1 else [])
                return self.send(200, site.atom(items), "application/atom+xml")
            if p == "/bad.xml":
                return self.send(200, b"<rss><channel><item><title>broken</ite", "application/rss+xml")
            if p.startswith("/page/"):
                return self.send(200, site.page(int(p.rsplit("/", 1)[1])))
            if p == "/slow":
                time.sleep(3)
                return self.send(200, site.page(4))
            if p == "/big":  # streamed, no Content-Length: the client must stop reading
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65_536 + b"</p>"
                try:
                    while site.big_sent < BIG:
                        self.wfile.write(chunk)
                        site.big_sent += len(chunk)
                except OSError:
                    pass
                return
            self.send(404, b"not here")

    return Handler


@pytest.fixture
def site():
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(s))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    s.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield s
    server.shutdown()


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline(Settings())


def paths(site: Site, name: str) -> list[str]:
    return [p for _, p, _ in site.requests if p == name]


def test_feeds_store_each_new_article_once_and_log_every_failure(site, pipeline, tmp_path, caplog):
    store_path = tmp_path / "feeds.duckdb"
    feeds = [f"{site.url}/feed.xml", f"{site.url}/changing.xml", f"{site.url}/bad.xml", f"{site.url}/gone.xml"]
    fetcher = Fetcher(timeout=1.0, max_bytes=2_000_000, per_host_delay=0.05)
    with open_store(store_path, share=True) as store:
        poller = FeedPoller(feeds, store, pipeline, Settings(), fetcher)
        first = poller.poll()
        with open_store(store_path, read_only=True) as s:  # a reader while the poller keeps the store
            rows = s.sql("SELECT url, source FROM articles ORDER BY url").to_dict("records")
            events = s.count("events")
        assert [r["url"] for r in rows] == [f"{site.url}/page/{i}" for i in range(3)]
        assert {r["source"] for r in rows} == {f"{site.url}/feed.xml", f"{site.url}/changing.xml"}
        assert events > 0 and first.written == 3
        pages = poller.state["pages"]
        assert pages[f"{site.url}/missing"]["status"] == "HTTP 404" and pages[f"{site.url}/missing"]["done"]
        assert pages[f"{site.url}/slow"]["done"] is False  # a timeout: tried again next time
        assert pages[f"{site.url}/big"]["status"].startswith("too large") and site.big_sent < BIG
        assert "robots.txt" in pages[f"{site.url}/private/secret"]["status"]
        assert pages[f"{site.url}/page/0"]["fetched_at"]
        said = caplog.text
        for failure in ("/missing: HTTP 404", "/slow", "/big: too large", "bad.xml: ValueError: not a feed",
                        "gone.xml: OSError: HTTP 404"):
            assert failure in said, failure
        assert paths(site, "/private/secret") == [] and len(paths(site, "/robots.txt")) == 1
        assert all(h.get("User-Agent", h.get("user-agent")) == USER_AGENT for _, _, h in site.requests)
        times = sorted(t for t, _, _ in site.requests)
        assert all(b - a >= 0.04 for a, b in zip(times, times[1:]))  # one host: the per-host delay

        site.version = 2  # the changing feed gets a new item
        before = len(site.requests)
        second = poller.poll()
        again = [p for _, p, _ in site.requests[before:]]
        assert "/page/3" in again and not {"/page/0", "/page/1", "/page/2", "/missing", "/big"} & set(again)
        feed_request = next(h for _, p, h in site.requests[before:] if p == "/feed.xml")
        assert feed_request.get("If-None-Match") == '"v1"'  # a conditional GET, answered 304
        assert "/slow" in again  # a passing failure is retried
        assert second.written == 4
    # a restart goes on from the state file: nothing new is fetched
    with open_store(store_path, share=True) as store:
        before = len(site.requests)
        third = FeedPoller(feeds, store, pipeline, Settings(), Fetcher(timeout=1.0, per_host_delay=0.05)).poll()
        fetched = {p for _, p, _ in site.requests[before:]} - {"/feed.xml", "/changing.xml", "/bad.xml", "/gone.xml",
                                                              "/robots.txt"}
        assert fetched == {"/slow"} and third.written == 0
        assert store.count("articles") == 4


def test_feeds_files_are_lists_or_opml(tmp_path):
    plain = tmp_path / "feeds.txt"
    plain.write_text("# news\nhttps://a.example/rss\n\nhttps://b.example/atom\nhttps://a.example/rss\n")
    assert read_feeds_file(plain) == ["https://a.example/rss", "https://b.example/atom"]
    opml = tmp_path / "feeds.opml"
    opml.write_text('<opml version="2.0"><body><outline text="News"><outline type="rss" xmlUrl="https://a.example/rss"/>'
                    '</outline><outline xmlUrl="https://c.example/feed"/></body></opml>')
    assert read_feeds_file(opml) == ["https://a.example/rss", "https://c.example/feed"]
    for text, problem in [("<opml><body>", "not valid OPML"), ("ftp://x/feed\n", "not an http"), ("# none\n", "no feed")]:
        bad = tmp_path / "bad.txt"
        bad.write_text(text)
        with pytest.raises(FeedsFileError, match=problem):
            read_feeds_file(bad)


def test_the_feeds_command_polls_once_and_reports_failures(site, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.url}/changing.xml\n{site.url}/bad.xml\n")
    env = {**os.environ, "PYTHONPATH": SRC, "COLUMNS": "10000"}
    cmd = [sys.executable, "-m", "newsevents", "feeds", str(feeds), "--once", "--store", str(tmp_path / "s.duckdb"),
           "--per-host-delay", "0", "--quiet"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 1, first.stderr[-3000:]  # bad.xml is not a feed
    assert "1 articles written" in first.stderr and "1 failed" in first.stderr and "not a feed" in first.stderr
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert "0 articles written" in second.stderr, second.stderr[-3000:]
    assert paths(site, "/page/2") == ["/page/2"]


def drop(folder: Path, name: str, text: str, halves: float = 0.0) -> Path:
    """Write a file, in two halves ``halves`` seconds apart (a file still being written)."""
    path = folder / name
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[: len(text) // 2])
        f.flush()
        time.sleep(halves)
        f.write(text[len(text) // 2:])
    return path


def test_watch_codes_files_as_they_appear_once_each_and_resumes(pipeline, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    records = sample_records(4)
    store_path = tmp_path / "watch.duckdb"
    stop = Stop()
    with open_store(store_path, share=True) as store:
        watcher = Watcher([inbox], store, pipeline, Settings(), settle=1.5, interval=0.1)
        thread = threading.Thread(target=watcher.run, args=(stop,))
        thread.start()
        try:
            drop(inbox, "one.txt", records[0]["text"], halves=0.8)  # still being written for a while
            drop(inbox, "two.txt.part", records[1]["text"])  # a download under way: never read
            drop(inbox / "sub", "three.jsonl", json.dumps(records[2]) + "\n")
            deadline = time.monotonic() + 60
            while watcher.tally.written < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert watcher.tally.written == 2 and watcher.tally.failed == 0
            # a dump that grows is read again; what it held is skipped by the store
            with open(inbox / "sub" / "three.jsonl", "a", encoding="utf-8") as f:
                f.write(json.dumps(records[3]) + "\n")
            deadline = time.monotonic() + 60
            while watcher.tally.written < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            stop.set()
            thread.join()
        assert watcher.tally.written == 3 and watcher.tally.stored == 1
        with open_store(store_path, read_only=True) as s:
            bodies = s.sql("SELECT body FROM articles").body.tolist()
        assert len(bodies) == 3 and not any(records[1]["text"][:40] in b for b in bodies)
        # the file written in two goes was read once, whole
        assert sum(records[0]["text"][-60:].strip() in b for b in bodies) == 1
        # a restart does not read the files again
        again = Watcher([inbox], store, pipeline, Settings(), settle=0.0, interval=0.1)
        assert again.run(once=True).written == 0 and again.tally.stored == 0


def test_watch_stops_cleanly_on_sigterm(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    store_path = tmp_path / "w.duckdb"
    env = {**os.environ, "PYTHONPATH": SRC, "COLUMNS": "10000"}
    proc = subprocess.Popen([sys.executable, "-m", "newsevents", "watch", str(inbox), "--store", str(store_path),
                             "--settle", "0.5", "--quiet", "--log", str(tmp_path / "watch.log")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        drop(inbox, "one.txt", sample_records(1)[0]["text"])
        deadline = time.monotonic() + 180
        while "articles written" not in _read(tmp_path / "watch.log") and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopped" in err and "Traceback" not in err, err[-3000:]
    assert "one.txt: 1 articles written" in _read(tmp_path / "watch.log")
    with open_store(store_path, read_only=True) as s:
        assert s.count("articles") == 1


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""
