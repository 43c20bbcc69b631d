"""The quotes stage: quote marks, direct and reported speech, speakers, the PolNeAR scorer."""

from __future__ import annotations

from functools import lru_cache

import pytest
from typer.testing import CliRunner

from newsevents.actors import resolve_span
from newsevents.evaluation.quotes import QuoteScores, read_ann, read_polnear, score_article
from newsevents.model import Article, Mention, Quote, Span
from newsevents.pipeline import STAGE_FACTORIES, Pipeline
from newsevents.quotes import QuoteStage, find_quotes
from newsevents.quotes.marks import paragraphs, segments
from newsevents.settings import Settings


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    return Pipeline(Settings(stages=("parse", "actors", "quotes")), keep_parse=True)


def run(text: str):
    return _pipeline()(Article(id="t", body=text, language="en"))


@lru_cache(maxsize=1)
def _rules_pipeline() -> Pipeline:
    return Pipeline(Settings(stages=("parse", "actors", "quotes"), quotes_model="none"), keep_parse=True)


def run_rules(text: str):
    """The rules' reading alone: for what the rules decide (speakers), whatever the cue classifier
    keeps of it."""
    return _rules_pipeline()(Article(id="t", body=text, language="en"))


def quoted(text: str) -> list[str]:
    return [text[s.start:s.end] for s in segments(text)]


def only(doc, needle: str) -> Quote:
    found = [q for q in doc.quotes if needle in q.content.text]
    assert len(found) == 1, [q.content.text for q in doc.quotes]
    return found[0]


# --- quote marks ------------------------------------------------------------------------------

def test_marks_of_every_style():
    text = ('He said "straight" and “curly” and «guillemets» and ‘single’ and '
            "''doubled'' and ``backticks''.")
    assert quoted(text) == ['"straight"', "“curly”", "«guillemets»", "‘single’", "''doubled''", "``backticks''"]


def test_apostrophes_are_not_quotes():
    assert quoted("Trump’s aides didn’t call the ‘90s “great.”") == ["“great.”"]
    assert quoted("the Clintons’ campaign and ‘Crooked Hillary’ said it") == ["‘Crooked Hillary’"]


def test_nested_quote_stays_inside_the_outer_one():
    text = '"Marla called and said, \'Susan, I can\'t do it,\'" she recalled.'
    assert quoted(text) == ['"Marla called and said, \'Susan, I can\'t do it,\'"']


def test_quote_continues_in_a_paragraph_that_opens_with_a_mark():
    text = '“First paragraph of the speech.\n\n“Second paragraph,” she said.\n\nAfter.'
    (seg,) = segments(text)
    assert text[seg.start:seg.end] == "“First paragraph of the speech.\n\n“Second paragraph,”"
    assert seg.paragraphs == 2 and seg.closed


def test_unclosed_quote_ends_with_its_paragraph():
    text = '"Never closed here\n\nThe next paragraph has no mark.'
    (seg,) = segments(text)
    assert text[seg.start:seg.end] == '"Never closed here' and not seg.closed


def test_paragraphs_split_on_newlines():
    assert [t for t in ("a\n\nb\nc",)] and [("a\n\nb\nc")[s:e] for s, e in paragraphs("a\n\nb\nc")] == ["a", "b", "c"]


# --- the canonical sample -----------------------------------------------------------------------

def test_stage_is_registered():
    assert STAGE_FACTORIES["quotes"] == "newsevents.quotes:QuoteStage"
    assert Settings().stages.index("quotes") == Settings().stages.index("actors") + 1


def test_sample_direct_quotes_done_when(sample_doc):
    direct = [q for q in sample_doc.quotes if q.kind == "direct"]
    assert len(direct) == 2
    first, second = direct
    assert first.content.text.startswith('"There has never been a shortage of political will')
    assert first.content.text.endswith('in the coming days"')  # two sentences, one quote
    assert second.content.text.startswith('"Of course, there were some positive nuances')
    assert second.content.text.endswith('the two rounds that took place"')
    assert (first.cue.text, second.cue.text) == ("said", "stated")
    for q in direct:
        assert q.speaker.text == "he"
        assert (q.speaker.name, q.speaker.code) == ("Dmitry Peskov", "RUSGOV")
        assert q.speaker.country == "RUS" and q.speaker.sector == "GOV"


