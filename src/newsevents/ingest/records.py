"""JSONL and CSV dumps: one article per record, with configurable field names."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..errors import BadRecord
from ..settings import Settings

csv.field_size_limit(50_000_000)


def jsonl_records(lines: Iterable[bytes], source: str, max_line: int | None = None,
                  ) -> Iterator[tuple[str, dict[str, Any] | BadRecord]]:
    """``(source:line, record)`` for each non-blank line of a binary stream; broken lines give a
    BadRecord. Reads one line at a time, so a dump of any size streams; with ``max_line``, a line
    longer than that many bytes is skipped unread (a file with no newlines is not one record)."""
    if max_line is not None:
        lines = _bounded_lines(lines, max_line)
    for n, raw in enumerate(lines, 1):
        where = f"{source}:{n}"
        if raw is None:
            yield where, BadRecord(where, f"line {n} is longer than {max_line:,} bytes (max_input_bytes): is the "
                                          "file JSON Lines, one record per line?")
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield where, BadRecord(where, f"line {n} is not valid UTF-8 (byte {exc.start}); JSONL must be UTF-8")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, BadRecord(where, f"line {n} is not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield where, BadRecord(where, f"line {n} is JSON nested too deeply to read")
            continue
        if not isinstance(record, dict):
            yield where, BadRecord(where, f"line {n} is JSON but not an object")
            continue
        yield where, record


def _bounded_lines(stream, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary stream, None for each one longer than ``limit`` (skipped in pieces,
    never held whole)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
        yield None


def csv_records(stream: IO[bytes], source: str, settings: Settings) -> Iterator[tuple[str, dict[str, Any] | BadRecord]]:
    """``(source:line, record)`` for each row of a CSV/TSV stream (UTF-8; undecodable bytes are
    replaced); a row with more or fewer cells than the header has columns is a BadRecord (its
    cells would land in the wrong fields: the URL as the article's text)."""
    dialect = "excel-tab" if source.endswith((".tsv", ".tsv.gz")) else "excel"
    reader = csv.DictReader(io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline=""), dialect=dialect)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not any(f in header for f in settings.text_fields):
        yield source, BadRecord(
            source,
            f"the CSV has no text column: columns are {', '.join(header) or '(none)'}; "
            f"expected one of {', '.join(settings.text_fields)} (set text_fields / --text-field)",
        )
        return
    last_line = reader.line_num
    for row in reader:
        line, last_line = last_line + 1, reader.line_num  # a quoted cell may span lines: where the row starts
        where = f"{source}:{line}"
        cells = len(header) + len(row[None]) if None in row else sum(v is not None for v in row.values())
        if cells != len(header):
            yield where, BadRecord(where, f"line {line} has {cells} cells for {len(header)} columns "
                                          f"({', '.join(header)}): a cell or a separator is missing or extra")
            continue
        yield where, {k.strip().lower(): v for k, v in row.items() if k is not None}


def pick(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first non-empty value among ``names`` (case-insensitive), or None."""
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, "", [], {}):
            return value
    return None
