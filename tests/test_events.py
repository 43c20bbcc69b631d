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
    assert {e.target.text for e in ev if e.trigger.text == "confirmed"} == {"the Russian Federation"}
    # 3. ... so they took part in talks with Russia, in Geneva and Brussels: a consultation of both sides
    talks = [e for e in ev if e.cameo == "040" and e.trigger.text == "talks"]
    assert {(e.source.code, e.counterpart.code) for e in talks} == {
        ("USAGOV", "RUSGOV"), ("RUSGOV", "USAGOV"), ("IGOWSTNAT", "RUSGOV"), ("RUSGOV", "IGOWSTNAT")}
    assert all(e.target is None and {x.name for x in e.locations} == {"Geneva", "Brussels"} for e in talks)
    # 6. raising the question of ending Russian aggression is a demand on Russia to de-escalate
    assert {(e.source.code, e.target.text, e.target.code) for e in ev if e.cameo == "1056"} == {
        ("USAGOV", "Russian", "RUS"), ("IGOWSTNAT", "Russian", "RUS")}
    # "We can expect some written statements", - he said: "we" is Peskov's side, the Russian government
    we = next(e for e in ev if e.source and e.source.text == "We")
    assert (we.cameo_root, we.source.code, we.reporter.code) == ("02", "RUSGOV", "RUSGOV")
    for e in ev:
        for span in (e.trigger, e.sentence, e.source, e.target, e.counterpart):
            assert span is None or body[span.start:span.end] == span.text
    assert sum(e.principal for e in ev) == len({e.sentence_index for e in ev})


# --- the sentence quad-class model ---------------------------------------------------------------

def parsed(text: str):
    from newsevents.nlp import load

    return next(load().pipe([text]))[:]


def test_features_carry_the_rules_verdict_and_the_triggers_in_the_sentence():
    from newsevents.events import sentence_match
    from newsevents.events.quadmodel import features

    sent = parsed("Peskov said Russia would never attack Ukraine.")
    f = features(sent, sentence_match(sent))
    assert f["via=main"] == f["path=report"] == f["modal=would"] == f["ents=2"] == 1.0
    assert f["root=19"] == 1.0 and f["vq4"] == 1.0  # the attack, reported
    sent = parsed("The weather was lovely in the afternoon.")
    f = features(sent, sentence_match(sent))
    assert f["match=none"] == 1.0 and not any(k.startswith(("quad=", "root=", "lex=")) for k in f)


def test_quad_model_is_a_softmax_over_summed_feature_weights(tmp_path):
    from newsevents.events.quadmodel import QuadModel, load_model

    model = QuadModel({"quad=4": [0, 0, 0, 0, 2.0], "neg": [3.0, 0, 0, 0, 0]}, [0.1, 0, 0, 0, 0], {"note": "toy"})
    p = model.probabilities({"quad=4": 1.0, "unseen": 1.0})
    assert abs(sum(p) - 1) < 1e-9 and max(range(5), key=p.__getitem__) == 4
    assert model.classify({"quad=4": 1.0, "neg": 1.0})[0] == 0
    model.save(tmp_path)
    again = load_model(str(tmp_path))
    assert again.fallback is None and again.meta == {"note": "toy"}
    assert again.probabilities({"quad=4": 1.0}) == pytest.approx(p)


