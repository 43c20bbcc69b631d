"""Exceptions raised by newsevents.

The tree::

    NewseventsError                 anything newsevents raises on purpose
    ├── SettingsError               an unknown or invalid setting (names the valid ones)
    │   ├── InvalidFilter           a filter of a store read: has .param and .valid
    │   └── StageOrderError         a stage lacks what it requires from earlier stages (names them)
    ├── ModelError                  the spaCy model (or a shipped model) is missing or not the pinned one
    ├── IngestError                 one input could not become an article; has .source and .reason
    │   ├── EmptyInput              nothing but whitespace
    │   ├── BinaryInput             bytes that are not text (NUL bytes, an image, a PDF ...)
    │   ├── DecodeFailure           the encoding could not be detected
    │   ├── InputTooLarge           bigger than settings.max_input_bytes
    │   ├── CorruptArchive          a truncated or broken .gz file
    │   ├── NoArticle               HTML with no article text in it
    │   ├── BadRecord               a JSONL/CSV record that is broken or lacks the text field
    │   └── UnsupportedInput        a path that does not exist or is not a file we read
    ├── StoreError                  the store cannot be opened or written
    │   ├── StoreLocked             another process holds the store for writing
    │   ├── StoreDamaged            the file is damaged or not a store (check, repair or restore it)
    │   ├── SchemaMismatch          the store was written by a newer schema than this version knows
    │   └── StoreFault              a write failed on the way to disk: disk full, I/O error
    └── WorkerError                 a batch run's worker process or cluster failed (rerun to resume)

Each maps to one exit status of the command line (:func:`exit_status`, docs/reliability.md):
0 all done; 1 some inputs rejected, each named; 2 a usage or store problem (a bad option or
filter, a locked, damaged or missing store); 3 stopped by a fault (disk full, an I/O error, a
worker killed) after committing what it had done, which the same command resumes.

Every message names the file (or record) and what to do next. In a batch, an IngestError for
one input is reported and the batch goes on.
"""

from __future__ import annotations


class NewseventsError(Exception):
    """Base class of every error newsevents raises on purpose."""


#: Exit statuses of the command line.
EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_FAULT = 0, 1, 2, 3


class SettingsError(NewseventsError, ValueError):
    pass


class InvalidFilter(SettingsError):
    """A filter value that selects nothing meaningful: names the parameter and the valid values."""

    def __init__(self, param: str, message: str, valid: list[str] | None = None):
        self.param = param
        self.valid = list(valid or [])
        self.message = message
        super().__init__(f"{message}; valid: {', '.join(self.valid)}" if self.valid else message)


class StageOrderError(SettingsError):
    """Stages in an order where one lacks what it requires: named in the settings (raised when
    the pipeline is built), or a function that needs a stage's results called without them."""


class ModelError(NewseventsError):
    pass


class IngestError(NewseventsError):
    """One input (file, record, page) that could not become an article."""

    reason = "ingest-error"

    def __init__(self, source: str, message: str):
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


class EmptyInput(IngestError):
    reason = "empty"


class BinaryInput(IngestError):
    reason = "binary"


class DecodeFailure(IngestError):
    reason = "undecodable"


class InputTooLarge(IngestError):
    reason = "too-large"


class CorruptArchive(IngestError):
    reason = "corrupt-archive"


class NoArticle(IngestError):
    reason = "no-article"


class BadRecord(IngestError):
    reason = "bad-record"


class UnsupportedInput(IngestError):
    reason = "unsupported"


class StoreError(NewseventsError):
    pass


class StoreLocked(StoreError):
    pass


class StoreDamaged(StoreError):
    pass


class SchemaMismatch(StoreError):
    pass


class StoreFault(StoreError):
    """A write that failed on the way to disk. What was committed before it is kept; ``report``
    (set by a batch run) says how far it got."""

    report = None


class WorkerError(NewseventsError):
    pass


def exit_status(exc: BaseException) -> int:
    """The command line's exit status for an error that stopped a command."""
    if isinstance(exc, (StoreFault, WorkerError, OSError)):
        return EXIT_FAULT
    return EXIT_USAGE
