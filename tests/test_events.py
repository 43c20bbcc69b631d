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
    "Arsenal beat Tottenham 3-0 on Sunday.",
    "A storm hit the coast on Monday, killing three people.",
    "Total views 726. Views today — 0.",
    "Sunny spells will give way to heavy rain by the evening.",
    "Will the United States attack Iran?",  # a question reports no act
    "All aircraft returned to base safely.",  # a movement, not a return of property
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


def test_demanding_not_to_allow_joining_is_a_demand_not_an_approval():
    events = code("Russia demanded not to allow Ukraine to join NATO.")
    e = next(e for e in events if e.principal)
    assert e.cameo_root == "10" and e.modality == "demanded" and e.source.text == "Russia"
    assert e.target.text == "Ukraine"
    assert not any(ev.cameo_root in ("03", "05", "08") and not ev.negated for ev in events)


def test_there_can_be_no_talks_is_negated():
    e = principal("There can be no talks with the rebels.")
    assert e.negated and e.cameo_root == "04"
    doc = newsevents.code_document("There can be no talks with the rebels.")
    assert doc.sentences[0].quad_class == 0  # a negated event is no cooperation
    assert not any(ev.cameo_root == "04" and not ev.negated
                   for ev in code("There can be no process for the sake of process on these fundamental issues."))


def test_hopes_to_receive_is_a_request_not_a_receipt():
    events = code("Russia hopes to receive written statements from the USA and NATO.")
    assert {e.cameo for e in events} == {"020"}
    assert {e.target.text for e in events} == {"the USA", "NATO"}
    e = events[0]
    assert e.modality == "hoped" and e.trigger.text == "hopes to receive" and e.plover == "REQUEST"


@pytest.mark.parametrize("text, modality, root", [
    ("The government will meet the rebels next week.", "future", "04"),
    ("The army will attack the town tomorrow.", "future", "13"),
    ("Iran said it would release the sailors.", "reported", "03"),
    ("The president urged Congress to pass the bill.", "demanded", "02"),
    ("Russia attacked Ukraine on Monday.", "asserted", "19"),
])
def test_modality(text, modality, root):
    e = principal(text)
    assert (e.modality, e.cameo_root) == (modality, root)


def test_negated_event_is_marked_and_neutral_for_the_sentence():
    doc = newsevents.code_document("NATO did not attack Serbia.")
    assert doc.events[0].negated and doc.events[0].cameo_root == "19"
    assert doc.sentences[0].quad_class == 0


def test_judgements_are_coded_from_the_adjective():
    e = principal("The leadership of America and NATO calls these demands unacceptable.")
    assert e.cameo_root == "12" and e.target.text == "these demands"
    assert {ev.source.text for ev in code("The leadership of America and NATO calls these demands unacceptable.")} == {
        "The leadership of America", "NATO"}
    assert principal("Peskov assessed the results of the negotiations as negative.").cameo_root == "11"


def test_events_link_to_the_quote_they_sit_in():
    from newsevents.events import link_quotes
    from newsevents.model import ActorRef, Quote, Span

    doc = newsevents.code_document('"We will never attack Ukraine," Peskov said.')
    body = doc.article.body
    start = body.index("We")
    doc.quotes = [Quote(content=Span(body[start:start + 25], start, start + 25), kind="direct",
                        speaker=ActorRef("Peskov", body.index("Peskov"), body.index("Peskov") + 6))]
    for e in doc.events:
        e.quote, e.reporter, e.modality = None, None, "future"
    link_quotes(doc)
    inside = [e for e in doc.events if e.trigger.start >= start and e.trigger.end <= start + 25]
    assert inside and all(e.quote == 0 and e.reporter.text == "Peskov" for e in inside)
    assert inside[0].modality == "reported" and inside[0].id in doc.quotes[0].events


# --- the canonical sample --------------------------------------------------------------------------

def sample_events():
    from newsevents.data import SAMPLE_ARTICLE, data_path

    doc = newsevents.extract(data_path("samples", SAMPLE_ARTICLE).read_text(encoding="utf-8"))
    return doc