def test_sentence_quad_class_is_the_models_and_a_contradicted_event_loses_confidence(tmp_path):
    from newsevents import Settings
    from newsevents.events.quadmodel import QuadModel

    QuadModel({}, [0, 0, 5.0, 0, 0]).save(tmp_path)  # a model that always says "material cooperation"
    text = "Israeli jets bombed Hamas positions in Gaza."
    rules = newsevents.code_document(text, settings=Settings(events_model="none"))
    doc = newsevents.code_document(text, settings=Settings(events_model=str(tmp_path)))
    assert rules.sentences[0].quad_class == 4 and doc.sentences[0].quad_class == 2
    before, after = (next(e for e in d.events if e.principal) for d in (rules, doc))
    assert (after.cameo, after.quad_class) == (before.cameo, before.quad_class)  # codes stay codebook-consistent
    assert after.confidence == round(before.confidence / 2, 2)
    # a negated act classes its sentence neutral whatever the model says
    assert newsevents.code_document("Russia did not attack Ukraine.",
                                    settings=Settings(events_model=str(tmp_path))).sentences[0].quad_class == 0
    # sentences that are no event and name no actor get no class, model or not
    assert newsevents.code_document("Lovely weather.", settings=Settings(events_model=str(tmp_path))).sentences[0].quad_class is None


def test_missing_model_folder_is_a_clear_error(tmp_path):
    from newsevents.errors import ModelError
    from newsevents.events.quadmodel import load_model

    with pytest.raises(ModelError, match="newsevents train events"):
        load_model(str(tmp_path / "nowhere"))
    assert load_model("none") is None


def test_fallback_is_asked_only_where_the_rules_were_unsure():
    from newsevents.events import unsure

    assert unsure(None)
    assert not unsure(principal("Israeli jets bombed Hamas positions in Gaza."))
    assert unsure(principal("The minister said the situation was complicated."))  # a report of nothing coded


def test_shift_folds_keep_each_root_verb_whole():
    from newsevents.evaluation.events import shift_indices

    groups = ["say"] * 7 + ["attack"] * 4 + ["meet"] * 3 + ["send"] * 2 + ["urge", "deny"]
    folds = shift_indices(groups, 3)
    assert sorted(i for f in folds for i in f) == list(range(len(groups)))
    assert all(len({groups[i] for i in f} & {groups[i] for g in folds if g is not f for i in g}) == 0 for f in folds)


def test_sentence_without_trigger_gets_a_model_class_but_no_event():
    from newsevents import Settings
    from newsevents.events import typemodel

    if not typemodel.present(typemodel.model_dir()):
        pytest.skip("no event type model shipped in this checkout")
    text = "Japanese engineers rebuilt three schools in Haiti with money from Tokyo."
    doc = newsevents.code_document(text, settings=Settings(events_model="shipped"))
    assert doc.events == [] and doc.sentences[0].quad_class == 2  # material cooperation, from the model
    assert newsevents.code_document(text, settings=Settings(events_model="none")).sentences[0].quad_class is None


def test_consultations_aim_at_counterparts_not_topics():
    e = principal("The Prime Minister discussed co-operation on counter-terrorism with President Hollande.")
    assert e.cameo_root == "04" and e.counterpart.text == "President Hollande"
    e = principal("India and Pakistan agreed to a ceasefire.")  # reciprocal: one joined actor
    assert e.source.text == "India and Pakistan" and e.target is None and e.compound


# --- accuracy floors on the development gold (skipped where ../shared is absent) -------------------

@pytest.mark.slow
def test_development_gold_stays_above_the_floors(shared):
    from newsevents.evaluation.events import FLOORS, evaluate_events

    result = evaluate_events(shared / "gold" / "events", cv=5, splits=("shift",))
    assert result["classes"].macro_f1 >= FLOORS["quad_macro_f1"]
    assert result["classes_shift"].macro_f1 >= FLOORS["quad_macro_f1_shift"]
    assert result["spans"].exact[2] >= FLOORS["span_f1"]


@pytest.mark.parametrize("text, target", [
    # a transfer aims at its recipient, even when the parser hangs "to X" inside what was given
    ("Norway returned a stolen medieval manuscript that had been missing for decades to the Italian government.",
     "the Italian government"),
    ("Canada sent 40 tents and a team of engineers to Nepal.", "Nepal"),
    # a passive transfer: what was returned is not whom it was returned to
    ("A bronze statue was returned to Greece by Swiss customs officials.", "Greece"),
    # considering giving: the clause under the control verb names the recipient
    ("The city council is considering giving grants to small farmers.", "small farmers"),
    ("Sweden is exploring the possibility of sending medical teams to Gaza.", "Gaza"),
    # no recipient named: whom the purpose clause helps
    ("Norway donated two mobile clinics to assist Malawi.", "Malawi"),
])
def test_transfers_aim_at_their_recipient(text, target):
    assert principal(text).target.text == target


