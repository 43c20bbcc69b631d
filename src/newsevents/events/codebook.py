"""The CAMEO codebook as package data: code -> name, root, Goldstein score, quad class, PLOVER.

``data/events/cameo.tsv`` is built from the public codebooks by :func:`build` (run
``python -m newsevents.events.codebook GOLD_EVENTS_DIR``); the README next to it gives the
sources and licences. At run time only the TSV is read.

Quad classes follow the labels of the development gold (Multi-CoPED / ConfliBERT): 0 neutral
statement (CAMEO roots 01 statement and 02 appeal), 1 verbal cooperation (03-05), 2 material
cooperation (06-08), 3 verbal conflict (09-13 and 16 reduce relations: the gold labels
sanctions, expulsions and aid cuts as verbal conflict), 4 material conflict (14, 15, 17-20).
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data import data_path

#: CAMEO root -> quad class (0 neutral .. 4 material conflict), as the gold files label them.
ROOT_QUAD: dict[str, int] = {
    "01": 0, "02": 0, "03": 1, "04": 1, "05": 1, "06": 2, "07": 2, "08": 2, "09": 3, "10": 3,
    "11": 3, "12": 3, "13": 3, "14": 4, "15": 4, "16": 3, "17": 4, "18": 4, "19": 4, "20": 4,
}

COLUMNS = ("code", "root", "name", "goldstein", "quad_class", "plover", "plover_mode", "plover_context", "plover_from")


@dataclass(frozen=True)
class Code:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None
    plover_from: str  # "table" (CAMEO2PLOVER), "analogy" (02 appeals read as REQUEST) or "" (none)


@lru_cache(maxsize=1)
def codebook() -> dict[str, Code]:
    """Every CAMEO code (2-4 digits) -> its :class:`Code`."""
    out = {}
    with open(data_path("events", "cameo.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            out[row["code"]] = Code(
                code=row["code"], root=row["root"], name=row["name"], goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]), plover=row["plover"] or None,
                plover_mode=row["plover_mode"] or None, plover_context=row["plover_context"] or None,
                plover_from=row["plover_from"],
            )
    return out


def lookup(code: str) -> Code:
    """The codebook entry of ``code``; an unknown 4-digit code falls back to its 3-digit parent."""
    book = codebook()
    while code not in book and len(code) > 2:
        code = code[:-1]
    return book[code]


# --- building the TSV from the public codebooks -------------------------------------------------

_PLOVER_LINE = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*?)\s*(?:,\s*([^#]*?))?)?\s*(?:#.*)?$")


def _plover_table(path: Path) -> dict[str, tuple[str, str, str]]:
    table: dict[str, tuple[str, str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _PLOVER_LINE.match(line.strip())
        if not m:
            continue
        code, kind, mode, context = m.group(1), m.group(2), (m.group(3) or "").strip(), (m.group(4) or "").strip()
        # "08: RETREAT" style root lines carry no mode; the first mapping of a code wins
        table.setdefault(code, (kind, mode, context.replace("; ", ";")))
    return table


def build(gold_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write ``data/events/cameo.tsv`` from the codebooks in ``gold_dir``; returns its path.

    Inputs: ``cameo-codebook.csv`` (names, Goldstein, roots; andybega/icews, MIT),
    ``cameo-goldstein.tsv`` (fills Goldstein gaps), ``CAMEO2PLOVER-2021.txt`` (PLOVER type,
    mode, context; openeventdata/PLOVER, CC BY-SA 4.0). CAMEO 02 (appeal) has no row in the
    PLOVER table; PLOVER's REQUEST covers "all requests, demands, and orders", so 02x codes take
    REQUEST with the mode of their 10x counterpart (020 <-> 100, 021 <-> 101 ...), marked
    ``plover_from=analogy``. CAMEO 01 (statements) has no PLOVER type.
    """
    gold_dir = Path(gold_dir)
    out = Path(out) if out else data_path("events", "cameo.tsv")
    goldstein = {}
    for line in (gold_dir / "cameo-goldstein.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            code, score = line.split("\t")
            goldstein[code.strip()] = float(score)
    plover = _plover_table(gold_dir / "CAMEO2PLOVER-2021.txt")
    rows = []
    with open(gold_dir / "cameo-codebook.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["code"].strip()
            score = float(r["goldstein"]) if r["goldstein"] not in ("", "NA") else goldstein[code]
            kind, mode, context, source = "", "", "", ""
            if code in plover:
                (kind, mode, context), source = plover[code], "table"
            elif code.startswith("02") and "10" + code[2:] in plover:
                (kind, mode, context), source = plover["10" + code[2:]], "analogy"
            elif code == "02":
                kind, source = "REQUEST", "analogy"
            rows.append((code, r["root_code"].strip(), r["name"].strip(), f"{score:g}",
                         str(ROOT_QUAD[r["root_code"].strip()]), kind, mode, context, source))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("# Built by `python -m newsevents.events.codebook` from the CAMEO (MIT) and PLOVER (CC BY-SA 4.0)"
                " codebooks; see README.md\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    return out


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else "../shared/gold/events"))
