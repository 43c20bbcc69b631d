"""The stage registry: each stage's name, how to build it, and what it requires and assigns.

A stage is a callable ``stage(doc: Document) -> Document``; it may also offer
``pipe(docs) -> Iterator[Document]`` to work in batches. As spaCy components do
(``Language.component(requires=, assigns=)``), a stage declares the Document attributes it
reads from earlier stages (``requires``) and those it fills (``assigns``): a Document field
(``"actors"``), a field of the items of one (``"events.location"``), or an entry of
``Document.analysis``, the per-parse results a stage hands on (``"analysis.actors"``). The
built-in stages declare them as class attributes; :func:`register_stage` takes them as
arguments. :func:`check_order` says, before any model loads, what an order of stages lacks.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .errors import StageOrderError

#: ``stage(doc: Document) -> Document`` (typed loosely: the settings import this module, so it imports no other)
Stage = Callable[[Any], Any]

#: Stages by name: "module:factory" (imported only when the stage is used) or the factory itself.
#: A factory takes the Settings and returns a stage.
STAGE_FACTORIES: dict[str, str | Callable[[Any], Stage]] = {
    "parse": "newsevents.nlp:ParseStage",
    "actors": "newsevents.actors:ActorStage",
    "quotes": "newsevents.quotes:QuoteStage",
    "events": "newsevents.events:EventStage",
    "places": "newsevents.geo:PlaceStage",
    "dates": "newsevents.dates:DateStage",
    "tone": "newsevents.tone:ToneStage",
}
# requires/assigns given to register_stage, for factories that cannot carry them as attributes
_DECLARED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def register_stage(name: str, factory: Callable[[Any], Stage], *, requires: Iterable[str] = (),
                   assigns: Iterable[str] = ()) -> None:
    """Make ``name`` usable in ``Settings.stages``: ``factory(settings)`` builds the stage, which
    reads ``requires`` from earlier stages and fills ``assigns`` (see the module docstring)."""
    STAGE_FACTORIES[name] = factory
    _DECLARED[name] = (tuple(requires), tuple(assigns))


def factory_of(name: str) -> Callable[[Any], Stage]:
    target = STAGE_FACTORIES[name]
    if callable(target):
        return target
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def declared(name: str, stage: Any = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(requires, assigns) of the stage ``name`` (of the object ``stage`` when one is given)."""
    if stage is None:
        if name in _DECLARED:
            return _DECLARED[name]
        stage = factory_of(name)
    return tuple(getattr(stage, "requires", ())), tuple(getattr(stage, "assigns", ()))


def check_order(stages: Sequence[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> None:
    """Raise :class:`StageOrderError` unless every stage of ``stages`` ((name, requires, assigns)
    in running order) finds what it requires assigned by a stage before it, and no stage fills a
    field of items (``"events.location"``) that a later stage makes."""
    names = [name for name, _, _ in stages]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise StageOrderError(f"stage(s) {', '.join(repeated)} named more than once in {', '.join(names)}")
    makers: dict[str, str] = {}  # what is assigned -> the first stage that assigns it
    for name, _, assigns in stages:
        for a in assigns:
            makers.setdefault(a, name)
    done: set[str] = {"article"}  # what every Document starts with
    for k, (name, requires, assigns) in enumerate(stages):
        missing = [r for r in requires if r not in done]
        if missing:
            hints = [f"{r!r} (assigned by {makers[r]!r}, which runs after it)" if r in makers else
                     f"{r!r} (assigned by {_known_maker(r)}, not among the stages)" for r in missing]
            raise StageOrderError(f"stage {name!r} requires {', '.join(hints)}; stages in order: {', '.join(names)}")
        for a in assigns:
            owner = a.partition(".")[0]
            later = next((n for n, _, ass in stages[k + 1:] if owner in ass), None)
            if "." in a and later is not None:
                raise StageOrderError(f"stage {name!r} fills {a!r}, but {owner!r} is made later, by stage {later!r}: "
                                      f"put {name!r} after {later!r}; stages in order: {', '.join(names)}")
        done.update(assigns)


def _known_maker(field: str) -> str:
    """The registered stages that assign ``field``, for the message of a missing one."""
    found = []
    for name in STAGE_FACTORIES:
        try:
            if field in declared(name)[1]:
                found.append(repr(name))
        except (ImportError, AttributeError):  # a stage whose module cannot load names nothing
            continue
    return " or ".join(found) or "no registered stage"


__all__ = ["STAGE_FACTORIES", "Stage", "StageOrderError", "check_order", "declared", "factory_of", "register_stage"]
