"""Quotes in the headline: the headline's own sentence-case parse (nlp/headline.py) and its
quotes (quotes/headline.py)."""

from __future__ import annotations

from functools import lru_cache

from newsevents.model import Article
from newsevents.nlp.headline import headline_of, sentence_case, title_cased
from newsevents.pipeline import Pipeline
from newsevents.settings import Settings


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    return Pipeline(Settings(stages=("parse", "actors", "quotes", "events")))


def run(body: str, title: str | None = None):
    return _pipeline()(Article(id="h", body=body, title=title, language="en"))


def test_title_case_is_told_from_sentence_case():
    assert title_cased("Senators Reject Budget Deal After Late-Night Talks")
    assert title_cased("Poll: Wealthy Voters Abandon Republican Party")
    assert not title_cased("Senators reject budget deal after late-night talks")
    assert not title_cased("Rain")


def test_sentence_case_keeps_the_names_the_body_writes_with_capitals():
    body = "The senator from Ohio met Angela Merkel in Berlin on Monday, and NATO said little."
    line = "Ohio Senator Meets Merkel, Talks Turn To NATO Spending"
    cased = sentence_case(line, body)
    assert cased == "Ohio senator meets Merkel, talks turn to NATO spending"
    assert len(cased) == len(line)
    assert sentence_case("Senators reject the deal", body) == "Senators reject the deal"


def test_headline_is_the_title_or_a_title_case_first_line():
    assert headline_of(Article(id="a", body="Text.", title="A Title")) == ("A Title", True)
    body = "Mayor Calls Budget Plan A Disaster\n\nThe mayor spoke on Monday."
    assert headline_of(Article(id="a", body=body)) == ("Mayor Calls Budget Plan A Disaster", False)
    assert headline_of(Article(id="a", body="The mayor spoke on Monday.\n\nShe left.")) is None


def test_a_label_title_is_what_the_named_speaker_said():
    doc = run("Mike Pence told Fox News on Sunday that the invitation was a joke. Pence spoke for ten minutes.",
              title="Pence: Trump Was ‘Mocking’ Clinton Camp With Invitation")
    head = doc.title_quotes
    assert len(head) == 1 and all(not q.in_title for q in doc.quotes), [q.content.text for q in head]
    q = head[0]
    title = doc.article.title
    assert q.content.text == "Trump Was ‘Mocking’ Clinton Camp With Invitation" == title[q.content.start:q.content.end]
    assert q.speaker.text == "Pence" == title[q.speaker.start:q.speaker.end]
    assert q.speaker.name == "Mike Pence" and q.cue.text == ":"
    assert q.in_title and q.sentence is None and q.events == [] and q.rule == "headline-label"
    assert doc.to_dict()["title_quotes"][0]["in_title"] is True
    assert doc.quotes and all(doc.article.body[q.content.start:q.content.end] == q.content.text for q in doc.quotes)


def test_a_verb_in_a_title_case_title_is_read_as_a_cue():
    doc = run("Senator Jane Holt spoke in Denver on Tuesday.",
              title="Holt Urges Congress To Raise Spending On Wildfire Crews")
    q = doc.title_quotes
    assert q and q[0].speaker.name == "Jane Holt" and "Raise Spending" in q[0].content.text


def test_section_labels_and_datelines_name_no_speaker():
    for title in ("The Latest: Storm Moves North Along The Coast", "WASHINGTON: Storm Moves North Along The Coast"):
        doc = run("A storm moved north along the coast on Friday.", title=title)
        assert not [q for q in doc.quotes + doc.title_quotes if q.rule == "headline-label"], title


def test_a_headline_opening_the_body_gives_body_offsets():
    body = "Poll: Most Voters Want A Cleaner River.\n\nA poll released on Monday found that most voters want a cleaner river."
    doc = run(body)
    head = [q for q in doc.quotes if q.rule == "headline-label"]
    assert [q.content.text for q in head] == ["Most Voters Want A Cleaner River"]
    assert head[0].speaker.text == "Poll" and not head[0].in_title and body[head[0].content.start:head[0].content.end] == head[0].content.text
    assert [q for q in doc.quotes if q.content.start > len("Poll: Most Voters Want A Cleaner River.")]
    assert doc.title_quotes == []