def test_sample_indirect_statements_done_when(sample_doc):
    replied = only(sample_doc, "Russia hopes to receive some written statements")
    assert replied.kind == "indirect" and replied.cue.text == "replied"
    assert replied.speaker.code == "RUSGOV" and replied.speaker.name == "Dmitry Peskov"
    assessed = [q for q in sample_doc.quotes if q.cue and q.cue.text == "assessed"]
    assert len(assessed) == 2
    assert assessed[0].content.text == "two rounds of which he assessed as negative"
    assert assessed[1].content.text == "the results of the negotiations as negative"
    for q in assessed:
        assert q.speaker.name == "Dmitry Peskov" and q.speaker.code == "RUSGOV"
    assert {q.speaker.text for q in assessed} == {"he", "Peskov"}


def test_a_question_answered_is_not_the_answerers_statement(sample_doc):
    assert not [q for q in sample_doc.quotes if "the question of journalists" in q.content.text]
    assert not run("She responded to questions about the deal.").quotes
    assert [q.content.text for q in run("He responded to the criticism.").quotes] == ["the criticism"]


def test_sample_scare_quotes_and_title_are_not_quotes(sample_doc):
    texts = [q.content.text.strip('"') for q in sample_doc.quotes]
    assert "roll back" not in texts and "negative" not in texts
    assert not any(q.kind == "direct" and "roll back" in q.content.text for q in sample_doc.quotes)


def test_every_quote_span_points_into_the_body(sample_doc):
    body = sample_doc.article.body
    for q in sample_doc.quotes:
        for span in [q.content, q.cue, q.speaker, *q.parts]:
            if span is not None:
                assert body[span.start:span.end] == span.text
        assert q.sentence is not None and 0 <= q.sentence < len(sample_doc.sentences)


# --- forms ----------------------------------------------------------------------------------------

def test_split_quote_is_one_quote_in_two_parts():
    doc = run('"There has never been a shortage of will," he said, "and there never will be."')
    (q,) = [q for q in doc.quotes if q.kind == "direct"]
    assert [p.text for p in q.parts] == ['"There has never been a shortage of will,"', '"and there never will be."']
    assert q.content.text == doc.article.body  # from the first piece to the last
    assert q.speaker.text == "he" and q.cue.text == "said"


@pytest.mark.parametrize("text, cue, speaker", [
    ('"We can expect some written statements in the coming days", - he said.', "said", "he"),  # the seed's dash
    ("«We will not accept this under any circumstances,» said Maria Zakharova, the ministry spokeswoman.", "said",
     "Maria Zakharova, the ministry spokeswoman"),
    ('"We are anxious about it," said another user, Johanna Bayer, a teacher from Berlin.', "said",
     "another user, Johanna Bayer, a teacher from Berlin"),
    ('"There will be maybe ten percent of the population that will go," Trump continued.', "continued", "Trump"),
    ('He continued, "There will be a third party, and it will grow fast."', "continued", "He"),
    ('As John Cornyn, the No. 2 in the leadership, put it: "This person will not be confirmed."', "put",
     "John Cornyn, the No. 2 in the leadership"),
])
def test_direct_quote_attributions(text, cue, speaker):
    (q,) = run(text).quotes
    assert q.kind == "direct" and q.cue.text == cue and q.speaker.text == speaker


def test_attribution_after_a_question_the_parser_split_off():
    (q,) = run('"Will he be the next attorney general?" a Democratic staffer in the room wondered.').quotes
    assert q.cue.text == "wondered" and q.speaker.text == "a Democratic staffer in the room"
    doc = run("He spoke.\n\n“If God is for us, who can be against us?”\n\nISIS recently authorized its members.")
    assert all(q.cue is None or q.cue.text != "authorized" for q in doc.quotes if q.kind == "direct")


def test_split_quote_with_the_inverted_subject_hung_on_the_second_part():
    doc = run('"The risk," said Edward Leamer, an economist at the university, "is that we will attract workers."')
    (q,) = doc.quotes
    assert q.cue.text == "said" and q.speaker.text.startswith("Edward Leamer") and len(q.parts) == 2


def test_reported_clause_after_the_verb_when_there_is_one_on_either_side():
    doc = run('While not all Trump says is true, Jamieson said Trump is "telling his supporters what they want."')
    q = only(doc, "telling")
    assert q.cue.text == "said" and q.speaker.text == "Jamieson" and q.content.text.startswith("Trump is")


