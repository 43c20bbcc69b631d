"""Speakers written where the parse does not look: transcript labels and signature dashes.

- **Transcript turns**: a paragraph that opens with a speaker label and a colon, after an
  opening quote mark or not (``"WALLACE: Let's start ...``, ``PENCE: Well, look, ...``). The
  turn is the rest of the paragraph, and goes on in the paragraphs after it that open with a
  quote mark and no label of their own (a quoted transcript), or, in a transcript without quote
  marks whose labels are in capitals (``TAPPER:``), in the unlabelled paragraphs before the next
  label. A label is a name, not a heading (``UPDATE:``, ``Note:``, ``Q:``; see
  :func:`.cues.label_speaker`), and a time or a dateline has no letters to be one.
- **Signatures**: a dash after a closing quote mark, then a name that ends the paragraph
  (``"...” ― Pamela Padilla``, ``"..." -- Jane Doe, 34, of Ohio``): vox pops and epigraphs.
  The dash is the cue, the name the speaker.
- **Labels resolved**: ``WALLACE`` or ``Pence`` as a label names the person the article names
  in full elsewhere; :func:`label_antecedent` finds that mention, so the speaker keeps the
  label as its text and takes the mention's name and actor code.

Everything here reads the paragraphs' text and a few tokens around each colon or dash: linear
in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vocab import QUOTE_MARKS
from .cues import label_speaker

#: Up to five words before a colon at the start of a paragraph, after an optional quote mark.
_LABEL = re.compile(r"[ \t\u00a0]*([\"“”'‘]?)[ \t\u00a0]*"
                    r"([A-Z][\w.'’\-]*(?:[ \t\u00a0]+[\w.'’\-]+){0,4})[ \t\u00a0]*:[ \t\u00a0]+\S")
_OPENS_QUOTE = re.compile(r"[ \t\u00a0]*[\"“]")
#: A paragraph that is only a stage direction: "(CROSSTALK.)", "[inaudible]".
_DIRECTION = re.compile(r"[ \t\u00a0]*[\"“]?[ \t\u00a0]*[(\[][^)\]]*[)\]][.\s\"”]*$")
#: A dash, a name, an optional ", 34, of Ohio" and the paragraph's end.
_SIGNED = re.compile(r"[ \t\u00a0]*(―|—|–|‒|-{1,3})[ \t\u00a0]*([^\n,]{1,60}?)[ \t\u00a0.]*"
                     r"(?:,[^\n]{0,60}?)?[ \t\u00a0.]*(?:\r?\n|\Z)")
#: A signature is a name of at most this many words (then an optional ", 34, of Ohio").
MAX_NAME_WORDS = 5
#: Unlabelled paragraphs of an unquoted transcript continue a turn when at most this many
#: stand before the next label (more, and the article has gone back to narrative).
MAX_TURN_PARAGRAPHS = 3


@dataclass
class Turn:
    """One speaker's turn in a transcript, as token ranges of the spaCy Doc."""

    label: tuple[int, int]  # the speaker label, 'WALLACE'
    colon: int  # the colon after it: the cue
    parts: list[tuple[int, int]] = field(default_factory=list)  # the turn's text, one range a paragraph
    quoted: bool = False  # the paragraph opened with a quote mark

    @property
    def span(self) -> tuple[int, int]:
        return self.parts[0][0], self.parts[-1][1]


def _tokens(parse, start: int, end: int) -> tuple[int, int] | None:
    span = parse.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def _label_at(parse, body: str, para: tuple[int, int]) -> tuple[Turn, bool] | None:
    """The turn a paragraph opens with a label, (turn, label in capitals), or None."""
    s, e = para
    m = _LABEL.match(body, s, e)
    if m is None:
        return None
    words = m.group(2).split()
    if not any(c.isalpha() for c in m.group(2)):
        return None
    label = _tokens(parse, m.start(2), m.end(2))
    colon_at = body.index(":", m.end(2))
    colon = _tokens(parse, colon_at, colon_at + 1)
    if label is None or colon is None or colon[0] != label[1]:
        return None  # the colon is inside a token ('10:30'), not after the label
    if label_speaker(parse, label[0], colon[0]) is None:
        return None
    text = _tokens(parse, colon_at + 1, e)
    text = _trim(parse, *text) if text else None
    if text is None or sum(1 for t in parse[text[0]:text[1]] if t.is_alpha) < 3:
        return None  # 'Sanders: 46.' -- a count, not a turn
    caps = all(w.isupper() for w in words if any(c.isalpha() for c in w))
    return Turn(label, colon[0], [text], quoted=bool(m.group(1))), caps


