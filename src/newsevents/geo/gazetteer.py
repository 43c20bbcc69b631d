"""The offline gazetteer: GeoNames places, countries, regions and their names, loaded once per process.

The data file ``data/geo/gazetteer.tsv.gz`` is built by :mod:`newsevents.geo.build` from data
inside PyPI packages (see ``data/geo/README.md``). One row per place::

    feature, geonameid, name, iso2, iso3, admin1_row, admin2_row, lat, lon, population,
    names, altnames, demonyms (normalised lookup keys joined by '|'), neighbours (iso2, countries)

Loading keeps every column in numpy arrays and the name index as sorted 64-bit hashes, so a
process holds the 270k places in about 30 MB and forked batch workers share those pages
(arrays are not touched by reference counting, unlike millions of small Python objects).
"""

from __future__ import annotations

import gzip
import math
import re
import threading
import unicodedata
from array import array
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..data import data_path
from ..errors import ModelError

#: GeoNames feature codes in the file (hand regions use RGN/H/T/S/L) and their words in Location.feature.
FEATURES: dict[str, str] = {
    "PCLI": "country", "ADM1": "admin1", "ADM2": "admin2", "PPLC": "city", "PPL": "city", "CONT": "continent",
    "RGN": "region", "H": "water", "T": "mountains", "S": "landmark", "L": "island",
}
CODES: tuple[str, ...] = tuple(FEATURES)
F = {code: i for i, code in enumerate(CODES)}

# Name quality of an index entry: the place's own name, an alternate name, a demonym ("Irish").
Q_NAME, Q_ALT, Q_DEM = 0, 1, 2

# Prior = log10(population) + a bonus by feature: a bare name in the news is more often a country
# than a town of the same name, a capital than another town. Hand regions and continents have
# no population and get a flat prior at the level of a large country. Set by reasoning and a
# coarse check on GeoWebNews (a 24-setting sweep moved it by at most 0.003; see docs/places.md).
FEAT_BONUS = {"PCLI": 3.0, "ADM1": 0.5, "ADM2": 0.3, "PPLC": 2.5}
FLAT_PRIOR = {"CONT": 9.5, "RGN": 9.0, "H": 9.0, "T": 9.0, "S": 9.0, "L": 9.0}
#: Features safe to take from a non-place entity or an untagged proper noun.
STRONG = {"PCLI", "ADM1", "CONT", "RGN", "H", "T", "S", "L", "PPLC"}

#: Words that name no place in news usage even where a gazetteer has a town so called (Earth TX, Congress AZ).
NEVER = frozenset("""earth world heaven hell congress parliament senate southwest northwest northeast southeast north
south east west downtown uptown midtown state republic city county nation capitol internet web""".split())

EARTH_KM = 6371.0088
_PUNCT = re.compile(r"[.\u2019'`´]")
_DASH = re.compile(r"[-\u2010-\u2015/]")
_WS = re.compile(r"\s+")
# Latin letters that NFKD does not decompose (no unidecode: it is GPL-licensed).
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ß": "ss",
                       "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "Th", "ħ": "h",
                       "Ħ": "H", "ŧ": "t", "ŀ": "l", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'"})
_PREFIX = (("saint ", "st "), ("mount ", "mt "), ("fort ", "ft "))


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (inf when a point is unknown)."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a))) if a == a else math.inf


def fold(s: str) -> str:
    """``s`` without diacritics (São Paulo -> Sao Paulo)."""
    if s.isascii():
        return s
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)  # called for every capitalised n-gram, mostly the same few names
def norm(s: str) -> str:
    """The lookup key of a name: folded, lower case, no dots or apostrophes, dashes as spaces."""
    s = _WS.sub(" ", _DASH.sub(" ", _PUNCT.sub("", fold(s).lower()))).strip()
    for long, short in _PREFIX:
        if s.startswith(long):
            return short + s[len(long):]
    return s