def test_a_meeting_makes_both_parties_sources_with_each_other_as_counterpart():
    events = [e for e in code("The Norwegian foreign minister met his Chilean counterpart in Oslo.") if e.cameo == "040"]
    assert {(e.source.text, e.counterpart.text) for e in events} == {
        ("The Norwegian foreign minister", "his Chilean counterpart"),
        ("his Chilean counterpart", "The Norwegian foreign minister")}
    assert all(e.target is None and e.compound for e in events) and len({e.group for e in events}) == 1
    # a visit has a direction and keeps its target
    e = principal("The Norwegian foreign minister visited Chile.")
    assert e.cameo == "042" and e.target.text == "Chile" and e.counterpart is None


def test_positions_struck_are_targets():
    e = principal("Turkish jets struck militant positions in northern Iraq.")
    assert e.target.text == "militant positions in northern Iraq"
    # where something of someone's is, is cut as for a person
    e = principal("Turkish jets struck Kurdish militant positions in northern Iraq.")
    assert e.target.text == "Kurdish militant positions"


def test_where_a_person_or_country_was_is_not_part_of_its_span():
    e = principal("Police arrested opposition leader Maria Lopez in Caracas.")
    assert e.target.text == "opposition leader Maria Lopez"
    e = principal("Police raided the Canadian embassy in Caracas.")
    assert e.target.text == "the Canadian embassy in Caracas"


@pytest.mark.parametrize("text, source, target", [
    # pre-tokenized text splits "'s" from its possessor: the phrase is still one
    ("Chile ’ s foreign minister condemned Peru ’ s decision to close the border .",
     "Chile ’ s foreign minister", "Peru ’ s decision"),
    ("Kenya ' s army shelled Somalia ' s Gedo region .", "Kenya ' s army", "Somalia ' s Gedo region"),
])
def test_split_possessives_stay_in_their_phrase(text, source, target):
    e = principal(text)
    assert (e.source.text, e.target.text) == (source, target)


def test_an_agentless_toll_takes_the_act_its_time_clause_names():
    e = principal("Twelve soldiers were killed when rebels ambushed an army convoy near Goma.")
    assert (e.source.text, e.target.text, e.cameo_root) == ("rebels", "an army convoy", "19")
    # with an agent the passive itself is the event
    e = principal("Twelve soldiers were killed by rebels.")
    assert (e.source.text, e.target.text) == ("rebels", "Twelve soldiers")


@pytest.mark.parametrize("text, span", [
    # pre-tokenized text splits titles and initials from their full stop
    ("Police detained Mr . Ramos after the protest .", "Mr . Ramos"),
    ("The court sentenced John B . Carter to five years .", "John B . Carter"),
    ("Iran accused the U . K of piracy .", "the U . K"),
])
def test_split_abbreviations_stay_in_their_phrase(text, span):
    assert principal(text).target.text == span


def test_a_rejected_request_is_the_target_with_whom_it_came_from():
    e = principal("The court rejected a request from the opposition party to delay the vote.")
    assert e.cameo_root == "12" and e.target.text == "a request from the opposition party"


def test_first_person_plural_is_the_speakers_side():
    e = principal('"We will never recognise the annexation," Norwegian Foreign Minister Ine Eriksen Soreide said.')
    assert (e.source.text, e.source.code, e.cameo_root) == ("We", "NORGOV", "12")
    e = principal("The Chilean defence minister said we would send observers to Haiti.")
    assert e.source.text == "we" and e.source.code == "CHLGOV"
    # a speaker who speaks for no body we know: "we" stays uncoded
    e = principal('"We will block the road," a farmer said.')
    assert e.source.text == "We" and e.source.code is None


