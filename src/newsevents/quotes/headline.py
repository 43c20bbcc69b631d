"""Quotes in the headline: read from the headline's own parse (:mod:`newsevents.nlp.headline`).

The headline goes through the same rules and cue classifier as the body, over its sentence-case
parse, plus one reading of its own: the label headline ``Pence: Trump Was 'Mocking' Clinton``
(also ``Obama on Climate Change: The Trends Are 'Terrifying'``), where what follows the colon is
what the name before it said. Texts are taken from the headline as written. A speaker is
identified with the body's named mention that holds the speaker's words ("Pence" -> Mike
Pence), as the headline has no actor mentions of its own.
"""

from __future__ import annotations

import re

from ..model import ActorRef, Article, Document, Quote, Span
from ..nlp import sentences_of
from ..nlp.headline import Headline
from .speakers import named_in_full

#: Words before a headline's colon that label a section or a format, not a speaker
#: ("The Latest:", "Exclusive:", "Watch:"). Polls, reports and outlets do speak in headlines.
_NOT_SPEAKERS = {
    "latest", "breaking", "update", "updated", "updates", "exclusive", "watch", "video", "photos", "photo", "live",
    "analysis", "opinion", "editorial", "review", "explainer", "factbox", "timeline", "q", "a", "podcast", "quiz",
    "correction", "editor", "note", "read", "listen", "graphic", "map", "chart", "interview", "transcript", "obituary",
}
#: At most this many words name the speaker of a label headline.
_MAX_LABEL_WORDS = 6
_MIN_CONTENT_WORDS = 3


def label_quote(parse) -> tuple[tuple[int, int], tuple[int, int], int] | None:
    """(speaker tokens, content tokens, colon index) of a label headline ``NAME: CONTENT``, or None.
    ``Obama on Climate Change:``: the speaker stops at the preposition (the rest is the topic)."""
    colon = next((t.i for t in parse if t.text == ":"), None)
    if colon is None or not 0 < colon <= _MAX_LABEL_WORDS + 4:
        return None
    stop = next((t.i for t in parse[:colon] if t.pos_ == "ADP" and t.i > 0), colon)
    who = [t for t in parse[:stop] if not t.is_punct]
    content = [t for t in parse[colon + 1:] if not t.is_space]
    if not who or len(who) > _MAX_LABEL_WORDS or sum(not t.is_punct for t in content) < _MIN_CONTENT_WORDS:
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN" for t in who) or any(t.lower_ in _NOT_SPEAKERS for t in who):
        return None
    if not any(t.text[:1].isupper() for t in who) or any(t.ent_type_ in ("GPE", "LOC") for t in who) or (
            all(t.is_upper for t in who if t.is_alpha)):
        return None  # a dateline ("WASHINGTON:"), not a speaker
    end = content[-1].i + 1
    while end > content[0].i + 1 and parse[end - 1].text in (".", "!"):
        end -= 1
    return (who[0].i, who[-1].i + 1), (content[0].i, end), colon


def headline_quotes(doc: Document, find) -> list[Quote]:
    """The quotes of ``doc``'s headline (``doc.analysis["headline"]``), found by ``find(document)``
    (the body's reading: rules and classifier) over the headline's parse, and by
    :func:`label_quote`. Each is marked ``in_title`` when the headline is the article's title."""
    head: Headline | None = doc.analysis.get("headline")
    if head is None or head.parse is None or not len(head.parse):
        return []
    parse = head.parse
    own = Document(article=Article(id=doc.article.id, body=head.cased), parse=parse, sentences=sentences_of(parse))
    quotes = find(own)
    label = label_quote(parse)
    if label is not None:
        (ws, we), (cs, ce), colon = label
        start, end = parse[cs].idx, parse[ce - 1].idx + len(parse[ce - 1])
        # the label reading holds unless a quote of the rules already reads that content
        if not any(q.content.start <= start < q.content.end for q in quotes):
            sp = parse[ws:we]
            quotes.append(Quote(content=Span(head.cased[start:end], start, end),
                                speaker=ActorRef(text=sp.text, start=sp.start_char, end=sp.end_char),
                                cue=Span(":", parse[colon].idx, parse[colon].idx + 1), kind="indirect",
                                rule="headline-label", confidence=0.7))
    out = []
    for q in sorted(quotes, key=lambda q: q.content.start):
        q.content, q.cue = _written(head, q.content), _written(head, q.cue)
        q.parts = [_written(head, p) for p in q.parts]
        if q.speaker is not None:
            q.speaker = _identified(doc, _written(head, q.speaker))
        q.in_title, q.sentence, q.events = head.in_title, None, []
        if not q.rule.startswith("headline"):
            q.rule = f"headline-{q.rule}"
        out.append(q)
    return out


def _written(head: Headline, span):
    """``span`` with the headline's own text (the parse read the sentence-case copy)."""
    if span is None:
        return None
    span.text = head.text[span.start:span.end]
    return span


def _identified(doc: Document, span: Span) -> ActorRef:
    """The speaker as the body's person or body named in full with all the speaker's name words
    ("PENCE", "Pence" -> Mike Pence: :func:`.speakers.named_in_full`); else unidentified."""
    ref = span if isinstance(span, ActorRef) else ActorRef(text=span.text, start=span.start, end=span.end)
    words = {w for word in span.text.split() if word[:1].isupper() for w in re.findall(r"[a-z]+", word.lower())}
    m = named_in_full(doc, words)
    if m is not None:
        ref.name, ref.code, ref.country, ref.sector, ref.entity = m.name, m.code, m.country, m.sector, m.entity
    return ref


__all__ = ["headline_quotes", "label_quote"]
