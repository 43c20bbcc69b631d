"""Our spaCy components (registered here, next to their definitions)."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_CLOSING_QUOTES = {'"', "”", "»", "’", "''"}
_JOINERS = {",", "-", "—", "–", "--"}
# titles and initials that end in a full stop ("Mr . Erdogan", "John R . Bass", "the U . S")
_ABBREVIATION = re.compile(r"[A-Z]|Mr|Mrs|Ms|Dr|Sen|Gen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|St|Jr|Sr|Maj|Adm|Rev|Hon")


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