def _trim(parse, a: int, b: int) -> tuple[int, int] | None:
    while a < b and (parse[a].is_space or parse[a].text in QUOTE_MARKS):
        a += 1
    while b > a and (parse[b - 1].is_space or parse[b - 1].text in QUOTE_MARKS):
        b -= 1
    return (a, b) if b > a else None


def transcript_turns(parse, body: str, paras: list[tuple[int, int]]) -> list[Turn]:
    """The speaker turns of the paragraphs ``paras`` ((start, end) characters, in order).

    A paragraph opening on a quote mark and a label is a turn wherever it stands. An unquoted
    one is a turn only with a label in capitals and where the article has two of them or more
    (a transcript): a single ``NAME: ...`` paragraph is a headline, and title-case labels are
    as often section headings; :mod:`.cues` reads those as before."""
    found = []  # (paragraph index, turn, caps)
    for k, para in enumerate(paras):
        got = _label_at(parse, body, para)
        if got is not None:
            found.append((k, *got))
    # unquoted, only a transcript's labels in capitals ('TAPPER:'): title-case ones are as often
    # section headings ('Jeb Bush: Student loans ...') or headlines, read by cues.py as before
    found = [f for f in found if f[1].quoted or f[2]]
    if sum(1 for _, t, _ in found if not t.quoted) < 2:
        found = [f for f in found if f[1].quoted]
    turns = []
    for n, (k, turn, caps) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(paras)
        between = stop - k - 1
        for j in range(k + 1, stop):
            s, e = paras[j]
            if _DIRECTION.match(body, s, e):
                break
            if turn.quoted:
                if not _OPENS_QUOTE.match(body, s, e):
                    break
            elif not (caps and n + 1 < len(found) and between <= MAX_TURN_PARAGRAPHS):
                break
            got = _tokens(parse, s, e)
            got = _trim(parse, *got) if got else None
            if got is not None:
                turn.parts.append(got)
        turns.append(turn)
    return turns


def signature(parse, body: str, end: int, in_quote: list[bool]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(dash tokens, name tokens) when the quote whose closing mark ends at character ``end``
    is signed: a dash, then a name ending the paragraph (``” ― Pamela Padilla``, ``" -- Jane
    Doe, 34, of Ohio``); else None. Read on the characters, as the tokenizer may glue the dash
    to the quote mark (``”―``)."""
    m = _SIGNED.match(body, end)
    if m is None:
        return None
    dash = _tokens(parse, m.start(1), m.end(1))
    name = _tokens(parse, m.start(2), m.end(2))
    if dash is None or name is None or in_quote[name[0]]:
        return None
    words = [t for t in parse[name[0]:name[1]] if not t.is_punct]
    if not words or len(words) > MAX_NAME_WORDS or not words[0].text[:1].isupper():
        return None
    if not all(t.text[:1].isupper() or t.is_stop and not t.pos_ in ("VERB", "AUX") for t in words):
        return None  # 'Trump -- it might surprise you' is a headline's tail, not a signature
    return dash, name


def label_antecedent(doc, label: tuple[int, int]) -> tuple[int, int] | None:
    """The token range of the mention that names the person a label stands for: the article's
    named mention whose name holds every word of the label (``WALLACE`` -> ``Chris Wallace``,
    ``Pence`` -> ``Gov. Mike Pence``), preferring a coded one and then the longest name; None
    when the article names no one so."""
    parse = doc.parse
    start, end = parse[label[0]].idx, parse[label[1] - 1].idx + len(parse[label[1] - 1].text)
    found = named_in_full(doc, {t.lower_ for t in parse[label[0]:label[1]] if t.is_alpha}, (start, end))
    return None if found is None else _tokens(parse, found.start, found.end)


def named_in_full(doc, words: set[str], skip: tuple[int, int] = (0, 0)):
    """The article's named mention (a Mention) whose name holds every one of ``words`` (lower
    case), outside the characters ``skip``: a coded one first, then the longest name, then the
    first; None when there is none or ``words`` is empty."""
    if not words:
        return None
    best = None
    for m in doc.actors:
        if m.kind != "name" or not m.name or skip[0] <= m.start < skip[1]:
            continue
        if not words <= set(re.findall(r"[a-z]+", m.name.lower())):
            continue
        key = (m.code is not None, len(m.name.split()), -m.start)
        if best is None or key > best[0]:
            best = (key, m)
    return None if best is None else best[1]


__all__ = ["Turn", "label_antecedent", "named_in_full", "signature", "transcript_turns"]
