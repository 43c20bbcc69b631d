"""Rule- and parse-based coreference over actor mentions.

No model download and no learned weights: a few ordered rules over the spaCy parse, each
named (the name lands in ``Mention.rule``) and each tested on its own:

- ``same-actor``: mentions of the same dictionary actor ("NATO" ... "NATO"; "the Alliance"
  once the actor stage has read it as NATO).
- ``surname``: a person's last name after their full name ("Dmitry Peskov" ... "Peskov").
- ``acronym``: an organisation's initials after its name ("Nigerian Air Force (NAF)").
- ``apposition``: "Zabihullah Mujahid, the Taliban spokesman".
- ``role-description``: a title or role description to the last person holding that role
  ("Kremlin spokesman Dmitry Peskov" ... "the speaker of the President of the Russian Federation").
- ``definite-description``: "the government", "the army", "the group" to the last actor of that
  sector named nearby ("Syria's army ... the army").
- ``state-government``: a country acting in an article that names its government joins it
  ("the Kremlin" ... "Russia hopes").
- ``pronoun``: he/she/they/it to the nearest compatible earlier mention, subjects first, within
  a few sentences; a pronoun attributing a quote ('"...", - he said') looks before the quote.

Mentions are any objects with the attributes of ``newsevents.actors.find.Coded``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc

from ..vocab import INSTITUTIONAL_SECTORS
from . import sentence_numbers

#: Role nouns that name the same office ("the speaker of the President" is a spokesperson).
ROLE_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "speaker": "spokesperson",
    "press secretary": "spokesperson", "defense minister": "defence minister",
    "defense secretary": "defence minister", "defence secretary": "defence minister",
    "foreign secretary": "foreign minister", "secretary of state": "foreign minister",
    "premier": "prime minister", "vice-president": "vice president",
}
SCAN = 300  # mentions the name rules look back over (keeps long articles linear)
PRONOUN_WINDOW = 3  # sentences searched back for a pronoun's antecedent (news pronouns rarely reach further)
DESCRIPTION_WINDOW = 8  # sentences searched back for a role description's person
_QUOTE_MARKS = frozenset('"“”«»')
_NOT_INITIALS = {"The", "A", "An"}
_ATTRIBUTION_GAP = {",", "-", "–", "—", "--", "'", "’"}


def normalise_role(role: str | None) -> str | None:
    if not role:
        return None
    role = role.lower().removeprefix("former ")
    return ROLE_SYNONYMS.get(role, role)


def quote_regions(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges inside paired double quotes (opening mark index, closing mark index)."""
    marks = [t.i for t in doc if t.text in _QUOTE_MARKS]
    return [(marks[k], marks[k + 1]) for k in range(0, len(marks) - 1, 2)]


def _inside(i: int, regions: list[tuple[int, int]]) -> tuple[int, int] | None:
    for a, b in regions:
        if a < i < b:
            return a, b
    return None


