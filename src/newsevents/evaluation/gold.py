"""Reading the development gold files (the formats, not the scores).

- ConfliBERT CAMEO quad classes (``conflibert-cameo-class-train.tsv``: ``sentence<TAB>label``);
- ConfliBERT CAMEO actor spans (``conflibert-cameo-ner-train.txt``: CoNLL BIO, S source, T
  target, R reciprocal).

Training (:mod:`newsevents.events.train`) and scoring (:mod:`newsevents.evaluation.events`) both
read them from here, so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

CLASS_FILE = "conflibert-cameo-class-train.tsv"
NER_FILE = "conflibert-cameo-ner-train.txt"


def read_classes(path: str | Path) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.strip():
                text, label = line.rsplit("\t", 1)
                texts.append(text)
                labels.append(int(label))
    return texts, labels


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    """Sentences as lists of (token, BIO tag)."""
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            tok, tag = line.rsplit(" ", 1) if " " in line else (line, "O")
            cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents


def gold_spans(sent: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(role, text) of each B/I run; R (reciprocal) counts as S."""
    out, cur, role = [], [], None
    for tok, tag in [*sent, ("", "O")]:
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != role):
            if cur:
                out.append(("S" if role == "R" else role, " ".join(cur)))
            cur, role = ([tok], tag[2:]) if tag != "O" else ([], None)
        else:
            cur.append(tok)
    return out
