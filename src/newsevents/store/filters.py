"""The filters of the store's reads, declared once for the library, the command line and the API.

:data:`PARAMS` declares each filter: its name (``--name`` on the command line, ``?name=`` in the
API), its help, its type, whether it repeats, and the kinds of rows it applies to. The options of
``newsevents query``, ``stats`` and ``export`` (:func:`newsevents.cli.filters.filter_options`) and
the query parameters of the API's list routes (:func:`newsevents.api.params.filter_params`) are
built from it, so both take the same names with the same help.

:meth:`Filters.make` checks every value the same way for all of them: an unknown CAMEO or PLOVER
code, a date that is not a date, a range that ends before it starts, a page bound out of range, a
dyad that is not two actors is an :class:`~newsevents.errors.InvalidFilter` naming the parameter
and its valid values (the command line exits 2, the API answers 422).

An actor value resolves one way everywhere (:func:`resolve_actor`): a name of a country, region
or organisation in the actor dictionary stands for its code (``NATO`` and ``North Atlantic
Treaty Organization`` for ``IGOWSTNAT``, ``Russia`` for ``RUS``), and a code for itself and the
names it has there, so ``dyad=RUS-NATO`` and ``dyad=RUS-IGOWSTNAT`` select the same events. A
code matches by prefix (CAMEO actor codes are hierarchical: ``RUS`` matches ``RUSGOV``). Any other
value (a person, ``Peskov``; words of a name) matches the names and the text of the actors,
case-insensitively, as written.
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import yaml

from ..data import data_path
from ..errors import InvalidFilter

KINDS = ("events", "mentions", "quotes", "articles")
#: The most rows a limit or an offset may name (2^53 - 1: exact in JSON and in a browser).
MAX_ROWS = 2**53 - 1
#: The longest value a text filter takes (a name, some words of a sentence, an id).
MAX_VALUE = 1000

_CODE = re.compile(r"^[A-Z0-9]{3,}$")
#: Between the two actors of a dyad: - : > / or a dash (the page writes "Peskov–NATO").
_DYAD = re.compile(r"\s*(?:->|[-:>/\u2010-\u2015\u2212])\s*")
_CAMEO = re.compile(r"^\d{1,4}$")  # a code or any prefix of one (1: the roots 10-19)


@dataclass(frozen=True)
class Param:
    """One filter as the command line and the API offer it."""

    field: str  # the Filters field
    help: str
    type: type = str  # str, int or bool
    many: bool = False  # repeat it for any of several values
    kinds: tuple[str, ...] = KINDS  # the kinds of rows it applies to
    name: str | None = None  # --name / ?name= when it differs from the field
    short: str | None = None  # a one-letter option on the command line

    @property
    def option(self) -> str:
        return self.name or self.field


_ACTOR_KINDS = ("events", "mentions")
PARAMS: tuple[Param, ...] = (
    Param("actor", "Source or target (a quote's speaker, an article's actors): a code (RUS, RUSGOV: by prefix), "
                   "a country or organisation (Russia, NATO: by its code) or a name (Peskov). Repeat for any of "
                   "several.", many=True, short="-a"),
    Param("source", "Source actor, as --actor (quotes: the speaker).", many=True, short="-s",
          kinds=(*_ACTOR_KINDS, "quotes")),
    Param("target", "Target actor, as --actor.", many=True, short="-t", kinds=_ACTOR_KINDS),
    Param("dyad", "SOURCE-TARGET, e.g. RUS-USA or Peskov-NATO (see undirected).", many=True, kinds=_ACTOR_KINDS),
    Param("undirected", "A dyad matches both ways.", bool, kinds=_ACTOR_KINDS),
    Param("cameo", "CAMEO event code or its prefix: 02 (root), 021, 0214.", many=True, kinds=_ACTOR_KINDS),
    Param("plover", "PLOVER event type, e.g. REQUEST, ACCUSE, CONSULT.", many=True, kinds=_ACTOR_KINDS),
    Param("quad", "Quad class: 0 neutral, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                  "4 material conflict.", int, many=True, kinds=_ACTOR_KINDS),
    Param("since", "From this date on (YYYY-MM-DD, YYYY-MM or YYYY): the event's date, else the publication date."),
    Param("until", "Up to this date, inclusive (YYYY-MM-DD, YYYY-MM or YYYY: to its end)."),
    Param("place", "Place: an ISO country code (CHE), a country (Switzerland) or a place name (Geneva).", many=True,
          kinds=(*_ACTOR_KINDS, "articles")),
    Param("text", "Words in the evidence sentence, the quote, or the title/body (as written; % and _ are "
                  "plain characters)."),
    Param("event_id", "Event id (mentions: the reports of that event).", many=True, kinds=_ACTOR_KINDS, name="event"),
    Param("article_id", "Article id.", many=True, name="article"),
    Param("quote_kind", "Quotes: direct or indirect.", kinds=("quotes",)),
    Param("language", "Articles: the language detected, as an ISO 639-1 code (en, fr).", many=True,
          kinds=("articles",)),
    Param("limit", "At most this many rows.", int, short="-n"),
    Param("offset", "Skip this many rows first (with limit: a page of the result).", int),
    Param("after", "Keyset paging: the rows after this one in the list's order, given as the `next` of the "
                   "previous page (the last row's date and key: 2022-01-05~15604 for an event). Unlike offset, "
                   "a page far down costs what the first one does."),
)
BY_FIELD = {p.field: p for p in PARAMS}
BY_OPTION = {p.option: p for p in PARAMS}
QUOTE_KINDS = ("direct", "indirect")


@dataclass(frozen=True)
class Filters:
    """What to select. Every field is optional; several fields narrow the selection (AND);
    several values in one field widen it (OR). Build it with :meth:`make`, which checks it."""

    actor: tuple[str, ...] = ()  # source or target (a quote's speaker; an article's actors)
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    dyad: tuple[str, ...] = ()  # "RUS-USA": source RUS and target USA
    undirected: bool = False  # a dyad matches both ways
    cameo: tuple[str, ...] = ()  # CAMEO code prefixes: "02", "021", "0214"
    plover: tuple[str, ...] = ()  # PLOVER event types, upper case
    quad: tuple[int, ...] = ()  # quad classes 0..4
    since: date | None = None
    until: date | None = None
    place: tuple[str, ...] = ()  # ISO country code or place name
    text: str | None = None  # words in the evidence sentence, the quote, or the title/body
    event_id: tuple[str, ...] = ()
    article_id: tuple[str, ...] = ()
    quote_kind: str | None = None  # quotes: direct | indirect
    language: tuple[str, ...] = ()  # articles: ISO 639-1 codes of the detected language
    limit: int | None = None
    offset: int | None = None  # skip this many rows first (pages of ``limit`` rows)
    after: str | None = None  # keyset paging: the rows after this one (query.page_key of the last row)

    @classmethod
    def make(cls, **values: Any) -> "Filters":
        """Filters from keyword values (the field names, or the option names ``event`` and
        ``article``), checked: a single value where several may be given is one value; empty
        values (an empty form field) are no filter; anything invalid raises InvalidFilter
        naming the parameter and its valid values."""
        valid = {f.name for f in fields(cls)}
        out: dict[str, Any] = {}
        for name, value in values.items():
            field = BY_OPTION[name].field if name in BY_OPTION else name
            if field not in valid:
                raise InvalidFilter(name, f"unknown filter {name!r}", [p.option for p in PARAMS])
            value = _clean(BY_FIELD[field], value)
            if value is not None:
                out[field] = value
        since, until = out.get("since"), out.get("until")
        if since and until and since > until:
            raise InvalidFilter("until", f"until {until} is before since {since}: the range is empty; "
                                         "give the earlier date as since")
        return cls(**out)

    def with_(self, **changes: Any) -> "Filters":
        return replace(self, **changes)

    def unpaged(self) -> "Filters":
        """The same selection, every row of it (no limit, offset or keyset start)."""
        return replace(self, limit=None, offset=None, after=None)

    def used(self) -> list[str]:
        """The fields that select something (differ from their default)."""
        default = Filters()
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)]


def check(kind: str, f: Filters) -> None:
    """Fail when ``kind`` is not a kind of row, or a filter in use does not apply to it."""
    if kind not in KINDS:
        raise InvalidFilter("kind", f"unknown kind {kind!r}", list(KINDS))
    bad = [BY_FIELD[u].option for u in f.used() if kind not in BY_FIELD[u].kinds]
    if bad:
        raise InvalidFilter(bad[0], f"filter(s) {', '.join(bad)} do not apply to {kind}",
                            [p.option for p in PARAMS if kind in p.kinds])


# ------------------------------------------------------------------------------ values
def _clean(param: Param, value: Any) -> Any:
    """The checked value of one filter, None for no filter."""
    if param.many:
        items = [value] if isinstance(value, (str, int)) else list(value or ())
        cleaned = tuple(v for v in (_one(param, item) for item in items) if v is not None)
        return cleaned or None
    return _one(param, value)


def _one(param: Param, value: Any) -> Any:
    name = param.option
    if value is None:
        return None
    if param.type is bool:
        if not isinstance(value, bool):
            raise InvalidFilter(name, f"{name} is true or false, got {value!r}", ["true", "false"])
        return value or None
    if param.type is int:
        return _number(param, value)
    if isinstance(value, (date, datetime)) and param.field in ("since", "until"):
        return value if type(value) is date else value.date()
    if not isinstance(value, str):
        raise InvalidFilter(name, f"{name} takes text, got {type(value).__name__} {value!r}")
    value = value.strip()
    if not value:
        return None
    if len(value) > MAX_VALUE:
        raise InvalidFilter(name, f"{name} is {len(value):,} characters long; at most {MAX_VALUE:,}")
    check_value = _CHECKS.get(param.field)
    return check_value(value) if check_value else value


def _number(param: Param, value: Any) -> int | None:
    name = param.option
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if not re.fullmatch(r"[+-]?\d+", value):
            raise InvalidFilter(name, f"{name} must be a whole number, got {value!r}")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidFilter(name, f"{name} must be a whole number, got {value!r}")
    if param.field == "quad":
        if value not in range(5):
            raise InvalidFilter(name, f"quad class must be 0..4, got {value}", [str(q) for q in range(5)])
        return value
    low = 1 if param.field == "limit" else 0
    if not low <= value <= MAX_ROWS:
        raise InvalidFilter(name, f"{name} must be between {low} and {MAX_ROWS:,}, got {value}")
    return value or None  # offset 0: none


def _date(name: str, end: bool):
    def parse(value: str) -> date:
        try:
            if re.fullmatch(r"\d{4}", value):
                return date(int(value), 12, 31) if end else date(int(value), 1, 1)
            if re.fullmatch(r"\d{4}-\d{1,2}", value):
                year, month = map(int, value.split("-"))
                return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
            if len(value) > 10:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidFilter(name, f"{name}: {value!r} is not an ISO date (YYYY-MM-DD, or YYYY-MM, YYYY)") from None
    return parse


def _cameo(value: str) -> str:
    book = _codebook()
    if _CAMEO.match(value) and any(code.startswith(value) for code in book["codes"]):
        return value
    raise InvalidFilter("cameo", f"unknown CAMEO code {value!r}: give a code or a prefix of one, 1 to 4 digits "
                                 "(02, 021, 0214) from the CAMEO codebook",
                        [f"{root} {name}" for root, name in book["roots"].items()])


def _plover(value: str) -> str:
    types = _codebook()["plover"]
    if value.upper() in types:
        return value.upper()
    raise InvalidFilter("plover", f"unknown PLOVER event type {value!r}", sorted(types))


def _quote_kind(value: str) -> str:
    if value.lower() in QUOTE_KINDS:
        return value.lower()
    raise InvalidFilter("quote_kind", f"unknown quote kind {value!r}", list(QUOTE_KINDS))


def _language(value: str) -> str:
    if re.fullmatch(r"[A-Za-z]{2,3}", value):
        return value.lower()
    raise InvalidFilter("language", f"language {value!r} is not an ISO 639-1 code (two letters: en, fr, de)")


def _dyad(value: str) -> str:
    split_dyad(value)
    return value


_CHECKS = {"since": _date("since", end=False), "until": _date("until", end=True), "cameo": _cameo,
           "plover": _plover, "quote_kind": _quote_kind, "dyad": _dyad, "language": _language}


def split_dyad(value: str) -> tuple[str, str]:
    """The two actors of ``SOURCE-TARGET`` (also written with : > / -> or a dash)."""
    parts = _DYAD.split(value.strip(), maxsplit=1)
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise InvalidFilter("dyad", f"dyad {value!r} should be SOURCE-TARGET, e.g. RUS-USA or Peskov-NATO")
    return parts[0].strip(), parts[1].strip()


@lru_cache(maxsize=1)
def _codebook() -> dict[str, Any]:
    """The CAMEO codes, their roots' names and the PLOVER types (``data/events/cameo.tsv``)."""
    codes, roots, plover = set(), {}, set()
    with open(data_path("events", "cameo.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            codes.add(row["code"])
            if row["code"] == row["root"]:
                roots[row["code"]] = row["name"]
            if row["plover"]:
                plover.add(row["plover"])
    return {"codes": codes, "roots": dict(sorted(roots.items())), "plover": plover}


# ------------------------------------------------------------------------------ actors
@dataclass(frozen=True)
class ActorMatch:
    """What an actor value selects: actor codes (by prefix, or as a country) and names (upper
    case, exactly), or else a ``pattern`` of words found in names and mention texts."""

    codes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    pattern: str | None = None


def is_code(value: str) -> bool:
    """Capitals and digits, three or more: an actor code (RUS, RUSGOV, IGOWSTNAT) or a name
    written that way (NATO)."""
    return bool(_CODE.match(value.strip()))


@lru_cache(maxsize=4096)
def resolve_actor(value: str) -> ActorMatch:
    """How an actor filter value matches (see the module's docstring)."""
    value = value.strip()
    index = _actor_codes()
    codes = index["by_name"].get(value.upper()) or ({value} if is_code(value) else None)
    if not codes:
        return ActorMatch(pattern=value)
    names = set().union(*(index["names"].get(c, {c}) for c in codes))
    return ActorMatch(codes=tuple(sorted(codes)), names=tuple(sorted(names)))


def resolve_place(value: str) -> str | None:
    """The ISO alpha-3 code a place filter stands for (CHE, or a country's name), else None."""
    value = value.strip()
    if is_code(value):
        return value
    countries = _actor_codes()["countries"]
    found = {c for c in _actor_codes()["by_name"].get(value.upper(), ()) if c in countries}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def _actor_codes() -> dict[str, Any]:
    """Names of the countries, regions and organisations in the actor dictionary's data, upper
    case, -> their codes; code -> its canonical name(s). (People have no code of their own: a
    person's code depends on the role held on the day.) Read from the data files rather than
    through :mod:`newsevents.actors`, which would load spaCy for a query."""
    by_name: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    countries: set[str] = set()

    def add(code: str, canonical: str, *aliases: str) -> None:
        names.setdefault(code, set()).add(canonical.upper())
        for n in (canonical, *aliases):
            by_name.setdefault(n.removeprefix("the ").upper(), set()).add(code)

    folder = data_path("actors")
    with open(folder / "countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            countries.add(row["alpha3"])
            add(row["alpha3"], row["name"], *[n for n in row["names"].split("|") if n])
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    extra = yaml.load((folder / "countries.yaml").read_text(encoding="utf-8"), Loader=loader) or {}
    for code, more in (extra.get("countries") or {}).items():
        more = more or {}
        if more.get("name"):
            countries.add(code)
            add(code, more["name"])
        for n in more.get("names") or ():
            by_name.setdefault(n.upper(), set()).add(code)
    regions = yaml.load((folder / "regions.yaml").read_text(encoding="utf-8"), Loader=loader) or {}
    for code, region_names in (regions.get("regions") or {}).items():
        add(code, *region_names)
    orgs = yaml.load((folder / "organisations.yaml").read_text(encoding="utf-8"), Loader=loader) or {}
    for org in orgs.get("organisations") or ():
        add(org["code"], org["name"], *(org.get("aliases") or ()))
    return {"by_name": by_name, "names": names, "countries": countries}
