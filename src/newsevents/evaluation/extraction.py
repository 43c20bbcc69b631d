"""Body extraction against L3S-GN1 (Kohlschütter et al. 2010): token-level precision, recall, F1.

The gold pages mark blocks with CSS classes: ``x-nc-sel1`` headline, ``x-nc-sel2`` main text,
``x-nc-sel3`` supplemental text (dates, captions), ``x-nc-sel4`` related content and
``x-nc-sel5`` comments. An article body is the main text (sel2). Tokens are lower-cased runs of
letters and digits, and each character of scripts written without spaces (Chinese, Japanese); precision and recall are over the multiset of tokens (a token found twice
counts twice), micro-averaged over pages (summed counts), and also macro-averaged (mean of
per-page F1).
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html

BODY_CLASSES = ("x-nc-sel2",)
# a character of a script without spaces between words is a token; else a run of letters and digits
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]|"
                    r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+")


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def gold_body(html: str, classes: tuple[str, ...] = BODY_CLASSES) -> str:
    """The text of the gold blocks of ``classes`` in an annotated page."""
    tree = lxml.html.fromstring(html)
    parts = []
    for cls in classes:
        parts += [el.text_content() for el in tree.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]')]
    return "\n".join(parts)


def pages(root: Path) -> Iterator[tuple[str, str, str]]:
    """``(page id, input html, gold html)`` for each page of the L3S-GN1 folder ``root``."""
    for gold in sorted((root / "GoldStandard").glob("*.txt.gz")):
        page = gold.name.split(".")[0]
        src = root / "input" / f"{page}.html.gz"
        if src.exists():
            yield page, _read(src), _read(gold)


def _read(path: Path) -> str:
    data = gzip.decompress(path.read_bytes())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    macro_f1: float
    pages: int
    empty: int  # pages where the extractor returned nothing


def score(root: Path | Iterable[tuple[str, str, str]], extractor: Callable[[str], str | None],
          limit: int | None = None) -> Score:
    """Token P/R/F1 of ``extractor`` over the L3S-GN1 folder ``root``, or over ``(id, input html,
    gold html)`` pages marked the same way."""
    tp = fp = fn = 0
    f1s, empty, n = [], 0, 0
    for i, (_, html, gold_html) in enumerate(pages(root) if isinstance(root, Path) else root):
        if limit is not None and i >= limit:
            break
        n += 1
        gold = tokens(gold_body(gold_html))
        try:
            pred = tokens(extractor(html) or "")
        except Exception:  # a crash counts as an empty extraction
            pred = Counter()
        if not pred:
            empty += 1
        hit = sum((gold & pred).values())
        tp += hit
        fp += sum(pred.values()) - hit
        fn += sum(gold.values()) - hit
        p = hit / sum(pred.values()) if pred else 0.0
        r = hit / sum(gold.values()) if gold else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0, sum(f1s) / len(f1s) if f1s else 0.0, n, empty)
