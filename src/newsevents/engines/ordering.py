"""Results of submitted work in submission order, with a bounded number in flight (both engines)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..ingest import Unit


def ordered(submit: Callable[[list[Unit]], Any], chunks: Iterable[list[Unit]], limit: int) -> Iterator[Any]:
    """``submit(chunk)`` for each chunk, keeping at most ``limit`` futures pending, and each
    future's result in submission order (so memory stays bounded however long the input)."""
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(submit(chunk))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