def test_raising_the_question_of_a_release_is_a_demand():
    e = principal("The foreign minister raised the question of releasing the detained journalists.")
    assert e.cameo == "1053" and e.modality == "demanded" and e.target.text == "the detained journalists"
    e = principal("The EU raised the issue of fishing quotas.")  # nothing demanded: a statement
    assert e.cameo == "010" and e.modality == "asserted"


def test_acting_at_talks_with_someone_is_taking_part_in_them():
    events = code("The Iranian delegation presented its proposals at the talks with the European Union in Vienna.")
    talks = {(e.source.text, e.counterpart.text) for e in events if e.cameo == "040"}
    assert talks == {("The Iranian delegation", "the European Union"), ("the European Union", "The Iranian delegation")}


@pytest.mark.parametrize("text, target", [
    ("The Japanese government said it is skeptical of the North Korean announcement.", "the North Korean announcement"),
    ("The finance minister expressed optimism about the new trade agreement.", "the new trade agreement"),
    ("The envoy expressed deep concern to the Security Council on Monday.", "the Security Council"),
])
def test_pessimistic_and_optimistic_comments_are_about_what_follows(text, target):
    e = principal(text)
    assert e.cameo in ("012", "013") and e.target.text == target


def test_cooperation_is_agreed_on_a_topic_not_aimed_at_it():
    # coordinated parties agreeing on something act together: one reciprocal actor, no target
    e = principal("Norway and Iceland agreed to share data on fish stocks.")
    assert e.source.text == "Norway and Iceland" and e.target is None
    # a deal signed with someone is a deal of both parties
    events = [e for e in code("Chile signed a trade agreement with South Korea.") if e.cameo == "057"]
    assert {(e.source.text, e.counterpart.text) for e in events} == {("Chile", "South Korea"), ("South Korea", "Chile")}


def test_forces_acting_together_are_one_source_and_named_states_are_not():
    e = principal("Government troops and allied militias attacked the rebel stronghold.")
    assert e.source.text == "Government troops and allied militias" and e.target.text == "the rebel stronghold"
    events = code("France and Germany condemned the attack.")
    assert {e.source.text for e in events} == {"France", "Germany"}


def test_words_sport_shares_with_politics_do_not_make_a_sentence_sport():
    e = principal("Government warplanes attacked the final rebel-held town.")
    assert e.cameo_root == "19" and e.target.text == "the final rebel-held town"
    assert code("Liverpool beat Everton in the cup final.") == []


@pytest.mark.parametrize("text, cameo, target", [
    # yielding (CAMEO 08): to demands, whose they are; easing an economic measure is 085, not a sanction
    ("The government accepted the demands of the striking nurses.", "080", "the striking nurses"),
    ("The mayor conceded to demands from the teachers' union.", "080", "the teachers' union"),
    ("Canada cut tariffs on Mexican steel.", "085", None),
    # approving an act is the act itself: an approved extradition is judicial cooperation
    ("A Spanish court approved the extradition of a Venezuelan banker.", "063", None),
])
def test_yielding_and_approving(text, cameo, target):
    e = principal(text)
    assert e.cameo == cameo and e.quad_class == 2
    if target:
        assert e.target.text == target


@pytest.mark.parametrize("text, cameo, target", [
    # a generic head takes the act its modifier names: ended mediation efforts = halted negotiations
    ("The African Union ended mediation efforts with the rebels on Friday.", "164", "the rebels"),
    ("China has strengthened its forces near the border.", "154", None),
    # people sent to investigate: an investigation where they were sent
    ("Norway sent a team of experts to Ghana to investigate the explosion.", "090", "Ghana"),
    # asked to do something that is not cooperation is still an appeal (neutral), not a rally
    ("Poland asked NATO to help patrol its airspace.", "020", "NATO"),
    ("The regime suspended publication of the largest opposition newspaper.", "1721", None),
])
def test_codes_from_generic_heads_purposes_and_appeals(text, cameo, target):
    e = principal(text)
    assert e.cameo == cameo
    if target:
        assert e.target.text == target


