"""Processes sharing one store file: a server answering readers while ``newsevents run``
writes, and a run waiting (``--wait``) for a process that holds the file."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from test_load import free_port, stored_corpus
from test_run import corpus  # noqa: F401  (ten real articles as a JSONL dump)

from newsevents import open_store
from newsevents.api import create_app
from newsevents.errors import StoreLocked
from newsevents.settings import Settings
from newsevents.store import DuckDBStore, SharedReads

SRC = str(Path(__file__).resolve().parents[1] / "src")


def newsevents(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "COLUMNS": "10000"}
    return subprocess.Popen([sys.executable, "-m", "newsevents", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "shared.duckdb"
    with open_store(path) as s:
        s.write(stored_corpus(20))
    return path


def test_a_run_completes_while_the_server_answers_and_its_events_show_at_once(store, corpus):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(store_path=str(store))), port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    statuses, totals, stop = [], [], threading.Event()

    def reader(route: str, params: dict) -> None:
        with httpx.Client(base_url=url, timeout=120) as c:
            while not stop.is_set():
                r = c.get(route, params=params)
                statuses.append((r.status_code, r.text[:300]))
                if route == "/api/articles" and r.status_code == 200:
                    totals.append(r.json()["total"])

    readers = [threading.Thread(target=reader, args=a) for a in [
        ("/api/articles", {"limit": 5}), ("/api/events", {"actor": "RUS"}),
        ("/api/stats", {"by": "week", "per": "none"}), ("/api/articles", {"limit": 1})]]
    for t in readers:
        t.start()
    try:
        time.sleep(0.5)
        run = newsevents("run", str(corpus), "--store", str(store), "--workers", "1", "--batch-size", "2",
                         "--commit-every", "2", "--quiet")
        _, err = run.communicate(timeout=600)
        seen_during_run = list(totals)
        time.sleep(0.3)
    finally:
        stop.set()
        for t in readers:
            t.join()
        server.should_exit = True
    assert run.returncode in (0, 1), err[-3000:]  # 1: an input of the sample was rejected, not a store problem
    assert "locked" not in err and "Traceback" not in err, err[-3000:]
    assert [s for s in statuses if s[0] != 200] == []  # no reader was ever refused
    with open_store(store, read_only=True) as s:
        final = s.counts()
    assert final["articles"] > 20 and final["events"] > 0
    # The server showed the run's commits as they came, without a restart.
    assert seen_during_run[0] == 20 and totals[-1] == final["articles"]
    assert any(20 < n < final["articles"] for n in seen_during_run), sorted(set(seen_during_run))


HOLDER = """
import sys, time
sys.path.insert(0, {src!r})
from newsevents.store import DuckDBStore
s = DuckDBStore({path!r})
print("ready", flush=True)
time.sleep({seconds})
s.close()
"""


def hold(path: Path, seconds: float) -> subprocess.Popen:
    """A process holding the store for writing (not taking turns) for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER.format(src=SRC, path=str(path), seconds=seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_run_wait_waits_for_a_process_holding_the_store(store, corpus):
    holder = hold(store, 4)
    try:
        run = newsevents("run", str(corpus), "--store", str(store), "--workers", "1", "--wait", "120", "--quiet")
        _, err = run.communicate(timeout=600)
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode in (0, 1) and "locked" not in err, err[-3000:]
    with open_store(store, read_only=True) as s:
        assert s.counts()["articles"] > 20


def test_sharing_writers_and_shared_reads_take_turns_in_one_process(store):
    reads = SharedReads(store)
    with reads.store() as s:
        before = s.counts()["articles"]
    # the shared connection stays open between requests; a writer waiting for it gets it
    with open_store(store, share=True) as writer:
        writer.write(stored_corpus(25)[20:])
        with reads.store() as s:  # between the writer's transactions the readers have the file
            assert s.counts()["articles"] == before + 5
        writer.write(stored_corpus(30)[25:])
    with reads.store() as s:
        assert s.counts()["articles"] == before + 10
    reads.close()


def test_a_held_store_is_refused_to_readers_after_wait(store):
    holder = hold(store, 30)
    try:
        started = time.monotonic()
        with pytest.raises(StoreLocked, match=f"PID {holder.pid}"):
            with SharedReads(store, wait=0.5).store():
                pass
        assert time.monotonic() - started < 20
        with pytest.raises(StoreLocked):
            DuckDBStore(store, share=True).write(stored_corpus(21)[20:])
    finally:
        holder.kill()
        holder.wait()