def test_colon_introduces_a_quote_in_the_next_paragraph():
    doc = run('The committee said about the platform:\n\n"The platform goes further than ever before on rights."')
    (q,) = [q for q in doc.quotes if q.kind == "direct"]
    assert q.content.text.startswith('"The platform goes further')
    assert q.speaker.text == "The committee" and q.cue.text == "said"


def test_a_sentence_ending_on_a_colon_introduces_the_next_paragraphs_quote():
    doc = run("Blackwell praised Cruz at length.\n\nHe then listed the qualities necessary in a successful "
              "Republican presidential nominee in 2016:\n\n\"Has the candidate a record of personal activism? "
              "We need a fighter who wins.\"")
    q = only(doc, "personal activism")
    assert q.rule == "direct-colon" and q.speaker.text == "He" and q.cue.text == "listed"


def test_quote_over_two_paragraphs_is_one_quote():
    doc = run("“The first part of what I said runs on and on here.\n\n“And the second part ends it now,” Smith said.")
    (q,) = [q for q in doc.quotes if q.kind == "direct"]
    assert "first part" in q.content.text and "second part" in q.content.text
    assert q.speaker.text == "Smith"


def test_scare_quote_in_a_sentence_is_not_speech():
    doc = run('Critics called it a "reset" that went nowhere.')
    assert not [q for q in doc.quotes if q.kind == "direct"]


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("The minister said that the talks had failed.", "said", "The minister", "that the talks had failed"),
    ("According to the ministry, the talks had failed.", "According to", "the ministry", "the talks had failed"),
    ("The talks had failed, officials told reporters on Monday.", "told", "officials", "The talks had failed"),
    ("The spokesman replied that Russia hopes to receive answers.", "replied", "The spokesman",
     "that Russia hopes to receive answers"),
    ("Sources said the deal was close.", "said", "Sources", "the deal was close"),
    ("Many voters feel that the system is rigged.", "feel", "Many voters", "that the system is rigged"),
    ("He said legalizing it could put thousands of people to work.", "said", "He",
     "legalizing it could put thousands of people to work"),  # a gerund subject the parser took for a complement
    ("Asked if he was ever bullied, the candidate said no.", "said", "the candidate", "no"),
    ("The New York Post reports that the team avoided the hospital.", "reports", "The New York Post",
     "that the team avoided the hospital"),
    ("There has been a surge of independents, which Democrats say could be aiding Mr. Sanders.", "say", "Democrats",
     "could be aiding Mr. Sanders"),
])
def test_reported_speech(text, cue, speaker, content):
    doc = run(text)
    found = [q for q in doc.quotes if q.cue and q.cue.text == cue]
    assert found, [(q.cue, q.content.text) for q in doc.quotes]
    q = found[0]
    assert q.kind == "indirect" and q.speaker.text == speaker and q.content.text == content


