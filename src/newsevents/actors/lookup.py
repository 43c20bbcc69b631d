"""Which layer of the actor dictionary codes a name, and why (``newsevents actors lookup``)."""

from __future__ import annotations

from dataclasses import dataclass

from .dictionary import Dictionary, Entry, role_at
from .find import _entry_code, _pick


@dataclass
class Finding:
    """One way the dictionary reads a name."""

    how: str  # "name as written", "name (any case)", "surname", "role noun"
    layer: str  # phoenix | curated | user
    source: str  # the file
    name: str
    type: str
    code: str | None
    country: str | None
    sector: str | None
    why: str  # the role held on the date, the default code ...
    wins: bool  # what the actors stage uses for these words alone


def lookup(d: Dictionary, text: str, date: str | None = None) -> list[Finding]:
    """Every entry ``text`` reaches, first the one the stage uses: our and the user's names as
    written win over Phoenix's (matched regardless of case), names over surnames; role nouns
    ("police") are listed when the text is one."""
    from spacy.lang.en import English

    text = text.strip()
    lower = " ".join(t.lower_ for t in English().tokenizer(text))
    found: list[Finding] = []
    if text in d.names:
        found.append(_finding("name as written", _pick(d.names[text]), date, d))
    if lower in d.lower_names:
        found.append(_finding("name (any case)", _pick(d.lower_names[lower]), date, d))
    if " " not in text:
        if text in d.surnames:
            found.append(_finding("surname", d.surnames[text][-1], date, d))
        if lower in d.lower_surnames:
            found.append(_finding("surname (any case)", d.lower_surnames[lower], date, d))
    unique: list[Finding] = []
    for f in found:  # the same entry reached twice ("Obama" as written and in any case): once
        if not any((u.name, u.source, u.code) == (f.name, f.source, f.code) for u in unique):
            unique.append(f)
    found = unique
    for i, f in enumerate(found):
        f.wins = i == 0
    if text.lower() in d.roles:
        rn = d.roles[text.lower()]
        layer = "curated" if rn.relational or not rn.role else "phoenix or curated"
        found.append(Finding("role noun", layer, "roles.yaml / Phoenix.agents.txt", text.lower(), "person" if rn.person
                             else "group", rn.sector, None, rn.sector,
                             "the country comes from a modifier or the article (\"Iraqi police\" -> IRQCOP)"
                             if not rn.relational else "the sector comes from what it belongs to (\"Taliban spokesman\")",
                             not found))
    return found


def _finding(how: str, entry: Entry, date: str | None, d: Dictionary) -> Finding:
    layer, _, source = entry.source.partition(":")
    code, country, sector, _role = _entry_code(entry, date)
    why = _why(entry, date)
    if entry.name in d.superseded:
        why += f"; replaces Phoenix's {d.superseded[entry.name]}"
    return Finding(how, layer or "curated", source, entry.name, entry.type, code, country, sector, why, False)


def _why(entry: Entry, date: str | None) -> str:
    if not entry.roles:
        return "its own code (no dates)"
    role = role_at(entry, date)
    on = f"on {date}" if date else "latest"
    if role is None or (entry.type != "person" and role.role.startswith("former")):
        own = "its own code" if entry.type != "person" else "no role"
        return f"{own} {on}: its dated roles run from {entry.roles[0].start}"
    if role.role.startswith("former"):
        last = [r for r in entry.roles if r.end][-1]
        return f"{role.role} {on}: held {last.start} to {last.end} ({last.country} {last.sector or ''})".replace(" )", ")")
    span = f"{role.start or 'undated'} to {role.end or 'open'}"
    return f"{role.role or 'coded'} {on}: role {role.country} {role.sector or ''} from {span}".replace("  ", " ")