class Gazetteer:
    """Column arrays of the places (row = place id in this process) and a name index."""

    def __init__(self, path: str | Path):
        feature, gid, a1, a2, pop = array("b"), array("i"), array("i"), array("i"), array("q")
        lat, lon, country = array("d"), array("d"), array("h")
        names: list[str] = []
        self.countries: list[tuple[str, str]] = [("", "")]  # index -> (iso2, iso3); 0 = none
        self.country_index: dict[str, int] = {"": 0}
        self.country_row: dict[str, int] = {}  # iso2 -> row of the country
        self.neighbours: dict[str, tuple[str, ...]] = {}
        hashes, postings = array("q"), array("i")
        try:
            f = gzip.open(path, "rt", encoding="utf-8")
        except OSError as exc:  # pragma: no cover - a broken install
            raise ModelError(f"cannot read the gazetteer {path}: {exc}; reinstall newsevents") from exc
        with f:
            for line in f:
                if line.startswith("#"):
                    continue
                p = line.rstrip("\n").split("\t")
                i = len(names)
                feature.append(F[p[0]])
                gid.append(int(p[1]) if p[1] else 0)
                names.append(p[2])
                c = self.country_index.get(p[3])
                if c is None:
                    c = self.country_index[p[3]] = len(self.countries)
                    self.countries.append((p[3], p[4]))
                country.append(c)
                a1.append(int(p[5]))
                a2.append(int(p[6]))
                lat.append(float(p[7]) if p[7] else math.nan)
                lon.append(float(p[8]) if p[8] else math.nan)
                pop.append(int(p[9] or 0))
                if p[0] == "PCLI":
                    self.country_row[p[3]] = i
                    self.neighbours[p[3]] = tuple(p[13].split(",")) if p[13] else ()
                for q, field in ((Q_NAME, p[10]), (Q_ALT, p[11]), (Q_DEM, p[12])):
                    if field:
                        for key in field.split("|"):  # keys are normalised by the build
                            hashes.append(hash(key))
                            postings.append(i * 4 + q)
        self.feature = np.frombuffer(feature, dtype=np.int8)
        self.gid = np.frombuffer(gid, dtype=np.int32)
        self.a1 = np.frombuffer(a1, dtype=np.int32)
        self.a2 = np.frombuffer(a2, dtype=np.int32)
        self.pop = np.frombuffer(pop, dtype=np.int64)
        self.lat = np.frombuffer(lat, dtype=np.float64)
        self.lon = np.frombuffer(lon, dtype=np.float64)
        self.country = np.frombuffer(country, dtype=np.int16)
        # names as one string plus offsets: 270k small str objects would cost ~20 MB per process
        self._offsets = np.cumsum([0] + [len(n) + 1 for n in names], dtype=np.int64)
        self._names = "\n".join(names)
        del names
        prior = np.log10(self.pop + 1.0)
        for code, bonus in FEAT_BONUS.items():
            prior[self.feature == F[code]] += bonus
        for code, flat in FLAT_PRIOR.items():
            prior[self.feature == F[code]] = flat
        self.prior = prior
        self._build_index(np.frombuffer(hashes, dtype=np.int64), np.frombuffer(postings, dtype=np.int32))
        #: country index -> indexes of its neighbours (GeoNames neighbour list)
        self.neighbour_index: dict[int, tuple[int, ...]] = {
            self.country_index[iso]: tuple(self.country_index[x] for x in nb if x in self.country_index)
            for iso, nb in self.neighbours.items()}

    def _build_index(self, hashes: np.ndarray, postings: np.ndarray) -> None:
        # one posting per (key, row), with the best quality the row has under that key
        order = np.lexsort((postings, hashes))
        hashes, postings = hashes[order], postings[order]
        rows = postings // 4
        keep = np.ones(len(hashes), dtype=bool)
        keep[1:] = (hashes[1:] != hashes[:-1]) | (rows[1:] != rows[:-1])
        hashes, postings = hashes[keep], postings[keep].astype(np.int32)
        self._keys, starts = np.unique(hashes, return_index=True)
        self._starts = np.append(starts, len(postings)).astype(np.int32)
        self._postings = postings
        # every capitalised n-gram of every article is looked up, mostly the same few names
        self._cached_get = lru_cache(maxsize=1 << 16)(self._get)

    # --- rows ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.feature)

    def name(self, i: int) -> str:
        return self._names[self._offsets[i]:self._offsets[i + 1] - 1]

    def code(self, i: int) -> str:
        """GeoNames feature code of row ``i`` (PCLI, ADM1, PPL ...)."""
        return CODES[self.feature[i]]

    def iso2(self, i: int) -> str:
        return self.countries[self.country[i]][0]

    def iso3(self, i: int) -> str:
        return self.countries[self.country[i]][1]

    def admin1_of(self, i: int) -> int:
        """Row of the admin1 unit holding row ``i`` (itself for an admin1), -1 if none."""
        return i if self.feature[i] == F["ADM1"] else int(self.a1[i])

    def is_strong(self, i: int, q: int, key: str = "") -> bool:
        """Safe to take from a non-place entity or an untagged proper noun."""
        code = CODES[self.feature[i]]
        if q == Q_DEM or code in ("PCLI", "CONT", "RGN", "H", "T", "S", "L"):
            return True
        if code == "ADM2":
            return q == Q_NAME and key.endswith((" county", " parish"))
        if q == Q_ALT:
            return False
        if code == "ADM1":
            return self.pop[i] >= 300_000
        return self.pop[i] >= 100_000  # towns

    # --- names --------------------------------------------------------------------------------

    def get(self, key: str) -> tuple[tuple[int, int], ...]:
        """``(row, quality)`` of every place with the lookup key ``key``."""
        return self._cached_get(key)

    def _get(self, key: str) -> tuple[tuple[int, int], ...]:
        h = hash(key)
        j = int(np.searchsorted(self._keys, h))
        if j >= len(self._keys) or self._keys[j] != h:
            return ()
        return tuple(divmod(int(v), 4) for v in self._postings[self._starts[j]:self._starts[j + 1]])

    def lookup(self, text: str, allow_dem: bool = True) -> tuple[tuple[int, int], ...]:
        """Candidates for a surface form ("Russia's", "the Netherlands", "Ill.")."""
        k = norm(text)
        if k in NEVER:
            return ()
        c = self.get(k)
        if text.endswith("."):
            c = self.get(k + ".") + c  # 'Ill.', 'Miss.', 'Wash.': abbreviations that need their dot
        if not c and k.startswith("the "):
            c = self.get(k[4:])
        if not c and text.endswith(("'s", "’s")):  # possessive "Russia's"
            c = self.get(norm(text[:-2]))
        if not allow_dem:
            c = tuple(x for x in c if x[1] != Q_DEM)
        return c


_LOCK = threading.Lock()
_GAZ: Gazetteer | None = None


def load() -> Gazetteer:
    """The shipped gazetteer, read on first use and then kept for the life of the process."""
    global _GAZ
    if _GAZ is None:
        with _LOCK:
            if _GAZ is None:
                _GAZ = Gazetteer(data_path("geo", "gazetteer.tsv.gz"))
    return _GAZ
