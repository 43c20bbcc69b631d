"""The actor dictionary: countries, regions, organisations, role nouns and people with dated roles.

Loaded once per process (per set of user files) from ``data/actors/`` plus the user's own
YAML files (``Settings.actors_files``), which use the same sections and win on conflicts.
See docs/actors.md for the format. Every lookup the stage makes is a dict access.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import SettingsError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster on people.yaml
SECTIONS = ("countries", "regions", "demonyms", "organisations", "people", "sectors", "relational")


@dataclass(frozen=True)
class Role:
    """One dated role of a person; ``country`` may be an IGO code (``IGOUNO``)."""

    country: str
    sector: str | None
    role: str
    start: str | None = None  # ISO date, possibly YYYY or YYYY-MM
    end: str | None = None


@dataclass
class Entry:
    """Something a name can refer to."""

    name: str  # canonical name
    type: str  # country | region | organization | person | metonym | capital | demonym
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    nouns: tuple[str, ...] = ()  # common nouns that refer back to it ("alliance" -> NATO)
    gender: str | None = None  # m | f, for people
    roles: tuple[Role, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.type}:{self.name}"


@dataclass(frozen=True)
class RoleNoun:
    sector: str | None
    person: bool  # names one person ("spokesman") rather than a body ("government")
    relational: bool = False  # sector comes from what it belongs to ("Taliban spokesman")
    role: str = ""


@dataclass
class Dictionary:
    names: dict[str, list[Entry]] = field(default_factory=dict)  # surface form as written -> entries
    surnames: dict[str, list[Entry]] = field(default_factory=dict)  # last name -> people
    roles: dict[str, RoleNoun] = field(default_factory=dict)  # lower-case noun or phrase -> role
    countries: dict[str, Entry] = field(default_factory=dict)  # alpha-3 -> country entry
    by_code: dict[str, Entry] = field(default_factory=dict)  # IGO code -> organisation
    noun_refs: dict[str, list[Entry]] = field(default_factory=dict)  # "alliance" -> [NATO, ...]
    people_by_country: dict[str, list[Entry]] = field(default_factory=dict)  # alpha-3 -> people with a role there
    person_names: dict[str, set[str]] = field(default_factory=dict)  # canonical name -> every name it goes by
    max_role_words: int = 1
    # last and first words of multi-word roles: most tokens end or start none, so role_noun
    # need not build phrases for them
    role_ends: set[str] = field(default_factory=set)
    role_starts: set[str] = field(default_factory=set)
    _matchers: dict = field(default_factory=dict, repr=False)

    def add_name(self, surface: str, entry: Entry) -> None:
        surface = surface.strip()
        if not surface:
            return
        bucket = self.names.setdefault(surface, [])
        bucket[:] = [e for e in bucket if e.key != entry.key]
        bucket.insert(0, entry)  # later files win


def _date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def role_at(entry: Entry, date: str | None) -> Role | None:
    """The role ``entry`` held on ``date`` (ISO); the latest role when ``date`` is None.

    Between roles and after the last one, a person is an elite (``ELI``) of the last role's
    country; before the first, they have no coded role.
    """
    if not entry.roles:
        return None
    if not date:
        return entry.roles[-1]
    day = date[:10]
    held = [r for r in entry.roles if (r.start or "") [:len(day)] <= day and (r.end is None or day < _pad(r.end))]
    if held:
        return held[-1]
    past = [r for r in entry.roles if r.end is not None and _pad(r.end) <= day]
    if past:
        last = past[-1]
        if last.country.startswith(("IGO", "NGO")):
            return Role(last.country, None, f"former {last.role}")
        return Role(last.country, "ELI", f"former {last.role}")
    return None


def _pad(date: str) -> str:
    """'2021' -> '2021-12-31'-like upper bound for partial end dates (end is exclusive by day)."""
    if len(date) == 4:
        return date + "-12-31"
    if len(date) == 7:
        return date + "-31"
    return date


def _data_dir():
    return resources.files("newsevents") / "data" / "actors"


def _read_yaml(path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path}: not valid YAML ({exc}); see docs/actors.md for the format") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: an actor file is a mapping with sections {', '.join(SECTIONS)}")
    unknown = [k for k in data if k not in SECTIONS]
    if unknown:
        raise SettingsError(f"{path}: unknown section(s) {', '.join(unknown)}; valid: {', '.join(SECTIONS)}")
    return data


def _plural(demonym: str) -> str | None:
    return demonym + "s" if re.search(r"(an|i)$", demonym) else None


def _load_countries(d: Dictionary, extra: dict) -> None:
    rows = {}
    with (_data_dir() / "countries.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows[row["alpha3"]] = row
    # a generated name or demonym shared by several countries ("French": France, French Guiana,
    # Saint Pierre and Miquelon ...) is ambiguous: only countries.yaml can give it to one
    seen: dict[str, set[str]] = {}
    for a3, row in rows.items():
        for n in [*row["names"].split("|"), row["demonym"]]:
            if n:
                seen.setdefault(n, set()).add(a3)
    curated = {n for add in extra.values() for key in ("names", "demonyms") for n in (add or {}).get(key) or ()}
    ambiguous = {n for n, where in seen.items() if len(where) > 1} | curated
    for a3, add in extra.items():  # places with no ISO 3166-1 code, given a whole row in countries.yaml
        if a3 not in rows and (add or {}).get("name"):
            rows[a3] = {"alpha3": a3, "name": add["name"], "names": add["name"], "demonym": "", "capital": ""}
    for a3, row in rows.items():
        add = extra.get(a3) or {}
        drop = set(add.get("drop") or ()) | ambiguous
        names = [n for n in row["names"].split("|") if n and n not in drop] + list(add.get("names") or ())
        name = row["name"] if (row["name"] not in drop or row["name"] in (add.get("names") or ())) else (names or [row["name"]])[0]
        country = Entry(name=name, type="country", code=a3, country=a3, nouns=("country", "nation"))
        d.countries[a3] = country
        for n in names:
            d.add_name(n, country)
        demonyms = [row["demonym"]] if row["demonym"] and row["demonym"] not in drop else []
        demonyms += list(add.get("demonyms") or ())
        for dem in demonyms:
            d.add_name(dem, Entry(name=dem, type="demonym", code=a3, country=a3))
            plural = _plural(dem)
            if plural and plural not in d.names:
                d.add_name(plural, Entry(name=plural, type="demonym", code=a3, country=a3))
        capitals = add["capitals"] if "capitals" in add else ([row["capital"]] if row["capital"] else [])
        for cap in capitals:
            d.add_name(cap, Entry(name=cap, type="capital", code=a3 + "GOV", country=a3, sector="GOV"))
        for place, sector in (add.get("metonyms") or {}).items():
            d.add_name(place, Entry(name=place, type="metonym", code=a3 + sector, country=a3, sector=sector))


def _merge(d: Dictionary, data: dict, source: str) -> None:
    for code, names in (data.get("regions") or {}).items():
        entry = Entry(name=names[0].removeprefix("the "), type="region", code=code)
        for n in names:
            d.add_name(n.removeprefix("the "), entry)
    for code, words in (data.get("demonyms") or {}).items():  # region adjectives: "African countries"
        for w in words:
            d.add_name(w, Entry(name=w, type="demonym", code=code))
    for org in data.get("organisations") or ():
        if "name" not in org or "code" not in org:
            raise SettingsError(f"{source}: every organisation needs a name and a code, got {org!r}")
        entry = Entry(name=org["name"], type=org.get("type", "organization"), code=org["code"],
                      country=org.get("country"), sector=org.get("sector"), nouns=tuple(org.get("nouns") or ()))
        for n in (org["name"], *(org.get("aliases") or ())):
            d.add_name(n.removeprefix("the "), entry)
        for noun in entry.nouns:
            d.noun_refs.setdefault(noun.lower(), []).append(entry)
        d.by_code.setdefault(entry.code, entry)
    for person in data.get("people") or ():
        roles = []
        for r in person.get("roles") or ():
            if len(r) != 5:
                raise SettingsError(f"{source}: {person.get('name')}: a role is [country, sector, role, start, end], got {r!r}")
            roles.append(Role(str(r[0]), r[1], str(r[2]), _date(r[3]), _date(r[4])))
        roles.sort(key=lambda r: r.start or "")
        entry = Entry(name=person["name"], type="person", gender=person.get("gender"), roles=tuple(roles))
        for country in {r.country for r in roles}:
            bucket = d.people_by_country.setdefault(country, [])
            bucket[:] = [e for e in bucket if e.name != entry.name] + [entry]
        d.person_names[entry.name] = {person["name"], *(person.get("aliases") or ())}
        for n in (person["name"], *(person.get("aliases") or ())):
            d.add_name(n, entry)
            words = n.split()
            last = words[-1]
            # "Putin" for Vladimir Putin; not "Abdulaziz" for "Salman bin Abdulaziz" (a patronymic)
            if len(words) > 1 and last not in {"Jr.", "Jr", "II", "III"} and words[-2].lower() not in _PARTICLES:
                for key in {last, re.sub(r"^(?:al|el|Al|El)-", "", last)}:  # "al-Assad" is also "Assad"
                    bucket = d.surnames.setdefault(key, [])
                    bucket[:] = [e for e in bucket if e.name != entry.name] + [entry]
    for sector, lists in (data.get("sectors") or {}).items():
        for kind in ("groups", "people"):
            for noun in (lists or {}).get(kind) or ():
                d.roles[noun.lower()] = RoleNoun(sector, kind == "people", False, noun.lower())
    for noun, sector in (data.get("relational") or {}).items():
        d.roles[noun.lower()] = RoleNoun(sector, noun.lower() not in _COLLECTIVE, True, noun.lower())
    d.max_role_words = max((len(k.split()) for k in d.roles), default=1)
    phrases = [k.split() for k in d.roles if " " in k]
    d.role_ends = {w[-1] for w in phrases}
    d.role_starts = {w[0] for w in phrases}


_PARTICLES = {"bin", "ibn", "bint", "ben", "al", "abu", "ould", "king", "queen", "prince", "sheikh"}

# Relational nouns that name a body rather than one person.
_COLLECTIVE = {"officials", "representatives", "delegation", "side", "counterparts", "leaders", "leadership",
               "members", "mission", "sources", "spokespeople", "partners", "party", "parties"}


def _merge_countries(base: dict, extra: dict) -> dict:
    """Country additions merged field by field: lists add up, mappings update, values replace."""
    out = {k: dict(v or {}) for k, v in base.items()}
    for code, fields in extra.items():
        target = out.setdefault(code, {})
        for key, value in (fields or {}).items():
            if isinstance(value, list) and key != "capitals":
                target[key] = [*target.get(key, []), *value]
            elif isinstance(value, dict):
                target[key] = {**target.get(key, {}), **value}
            else:
                target[key] = value
    return out


@lru_cache(maxsize=8)
def load(user_files: tuple[str, ...] = ()) -> Dictionary:
    """The shipped dictionary merged with ``user_files`` (YAML), built once per process."""
    d = Dictionary()
    base = _data_dir()
    countries = _read_yaml(base / "countries.yaml").get("countries") or {}
    user = []
    for path in user_files:
        p = Path(path)
        if not p.is_file():
            raise SettingsError(f"{path}: actor file not found (given with --actors / Settings.actors_files)")
        data = _read_yaml(p)
        user.append((str(p), data))
        countries = _merge_countries(countries, data.get("countries") or {})
    _load_countries(d, countries)
    for name in ("regions.yaml", "organisations.yaml", "people.yaml", "roles.yaml"):
        _merge(d, _read_yaml(base / name), name)
    for source, data in user:
        _merge(d, data, source)
    return d
