"""The learned source/target span tagger (events/spantagger.py, spantrain.py): the tags, how they
move the rules' spans, the gold readers, training on a few sentences written here, and the
events stage with the tagger switched on."""

from __future__ import annotations

import json

import pytest

import newsevents
from newsevents.errors import ModelError
from newsevents.events import spantagger, spantrain
from newsevents.settings import Settings


def test_bio_and_spans_of_round_trip():
    tags = spantagger.bio(8, [("S", 2, 4), ("T", 5, 8)], offset=1)
    assert tags == ["O", "B-S", "I-S", "O", "B-T", "I-T", "I-T", "O"]
    assert spantagger.spans_of(tags, offset=1) == [("S", 2, 4), ("T", 5, 8)]
    # an I- after O starts a span; a change of role ends one
    assert spantagger.spans_of(["I-S", "I-T", "O"]) == [("S", 0, 1), ("T", 1, 2)]


def test_reconcile_moves_bounds_of_overlapping_spans_only():
    pairs = [((0, 2), (5, 7))]
    changes = spantagger.reconcile(pairs, [("S", 0, 3), ("T", 5, 7)])
    assert changes == {("S", (0, 2), 0): (0, 3)}
    # a tagged span of the other role does not move a span
    assert spantagger.reconcile(pairs, [("T", 0, 3)]) == {}


def test_reconcile_keeps_a_compound_actor_the_rules_split():
    # "the USA and NATO": the rules give one event per actor; a tagged span over both moves neither
    pairs = [((0, 1), (4, 6)), ((0, 1), (7, 8))]
    assert spantagger.reconcile(pairs, [("S", 0, 1), ("T", 4, 8)]) == {}


def test_well_formed_drops_spans_that_run_into_a_verb_or_lack_a_noun():
    pos = ["DET", "PROPN", "VERB", "ADP", "NOUN", "ADJ"]
    tagged = [("S", 0, 2), ("S", 0, 3), ("T", 3, 5), ("T", 5, 6), ("T", 4, 5)]
    assert spantagger.well_formed(tagged, pos) == [("S", 0, 2), ("T", 4, 5)]


def test_reconcile_fills_the_principals_empty_target_with_an_unused_tagged_span():
    pairs = [((0, 2), None)]
    assert spantagger.reconcile(pairs, [("S", 0, 2), ("T", 0, 1), ("T", 6, 9)]) == {("T", None, 0): (6, 9)}
    # not a mutual act's (its other party is a counterpart, not a target)
    assert spantagger.reconcile(pairs, [("T", 6, 9)], fill=False) == {}
    # a target the tagger tags nowhere is replaced by one it tags
    assert spantagger.reconcile([((0, 2), (3, 4))], [("T", 6, 9)]) == {("T", (3, 4), 0): (6, 9)}


def test_read_ner_reads_reciprocal_as_source(tmp_path):
    path = tmp_path / "ner.txt"
    path.write_text("The B-R\nrebels I-R\nand O\nthe B-R\narmy I-R\nsigned O\na O\ntruce O\n\n"
                    "Police B-S\narrested O\nten B-T\nprotesters I-T\n. O\n", encoding="utf-8")
    lines = spantrain.read_ner(path)
    assert [g.text for g in lines] == ["The rebels and the army signed a truce", "Police arrested ten protesters ."]
    assert [(r, lines[0].text[a:b]) for r, a, b in lines[0].spans] == [("S", "The rebels"), ("S", "the army")]
    assert [(r, lines[1].text[a:b]) for r, a, b in lines[1].spans] == [("S", "Police"), ("T", "ten protesters")]


def test_read_plv_joins_a_sentences_rows(tmp_path):
    path = tmp_path / "plv.tsv"
    rows = [("<s>Police</s> arrested <t>ten protesters</t> after the army shelled the town.", "ASSAULT"),
            ("Police arrested ten protesters after <s>the army</s> shelled <t>the town</t>.", "ASSAULT")]
    head = "sentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_root\tgold_penta\n"
    body = "".join(f"{i}\t{m.replace('<s>', '').replace('</s>', '').replace('<t>', '').replace('</t>', '')}\t{m}"
                   f"\tx\ty\t{t}\t4\n" for i, (m, t) in enumerate(rows))
    path.write_text(head + body, encoding="utf-8")
    (line,) = spantrain.read_plv(path)
    assert sorted((r, line.text[a:b]) for r, a, b in line.spans) == [
        ("S", "Police"), ("S", "the army"), ("T", "ten protesters"), ("T", "the town")]


