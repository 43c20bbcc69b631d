"""The tone stage: VADER compound per sentence, GDELT-style word percentages per article."""

from __future__ import annotations

import pytest

from newsevents.model import Article, Document, Sentence, Tone
from newsevents.pipeline import STAGE_FACTORIES
from newsevents.tone import ToneStage, analyzer, score, word_valences


def test_compound_is_vaders():
    for text in ("The leaders praised the successful agreement.", "This is bad, it can only be counted as a minus!",
                 "The talks were not good, but the dinner was GREAT :)", "I love it 😀", ""):
        assert word_valences(text)[1] == analyzer().polarity_scores(text)["compound"], text


def test_word_percentages_follow_gdelt():
    tone, compounds = score(["The attack killed dozens and wounded hundreds.", "Leaders praised the peaceful deal."])
    assert tone.words == 12
    assert tone.negative == pytest.approx(100 * 2 / 12, abs=0.01)  # attack, killed (VADER has no "wounded")
    assert tone.positive == pytest.approx(100 * 2 / 12, abs=0.01)  # praised, peaceful
    assert tone.tone == pytest.approx(tone.positive - tone.negative, abs=0.002)
    assert tone.polarity == pytest.approx(tone.positive + tone.negative, abs=0.002)
    assert compounds[0] < 0 < compounds[1]
    assert min(compounds) <= tone.compound <= max(compounds)


def test_negation_turns_a_positive_word_negative():
    tone, _ = score(["The talks were not good."])
    assert tone.positive == 0 and tone.negative > 0 and tone.tone < 0


def test_empty_text_has_neutral_tone():
    assert score([]) == (Tone(), [])
    assert score([""])[0] == Tone()


def test_stage_fills_document_and_sentence_tone():
    assert STAGE_FACTORIES["tone"] == "newsevents.tone:ToneStage"
    body = "Protesters were killed. The agreement was welcomed."
    doc = Document(article=Article(id="t", body=body),
                   sentences=[Sentence("Protesters were killed.", 0, 23, index=0),
                              Sentence("The agreement was welcomed.", 24, 51, index=1)])
    ToneStage(None)(doc)
    assert doc.sentences[0].tone < 0 < doc.sentences[1].tone
    assert doc.tone.words == 7 and -100 <= doc.tone.tone <= 100 and 0 <= doc.tone.polarity <= 100


def test_stage_scores_the_body_when_there_are_no_sentences():
    doc = ToneStage(None)(Document(article=Article(id="t", body="A terrible, deadly attack.")))
    assert doc.tone.negative > 0 and doc.tone.words == 4


def test_sample_tone(sample_doc):
    assert sample_doc.tone is not None and sample_doc.tone.words > 250
    assert all(s.tone is not None and -1 <= s.tone <= 1 for s in sample_doc.sentences)
    bad = next(s for s in sample_doc.sentences if s.text.startswith("This is bad"))
    assert bad.tone < 0
