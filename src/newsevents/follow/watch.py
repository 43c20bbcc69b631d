"""``newsevents watch``: files dropped into folders are coded into the store as they come.

Every ``interval`` seconds the folders are listed (recursively, hidden files and partial
downloads left out). A new or changed file is taken once its size and modification time have
not moved for ``settle`` seconds, so a file still being written is waited for. Each file is
ingested (text, HTML, JSONL/CSV dumps, .gz, as ``newsevents run`` reads them), coded and written
in transactions of ``settings.batch_size`` inputs; then its size and time go into the state
file beside the store, so a restart does not read it again, and a file that grows (a dump being
appended to) is read again with what it held before skipped by the store. A stop (SIGTERM,
Ctrl-C) ends after the transaction under way.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..ingest import iter_files, units
from ..model import Rejection
from ..pipeline import Pipeline
from ..settings import Settings
from ..store import Store
from . import StateFile, Stop, Tally, chunks, code_units

log = logging.getLogger(__name__)

#: Names of files that are still being downloaded or edited, never articles.
PARTIAL = re.compile(r"(~|\.(part|partial|tmp|temp|crdownload|download|swp))$", re.IGNORECASE)


@dataclass(frozen=True)
class Seen:
    size: int
    mtime_ns: int


class Watcher:
    """Watches ``folders`` and codes what appears in them into ``store`` (a sharing store)."""

    def __init__(self, folders: list[str | Path], store: Store, pipeline: Pipeline, settings: Settings | None = None,
                 *, settle: float = 2.0, interval: float = 1.0, on_change: Callable[[Tally], None] | None = None):
        self.folders = [str(f) for f in folders]
        missing = [f for f in self.folders if not Path(f).is_dir()]
        if missing:
            raise FileNotFoundError(f"not a folder: {', '.join(missing)}")
        self.store, self.pipeline = store, pipeline
        self.settings = settings or Settings()
        self.settle, self.interval = settle, interval
        self.on_change = on_change or (lambda tally: None)
        self.state = StateFile(f"{store.path}.watch")
        self.done = {p: Seen(**v) for p, v in self.state.load().get("files", {}).items()}
        self.pending: dict[str, tuple[Seen, float]] = {}  # path -> (as last seen, since when unchanged)
        self.tally = Tally()

    def ready(self) -> list[str]:
        """Files new or changed since they were coded, unchanged for ``settle`` seconds."""
        now = time.monotonic()
        out = []
        listed = set()
        for path in iter_files(self.folders):
            name = os.path.basename(path)
            if PARTIAL.search(name):
                continue
            try:
                st = os.stat(path)
            except OSError:  # gone since it was listed
                continue
            if not os.path.isfile(path):
                continue
            listed.add(path)
            seen = Seen(st.st_size, st.st_mtime_ns)
            if self.done.get(path) == seen:
                continue
            before = self.pending.get(path)
            if before is None or before[0] != seen:
                self.pending[path] = (seen, now)
            elif now - before[1] >= self.settle:
                out.append(path)
        for path in set(self.pending) - listed:
            del self.pending[path]
        return out

    def code(self, path: str, stop: Stop) -> None:
        seen = self.pending[path][0]
        written = before = 0
        for chunk in chunks(units([path], self.settings), self.settings.batch_size):
            rejected = [u for u in chunk if isinstance(u, Rejection)]
            for r in rejected:
                log.warning("skipped %s: %s (%s)", r.source, r.message, r.reason)
            counts, rejections, failures, known = code_units([u for u in chunk if not isinstance(u, Rejection)],
                                                             self.settings, self.pipeline, self.store)
            for r in rejections:
                log.warning("skipped %s: %s (%s)", r.source, r.message, r.reason)
            for f in failures:
                log.error("failed %s: %s", f.source, f.reason)
            self.tally.add(counts)
            self.tally.stored += known
            self.tally.rejected += len(rejected) + len(rejections)
            self.tally.failed += len(failures)
            written += counts.articles
            before += counts.skipped + known
            if stop:  # the rest of the file next time: it is not marked as done
                return
        self.done[path] = seen
        del self.pending[path]
        self.state.save({"files": {p: vars(s) for p, s in self.done.items()}})
        at = datetime.now(timezone.utc).strftime("%H:%M:%S")
        self.tally.last = f"{os.path.basename(path)} at {at}"
        log.info("%s: %d articles written, %d already stored", path, written, before)

    def run(self, stop: Stop | None = None, once: bool = False) -> Tally:
        """Watch until ``stop`` is set (or, with ``once``, until what is there now is coded)."""
        stop = Stop() if stop is None else stop
        while not stop:
            ready = self.ready()
            for path in ready:
                if stop:
                    break
                try:
                    self.code(path, stop)
                except OSError as exc:  # removed or unreadable meanwhile: try again when it changes
                    log.error("cannot read %s: %s", path, exc)
                    self.pending.pop(path, None)
                self.on_change(self.tally)
            if once and not self.pending:
                break
            stop.wait(self.interval)
        return self.tally
