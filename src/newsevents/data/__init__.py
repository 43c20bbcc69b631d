"""Data shipped inside the package (samples, dictionaries, codebooks)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE_ARTICLE = "kremlin-2022-01-13.txt"
SAMPLE_CORPUS = "official-statements-2016.jsonl"
#: 89 Voice of America stories, 2019-2025 (US Government works, public domain): real, dated news.
NEWS_CORPUS = "voa-2025.jsonl"


def data_path(*parts: str) -> Path:
    """Path of a file shipped in ``newsevents/data``."""
    return Path(str(files("newsevents.data").joinpath(*parts)))


def sample_paths() -> list[Path]:
    """The bundled sample: the canonical article, the Voice of America news stories, then the
    official statements of 2016."""
    return [data_path("samples", name) for name in (SAMPLE_ARTICLE, NEWS_CORPUS, SAMPLE_CORPUS)]
