"""End-to-end latency of ``newsevents feeds``: from a new item in a feed to its events being
queryable by a reader of the store (as the server reads it), with a local feed server.

Run: PYTHONPATH=src nice -n 5 python benchmarks/follow_latency.py [--every 5] [--items 5]

A poller (``FeedPoller.run(every)``, the real pipeline) follows a feed on 127.0.0.1; every few
seconds an item linking to a new article (from the bundled sample corpus) is added to it, and a
reader (:class:`~newsevents.store.SharedReads`) asks every 50 ms for the article's events. The
latency is the wait for the next poll (0 to ``--every`` seconds) plus the fetch, the pipeline
and the commit; both are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsevents import get_pipeline
from newsevents.data import SAMPLE_CORPUS, data_path
from newsevents.follow import Stop
from newsevents.follow.feeds import FeedPoller, Fetcher
from newsevents.settings import Settings
from newsevents.store import SharedReads, open_store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=float, default=5.0)
    ap.add_argument("--items", type=int, default=5)
    args = ap.parse_args()
    records = [json.loads(line) for line in data_path("samples", SAMPLE_CORPUS).read_text().splitlines()[:args.items]]
    items: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path == "/feed.xml":
                body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' + "".join(
                    f"<item><link>/a/{i}</link></item>" for i in items) + "</channel></rss>").encode()
            elif self.path.startswith("/a/"):
                r = records[int(self.path[3:])]
                body = f"<html><body><article><h1>{r['title']}</h1><p>{r['text']}</p></article></body></html>".encode()
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    pipeline = get_pipeline(Settings())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feeds.duckdb"
        stop = Stop()
        with open_store(path, share=True) as store:
            poller = FeedPoller([f"{url}/feed.xml"], store, pipeline, Settings(), Fetcher(per_host_delay=0.2))
            thread = threading.Thread(target=poller.run, args=(args.every, stop))
            thread.start()
            reads = SharedReads(path)
            latencies = []
            try:
                for i in range(args.items):
                    time.sleep(args.every * 0.37)  # land somewhere in the poll cycle
                    polls_before = poller.state["feeds"].get(f"{url}/feed.xml", {}).get("checked_at")
                    items.append(i)
                    added = time.monotonic()
                    while True:
                        with reads.store() as s:
                            n = s.sql("SELECT count(*) AS n FROM mentions WHERE url = ?", [f"{url}/a/{i}"]).n[0]
                            stored = s.sql("SELECT count(*) AS n FROM articles WHERE url = ?", [f"{url}/a/{i}"]).n[0]
                        if stored:
                            break
                        time.sleep(0.05)
                    latencies.append(time.monotonic() - added)
                    print(f"item {i}: queryable after {latencies[-1]:.2f} s ({n} event mentions; poll before it at "
                          f"{polls_before})", flush=True)
            finally:
                stop.set()
                thread.join()
                reads.close()
    server.shutdown()
    print(f"latency from a new feed item to a queryable event, polling every {args.every:.0f} s: median "
          f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s over {len(latencies)} items")


if __name__ == "__main__":
    main()
