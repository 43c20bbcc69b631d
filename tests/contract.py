"""The output contract, checked on any Document JSON: every span points into the body."""

from __future__ import annotations

from typing import Any


def span_problems(doc: dict[str, Any]) -> list[str]:
    """Each span (any object with ``text``, ``start`` and ``end``, at any depth: sentences,
    actors, events' trigger/sentence/source/target/reporter/places/date span, quotes' content,
    cue, speaker and parts) whose text is not ``body[start:end]`` (``title[start:end]`` for the
    title's quotes); empty when all are."""
    body = doc["article"]["body"]
    problems: list[str] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            if {"text", "start", "end"} <= value.keys() and isinstance(value["start"], int):
                start, end = value["start"], value["end"]
                if not (0 <= start <= end <= len(body)) or body[start:end] != value["text"]:
                    problems.append(f"{where}: {value['text']!r} at {start}:{end} is {body[start:end]!r} in the body")
            for key, inner in value.items():
                walk(inner, f"{where}.{key}")
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                walk(inner, f"{where}[{i}]")

    for key, value in doc.items():
        if key not in ("article", "title_quotes"):
            walk(value, key)
    body = doc["article"].get("title") or ""  # the title's quotes point into the title
    walk(doc.get("title_quotes", []), "title_quotes")
    return problems
