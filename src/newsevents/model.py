"""The data model every stage speaks.

An :class:`Article` owns its text (``body``). Everything read from that text points into it
with character offsets ``start``/``end`` (``body[start:end] == text``), so each fact can be
traced to its span. Each derived fact also records which rule or model produced it.

A :class:`Document` is one article together with what the stages found in it. The stages
fill its lists in pipeline order (parse -> actors -> quotes -> events -> places -> dates ->
tone); a stage that has not run leaves its list empty. ``Document.to_dict()`` is the JSON
output contract documented in ``docs/schema.md`` and ``schema/document.schema.json``:
field names there are relied on by outside evaluations, so extend, never rename.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.1"  # 1.1: title_quotes, quotes[].in_title

Modality = Literal["asserted", "reported", "hoped", "demanded", "hypothetical", "future"]
MODALITIES: tuple[str, ...] = ("asserted", "reported", "hoped", "demanded", "hypothetical", "future")

QuoteKind = Literal["direct", "indirect"]

#: Sentence/event quad classes as labelled in the development gold (0 is a neutral statement).
QUAD_CLASSES: dict[int, str] = {
    0: "neutral statement",
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass
class Span:
    """A stretch of the article body: ``body[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass
class Article:
    """One news article as ingested: metadata plus the cleaned body every offset points into."""

    id: str
    body: str
    title: str | None = None
    published: str | None = None  # ISO 8601, as precise as the source gives it
    views_total: int | None = None
    views_today: int | None = None
    language: str | None = None  # ISO 639-1, as detected (py3langid)
    source: str = ""  # where it came from: a path, "path:line", a URL or "<stdin>"
    url: str | None = None
    external_id: str | None = None  # the id the source gave it (a JSONL/CSV id field)
    author: str | None = None
    publisher: str | None = None
    dateline: str | None = None  # e.g. "MOSCOW, Jan 13 (Reuters)", removed from the body
    tags: list[str] = field(default_factory=list)
    format: str = "text"  # the reader that produced it: text, html, jsonl, csv
    warnings: list[str] = field(default_factory=list)  # what ingest changed and why (e.g. truncation)
    language_probability: float | None = None  # how sure the language detection is (None: not detected)


@dataclass
class Sentence(Span):
    index: int = 0
    quad_class: int | None = None  # set by the event stage: 0..4, None when not coded
    tone: float | None = None  # set by the tone stage: compound polarity in [-1, 1]


@dataclass
class Mention(Span):
    """One resolved actor mention (a name, a pronoun, a description) in the body.

    ``code`` is the CAMEO actor code (e.g. ``RUSGOV``); ``country`` the ISO 3166 alpha-3
    code and ``sector`` the PLOVER-style sector (GOV, MIL, ...), so PLOVER's country+sector
    form is ``(country, sector)``.
    """

    name: str = ""
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    entity: int | None = None  # index into Document.entities
    kind: str = "name"  # name | pronoun | nominal | title | metonym
    type: str | None = None  # person | organization | country | group | role
    role: str | None = None  # e.g. "spokesperson", "foreign minister"
    rule: str = ""
    confidence: float = 1.0


@dataclass
class Entity:
    """A real-world actor that one or more mentions refer to (coreference cluster)."""

    id: int
    name: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    type: str | None = None
    role: str | None = None
    mentions: list[int] = field(default_factory=list)  # indexes into Document.actors


@dataclass
class ActorRef(Span):
    """A source or target of an event or a quote speaker: its span plus its resolved code."""

    name: str = ""
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    entity: int | None = None


@dataclass
class Location(Span):
    """A toponym resolved to a place (GeoNames id when the gazetteer has one)."""

    name: str = ""
    country: str | None = None  # ISO 3166 alpha-3
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # country | admin1 | admin2 | city | region | continent | ...
    admin1: str | None = None
    rule: str = ""
    confidence: float = 1.0
    feature_code: str | None = None  # GeoNames feature code: PCLI, ADM1, ADM2, PPL, PPLC, CONT; RGN ... for ours


@dataclass
class Quote:
    """A direct or reported statement attributed to its speaker."""

    content: Span
    speaker: ActorRef | None = None
    cue: Span | None = None
    kind: QuoteKind = "direct"
    sentence: int | None = None  # index of the sentence holding the cue (or the content start)
    events: list[str] = field(default_factory=list)  # ids of events it contains or reports
    rule: str = ""
    confidence: float = 1.0
    # the quoted pieces when the quote is split around its attribution ('"A," he said, "B."'):
    # content then runs from the first piece to the last; empty for a quote in one piece
    parts: list[Span] = field(default_factory=list)
    # a quote of the article's title (Document.title_quotes): its spans are offsets into
    # ``article.title``, and it has no sentence and no events
    in_title: bool = False


@dataclass
class Event:
    """One coded event: who did what to whom, with its evidence.

    Compound actors ("the USA and NATO") give one event per source/target pair; such
    events share ``group`` and have ``compound=True``. A reciprocal act ("A met B") gives one
    event per party, each with the other party as ``counterpart``.
    """

    id: str
    sentence: Span
    trigger: Span
    source: ActorRef | None
    target: ActorRef | None
    cameo: str  # full 2-4 digit CAMEO code, e.g. "0214"
    cameo_root: str
    cameo_name: str
    plover: str | None
    plover_mode: str | None
    quad_class: int  # 0 neutral statement .. 4 material conflict (gold labels)
    goldstein: float
    negated: bool = False
    modality: Modality = "asserted"
    reporter: ActorRef | None = None  # who reports it, for modality == "reported"
    location: Location | None = None  # where the sentence places it (the first place named)
    locations: list[Location] = field(default_factory=list)  # every place the sentence gives it
    date: str | None = None  # ISO date the event happened (or is expected)
    date_precision: str = "unknown"  # day | week | month | year | publication | unknown
    date_span: Span | None = None  # the time expression that dates it ("last week"); None for the default
    confidence: float = 0.5
    rule: str = ""  # id of the rule or model that produced it
    principal: bool = False  # the sentence's principal event
    compound: bool = False
    group: str | None = None
    sentence_index: int = 0
    quote: int | None = None  # index of the quote it sits in or is reported by
    # the other party of a reciprocal act ("A met B"): such an act gives one event per party, each
    # party its source with the other as counterpart and no target (both act; neither is acted on)
    counterpart: ActorRef | None = None


@dataclass
class Tone:
    """Tone in GDELT's spirit, on VADER's scales (see docs): positive/negative in [0, 100]."""

    positive: float = 0.0
    negative: float = 0.0
    polarity: float = 0.0  # positive + negative share of words carrying sentiment
    tone: float = 0.0  # positive - negative
    compound: float = 0.0  # VADER compound score in [-1, 1]
    words: int = 0


@dataclass
class Rejection:
    """An input that could not become an article, with a named reason (see errors.py)."""

    source: str
    reason: str
    message: str


@dataclass
class Document:
    """An article and everything the stages found in it."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # the quotes of ``article.title`` (offsets into the title, so apart from ``quotes``, whose
    # offsets are all into the body)
    title_quotes: list[Quote] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tone: Tone | None = None
    stages: list[str] = field(default_factory=list)  # names of the stages that ran, in order
    # stage name -> why it did not run on this article (e.g. its language is not one we code)
    stages_skipped: dict[str, str] = field(default_factory=dict)
    # The spaCy parse of article.body, shared between stages; never serialised.
    parse: Any = field(default=None, repr=False, compare=False)
    # What a stage worked out about the parse for later stages, by the stage's name (the actors
    # stage's name matches, which resolve_span reads): it travels with the document, so no
    # stage keeps state between documents. Dropped with the parse; never serialised.
    analysis: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON output contract (see docs/schema.md)."""
        out = {"schema_version": SCHEMA_VERSION}
        for f in dataclasses.fields(self):
            if f.name in NOT_SERIALISED:
                continue
            out[f.name] = as_dict(getattr(self, f.name))
        return out

    def drop_parse(self) -> None:
        """Let the parse and what stages worked out about it go (a batch run keeps neither)."""
        self.parse = None
        self.analysis = {}

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        """Rebuild a Document from ``to_dict()`` output (the parse is not restored)."""
        return cls(
            article=Article(**data["article"]),
            sentences=[Sentence(**s) for s in data.get("sentences", [])],
            actors=[Mention(**m) for m in data.get("actors", [])],
            entities=[Entity(**e) for e in data.get("entities", [])],
            quotes=[_quote(q) for q in data.get("quotes", [])],
            title_quotes=[_quote(q) for q in data.get("title_quotes", [])],
            locations=[Location(**loc) for loc in data.get("locations", [])],
            events=[_event(e) for e in data.get("events", [])],
            tone=Tone(**data["tone"]) if data.get("tone") else None,
            stages=list(data.get("stages", [])),
            stages_skipped=dict(data.get("stages_skipped", {})),
        )


def span_of(body: str, start: int, end: int) -> Span:
    """The Span of ``body[start:end]``."""
    return Span(body[start:end], start, end)


_PLAIN = frozenset({str, int, float, bool})


def as_dict(value: Any) -> Any:
    """Plain JSON-ready data (dicts, lists, scalars) from model objects."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    names = _field_names(type(value))
    if names is not None:
        # most fields are plain already: test them here rather than call as_dict for each
        out = {}
        for name in names:
            v = getattr(value, name)
            out[name] = v if v is None or type(v) in _PLAIN else as_dict(v)
        return out
    if isinstance(value, (list, tuple)):
        return [as_dict(v) for v in value]
    if isinstance(value, dict):
        return {k: as_dict(v) for k, v in value.items()}
    return value


@functools.lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The serialised fields of a dataclass type (None for other types); cached, because
    writing a store serialises every Document and ``dataclasses.fields`` is slow."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in NOT_SERIALISED)


#: Fields of a Document that hold working state of the stages, not output.
NOT_SERIALISED = frozenset({"parse", "analysis"})


def _opt(kind: type, value: dict | None):
    return kind(**value) if value else None


def _quote(d: dict[str, Any]) -> Quote:
    d = dict(d)
    d["content"] = Span(**d["content"])
    d["speaker"] = _opt(ActorRef, d.get("speaker"))
    d["cue"] = _opt(Span, d.get("cue"))
    d["parts"] = [Span(**p) for p in d.get("parts", [])]
    return Quote(**d)


def _event(d: dict[str, Any]) -> Event:
    d = dict(d)
    d["sentence"] = Span(**d["sentence"])
    d["trigger"] = Span(**d["trigger"])
    for key in ("source", "target", "reporter", "counterpart"):
        d[key] = _opt(ActorRef, d.get(key))
    d["location"] = _opt(Location, d.get("location"))
    d["locations"] = [Location(**loc) for loc in d.get("locations", [])]
    d["date_span"] = _opt(Span, d.get("date_span"))
    return Event(**d)