@pytest.mark.parametrize("text, rule, cue, speaker, content", [
    ("The economy seemed fixated on China.", "indirect-seem", "seemed", "The economy",
     "The economy seemed fixated on China"),  # the one who seems is the source, inside the content
    ("Pat Caddell: Democrat voters are worried about Clinton's health\n\nMore text.", "headline-indirect-label", ":",
     "Pat Caddell", "Democrat voters are worried about Clinton's health"),
    ("Republicans raised questions about the deal.", "indirect-light", "raised questions", "Republicans",
     "about the deal"),
    ("Trump kept his promise to build a wall.", "indirect-nouns", "promise", "his", "to build a wall"),
    ("Graham called both Trump and Clinton “crazy” and said more.", "indirect-naming", "called", "Graham",
     "both Trump and Clinton “crazy”"),  # the parser hangs the object under the name; the quotation whole
    ("She called his executive actions “a crucial step forward.”", "indirect-naming", "called", "She",
     "his executive actions “a crucial step forward.”"),  # the name as an apposition
    ("Kaine's full embrace of the pro-choice position is new.", "indirect-nouns", "embrace of", "Kaine",
     "the pro-choice position"),
    ("In a new poll, Clinton leads Trump by five points.", "indirect-in", "In", "a new poll",
     "Clinton leads Trump by five points"),
    ("Clinton leads Trump by five points, according to a new poll.", "indirect-according", "according to",
     "a new poll", "Clinton leads Trump by five points"),
    ("Trump touted his victories in various states during the rally.", "indirect-object", "touted", "Trump",
     "his victories in various states"),  # a place is kept, an occasion is not
    ("The minister was criticized by the opposition.", "indirect-object", "criticized", "the opposition",
     "The minister"),
    ("Trump has proposed banning Muslims from entering the country.", "indirect-infinitive", "proposed", "Trump",
     "banning Muslims from entering the country"),
    ("She refused to speak to reporters as she left the breakfast.", "indirect-infinitive", "refused", "She",
     "to speak to reporters"),  # not the occasion
    ("As The Washington Post reported, he would then need to win most of the remaining delegates.", "indirect-as",
     "reported", "The Washington Post", "he would then need to win most of the remaining delegates"),
    ("As The Post columnist put it, Obama is trying to make Republicans an offer.", "indirect-as", "put",
     "The Post columnist", "Obama is trying to make Republicans an offer"),
    ("His supporters are optimistic that he will make a comeback in Texas.", "indirect-stance", "are optimistic",
     "His supporters", "that he will make a comeback in Texas"),
    ("Republicans are critical of the deal.", "indirect-stance", "are critical", "Republicans", "the deal"),
    ("But it's not clear either company has the expertise.", "indirect-stance", "'s not clear", None,
     "either company has the expertise"),
    ("Their fear is that by the time their moment arrives, it could be too late.", "indirect-copula", "fear is",
     "Their", "that by the time their moment arrives, it could be too late"),
    ("Clinton is calling for the United States to take a stronger role.", "indirect-prepositions", "calling for",
     "Clinton", "the United States to take a stronger role"),
])
def test_other_cues(text, rule, cue, speaker, content):
    doc = run(text)
    found = [q for q in doc.quotes if q.rule == rule]
    assert found, [(q.rule, q.content.text) for q in doc.quotes]
    q = found[0]
    assert q.cue.text == cue and (q.speaker.text if q.speaker else None) == speaker and q.content.text == content


@pytest.mark.parametrize("text, cue, speaker", [
    ("Clinton's campaign took the unusual step of criticizing the intelligence community.", "criticizing",
     "Clinton's campaign"),  # through the noun the cue hangs from
    ("Both are quick to offer praise for teachers unions.", "offer", "Both"),  # through an adjective
    ("The man shouted, using an expletive to describe the Bush administration.", "describe",
     "The man"),  # the object of a verb of means is no speaker
])
def test_speaker_of_a_cue_below_a_noun_or_adjective(text, cue, speaker):
    (q,) = [q for q in run_rules(text).quotes if q.cue and q.cue.text == cue]
    assert q.speaker is not None and q.speaker.text == speaker


def test_reported_clause_leaves_out_a_conjoined_cue_and_a_trailing_relative_clause():
    doc = run("Clinton adds that she has released 30 years of tax returns and called on Sanders to do the same.")
    assert only(doc, "tax returns").content.text == "that she has released 30 years of tax returns"
    called = [q for q in doc.quotes if q.cue.text.startswith("called")]
    assert called and called[0].speaker.text == "Clinton"  # not 'she' inside what Clinton adds
    doc = run("Aides said it would be Trump, who has a significant delegate lead over Cruz.")
    assert only(doc, "Trump").content.text == "it would be Trump"


def test_object_leaves_out_a_trailing_relative_clause():
    doc = run("Trump praised former Florida Gov. Jeb Bush, who dropped out after a disappointing finish.")
    assert [q.content.text for q in doc.quotes] == ["former Florida Gov. Jeb Bush"]


def test_object_leaves_out_the_occasion_it_was_said_on():
    doc = run("Trump praised Matthew Boyle at a press conference in Hanahan on Monday.")
    assert [q.content.text for q in doc.quotes] == ["Matthew Boyle"]


def test_reported_content_goes_on_past_a_colon_that_closes_it():
    doc = run("The senator argued that the bill has three flaws: it costs too much, it helps too few and it "
              "comes too late.")
    assert [q.content.text for q in doc.quotes] == [
        "that the bill has three flaws: it costs too much, it helps too few and it comes too late"]


def test_reported_content_runs_to_the_closing_mark_of_a_quotation_it_opens():
    text = ('The mayor said the city had spent "twenty years arguing about the bridge. We are tired of it."'
            "\n\nThe council meets on Monday.")
    (q,) = run(text).quotes
    assert q.cue.text == "said" and q.speaker.text == "The mayor"
    assert q.content.text == 'the city had spent "twenty years arguing about the bridge. We are tired of it."'


