"""Data shipped inside the package (samples, dictionaries, codebooks)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE_ARTICLE = "kremlin-2022-01-13.txt"
SAMPLE_CORPUS = "official-statements-2016.jsonl"


def data_path(*parts: str) -> Path:
    """Path of a file shipped in ``newsevents/data``."""
    return Path(str(files("newsevents.data").joinpath(*parts)))


def sample_paths() -> list[Path]:
    """The bundled sample: the canonical article, then the public-domain statements corpus."""
    return [data_path("samples", SAMPLE_ARTICLE), data_path("samples", SAMPLE_CORPUS)]
