"""The learned attribution tagger: tags from gold and rules, decoding tags into attributions, the
shipped weights and their provenance."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from newsevents.data import data_path
from newsevents.model import Article
from newsevents.nlp import load as load_spacy
from newsevents.nlp import sentence_numbers
from newsevents.pipeline import Pipeline
from newsevents.quotes import tagger
from newsevents.quotes.learn import example, gold_tags
from newsevents.settings import Settings


@lru_cache(maxsize=1)
def nlp():
    return load_spacy(Settings().spacy_model)


def tags_for(parse, marks: dict[str, str]) -> list[str]:
    """Tags from a {word: tag} map over the parse's words (test shorthand)."""
    return [marks.get(t.text, "O") for t in parse]


def test_gold_tags_mark_each_role_and_continue_a_split_content():
    # '"A," he said, "B."': the content's second piece continues the first (I-, not B-)
    con = [("CON", 0, 2), ("CON", 6, 8)]
    tags = gold_tags(9, [(con, [("CUE", 4, 5)], [("SRC", 3, 4)])])
    assert tags == ["B-CON", "I-CON", "O", "B-SRC", "B-CUE", "O", "I-CON", "I-CON", "O"]


def test_gold_tags_let_a_cue_win_over_the_content_it_stands_in():
    tags = gold_tags(5, [([("CON", 0, 5)], [("CUE", 2, 3)], [])])
    assert tags == ["B-CON", "I-CON", "B-CUE", "I-CON", "I-CON"]


def test_rule_tags_put_cue_over_content():
    parse = nlp()("Smith said the talks failed.")
    tags = tagger.rule_tags(parse, [("CON", 2, 5), ("CUE", 1, 2), ("SRC", 0, 1)])
    assert tags == ["B-SRC", "B-CUE", "B-CON", "I-CON", "I-CON", "O"]


def test_decode_pairs_each_content_with_its_own_cue_and_source():
    parse = nlp()("Smith said taxes rose. Jones argued rates fell.")
    tags = tags_for(parse, {"Smith": "B-SRC", "said": "B-CUE", "taxes": "B-CON", "rose": "I-CON",
                            "Jones": "B-SRC", "argued": "B-CUE", "rates": "B-CON", "fell": "I-CON"})
    got = tagger.decode(parse, tags, sentence_numbers(parse))
    assert [(parse[a.content[0]:a.content[1]].text, parse[a.cue[0]].text, parse[a.source[0]].text) for a in got] == [
        ("taxes rose", "said", "Smith"), ("rates fell", "argued", "Jones")]


def test_decode_joins_a_content_split_around_its_attribution():
    parse = nlp()('"We will win," he said, "and soon."')
    words = [t.text for t in parse]
    tags = ["O"] * len(parse)
    for i, w in enumerate(words):
        if w in ("We", "will", "win", "and", "soon"):
            tags[i] = "B-CON" if w == "We" else "I-CON"
    tags[words.index("he")] = "B-SRC"
    tags[words.index("said")] = "B-CUE"
    (att,) = tagger.decode(parse, tags, sentence_numbers(parse))
    assert [parse[a:b].text for a, b in att.parts] == ["We will win", "and soon"]
    assert parse[att.source[0]].text == "he" and parse[att.cue[0]].text == "said"


def test_bucket_tells_agreed_from_new_and_quoted_from_reported():
    in_quote = [False, True, True, True, False]
    assert tagger.bucket((1, 4), [("CON", 1, 3)], in_quote) == "agreed-direct"
    assert tagger.bucket((0, 5), [("CUE", 0, 5)], in_quote) == "new-indirect"


def test_decode_keeps_adjacent_attributions_apart():
    parse = nlp()("Smith said taxes rose and Jones said rates fell.")
    words = [t.text for t in parse]
    tags = ["O"] * len(parse)
    for w, t in (("Smith", "B-SRC"), ("taxes", "B-CON"), ("rose", "I-CON"), ("Jones", "B-SRC"), ("rates", "B-CON"),
                 ("fell", "I-CON")):
        tags[words.index(w)] = t
    tags[1] = tags[words.index("said", 2)] = "B-CUE"
    got = tagger.decode(parse, tags, sentence_numbers(parse))
    assert [parse[a.content[0]:a.content[1]].text for a in got] == ["taxes rose", "rates fell"]
    assert [parse[a.source[0]].text for a in got] == ["Smith", "Jones"]


def test_features_describe_every_token():
    parse = nlp()('Smith said "the talks failed."')
    ex = example("a", parse, [("SRC", 0, 1)], [])
    (feats,) = ex.xseqs
    assert len(feats) == len(parse) and "r=B-SRC" in feats[0] and "lexv" in feats[1]
    assert "q" in feats[parse.text.split().index("talks") + 1]  # inside the quote marks


# --- the shipped weights ------------------------------------------------------------------------

def test_shipped_weights_have_provenance():
    weights = data_path("quotes", tagger.MODEL_FILE)
    prov = json.loads(data_path("quotes", "attribution.json").read_text(encoding="utf-8"))
    assert weights.stat().st_size < 50_000_000
    import hashlib

    assert prov["model_sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert set(prov["confidence"]) <= {f"{a}-{k}" for a in ("agreed", "new") for k in ("direct", "indirect")}
    assert len(prov["data_sha256"]) == 64 and prov["command"].startswith("newsevents train quotes")


def test_missing_weights_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        tagger.load(str(tmp_path))


def test_learned_quotes_carry_a_confidence_and_a_resolved_speaker():
    pipe = Pipeline(Settings(stages=("parse", "actors", "quotes"), quotes_model="crf"))
    doc = pipe(Article(id="t", body="Russian President Vladimir Putin said on Monday that the talks had failed. "
                       "He believes the sanctions will hurt Europe more than Russia.", language="en"))
    said = [q for q in doc.quotes if "talks had failed" in q.content.text]
    assert said and said[0].speaker is not None and "Putin" in said[0].speaker.text
    assert said[0].rule.startswith("learned") and 0.0 < said[0].confidence <= 1.0
    assert said[0].confidence == tagger.load("shipped").confidence["agreed-indirect"]
    believes = [q for q in doc.quotes if "sanctions will hurt" in q.content.text]
    assert believes and believes[0].speaker.text == "He" and "Putin" in believes[0].speaker.name
    model = tagger.load("shipped")
    assert 0.0 < model.min_confidence < 0.5
    assert all(q.confidence >= model.min_confidence for q in doc.quotes if q.rule.startswith("learned"))


def test_rules_alone_on_request():
    pipe = Pipeline(Settings(stages=("parse", "actors", "quotes"), quotes_model="none"))
    doc = pipe(Article(id="t", body="Smith said the talks had failed.", language="en"))
    assert doc.quotes and not any(q.rule.startswith("learned") for q in doc.quotes)
