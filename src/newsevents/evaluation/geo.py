"""Score the places stage on GeoWebNews (``GWN.xml``: 200 articles, 2,601 geocoded toponyms) and
GeoVirus (``GeoVirus.xml``: 229 Wikinews articles, 2,170 toponyms with coordinates only).

Each article's text becomes the article body as it is (gold offsets point into it) and is parsed;
its toponyms are found and resolved by the rule resolver, then re-ranked by the learned ranker
(:mod:`newsevents.geo.rank`). Each set is scored three ways: the rule resolver alone, the ranker
trained on the *other* set only (leave-one-set-out: the figure that counts), and the shipped
ranker (trained on both, so in-sample).

- gold: every GWN toponym that carries coordinates (2,401 of the 2,601 also carry a GeoNames id);
- recall: share of gold toponyms overlapped by a predicted location span;
- among found toponyms (the predicted span overlapping the gold one most):
  country accuracy (predicted ISO country = gold country) and the share within 161 km (100
  miles) of the gold point, the usual geoparsing "accuracy@161km";
- exact id (extra): among found toponyms whose gold GeoNames id is in our gazetteer, the share
  resolved to that id;
- span precision (extra): share of predicted spans overlapping any GWN annotation (GWN also
  marks non-toponyms and demonyms without coordinates) and overlapping a geocoded one.

Gold country: the country of the gold GeoNames id when the gazetteer has that id, else the
country of the populated place nearest to the gold point (none beyond 250 km, e.g. at sea). A
prediction without a country (a multi-country region, a sea) gets its country the same way.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..geo.gazetteer import haversine
from ..model import Article, Location

GWN_FILE = "GWN.xml"
GEOVIRUS_FILE = "GeoVirus.xml"
KM161 = 161.0


@dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    type: str
    geonameid: int | None
    lat: float
    lon: float


@dataclass
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]  # those with coordinates
    spans: list[tuple[int, int]]  # every annotated span, geocoded or not


@dataclass
class GeoScores:
    n: int = 0
    found: int = 0
    country_n: int = 0  # found toponyms whose gold gives a country
    country_ok: int = 0
    km161: int = 0
    id_n: int = 0
    id_ok: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.n if self.n else 0.0

    @property
    def country(self) -> float:
        return self.country_ok / self.country_n if self.country_n else 0.0  # see country_n: 0 for points-only gold

    @property
    def within_161km(self) -> float:
        return self.km161 / self.found if self.found else 0.0

    @property
    def exact_id(self) -> float:
        return self.id_ok / self.id_n if self.id_n else 0.0


@dataclass
class GeoResult:
    all: GeoScores
    by_type: dict[str, GeoScores]
    by_feature: dict[str, GeoScores]
    predicted: int = 0
    precision_any: float = 0.0
    precision_geocoded: float = 0.0
    articles: int = 0
    errors: list[tuple] = field(default_factory=list)


def read_gwn(path: str | Path) -> list[GoldArticle]:
    """The articles of ``GWN.xml`` (a file, or the folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / GWN_FILE
    out = []
    for a in _xml(path).iter("article"):
        gold, spans = [], []
        for t in a.iter("toponym"):
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            spans.append((start, end))
            lat = t.findtext("latitude")
            if not lat:
                continue
            gid = t.findtext("geonamesID")
            gold.append(GoldToponym(start, end, t.findtext("extractedName") or "", t.findtext("type") or "",
                                    int(gid) if gid else None, float(lat), float(t.findtext("longitude"))))
        out.append(GoldArticle(a.get("file") or str(len(out)), a.findtext("text") or "", gold, spans))
    return out


def _xml(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ValueError(f"{path}: not a readable gold XML file: {exc}") from exc


def read_geovirus(path: str | Path) -> list[GoldArticle]:
    """The articles of ``GeoVirus.xml`` (a file, or the folder holding it). Its ``start`` offsets
    are one past the toponym's first character (``end`` is exclusive and right), so both shift by one
    to point at the name; a span that still does not hold the name is skipped."""
    path = Path(path)
    if path.is_dir():
        path = path / GEOVIRUS_FILE
    out = []
    for a in _xml(path).iter("article"):
        text = a.findtext("text") or ""
        gold = []
        for t in a.iter("location"):
            name = t.findtext("name") or ""
            start, end = int(t.findtext("start")) - 1, int(t.findtext("end")) - 1
            if text[start:end] != name:
                start = text.find(name, max(0, start - 5))
                if start < 0:
                    continue
                end = start + len(name)
            gold.append(GoldToponym(start, end, name, "", None, float(t.findtext("lat")), float(t.findtext("lon"))))
        out.append(GoldArticle(a.findtext("source") or str(len(out)), text, gold, [(g.start, g.end) for g in gold]))
    return out


class Countries:
    """Country of a GeoNames id or of a point (its nearest populated place), from the gazetteer."""

    def __init__(self, gaz):
        from ..geo.gazetteer import F

        self.gaz = gaz
        ppl = np.flatnonzero((gaz.feature == F["PPL"]) | (gaz.feature == F["PPLC"]))
        lat, lon = np.radians(gaz.lat[ppl]), np.radians(gaz.lon[ppl])
        self.xyz = np.c_[np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
        self.ppl = ppl
        self.by_id = {int(g): i for i, g in enumerate(gaz.gid) if g}

    def of_point(self, lat: float, lon: float, max_km: float = 250.0) -> str | None:
        la, lo = math.radians(lat), math.radians(lon)
        point = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
        j = int(np.argmax(self.xyz @ point))
        row = int(self.ppl[j])
        if haversine(lat, lon, float(self.gaz.lat[row]), float(self.gaz.lon[row])) > max_km:
            return None
        return self.gaz.iso3(row)

    def of_gold(self, g: GoldToponym) -> str | None:
        row = self.by_id.get(g.geonameid) if g.geonameid else None
        if row is not None and self.gaz.iso3(row):
            return self.gaz.iso3(row)
        return self.of_point(g.lat, g.lon)

    def feature_of(self, g: GoldToponym) -> str:
        row = self.by_id.get(g.geonameid) if g.geonameid else None
        if row is None:
            return "other id" if g.geonameid else "no id"
        return {"PPLC": "PPL"}.get(self.gaz.code(row), self.gaz.code(row))


def most_overlapping(span, others):
    """The one of ``others`` (objects with start/end) overlapping ``span`` most, or None."""
    best, overlap = None, 0
    for o in others:
        n = min(span.end, o.end) - max(span.start, o.start)
        if n > overlap:
            best, overlap = o, n
    return best


def score(gold: list[GoldArticle], predicted: Iterable[list[Location]], countries: bool = True) -> GeoResult:
    """Scores of ``predicted`` (one list of locations per gold article, in order); ``countries=False``
    for a set whose gold gives points only (no country accuracy)."""
    from ..geo.gazetteer import load

    country_of = Countries(load())
    stats: dict[str, GeoScores] = defaultdict(GeoScores)
    prec = Counter()
    errors = []
    for art, pred in zip(gold, predicted):
        for g in art.toponyms:
            best = most_overlapping(g, pred)
            feat = country_of.feature_of(g) if countries else "point"
            for key in ("all", "type:" + g.type, "feature:" + feat,
                        "feature:subnational" if feat in ("ADM1", "ADM2", "PPL") else None):
                if key is None:
                    continue
                st = stats[key]
                st.n += 1
                if best is None:
                    continue
                st.found += 1
                located = best.lat is not None and best.lon is not None
                gc = pc = None
                if countries:
                    gc = country_of.of_gold(g)
                    pc = best.country or (country_of.of_point(best.lat, best.lon) if located else None)
                    st.country_n += 1
                    st.country_ok += gc == pc
                km = haversine(g.lat, g.lon, best.lat, best.lon) if located else math.inf
                st.km161 += km <= KM161
                if feat not in ("other id", "no id", "point"):
                    st.id_n += 1
                    st.id_ok += best.geonameid == g.geonameid
                if key == "all" and ((countries and gc != pc) or km > KM161):
                    errors.append((art.id, g.text, g.type, gc, pc, round(km), best.text, best.name, best.feature))
            if best is None:
                errors.append((art.id, g.text, g.type, "MISSED"))
        for p in pred:
            prec["n"] += 1
            prec["any"] += any(min(e, p.end) - max(s, p.start) > 0 for s, e in art.spans)
            prec["geocoded"] += any(min(g.end, p.end) - max(g.start, p.start) > 0 for g in art.toponyms)
    n = max(1, prec["n"])
    return GeoResult(
        all=stats["all"],
        by_type={k[5:]: v for k, v in sorted(stats.items()) if k.startswith("type:")},
        by_feature={k[8:]: v for k, v in sorted(stats.items()) if k.startswith("feature:")},
        predicted=prec["n"], precision_any=prec["any"] / n, precision_geocoded=prec["geocoded"] / n,
        articles=len(gold), errors=errors,
    )


@dataclass
class GoldSet:
    """One gold set: its articles, and whether its gold gives countries."""

    name: str
    path: Path
    articles: list[GoldArticle]
    countries: bool


#: The gold sets under a gold folder: file name, display name, reader, whether it scores countries.
SETS = ((GWN_FILE, "GeoWebNews", read_gwn, True), (GEOVIRUS_FILE, "GeoVirus", read_geovirus, False))


def read_sets(path: str | Path, limit: int | None = None) -> list[GoldSet]:
    """The gold sets at ``path``: a folder holding GWN.xml and/or GeoVirus.xml, or one of the files."""
    path = Path(path)
    out = []
    for file, name, reader, countries in SETS:
        p = path / file if path.is_dir() else path
        if p.name == file and p.exists():
            out.append(GoldSet(name, p, reader(p)[:limit], countries))
    if not out:
        raise ValueError(f"{path}: no {' or '.join(f for f, *_ in SETS)} there")
    return out


@dataclass
class Prepared:
    """One gold article parsed, its toponyms found and resolved by rules, grouped by name for the ranker."""

    gold: GoldArticle
    mentions: list
    groups: list


def prepare(gold: list[GoldArticle], settings=None) -> list[Prepared]:
    """Parse each gold article, find and rule-resolve its toponyms, and label each name with its
    gold candidate (the gold GeoNames id, else the candidate nearest the gold point within 161 km)."""
    from ..geo import extract, load, resolve
    from ..geo.rank import name_groups
    from ..pipeline import Pipeline
    from ..settings import Settings

    gaz = load()
    settings = (settings or Settings()).with_(stages=("parse",))
    articles = (Article(id=a.id, body=a.text, language="en", source=f"gold:{a.id}") for a in gold)
    out = []
    for art, doc in zip(gold, Pipeline(settings, keep_parse=True).pipe(articles)):
        mentions = resolve(gaz, art.text, extract(gaz, art.text, doc.parse))
        groups = name_groups(gaz, art.text, mentions)
        for g in groups:
            g.label = _gold_candidate(gaz, g, art.toponyms)
        out.append(Prepared(art, mentions, groups))
    return out


def _gold_candidate(gaz, group, toponyms: list[GoldToponym]) -> int:
    for m in group.mentions:
        best = most_overlapping(m, toponyms)
        if best is None:
            continue
        if best.geonameid:
            hit = np.flatnonzero(gaz.gid[group.rows] == best.geonameid)
            if len(hit):
                return int(hit[0])
        km = np.array([haversine(best.lat, best.lon, gaz.lat[i], gaz.lon[i]) for i in group.rows])
        j = int(np.argmin(km))
        return j if km[j] <= KM161 else -1
    return -1


def predict(prepared: list[Prepared], ranker) -> list[list[Location]]:
    """The locations of each prepared article with ``ranker`` (``None``: the rule resolver's choices)."""
    from ..geo import load, locations
    from ..geo.rank import choose

    gaz = load()
    out = []
    for p in prepared:
        choose(gaz, p.groups, ranker)
        out.append(locations(gaz, p.mentions))
    return out


@dataclass
class SetResult:
    """One gold set scored with the rules, the ranker trained on the other sets, and the shipped ranker."""

    name: str
    rules: GeoResult
    held_out: GeoResult | None  # None when there is no other set to train on
    shipped: GeoResult | None
    trained_on: list[str] = field(default_factory=list)


def evaluate_geo(path: str | Path, limit: int | None = None, settings=None, shipped: bool = True) -> list[SetResult]:
    """Each gold set at ``path`` scored by the rule resolver, by the ranker trained on the other
    set(s) only, and (``shipped``) by the shipped ranker."""
    from ..geo.rank import fit, load_ranker

    sets = read_sets(path, limit)
    prepared = {s.name: prepare(s.articles, settings) for s in sets}
    out = []
    for s in sets:
        others = [o for o in sets if o.name != s.name]
        held_out = None
        train = [g for o in others for p in prepared[o.name] for g in p.groups]
        if any(g.label >= 0 and len(g.rows) > 1 for g in train):  # else (a tiny --limit) nothing to learn from
            held_out = score(s.articles, predict(prepared[s.name], fit(train)), s.countries)
        out.append(SetResult(
            name=s.name, rules=score(s.articles, predict(prepared[s.name], None), s.countries), held_out=held_out,
            shipped=score(s.articles, predict(prepared[s.name], load_ranker()), s.countries) if shipped else None,
            trained_on=[o.name for o in others] if held_out else []))
    return out
