"""The pipeline: named stages, built from the settings, run over a stream of articles.

Stages are looked up by name in the registry (:mod:`newsevents.stages`: built-in ones by dotted
path, so a stage's module is imported only when it is used; :func:`register_stage` adds one).
Each declares what it requires from earlier stages and what it assigns; the pipeline checks the
order when it is built, before any model loads, and says what is missing. A test can swap a
stage for a fake by passing ``stages=``.
"""

from __future__ import annotations

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
            docs = _apply(name, stage, docs)
        for doc in docs:
            if not self.keep_parse:
                doc.drop_parse()
            yield doc


def _apply(name: str, stage: Any, docs: Iterable[Document]) -> Iterator[Document]:
    if hasattr(stage, "pipe"):
        for doc in stage.pipe(docs):
            doc.stages.append(name)
            yield doc
    else:
        for doc in docs:
            doc = stage(doc)
            doc.stages.append(name)
            yield doc


__all__ = ["Pipeline", "register_stage", "STAGE_FACTORIES", "STAGES", "StageOrderError"]