def test_denied_charges_aim_at_who_made_them_and_lifted_emergencies_at_their_place():
    e = principal("The ministry denied charges by an opposition newspaper that it had rigged the vote.")
    assert e.cameo == "016" and e.target.text == "an opposition newspaper"
    e = principal("The president lifted the state of emergency in southern parts of the country.")
    assert e.cameo == "0814" and e.target.text == "southern parts of the country"


@pytest.mark.parametrize("text, target", [
    # attitudes (012/013) aim at what they are about, wherever the parser hangs it
    ("The opposition leader expressed optimism at the new budget deal.", "the new budget deal"),
    ("The mayor expressed optimism on Monday that the regional government's reforms would succeed.",
     "the regional government's reforms"),
    ("Japan expressed pessimism about resolving the territorial dispute.", "the territorial dispute"),
    ("The president expressed pessimism over holding talks with the rebels.", "the rebels"),
])
def test_attitudes_aim_at_what_they_are_about(text, target):
    e = principal(text)
    assert e.cameo in ("012", "013") and e.target.text == target


@pytest.mark.parametrize("text, cameo, target", [
    # what is rejected or vetoed is the target, even a thing; refused talks aim at whom they were with
    ("China vetoed a French draft resolution on Monday.", "129", "a French draft resolution"),
    ("The government rejected a call by the World Bank to cut fuel subsidies.", "125", "the World Bank"),
    ("The court rejected an appeal to free the journalist.", "120", "an appeal"),
    ("The junta reneged on a peace accord with the rebels.", "120", "a peace accord with the rebels"),
    ("The rebels refused direct talks with the government.", "125", "the government"),
    # claimed acts aim at whom they hit; officials resign from a body
    ("The militants claimed responsibility for the attack on a police station.", "015", "a police station"),
    ("Al Shabaab claimed responsibility for several bombings in Mogadishu.", "015", "Mogadishu"),
    ("The general resigned as chief of staff of the Peruvian army.", "0831", "the Peruvian army"),
])
def test_rejections_claims_and_resignations_name_their_targets(text, cameo, target):
    e = principal(text)
    assert (e.cameo, e.target.text) == (cameo, target)


@pytest.mark.parametrize("text, source, target", [
    # the charge is not part of who is charged; time is not part of an actor
    ("Human rights groups accused the army of torturing detainees.", "Human rights groups", "the army"),
    ("Hours later Maduro expelled the Colombian ambassador.", "Maduro", "the Colombian ambassador"),
    ("Sweden admitted 2,000 Syrian refugees in March.", "Sweden", None),
    # "both" before a singular name is a conjunction; a short participle says which ones
    ("Canada lifted sanctions against both Iran and Syria.", "Canada", "Iran"),
    ("The rockets fired by the militia hit a school.", "The rockets fired by the militia", "a school"),
])
def test_span_boundaries(text, source, target):
    e = principal(text)
    assert e.source.text == source
    if target:
        assert e.target.text == target


def test_a_list_the_parser_read_as_an_apposition_gives_one_actor_each():
    events = code("The United States, India, Israel and other governments sent emergency supplies to Nepal.")
    assert {e.source.text for e in events} == {"The United States", "India", "Israel", "other governments"}
    assert {e.target.text for e in events} == {"Nepal"}


def test_an_office_holder_loses_where_they_were():
    events = code("The German chancellor held talks with the Irish premier Leo Varadkar at Downing Street.")
    assert {e.source.text for e in events} == {"The German chancellor", "the Irish premier Leo Varadkar"}


