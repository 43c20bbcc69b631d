"""Quotation marks: find the stretches of a text that stand between paired quote marks.

Plain text functions, no parse needed. News uses straight ``"`` and curly ``“ ”`` double
quotes, ``« »``, ``„``, doubled apostrophes (``''...''``, the NYT archive style), backticks
(`````...''``) and single curly quotes ``‘ ’`` (British style). A paragraph that opens a quote
without closing it continues in the next paragraph when that paragraph opens with a quote mark
(the typographic convention for quotes running over several paragraphs); otherwise the quote
ends with its paragraph. Everything is one left-to-right scan over precompiled patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocab import CLOSING_QUOTE_MARKS, OPENING_QUOTE_MARKS, QUOTE_MARK_PATTERN, SINGLE_QUOTE_MARKS

#: Every mark we pair; the longest alternatives come first so ``''`` is never read as two ``'``.
_MARK = re.compile(QUOTE_MARK_PATTERN)
# Every newline ends a paragraph, as in the parse's sentence boundaries (scraped pages put one
# paragraph on a line; blank lines between them are optional).
_PARAGRAPH = re.compile(r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)+")
_OPENERS, _CLOSERS, _SINGLE = OPENING_QUOTE_MARKS, CLOSING_QUOTE_MARKS, SINGLE_QUOTE_MARKS


@dataclass(frozen=True)
class Segment:
    """One quoted stretch: ``start`` is at its opening mark, ``end`` just after its closing mark
    (or at the end of the paragraph where it was left open). ``inner_start``/``inner_end`` bound
    the words between the marks."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True
    paragraphs: int = 1

    def words(self, text: str) -> int:
        return len(text[self.inner_start:self.inner_end].split())


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: the non-blank lines of ``text``."""
    out, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _can_open(text: str, i: int, j: int) -> bool:
    """A mark at text[i:j] can open a quote: word-like text follows and no word precedes."""
    before = text[i - 1] if i > 0 else " "
    after = text[j] if j < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _can_close(text: str, i: int, j: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[j] if j < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _closes(mark: str, text: str, i: int, j: int, opener: str) -> bool:
    """Does ``mark`` close a quote opened by ``opener``?"""
    if (opener in _SINGLE) != (mark in _SINGLE):
        return False
    if mark in _OPENERS and mark not in _CLOSERS and mark != "``":
        # a curly opener inside an open quote closes it only where it is glued to a word
        # (scraped text sometimes uses “ for both ends)
        return _can_close(text, i, j) and not _can_open(text, i, j)
    if mark == "’":
        return _can_close(text, i, j)
    return _can_close(text, i, j) or not _can_open(text, i, j)


def _opens(mark: str, text: str, i: int, j: int) -> bool:
    if mark in _CLOSERS and mark != "’":
        return False
    if mark == "’":
        return False
    if mark == "‘":
        return _can_open(text, i, j) and j < len(text) and text[j].isalnum()
    return _can_open(text, i, j)


def segments(text: str) -> list[Segment]:
    """The top-level quoted stretches of ``text``, in order (quotes nested inside a quote are
    part of the outer one)."""
    out: list[Segment] = []
    paras = paragraphs(text)
    k = 0
    while k < len(paras):
        p_start, p_end = paras[k]
        pos = p_start
        opened: tuple[str, int, int] | None = None  # (mark, start, inner_start)
        n_paras = 1
        while True:
            m = _MARK.search(text, pos, p_end)
            if m is None:
                if opened is None:
                    break
                # left open at the paragraph end: it goes on when the next paragraph opens with a mark
                nxt = paras[k + 1] if k + 1 < len(paras) else None
                lead = _MARK.match(text, nxt[0]) if nxt else None
                same_kind = lead is not None and (opened[0] in _SINGLE) == (lead.group() in _SINGLE)
                if same_kind and _opens(lead.group(), text, lead.start(), lead.end()):
                    k += 1
                    n_paras += 1
                    p_start, p_end = nxt
                    pos = lead.end()
                    continue
                end = p_end
                while end > opened[2] and text[end - 1].isspace():
                    end -= 1
                if end > opened[2]:
                    out.append(Segment(opened[1], end, opened[2], end, closed=False, paragraphs=n_paras))
                break
            mark, i, j = m.group(), m.start(), m.end()
            pos = j
            if opened is None:
                if _opens(mark, text, i, j):
                    opened = (mark, i, j)
                    n_paras = 1
                continue
            if opened[0] in _SINGLE and mark not in _SINGLE and _opens(mark, text, i, j):
                # a lone ‘ (an apostrophe as in ‘90s) must not swallow the real quote that follows
                opened = (mark, i, j)
                continue
            if _closes(mark, text, i, j, opened[0]):
                if i > opened[2]:
                    out.append(Segment(opened[1], j, opened[2], i, closed=True, paragraphs=n_paras))
                opened = None
        k += 1
    return out


__all__ = ["Segment", "paragraphs", "segments"]