def test_a_quote_ending_a_clause_its_cue_follows_takes_the_clause():
    doc = run('Voters in the county are "tired of waiting for the bridge," the mayor said.')
    assert [(q.cue.text, q.speaker.text, q.content.text) for q in doc.quotes] == [
        ("said", "the mayor", 'Voters in the county are "tired of waiting for the bridge,"')]
    doc = run('"We will win," the coach said.')  # a quote that is the whole clause stays as it is
    assert [q.content.text for q in doc.quotes] == ['"We will win,"']


def test_object_keeps_an_infinitive_the_parser_hangs_on_the_verb():
    doc = run("The union backed his call to raise the minimum wage to fifteen dollars.")
    (q,) = [q for q in doc.quotes if q.cue.text == "backed"]
    assert q.content.text == "his call to raise the minimum wage to fifteen dollars"


def test_a_cue_inside_what_another_cue_reports_is_part_of_that_statement():
    doc = run("Trump said Clinton wants to abolish the Second Amendment.")
    assert [(q.cue.text, q.speaker.text, q.content.text) for q in doc.quotes] == [
        ("said", "Trump", "Clinton wants to abolish the Second Amendment")]


def test_a_second_cue_the_parser_hangs_inside_the_first_report_keeps_the_outer_speaker():
    doc = run("He says the obvious response was to break up fraudulent operators and says he introduced a bill.")
    assert [(q.cue.text, q.speaker.text) for q in doc.quotes] == [("says", "He"), ("says", "He")]


def test_a_heading_before_a_colon_is_no_speaker():
    doc = run("BREAKING: Trump wins the nomination in a landslide tonight\n\nMore text.")
    assert not [q for q in doc.quotes if q.rule.endswith("label")]


def test_one_word_answer_is_a_quote_but_a_title_is_not():
    assert [q.content.text for q in run('"Absolutely," he said.').quotes] == ['"Absolutely,"']
    doc = run('Speaking on MSNBC\'s "Morning Joe," Giuliani trashed Comey.')
    assert not [q for q in doc.quotes if q.kind == "direct"]


def test_relative_pronoun_speaker_takes_its_antecedent_name():
    doc = run("O'Donnell, who said in an interview that he did not sign the agreement, left the company.")
    q = only(doc, "he did not sign the agreement")
    assert q.speaker.text == "who" and q.speaker.name == "O'Donnell"


def test_speaker_is_coded_through_the_actor_mentions():
    """resolve_span codes the speaker from the actor stage's mentions (here given by hand)."""
    doc = run('"We expect written statements soon," he said.')
    start = doc.article.body.index("he said")
    doc.actors = [Mention(text="he", start=start, end=start + 2, name="Dmitry Peskov", code="RUSGOV",
                          country="RUS", sector="GOV", kind="pronoun")]
    QuoteStage(Settings())(doc)
    (q,) = doc.quotes
    assert (q.speaker.name, q.speaker.code) == ("Dmitry Peskov", "RUSGOV")
    assert resolve_span(doc, start, start + 2).code == "RUSGOV"


def test_stage_leaves_an_unparsed_document_alone():
    from newsevents.model import Document

    doc = Document(article=Article(id="x", body="He said yes."))
    assert QuoteStage(Settings())(doc).quotes == []
    assert find_quotes(doc) == []


# --- evaluation -----------------------------------------------------------------------------------

ANN = """T1\tSource 0 6\tSmith
T2\tCue 7 11\tsaid
T3\tContent 12 32\tthe talks had failed
T4\tAttribution 7 11\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 34 41;42 46\tWe lost it
E2\tAttribution-no-source:T4 Content:T5
"""


def test_read_ann_keeps_fragments_sources_and_cues(tmp_path):
    p = tmp_path / "a_1234.ann"
    p.write_text(ANN, encoding="utf-8")
    first, second = read_ann(p)
    assert first.content == [(12, 32)] and first.source_text == "Smith" and first.cue == [(7, 11)]
    assert second.content == [(34, 41), (42, 46)] and second.source == [] and second.cue == []