@pytest.mark.parametrize("text, target", [
    # aid and eased restrictions aim at the people or place inside what they name
    ("Japan lifted travel curbs to and from North Korea.", "North Korea"),
    ("The navy is giving top priority to the shipment of water to the Haitian people.", "the Haitian people"),
])
def test_cooperation_aims_at_the_people_or_place_inside_a_thing(text, target):
    assert principal(text).target.text == target


@pytest.mark.parametrize("text, source, target", [
    # whoever acts "by doing" something, or puts out a report that accuses, is the source
    ("Germany marked the anniversary by donating tents to Nepal.", "Germany", "Nepal"),
    ("The watchdog put out a report accusing the police of torture.", "The watchdog", "the police"),
    # an agentless passive takes its source from a clause of the same kind of act, or the owner of
    # the measure; a reported toll of violence still gives way to the act its time clause names
    ("The activist was released on Monday after the king pardoned her.", "the king", "The activist"),
    ("EU sanctions against Belarus were lifted in 2016.", "EU", "Belarus"),
    ("Twelve villagers were killed as militants attacked a market, the army said.", "militants", "a market"),
])
def test_sources_found_beyond_the_subject(text, source, target):
    e = principal(text)
    assert (e.source.text, e.target.text) == (source, target)


@pytest.mark.parametrize("text, target", [
    # a thing said to be someone's stands for its owner: what it is about is cut, its "of" kept
    ("The prime minister rejected Moscow's proposal for a buffer zone.", "Moscow's proposal"),
    ("The senator defended US strategy in Syria.", "US strategy"),
    ("The assembly condemned North Korea's violations of human rights.", "North Korea's violations of human rights"),
])
def test_an_owned_thing_keeps_its_owner_not_what_it_is_about(text, target):
    assert principal(text).target.text == target


def test_a_time_after_an_actor_is_cut():
    e = principal("Israeli airstrikes this week killed three militants.")
    assert e.source.text == "Israeli airstrikes"


def test_a_description_after_a_name_is_cut_but_a_speakers_office_stays():
    assert principal("Rebels shelled Aden, Yemen's second largest city.").target.text == "Aden"
    assert principal("Police arrested Ali Hassan, a suspected smuggler.").target.text == "Ali Hassan"
    e = principal("Maria Lopez, a senior UN official, condemned the attack.")
    assert e.source.text == "Maria Lopez, a senior UN official"


@pytest.mark.parametrize("text, targets", [
    # a mediation aims at the parties it is between, wherever the parser hangs them
    ("Qatar launched a mediation effort to end the feud between Sudan and Chad.", {"Sudan", "Chad"}),
    ("Norway launched a mediation effort between the Democratic Alliance and the rebels.",
     {"the Democratic Alliance", "the rebels"}),
    # an act of someone's is a target when no one else is named; investigations aim at whom they are of
    ("Canada offered logistical support to British operations.", {"British operations"}),
    ("Prosecutors opened investigations of three large banks.", {"three large banks"}),
    # goods given alongside others, and aid sent to help someone, go to the recipient
    ("Spain is willing to provide tents alongside food aid to Morocco.", {"Morocco"}),
    ("The government is considering sending aid to help Fiji recover from the cyclone.", {"Fiji"}),
])
def test_targets_of_mediation_owned_acts_and_considered_aid(text, targets):
    assert {e.target.text for e in code(text) if e.target is not None and e.principal or e.compound} >= targets


@pytest.mark.parametrize("text, source", [
    # parties that reach, keep or break an agreement, a ceasefire or talks together are one actor
    ("Chile and Peru failed to reach agreement on fishing rights.", "Chile and Peru"),
    ("Sudan and Chad were guilty of violating the ceasefire agreement.", "Sudan and Chad"),
    ("Brazil and Argentina signed an agreement on trade cooperation.", "Brazil and Argentina"),
])
def test_parties_to_a_joint_act_are_one_reciprocal_actor(text, source):
    e = principal(text)
    assert e.source.text == source and e.compound


