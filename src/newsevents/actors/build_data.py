"""Regenerate ``data/actors/countries.csv`` from maintained libraries (a developer tool).

    python -m newsevents.actors.build_data

Country codes and names come from pycountry (ISO 3166-1); demonyms, capitals and alternative
spellings from countryinfo (MIT). Neither is needed at run time: the CSV is committed, so
loading the actor dictionary stays a file read. Hand-written additions (aliases such as
"America", plural demonyms, metonyms) live in ``countries.yaml`` and are merged at load.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "actors" / "countries.csv"
_NAME_OK = re.compile(r"^[A-Za-z][A-Za-z .'\-]+$")


def _clean(name: str | None) -> str | None:
    if not name or "," in name or not _NAME_OK.match(name):
        return None
    name = re.sub(r"^the ", "", name.strip())
    # bare ISO codes ("RU", "RUS") are dropped: short aliases are curated in countries.yaml
    return None if len(name) <= 3 and name.isupper() else name


def rows() -> list[dict[str, str]]:
    import countryinfo
    import pycountry

    info_dir = Path(countryinfo.__file__).parent / "data"
    info = {}
    for path in sorted(info_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        a3 = (data.get("ISO") or {}).get("alpha3")
        if a3:
            info[a3] = data
    out = []
    for c in pycountry.countries:
        extra = info.get(c.alpha_3, {})
        names: list[str] = []
        for n in (extra.get("name"), getattr(c, "common_name", None), c.name, getattr(c, "official_name", None),
                  *(extra.get("altSpellings") or [])):
            n = _clean(n)
            if n and n not in names:
                names.append(n)
        out.append({
            "alpha3": c.alpha_3,
            "alpha2": c.alpha_2,
            "name": names[0] if names else c.name,
            "names": "|".join(names),
            "demonym": _clean((extra.get("demonym") or "").split(",")[0]) or "",
            "capital": _clean(extra.get("capital")) or "",
        })
    return out


def main() -> None:
    data = rows()
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(data[0]))
        w.writeheader()
        w.writerows(data)
    print(f"wrote {len(data)} countries to {OUT}")


if __name__ == "__main__":
    main()
