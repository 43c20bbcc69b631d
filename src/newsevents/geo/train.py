"""``newsevents train geo``: fit the place ranker on every gold set and write ``data/geo/ranker.json``.

The gold articles are parsed and their toponyms found and rule-resolved exactly as in the
pipeline (:func:`newsevents.evaluation.geo.prepare`); each name's gold candidate is the gold
GeoNames id, else the candidate nearest the gold point within 161 km. The file records the
sha256 of each gold file, its size in articles and labelled names, and the command. About two
minutes on one core, nearly all of it spaCy parsing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from ..data import data_path
from .rank import RANKER_FILE, Ranker, fit, sha256

C = 1.0  # inverse L2 strength; 0.1 and 10 give the same held-out figures (docs/places.md)


def train(gold: str | Path, out: str | Path | None = None, log: Callable[[str], None] = print) -> Path:
    """Fit the ranker on the gold sets at ``gold`` and write it to ``out`` (default: the package's own)."""
    from ..evaluation.geo import prepare, read_sets

    sources, groups = [], []
    for s in read_sets(gold):
        log(f"parsing {s.name} ({len(s.articles)} articles)")
        got = [g for p in prepare(s.articles) for g in p.groups]
        groups += got
        sources.append({"set": s.name, "file": s.path.name, "sha256": sha256(s.path), "articles": len(s.articles),
                        "labelled_names": sum(g.label >= 0 and len(g.rows) > 1 for g in got)})
    ranker: Ranker = fit(groups, C=C, meta={
        "model": "logistic regression over each toponym's candidate places (newsevents.geo.rank)",
        "trained_on": sources, "C": C, "scikit_learn": version("scikit-learn"),
        "command": "newsevents train geo --gold ../shared/gold/geo"})
    path = Path(out) if out else data_path("geo", RANKER_FILE)
    path.write_text(json.dumps(ranker.to_json(), indent=1) + "\n", encoding="utf-8")
    log(f"{ranker.meta['names']} names, {ranker.meta['candidates']} candidates")
    return path