def test_the_government_in_what_an_official_says_is_the_speakers_side():
    e = principal("The Kenyan interior minister said the government will not lift the ban on the sect.")
    assert e.source.text == "The Kenyan interior minister" and e.cameo_root == "12"
    e = principal("The minister said the Ugandan government will lift the ban.")  # a government named otherwise
    assert e.source.text == "the Ugandan government"


@pytest.mark.parametrize("text, target", [
    ("The senator expressed concern for the ambassador's safety.", "the ambassador's safety"),
    ("The queen expressed her condolences for the people of Haiti.", "the people of Haiti"),
])
def test_concern_and_condolences_are_for_someone(text, target):
    assert principal(text).target.text == target


def test_nouns_sharing_a_determiner_name_one_group():
    e = principal("The government released another 30 journalists and activists.")
    assert e.target.text == "another 30 journalists and activists" and not e.compound
    # two sides named, or two determiners, are two actors
    events = code("Police detained the mayor and the governor.")
    assert {e.target.text for e in events} == {"the mayor", "the governor"}


def test_refuge_is_sought_where_people_flee():
    e = principal("Thousands of Afghans have sought refuge in Pakistan since the war began.")
    assert (e.source.text, e.target.text) == ("Thousands of Afghans", "Pakistan")


def test_an_event_restated_after_the_target_and_a_violated_ceasefire():
    e = principal("Rebels shelled the town of Goma, an attack condemned by the UN.")
    assert e.target.text == "the town of Goma"
    e = principal("Rebels violated Colombia's holiday ceasefire in Cauca province.")
    assert e.cameo == "196" and e.target.text == "Colombia's holiday ceasefire"


def test_the_charge_after_an_accuser_is_cut_and_declined_comments_aim_at_no_thing():
    e = principal("Cuba rejected accusations by the United States of human rights abuses.")
    assert e.target.text == "the United States"
    e = principal("Iran rejected accusations by the government of Iraq that it armed the militia.")
    assert e.target.text == "the government of Iraq"
    e = principal("The ministry declined to comment on the report.")
    assert e.cameo == "011" and e.target is None


def test_released_soldiers_are_the_target_sent_ones_are_goods():
    assert principal("The militia has freed 200 child soldiers.").target.text == "200 child soldiers"
    assert principal("Canada sent 200 soldiers to Latvia.").target.text == "Latvia"


def test_deported_people_lose_where_they_were_sent_and_a_violated_ban_aims_at_its_maker():
    assert principal("Greece has deported 300 migrants to Turkey.").target.text == "300 migrants"
    e = principal("Iran has violated a ban by the UN on missile tests.")
    assert e.cameo_root == "12" and e.target.text == "the UN"


def test_subjects_on_an_auxiliary_and_the_state_where_someone_was_arrested():
    events = code("Britain and France however have opposed the resolution.")
    assert {e.source.text for e in events} == {"Britain", "France"}
    e = principal("The opposition leader was arrested in Uganda on Monday.")
    assert (e.source.text, e.target.text) == ("Uganda", "The opposition leader")
    e = principal("The opposition leader was arrested in Uganda by military police.")
    assert e.source.text == "military police"


# --- event semantics: several events, reported acts, intent, weapons, hazards (issue 24) --------

def kinds(text: str) -> set[str]:
    return {e.plover for e in code(text) if e.plover}


def test_a_protest_and_the_force_against_it_are_two_events():
    events = code("A march against the new labour law ended when riot police opened fire on the crowd.")
    assert {"PROTEST", "ASSAULT"} <= {e.plover for e in events}
    also = next(e for e in events if e.plover == "PROTEST")
    assert not also.principal and "/also:" in also.rule


