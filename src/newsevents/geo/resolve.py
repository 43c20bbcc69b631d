"""Choosing one place per toponym from the article's context.

Each candidate scores its prior (population and feature, :mod:`.gazetteer`) plus:

- ``W_COUNTRY`` x the share of the article's other toponyms in its country (the dominant country);
- ``W_NEIGH`` x the largest share in one neighbouring country (Georgia next to Ukraine and Russia);
- ``W_ADMIN1`` x (1 - 0.5^k) for k other places in its admin1 (Atlanta makes Georgia the state);
- ``W_PAIR`` for "A, B" where B is A's admin1 or country ("Paris, Texas", "Springfield, Ill.").

One sense per name per article: the scores of a name's mentions are summed and the best place
taken for all of them. Three passes, each using the previous pass's choices as context. The
weights were set by reasoning and a coarse check: a 24-setting sweep moved GeoWebNews by at most
+-0.003 (docs/places.md).
"""

from __future__ import annotations

import math

from collections import defaultdict

from .gazetteer import F, Q_ALT, STRONG, Gazetteer, haversine
from .mentions import Toponym

W_COUNTRY = 3.0
W_NEIGH = 1.0
W_ADMIN1 = 3.0
W_PAIR = 6.0
ALT_PENALTY = 2.5  # alternate names (Kiev, Bombay) are weaker evidence than the place's own name
SAME_NAME_ADMIN = 1.5  # an admin unit named like a big city inside it ('New York', 'Geneva') yields to the city
# A weak mention (an ORG/PERSON/untagged name that matches a place) is kept when the article is at
# least this much about its country and the place is a town of this size or its admin1 is named.
WEAK_MIN_SHARE = 0.3
WEAK_MIN_POP = 20_000
ITERATIONS = 3


def _containers(gaz: Gazetteer, i: int) -> tuple[int, int]:
    """(country index, admin1 row) implied by choosing row ``i``."""
    return int(gaz.country[i]), gaz.admin1_of(i)


def pairs(body: str, mentions: list[Toponym]) -> dict[int, Toponym]:
    """id(A) -> B for each "A, B" in the text ("Paris, Texas")."""
    out = {}
    for a, b in zip(mentions, mentions[1:]):
        gap = body[a.end:b.start]
        if gap.strip() == "," and len(gap) <= 3:
            out[id(a)] = b
    return out


def resolve(gaz: Gazetteer, body: str, mentions: list[Toponym], context: bool = True) -> list[Toponym]:
    """Set ``choice``, ``score`` and ``confidence`` on each mention; return those kept."""
    if not mentions:
        return mentions
    pair_next = pairs(body, mentions)
    sure_keys = {m.key for m in mentions if not m.weak}
    groups: dict[str, list[Toponym]] = defaultdict(list)
    for m in mentions:
        groups[m.key].append(m)
    adm1, adm2 = F["ADM1"], F["ADM2"]

    def score(m, i, q, cctx, actx, total, own_c, own_a):
        s = float(gaz.prior[i]) - (ALT_PENALTY if q == Q_ALT else 0.0)
        c, a1 = _containers(gaz, i)
        f = gaz.feature[i]
        if (f == adm1 and any(gaz.a1[j] == i and gaz.pop[j] >= 100_000 and qj == 0 for j, qj in m.cands)) or \
                (f == adm2 and any(gaz.a2[j] == i and gaz.pop[j] >= 100_000 and qj == 0 for j, qj in m.cands)):
            s -= SAME_NAME_ADMIN
        if not context:
            return s
        if total > 0:
            if c:
                s += W_COUNTRY * (cctx.get(c, 0) - own_c.get(c, 0)) / total
                nb = gaz.neighbour_index.get(c)
                if nb:
                    s += W_NEIGH * max(cctx.get(x, 0) - own_c.get(x, 0) for x in nb) / total
            if a1 >= 0:
                # own_a comes from this round's choices and actx from the last round's, so their
                # difference can dip below zero: clamp, or 0.5 ** -n explodes
                s += W_ADMIN1 * (1 - 0.5 ** max(0.0, actx.get(a1, 0) - own_a.get(a1, 0)))
        b = pair_next.get(id(m))
        if b is not None:
            for j, _ in b.cands:
                if j == i:
                    continue
                if (gaz.feature[j] == F["PCLI"] and gaz.country[j] == c) or (gaz.feature[j] == adm1 and a1 == j):
                    s += W_PAIR
                    break
        return s

    cctx: dict[int, float] = {}
    actx: dict[int, float] = {}
    total = 0
    for it in range(ITERATIONS if context else 1):
        for ms in groups.values():
            own_c: dict[int, float] = defaultdict(float)
            own_a: dict[int, float] = defaultdict(float)
            if it > 0:  # a name is not its own context
                for m in ms:
                    c, a1 = _containers(gaz, m.choice)
                    own_c[c] += 1
                    if a1 >= 0:
                        own_a[a1] += 1
            agg: dict[tuple[int, int], float] = defaultdict(float)
            for m in ms:
                for i, q in m.cands:
                    agg[(i, q)] += score(m, i, q, cctx, actx, total, own_c, own_a)
            # highest score, ties to the more populous place; a NaN score (no evidence) ranks last
            (best_i, best_q), best_s = max(
                agg.items(), key=lambda kv: (kv[1] if kv[1] == kv[1] else -math.inf, gaz.pop[kv[0][0]]))
            if best_s != best_s:
                best_s = -1e9
            conf = confidence_of(gaz, best_i, best_s / len(ms), [(i, s / len(ms)) for (i, _), s in agg.items()])
            for m in ms:
                m.choice, m.quality, m.score, m.confidence = best_i, best_q, best_s / len(ms), conf
        cctx, actx, total = defaultdict(float), defaultdict(float), 0
        for m in mentions:
            if m.weak and m.key not in sure_keys:
                continue
            c, a1 = _containers(gaz, m.choice)
            if c:
                cctx[c] += 1
            if a1 >= 0:
                actx[a1] += 1
            total += 1
    out = []
    for m in mentions:
        if m.weak and m.key not in sure_keys:
            c, a1 = _containers(gaz, m.choice)
            share = cctx.get(c, 0) / total if total else 0
            if not (gaz.code(m.choice) in STRONG or (
                    share >= WEAK_MIN_SHARE and (gaz.pop[m.choice] >= WEAK_MIN_POP or actx.get(a1, 0) > 0))):
                continue
            m.confidence *= 0.7
        out.append(m)
    return out


def confidence_of(gaz: Gazetteer, best: int, best_score: float, scored: list[tuple[int, float]]) -> float:
    """Softmax share of the chosen reading against the readings that would put the toponym
    elsewhere (another country, or more than 161 km away): Geneva the city and Geneva the canton
    do not compete. Scores are in log10-population units (a margin of 1 = 10:1 prior odds)."""
    z = 0.0
    for i, s in scored:
        if i != best and (gaz.country[i] != gaz.country[best] or
                          haversine(gaz.lat[i], gaz.lon[i], gaz.lat[best], gaz.lon[best]) > 161):
            z += 10 ** min(50.0, s - best_score)
    return round(min(0.95, 1 / (1 + z)), 3)
