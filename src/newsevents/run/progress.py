"""How many raw inputs a run has, counted cheaply beside it so the progress bar can give an ETA."""

from __future__ import annotations

import os

from ..ingest import STDIN, format_of, iter_files
from ..settings import Settings

_BLOCK = 1 << 20


def count_inputs(paths: list[str], settings: Settings) -> int | None:
    """Inputs under ``paths``: one per text/HTML file, one per JSONL line, one per CSV line
    after the header (an estimate: blank lines and quoted line breaks count too). None when it
    cannot be known without reading the input twice (stdin, compressed dumps)."""
    total = 0
    for path in iter_files(paths):
        if path == STDIN:
            return None
        fmt = format_of(path, settings)
        if fmt not in ("jsonl", "csv") or not os.path.isfile(path):  # (opening a pipe would wait)
            total += 1
            continue
        if path.endswith(".gz"):
            return None
        try:
            lines = _lines(path)
        except OSError:
            total += 1  # it will be rejected, as one input
            continue
        total += max(lines - 1, 0) if fmt == "csv" else lines
    return total


def _lines(path: str) -> int:
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while block := f.read(_BLOCK):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")
