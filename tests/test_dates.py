"""The dates stage: publication time, relative expressions, which expression dates which event."""

from __future__ import annotations

from datetime import date

import pytest

from newsevents.dates import PRECISIONS, DateStage, date_events, publication_date, resolve
from newsevents.model import Article, Document, Event, Span, span_of
from newsevents.nlp import load as load_nlp
from newsevents.nlp import sentences_of
from newsevents.pipeline import STAGE_FACTORIES

PUB = date(2022, 1, 13)  # the seed's publication day, a Thursday
SEED = "2022-01-13T15:39:32"


def when(text: str, future: bool = False, pub: date | None = PUB):
    w = resolve(text, pub, future)
    return (w.date.isoformat(), w.precision) if w else None


def event_at(text: str, trigger: str, modality: str = "asserted") -> Event:
    start = text.index(trigger)
    return Event(id="e1", sentence=Span(text, 0, len(text)), trigger=span_of(text, start, start + len(trigger)),
                 source=None, target=None, cameo="040", cameo_root="04", cameo_name="Consult", plover=None,
                 plover_mode=None, quad_class=1, goldstein=1.0, modality=modality)


def dated(text: str, trigger: str, published: str | None = SEED, modality: str = "asserted"):
    """(date, precision, evidence text) the stage gives an event triggered by ``trigger``."""
    parse = load_nlp()(text)
    doc = Document(article=Article(id="t", body=text, published=published), parse=parse, sentences=sentences_of(parse))
    event = event_at(text, trigger, modality)
    event.sentence = next(Span(s.text, s.start, s.end) for s in doc.sentences if s.start <= event.trigger.start < s.end)
    doc.events = [event]
    date_events(doc)
    if event.date_span is not None:
        assert text[event.date_span.start:event.date_span.end] == event.date_span.text
    return event.date, event.date_precision, event.date_span.text if event.date_span else None


# --- publication date ----------------------------------------------------------------------------

@pytest.mark.parametrize("published,expected", [
    ("2022-01-13T15:39:32", date(2022, 1, 13)), ("2022-01-13", date(2022, 1, 13)), ("2022-01", date(2022, 1, 1)),
    (None, None), ("", None), ("yesterday", None), ("2022-13-45", None),
])
def test_publication_date(published, expected):
    assert publication_date(published) == expected


# --- expressions, one test per type --------------------------------------------------------------

def test_today_yesterday_tomorrow():
    assert when("today") == ("2022-01-13", "day")
    assert when("this morning") == ("2022-01-13", "day")
    assert when("yesterday") == ("2022-01-12", "day")
    assert when("last night") == ("2022-01-12", "day")
    assert when("tomorrow") == ("2022-01-14", "day")


def test_weekday_is_the_most_recent_one_unless_future():
    assert when("Wednesday") == ("2022-01-12", "day")
    assert when("on Wednesday") == ("2022-01-12", "day")
    assert when("Monday night") == ("2022-01-10", "day")
    assert when("Thursday") == ("2022-01-13", "day")  # the publication day itself
    assert when("Friday") == ("2022-01-07", "day")
    assert when("Wednesday", future=True) == ("2022-01-19", "day")
    assert when("Friday", future=True) == ("2022-01-14", "day")
    assert when("last Thursday") == ("2022-01-06", "day")
    assert when("next Monday") == ("2022-01-17", "day")


def test_weeks_start_on_their_first_day():
    assert when("last week") == ("2022-01-03", "week")  # that week's Monday
    assert when("this week") == ("2022-01-10", "week")
    assert when("earlier this week") == ("2022-01-10", "week")
    assert when("next week") == ("2022-01-17", "week")
    assert when("the past week") == ("2022-01-06", "week")
    assert when("over the weekend") == ("2022-01-08", "week")


def test_coming_days_are_after_publication():
    assert when("in the coming days") == ("2022-01-14", "week")
    assert when("the next few days") == ("2022-01-14", "week")
    assert when("in the coming weeks") == ("2022-01-14", "month")
    assert when("the coming months") == ("2022-01-14", "year")
    assert when("in recent days") == ("2022-01-06", "week")
    assert when("recent weeks") == ("2021-12-14", "month")


def test_shortly_before():
    assert when("shortly before") == ("2022-01-06", "week")


def test_ago():
    assert when("two days ago") == ("2022-01-11", "day")
    assert when("a week ago") == ("2022-01-06", "week")
    assert when("three months ago") == ("2021-10-01", "month")
    assert when("10 years ago") == ("2012-01-01", "year")


def test_months_and_years_relative_to_publication():
    assert when("last month") == ("2021-12-01", "month")
    assert when("earlier this month") == ("2022-01-01", "month")
    assert when("next month") == ("2022-02-01", "month")
    assert when("last year") == ("2021-01-01", "year")
    assert when("this year") == ("2022-01-01", "year")
    assert when("next year") == ("2023-01-01", "year")