def test_sample_article_events():
    doc = sample_events()
    ev = doc.events
    body = doc.article.body

    def find(root, source_word, target_word=None):
        return [e for e in ev if e.cameo_root == root and e.source and source_word in e.source.text
                and (target_word is None or (e.target and target_word in e.target.text))]

    # 1. the Russian leadership expects (requests) written statements from NATO and the USA
    assert {e.target.text for e in find("02", "Russian leadership")} == {"NATO", "the USA"}
    assert all(e.modality == "hoped" for e in find("02", "Russian leadership"))
    assert {e.target.text for e in find("02", "Russia")} >= {"the USA", "NATO"}
    # the passive "This statement was made by Kremlin spokesman Dmitry Peskov"
    assert find("01", "Dmitry Peskov")
    # 2. Peskov assessed the negotiations as negative
    assert find("11", "Peskov")
    # 4. the ultimatum to the USA and NATO
    assert {e.target.text for e in find("13", "Russia")} == {"the USA", "NATO"}
    # 5. America and NATO call the demands unacceptable
    assert {e.source.text for e in ev if e.cameo_root == "12"} == {"The leadership of America", "NATO"}
    # 7. the American side and the Alliance confirmed their position at the talks with Russia
    assert {e.source.text for e in ev if e.trigger.text == "confirmed"} == {"The American side",
                                                                           "representatives of the Alliance"}
    for e in ev:
        for span in (e.trigger, e.sentence, e.source, e.target):
            assert span is None or body[span.start:span.end] == span.text
    assert sum(e.principal for e in ev) == len({e.sentence_index for e in ev})


# --- the learned quad-class model ------------------------------------------------------------------

def test_model_backoff_only_overrides_when_confident():
    from newsevents.events.quadmodel import backoff

    assert backoff(3, [0.1, 0.1, 0.6, 0.1, 0.1]) == (2, True)
    assert backoff(3, [0.3, 0.1, 0.4, 0.1, 0.1]) == (3, False)  # not sure enough
    assert backoff(None, None) == (None, False)  # no model installed: the rules stand


def test_shipped_model_gives_probabilities_and_provenance():
    from newsevents.events.quadmodel import load_model

    model = load_model("")
    if model is None:
        pytest.skip("no quad-class model shipped in this checkout")
    probs = model.predict(["Israeli jets bombed Hamas positions in Gaza.", "Germany pledged aid to Ukraine."])
    assert len(probs) == 2 and all(abs(sum(p) - 1) < 1e-4 for p in probs)
    assert max(range(5), key=probs[0].__getitem__) == 4
    assert model.meta["trained_on"] == "conflibert-cameo-class-train.tsv" and model.meta["sha256"]


def test_sentence_without_trigger_gets_a_model_class_but_no_event():
    from newsevents import Settings
    from newsevents.events.quadmodel import load_model

    if load_model("") is None:
        pytest.skip("no quad-class model shipped in this checkout")
    text = "Japanese engineers rebuilt three schools in Haiti with money from Tokyo."
    doc = newsevents.code_document(text)
    assert doc.events == [] and doc.sentences[0].quad_class == 2  # material cooperation, from the model
    assert newsevents.code_document(text, settings=Settings(events_model="none")).sentences[0].quad_class is None


def test_consultations_aim_at_counterparts_not_topics():
    e = principal("The Prime Minister discussed co-operation on counter-terrorism with President Hollande.")
    assert e.cameo_root == "04" and e.target.text == "President Hollande"
    e = principal("India and Pakistan agreed to a ceasefire.")  # reciprocal: one joined actor
    assert e.source.text == "India and Pakistan" and e.target is None and e.compound


# --- accuracy floors on the development gold (skipped where ../shared is absent) -------------------

@pytest.mark.slow
def test_development_gold_stays_above_the_floors(shared):
    from newsevents.evaluation.events import FLOORS, evaluate_events

    result = evaluate_events(shared / "gold" / "events", cv=0)
    assert result["classes"].macro_f1 >= FLOORS["quad_macro_f1"]
    assert result["spans"].exact[2] >= FLOORS["span_f1"]
