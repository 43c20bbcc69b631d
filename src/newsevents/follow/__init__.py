"""Continuous ingestion: folders watched (:mod:`.watch`) and news feeds polled (:mod:`.feeds`).

Both run the stages in this process (the pipeline loads once) and write through the same store
path as ``newsevents run``: a store opened with ``share=True``, so a server answering readers and
other writers take turns with them, and what they commit shows in the page at once. Both keep
what they have done in a small state file beside the store (``events.duckdb.watch``,
``events.duckdb.feeds``), so a restart goes on where they stopped; the store itself skips an
article it has (same text), so nothing is stored twice even if a state file is lost.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ingest import Unit
from ..model import Article, Rejection
from ..pipeline import Pipeline
from ..run.work import Failure, _stages, process
from ..store import Store, WriteCounts

log = logging.getLogger(__name__)


@dataclass
class Tally:
    """What a watcher or a poller has done since it started."""

    written: int = 0  # articles stored
    stored: int = 0  # already in the store: skipped
    rejected: int = 0  # inputs that are not articles (empty, not English ...)
    failed: int = 0  # inputs or articles that could not be processed (fetch errors, stage failures)
    events: int = 0  # event mentions stored
    last: str = ""  # what was done last, for the status line

    def add(self, counts: WriteCounts) -> None:
        self.written += counts.articles
        self.stored += counts.skipped
        self.failed += counts.failed
        self.events += counts.mentions


def code_units(units: list[Unit], settings, pipeline: Pipeline, store: Store) -> tuple[WriteCounts, list[Rejection],
                                                                                       list[Failure], int]:
    """Ingest ``units``, skip what the store has, run the stages, write: the counts, the
    rejections, the failures and how many were stored already."""
    result = process(units, settings, pipeline, store.known_ids)
    counts = store.write(result.docs)
    return counts, result.rejections, result.failures, result.known


def code_articles(articles: list[Article], pipeline: Pipeline, store: Store) -> tuple[WriteCounts, list[Failure]]:
    """Run the stages over ``articles`` (already ingested) and write them."""
    failures: list[Failure] = []
    counts = store.write(_stages(articles, pipeline, failures))
    return counts, failures


class StateFile:
    """A JSON object kept beside the store, replaced whole (write, then rename) so that a crash
    leaves the old one or the new one."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def load(self) -> dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("%s cannot be read (%s): starting afresh (the store skips what it has)", self.path, exc)
            return {}

    def save(self, state: dict[str, Any]) -> None:
        with self._lock:
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)


@dataclass
class Stop:
    """Set from a signal handler: finish what is under way (commit it), then return."""

    event: threading.Event = field(default_factory=threading.Event)

    def __bool__(self) -> bool:
        return self.event.is_set()

    def set(self) -> None:
        self.event.set()

    def wait(self, seconds: float) -> bool:
        return self.event.wait(seconds)


def chunks(items: Iterable, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
