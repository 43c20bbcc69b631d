"""HTTP API latency: each route over a real socket (uvicorn in this process), one request at a time.

Run: PYTHONPATH=src python benchmarks/bench_api.py STORE [--n 30]
STORE is a store file, e.g. the one `newsevents demo --store demo.duckdb` writes. Prints the
median and 90th percentile per route; the pipeline is loaded before the extract timings start.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time

import httpx
import uvicorn

from newsevents import Settings
from newsevents.api import create_app
from newsevents.data import SAMPLE_ARTICLE, data_path

SHORT = "Russia accused Ukraine of shelling villages. The United States urged Russia to withdraw its troops."


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--n", type=int, default=30)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(store_path=args.store)), port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    seed = data_path("samples", SAMPLE_ARTICLE).read_text(encoding="utf-8")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
        first = c.get("/api/articles", params={"limit": 1}).json()["items"][0]["article_id"]
        started = time.perf_counter()
        c.post("/api/extract", content=SHORT)
        print(f"first extract (loads the pipeline): {time.perf_counter() - started:.2f} s")
        routes = [
            ("GET /api/health", lambda: c.get("/api/health")),
            ("GET /api/articles (page of 50)", lambda: c.get("/api/articles")),
            ("GET /api/articles/{id}", lambda: c.get(f"/api/articles/{first}")),
            ("GET /api/events (page of 50)", lambda: c.get("/api/events")),
            ("GET /api/events?actor=RUS", lambda: c.get("/api/events", params={"actor": "RUS"})),
            ("GET /api/stats dyad timeline", lambda: c.get("/api/stats", params={
                "dyad": "RUS-USA", "undirected": "true", "by": "day", "per": "none"})),
            ("POST /api/extract (2 sentences)", lambda: c.post("/api/extract", content=SHORT)),
            (f"POST /api/extract ({len(seed):,} chars)", lambda: c.post("/api/extract", content=seed.encode())),
        ]
        print(f"{'route':40} {'median ms':>10} {'p90 ms':>8}   ({args.n} requests each, {args.store})")
        for name, call in routes:
            times = []
            for _ in range(args.n):
                t = time.perf_counter()
                r = call()
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (name, r.text)
            times.sort()
            print(f"{name:40} {statistics.median(times):10.1f} {times[int(len(times) * 0.9) - 1]:8.1f}")
    server.should_exit = True


if __name__ == "__main__":
    main()
