"""The trigger lexicon: verbs, verb+object pairs, event nouns and predicate adjectives -> CAMEO.

``data/events/triggers.csv`` (see the README there) has one entry a line:
``type,trigger,object,cameo,role`` with type V (verb lemma, optionally "verb particle/prep"),
VO (verb + object head lemma), N (event noun, optionally "modifier noun" or "noun of noun") and
A (predicate adjective). ``role`` says how a trigger combines with the event it governs
("agreed to *lift* sanctions"): report, intent, appeal, demand, order, threat, warn, refuse,
deny, consider, hope, terminate, aspect, attempt, future, light, allow, help; empty for a plain
event. Matching is on lowercase lemmas, with a plain-suffix fallback for the tagger's lemma
slips ("hopes" -> "hop").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from ..data import data_path

ROLES = ("report", "intent", "appeal", "demand", "order", "threat", "warn", "refuse", "deny", "consider", "hope",
         "terminate", "aspect", "attempt", "future", "light", "allow", "help")


@dataclass(frozen=True)
class Entry:
    code: str | None  # CAMEO code the trigger denotes by itself (None: a light/aspect verb with no own event)
    role: str  # "" for a plain event, else one of ROLES
    key: str  # the lexicon key that matched, e.g. "call for" or "hold talk"


class Lexicon:
    """Lookups by kind; the first entry of a key in the file wins."""

    def __init__(self, rows):
        self.verbs: dict[str, Entry] = {}
        self.verb_objects: dict[tuple[str, str], Entry] = {}
        self.nouns: dict[str, Entry] = {}
        self.adjectives: dict[str, Entry] = {}
        for kind, trigger, obj, code, role in rows:
            trigger, obj = trigger.strip().lower(), obj.strip().lower()
            if role and role not in ROLES:
                raise ValueError(f"triggers.csv: unknown role {role!r} for {trigger!r}")
            key = f"{trigger} {obj}".strip()
            entry = Entry(code.strip() or None, role.strip(), key)
            if kind == "V":
                self.verbs.setdefault(trigger, entry)
            elif kind == "VO":
                self.verb_objects.setdefault((trigger, obj), entry)
            elif kind == "N":
                self.nouns.setdefault(trigger, entry)
            elif kind == "A":
                self.adjectives.setdefault(trigger, entry)

    def __len__(self) -> int:
        return len(self.verbs) + len(self.verb_objects) + len(self.nouns) + len(self.adjectives)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with open(data_path("events", "triggers.csv"), encoding="utf-8") as f:
        rows = csv.reader(line for line in f if line.strip() and not line.startswith("#"))
        next(rows)  # header
        return Lexicon(rows)


def lemma(token) -> str:
    """The lowercase lemma, repaired where the small model's lemmatiser slips on a known verb."""
    lem = token.lemma_.lower()
    if token.tag_ in ("VBZ", "VBD", "VBN", "VBG") and lem not in lexicon().verbs:
        word = token.lower_
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", "e"), ("ed", ""), ("ing", "e"),
                             ("ing", "")):
            if word.endswith(suffix) and word[: -len(suffix)] + repl in lexicon().verbs:
                return word[: -len(suffix)] + repl
    return lem