def _attributed_quote(doc: Doc, i: int, regions: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The quote a pronoun at ``i`` attributes ('"...", - he said'), if any."""
    j = i - 1
    while j >= 0 and (doc[j].text in _ATTRIBUTION_GAP or doc[j].is_space):
        j -= 1
    for a, b in regions:
        if b == j:
            return a, b
    return None


def _is_subject(tok) -> bool:
    while tok.dep_ == "conj":
        tok = tok.head
    return tok.dep_ in {"nsubj", "nsubjpass"} or (tok.dep_ == "pobj" and tok.head.dep_ == "agent")


def _compatible(pron, cand: tuple) -> bool:
    ctype, gender, number = cand
    if pron.number == "sg":
        if ctype != "person" or number == "pl":
            return False
        return not (pron.gender and gender and pron.gender != gender)
    if pron.number == "pl":
        return ctype in {"group", "organization", "country"} or number == "pl"
    return ctype in {"organization", "country"} and number != "pl"


def resolve(doc: Doc, mentions: Sequence[Any]) -> list[tuple[int | None, str]]:
    """For each mention (in text order), the index of its antecedent and the rule that linked them."""
    sent_of = sentence_numbers(doc)
    regions = quote_regions(doc)
    links: list[tuple[int | None, str]] = []
    by_key: dict[str, int] = {}
    # what each mention is, as far as pronouns care; a resolved pronoun takes its antecedent's
    info: list[tuple | None] = []
    for i, m in enumerate(mentions):
        link = _link(doc, mentions, i, m, by_key, sent_of, regions, info)
        links.append(link)
        if m.kind == "pronoun":
            info.append(info[link[0]] if link[0] is not None else None)
        else:
            info.append((m.type, m.gender, m.number))
        if m.key and m.key not in by_key:
            by_key[m.key] = i
    # a country acting where its government is named joins that government (either direction)
    gov = {}
    for i, m in enumerate(mentions):
        if m.country and m.sector == "GOV" and m.type != "person":
            gov.setdefault(m.country, i)
    for i, m in enumerate(mentions):
        if links[i][0] is None and m.type == "country" and m.sector is None and m.country in gov and gov[m.country] != i:
            links[i] = (gov[m.country], "state-government")
    return links


def _link(doc, mentions, i, m, by_key, sent_of, regions, info) -> tuple[int | None, str]:
    if m.kind == "pronoun":
        return _pronoun(doc, mentions, i, m, sent_of, regions, info)
    if m.key and m.key in by_key:
        return by_key[m.key], "same-actor"
    if m.type == "person" and m.kind == "name":
        last = m.name.split()[-1]
        for j in range(i - 1, max(-1, i - 1 - SCAN), -1):
            c = mentions[j]
            if c.type == "person" and c.kind == "name" and c.name != m.name and c.name.split()[-1] == last \
                    and len(c.name.split()) > len(m.name.split()):
                return j, "surname"
    if m.kind == "name" and m.name.isupper() and 2 <= len(m.name) <= 6:
        for j in range(i - 1, max(-1, i - 1 - SCAN), -1):
            c = mentions[j]
            initials = "".join(w[0] for w in c.name.split() if w[:1].isupper() and w not in _NOT_INITIALS)
            if c.kind in {"name", "nominal"} and c.type in {"organization", "group"} and initials == m.name:
                return j, "acronym"
    head = doc[m.head]
    if head.dep_ == "appos":
        for j in range(i - 1, -1, -1):
            if mentions[j].head == head.head.i:
                return j, "apposition"
    if m.kind in {"nominal", "title"} and m.type == "person" and m.role:
        role = normalise_role(m.role)
        for j in range(i - 1, -1, -1):
            c = mentions[j]
            if sent_of[m.head] - sent_of[c.head] > DESCRIPTION_WINDOW:
                break
            if c.type == "person" and c.kind == "name" and normalise_role(c.role) == role \
                    and (not m.country or not c.country or m.country == c.country):
                return j, "role-description"
    if m.kind == "nominal" and m.type in {"organization", "group"} and not m.country and _definite_bare(head):
        # the most talked-about such actor nearby, the latest on a tie ("the regime" in an article
        # about Syria is the Syrian government even just after "Russia")
        found: dict[str, list[int]] = {}
        verbs = set(t.i for t in head.ancestors)
        own_subjects = {(c.code or c.name) for c in mentions[max(0, i - SCAN):i]
                        if _is_subject(doc[c.head]) and doc[c.head].head.i in verbs}
        for j in range(i - 1, max(-1, i - 1 - SCAN), -1):
            c = mentions[j]
            if sent_of[m.head] - sent_of[c.head] > DESCRIPTION_WINDOW:
                break
            if c.kind == "pronoun" or c.type == "person" or c.rule.startswith("anaphor"):
                continue
            if not (c.kind in {"name", "metonym"} or c.country or (c.code or "").startswith(("IGO", "NGO", "IMG"))):
                continue  # only an actor someone could name: not "the victims" -> "the families"
            if (c.code or c.name) in own_subjects:
                continue  # "The UK stands with the government": a clause's subject is not its object
            if (m.sector in INSTITUTIONAL_SECTORS and c.sector == m.sector) or (not m.sector and c.type in {"organization", "group"}):
                found.setdefault(c.code or c.name, []).append(j)
        if found:
            counts = {k: sum(1 for c in mentions[max(0, i - SCAN):i] if (c.code or c.name) == k) for k in found}
            best = max(found, key=lambda k: (counts[k], found[k][0]))
            return found[best][0], "definite-description"
    return None, ""


def _definite_bare(tok) -> bool:
    """ "the government", "the group": a definite noun with nothing saying whose it is."""
    return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts) \
        and not any(c.dep_ in {"amod", "compound", "poss", "nmod"} for c in tok.lefts) \
        and not any(c.dep_ == "prep" and c.lower_ in {"of", "in", "for"} for c in tok.rights)


def _pronoun(doc, mentions, i, m, sent_of, regions, info) -> tuple[int | None, str]:
    own = _inside(m.head, regions)
    if own is not None:
        return None, ""  # inside a quote "he" is someone the speaker talks about: too risky
    quote = _attributed_quote(doc, m.head, regions)
    before = quote[0] if quote else m.head
    sent = sent_of[before]
    best, best_score = None, None
    for j in range(i - 1, -1, -1):
        c = mentions[j]
        if c.head >= before or c.start >= m.start:
            continue
        if _inside(c.head, regions):
            continue
        dist = sent - sent_of[c.head]
        if dist > PRONOUN_WINDOW:
            break
        if info[j] is None or not _compatible(m, info[j]):
            continue
        # "it" is as often an event or a clause as an actor: only an acting subject nearby counts
        if m.number == "it" and (dist > 1 or (dist == 1 and not _is_subject(doc[c.head]))):
            continue
        # same sentence: a pronoun subject does not corefer with the object of its own verb
        if dist == 0 and doc[c.head].head.i == doc[m.head].head.i and doc[m.head].dep_ in {"nsubj", "nsubjpass"}:
            continue
        score = (dist, 0 if _is_subject(doc[c.head]) else 1, -c.start)
        if best_score is None or score < best_score:
            best, best_score = j, score
    return (best, "pronoun") if best is not None else (None, "")