def test_protesters_named_as_a_target_report_a_protest():
    events = code("Soldiers fired rubber bullets at demonstrators outside the ministry.")
    protest = next(e for e in events if e.plover == "PROTEST")
    assert protest.source.text == "demonstrators"


def test_a_protest_noun_heading_the_sentence_is_an_event_without_named_actors():
    assert "PROTEST" in kinds("Demonstrations spread to four provinces on Thursday.")


def test_what_a_statement_is_about_is_not_another_event():
    # "the bombing" is what was condemned (reported elsewhere in the article), not a second act
    assert kinds("Kenya and Uganda condemned the bombing.") == {"ACCUSE"}


def test_acts_that_did_not_happen_are_not_other_events():
    # the talks were refused, the strike only called for: neither happened
    assert "CONSULT" not in kinds("The junta refused to hold talks, and arrested two union leaders.")
    assert "PROTEST" not in kinds("The union called for a strike after police detained its leader.")


@pytest.mark.parametrize("text", [
    "Police seized 200 kilograms of explosives in a raid on a warehouse.",
    "Engineers defused a landmine on the road to the airport.",
    "Border guards discovered a cache of rifles under a truckload of vegetables.",
])
def test_weapons_found_seized_or_defused_are_coercion(text):
    e = principal(text)
    assert e.plover == "COERCE" and e.cameo_root == "17"


def test_a_statement_gives_way_to_the_act_it_reports():
    e = principal("The defence ministry released a statement saying its troops had captured two rebel commanders.")
    assert e.cameo_root != "01" and e.modality == "reported"
    assert e.reporter is not None and e.reporter.text == "The defence ministry"


def test_a_noun_of_intent_governs_the_act_it_names():
    e = principal("The government announced a plan to release 300 prisoners.")
    assert e.cameo.startswith("03") and e.plover == "AGREE"
    e = principal("Moscow issued a threat to cut gas supplies.")
    assert e.plover == "THREATEN"


@pytest.mark.parametrize("text", [
    "Heavy rains and mudslides killed 14 people in the hills.",
    "A ferry sank in a storm, killing 30 passengers.",
    "A minibus overturned on the highway, killing nine people.",
    "An outbreak of dengue fever has killed 40 people since June.",
])
def test_a_hazard_that_kills_is_not_an_assault(text):
    assert not kinds(text) & {"ASSAULT", "PROTEST", "COERCE", "AGREE"}


def test_violence_with_an_armed_or_human_cause_stays_an_assault():
    assert "ASSAULT" in kinds("Looters torched three shops in the market.") | kinds("Hackers launched attacks on bank websites.")
    assert "ASSAULT" in kinds("A roadside bomb killed four policemen.")


def test_challenge_set_reads_and_the_keyword_baseline_scores_it():
    from newsevents.evaluation.challenge import keyword_baseline, read_challenge

    snippets = read_challenge()
    assert len(snippets) >= 100 and sum(s.disaster for s in snippets) >= 15
    base = keyword_baseline(snippets)
    assert set(base.recall) >= {"ASSAULT", "PROTEST", "COERCE", "AGREE"} and base.false_alarms[1] == sum(s.disaster for s in snippets)


def test_a_crowd_protesting_demonstrates_and_a_state_protesting_complains():
    assert principal("Thousands of nurses protested against the pay freeze outside parliament.").plover == "PROTEST"
    # the rules' reading (the type model may overrule it where its vectors say otherwise)
    state = newsevents.code_text("Japan protested against the seizure of its fishing boat.",
                                 settings=newsevents.Settings(events_model="none"))
    assert next(e for e in state if e.principal).plover == "ACCUSE"


def test_hyphenated_event_nouns_split_by_the_tokenizer_are_found():
    assert "PROTEST" in kinds("Miners began a sit-in at the company headquarters.")


def test_an_agreement_signed_is_an_event_without_named_parties():
    assert principal("A trade agreement was signed in Nairobi on Friday.").cameo == "057"
