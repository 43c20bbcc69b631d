"""Our spaCy components (registered here, next to their definitions)."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_CLOSING_QUOTES = {'"', "”", "»", "’", "''"}
_JOINERS = {",", "-", "—", "–", "--"}
# titles and initials that end in a full stop ("Mr . Erdogan", "John R . Bass", "the U . S")
_ABBREVIATION = re.compile(r"[A-Z]|Mr|Mrs|Ms|Dr|Sen|Gen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|St|Jr|Sr|Maj|Adm|Rev|Hon")


_APOSTROPHES = {"’", "'", "`"}


def possessive_lexemes(vocab) -> None:
    """Make the joined tokens ("’ s", "' s", "` s") look like "'s" to the tagger and parser: same
    norm, prefix, suffix and shape (the features spaCy's tok2vec reads). No token spaCy makes
    itself contains a space, so no other word is touched."""
    ref = vocab["'s"]
    for mark in _APOSTROPHES:
        lex = vocab[f"{mark} s"]
        lex.norm_, lex.prefix_, lex.suffix_, lex.shape_ = ref.norm_, ref.prefix_, ref.suffix_, ref.shape_
        lex.is_punct = False


@Language.component("newsevents_split_possessives", assigns=["token.norm"])
def split_possessives(doc: Doc) -> Doc:
    """Rejoin a possessive that pre-tokenized text split with spaces ("Iran ’ s Supreme Leader",
    as in CoNLL files) into one token that reads as "'s" (:func:`possessive_lexemes`), before the
    tagger and parser run: left as two tokens, the parser reads the "s" as a verb and the whole
    sentence goes wrong. Text tokenized by spaCy itself ("Iran's") never matches."""
    spans = [doc[i:i + 2] for i in range(1, len(doc) - 1)
             if doc[i].text in _APOSTROPHES and doc[i].whitespace_ and doc[i + 1].lower_ == "s"
             and doc[i - 1].whitespace_ and doc[i - 1].is_alpha and (doc[i + 1].whitespace_ or i + 2 == len(doc))]
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
    return doc


@Language.component("newsevents_sentence_bounds", assigns=["token.is_sent_start"])
def sentence_bounds(doc: Doc) -> Doc:
    """Set sentence starts before the parser runs (the parser keeps preset boundaries).

    - A paragraph break (a whitespace token holding a newline) ends a sentence.
    - A closing quote keeps its attribution: in ``...days", - he said.`` or ``..." he said.``
      nothing from the quote mark to the speech verb starts a sentence.
    """
    n = len(doc)
    for i in range(1, n):
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text and not doc[i].is_space:
            doc[i].is_sent_start = True
        elif i >= 2 and prev.text == "." and _ABBREVIATION.fullmatch(doc[i - 2].text) and doc[i].text[:1].isupper():
            doc[i].is_sent_start = False  # pre-tokenized "Mr . Erdogan", "the U . S": one sentence
    for i, tok in enumerate(doc[:-1]):
        if tok.text not in _CLOSING_QUOTES or i == 0 or doc[i - 1].is_space:
            continue
        j = i + 1
        while j < n and doc[j].text in _JOINERS:
            j += 1
        # the speaker: a pronoun or up to four words of a name/description, then a verb
        k = j
        while k < n and k - j < 4 and doc[k].tag_ in {"PRP", "NNP", "NNPS", "NN", "DT", "JJ"}:
            k += 1
        if k > j and k < n and doc[k].tag_.startswith("VB") and (j > i + 1 or doc[j].tag_ in {"PRP", "NNP"}):
            for t in range(i + 1, k + 1):
                doc[t].is_sent_start = False
    return doc
