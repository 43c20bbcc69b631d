"""The cue classifier over the parse's predicates: candidates and their frames, features,
decoding, labels as the scorer counts, the shipped weights and the default reading."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import pytest

from newsevents.data import data_path
from newsevents.evaluation.quotes import GoldArticle, GoldAttribution
from newsevents.model import Article
from newsevents.nlp import load as load_spacy
from newsevents.pipeline import Pipeline
from newsevents.quotes import predicates, quoted_tokens
from newsevents.quotes.learn import cue_rates, predicate_items, with_rates
from newsevents.settings import Settings


@lru_cache(maxsize=1)
def nlp():
    return load_spacy(Settings().spacy_model)


def cands(text: str, skip: set[int] = frozenset()):
    parse = nlp()(text)
    return parse, predicates.candidates(parse, set(skip), quoted_tokens(parse, text), [], {})


def words(parse, r):
    return parse[r[0]:r[1]].text if r else None


def test_a_predicate_gives_a_candidate_per_frame_with_its_speaker():
    parse, found = cands("Smith accused the minister of lying about the budget.")
    accused = {c.cue.frame: c for c in found if parse[c.cue.head].text == "accused"}
    assert "object" in accused
    assert words(parse, accused["object"].cue.content) == "the minister of lying about the budget"
    assert words(parse, accused["object"].cue.speaker) == "Smith"
    assert "f=object" in accused["object"].features and "l=accuse" in accused["object"].features


def test_a_noun_with_an_owner_and_a_complement_is_a_candidate():
    parse, found = cands("The governor's fear of a shutdown grew on Monday.")
    fear = [c for c in found if parse[c.cue.head].text == "fear"]
    assert fear and fear[0].cue.frame == "nouns"
    assert words(parse, fear[0].cue.content) == "a shutdown"
    assert words(parse, fear[0].cue.speaker) == "The governor"


def test_rule_cues_and_quoted_words_are_no_candidates():
    text = 'Smith said "we believe in the plan" and backed the deal.'
    parse, found = cands(text, skip={1})
    heads = {parse[c.cue.head].text for c in found}
    assert "said" not in heads and "believe" not in heads and "backed" in heads


def test_a_question_answered_is_no_candidate():
    parse, found = cands("Answering the question of journalists, he smiled.")
    assert not [c for c in found if parse[c.cue.head].lower_ == "answering" and c.cue.frame == "object"]


def test_the_rate_gate_keeps_only_words_that_may_attribute():
    from newsevents.quotes.cues import lexicon

    text = "The committee passed the budget and the senator criticized the decision."
    parse = nlp()(text)
    rates = {"pass|VERB": 0.01, "criticize|VERB": 0.5}
    assert "pass" not in lexicon().verbs  # a word the lexicon lists stays a candidate whatever its rate
    found = predicates.candidates(parse, set(), quoted_tokens(parse, text), [], rates, min_rate=0.05)
    heads = {parse[c.cue.head].lemma_ for c in found}
    assert "criticize" in heads and "pass" not in heads
    assert any("rate_v:0.5000" in c.features for c in found)


def test_probability_reads_binary_and_rate_features():
    w = {"bias": -1.0, "l=say": 2.0, "rate_v": 4.0}
    assert predicates.probability(w, ["bias"]) == pytest.approx(1 / (1 + 2.718281828 ** 1.0), rel=1e-6)
    assert predicates.probability(w, ["bias", "l=say", "rate_v:0.5000"]) > 0.95


def test_select_keeps_the_likeliest_frame_of_each_predicate_above_the_threshold():
    parse, found = cands("Smith accused the minister of lying about the budget.")
    weights = predicates.Weights({"bias": -5.0, "f=object": 6.0, "f=prepositions": 5.5}, {"bias": 0.0}, {}, 0.5, 0.6, 0.0, {})
    kept, taken = predicates.select(weights, [("rule quote", ["bias"])], found)
    assert kept == []  # 0.5 < the rule threshold 0.6
    # 'accused' keeps its likeliest frame only ('lying about the budget' is another predicate's)
    assert [c.cue.frame for c, _ in taken if parse[c.cue.head].text == "accused"] == ["object"]
    assert all(p >= 0.5 for _, p in taken)


def test_labels_count_as_the_scorer_does():
    from newsevents.quotes import rule_quotes

    text = "Smith said the talks had failed. Jones opposed the new tariffs on steel."
    pipe = Pipeline(Settings(stages=("parse", "actors"), quotes_model="none"), keep_parse=True)
    doc = pipe(Article(id="t", body=text, language="en"))
    parse = doc.parse
    s1, s2 = text.index("the talks"), text.index("the new tariffs")
    gold = GoldArticle("t", text, [
        GoldAttribution([(s1, text.index(" had") + len(" had failed"))], "the talks had failed"),
        GoldAttribution([(s2, len(text) - 1)], "the new tariffs on steel")])
    rules = rule_quotes(doc)
    items = predicate_items(parse, rules, gold)
    said = [it for it in items if it.kind == "rule" and "talks" in it.quote.content.text]
    assert said and said[0].label
    # 'opposed' is a rule cue already (lexicon): its content is the rules' quote, not a candidate
    assert not [it for it in items if it.kind == "new" and parse[it.quote.cue.head].text == "opposed"]


def test_cue_rates_are_smoothed_and_need_a_few_occurrences():
    from collections import Counter

    n = Counter({"say|VERB": 10, "table|NOUN": 10, "rare|ADJ": 1})
    k = Counter({"say|VERB": 9})
    rates = cue_rates(n, k)
    assert "rare|ADJ" not in rates and rates["say|VERB"] > 0.7 and rates["table|NOUN"] < 0.3
    assert with_rates(["lp=say|VERB", "rate=unk"], rates) == ["lp=say|VERB", *predicates.rate_features(rates["say|VERB"])]


# --- the shipped weights and the default reading ---------------------------------------------------

def test_shipped_weights_have_provenance():
    path = data_path("quotes", predicates.WEIGHTS_FILE)
    assert path.stat().st_size < 50_000_000
    info = json.loads(path.read_text(encoding="utf-8"))
    assert len(info["data_sha256"]) == 64 and info["command"].startswith("newsevents train quotes")
    assert 0.0 < info["threshold"] < 1.0 and 0.0 <= info["rule_threshold"] < 1.0
    assert info["cross_validation"]["content_overlap"]["f1"] > 0.7
    w = predicates.load("shipped")
    assert w.candidate and w.rule and w.rates and w.min_rate == info["min_rate"]
    assert hashlib.sha256(path.read_bytes()).hexdigest()  # readable as bytes: no text of PolNeAR inside
    assert not any(len(k) > 80 for k in w.candidate)  # feature names, not sentences


def test_missing_weights_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        predicates.load(str(tmp_path))


def test_the_cue_classifier_is_the_default_and_every_quote_has_its_probability():
    assert Settings().quotes_model == "shipped"
    pipe = Pipeline(Settings(stages=("parse", "actors", "quotes")))
    doc = pipe(Article(id="t", body="Russian President Vladimir Putin said on Monday that the talks had failed. "
                       "He believes the sanctions will hurt Europe more than Russia.", language="en"))
    said = [q for q in doc.quotes if "talks had failed" in q.content.text]
    assert said and "Putin" in said[0].speaker.text and said[0].speaker.code
    w = predicates.load("shipped")
    for q in doc.quotes:
        assert 0.0 < q.confidence <= 1.0
        assert q.confidence >= (w.threshold if q.rule.startswith("learned") else w.rule_threshold) - 1e-3
