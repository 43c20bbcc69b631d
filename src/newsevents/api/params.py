"""The API's query parameters: the store's filters (declared once, in
:data:`newsevents.store.filters.PARAMS`, for the command line too) and a refusal of any
parameter a route does not take.
"""

from __future__ import annotations

import inspect
from typing import Any, Optional

from fastapi import Query, Request
from fastapi.routing import APIRoute

from ..errors import InvalidFilter
from ..store.filters import MAX_ROWS, PARAMS, Filters


def filter_params(default_limit: int, max_limit: int):
    """A dependency turning the query string into checked :class:`Filters`: one parameter per
    filter, with the names, help and checks of ``newsevents query``'s options; ``limit`` is
    ``default_limit`` (None: every row) unless given, at most ``max_limit``."""

    def parameter(p) -> inspect.Parameter:
        if p.field == "limit":
            default = Query(default_limit, ge=1, le=min(max_limit, MAX_ROWS), description="Rows per page.")
            annotation = int if default_limit is not None else Optional[int]
        elif p.field == "offset":
            default, annotation = Query(0, ge=0, le=MAX_ROWS, description=p.help), int
        elif p.type is bool:
            default, annotation = Query(False, description=p.help), bool
        elif p.many:
            default, annotation = Query([], description=p.help), list[p.type]
        else:
            default, annotation = Query(None, description=p.help), Optional[p.type]
        return inspect.Parameter(p.option, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)

    def filters(**values: Any) -> Filters:
        # An empty field of a form ("since=") means no filter, as an option left out does.
        return Filters.make(**{p.field: values[p.option] for p in PARAMS})

    filters.__signature__ = inspect.Signature([parameter(p) for p in PARAMS], return_annotation=Filters)
    return filters


class StrictRoute(APIRoute):
    """A route that answers 422, naming the parameters it takes, to a query parameter it does not
    take (a misspelled filter must not be ignored in silence: the answer would look filtered)."""

    def get_route_handler(self):
        handler = super().get_route_handler()
        known = _query_names(self.dependant)

        async def strict(request: Request):
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                takes = "" if known else "; it takes none"
                raise InvalidFilter(unknown[0], f"unknown query parameter(s) {', '.join(unknown)} for "
                                                f"{request.url.path}{takes}", sorted(known))
            return await handler(request)

        return strict


def _query_names(dependant) -> set[str]:
    """The query parameters a route takes, its dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
