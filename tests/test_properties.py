"""Properties over any input: ingest and every text stage, on text Hypothesis makes up.

Any text or bytes give either an Article (clean Unicode that UTF-8 can write) or a named
IngestError; any text through the stages gives a Document whose every span is
``body[start:end]`` (sentences, actors, events' trigger/sentence/source/target, quotes and their
parts, places, date spans) and that serialises as UTF-8. The profiles are in conftest.py: CI's
is derandomized (the same examples on every run) and no example has a deadline.
"""

from __future__ import annotations

import json
import re

from contract import span_problems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from malformed import SENTENCES

import newsevents
from newsevents import Settings
from newsevents.errors import IngestError
from newsevents.ingest import read_bytes, read_text
from newsevents.model import Document

REASONS = {"empty", "binary", "undecodable", "too-large", "corrupt-archive", "no-article", "bad-record",
           "unsupported"}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

#: Every code point, lone surrogates and controls included.
ANY_CHAR = st.characters(blacklist_categories=())
#: What trips text handling: marks, invisible and direction characters, line and quote marks.
ODD = st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\t", "\x00", "\x0b", "\x1b", "\u200b", "\u200d", "\u202e",
                       "\u2066", "\ufeff", "\u00ad", "\u2028", "\u2029", "\u0301", "\ud800", "\udfff", "\U0001f525",
                       '"', "“", "”", "«", "»", "'", "’", "—", " - ", ". ", ", ", ": ", "(", ")", "<p>", "</p>",
                       "<script>alert(1)</script>", "&amp;", "Mr.", "U.S.", "e.g.", "...", "!", "?", "1,000",
                       "13 January 2022", "Ⅻ", "ﬁ", "İ", "ß"])
WORDS = st.sampled_from([w for s in SENTENCES for w in s.split()] + ["said", "told", "Russia", "NATO", "Geneva",
                                                                     "Peskov", "Ukraine's", "he", "they"])
#: News-like text with junk mixed in: enough real sentences that the stages find actors,
#: quotes, places and events, and enough junk to break what is fragile.
NEWSY = st.lists(st.one_of(WORDS, WORDS, WORDS, st.sampled_from(SENTENCES), ODD, st.text(ANY_CHAR, max_size=4)),
                 max_size=80).map(" ".join)
ANY_TEXT = st.one_of(st.text(ANY_CHAR, max_size=300), NEWSY)

NO_LANGUAGE_CHECK = Settings(detect_language=False)  # so that junk reaches the stages


def check_article(article) -> None:
    body = article.body
    assert body and body == body.strip()
    assert not CONTROL.search(body), "a control character or lone surrogate in the body"
    body.encode("utf-8")  # strict
    json.dumps(article.__dict__, ensure_ascii=False).encode("utf-8")
    assert len(body) <= Settings().max_body_chars


def check_document(doc: Document) -> None:
    data = doc.to_dict()
    assert not span_problems(data), span_problems(data)[:5]
    for e in doc.events:
        assert e.sentence.start <= e.trigger.start and e.trigger.end <= e.sentence.end
    for q in doc.quotes:
        for part in q.parts:
            assert q.content.start <= part.start and part.end <= q.content.end
    doc.to_json().encode("utf-8")


@given(ANY_TEXT)
def test_ingest_gives_an_article_or_a_named_reason(text):
    try:
        article = read_text(text, source="made-up.txt")
    except IngestError as exc:
        assert exc.reason in REASONS and exc.message and exc.source == "made-up.txt"
        return
    check_article(article)
    assert read_text(text).id == article.id  # the same text is the same article


@given(st.one_of(st.binary(max_size=2000), NEWSY.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 NEWSY.map(lambda t: t.encode("utf-16", "surrogatepass")),
                 NEWSY.map(lambda t: t.encode("cp1252", "replace"))))
def test_any_bytes_give_an_article_or_a_named_reason(data):
    try:
        article = read_bytes(data, source="made-up.bin")
    except IngestError as exc:
        assert exc.reason in REASONS and exc.message
        return
    check_article(article)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_every_span_the_stages_find_points_into_the_body(text):
    try:
        doc = newsevents.extract(text, settings=NO_LANGUAGE_CHECK)
    except IngestError as exc:
        assert exc.reason in REASONS
        return
    check_article(doc.article)
    check_document(doc)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_coding_raw_text_keeps_every_span_in_it(text):
    # code_document takes the text as it is (but for lone surrogates, which spaCy cannot
    # tokenise: each becomes U+FFFD): no normalisation shields the stages here
    doc = newsevents.code_document(text)
    assert doc.article.body == re.sub("[\ud800-\udfff]", "\ufffd", text)
    data = doc.to_dict()
    assert not span_problems(data), span_problems(data)[:5]
