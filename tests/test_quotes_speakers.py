"""quotes/speakers.py: transcript labels, signature dashes, labels resolved to the entity named."""

from __future__ import annotations

from functools import lru_cache

from newsevents.model import Article
from newsevents.pipeline import Pipeline
from newsevents.settings import Settings


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    return Pipeline(Settings(stages=("parse", "actors", "quotes")), keep_parse=True)


def run(text: str):
    return _pipeline()(Article(id="t", body=text, language="en"))


def by_rule(doc, rule: str):
    return [q for q in doc.quotes if q.rule == rule]


QUOTED_TRANSCRIPT = (
    "Senator Anna Jones spoke to the host of the morning show on Sunday.\n\n"
    "Partial transcript as follows:\n\n"
    "\"SMITH: Welcome back to the program. What did the governor tell you about the budget?\n\n"
    "\"JONES: Well, he told me the budget will pass before the summer recess. We have the votes.\n\n"
    "\"And we will keep them until the very end of the session.\n\n"
    "The interview was recorded in the capital.\n"
)


def test_quoted_transcript_turns_take_their_label_as_speaker():
    doc = run(QUOTED_TRANSCRIPT)
    turns = by_rule(doc, "direct-label")
    assert [q.speaker.text for q in turns] == ["SMITH", "JONES"]
    smith, jones = turns
    assert smith.content.text.startswith("Welcome back") and smith.cue.text == ":"
    assert smith.content.text.endswith("about the budget?")
    # the unlabelled paragraph that opens with a quote mark goes on with the turn before it
    assert jones.content.text.startswith("Well, he told me") and jones.content.text.endswith("of the session.")
    assert len(jones.parts) == 2
    # the label names the senator the article named in full
    assert jones.speaker.name == "Anna Jones"
    # what the speakers report inside a turn is part of the turn, not a quote of its own
    assert not [q for q in doc.quotes if q.cue and q.cue.text == "told"]
    assert not [q for q in doc.quotes if "recorded" in q.content.text]


def test_unquoted_transcript_in_capitals_continues_a_turn_up_to_the_next_label():
    text = ("The governor was interviewed on Sunday.\n\n"
            "HOST: Do you think the plan will work for the families in your state?\n\n"
            "GOVERNOR: I think it will work. The numbers are on our side.\n\n"
            "And the people of this state know what they voted for last year.\n\n"
            "HOST: Thank you for joining us this morning, governor.\n")
    turns = by_rule(run(text), "direct-label")
    assert [q.speaker.text for q in turns] == ["HOST", "GOVERNOR", "HOST"]
    assert len(turns[1].parts) == 2 and turns[1].content.text.endswith("voted for last year.")


def test_headings_and_single_labels_are_not_transcript_turns():
    text = ("UPDATE: The vote on the budget was moved to Friday after the meeting ran late.\n\n"
            "Note: This story has been corrected to show the right date of the vote.\n\n"
            "The council met on Tuesday.\n")
    assert not by_rule(run(text), "direct-label")
    # a single 'NAME: ...' paragraph (a headline) keeps its reading as reported speech
    doc = run("The poll came out on Monday.\n\nPat Caddell: Democrat voters are worried about the economy\n\n"
              "More text follows here.")
    assert [q.rule for q in doc.quotes if q.cue and q.cue.text == ":"] == ["indirect-label"]


def test_signature_dash_names_the_speaker():
    text = ("Readers wrote in after the debate.\n\n"
            "“Nobody on that stage was talking to people like me. We deserve better than this.” ― Maria Lopez\n"
            "“I will vote, but I am not happy about either of them.”― Tom Baker.\n"
            "\"The schools in our town need help and nobody mentioned them.\" -- Jane Doe, 34, of Ohio\n")
    signed = by_rule(run(text), "direct-signature")
    assert [q.speaker.text for q in signed] == ["Maria Lopez", "Tom Baker", "Jane Doe"]
    assert signed[0].content.text.startswith("“Nobody") and "―" in signed[0].cue.text
    assert signed[2].cue.text == "--"


def test_a_dash_before_a_clause_is_no_signature():
    text = "\"We will win this state easily,\" he said on Monday — and the polls agree with him.\n"
    doc = run(text)
    assert not by_rule(doc, "direct-signature")
    text = "“The campaign is over for us and we know it.” — it was a long night for the staff.\n"
    assert not by_rule(run(text), "direct-signature")
