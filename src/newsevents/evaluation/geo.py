"""Score the places stage against GeoWebNews (``GWN.xml``: 200 articles, 2,601 geocoded toponyms).

Each article's text becomes the article body as it is (gold offsets point into it) and goes
through the ``parse`` and ``places`` stages; what is scored is ``doc.locations``.

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..geo.gazetteer import haversine
from ..model import Article, Document, Location

GWN_FILE = "GWN.xml"
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
    country_ok: int = 0
    km161: int = 0
    id_n: int = 0
    id_ok: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.n if self.n else 0.0

    @property
    def country(self) -> float:
        return self.country_ok / self.found if self.found else 0.0

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
    for a in ET.parse(path).getroot().iter("article"):
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


def score(gold: list[GoldArticle], predicted: Iterable[list[Location]]) -> GeoResult:
    """Scores of ``predicted`` (one list of locations per gold article, in order)."""
    from ..geo.gazetteer import load

    countries = Countries(load())
    stats: dict[str, GeoScores] = defaultdict(GeoScores)
    prec = Counter()
    errors = []
    for art, pred in zip(gold, predicted):
        for g in art.toponyms:
            best, overlap = None, 0
            for p in pred:
                o = min(g.end, p.end) - max(g.start, p.start)
                if o > overlap:
                    best, overlap = p, o
            feat = countries.feature_of(g)
            for key in ("all", "type:" + g.type, "feature:" + feat,
                        "feature:subnational" if feat in ("ADM1", "ADM2", "PPL") else None):
                if key is None:
                    continue
                st = stats[key]
                st.n += 1
                if best is None:
                    continue
                st.found += 1
                gc = countries.of_gold(g)
                located = best.lat is not None and best.lon is not None
                pc = best.country or (countries.of_point(best.lat, best.lon) if located else None)
                km = haversine(g.lat, g.lon, best.lat, best.lon) if located else math.inf
                st.country_ok += gc == pc
                st.km161 += km <= KM161
                if feat not in ("other id", "no id"):
                    st.id_n += 1
                    st.id_ok += best.geonameid == g.geonameid
                if key == "all" and (gc != pc or km > KM161):
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


def locate_gold(gold: list[GoldArticle], settings=None) -> Iterator[Document]:
    """Each gold article through the parse and places stages, in order."""
    from ..pipeline import Pipeline
    from ..settings import Settings

    settings = (settings or Settings()).with_(stages=("parse", "places"))
    articles = (Article(id=a.id, body=a.text, language="en", source=f"GWN:{a.id}") for a in gold)
    yield from Pipeline(settings).pipe(articles)


def evaluate_geo(path: str | Path, limit: int | None = None, settings=None) -> GeoResult:
    """Scores of the places stage on GeoWebNews at ``path`` (``GWN.xml`` or its folder)."""
    gold = read_gwn(path)[:limit]
    return score(gold, (d.locations for d in locate_gold(gold, settings)))
