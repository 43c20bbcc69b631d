"""The pipeline: named stages, built from the settings, run over a stream of articles.

Stages are looked up by name in the registry (:mod:`newsevents.stages`: built-in ones by dotted
path, so a stage's module is imported only when it is used; :func:`register_stage` adds one).
Each declares what it requires from earlier stages and what it assigns; the pipeline checks the
order when it is built, before any model loads, and says what is missing. A test can swap a
stage for a fake by passing ``stages=``.

A stage whose class sets ``language_bound = True`` reads the text with English models or word
lists: it runs only on articles whose language is in ``settings.languages``. Other articles pass
it by, and ``Document.stages_skipped`` (and a warning on the article) says why, so an article in
another language is still stored, with its language, and never silently dropped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from .model import Article, Document
from .settings import STAGES, Settings
from .stages import STAGE_FACTORIES, Stage, StageOrderError, check_order, declared, factory_of, register_stage


class Pipeline:
    """Runs the stages named in ``settings.stages`` in order; :class:`StageOrderError` if a stage
    lacks what it requires."""

    def __init__(self, settings: Settings | None = None, stages: list[tuple[str, Stage]] | None = None,
                 keep_parse: bool = False):
        self.settings = settings or Settings()
        if stages is None:
            check_order([(n, *declared(n)) for n in self.settings.stages])
            stages = [(n, factory_of(n)(self.settings)) for n in self.settings.stages]
        else:
            check_order([(n, *declared(n, stage)) for n, stage in stages])
        self.stages = stages
        self.keep_parse = keep_parse

    @property
    def stage_names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def __call__(self, article: Article) -> Document:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Documents for ``articles``, in order, streaming (batches only inside stages)."""
        docs: Iterable[Document] = (Document(article=a) for a in articles)
        for name, stage in self.stages:
            docs = _apply(name, stage, docs, self.settings)
        for doc in docs:
            if not self.keep_parse:
                doc.drop_parse()
            yield doc


def _apply(name: str, stage: Any, docs: Iterable[Document], settings: Settings) -> Iterator[Document]:
    bound = getattr(stage, "language_bound", False)
    if not hasattr(stage, "pipe"):
        for doc in docs:
            if not (bound and _skip(name, doc, settings)):
                doc = stage(doc)
                doc.stages.append(name)
            yield doc
        return
    # A batching stage sees only the articles it codes; the others rejoin the stream in order.
    pending: deque[tuple[Document, bool]] = deque()

    def coded() -> Iterator[Document]:
        for doc in docs:
            skipped = bound and _skip(name, doc, settings)
            pending.append((doc, skipped))
            if not skipped:
                yield doc

    for done in stage.pipe(coded()):
        while pending and pending[0][1]:
            yield pending.popleft()[0]
        pending.popleft()  # ``done`` itself: stages yield in input order
        done.stages.append(name)
        yield done
    yield from (doc for doc, _ in pending)


def _skip(name: str, doc: Document, settings: Settings) -> bool:
    """Whether ``doc``'s language keeps the language-bound stage ``name`` off it (and say why)."""
    article = doc.article
    if article.language is None or article.language in settings.languages:
        return False
    if not doc.stages_skipped:
        sure = f" (probability {article.language_probability:.2f})" if article.language_probability else ""
        article.warnings.append(
            f"not coded: the article is in '{article.language}'{sure}; the stages that read English "
            f"run on {', '.join(settings.languages)} only (setting languages)")
    doc.stages_skipped[name] = f"language '{article.language}' is not coded"
    return True


__all__ = ["Pipeline", "register_stage", "STAGE_FACTORIES", "STAGES", "StageOrderError"]
