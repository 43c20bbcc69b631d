"""A learned ranker over each toponym's candidate places, in the context of its article.

The rule resolver (:mod:`.resolve`) picks a first place for every name and decides which weak
mentions to keep. Each candidate of each name then gets a feature vector describing it against
the *other* names' first picks (their share in its country or a neighbour, in its admin1/admin2,
whether it contains them, its distance to the nearest and the median of them, an "A, B"
container pair) and its own prior (population, feature class, capital, alternate name or
demonym, exact name); the rule resolver's own scores are deliberately not features, so the
weights are learned from the data rather than copied from the rules. A logistic regression over
those features (trained by ``newsevents train geo`` on GeoWebNews and GeoVirus, weights in
``data/geo/ranker.json``) scores every candidate; the name takes its best-scoring candidate (one
sense per name per article). "A, B" ("Paris, Texas") is a constraint: when a reading lies inside
the named container, the others are out.

``newsevents evaluate geo`` scores each gold set with a ranker trained on the other set only.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..data import data_path
from ..errors import ModelError
from .gazetteer import CODES, EARTH_KM, F, Q_ALT, Q_DEM, Gazetteer, norm
from .mentions import Toponym
from .resolve import ALT_PENALTY, confidence_of, pairs

RANKER_FILE = "ranker.json"
FAR_KM = 20_000.0  # distance when there is no other place to measure against
_IS_REGION = np.isin(np.arange(len(CODES)), [F[c] for c in ("RGN", "H", "T", "S", "L")])  # by feature index

#: Names of the feature columns, in order (the weights file repeats them and loading checks it).
FEATURE_NAMES: tuple[str, ...] = (
    "prior", "prior_gap", "log_pop", "is_country", "is_admin1", "is_admin2", "is_capital", "is_town",
    "is_continent", "is_region", "alt_name", "demonym", "exact_name", "country_share", "neighbour_share",
    "same_admin1", "same_admin2", "container_pair", "contains_others", "log_km_nearest", "log_km_nearest_gap",
    "log_km_median", "log_candidates", "no_context",
)


@dataclass
class NameGroup:
    """Every mention of one name in one article, its candidate rows and their features."""

    key: str
    mentions: list[Toponym]
    rows: np.ndarray
    quality: np.ndarray
    X: np.ndarray
    rule_choice: int  # index (into rows) of the rule resolver's choice
    rule_confidence: float
    label: int = -1  # index (into rows) of the gold place, set by training code


@dataclass
class Ranker:
    """Standardised logistic regression weights over :data:`FEATURE_NAMES`."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict = field(default_factory=dict)

    def logits(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean) / self.scale) @ self.coef + self.intercept

    def to_json(self) -> dict:
        return {"features": list(FEATURE_NAMES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, **self.meta}

    @classmethod
    def from_json(cls, d: dict, where: str = "") -> Ranker:
        if d.get("features") != list(FEATURE_NAMES):
            raise ModelError(f"{where}: the ranker's features {d.get('features')} are not this version's "
                             f"{list(FEATURE_NAMES)}; rebuild it with `newsevents train geo`")
        meta = {k: v for k, v in d.items() if k not in ("features", "mean", "scale", "coef", "intercept")}
        return cls(np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]), meta)


_PAIR_COLUMN = FEATURE_NAMES.index("container_pair")
_LOCK = threading.Lock()
_RANKER: Ranker | None = None


def load_ranker(path: str | Path | None = None) -> Ranker:
    """The shipped ranker (read once per process), or the one at ``path``."""
    global _RANKER
    if path is not None:
        return _read(Path(path))
    if _RANKER is None:
        with _LOCK:
            if _RANKER is None:
                _RANKER = _read(data_path("geo", RANKER_FILE))
    return _RANKER


