"""The headline, parsed on its own: where it is, and a copy in sentence case for the parser.

Headlines carry attributions of their own ("Pence: Trump Was 'Mocking' Clinton", "Bill Clinton
Calls Obamacare a 'Crazy System'"), but they are written in title case, which the tagger reads
as a string of proper nouns, and without a full stop, so in the body's parse they run into the
first sentence. So the parse stage parses the headline apart, from a copy in sentence case
(the same length, so every offset holds in both): a capital stays where the body writes the word
with a capital in mid-sentence (a name: "Trump", "Obamacare"), at the start and after a colon,
and in all-capital words ("U.N."); every other capital becomes small.

The headline is the article's ``title`` when it has one. Without a title, a body whose first
paragraph is one short line in title case, or one that opens with a label ("Poll: ..."), opens
with its headline (PolNeAR's texts, or a page
whose headline ends in a full stop, which ingest keeps in the body).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Article

#: Words a title-case headline leaves in small letters (and that never count as evidence of title case).
_MINOR = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via with from into onto over than that "
    "this is are be was were its it his her their after before about will has have not no out says said vs".split())
_WORD = re.compile(r"[A-Za-z][\w’'\-.]*")
#: A line that opens with a label: "Poll: ...", "Sanders: ..." (but not a time, "12:30").
_LABEL = re.compile(r"[^\W\d][^:\n]{0,58}: \S")
#: A headline longer than this (in words) is a sentence, not a headline.
MAX_HEADLINE_WORDS = 30


@dataclass
class Headline:
    """The headline of an article: its text, where it is, and its own parse (of ``cased``)."""

    text: str
    cased: str  # ``text`` in sentence case: what was parsed (same length, same offsets)
    in_title: bool  # True: offsets are into ``article.title``; False: into ``article.body``
    parse: Any = None


def title_cased(line: str) -> bool:
    """Whether ``line`` is written in title case: three in four of its main words capitalised."""
    words = [w for w in _WORD.findall(line) if w.lower() not in _MINOR]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _names(body: str) -> set[str]:
    """Words the body writes with a capital in mid-sentence (after a small letter, digit or comma)."""
    return {m.group(1) for m in re.finditer(r"(?<=[a-z0-9,;] )([A-Z][a-zA-Z\-]*)", body)}


def sentence_case(line: str, body: str) -> str:
    """``line`` in sentence case when it is in title case (see the module docstring); else ``line``."""
    if not title_cased(line):
        return line
    names = _names(body)
    out = list(line)
    first = True
    for m in _WORD.finditer(line):
        word = m.group()
        stem = re.split(r"[’'\-.]", word)[0]
        opens = first or line[:m.start()].rstrip().endswith(":")
        first = False
        if opens or not word[0].isupper() or stem.isupper() and len(stem) > 1 or stem in names or "." in word:
            continue
        out[m.start()] = word[0].lower()
    return "".join(out)


def headline_of(article: Article) -> tuple[str, bool] | None:
    """(headline text, in_title) of an article, or None when it has none (see the module docstring)."""
    if article.title and article.title.strip():
        return article.title, True
    body = article.body
    end = body.find("\n")
    first = body[:end] if end > 0 else ""
    if first.strip() and len(first.split()) <= MAX_HEADLINE_WORDS and (title_cased(first) or _LABEL.match(first)):
        return first, False
    return None


def headline_for(article: Article) -> Headline | None:
    """The article's :class:`Headline`, not yet parsed."""
    found = headline_of(article)
    if found is None:
        return None
    text, in_title = found
    rest = article.body if in_title else article.body[len(text):]  # the headline's own capitals are no evidence
    return Headline(text=text, cased=sentence_case(text, rest), in_title=in_title)


__all__ = ["Headline", "headline_for", "headline_of", "sentence_case", "title_cased"]
