"""Dates: when each event happened (or is expected), resolved against the publication time.

The ``dates`` stage reads the article's publication time (``Article.published``, from the
ingest metadata) and, for each event, the time expression its sentence attaches to the event's
trigger in the parse: a spaCy DATE/TIME entity that modifies the trigger's clause ("on
Wednesday", "last week", "in the coming days") or the adverb "shortly before". A date that only
modifies a noun ("the 1997 positions") is not the event's date.

Every event gets ``date`` (ISO ``YYYY-MM-DD``) and ``date_precision``:

- ``day``: the day itself ("today", "on Wednesday", "January 10", "two days ago");
- ``week``: a 7-day window starting at ``date`` ("last week": that week's Monday; "in the coming
  days": the day after publication; "shortly before": 7 days before publication);
- ``month`` / ``year``: ``date`` is the first day of the month / year ("in March", "in 1997");
  windows of weeks or months ("in the coming weeks") take the next coarser precision;
- ``publication``: no time expression attaches, so the publication date is the best estimate;
- ``unknown``: no publication date and no absolute date (``date`` is None).

A weekday or month without a year is the most recent one on or before publication, unless the
event is in the future tense ("will meet on Wednesday": the next Wednesday after publication).
Our own rules resolve the common forms; dateparser (slow: ~1 ms a call, 0.5 s for the first)
is called only for other DATE entities holding a digit or a month name, and cached.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .model import Document, span_of
from .nlp.syntax import governs_event, token_at
from .settings import Settings

PRECISIONS = ("day", "week", "month", "year", "publication", "unknown")
TIME_LABELS = {"DATE", "TIME"}
#: Prepositions that put a time expression on an event ("on Monday", "for early February").
TEMPORAL_PREPS = frozenset("""on in at since during until till by before after from through throughout within
over around for""".split())
_SHORTLY_BEFORE = re.compile(r"\b(?:shortly|just) before\b", re.IGNORECASE)
ADVERBIAL = frozenset({"npadvmod", "advmod", "tmod", "obl"})
FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
FUTURE_WORDS = frozenset({"scheduled", "due", "expected", "planned", "set", "going"})

WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
NUMBERS.update({"a": 1, "an": 1, "a couple of": 2, "a few": 3, "several": 3})
UNIT_DAYS = {"day": 1, "week": 7}

_PART = r"(?: (?:morning|afternoon|evening|night))?"
_WD = "|".join(WEEKDAYS)
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = r"(\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + ")"
_FEW = r"(?:few |several |couple of |\d+ |" + "|".join(
    w + " " for w in NUMBERS if " " not in w and w not in ("a", "an")) + ")?"


# What is worth dateparser's time: a month name or a numeric date ("04/03/2021", "09.03.2018"),
# never a bare number ("10 years" is a duration it would turn into 2008).
_DATEPARSER_WORTHY = re.compile(rf"\b(?:{_MON})\b|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b")


@dataclass(frozen=True)
class When:
    date: date
    precision: str


def to_date(value: str | None) -> date | None:
    """The day of an ISO 8601 date or timestamp ("2022-01-13T15:39:32" -> 2022-01-13); a month or
    a year gives its first day; None for anything else."""
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


publication_date = to_date  # of Article.published


def _clean(text: str) -> str:
    t = text.lower().replace("’", "'").replace(".", " ").replace(",", " ")
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"^(?:the |on |in |at |during |over |by |of )+", "", t)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, 1)


def _weekday(pub: date, wd: int, future: bool, strict: bool) -> date:
    """The weekday ``wd`` nearest ``pub`` on the side the tense gives (the same day unless strict)."""
    if future:  # "will meet on Thursday" said on a Thursday: next week's
        return pub + timedelta(days=((wd - pub.weekday()) % 7) or 7)
    return pub - timedelta(days=((pub.weekday() - wd) % 7) or (7 if strict else 0))


def _absolute(t: str, pub: date | None, future: bool) -> When | None:
    """Month/day/year forms: "January 10, 2022", "10 January", "March 2021", "March", "1997"."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return _safe(int(m[1]), int(m[2]), int(m[3]), "day")
    t = re.sub(rf"^(?:{_WD}) ", "", t)  # "Friday, March 30, 2018"
    t = re.sub(r" (?:at )?(?:around )?\d{1,2}(?::\d{2})? ?(?:[ap] ?m|noon|gmt|utc|et|est|edt)?$", "", t) if \
        re.search(r"\d{4} .*\d", t) else t  # "March 31, 2018 2:36 pm"
    m = re.fullmatch(rf"({_MON}) (\d{{1,2}}) ?(?:-|to|and) ?\d{{1,2}}(?: (\d{{4}}))?", t)
    if m:  # "April 3-5": a window of days from the first
        when = _absolute(f"{m[1]} {m[2]}" + (f" {m[3]}" if m[3] else ""), pub, future)
        return When(when.date, "week") if when else None
    m = re.fullmatch(rf"({_MON}) (last|this|next) year", t)
    if m and pub is not None:
        return When(date(pub.year + {"last": -1, "this": 0, "next": 1}[m[2]], MONTHS[m[1]], 1), "month")
    t = re.sub(r"^(?:early|mid|late|the (?:end|beginning|start|middle) of|end of|beginning of|start of)[ -]", "", t)
    t = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", t)
    m = re.fullmatch(r"(?:mid-?)?(\d{4})", t)
    if m and 1000 <= int(m[1]) <= 2100:
        return When(date(int(m[1]), 1, 1), "year")
    m = (re.fullmatch(rf"({_MON}) (\d{{1,2}})(?: (\d{{4}}))?", t) or
         re.fullmatch(rf"(\d{{1,2}}) (?:of )?({_MON})(?: (\d{{4}}))?", t))
    if m:
        month, day = (m[1], m[2]) if m[1] in MONTHS else (m[2], m[1])
        if m[3]:
            return _safe(int(m[3]), MONTHS[month], int(day), "day")
        if pub is None:
            return None
        when = _safe(pub.year, MONTHS[month], int(day), "day")
        if when is None:
            return None
        if future and when.date < pub:
            return _safe(pub.year + 1, MONTHS[month], int(day), "day")
        if not future and when.date > pub:
            return _safe(pub.year - 1, MONTHS[month], int(day), "day")
        return when
    m = re.fullmatch(rf"({_MON})(?: (\d{{4}}))?", t)
    if m:
        month = MONTHS[m[1]]
        if m[2]:
            return When(date(int(m[2]), month, 1), "month")
        if pub is None:
            return None
        year = pub.year + (month < pub.month) if future else pub.year - (month > pub.month)
        return When(date(year, month, 1), "month")
    return None


