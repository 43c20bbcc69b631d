"""Toponym candidates in a parsed article: which stretches of text may name a place.

Sources, from surest to weakest:

- GPE/LOC entities, looked up whole, else their longest capitalised sub-spans;
- NORP entities and untagged capitalised words looked up as demonyms ("Irish", "Syrian");
- place names embedded in ORG/FAC/MONEY/... names ("University of Louisville", "US dollars"),
  taken only where one reading is strong (a country, region, big admin1 or city, "X County");
- whole ORG/PERSON spans and untagged proper-noun runs that match a place: *weak* mentions,
  which :mod:`.resolve` keeps only with support from the rest of the article;
- an upper-case run opening a line is a dateline ("OKLAHOMA CITY, Okla. -").
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import ENT_TYPE, IS_TITLE, IS_UPPER, POS
from spacy.symbols import PROPN

from .gazetteer import CODES, F, Q_DEM, Q_NAME, STRONG, Gazetteer, norm

PLACE_LABELS = {"GPE", "LOC"}
EMBED_LABELS = {"ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "NORP", "MONEY"}
WEAK_LABELS = {"ORG", "PERSON", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"}
#: Single capitalised words that are also common English words, given names or surnames: never a
#: toponym on their own outside a GPE/LOC entity ("Mobile", "Reading", "Victoria", "Jordan").
GENERIC = frozenset("""of the and new old north south east west northern southern eastern western central centre
center middle upper lower inner outer greater little great grand high city county state republic province region
district islands island delta gulf coast coastal lakes lake river valley mountain mountains hills park bay harbour
harbor point beach springs falls capital border university college school church street road avenue square hall
court union united national federal royal saint st la le el al un may march june august sunday monday friday god
jesus christ mobile reading nice split bath orange victoria jordan chad lincoln jackson hamilton trump obama clinton
bush franklin madison independence liberty unity progress atlantic pacific wing hope providence concord commerce
enterprise""".split())
_ARTICLES = ("the", "a", "an")
_POSSESSIVE = ("'s", "’s", "'")


class Toponym:
    """One candidate mention: its span, its gazetteer candidates ``(row, quality)`` and, once
    resolved, the chosen row with its score."""

    __slots__ = ("start", "end", "text", "cands", "label", "weak", "key", "choice", "quality", "score",
                 "confidence")

    def __init__(self, start: int, end: int, text: str, cands, label: str, weak: bool = False):
        self.start, self.end, self.text, self.cands, self.label, self.weak = start, end, text, cands, label, weak
        self.key = norm(text)
        self.choice: int | None = None
        self.quality = 0
        self.score = 0.0
        self.confidence = 0.0

    def __repr__(self) -> str:
        return f"Toponym({self.text!r}, {self.start}, {self.label}{', weak' if self.weak else ''})"


def _trim(tokens) -> list:
    """Tokens without leading articles or punctuation and trailing possessives or punctuation."""
    toks = list(tokens)
    while toks and (toks[0].lower_ in _ARTICLES or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].lower_ in _POSSESSIVE):
        toks = toks[:-1]
    return toks


def _case_ok(text: str, key: str) -> bool:
    """Short keys (US, UK, DC, 'Ill.', 'W.Va') only from capitalised text: not 'us', 'ill'."""
    if len(key) <= 3:
        return text[:1].isupper() and (text.replace(".", "").replace(" ", "").isupper() or "." in text)
    return True


def _lookup(gaz: Gazetteer, text: str, allow_dem: bool = True, keep=None):
    if not _case_ok(text, norm(text)):
        return ()
    c = gaz.lookup(text, allow_dem=allow_dem)
    return tuple(x for x in c if keep(x)) if keep is not None else c


def _subspans(gaz: Gazetteer, toks, body: str, accept, allow_dem: bool, label: str, weak: bool = False,
              generic_ok: bool = False) -> list[Toponym]:
    """Longest-first, non-overlapping matches of capitalised n-grams (n <= 5) inside ``toks``.

    ``accept(cand, key)``, when given, must hold for one reading of an n-gram for it to count;
    every reading is then kept so that context can choose."""
    out = []
    i, n = 0, len(toks)
    while i < n:
        found = None
        if toks[i].text[:1].isupper():
            for j in range(min(n, i + 5), i, -1):
                last = toks[j - 1]
                if last.is_punct or not (last.text[:1].isupper() or last.lower_ in ("of", "de", "upon")):
                    continue
                s, e = toks[i].idx, last.idx + len(last.text)
                text = body[s:e]
                if j - i == 1 and not generic_ok and norm(text) in GENERIC:
                    continue
                c = _lookup(gaz, text, allow_dem)
                if accept is not None and not any(accept(x, norm(text)) for x in c):
                    c = ()
                if c:
                    found = (j, Toponym(s, e, text, c, label, weak))
                    break
        if found:
            out.append(found[1])
            i = found[0]
        else:
            i += 1
    return out


def dateline_mention(gaz: Gazetteer, dateline: str) -> Toponym | None:
    """The place of a dateline that ingest took out of the body ("MOSCOW, Jan 13 (Reuters)",
    "SPRINGFIELD, Ill."), as a zero-width mention at offset 0 (no text of the body names it).
    A second part naming a country or admin1 narrows the readings to the places inside it."""
    parts = [p.strip() for p in dateline.split(",") if p.strip()]
    if not parts:
        return None
    name = parts[0].title() if parts[0].isupper() else parts[0]  # MOSCOW -> Moscow
    cands = tuple(x for x in gaz.lookup(name, allow_dem=False) if x[1] != Q_DEM)
    if not cands:
        return None
    if len(parts) > 1:
        within = gaz.lookup(parts[1], allow_dem=False)
        countries = {int(gaz.country[j]) for j, _ in within if CODES[gaz.feature[j]] == "PCLI"}
        admin1 = {j for j, _ in within if CODES[gaz.feature[j]] == "ADM1"}
        inside = tuple(x for x in cands if int(gaz.country[x[0]]) in countries or gaz.admin1_of(x[0]) in admin1)
        cands = inside or cands
    m = Toponym(0, 0, "", cands, "dateline")
    m.key = norm(name)
    return m


def _dateline(run, body: str) -> bool:
    """An upper-case run opening a line: 'OKLAHOMA CITY, Okla. -'."""
    first = run[0]
    return all(t.text.isupper() for t in run) and len(first.text) > 2 and (
        first.idx == 0 or "\n" in body[max(0, first.idx - 3):first.idx])


def extract(gaz: Gazetteer, body: str, parse, scan_outside: bool = True, weak: bool = True) -> list[Toponym]:
    """Toponym candidates of a spaCy Doc over ``body``, in text order."""
    def strong(x, k=""):
        return gaz.is_strong(x[0], x[1], k)

    def strong_nodem(x, k=""):
        return gaz.is_strong(x[0], x[1], k) and x[1] != Q_DEM

    def primary(x, k=""):
        return x[1] == Q_NAME

    out: list[Toponym] = []
    covered: set[int] = set()
    surnames = {ent[-1].lower_ for ent in parse.ents if ent.label_ == "PERSON" and len(ent) > 1}
    for ent in parse.ents:
        label = ent.label_
        covered.update(range(ent.start, ent.end))
        toks = _trim(ent)
        if not toks:
            continue
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        text = body[s:e]
        key = norm(text)
        single = len(toks) == 1
        got: list[Toponym] = []
        if label in PLACE_LABELS:
            c = _lookup(gaz, text)
            if single and toks[0].lower_ in surnames:  # 'Machado' after 'Alicia Machado'
                c = tuple(x for x in c if strong_nodem(x))
            if c:
                got = [Toponym(s, e, text, c, label)]
            else:
                got = _subspans(gaz, toks, body, None, True, label)
        else:
            c = ()
            if label == "NORP":
                c = _lookup(gaz, text, True, lambda x: x[1] == Q_DEM or gaz.code(x[0]) in STRONG)
            elif label in ("FAC", "ORG", "PERSON"):
                c = _lookup(gaz, text, True)
                c = c if any(strong_nodem(x, key) for x in c) else ()
                if not c and single and toks[0].lower_ not in surnames:
                    c = _lookup(gaz, text, True, lambda x: x[1] == Q_DEM)
            if c and not (single and key in GENERIC):
                got = [Toponym(s, e, text, c, label)]
            elif label in EMBED_LABELS:
                got = _subspans(gaz, toks, body, strong, True, "in-" + label)
            if not got and weak and label in WEAK_LABELS and len(toks) <= 4 and \
                    not (label == "PERSON" and single and toks[-1].lower_ in surnames):
                c = _lookup(gaz, text, False, primary)
                if c and key not in GENERIC:
                    got = [Toponym(s, e, text, c, label, weak=True)]
        out.extend(got)
    if scan_outside:
        out.extend(_scan(gaz, body, parse, covered, strong_nodem, primary, weak, out))
    out.extend(_comma_pairs(gaz, body, parse, out))
    out.sort(key=lambda m: m.start)
    return out


_CONTAINERS = (F["ADM1"], F["PCLI"])


def _run_text(body: str, toks) -> str:
    return body[toks[0].idx:toks[-1].idx + len(toks[-1].text)]


def _comma_pairs(gaz: Gazetteer, body: str, parse, found: list[Toponym]) -> list[Toponym]:
    """Both sides of "A, B" where B names a state, province or country (its name, an abbreviation
    such as "W.Va." or a postal code such as "TX") and A a place inside it, whatever the NER said:
    a town named like a person ("Jackson, Miss.") or a common word is decided by this context,
    not dropped. Returns the sides not already found."""
    taken = [(m.start, m.end) for m in found]

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    out = []
    n = len(parse)
    for k in [t.i for t in parse if t.text == "," and 0 < t.i < n - 1]:
        inner = None
        for j in (3, 2, 1):  # B: the longest run after the comma naming an admin1 or a country
            toks = parse[k + 1:min(n, k + 1 + j)]
            if not toks[0].text[:1].isupper() or any(t.is_space or t.text == "," for t in toks):
                continue
            text = _run_text(body, toks)
            if toks[-1].i + 1 < n and parse[toks[-1].i + 1].text == "." and "." in text and \
                    parse[toks[-1].i + 1].idx == toks[-1].idx + len(toks[-1].text):
                text += "."  # "W.Va" "." -> "W.Va."
            inner = tuple(x for x in _lookup(gaz, text, False) if gaz.feature[x[0]] in _CONTAINERS)
            if inner:
                b = Toponym(toks[0].idx, toks[0].idx + len(text), text, inner, "pair")
                break
        if not inner:
            continue
        countries = {int(gaz.country[j]) for j, _ in inner if gaz.feature[j] == F["PCLI"]}
        admin1 = {j for j, _ in inner if gaz.feature[j] == F["ADM1"]}
        for j in (4, 3, 2, 1):  # A: the longest capitalised run before the comma with a reading inside B
            toks = parse[max(0, k - j):k]
            if len(toks) < j or not all(t.text[:1].isupper() for t in toks) or \
                    any(t.ent_type_ == "PERSON" and t.ent_iob_ == "I" for t in toks[:1]):
                continue
            text = _run_text(body, toks)
            cands = tuple(x for x in _lookup(gaz, text, False) if x[1] != Q_DEM)
            if any(int(gaz.country[i]) in countries or gaz.admin1_of(i) in admin1 for i, _ in cands
                   if gaz.feature[i] not in _CONTAINERS):
                for m in (Toponym(toks[0].idx, toks[0].idx + len(text), text, cands, "pair"), b):
                    if free(m.start, m.end):
                        out.append(m)
                        taken.append((m.start, m.end))
                break
    return out


def _scan(gaz, body, parse, covered, strong_nodem, primary, weak, found) -> list[Toponym]:
    """Untagged proper-noun runs and adjectival demonyms the NER missed.

    Token attributes are read as one array, so only the few candidate tokens become Token objects."""
    attrs = parse.to_array([POS, ENT_TYPE, IS_TITLE, IS_UPPER])
    out = []
    run: list = []
    for i in [*np.flatnonzero(attrs[:, 0] == PROPN).tolist(), -1]:
        t = parse[i] if i >= 0 and i not in covered else None
        if t is not None and t.text[:1].isupper() and (not run or run[-1].i == i - 1):
            run.append(t)
            continue
        if run:
            got = _subspans(gaz, run, body, strong_nodem, False, "untagged")
            if not got and weak:
                got = _subspans(gaz, run, body, primary, False, "untagged", weak=not _dateline(run, body))
            out.extend(got)
            run = [t] if t is not None and t.text[:1].isupper() else []
    taken = found + out
    cased = (attrs[:, 1] == 0) & ((attrs[:, 2] != 0) | (attrs[:, 3] != 0))
    for i in np.flatnonzero(cased).tolist():
        if i in covered:
            continue
        t = parse[i]
        c = tuple(x for x in gaz.get(norm(t.text)) if x[1] == Q_DEM)
        if c and not any(m.start <= t.idx < m.end for m in taken):
            out.append(Toponym(t.idx, t.idx + len(t.text), t.text, c, "untagged"))
    return out
