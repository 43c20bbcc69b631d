"""The data model: JSON round trip, the committed JSON Schema, the output contract names."""

from __future__ import annotations

import json

import jsonschema

from newsevents.model import ActorRef, Article, Document, Event, Location, Mention, Quote, Sentence, Span, Tone
from newsevents.schema import build_schema, load_schema

BODY = "Russia accused Ukraine of shelling Donetsk. \"We will respond,\" he said."


def full_document() -> Document:
    """A hand-built Document with every kind of record, offsets into BODY."""
    art = Article(id="x1", body=BODY, title="T", published="2022-01-13T15:39:32", views_total=3, views_today=0,
                  language="en", source="test")
    russia = ActorRef("Russia", 0, 6, name="Russia", code="RUSGOV", country="RUS", sector="GOV", entity=0)
    ukraine = ActorRef("Ukraine", 16, 23, name="Ukraine", code="UKR", country="UKR", entity=1)
    place = Location("Donetsk", 35, 42, name="Donetsk", country="UKR", lat=48.0, lon=37.8, geonameid=709717, feature="city")
    event = Event(id="x1-e0", sentence=Span(BODY[:43], 0, 43), trigger=Span("accused", 7, 14), source=russia, target=ukraine,
                  cameo="112", cameo_root="11", cameo_name="Accuse", plover="ACCUSE", plover_mode=None, quad_class=3,
                  goldstein=-2.0, location=place, locations=[place], date="2022-01-13", date_precision="publication",
                  principal=True, rule="test")
    quote = Quote(content=Span("We will respond,", 45, 61), speaker=ActorRef("he", 63, 65, name="Russia", code="RUSGOV"),
                  cue=Span("said", 66, 70), kind="direct", sentence=1)
    return Document(
        article=art,
        sentences=[Sentence(BODY[:43], 0, 43, index=0, quad_class=3), Sentence(BODY[44:], 44, len(BODY), index=1)],
        actors=[Mention("Russia", 0, 6, name="Russia", code="RUSGOV", country="RUS", sector="GOV", entity=0)],
        quotes=[quote], locations=[place], events=[event], tone=Tone(positive=1.0, negative=2.0, tone=-1.0),
    )


def test_spans_point_into_the_body():
    doc = full_document()
    d = doc.to_dict()
    body = d["article"]["body"]
    for key in ("sentences", "actors", "locations"):
        for s in d[key]:
            assert body[s["start"]:s["end"]] == s["text"]
    for q in d["quotes"]:
        for part in ("content", "speaker", "cue"):
            assert body[q[part]["start"]:q[part]["end"]] == q[part]["text"]


def test_round_trip():
    doc = full_document()
    again = Document.from_dict(json.loads(doc.to_json()))
    assert again == doc


def test_contract_names_are_present():
    d = full_document().to_dict()
    assert {"article", "sentences", "actors", "quotes", "locations", "events"} <= set(d)
    assert {"id", "title", "published", "views_total", "views_today", "language", "source", "body"} <= set(d["article"])
    assert {"text", "start", "end", "name", "code", "country", "sector"} <= set(d["actors"][0])
    assert {"content", "speaker", "cue", "kind"} <= set(d["quotes"][0])
    assert {"text", "start", "end", "name", "code"} <= set(d["quotes"][0]["speaker"])
    assert {"text", "start", "end", "name", "country", "lat", "lon", "geonameid"} <= set(d["locations"][0])
    event = d["events"][0]
    assert {"source", "target", "cameo", "plover", "quad_class", "goldstein", "negated", "modality", "sentence",
            "trigger", "location", "date"} <= set(event)


def test_committed_schema_is_up_to_date():
    assert load_schema() == build_schema(), "run: python -m newsevents.schema"


def test_full_document_validates_and_a_broken_one_does_not():
    schema = load_schema()
    d = full_document().to_dict()
    jsonschema.validate(d, schema)
    d["events"][0]["quad_class"] = "three"
    try:
        jsonschema.validate(d, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a string quad_class must not validate")


def test_pipeline_output_validates(sample_doc):
    jsonschema.validate(json.loads(sample_doc.to_json()), load_schema())