def _safe(y: int, m: int, d: int, precision: str) -> When | None:
    try:
        return When(date(y, m, d), precision)
    except ValueError:
        return None


def _relative(t: str, pub: date, future: bool) -> When | None:
    """Expressions that need the publication date."""
    day = timedelta(days=1)
    if re.fullmatch(r"(?:(?:earlier|later) )?(?:today|tonight|this (?:morning|afternoon|evening))", t):
        return When(pub, "day")
    if re.fullmatch(r"(?:yesterday|last night)" + _PART, t):
        return When(pub - day, "day")
    if re.fullmatch(r"tomorrow" + _PART, t):
        return When(pub + day, "day")
    m = re.fullmatch(rf"(last |next |this |this past |this coming |past |coming )?({_WD}){_PART}", t)
    if m:
        q = (m[1] or "").strip()
        fut = future if q in ("", "this") else q in ("next", "coming", "this coming")
        return When(_weekday(pub, WEEKDAYS[m[2]], fut, strict=bool(q) and q != "this"), "day")
    if re.fullmatch(r"(?:this|last|past|next|coming)? ?weekend", t):
        fut = t.startswith(("next", "coming")) or (future and not t.startswith(("last", "past")))
        return When(_weekday(pub, 5, fut, strict=t.startswith(("last", "next"))), "week")
    if re.fullmatch(r"(?:earlier |later )?this week", t):
        return When(pub + day if t.startswith("later") else _monday(pub), "week")
    if t in ("last week", "previous week", "week before", "prior week"):
        return When(_monday(pub) - 7 * day, "week")
    if t in ("next week", "coming week", "following week", "week ahead"):
        return When(_monday(pub) + 7 * day, "week")
    if re.fullmatch(rf"(?:past|last|recent|previous) {_FEW}days|recent days|past week|(?:last|past) seven days", t):
        return When(pub - 7 * day, "week")
    if re.fullmatch(rf"(?:coming|next|following) {_FEW}days|days ahead|days to come", t):
        return When(pub + day, "week")
    if re.fullmatch(rf"(?:past|last|recent|previous) {_FEW}weeks|recent weeks", t):
        return When(pub - 30 * day, "month")
    if re.fullmatch(rf"(?:coming|next|following) {_FEW}weeks|weeks ahead|weeks to come", t):
        return When(pub + day, "month")
    if re.fullmatch(rf"(?:past|last|recent|previous) {_FEW}months|recent months", t):
        return When(_add_months(pub, -12), "year")
    if re.fullmatch(rf"(?:coming|next|following) {_FEW}months|months ahead|months to come", t):
        return When(pub + day, "year")
    m = re.fullmatch(rf"{_NUM} (day|week|month|year)s? ago", t)
    if m:
        n = int(m[1]) if m[1].isdigit() else NUMBERS[m[1]]
        if m[2] in UNIT_DAYS:
            return When(pub - timedelta(days=n * UNIT_DAYS[m[2]]), "day" if m[2] == "day" else "week")
        if m[2] == "month":
            return When(_add_months(pub, -n), "month")
        return When(date(pub.year - n, 1, 1), "year")
    m = re.fullmatch(r"(?:(earlier|later) )?this (month|year)|(last|next|previous|coming|past) (month|year)", t)
    if m:
        unit = m[2] or m[4]
        step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(m[3], 0)
        if unit == "month":
            return When(_add_months(pub, step), "month")
        return When(date(pub.year + step, 1, 1), "year")
    if t in ("shortly before", "just before", "only days ago", "days ago", "a few days ago"):
        return When(pub - 7 * day, "week")
    return None