def _read(path: Path) -> Ranker:
    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the place ranker {path}: {exc}; rebuild it with `newsevents train geo`") from exc
    return Ranker.from_json(d, str(path))


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def _km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle km between unit vectors ``a`` (n, 3) and ``b`` (m, 3): an (n, m) matrix."""
    return EARTH_KM * np.arccos(np.clip(a @ b.T, -1.0, 1.0))


def name_groups(gaz: Gazetteer, body: str, mentions: list[Toponym]) -> list[NameGroup]:
    """One :class:`NameGroup` per name of ``mentions`` (resolved by the rule resolver), with features
    measured against the other names' current choices."""
    groups: dict[str, list[Toponym]] = defaultdict(list)
    for m in mentions:
        groups[m.key].append(m)
    pair_next = pairs(body, mentions)
    chosen = {key: ms[0].choice for key, ms in groups.items()}
    out = []
    for key, ms in groups.items():
        best_q: dict[int, int] = {}
        for m in ms:
            for i, q in m.cands:
                if i not in best_q or q < best_q[i]:
                    best_q[i] = q
        rows = np.fromiter(best_q, dtype=np.int64, count=len(best_q))
        quality = np.fromiter(best_q.values(), dtype=np.int64, count=len(best_q))
        others = np.array([c for k, c in chosen.items() if k != key], dtype=np.int64)
        weights = np.array([len(groups[k]) for k in chosen if k != key], dtype=np.float64)
        # a name with one reading has nothing to rank: no features (training skips it too)
        X = _features(gaz, key, ms, rows, quality, others, weights, pair_next) if len(rows) > 1 else \
            np.zeros((1, len(FEATURE_NAMES)))
        out.append(NameGroup(key, ms, rows, quality, X, int(np.flatnonzero(rows == ms[0].choice)[0]),
                             ms[0].confidence))
    return out


def _features(gaz: Gazetteer, key, ms, rows, quality, others, weights, pair_next) -> np.ndarray:
    n = len(rows)
    feat = gaz.feature[rows]
    pop = gaz.pop[rows]
    prior = gaz.prior[rows] - np.where(quality == Q_ALT, ALT_PENALTY, 0.0)
    country = gaz.country[rows].astype(np.int64)
    a1 = np.where(feat == F["ADM1"], rows, gaz.a1[rows])
    a2 = np.where(feat == F["ADM2"], rows, gaz.a2[rows])
    X = np.zeros((n, len(FEATURE_NAMES)))
    col = {name: j for j, name in enumerate(FEATURE_NAMES)}
    X[:, col["prior"]] = prior
    X[:, col["prior_gap"]] = prior - prior.max()
    X[:, col["log_pop"]] = np.log10(pop + 1.0)
    X[:, col["is_country"]] = feat == F["PCLI"]
    X[:, col["is_admin1"]] = feat == F["ADM1"]
    X[:, col["is_admin2"]] = feat == F["ADM2"]
    X[:, col["is_capital"]] = feat == F["PPLC"]
    X[:, col["is_town"]] = feat == F["PPL"]
    X[:, col["is_continent"]] = feat == F["CONT"]
    X[:, col["is_region"]] = _IS_REGION[feat]
    X[:, col["alt_name"]] = quality == Q_ALT
    X[:, col["demonym"]] = quality == Q_DEM
    X[:, col["exact_name"]] = [norm(gaz.name(int(i))) == key for i in rows]
    X[:, col["log_candidates"]] = math.log10(n)
    # the "A, B" pattern: B is A's country or admin1 ("Paris, Texas", "Springfield, Ill.")
    for m in ms:
        b = pair_next.get(id(m))
        if b is None:
            continue
        b_rows = np.array([j for j, _ in b.cands], dtype=np.int64)
        b_countries = gaz.country[b_rows[gaz.feature[b_rows] == F["PCLI"]]]
        b_admin1 = b_rows[gaz.feature[b_rows] == F["ADM1"]]
        X[:, col["container_pair"]] = np.maximum(X[:, col["container_pair"]], (
            np.isin(country, b_countries) | np.isin(a1, b_admin1)) & ~np.isin(rows, b_rows))
    if len(others):
        total = weights.sum()
        o_country = gaz.country[others].astype(np.int64)
        o_feat = gaz.feature[others]
        o_a1 = np.where(o_feat == F["ADM1"], others, gaz.a1[others])
        o_a2 = np.where(o_feat == F["ADM2"], others, gaz.a2[others])
        same_country = (country[:, None] == o_country[None, :]) & (country[:, None] != 0)
        X[:, col["country_share"]] = (same_country * weights).sum(1) / total
        by_country: dict[int, float] = defaultdict(float)
        for c, w in zip(o_country.tolist(), weights.tolist()):
            by_country[c] += w
        X[:, col["neighbour_share"]] = [max((by_country.get(x, 0.0) for x in gaz.neighbour_index.get(c, ())),
                                            default=0.0) / total for c in country.tolist()]
        same_a1 = ((a1[:, None] == o_a1[None, :]) & (a1[:, None] >= 0)).astype(float) @ weights
        same_a2 = ((a2[:, None] == o_a2[None, :]) & (a2[:, None] >= 0)).astype(float) @ weights
        X[:, col["same_admin1"]] = 1 - 0.5 ** same_a1
        X[:, col["same_admin2"]] = 1 - 0.5 ** same_a2
        # a country or admin1 holding the other places ("Georgia" among Atlanta and Savannah)
        holds = np.where(feat == F["PCLI"], (same_country * weights).sum(1),
                         np.where(feat == F["ADM1"], (rows[:, None] == o_a1[None, :]).astype(float) @ weights, 0.0))
        X[:, col["contains_others"]] = 1 - 0.5 ** holds
        ok = ~np.isnan(gaz.lat[others])
        cand_ok = ~np.isnan(gaz.lat[rows])
        if ok.any():
            km = np.full((n, int(ok.sum())), FAR_KM)
            km[cand_ok] = _km(_xyz(gaz.lat[rows[cand_ok]], gaz.lon[rows[cand_ok]]),
                              _xyz(gaz.lat[others[ok]], gaz.lon[others[ok]]))
            log_km = np.log10(1.0 + km)
            X[:, col["log_km_nearest"]] = log_km.min(1)
            # the median by sorting: np.median's generic machinery costs more than the sort on these sizes
            srt = np.sort(log_km, axis=1)
            half = srt.shape[1] // 2
            X[:, col["log_km_median"]] = srt[:, half] if srt.shape[1] % 2 else (srt[:, half - 1] + srt[:, half]) / 2
        else:
            X[:, col["log_km_nearest"]] = X[:, col["log_km_median"]] = math.log10(1 + FAR_KM)
        X[:, col["log_km_nearest_gap"]] = X[:, col["log_km_nearest"]] - X[:, col["log_km_nearest"]].min()
    else:
        X[:, col["no_context"]] = 1.0
        X[:, col["log_km_nearest"]] = X[:, col["log_km_median"]] = math.log10(1 + FAR_KM)
    return X