def test_score_article_counts_overlap_exact_cue_and_speaker(tmp_path):
    text = "Smith said the talks had failed. We lost it all."
    p = tmp_path / "a_1234.ann"
    p.write_text(ANN, encoding="utf-8")
    gold = read_ann(p)
    from newsevents.model import ActorRef

    quotes = [Quote(content=Span("the talks had failed", 11, 31), cue=Span("said", 6, 10),
                    speaker=ActorRef("Smith", 0, 5)),
              Quote(content=Span("Nothing like the gold at all", 0, 0))]
    # offsets of ANN are shifted by one from this text on purpose for the speaker: overlap still holds
    scores = QuoteScores()
    score_article(text, gold, quotes, scores)
    s = scores.summary()
    assert s["content_overlap"]["recall"] == 0.5 and s["content_overlap"]["precision"] == 0.5
    assert s["speaker_n"] == 1 and s["speaker_accuracy"] == 1.0
    assert s["cue_overlap"]["recall"] == 1.0 and s["cue_overlap"]["precision"] == 1.0


def test_read_polnear_pairs_texts_with_annotations(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text("Smith said the talks had failed.", encoding="utf-8")
    (tmp_path / "text" / "b.txt").write_text("No annotation file.", encoding="utf-8")
    (tmp_path / "attributions" / "a_1234.ann").write_text(ANN, encoding="utf-8")
    (art,) = read_polnear(tmp_path)
    assert art.name == "a.txt" and len(art.attributions) == 2
    with pytest.raises(FileNotFoundError):
        read_polnear(tmp_path / "text")


def test_evaluate_quotes_cli(tmp_path):
    from newsevents.cli import app

    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text("Smith said the talks had failed.", encoding="utf-8")
    (tmp_path / "attributions" / "a_1234.ann").write_text(
        "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 31\tthe talks had failed\n"
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["evaluate", "quotes", "--polnear", str(tmp_path), "--json"])
    assert r.exit_code == 0, r.output
    assert '"f1": 1.0' in r.stdout and '"speaker_accuracy": 1.0' in r.stdout


#: Floors on the first 12 PolNeAR dev articles (0.773 and 0.876 when set; the whole dev split is
#: in docs/quotes.md). Lowering one needs a reason in the commit message.
DEV_FLOORS = {"content_overlap": 0.75, "speaker_accuracy": 0.85}


def test_polnear_dev_floor(shared):
    from newsevents.evaluation.quotes import evaluate_polnear

    s = evaluate_polnear(shared / "gold" / "quotes" / "polnear" / "dev", Settings(stages=("parse", "actors", "quotes")),
                         limit=12)
    assert s["content_overlap"]["f1"] >= DEV_FLOORS["content_overlap"], s
    assert s["speaker_accuracy"] >= DEV_FLOORS["speaker_accuracy"], s


def test_error_tally_classes_gold_and_predictions():
    from newsevents.evaluation.quote_errors import ErrorTally, render, tally_article
    from newsevents.evaluation.quotes import GoldArticle, GoldAttribution

    text = "Smith said the talks had failed. Jones hopes to win the vote. Brown said it rained all day long."
    doc = run(text)
    said = text.index("said")
    failed = text.index("the talks")
    hopes = text.index("hopes")
    win = text.index("win the")
    gold = GoldArticle("a.txt", text, [
        GoldAttribution([(failed, failed + 20)], "the talks had failed", [(0, 5)], "Smith", [(said, said + 4)]),
        GoldAttribution([(win, win + 3)], "win", [], "", [(hopes, hopes + 5)]),  # ours, "to win the vote", is longer on both sides
        GoldAttribution([(0, 5)], "Smith", [], "", []),  # nothing of ours there
    ])
    tally = ErrorTally()
    tally_article(gold, doc, tally)
    assert tally.gold["matched"] == 1 and tally.gold["missed"] == 1
    assert [k for k in tally.gold if k.startswith("boundary")] == ["boundary: too long, L+R+"]
    assert tally.predicted["matched"] == 1 and tally.predicted["fp: nothing in gold"] == 1  # Brown's
    assert "boundary: too long, L+R+" in render(tally)
    assert tally.speakers == {"speaker ok: indirect-clause": 1}  # Smith, the only matched one with a Source


def test_this_statement_was_made_by_credits_the_sentence_before():
    text = ("The ministry expects an answer from the embassy within a week. This statement was made by "
            "spokeswoman Maria Lopez.\n\nA statement was made by the mayor. The roads stay closed.")
    quotes = run(text).quotes
    anaphoric = [q for q in quotes if q.rule == "indirect-anaphoric"]
    assert [(q.content.text, q.speaker.text) for q in anaphoric] == [
        ("The ministry expects an answer from the embassy within a week", "spokeswoman Maria Lopez")]
    # the expectation inside it is part of her statement, not the ministry's own quote
    assert not any(q.cue and q.cue.text == "expects" for q in quotes)
