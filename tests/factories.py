"""Hand-built Documents for tests that need coded articles without running the pipeline.

``report(...)`` makes a one-article Document whose body reports one event; every span is found
in the body, so the Documents satisfy the output contract (``body[start:end] == text``).
"""

from __future__ import annotations

import hashlib

from newsevents.model import ActorRef, Article, Document, Event, Location, Mention, Quote, Sentence, Span, Tone


def span(body: str, text: str, after: int = 0) -> Span:
    start = body.index(text, after)
    return Span(text, start, start + len(text))


def actor(body: str, text: str, code: str | None, country: str | None = None, sector: str | None = None,
          name: str | None = None) -> ActorRef:
    s = span(body, text)
    return ActorRef(s.text, s.start, s.end, name=name or text, code=code, country=country, sector=sector)


def place(body: str, text: str, country: str, geonameid: int | None = None, feature: str = "city",
          lat: float | None = None, lon: float | None = None) -> Location:
    s = span(body, text)
    return Location(s.text, s.start, s.end, name=text, country=country, geonameid=geonameid, feature=feature,
                    lat=lat, lon=lon)


def event(body: str, trigger: str, source: ActorRef | None, target: ActorRef | None, cameo: str = "0214",
          cameo_name: str = "Appeal for diplomatic cooperation", plover: str | None = "REQUEST", quad: int = 1,
          goldstein: float = 3.4, date: str | None = None, location: Location | None = None, id: str = "e1",
          **kw) -> Event:
    t = span(body, trigger)
    start = body.rfind(". ", 0, t.start)
    start = 0 if start < 0 else start + 2
    end = body.find(".", t.end)
    end = len(body) if end < 0 else end + 1
    return Event(id=id, sentence=Span(body[start:end], start, end), trigger=t, source=source, target=target,
                 cameo=cameo, cameo_root=cameo[:2], cameo_name=cameo_name, plover=plover, plover_mode=None,
                 quad_class=quad, goldstein=goldstein, date=date, location=location,
                 locations=[location] if location else [], **kw)


def report(body: str, *, trigger: str, source: tuple | None, target: tuple | None, published: str = "2022-01-13",
           outlet: str = "Example News", url: str | None = None, place_: tuple | None = None, tone: float | None = None,
           quote: str | None = None, **event_kw) -> Document:
    """A Document whose ``body`` reports one event.

    ``source``/``target`` are ``(text, code, country[, sector])``; ``place_`` is
    ``(text, country, geonameid)``.
    """
    src = actor(body, *source) if source else None
    tgt = actor(body, *target) if target else None
    loc = place(body, *place_) if place_ else None
    e = event(body, trigger, src, tgt, location=loc, **event_kw)
    art = Article(id=hashlib.sha256(body.encode()).hexdigest()[:16], body=body, title=body[:40], published=published,
                  language="en", source="feed.jsonl:1", publisher=outlet, url=url, format="jsonl")
    mentions = [Mention(r.text, r.start, r.end, name=r.name, code=r.code, country=r.country, sector=r.sector,
                        rule="test") for r in (src, tgt) if r]
    quotes = []
    if quote:
        q = span(body, quote)
        quotes.append(Quote(content=q, speaker=src, kind="direct", sentence=0, events=[e.id], rule="test"))
    return Document(
        article=art, sentences=[Sentence(body, 0, len(body), index=0, quad_class=e.quad_class)], actors=mentions,
        quotes=quotes, locations=[loc] if loc else [], events=[e],
        tone=Tone(tone=tone) if tone is not None else None, stages=["test"],
    )




RUS = ("Russia", "RUS", "RUS")
USA = ("the United States", "USA", "USA")