def test_month_names_take_the_year_the_tense_gives():
    assert when("March") == ("2021-03-01", "month")
    assert when("in March", future=True) == ("2022-03-01", "month")
    assert when("January") == ("2022-01-01", "month")
    assert when("early February", future=True) == ("2022-02-01", "month")
    assert when("March 2021") == ("2021-03-01", "month")


def test_days_of_the_month():
    assert when("January 10") == ("2022-01-10", "day")
    assert when("Jan. 10") == ("2022-01-10", "day")
    assert when("10 January") == ("2022-01-10", "day")
    assert when("December 25") == ("2021-12-25", "day")
    assert when("January 20") == ("2021-01-20", "day")
    assert when("January 20", future=True) == ("2022-01-20", "day")
    assert when("January 10, 2021") == ("2021-01-10", "day")
    assert when("the 3rd of March 2020") == ("2020-03-03", "day")
    assert when("2021-03-04") == ("2021-03-04", "day")
    assert when("February 30") is None


def test_years():
    assert when("1997") == ("1997-01-01", "year")
    assert when("in 1997") == ("1997-01-01", "year")
    assert when("mid-2021") == ("2021-01-01", "year")


def test_other_dates_go_to_dateparser():
    assert when("04/03/2021") == ("2021-04-03", "day")


def test_durations_and_decades_name_no_date():
    assert when("two years") is None
    assert when("decades") is None
    assert when("the 1990s") is None
    assert when("Jan 9-10", pub=None) is None


def test_without_publication_date_only_absolute_dates_resolve():
    assert when("today", pub=None) is None
    assert when("last week", pub=None) is None
    assert when("January 10, 2021", pub=None) == ("2021-01-10", "day")
    assert when("1997", pub=None) == ("1997-01-01", "year")


# --- which expression dates which event ----------------------------------------------------------

def test_a_date_on_the_trigger_dates_the_event():
    assert dated("Russia attacked Ukraine on Wednesday.", "attacked") == ("2022-01-12", "day", "Wednesday")
    assert dated("Police arrested 12 people last week.", "arrested") == ("2022-01-03", "week", "last week")
    assert dated("The treaty was signed in 1997.", "signed") == ("1997-01-01", "year", "1997")


def test_future_tense_looks_forward():
    assert dated("The ministers will meet on Wednesday.", "meet") == ("2022-01-19", "day", "Wednesday")


def test_a_year_modifying_a_noun_is_not_the_event_date():
    assert dated("Russia demanded a return to the 1997 positions.", "demanded") == ("2022-01-13", "publication", None)


def test_each_clause_has_its_own_date():
    text = "He said yesterday that troops entered the town on Monday night."
    assert dated(text, "said") == ("2022-01-12", "day", "yesterday")
    assert dated(text, "entered") == ("2022-01-10", "day", "Monday night")


def test_default_is_the_publication_date_or_unknown():
    assert dated("Russia criticised the plan.", "criticised") == ("2022-01-13", "publication", None)
    assert dated("Russia criticised the plan.", "criticised", published=None) == (None, "unknown", None)
    assert dated("Russia attacked Ukraine on Wednesday.", "attacked", published=None) == (None, "unknown", None)


# --- the canonical sample ------------------------------------------------------------------------

def test_sample_coming_days_expectation_is_dated_after_publication(sample_text):
    import newsevents
    from newsevents.pipeline import Pipeline
    from newsevents.settings import Settings

    article = newsevents.extract(sample_text).article
    assert article.published == SEED
    doc = next(Pipeline(Settings(stages=("parse",)), keep_parse=True).pipe([article]))
    body = doc.article.body
    start = body.index("We can expect")
    sentence = next(s for s in doc.sentences if s.start <= start < s.end)
    event = event_at(body, "expect", modality="hoped")
    event.trigger = span_of(body, start + len("We can "), start + len("We can expect"))
    event.sentence = Span(sentence.text, sentence.start, sentence.end)
    doc.events = [event]
    date_events(doc)
    assert (event.date, event.date_precision, event.date_span.text) == ("2022-01-14", "week", "the coming days")
    assert date.fromisoformat(event.date) > date(2022, 1, 13)


def test_sample_events_are_dated(sample_doc):
    assert sample_doc.events
    for e in sample_doc.events:
        assert e.date_precision in PRECISIONS and e.date is not None
        date.fromisoformat(e.date)
    ultimatum = [e for e in sample_doc.events if "shortly before" in e.sentence.text and e.principal]
    assert ultimatum and all((e.date, e.date_precision) == ("2022-01-06", "week") for e in ultimatum)
    assert all(e.date_span.text == "shortly before" for e in ultimatum)


def test_stage_is_registered_and_handles_documents_without_parse():
    assert STAGE_FACTORIES["dates"] == "newsevents.dates:DateStage"
    text = "Russia attacked Ukraine."
    doc = Document(article=Article(id="x", body=text, published=SEED))
    doc.events = [event_at(text, "attacked")]
    DateStage(None)(doc)
    assert (doc.events[0].date, doc.events[0].date_precision) == ("2022-01-13", "publication")
