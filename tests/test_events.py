"""The events stage: codebook facts, coding behaviour users rely on, the sample article."""

from __future__ import annotations

import pytest

import newsevents
from newsevents.events.codebook import codebook, lookup
from newsevents.pipeline import STAGE_FACTORIES


def code(text: str):
    return newsevents.code_text(text)


def principal(text: str):
    events = code(text)
    assert events, f"no event in {text!r}"
    return next(e for e in events if e.principal)


# --- codebook ------------------------------------------------------------------------------------

def test_codebook_has_every_code_with_goldstein_quad_and_plover():
    book = codebook()
    assert len(book) >= 300
    assert book["190"].goldstein == -10 and book["190"].quad_class == 4 and book["190"].plover == "ASSAULT"
    assert book["0874"].root == "08" and book["0874"].quad_class == 2 and book["0874"].plover == "RETREAT"
    assert book["139"].name == "Give ultimatum" and book["139"].plover_mode == "relations"
    assert book["020"].plover == "REQUEST" and book["020"].plover_from == "analogy"
    assert book["010"].plover is None  # statements have no PLOVER type
    assert book["163"].quad_class == 3  # sanctions: verbal conflict in the gold's labels


def test_unknown_subcode_falls_back_to_parent():
    assert lookup("0199").code == "019"


def test_stage_is_registered():
    assert STAGE_FACTORIES["events"] == "newsevents.events:EventStage"


# --- behaviour -----------------------------------------------------------------------------------

def test_event_carries_codes_goldstein_plover_and_offsets():
    text = "Russia attacked Ukraine on Monday."
    e = principal(text)
    assert (e.cameo, e.cameo_root, e.quad_class, e.goldstein, e.plover) == ("190", "19", 4, -10.0, "ASSAULT")
    assert (e.source.text, e.target.text, e.trigger.text) == ("Russia", "Ukraine", "attacked")
    for span in (e.source, e.target, e.trigger, e.sentence):
        assert text[span.start:span.end] == span.text
    assert e.rule.startswith("rules-v1/") and 0 < e.confidence <= 1 and e.modality == "asserted"


def test_passive_voice_finds_the_agent_as_source():
    e = principal("This statement was made by Kremlin spokesman Dmitry Peskov.")
    assert e.source.text == "Kremlin spokesman Dmitry Peskov"
    e = principal("Disha Ravi was arrested by Delhi Police for collaborating with an outfit.")
    assert (e.source.text, e.target.text, e.cameo_root) == ("Delhi Police", "Disha Ravi", "17")


def test_compound_actors_give_one_event_per_pair():
    events = [e for e in code("The USA and NATO condemned Russia and Belarus.") if e.cameo_root == "11"]
    pairs = {(e.source.text, e.target.text) for e in events}
    assert {s for s, _ in pairs} == {"The USA", "NATO"}
    assert pairs == {(s, t) for s in ("The USA", "NATO") for t in ("Russia", "Belarus")}
    assert all(e.compound for e in events)
    assert len({e.group for e in events}) == 1 and events[0].group is not None
    assert sum(e.principal for e in events) == 1


@pytest.mark.parametrize("text", [
    "Manchester United beat Chelsea 2-1 in the league match on Saturday.",
    "A storm hit the coast on Monday, killing three people.",
    "Total views 726. Views today — 0.",
    "Sunny spells will give way to heavy rain by the evening.",
])
def test_no_events_for_sport_weather_and_furniture(text):
    assert code(text) == []


def test_reported_speech_gives_the_reported_event_and_the_speech_act():
    events = code("Peskov said Russia would never attack Ukraine.")
    attack = next(e for e in events if e.cameo_root == "19")
    assert attack.negated and attack.reporter.text == "Peskov" and attack.source.text == "Russia"
    speech = next(e for e in events if e.cameo == "010")
    assert speech.source.text == "Peskov" and not speech.principal


def test_said_must_is_a_demand_by_the_speaker():
    e = principal("Syrian President Bashar Assad said Turkey must mediate the peace talks.")
    assert e.cameo_root == "10" and e.source.text == "Syrian President Bashar Assad" and e.target.text == "Turkey"


def test_pronoun_subject_of_reported_clause_is_the_speaker():
    e = principal("Slovakia says it will not accept Syrian refugees.")
    assert e.cameo_root == "12" and e.source.text == "Slovakia" and e.quad_class == 3


def test_negated_cooperation_is_a_rejection():
    e = principal("Israel will not release the prisoners.")
    assert e.cameo_root == "12" and e.target.text == "the prisoners"


def test_conditional_is_hypothetical():
    e = principal("If Iran enriches uranium, Israel would strike its facilities.")
    assert e.modality == "hypothetical" and e.source.text == "Israel"


def test_sentence_quad_class_is_set_from_the_principal_event():
    doc = newsevents.code_document("Russia attacked Ukraine. The weather was fine.")
    assert [s.quad_class for s in doc.sentences] == [4, None]
