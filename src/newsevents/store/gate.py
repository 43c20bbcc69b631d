"""Taking turns on one store file between processes: readers, and writers that let go.

DuckDB lets one process open a file for writing, or any number of processes open it read-only,
never both. So that a server answering readers never stops a batch run, and the run's commits
show up in the server at once, the processes that share a store take turns through a lock on a
file beside it (``events.duckdb.turn``, an ``flock``):

- a writer holds the turn exclusively from before it opens the store file until after it has
  committed and closed it (one transaction: :meth:`Gate.writing`);
- a reader opens the store file only while no writer holds the turn, and lets go of its
  read-only connection as soon as it sees a writer waiting for it (:meth:`Gate.writer_waiting`,
  checked between queries), so the writer gets the file within one query's time.

Processes that do not take turns (an older newsevents, a DuckDB shell, a Python session
holding a store open) still lock the file the way DuckDB does; they are the ones a reader or
writer reports as :class:`~newsevents.errors.StoreLocked`. Where there is no ``flock``
(Windows) or the folder is read-only, there are no turns: plain DuckDB locking.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

#: How often a waiting process tries again (seconds).
POLL = 0.01


class Gate:
    """The turn lock of the store file at ``path`` (``path + ".turn"``)."""

    def __init__(self, path: str):
        self.path = path + ".turn"

    def _open(self, create: bool) -> int | None:
        if fcntl is None:
            return None
        try:
            return os.open(self.path, os.O_RDWR | (os.O_CREAT if create else 0), 0o666)
        except OSError:  # a read-only folder, or no turn file yet for a reader: no turns to take
            return None

    @contextmanager
    def writing(self, deadline: float) -> Iterator[bool]:
        """Hold the turn (writers wait for each other, new readers wait for us) until the block
        ends. Yields False when the turn could not be had by ``deadline`` (time.monotonic)
        or there are no turns here; the caller then relies on DuckDB's own lock."""
        fd = self._open(create=True)
        if fd is None:
            yield False
            return
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(POLL)
            yield True
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def writer_waiting(self) -> bool:
        """Whether a writer holds the turn (it is waiting for readers to let go, or writing)."""
        fd = self._open(create=False)
        if fd is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)

    def wait_for_writer(self, deadline: float) -> bool:
        """Wait until no writer holds the turn; False if one still does at ``deadline``."""
        while self.writer_waiting():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
        return True
