"""Taking turns on one store file between processes: readers, and writers that let go.

DuckDB lets one process open a file for writing, or any number of processes open it read-only,
never both. So that a server answering readers never stops a batch run, and the run's commits
show up in the server at once, the processes that share a store take turns through two locks
(``flock``) on files beside it:

- ``events.duckdb.turn``: a sharing writer holds it exclusively for as long as it has the
  store file open for writing (at least one transaction; longer while nobody else waits);
- ``events.duckdb.wait``: whoever waits for the file (a reader, another writer) holds it
  shared while waiting, which tells the holder to let go.

A reader opens the store file only while no writer holds the turn, and lets go of it as soon
as it sees a writer take the turn (checked between queries). A writer gives the turn back after
a commit when someone waits, and before it takes the turn again it lets those who waited in
first, so readers and writers alternate rather than starve.

Processes that do not take turns (an older newsevents, a DuckDB shell, a Python session
holding a store open) still lock the file the way DuckDB does; they are the ones a reader or
writer reports as :class:`~newsevents.errors.StoreLocked`. Where there is no ``flock``
(Windows) or the folder is read-only, there are no turns: plain DuckDB locking.
"""

from __future__ import annotations

import os
import time

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

#: How often a waiting process tries again (seconds).
POLL = 0.01
#: How long a writer lets those who waited for the file go first (seconds).
POLITE = 2.0


class Gate:
    """The turn of the store file at ``path`` (one per process and role: a lock is held by an
    open file, so a reader and a writer in one process take turns too)."""

    def __init__(self, path: str):
        self.turn_path = path + ".turn"
        self.wait_path = path + ".wait"
        self._turn: int | None = None  # our descriptor of the turn file while we hold it

    @staticmethod
    def _open(path: str, create: bool = True) -> int | None:
        if fcntl is None:
            return None
        try:
            return os.open(path, os.O_RDWR | (os.O_CREAT if create else 0), 0o666)
        except OSError:  # a read-only folder (or nothing there yet): no turns to take
            return None

    @staticmethod
    def _try(fd: int, how: int) -> bool:
        try:
            fcntl.flock(fd, how | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    # ------------------------------------------------------------------ writers
    @property
    def held(self) -> bool:
        return self._turn is not None

    def take(self, deadline: float) -> bool:
        """Take the turn, waiting (and saying so) until ``deadline`` (time.monotonic). False when
        there are no turns here or it could not be had in time."""
        if self._turn is not None:
            return True
        fd = self._open(self.turn_path)
        if fd is None:
            return False
        polite = min(deadline, time.monotonic() + POLITE)
        while self.others_waiting() and time.monotonic() < polite:
            time.sleep(POLL)  # those who waited while we wrote go first
        if self._try(fd, fcntl.LOCK_EX) or self._waiting(lambda: self._try(fd, fcntl.LOCK_EX), deadline):
            self._turn = fd
            return True
        os.close(fd)
        return False

    def give(self) -> None:
        if self._turn is not None:
            os.close(self._turn)  # closing the descriptor releases the lock
            self._turn = None

    def others_waiting(self) -> bool:
        """Whether anyone waits for the file (a holder should let go at its next chance)."""
        return self._taken(self.wait_path, fcntl.LOCK_EX if fcntl else 0)

    def _taken(self, path: str, how: int) -> bool:
        """Whether another holds the lock on ``path`` that ``how`` (a shared or an exclusive
        lock, tried and let go at once) would conflict with."""
        fd = self._open(path, create=False)
        if fd is None:
            return False
        try:
            return not self._try(fd, how)
        finally:
            os.close(fd)

    # ------------------------------------------------------------------ readers
    def writer_has_turn(self) -> bool:
        """Whether a writer holds the turn (it has the file, or waits for readers to let go)."""
        return self._taken(self.turn_path, fcntl.LOCK_SH if fcntl else 0)

    def wait_for_writer(self, deadline: float) -> bool:
        """Wait (and say so) until no writer holds the turn; False if one still does at ``deadline``."""
        if not self.writer_has_turn():
            return True
        return self._waiting(lambda: not self.writer_has_turn(), deadline)

    def _waiting(self, done, deadline: float) -> bool:
        """Poll ``done`` until it is true or ``deadline`` passes, holding the wait lock meanwhile."""
        fd = self._open(self.wait_path)
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_SH)
            while not done():
                if time.monotonic() >= deadline:
                    return False
                time.sleep(POLL)
            return True
        finally:
            if fd is not None:
                os.close(fd)
