"""The event type model: how its probabilities recode events, how gold labels map onto CAMEO
roots, the scorers' arithmetic, and the shipped model on sentences users send."""

from __future__ import annotations

import pytest

import newsevents
from newsevents.events import typemodel
from newsevents.events.typemodel import ROOTS, Candidate, apply, quad_then_root
from newsevents.events.typetrain import GoldLine, anchored, roots_of_plover, roots_of_quad


def probs(**by_root: float) -> list[float]:
    rest = (1 - sum(by_root.values())) / (len(ROOTS) - len(by_root))
    return [by_root.get(f"r{r}", rest) for r in ROOTS]


def shipped():
    if not typemodel.present(typemodel.model_dir()):
        pytest.skip("no event type model shipped in this checkout")
    return typemodel.load_type_model("")


def principal(doc):
    return next(e for e in doc.events if e.principal)


# --- labels -> roots -------------------------------------------------------------------------------

def test_gold_labels_allow_the_roots_of_their_class_or_type():
    assert roots_of_quad(0) == {"01", "02"} and roots_of_quad(3) == {"09", "10", "11", "12", "13", "16"}
    assert roots_of_plover("YIELD") == {"08"}  # PLV's older name for CONCEDE and RETREAT
    assert roots_of_plover("REQUEST") == {"02", "10"}
    # the PLOVER table types some codes unlike their root: 163 sanctions COERCE, 1712 destroy property ASSAULT
    assert roots_of_plover("COERCE") == {"16", "17", "19"} and roots_of_plover("ASSAULT") == {"17", "18", "19", "20"}


def test_training_keeps_the_rules_root_where_the_gold_allows_it():
    doc = newsevents.code_document("Israeli jets bombed Hamas positions in Gaza.",
                                   settings=newsevents.Settings(events_model="none"))
    e = principal(doc)
    cand = Candidate("", {}, event=e)
    assert anchored(roots_of_quad(4), cand) == {e.cameo_root}
    assert anchored(roots_of_quad(1), cand) == roots_of_quad(1)  # the rules contradicted: the gold's roots
    assert anchored(roots_of_quad(2), Candidate("", {})) == roots_of_quad(2)


# --- decisions -----------------------------------------------------------------------------------

def test_quad_class_sums_its_roots_before_the_root_is_chosen():
    # 18 alone is the likeliest root, but the verbal-conflict roots together outweigh it
    p = probs(r18=0.3, r11=0.2, r12=0.2, r13=0.2)
    assert quad_then_root(p) == ("11", 3)


def test_the_model_recodes_a_contradicted_event_and_keeps_an_agreeing_ones_full_code():
    doc = newsevents.code_document("Israeli jets bombed Hamas positions in Gaza.",
                                   settings=newsevents.Settings(events_model="none"))
    e = principal(doc)
    full, sentence = e.cameo, doc.sentences[0]
    apply(Candidate("", {}, event=e, sentence=sentence), probs(**{f"r{e.cameo_root}": 0.9}))
    assert e.cameo == full and e.confidence == 0.9 and e.rule.endswith("|" + typemodel.MODEL_ID)
    apply(Candidate("", {}, event=e, sentence=sentence), probs(r07=0.95))
    assert (e.cameo, e.cameo_root, e.plover, e.quad_class) == ("07", "07", "AID", 2)
    assert sentence.quad_class == 2 and e.confidence == 0.95


def test_negated_acts_and_speech_acts_keep_the_rules_code():
    doc = newsevents.code_document("Russia did not attack Ukraine.", settings=newsevents.Settings(events_model="none"))
    e = principal(doc)
    before = (e.cameo, doc.sentences[0].quad_class)
    apply(Candidate("", {}, event=e, sentence=doc.sentences[0]), probs(r07=0.95))
    assert (e.cameo, doc.sentences[0].quad_class) == before == (e.cameo, 0)
    speech = next(x for x in newsevents.code_document("Peskov said Russia would attack Ukraine.",
                                                      settings=newsevents.Settings(events_model="none")).events
                  if "speech-act:" in x.rule)
    apply(Candidate("", {}, event=speech), probs(r07=0.95))
    assert speech.cameo == "010"


# --- scoring --------------------------------------------------------------------------------------

def test_plv_scoring_takes_the_event_that_links_the_dyad_else_the_first_typed_one():
    from newsevents.evaluation.event_model import score_plv

    line = GoldLine("", "plv", frozenset(), "ASSAULT", source="Israeli jets", target="Hamas")
    other = GoldLine("", "plv", frozenset(), "YIELD", source="Kyiv", target="Moscow")
    rec = {"events": [{"plover": "CONSULT", "source": {"text": "Egypt"}, "target": {"text": "Qatar"}},
                      {"plover": "ASSAULT", "source": {"text": "jets"}, "target": {"text": "Hamas positions"}},
                      {"plover": None, "source": {"text": "Kyiv"}, "target": {"text": "Moscow"}}]}
    s = score_plv([line, other], [rec, rec])
    assert s.linked == 0.5 and s.accuracy == 0.5  # YIELD falls back to the first typed event: CONSULT
    s = score_plv([other], [{"events": [{"plover": "RETREAT", "source": {"text": "Kyiv"}, "target": {"text": "Moscow"}}]}])
    assert s.accuracy == s.macro_f1 == 1.0  # RETREAT counts as PLV's YIELD


