"""newsevents: raw news articles in, structured political event data out.

The few things most users call::

    import newsevents
    doc = newsevents.extract(open("article.txt").read())      # a Document: article, actors, quotes, events ...
    events = newsevents.code_text("Russia accused Ukraine of shelling.", published="2022-01-13")
    for doc in newsevents.extract_files(["corpus/"]):           # folders, JSONL/CSV dumps, HTML, .gz
        ...
    with newsevents.open_store("events.duckdb") as store:        # DuckDB; pandas out
        store.write(newsevents.extract_files(["corpus/"]))
        store.events(source="RUS", target="USA")
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from .errors import IngestError, NewseventsError
from .model import Article, Document, Event, Location, Mention, Quote, Rejection, Sentence
from .pipeline import Pipeline
from .settings import Settings

from .version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())


@lru_cache(maxsize=4)
def get_pipeline(settings: Settings | None = None) -> Pipeline:
    """The pipeline for ``settings``, built once per process (models load once)."""
    return Pipeline(settings or Settings())


def extract(text: str | Article, settings: Settings | None = None, source: str = "<text>",
            published: str | None = None) -> Document:
    """Every stage over one article: scraped text or an HTML page as a string, or an Article.

    Raises an :class:`~newsevents.errors.IngestError` for input that is not an article.
    """
    from .ingest import read_text

    settings = settings or Settings()
    article = text if isinstance(text, Article) else read_text(text, source=source, settings=settings, published=published)
    return get_pipeline(settings)(article)


def extract_files(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Document | Rejection]:
    """A Document for each article under ``paths`` (or a Rejection saying why not), streaming."""
    from .ingest import read

    settings = settings or Settings()
    pipeline = get_pipeline(settings)
    rejected: list[Rejection] = []

    def articles():
        for item in read(paths, settings):
            if isinstance(item, Rejection):
                rejected.append(item)
            else:
                yield item

    for doc in pipeline.pipe(articles()):
        while rejected:
            yield rejected.pop(0)
        yield doc
    yield from rejected


def code_text(text: str, published: str | None = None, settings: Settings | None = None) -> list[Event]:
    """Events coded from ``text`` taken as it is (one sentence or a short passage, no furniture
    removal or language check), dated against ``published`` when given."""
    return code_document(text, published, settings).events


def code_document(text: str, published: str | None = None, settings: Settings | None = None) -> Document:
    """Like :func:`code_text`, returning the whole Document (sentences, actors, quotes ...)."""
    from .ingest import article_id, normalise_date
    from .ingest.decode import replace_surrogates

    text = replace_surrogates(text)
    article = Article(id=article_id(text) if text.strip() else "empty", body=text, language="en", source="<text>",
                      published=normalise_date(published) if published else None)
    return get_pipeline(settings or Settings())(article)


def open_store(path: str | Path | None = None, read_only: bool = False, settings: Settings | None = None,
               wait: float = 0.0, share: bool = False):
    """The store (a DuckDB file, created when missing; default ``settings.store_path``): write
    Documents into it, query events, mentions, quotes and articles as pandas DataFrames, export
    them. See :func:`newsevents.store.open_store` and docs/store.md."""
    from .store import open_store as _open_store

    return _open_store(path, read_only=read_only, settings=settings, wait=wait, share=share)


__all__ = [
    "Article", "Document", "Event", "IngestError", "Location", "Mention", "NewseventsError", "Pipeline", "Quote",
    "Rejection", "Sentence", "Settings", "code_document", "code_text", "extract", "extract_files", "get_pipeline",
    "open_store",
]
