"""Convert the PETRARCH-2 / Phoenix actor and agent dictionaries into package data (a developer tool).

    python -m newsevents.actors.build_petrarch ../shared/resources/petrarch2

Reads the TABARI-format dictionaries of openeventdata/petrarch2 (MIT, Open Event Data Alliance
2014): ``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt``,
``Phoenix.MilNonState.actors.txt`` and ``Phoenix.agents.txt``, and writes
``data/actors/phoenix.json.gz`` (with the licence beside it as ``phoenix.LICENSE``). Only the
built file is read at run time; ``../shared`` never is.

The format (PETRARCH-2 manual): a name line, ``+`` synonym lines, ``[CODE]`` or dated
``[CODE YYMMDD-YYMMDD]`` / ``[CODE >YYMMDD]`` / ``[CODE <YYMMDD]`` codes (on the name line or on
lines of their own), ``#`` comments, underscores joining words. An undated code is the default
that applies when no dated one does. Agents: ``NOUN {PLURAL} [~SECTOR]`` with ``!MACRO!``
expansions (``!PERSON!`` = man, men, woman, women, person).

What the build drops, and why (each is a rule, never a list of names):
- synonyms made of a title and another synonym of the same entry ("PRESIDENT_PUTIN",
  "RUSSIAN_PRESIDENT_VLADIMIR_PUTIN", "MR._OBAMA"): titles and modifiers are read from the
  syntax, so the mention keeps the extent of the name itself;
- a person's synonyms that end in an agent noun ("OBAMA_ADMINISTRATION"): the government, not
  the person; the stage codes them from the noun and its modifier;
- synonyms made of another synonym and an agent noun ("WHITE_HOUSE_SPOKESMAN"): the stage codes
  the noun with the name as its modifier;
- synonyms that are themselves agent nouns ("SENATE" under the USA): a common noun, not a name;
- a leading "THE" ("THE_USA" is "USA"): the determiner is not part of the name;
- names shared by entries with different codes (two people called "MOHAMMED ALI").
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "actors"
OUT = DATA / "phoenix.json.gz"
LICENSE_OUT = DATA / "phoenix.LICENSE"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
AGENT_FILE = "Phoenix.agents.txt"
SOURCE = "openeventdata/petrarch2 @ 676801c (Phoenix dictionaries, generated from CountryInfo.140130, Jan 2014); MIT"

_CODE = re.compile(r"\[([^\]]*)\]")
_DATED = re.compile(r"^(?P<code>[A-Z~-]+)\s*(?:(?P<from>\d{6,10})?\s*-\s*(?P<to>\d{6,10})|>\s*(?P<after>\d{6,10})"
                    r"|<\s*(?P<before>\d{6,10}))?$")


@dataclass
class Block:
    """One dictionary entry: a name, its synonyms and codes."""

    name: str
    file: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (code, start, end) ISO dates
    comment: str = ""


def _date(text: str) -> str | None:
    """YYMMDD or YYYYMMDD to ISO. Two-digit years up to 14 are 20xx (the dictionaries were made in
    January 2014, so no date lies later): 080507 is 2008, 670101 is 1967, 300101 is 1930."""
    if len(text) == 6:
        yy = int(text[:2])
        year, rest = (2000 + yy if yy <= 14 else 1900 + yy), text[2:]
    elif len(text) == 8:
        year, rest = int(text[:4]), text[4:]
    else:
        return None  # a typo in the source ("2004017"): the code is kept undated
    month, day = int(rest[:2]), int(rest[2:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _codes(text: str) -> list[tuple[str, str | None, str | None]]:
    out = []
    for raw in _CODE.findall(text):
        m = _DATED.match(raw.strip())
        if not m or not m.group("code").strip("-"):
            continue  # "[---]": no code
        code = m.group("code").replace("~", "")
        start = _date(m.group("from") or m.group("after") or "") if (m.group("from") or m.group("after")) else None
        end = _date(m.group("to") or m.group("before") or "") if (m.group("to") or m.group("before")) else None
        out.append((code, start, end))
    return out


def _words(raw: str) -> str:
    """'RUSSIAN_FEDERATION_' -> 'RUSSIAN FEDERATION'."""
    return " ".join(w for w in re.split(r"[_\s]+", raw.strip()) if w)


def read_actors(path: Path) -> list[Block]:
    """The entries of a TABARI .actors file, in file order."""
    blocks: list[Block] = []
    cur: Block | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body, _, comment = line.partition("#")
        if not body.strip():
            continue
        if body[0] in " \t" and body.strip().startswith("["):  # a code line of the current entry
            if cur is not None:
                cur.codes.extend(_codes(body))
            continue
        name_part = _CODE.split(body)[0] if "[" in body else body
        if body.startswith("+"):
            if cur is not None:
                syn = _words(name_part[1:])
                if syn:
                    cur.synonyms.append(syn)
                cur.codes.extend(_codes(body))
            continue
        name = _words(name_part)
        if not name:
            continue
        cur = Block(name=name, file=path.name, codes=_codes(body), comment=comment.strip())
        blocks.append(cur)
    return [b for b in blocks if b.codes]


def read_agents(path: Path) -> list[tuple[str, str, bool]]:
    """(noun phrase, sector code, names a person) of the agents file, macros and plurals expanded."""
    macros: dict[str, list[str]] = {}
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", body)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        codes = _CODE.findall(body)
        if not codes:
            continue
        code = codes[-1].replace("~", "").strip()
        if not code or not code[:3].isalpha():
            continue  # "[IGO~]": an IGO's own agents, coded with the IGO
        head = _CODE.split(body)[0]
        plural = re.search(r"\{([^}]*)\}", head)
        head = re.sub(r"\{[^}]*\}", "", head).strip()
        forms = [head]
        person = False
        for macro, words in macros.items():
            if macro in head:
                person = person or macro == "!PERSON!"
                forms = [f.replace(macro, w) for f in forms for w in words]
        if plural and plural.group(1).strip():
            forms.append(plural.group(1).strip())
        for f in forms:
            phrase = _words(f).lower()
            words = phrase.split()
            if not words or "!" in phrase or words[-1] in _FUNCTION_WORDS or words[0] in ("a", "an", "the"):
                continue  # "AMBASSADOR_TO", "A_CABINET_MEETING": patterns of PETRARCH's parser, not nouns
            out.append((phrase, code[:3], person or _names_person(words[-1])))
    return out


_FUNCTION_WORDS = {"of", "to", "in", "for", "at", "on", "with", "by", "from", "and", "the", "a"}
_PERSON_END = re.compile(r"(?:er|or|ist|ian|man|men|woman|women|person|people|crat|arch|chief|ess|ee|eer)s?$")
_THING_END = re.compile(r"(?:center|centre|border|order|water|power|quarter|chamber|paper|shelter|theater|theatre|"
                        r"sector|reactor|harbor|harbour|corridor|committee|tanker|freighter|carrier|fighter|bomber|"
                        r"helicopter|launcher|destroyer|cruiser|computer|headquarter|press)s?$")


def _names_person(word: str) -> bool:
    """Whether an agent noun names a person ("minister", "rebel leader") rather than a body or
    a thing: by its ending, as the source does not say."""
    return bool(_PERSON_END.search(word)) and not _THING_END.search(word)


def _title(name: str) -> str:
    """A display form of an upper-case dictionary name: 'AL-QAEDA' -> 'Al-Qaeda', 'U.N.' stays."""
    def word(w: str) -> str:
        if len(w) <= 4 and ("." in w or not re.search(r"[AEIOUY]", w)):
            return w  # acronyms: U.N., NATO-like strings without vowels (CNN)
        return "-".join(p[:1] + p[1:].lower() for p in w.split("-"))
    return " ".join(word(w) for w in name.split())


def _tokens(nlp, names: list[str]) -> list[str]:
    """Each name tokenized as the pipeline's tokenizer does (title case, as names are written),
    lower-cased, tokens joined by single spaces."""
    return [" ".join(t.lower_ for t in doc) for doc in nlp.tokenizer.pipe([_title(n) for n in names])]


def _starts_with_agent(words: str, agent_nouns: set[str]) -> bool:
    parts = words.split()
    return any(" ".join(parts[:n]) in agent_nouns for n in range(1, len(parts) + 1))


_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "madam", "president-elect",
               "premier-elect", "secretary-general", "secretary", "general", "gen.", "lt.", "col.", "sen.", "rep."}


def _key(surface: str) -> str:
    return re.sub(r"\W", "", surface.lower())


def build(src: Path) -> dict:
    import spacy

    nlp = spacy.blank("en")
    agents = read_agents(src / AGENT_FILE)
    agent_nouns = {phrase for phrase, _, _ in agents}
    titles = _HONORIFICS | {w for phrase in agent_nouns for part in phrase.split()[-1:] for w in (part, *part.split("-"))}
    blocks = [b for name in ACTOR_FILES for b in read_actors(src / name)]

    entries = []
    for b in blocks:
        kind = _kind(b)
        # a leading "THE" is the syntax's business, as in our own files ("the USA" is "USA")
        surfaces = [re.sub(r"^THE ", "", n) for n in (b.name, *b.synonyms)]
        keep = []
        for s in dict.fromkeys(surfaces):
            words = s.lower().split()
            if s.lower() in agent_nouns:
                continue
            if kind == "person" and len(words) > 1 and words[-1] in agent_nouns:
                continue
            if any(o != s and s.endswith(" " + o) and s[:-len(o)].split()[-1].lower() in titles for o in surfaces):
                continue
            if any(o != s and s.startswith(o + " ") and _starts_with_agent(s[len(o) + 1:].lower(), agent_nouns)
                   for o in surfaces):
                continue  # "WHITE_HOUSE_SPOKESMAN": the agent noun with its modifier
            keep.append(s)
        if keep:
            codes = sorted(b.codes, key=lambda c: c[1] or "")  # the order role_at reads them in: undated first
            entries.append([_title(keep[0]), kind, b.file, [list(c) for c in codes], keep])

    # names given to entries with different codes are ambiguous: dropped from all of them
    by_key: dict[str, set[str]] = {}
    for name, kind, _file, codes, surfaces in entries:
        sig = "|".join(sorted({c[0] for c in codes})) + (kind if kind == "country" else "")
        for s in surfaces:
            by_key.setdefault(_key(s), set()).add(sig)
    ambiguous = {k for k, sigs in by_key.items() if len(sigs) > 1}
    actors = []
    for name, kind, file, codes, surfaces in entries:
        surfaces = [s for s in surfaces if _key(s) not in ambiguous]
        if kind == "country":  # each of a country's names its own actor: "Kandahar" is not named "Afghanistan"
            actors += [[_title(s), kind, file, codes, _tokens(nlp, [s])] for s in surfaces]
        elif surfaces:
            actors.append([name, kind, file, codes, _tokens(nlp, surfaces)])
    return {
        "source": SOURCE,
        "licence": "MIT; see phoenix.LICENSE",
        "files": [*ACTOR_FILES, AGENT_FILE],
        "actors": actors,  # [display name, type, file, [[code, start, end], ...], [surface tokens, ...]]
        "agents": sorted({(p, c, person) for p, c, person in agents}),  # [phrase, sector, names a person]
        "dropped_ambiguous": len(ambiguous),
    }


def _kind(b: Block) -> str:
    """country (a country's own names: the bare country code), person (dated codes, or the
    CountryInfo / IGO rulers lists) or organization."""
    if any(s or e for _, s, e in b.codes) or "CountryInfo" in b.comment or "IGOrulers" in b.comment:
        return "person"
    if len(b.codes) == 1 and re.fullmatch(r"[A-Z]{3}", b.codes[0][0]) and b.file.startswith("Phoenix.Countries"):
        return "country"
    return "organization"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build data/actors/phoenix.json.gz from the PETRARCH-2 dictionaries.")
    ap.add_argument("src", type=Path, help="the petrarch2 folder, e.g. ../shared/resources/petrarch2")
    args = ap.parse_args(argv)
    missing = [n for n in (*ACTOR_FILES, AGENT_FILE, "LICENSE") if not (args.src / n).is_file()]
    if missing:
        print(f"{args.src}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    data = build(args.src)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    LICENSE_OUT.write_text(f"The files phoenix.json.gz is built from: {SOURCE}\n\n"
                           + (args.src / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    people = sum(1 for a in data["actors"] if a[1] == "person")
    names = sum(len(a[4]) for a in data["actors"])
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB): {len(data['actors'])} actors ({people} people), "
          f"{names} names, {len(data['agents'])} agent nouns; {data['dropped_ambiguous']} ambiguous names dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