def choose(gaz: Gazetteer, groups: list[NameGroup], ranker: Ranker | None) -> None:
    """Set each mention's ``choice``, ``quality`` and ``confidence`` from ``ranker``'s scores
    (``None``: the rule resolver's choice stays)."""
    for g in groups:
        if ranker is None or len(g.rows) == 1:
            best = g.rule_choice
            logits = None
        else:
            logits = ranker.logits(g.X)
            # "Paris, Texas" says which Paris: a reading inside the named container is a constraint, not
            # a hint (the pattern is too rare in the gold for its learned weight to say so)
            pair = g.X[:, _PAIR_COLUMN] > 0
            if pair.any():
                logits = np.where(pair, logits, -np.inf)
            best = int(np.argmax(logits))
        i = int(g.rows[best])
        # logits are natural-log odds; confidence_of reads scores in log10 units
        conf = g.rule_confidence if logits is None else confidence_of(
            gaz, i, float(logits[best]) / math.log(10), [(int(r), float(s) / math.log(10)) for r, s in zip(g.rows, logits)])
        if logits is not None and all(m.weak for m in g.mentions):  # kept on context alone
            conf = round(conf * 0.7, 3)
        for m in g.mentions:
            m.choice, m.quality, m.confidence = i, int(g.quality[best]), conf


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fit(groups: list[NameGroup], C: float = 1.0, meta: dict | None = None) -> Ranker:
    """A logistic regression over the candidates of labelled groups (the gold candidate 1, the
    others 0). Groups without a gold candidate or with one candidate teach nothing and are skipped."""
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for g in groups:
        if g.label < 0 or len(g.rows) < 2:
            continue
        X.append(g.X)
        lab = np.zeros(len(g.rows))
        lab[g.label] = 1
        y.append(lab)
    if not X:
        raise ModelError("no labelled name with two or more candidate places to train the place ranker on")
    X, y = np.vstack(X), np.concatenate(y)
    mean, scale = X.mean(0), X.std(0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000).fit((X - mean) / scale, y)
    return Ranker(mean, scale, model.coef_[0], float(model.intercept_[0]),
                  {**(meta or {}), "candidates": int(len(y)), "names": int(y.sum())})