def test_calibration_error_is_the_weighted_gap_between_confidence_and_accuracy():
    from newsevents.evaluation.event_model import ece

    assert ece([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert ece([0.9] * 4 + [0.2] * 4, [True, False, False, False, True, True, False, False]) == pytest.approx(
        0.5 * 0.65 + 0.5 * 0.3)


# --- the shipped model -----------------------------------------------------------------------------

def test_shipped_model_decides_clear_events_and_records_its_provenance():
    model = shipped()
    assert set(model.meta["trained_on"]) == {"conflibert-cameo-class-train.tsv", "conflibert-cameo-ner-train.txt",
                                             "plv-train.tsv"}
    assert all(len(h) == 64 for h in model.meta["trained_on"].values())
    for text, plover, quad in (("Israeli jets bombed Hamas positions in Gaza.", "ASSAULT", 4),
                               ("Germany sent food and medicine to Ukraine.", "AID", 2),
                               ("The United States imposed sanctions on Iran.", "COERCE", 3)):  # 163, as PLV has it
        doc = newsevents.code_document(text, settings=newsevents.Settings(events_model="shipped"))
        e = principal(doc)
        assert (e.plover, doc.sentences[0].quad_class) == (plover, quad), text
        assert typemodel.MODEL_ID in e.rule and 0 < e.confidence <= 1


@pytest.mark.parametrize("text", ["", "   ", "?!... --- ;;; !!!", "word " * 5000,
                                  "Le gouvernement a annoncé hier une nouvelle réforme des retraites.",
                                  "Правительство России объявило о новых мерах поддержки."])
def test_malformed_input_gets_no_event_and_no_crash(text):
    shipped()
    doc = newsevents.code_document(text, settings=newsevents.Settings(events_model="shipped"))
    assert doc.events == []


def test_the_model_is_on_by_default():
    shipped()
    doc = newsevents.code_document("Israeli jets bombed Hamas positions in Gaza.")
    assert principal(doc).rule.endswith("|" + typemodel.MODEL_ID)
    rules = newsevents.code_document("Israeli jets bombed Hamas positions in Gaza.",
                                     settings=newsevents.Settings(events_model="none"))
    assert typemodel.MODEL_ID not in principal(rules).rule


def test_candidates_pool_the_parses_token_vectors_over_marked_spans():
    from newsevents.nlp import load

    text = "Israeli jets bombed Hamas positions in Gaza."
    parse = load()(text)
    hidden, offsets = typemodel.token_vectors(parse[:], 0)
    assert hidden.shape == (len(parse), typemodel.WIDTHS["tok2vec"]) and offsets[1] == (8, 12)
    jets = typemodel.span_mean(hidden, offsets, (0, 12))
    assert jets is not None and abs(float((jets ** 2).sum()) - 1) < 1e-4
    assert typemodel.span_mean(hidden, offsets, (len(text) + 5, len(text) + 9)) is None
    assert typemodel.span_mean(hidden, offsets, None) is None
    cand = Candidate(text, {}, {"source": (0, 12), "target": None, "trigger": (13, 19)}, vectors=(hidden, offsets))
    x = typemodel.dense_part([cand, Candidate(text, {}), Candidate("", {}, vectors=(hidden[:0], []))])
    width, size = typemodel.WIDTHS["tok2vec"], typemodel.dense_size("tok2vec")
    assert x.shape == (3, size) and list(x[0, -3:]) == [1, 0, 1]
    assert abs(float((x[0, width:2 * width] - jets) @ (x[0, width:2 * width] - jets))) < 1e-8
    assert not x[1:].any()  # no vectors (an empty sentence, a spaCy model without tok2vec): zeros, no error


def test_a_model_reading_wider_vectors_than_the_parse_gives_says_to_retrain():
    import numpy as np

    from newsevents.errors import ModelError

    cand = Candidate("a b", {}, vectors=(np.ones((2, 300), dtype=np.float32), [(0, 1), (2, 3)]))
    with pytest.raises(ModelError, match="newsevents train events"):
        typemodel.dense_part([cand], "tok2vec")


def test_malformed_sentences_inside_an_article_get_no_event_with_the_model_on():
    shipped()
    english = "Israeli jets bombed Hamas positions in Gaza."
    text = "\n\n".join([english, "?!... --- ;;; !!!", "word " * 5000 + ".",
                       "Le gouvernement a annoncé hier une nouvelle réforme des retraites.", "...", english])
    doc = newsevents.code_document(text)
    assert {e.sentence_index for e in doc.events} <= {doc.sentences[0].index, doc.sentences[-1].index}
    assert all(e.rule.endswith("|" + typemodel.MODEL_ID) for e in doc.events if e.principal)
    assert [e.plover for e in doc.events if e.principal] == ["ASSAULT", "ASSAULT"]


def test_the_rules_root_stands_where_it_is_the_models_likeliest_root():
    from newsevents.events.typemodel import decision

    p = probs(r04=0.30, r07=0.25, r06=0.19, r08=0.16)  # material cooperation sums higher than 04 alone
    assert quad_then_root(p) == ("07", 2)
    assert decision(p, "04") == ("04", 1) and decision(p, "07") == ("07", 2) and decision(p, None) == ("07", 2)
