"""The actor dictionary: countries, regions, organisations, role nouns and people with dated roles.

Three layers, later ones winning (docs/actors.md):
1. ``phoenix``: the PETRARCH-2 / Phoenix dictionaries of 2014 (``data/actors/phoenix.json.gz``,
   built by ``python -m newsevents.actors.build_petrarch``): ~27,000 countries, people with
   dated codes, international actors, armed groups, and ~3,000 agent nouns. Names are matched
   regardless of case (the source is upper case) but only where written as names.
2. ``curated``: our own files in ``data/actors/`` (countries, regions, organisations, role nouns,
   people with dated roles, the changes since 2014).
3. ``user``: the user's YAML files (``Settings.actors_files``), in the same format.
A curated or user person who is also in Phoenix takes over all of Phoenix's names for them.
Loaded once per process (per set of user files). Every lookup the stage makes is a dict access.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
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
    source: str = ""  # layer and file it comes from: "phoenix:Phoenix.Countries.actors.txt", "curated:people.yaml"

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
    # the Phoenix layer, matched regardless of case: lower-case tokens joined by spaces -> entries
    lower_names: dict[str, list[Entry]] = field(default_factory=dict)
    lower_surnames: dict[str, Entry] = field(default_factory=dict)  # "putin" -> Phoenix person
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
    superseded: dict[str, str] = field(default_factory=dict)  # our person's name -> the Phoenix entry it replaced
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
        former = f"former {last.role}".strip()
        if last.country.startswith(("IGO", "NGO")):
            return Role(last.country, None, former)
        return Role(last.country, "ELI", former)
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
        country = Entry(name=name, type="country", code=a3, country=a3, nouns=("country", "nation"),
                        source="curated:countries.csv")
        d.countries[a3] = country
        for n in names:
            d.add_name(n, country)
        demonyms = [row["demonym"]] if row["demonym"] and row["demonym"] not in drop else []
        demonyms += list(add.get("demonyms") or ())
        for dem in demonyms:
            d.add_name(dem, Entry(name=dem, type="demonym", code=a3, country=a3, source="curated:countries.csv"))
            plural = _plural(dem)
            if plural and plural not in d.names:
                d.add_name(plural, Entry(name=plural, type="demonym", code=a3, country=a3, source="curated:countries.csv"))
        capitals = add["capitals"] if "capitals" in add else ([row["capital"]] if row["capital"] else [])
        for cap in capitals:
            d.add_name(cap, Entry(name=cap, type="capital", code=a3 + "GOV", country=a3, sector="GOV",
                                  source="curated:countries.yaml"))
        for place, sector in (add.get("metonyms") or {}).items():
            d.add_name(place, Entry(name=place, type="metonym", code=a3 + sector, country=a3, sector=sector,
                                   source="curated:countries.yaml"))


def _merge(d: Dictionary, data: dict, source: str) -> None:
    for code, names in (data.get("regions") or {}).items():
        entry = Entry(name=names[0].removeprefix("the "), type="region", code=code, source=source)
        for n in names:
            d.add_name(n.removeprefix("the "), entry)
    for code, words in (data.get("demonyms") or {}).items():  # region adjectives: "African countries"
        for w in words:
            d.add_name(w, Entry(name=w, type="demonym", code=code, source=source))
    for org in data.get("organisations") or ():
        if "name" not in org or "code" not in org:
            raise SettingsError(f"{source}: every organisation needs a name and a code, got {org!r}")
        entry = Entry(name=org["name"], type=org.get("type", "organization"), code=org["code"],
                      country=org.get("country"), sector=org.get("sector"), nouns=tuple(org.get("nouns") or ()),
                      roles=_roles(org, source), source=source)
        for n in (org["name"], *(org.get("aliases") or ())):
            d.add_name(n.removeprefix("the "), entry)
        for noun in entry.nouns:
            d.noun_refs.setdefault(noun.lower(), []).append(entry)
        d.by_code.setdefault(entry.code, entry)
    for person in data.get("people") or ():
        roles = _roles(person, source)
        entry = Entry(name=person["name"], type="person", gender=person.get("gender"), roles=roles, source=source)
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


def _index_roles(d: Dictionary) -> None:
    d.max_role_words = max((len(k.split()) for k in d.roles), default=1)
    phrases = [k.split() for k in d.roles if " " in k]
    d.role_ends = {w[-1] for w in phrases}
    d.role_starts = {w[0] for w in phrases}


def _roles(item: dict, source: str) -> tuple[Role, ...]:
    """The dated roles of a person or an organisation, by start date."""
    roles = []
    for r in item.get("roles") or ():
        if len(r) != 5:
            raise SettingsError(f"{source}: {item.get('name')}: a role is [country, sector, role, start, end], got {r!r}")
        roles.append(Role(str(r[0]), r[1], str(r[2]), _date(r[3]), _date(r[4])))
    return tuple(sorted(roles, key=lambda r: r.start or ""))


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
    phoenix_people = _load_phoenix(d)
    for name in CURATED:
        _merge(d, _read_yaml(base / name), f"curated:{name}")
    for source, data in user:
        _merge(d, data, f"user:{source}")
    _supersede(d, phoenix_people)
    _index_roles(d)
    return d


#: Our own files, in the order they load (later ones win).
CURATED = ("regions.yaml", "organisations.yaml", "people.yaml", "since2014.yaml", "roles.yaml")
# Phoenix codes older than ISO 3166-1 alpha-3 for countries that still exist
_OLD_CODES = {"TMP": "TLS", "KSV": "XKX", "ROM": "ROU", "ZAR": "COD"}
# CAMEO role codes used as sectors; a religion code (MUS, CHR ...) is the religious sector
_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "OPP", "PTY", "REB", "INS", "SEP", "UAF", "CVL", "MED", "BUS",
            "LAB", "EDU", "HLH", "HRI", "REF", "CRM", "ELI", "REL", "AGR", "ENV", "DEV", "MOD", "RAD", "IGO", "NGO"}
_RELIGIONS = {"BUD", "CHR", "CTH", "DOX", "PRO", "JEW", "MUS", "SHI", "SUN", "ALE", "SUF", "HIN", "SIK", "JAN", "ZRO",
              "TAO", "CON", "ATH", "BAH", "ITH", "MOS", "JAI", "SHN", "DRZ"}


def parse_code(code: str, countries: dict) -> tuple[str | None, str | None]:
    """(ISO country, sector) of a CAMEO actor code: ``RUSGOV`` -> (RUS, GOV), ``USAGOVLEG`` ->
    (USA, GOV), ``MNCUSA`` -> (USA, BUS), ``IGOUNO`` -> (None, IGO), ``ELI`` -> (None, ELI)."""
    head = code[:3]
    if head == "MNC":
        tail = _OLD_CODES.get(code[3:6], code[3:6])
        return (tail if tail in countries else None), "BUS"
    if head in ("IGO", "NGO"):
        return None, head
    country = _OLD_CODES.get(head, head)
    rest = code[3:]
    if head == "IMG" or country not in countries:
        country, rest = None, (code[3:] if head == "IMG" or len(code) > 3 else code)
    for i in range(0, len(rest) - 2, 3):
        part = rest[i:i + 3]
        if part in _SECTORS:
            return country, part
        if part in _RELIGIONS:
            return country, "REL"
    return country, ("UAF" if head == "IMG" else None)  # a militarized group of no state


def _phoenix_entry(name: str, kind: str, file: str, codes: list, parsed) -> Entry:
    source = f"phoenix:{file}"
    if kind == "person":
        roles = []
        for code, start, end in codes:
            country, sector = parsed(code)
            if code[:3] in ("IGO", "NGO", "IMG"):
                country = code  # the body's code stands for its people, as in people.yaml
            roles.append(Role(country or "", sector, "", start, end))  # "" for a sector alone ("ELI")
        return Entry(name=name, type="person", roles=tuple(roles), source=source)  # sorted by the build
    code = next((c for c, s, e in codes if not s and not e), codes[0][0])
    country, sector = parsed(code)
    if kind == "country":
        return Entry(name=name, type="country", code=country or code, country=country, source=source)
    return Entry(name=name, type="organization", code=code, country=country, sector=sector, source=source)


def _load_phoenix(d: Dictionary) -> dict[str, Entry]:
    """The Phoenix layer into ``d.lower_names``, ``d.lower_surnames`` and ``d.roles``; returns
    its people by name key (for :func:`_supersede`)."""
    path = _data_dir() / "phoenix.json.gz"
    if not path.is_file():
        return {}
    data = json.loads(gzip.decompress(path.read_bytes()))
    people: dict[str, Entry] = {}
    codes_seen: dict[str, tuple[str | None, str | None]] = {}

    def parsed(code: str) -> tuple[str | None, str | None]:
        if code not in codes_seen:
            codes_seen[code] = parse_code(code, d.countries)
        return codes_seen[code]

    for name, kind, file, codes, surfaces in data["actors"]:
        entry = _phoenix_entry(name, kind, file, codes, parsed)
        for surface in surfaces:
            if kind == "person":
                people.setdefault(name_key(surface), entry)
                if " " not in surface:  # a surname alone: matched as d.surnames are, with their checks
                    d.lower_surnames[surface] = entry
                    continue
            d.lower_names.setdefault(surface, []).append(entry)
    for phrase, sector, person in data["agents"]:
        d.roles[phrase] = RoleNoun(sector, person, False, phrase)
    return people


_NON_WORD = re.compile(r"\W")


def name_key(name: str) -> str:
    """A name reduced to its letters and digits, for matching names across layers."""
    return _NON_WORD.sub("", name.lower())


def _supersede(d: Dictionary, phoenix_people: dict[str, Entry]) -> None:
    """A curated or user person who is also in Phoenix replaces the Phoenix entry under all of
    Phoenix's names for them (their roles since 2014 are ours; the older names still find them)."""
    replace: dict[int, Entry] = {}
    for canonical, names in d.person_names.items():
        entry = next((e for e in d.names.get(canonical, ()) if e.type == "person"), None)
        for n in names if entry is not None else ():
            old = phoenix_people.get(name_key(n))
            if old is not None:
                replace[id(old)] = entry
                d.superseded[entry.name] = f"{old.name} ({old.source})"
    if not replace:
        return
    for bucket in d.lower_names.values():
        bucket[:] = [replace.get(id(e), e) for e in bucket]
    for surface, entry in list(d.lower_surnames.items()):
        d.lower_surnames[surface] = replace.get(id(entry), entry)
