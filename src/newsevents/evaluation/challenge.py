"""The events challenge set: our own short news snippets that check the event mechanisms.

``data/events-challenge.tsv`` (see its header and ``data/README.md``) was written by us before
the rules it checks were changed: protests that turn violent, protest nouns, weapons seized or
defused, disaster reports with deaths, intent / threat / demand / refusal, and events reported
under a statement verb. It checks that the mechanisms work; it is not a measure of
generalisation (the same people wrote the sentences and the rules).

Figures, in the shape of the CASE 2021 figures of issue 24:

- recall per expected PLOVER type: the share of snippets expecting a type where some event of
  the snippet has it (AGREE also matched by CAMEO 057, a signed agreement);
- principal: the share of snippets with a ``principal`` column whose principal event has that
  type (the reported event, not the reporting verb; the intent, not the act);
- disaster false alarms: the share of disaster reports with an ASSAULT, PROTEST, COERCE or AGREE
  event.

:func:`keyword_baseline` is the same figures for four regular expressions, one per CASE type,
written by us in the manner of the issue's keyword baseline (not its actual expressions).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CHALLENGE = Path(__file__).resolve().parent / "data" / "events-challenge.tsv"
#: the types CASE 2021 reports recall for; an event of one of them on a disaster report is a false alarm
CASE_TYPES = ("ASSAULT", "PROTEST", "COERCE", "AGREE")
#: a formal agreement signed (CAMEO 057) is PLOVER SUPPORT but CASE's Agreement
AGREE_CODES = {"057"}

#: the keyword baseline: one expression per CASE type, any match proposes the type
KEYWORDS = {
    "ASSAULT": re.compile(r"\b(kill(s|ed|ing)?|attack(s|ed|ing)?|bomb(s|ed|ing|er)?|shot|shoot(s|ing)?|gunm[ae]n|"
                          r"wound(s|ed|ing)?|explosions?|air ?strikes?|shell(s|ed|ing)|clash(es|ed)?|dead)\b", re.I),
    "PROTEST": re.compile(r"\b(protest\w*|demonstrat\w*|rall(y|ies|ied)|march(es|ed)?|strikes?|sit-ins?|riots?)\b", re.I),
    "COERCE": re.compile(r"\b(arrest\w*|detain\w*|seiz\w*|confiscat\w*|defus\w*|raid\w*|curfew|deport\w*)\b", re.I),
    "AGREE": re.compile(r"\b(agree\w*|deal|accord|treaty|pact|cease-?fire|truce|sign(s|ed)?)\b", re.I),
}


@dataclass
class Snippet:
    id: str
    mechanism: str
    expected: tuple[str, ...]
    principal: str | None
    disaster: bool
    text: str


@dataclass
class ChallengeScores:
    n: int
    recall: dict[str, tuple[float, int]]  # type -> (recall, snippets expecting it)
    principal: tuple[float, int]  # share of principal checks right, their number
    false_alarms: tuple[float, int]  # share of disaster reports with a CASE-type event, their number
    by_mechanism: dict[str, tuple[float, int]] = field(default_factory=dict)  # all expectations met
    misses: list[str] = field(default_factory=list)  # "id: expected X, got Y"


def read_challenge(path: str | Path = CHALLENGE) -> list[Snippet]:
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [Snippet(r["id"], r["mechanism"], tuple(t for t in r["expected"].split() if t != "-"),
                        None if r["principal"] == "-" else r["principal"], r["disaster"] == "1", r["text"])
                for r in rows]


def event_types(event: dict) -> set[str]:
    """The CASE-comparable types an event record stands for."""
    types = {str(event.get("plover") or "").upper()} - {""}
    if event.get("cameo") in AGREE_CODES:
        types.add("AGREE")
    return types


def score(snippets: Sequence[Snippet], found: Sequence[set[str]], principals: Sequence[set[str] | None] = ()) -> ChallengeScores:
    """``found``: per snippet, the types of all its events; ``principals``: the principal event's
    types (None where the scorer has no principal, the keyword baseline)."""
    hits: dict[str, list[bool]] = {}
    mech: dict[str, list[bool]] = {}
    princ: list[bool] = []
    alarms: list[bool] = []
    misses = []
    principals = list(principals) or [None] * len(snippets)
    for s, types, ptypes in zip(snippets, found, principals):
        ok = True
        for t in s.expected:
            hits.setdefault(t, []).append(t in types)
            ok &= t in types
        if s.principal is not None and ptypes is not None:
            princ.append(s.principal in ptypes)
            ok &= s.principal in ptypes
        if s.disaster:
            alarms.append(bool(types & set(CASE_TYPES)))
            ok &= not alarms[-1]
        mech.setdefault(s.mechanism, []).append(ok)
        if not ok:
            misses.append(f"{s.id}: expected {' '.join(s.expected) or 'none'}"
                          + (f" (principal {s.principal})" if s.principal else "")
                          + f", got {' '.join(sorted(types)) or 'none'}"
                          + (f" (principal {' '.join(sorted(ptypes)) or 'none'})" if ptypes is not None and s.principal else ""))

    def share(xs: list[bool]) -> tuple[float, int]:
        return (sum(xs) / len(xs) if xs else 0.0, len(xs))

    order = [*CASE_TYPES, *sorted(set(hits) - set(CASE_TYPES))]
    return ChallengeScores(len(snippets), {t: share(hits[t]) for t in order if t in hits}, share(princ), share(alarms),
                           {m: share(v) for m, v in sorted(mech.items())}, misses)


def score_records(snippets: Sequence[Snippet], records: Iterable[dict]) -> ChallengeScores:
    """Scores coded records (``newsevents code --lines`` output, one per snippet)."""
    found, principals = [], []
    for rec in records:
        events = rec.get("events", [])
        found.append(set().union(*(event_types(e) for e in events)) if events else set())
        p = next((e for e in events if e.get("principal")), None)
        principals.append(event_types(p) if p is not None else set())
    return score(snippets, found, principals)


def keyword_baseline(snippets: Sequence[Snippet]) -> ChallengeScores:
    return score(snippets, [{t for t, rx in KEYWORDS.items() if rx.search(s.text)} for s in snippets])


def evaluate_challenge(settings=None, path: str | Path = CHALLENGE) -> dict[str, ChallengeScores]:
    """The pipeline's rules (the type model off: it is measured on the gold sets) and the
    keyword baseline on the challenge set."""
    from ..events.lines import code_lines
    from ..settings import Settings

    settings = (settings or Settings()).with_(events_model="none")
    snippets = read_challenge(path)
    return {"rules": score_records(snippets, code_lines([s.text for s in snippets], settings=settings)),
            "keywords": keyword_baseline(snippets)}


__all__ = ["read_challenge", "evaluate_challenge", "keyword_baseline", "score_records", "ChallengeScores", "Snippet"]


if __name__ == "__main__":  # the misses, one a line
    for name, s in evaluate_challenge().items():
        print(f"{name}: recall " + ", ".join(f"{t} {r:.3f} ({n})" for t, (r, n) in s.recall.items())
              + f"; principal {s.principal[0]:.3f} ({s.principal[1]}); disaster false alarms {s.false_alarms[0]:.3f}")
        print("  by mechanism: " + ", ".join(f"{m} {r:.2f} ({n})" for m, (r, n) in s.by_mechanism.items()))
        if name == "rules":
            print("\n".join("  " + m for m in s.misses))
