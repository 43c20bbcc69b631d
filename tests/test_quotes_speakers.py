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


def test_a_name_after_a_dash_labels_the_quote_after_its_colon():
    text = ("The polls closed late.\n\n"
            "Pollsters agree - Mary Johnson: “The lesson is simple. You keep calling voters as late as you can.”\n")
    (q,) = [q for q in run(text).quotes if "lesson" in q.content.text]
    assert q.rule == "direct-label" and q.speaker.text == "Mary Johnson" and q.cue.text == ":"


# --- speakers the parse leaves hard to read (cues.speaker_of, cues.noun_owner) ------------------

def quote_with_cue(text: str, cue: str):
    doc = run("Some news from the campaign today.\n\n" + text)
    found = [q for q in doc.quotes if q.cue is not None and q.cue.text == cue]
    assert found, [(q.rule, q.cue and q.cue.text, q.content.text) for q in doc.quotes]
    return found[0]


def test_a_participle_hanging_from_a_passive_speaks_for_its_subject():
    q = quote_with_cue("After saying the bridge was unsafe, she was taken to the hospital for tests.", "saying")
    assert q.speaker.text == "she"


def test_a_noun_cue_speaks_for_a_name_compounded_to_it_or_the_clause_subject():
    assert quote_with_cue("The Trump claim that the vote was rigged spread quickly.", "claim").speaker.text == "Trump"
    q = quote_with_cue("Cruz entered the debate with an argument that the race is now a two-man contest.", "argument")
    assert q.speaker.text == "Cruz"


def test_a_main_verb_left_without_subject_takes_the_noun_phrase_before_it():
    q = quote_with_cue("In an interview with the hosts Joe Smith and Mary Jones, the Democratic candidate stated "
                       "that the comments do not fit with his record.", "stated")
    assert q.speaker.text == "the Democratic candidate"


def test_a_quote_carried_over_goes_to_the_latest_speaker():
    opening = '"We will win this state easily," Smith said on Monday.'
    carried = '\n\n"The numbers are not there for anyone this year, and everyone knows it."\n'
    (q,) = by_rule(run(opening + carried), "direct-continued")
    assert q.speaker.text == "Smith"
    (q,) = by_rule(run(opening + " Jones said the polls were wrong." + carried), "direct-continued")
    assert q.speaker.text == "Jones"
