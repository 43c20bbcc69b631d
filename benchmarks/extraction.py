"""Body extraction on L3S-GN1 and on pages in other languages: trafilatura alone vs newsevents
ingest, token-level P/R/F1.

usage: python benchmarks/extraction.py [L3S_GN1_DIR] [--limit N]
(default dir: ../shared/gold/extraction/l3s-gn1). Prints one row per extractor and set; the
second set is the pages of ``pages_multilingual.py`` (Russian, Arabic, Chinese, Japanese,
Portuguese, written for this benchmark).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import trafilatura
from pages_multilingual import PAGES, page

from newsevents.errors import IngestError
from newsevents.evaluation.extraction import score
from newsevents.ingest import read_text
from newsevents.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def trafilatura_alone(html: str) -> str | None:
    return trafilatura.extract(html)


def newsevents_ingest(html: str) -> str | None:
    try:
        return read_text(html, fmt="html", settings=SETTINGS).body
    except IngestError:
        return None


SETTINGS = Settings()  # as users run it: every language is kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", nargs="?", default=str(ROOT.parent / "shared" / "gold" / "extraction" / "l3s-gn1"))
    ap.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    args = ap.parse_args()
    other = [(lang, page(lang), page(lang)) for lang in PAGES]
    print(f"Body extraction (gold: x-nc-sel2 main text); L3S-GN1 from {args.root}")
    print(f"{'set':<14}{'extractor':<22}{'pages':>6}{'P':>8}{'R':>8}{'F1':>8}{'macroF1':>9}{'empty':>7}{'s':>7}")
    for set_name, pages in (("L3S-GN1", Path(args.root)), ("other langs", other)):
        for name, fn in (("trafilatura alone", trafilatura_alone), ("newsevents ingest", newsevents_ingest)):
            t = time.perf_counter()
            s = score(pages, fn, args.limit)
            print(f"{set_name:<14}{name:<22}{s.pages:>6}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
                  f"{s.macro_f1:>9.3f}{s.empty:>7}{time.perf_counter() - t:>7.1f}")


if __name__ == "__main__":
    main()