def test_score_counts_exact_and_overlap_per_role():
    gold = [{("S", "the army"), ("T", "the town")}]
    pred = [{("S", "the army"), ("T", "town")}]
    s = spantrain.score(gold, pred)
    assert s["S"]["exact"][2] == 1.0 and s["T"]["exact"][2] == 0.0 and s["T"]["overlap"][2] == 1.0
    assert s["all"]["exact"] == (0.5, 0.5, 0.5)


# sentences written for these tests: a learned tagger trained on them is enough to check the plumbing
SENTENCES = [
    ("<s>The army</s> shelled <t>the northern town of Arlo</t> on Monday.", "ASSAULT"),
    ("<s>Police</s> arrested <t>ten protesters</t> in the capital.", "COERCE"),
    ("<s>The rebels</s> attacked <t>a convoy of aid trucks</t> near the border.", "ASSAULT"),
    ("<s>The minister</s> accused <t>the opposition</t> of fraud.", "ACCUSE"),
    ("<s>France</s> sent <t>Mali</t> two tonnes of food aid.", "AID"),
    ("<s>The government</s> expelled <t>three foreign diplomats</t> on Friday.", "REDUCE"),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    gold = tmp_path_factory.mktemp("gold")
    (gold / "conflibert-cameo-ner-train.txt").write_text(
        "Soldiers B-S\nfired O\non O\nthe B-T\nvillage I-T\n. O\n", encoding="utf-8")
    head = "sentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_root\tgold_penta\n"
    plain = lambda m: m.replace("<s>", "").replace("</s>", "").replace("<t>", "").replace("</t>", "")
    (gold / "plv-train.tsv").write_text(head + "".join(
        f"{i}\t{plain(m)}\t{m}\tx\ty\t{t}\t4\n" for i, (m, t) in enumerate(SENTENCES)), encoding="utf-8")
    out = gold / "model"
    spantrain.train(gold, out=out, log=lambda m: None)
    return gold, out


def test_train_writes_small_weights_and_provenance_without_gold_text(tiny_model):
    gold, out = tiny_model
    assert (out / spantagger.MODEL_FILE).stat().st_size < 1_000_000
    prov = json.loads((out / spantagger.PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert prov["model"] == spantagger.MODEL_ID
    assert set(prov["trained_on"]) == {"conflibert-cameo-ner-train.txt", "plv-train.tsv"}
    assert all(len(v["sha256"]) == 64 for v in prov["trained_on"].values())
    assert b"convoy" not in (out / spantagger.MODEL_FILE).read_bytes()  # the CRF sees no content words
    assert "convoy" not in json.dumps(prov)


def test_events_stage_with_the_tagger_keeps_offsets_and_codes(tiny_model):
    _, out = tiny_model
    text = "The army shelled the northern town of Arlo on Monday. Police arrested ten protesters."
    settings = Settings(event_spans=str(out))
    doc = newsevents.code_document(text, settings=settings)
    assert doc.events, "the tagger must not lose the rules' events"
    for e in doc.events:
        for span in (e.source, e.target, e.counterpart):
            assert span is None or text[span.start:span.end] == span.text
        assert e.rule.startswith("rules-v1/")


@pytest.mark.parametrize("text", ["", "!!! ... ???", "Der Minister hat die Grenze geschlossen.",
                                  " ".join(["The army shelled the town"] * 1000) + "."])
def test_malformed_input_gets_no_crash_with_the_tagger(tiny_model, text):
    _, out = tiny_model
    newsevents.code_document(text, settings=Settings(event_spans=str(out)))


def test_a_missing_tagger_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="newsevents train spans"):
        newsevents.code_document("The army shelled the town.", settings=Settings(event_spans=str(tmp_path)))


def test_shipped_tagger_keeps_the_sample_articles_events():
    if not spantagger.present():
        pytest.skip("no span tagger shipped in this checkout")
    from newsevents.data import SAMPLE_ARTICLE, data_path

    text = data_path("samples", SAMPLE_ARTICLE).read_text(encoding="utf-8")
    read = lambda doc: [(e.cameo, e.source and e.source.text, e.target and e.target.text) for e in doc.events]
    assert read(newsevents.extract(text, settings=Settings(event_spans="shipped"))) == read(newsevents.extract(text))


def test_shipped_tagger_codes_the_sample_sentences():
    if not spantagger.present():
        pytest.skip("no span tagger shipped in this checkout")
    events = newsevents.code_text("Police arrested ten protesters in the capital on Monday.",
                                  settings=Settings(event_spans="shipped"))
    assert any(e.source and e.source.text == "Police" for e in events)
