"""Page furniture in scraped plain text: recognise it, keep what it says as metadata, drop it.

Scraped news carries a header (a headline glued to a timestamp, view and share counters), lines
that are not the article (bylines, "Read more", copyright, tag lists, "Share this article"),
and datelines ("MOSCOW, Jan 13 (Reuters) -"). A line is dropped only when the whole line is
furniture; a real sentence that mentions views or copyright is kept. What a furniture line
says (views, author, date, tags) goes into the article's metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"

# Timestamps as pages print them. Order matters: the most specific first.
_TIMESTAMPS = [
    # 01/13/2022 15:39:32  (US month first; day first when the first number is over 12)
    re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})(?:,?\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?))?"),
    # 2022-01-13T15:39:32, 2022-01-13 15:39
    re.compile(r"(?P<iso>\d{4}-\d{2}-\d{2})(?:[T\s](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:Z|[+-]\d{2}:?\d{2})?)?"),
    # January 13, 2022 15:39 / 13 January 2022, 3:39 PM
    re.compile(
        rf"(?P<text>(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}))"
        r"(?:,?\s+(?:at\s+)?(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?))?"
    ),
]

_NUM = r"(\d[\d,.\s]*\d|\d)"
_VIEWS_TOTAL = re.compile(rf"\b(?:total\s+views|views\s+total|views|hits|reads)\s*[:\-—–]?\s*{_NUM}", re.I)
_VIEWS_TOTAL_AFTER = re.compile(rf"\b{_NUM}\s+(?:views|reads)\b", re.I)
_VIEWS_TODAY = re.compile(rf"\bviews\s+today\s*[:\-—–]?\s*{_NUM}|\btoday\s*[:\-—–]\s*{_NUM}\s*views?", re.I)

# A whole line that is only counters: "Total views 726. Views today — 0.", "12 comments | Share".
_COUNTER_PHRASE = (
    rf"(?:(?:total\s+)?(?:views?|hits|reads|shares?|comments?|likes?)(?:\s+today)?\s*[:\-—–]?\s*{_NUM}"
    rf"|{_NUM}\s+(?:views?|reads|shares?|comments?|likes?)|share|tweet|email|print|comments?)"
)
_COUNTER_LINE = re.compile(rf"^\W*{_COUNTER_PHRASE}(?:\s*[.,;|•·/]?\s*{_COUNTER_PHRASE})*\W*$", re.I)

_BYLINE = re.compile(
    r"^(?:by|author|written by|posted by)\s*:?\s+(?P<author>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|de|van|von|al-?\w*))*)"
    r"(?:\s*[,|–—-]\s*(?P<rest>.{0,80}))?$",
    re.I,
)
_DATE_LINE = re.compile(r"^(?:published|updated|posted|last updated|date)\s*(?:on|at)?\s*:?\s*(?P<date>.{6,60})$", re.I)
_TAGS_LINE = re.compile(r"^(?:tags?|topics?|keywords|filed under|related topics)\s*:\s*(?P<tags>.+)$", re.I)
_NOISE_LINE = re.compile(
    r"^\W*(?:read (?:more|also|next)|see also|related(?: articles| stories| news)?|more on this(?: story)?"
    r"|share (?:this|on)\b.*|follow us\b.*|subscribe\b.*|sign up\b.*|advertisement|sponsored|click here\b.*"
    r"|(?:photo|image|picture|video|source|credit)s?\s*:.{0,120}|continue reading|back to top|print this(?: article)?"
    r"|(?:©|\(c\)|copyright\s*©?)\s*(?:\d{4}|©).{0,160}|.{0,120}all rights reserved\.?|reporting by\b.{0,200}|editing by\b.{0,200}"
    r"|(?:min(?:ute)?s?|mins) read|\d+\s*min(?:ute)?s?\s+read)\W*$",
    re.I,
)
# "Read more: <headline>" lines (a link to another story).
_READ_MORE_PREFIX = re.compile(r"^(?:read (?:more|also|next)|see also|related|watch|listen)\s*[:|»>-]\s*.{0,200}$", re.I)

# "MOSCOW, Jan 13 (Reuters) - ", "WASHINGTON (AP) — ", "KYIV, Ukraine — "
_DATELINE = re.compile(
    rf"^(?P<dateline>[A-Z][A-Z.'’\- ]{{1,30}}[A-Z.](?:,\s*[A-Z][A-Za-z.'’\- ]{{1,30}}?)?(?:,?\s+{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    r"(?:\s*\((?P<agency>[A-Za-z .&]{2,30})\))?)\s*(?:-{1,2}|—|–|:)\s+(?=[A-Z\"“‘'])"
)

# Counters in a header that follow the timestamp: "Total views 726. Views today — 0."
_HEADER_TAIL_OK = re.compile(rf"^(?:\W*{_COUNTER_PHRASE})*\W*$", re.I)

MAX_TITLE_CHARS = 300  # a longer first line is a paragraph, not a headline


@dataclass
class Cleaned:
    """The body and what the furniture said."""

    body: str
    title: str | None = None
    published: str | None = None
    views_total: int | None = None
    views_today: int | None = None
    author: str | None = None
    dateline: str | None = None
    tags: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # the furniture lines dropped, for debugging


def clean_text(text: str, *, has_title: bool = False) -> Cleaned:
    """Split scraped plain text into metadata and body.

    ``has_title``: the title is known from elsewhere (a JSON field), so the first line is body
    unless it is furniture.
    """
    lines = [ln.strip() for ln in text.split("\n")]
    out = Cleaned(body="")
    i = _skip_blank(lines, 0)
    if i < len(lines) and not has_title:
        i = _read_header(lines, i, out)
    kept: list[str] = []
    for line in lines[i:]:
        if line and _furniture(line, out):
            out.removed.append(line)
            continue
        kept.append(line)
    paragraphs = _paragraphs(kept)
    if paragraphs:
        m = _DATELINE.match(paragraphs[0])
        if m and len(paragraphs[0]) > m.end() + 20:
            out.dateline = m.group("dateline").strip()
            paragraphs[0] = paragraphs[0][m.end():]
    out.body = "\n\n".join(paragraphs)
    return out


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i]:
        i += 1
    return i


def _read_header(lines: list[str], i: int, out: Cleaned) -> int:
    """Read a headline (with a glued timestamp and counters) at ``lines[i]``; return the next line."""
    first = lines[i]
    for pattern in _TIMESTAMPS:
        m = pattern.search(first)
        if not m:
            continue
        title, tail = first[: m.start()].strip(), first[m.end():]
        if not title or len(title) > MAX_TITLE_CHARS or not _HEADER_TAIL_OK.match(tail):
            continue
        out.title = title
        out.published = parse_timestamp(m)
        _read_counters(tail, out)
        return i + 1
    # A headline on its own line: short, not ending like a sentence, followed by more text.
    rest = [ln for ln in lines[i + 1:] if ln]
    if rest and len(first) <= MAX_TITLE_CHARS and not re.search(r"[.:;,]$", first) and not _furniture(first, Cleaned("")):
        out.title = first
        j = i + 1
        # A date or counter line right under the headline belongs to the header.
        while j < len(lines) and (not lines[j] or _furniture(lines[j], out)):
            if lines[j]:
                out.removed.append(lines[j])
            j += 1
        return j
    return i


def _furniture(line: str, out: Cleaned) -> bool:
    """True when the whole line is furniture; what it says is recorded on ``out``."""
    if len(line) > 250:
        return False
    if _COUNTER_LINE.match(line):
        _read_counters(line, out)
        return True
    m = _DATE_LINE.match(line)
    if m:
        for pattern in _TIMESTAMPS:
            t = pattern.search(m.group("date"))
            if t:
                if out.published is None:
                    out.published = parse_timestamp(t)
                return True
    if _TAGS_LINE.match(line):
        out.tags = [t.strip() for t in re.split(r"[,;|•#]", _TAGS_LINE.match(line).group("tags")) if t.strip()]
        return True
    m = _BYLINE.match(line)
    if m and len(m.group("author").split()) <= 6:
        out.author = out.author or m.group("author").strip()
        return True
    if _NOISE_LINE.match(line) or _READ_MORE_PREFIX.match(line):
        return True
    # A line standing alone that is only a timestamp.
    for pattern in _TIMESTAMPS:
        t = pattern.fullmatch(line.strip(" .|"))
        if t:
            out.published = out.published or parse_timestamp(t)
            return True
    return False


def _read_counters(text: str, out: Cleaned) -> None:
    today = _VIEWS_TODAY.search(text)
    if today:
        out.views_today = _int(today.group(1) or today.group(2))
        text = text[: today.start()] + text[today.end():]
    total = _VIEWS_TOTAL.search(text) or _VIEWS_TOTAL_AFTER.search(text)
    if total:
        out.views_total = _int(total.group(1))


def _int(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs; lines inside a paragraph are joined by a newline."""
    paragraphs, current = [], []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraphs


def parse_timestamp(m: re.Match) -> str | None:
    """ISO 8601 from a match of one of the timestamp patterns (no time zone is invented)."""
    g = m.groupdict()
    try:
        if g.get("a"):
            a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
            month, day = (b, a) if a > 12 else (a, b)  # US order unless impossible
            d = datetime(y, month, day)
        elif g.get("iso"):
            d = datetime.fromisoformat(g["iso"])
        else:
            import dateparser

            parsed = dateparser.parse(g["text"], languages=["en"])
            if parsed is None:
                return None
            d = parsed.replace(hour=0, minute=0, second=0, microsecond=0)
    except ValueError:
        return None
    time = g.get("time")
    if not time:
        return d.date().isoformat()
    t = re.match(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?", time)
    hour, minute, second = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
    if t.group(4) and t.group(4).lower() == "p" and hour < 12:
        hour += 12
    elif t.group(4) and t.group(4).lower() == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return d.date().isoformat()
    return d.replace(hour=hour, minute=minute, second=second).isoformat()
