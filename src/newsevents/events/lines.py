"""Coding independent sentences, one per input line (``newsevents code --lines``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..ingest import article_id, normalise_date
from ..model import Article, Document, as_dict
from ..settings import Settings


def code_lines(lines: Iterable[str], published: str | None = None, settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """One record per line, in order: ``{"text", "quad_class", "events": [...]}``.

    Every line gives a record, a blank one too (with no events), so outputs align with inputs.
    Lines are parsed in batches through the whole pipeline.
    """
    from .. import get_pipeline

    settings = settings or Settings()
    date = normalise_date(published) if published else None
    pipeline = get_pipeline(settings)
    lines = list(lines)
    articles = (
        Article(id=article_id(t) if t.strip() else f"blank-{i}", body=t, language="en", source=f"line {i + 1}",
                published=date)
        for i, t in enumerate(lines)
    )
    for text, doc in zip(lines, pipeline.pipe(articles)):
        yield line_record(text, doc)


def line_record(text: str, doc: Document) -> dict[str, Any]:
    # the sentence-level class of the first coded sentence (the events stage may have taken the
    # model's verdict over a far-fetched trigger), else of any sentence the model classed
    principal = next((e for e in doc.events if e.principal), None)
    by_index = {s.index: s.quad_class for s in doc.sentences}
    coded = [q for q in by_index.values() if q is not None]
    if principal is not None:
        quad = by_index.get(principal.sentence_index)
        quad = principal.quad_class if quad is None else quad
    else:
        quad = max(coded) if coded else None
    return {"text": text, "quad_class": quad, "events": [as_dict(e) for e in doc.events]}