@lru_cache(maxsize=4096)
def resolve(text: str, pub: date | None, future: bool = False) -> When | None:
    """The date a time expression denotes, given the publication date (None: unknown), or None
    when it names no point in time (a duration, "decades", "the 1990s")."""
    t = _clean(text)
    when = _absolute(t, pub, future)
    if when is None and pub is not None:
        when = _relative(t, pub, future)
    if when is None and _DATEPARSER_WORTHY.search(text.lower()) and not re.search(r"\d0s\b", t):
        when = _dateparser(text, pub, future)
    return when


def _dateparser(text: str, pub: date | None, future: bool) -> When | None:
    parser = _parser(pub, future)
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None or data.period not in ("day", "week", "month", "year"):
        return None
    d = data.date_obj.date()
    years = [int(y) for y in re.findall(r"\b(\d{4})\b", text)]
    if (years and d.year not in years) or (not years and pub is None):
        return None  # dateparser invented the year ("Jan 9-10" -> 2010)
    if data.period == "month":
        d = d.replace(day=1)
    elif data.period == "year":
        d = date(d.year, 1, 1)
    elif data.period == "week":
        d = _monday(d)
    return When(d, data.period)


@lru_cache(maxsize=64)
def _parser(pub: date | None, future: bool):
    from datetime import datetime

    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_TIME_AS_PERIOD": True}
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day, 12)
    return DateDataParser(languages=["en"], settings=settings)


# --- which expression belongs to which event -------------------------------------------------

def time_expressions(parse) -> list:
    """spaCy spans that may date an event: DATE/TIME entities and "shortly/just before"."""
    out = [ent for ent in parse.ents if ent.label_ in TIME_LABELS]
    for m in _SHORTLY_BEFORE.finditer(parse.text):  # a regex first: walking every token costs more
        span = parse.char_span(m.start(), m.end())
        if span is not None and len(span) == 2:
            before = span[1]
            if before.dep_ == "advmod" and span[0].head.i == before.i and \
                    not any(c.dep_ == "pobj" for c in before.children):
                out.append(span)
    return sorted(out, key=lambda s: s.start)


def dates_event(span, trigger) -> bool:
    """True when the time expression ``span`` attaches to the event of ``trigger``."""
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep":
        return head.lower_ in TEMPORAL_PREPS and governs_event(head.head, trigger)
    if root.dep_ in ADVERBIAL:
        return governs_event(head, trigger)
    # a date modifying a noun dates that noun: "Monday's attack" if it is the trigger, never
    # "the 1997 positions"
    return root.dep_ in ("poss", "compound", "nummod", "amod", "nmod") and head.i == trigger.i


def is_future(trigger) -> bool:
    """Future tense around the trigger: "will meet", "is scheduled to meet", "is going to"."""
    for tok in (trigger, trigger.head):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX for c in tok.children):
            return True
        if tok.lower_ in FUTURE_WORDS and tok.i != trigger.i:
            return True
        if any(c.lower_ in FUTURE_WORDS and c.dep_ in ("acomp", "xcomp", "auxpass", "aux") for c in tok.children):
            return True
    return False


def date_events(doc: Document) -> None:
    """Set ``date``, ``date_precision`` and ``date_span`` on every event of ``doc``."""
    pub = publication_date(doc.article.published)
    default = (pub.isoformat(), "publication") if pub else (None, "unknown")
    exprs = time_expressions(doc.parse) if doc.parse is not None and doc.events else []
    for event in doc.events:
        event.date, event.date_precision = default
        event.date_span = None
        trigger = token_at(doc.parse, event.trigger.start, event.trigger.end) if exprs else None
        if trigger is None:
            continue
        mine = [s for s in exprs if event.sentence.start <= s.start_char and s.end_char <= event.sentence.end
                and dates_event(s, trigger)]
        future = event.modality == "future" or is_future(trigger)
        for span in sorted(mine, key=lambda s: abs(s.root.i - trigger.i)):
            when = resolve(span.text, pub, future)
            if when is not None:
                event.date, event.date_precision = when.date.isoformat(), when.precision
                event.date_span = span_of(doc.article.body, span.start_char, span.end_char)
                break


class DateStage:
    """Dates every event (``Event.date``, ``date_precision``, ``date_span``)."""

    name = "dates"
    language_bound = True  # reads English (see pipeline.py)
    requires = ("article",)  # the publication date; the parse and the events when there are some
    assigns = ("events.date", "events.date_precision", "events.date_span")

    def __init__(self, settings: Settings):
        self.settings = settings

    def __call__(self, doc: Document) -> Document:
        date_events(doc)
        return doc


__all__ = ["DateStage", "PRECISIONS", "When", "date_events", "publication_date", "resolve", "to_date"]
