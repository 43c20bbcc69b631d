"""What a worker does with one chunk of raw inputs: ingest, skip what is stored, run the stages.

Every engine runs :func:`process` (in the main process, in a worker process, on a Dask
worker), so every engine produces the same Documents. The main process only reads raw inputs
and writes the store; the costly work (decoding, HTML extraction, language check, the stages,
serialisation) happens here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from hashlib import blake2b

import numpy as np

from ..ingest import Unit, article_or_rejection
from ..model import Article, Document, Rejection
from ..pipeline import Pipeline
from ..settings import Settings

log = logging.getLogger(__name__)

#: Which of some article ids are stored already (a set of them).
Known = Callable[[Iterable[str]], set[str]]


@dataclass
class Failure:
    """An article the stages could not process (a bug or a pathological input)."""

    source: str
    article_id: str | None
    reason: str


@dataclass
class ChunkResult:
    """The outcome of one chunk. ``docs`` are Documents in the process that made them, and
    ``(document JSON)`` strings on the way back from a worker process (cheap to send); a Dask
    worker writes them to ``shard`` instead."""

    docs: list = field(default_factory=list)
    known: int = 0  # articles skipped because the store has them
    rejections: list[Rejection] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    shard: str | None = None
    ids: list[str] = field(default_factory=list)  # of docs, when they are JSON strings


def process(units: list[Unit], settings: Settings, pipeline: Pipeline, known: Known) -> ChunkResult:
    """Ingest ``units``, drop the articles ``known`` says are stored, run ``pipeline`` over the
    rest; an article whose stages fail is a :class:`Failure` and the others go on."""
    result = ChunkResult()
    articles: list[Article] = []
    for unit in units:
        try:
            item = article_or_rejection(unit, settings)
        except Exception as exc:  # an unforeseen crash reading a file: the run goes on without it
            result.failures.append(Failure(unit.source, None, _reason(exc)))
            continue
        if isinstance(item, Rejection):
            result.rejections.append(item)
        else:
            articles.append(item)
    stored = known([a.id for a in articles]) if articles else set()
    fresh = [a for a in articles if a.id not in stored]
    result.known = len(articles) - len(fresh)
    result.docs = _stages(fresh, pipeline, result.failures)
    return result


def _stages(articles: list[Article], pipeline: Pipeline, failures: list[Failure]) -> list[Document]:
    try:
        return list(pipeline.pipe(articles))
    except Exception:
        pass
    # One article broke the batch: redo them one at a time to keep the others.
    docs = []
    for a in articles:
        try:
            docs.append(pipeline(a))
        except Exception as exc:
            log.warning("discarding article %s (%s): the stages failed", a.id, a.source, exc_info=True)
            failures.append(Failure(a.source, a.id, _reason(exc)))
    return docs


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def serialise(result: ChunkResult) -> ChunkResult:
    """The result with its Documents as JSON, for the trip back to the main process."""
    result.ids = [d.article.id for d in result.docs]
    result.docs = [d.to_json() for d in result.docs]
    return result


class KnownIds:
    """The ids stored when the run began, as a sorted array of 64-bit numbers (8 bytes an
    article), small enough to hand to every worker. An article id from ingest is 16 hex digits,
    so it maps to its number exactly; any other id is hashed."""

    def __init__(self, ids: Iterable[str]):
        self.keys = np.unique(np.fromiter((_key(i) for i in ids), dtype=np.uint64))

    def __call__(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids or not len(self.keys):
            return set()
        keys = np.fromiter((_key(i) for i in ids), dtype=np.uint64, count=len(ids))
        pos = np.searchsorted(self.keys, keys).clip(max=len(self.keys) - 1)
        return {i for i, hit in zip(ids, self.keys[pos] == keys) if hit}

    def __len__(self) -> int:
        return len(self.keys)


def _key(article_id: str) -> int:
    if len(article_id) == 16:
        try:
            return int(article_id, 16)
        except ValueError:
            pass
    return int.from_bytes(blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "big")
