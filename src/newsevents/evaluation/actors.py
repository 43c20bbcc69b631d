"""Score actor coding against our own dev set of VOA 2025 actor mentions (no public gold codes
actors by country and sector).

The dev set (``data/actors-voa-2025-dev.jsonl``, see ``data/README.md``) was chosen by a fixed
procedure, :func:`select_mentions`, before any change it measures, and annotated by reading
each sentence: every 10th grammatical subject that is a noun phrase (not a pronoun) in
``../shared/corpus/voa-2025.jsonl``, in file order. Each item holds the article id and date, the
character span of the noun phrase (its head and the words to its left), its text, and the
gold ``country`` (ISO alpha-3; for actors of no one country the first three letters of their
CAMEO code: ``IGO``, ``NGO``, ``IMG`` (transnational armed groups), a region such as ``EUR``
or ``WST``; null when the text does not say) and ``sector`` (CAMEO role code or null);
``actor: false`` marks a subject that is no actor ("the storm", "the law"), left out of the
scores. REB, INS and SEP are scored as one class.

Scored: each actor item's span is coded with :func:`newsevents.actors.resolve_span` (what
events and quotes use) on the pipeline's parse; country accuracy, sector accuracy, both, and
how many got any code at all. Only public functions are used, so the same scorer measures an
older checkout (``PYTHONPATH=/path/to/old/src python -m newsevents.evaluation.actors``).

    python -m newsevents.evaluation.actors [--corpus ../shared/corpus/voa-2025.jsonl] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

DEV = Path(__file__).resolve().parent / "data" / "actors-voa-2025-dev.jsonl"
CORPUS = Path("../shared/corpus/voa-2025.jsonl")
EVERY = 10
_SUBJECTS = {"nsubj", "nsubjpass"}
_LEFT = {"det", "poss", "compound", "amod", "nmod", "nummod", "case", "punct", "predet", "quantmod"}


def _articles(corpus: Path):
    from ..model import Article

    for line in corpus.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        yield Article(id=row["id"], body=row["text"], title=row.get("title"), published=row.get("published"),
                      language="en", source=str(corpus))


def select_mentions(corpus: Path = CORPUS, every: int = EVERY) -> list[dict]:
    """Every ``every``-th subject noun phrase of the corpus (the procedure that chose the dev set):
    the head (a noun or proper noun with dependency nsubj/nsubjpass) and its left dependents."""
    from .. import Settings
    from ..pipeline import Pipeline

    parse = Pipeline(Settings(stages=("parse",)), keep_parse=True)
    out, n = [], 0
    for doc in parse.pipe(_articles(corpus)):
        for tok in doc.parse:
            if tok.dep_ not in _SUBJECTS or tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            n += 1
            if n % every:
                continue
            start = min([tok.i] + [t.i for c in tok.lefts if c.dep_ in _LEFT for t in c.subtree])
            while start < tok.i and doc.parse[start].is_punct:
                start += 1
            s, e = doc.parse[start].idx, tok.idx + len(tok)
            out.append({"article": doc.article.id, "published": doc.article.published, "start": s, "end": e,
                        "text": doc.article.body[s:e], "sentence": tok.sent.text})
    return out


def _armed(sector: str | None) -> str | None:
    """Rebels, insurgents and separatists count as one class: annotators (and dictionaries)
    draw the lines between them differently."""
    return "REB" if sector in {"REB", "INS", "SEP"} else sector


def evaluate(dev: Path = DEV, corpus: Path = CORPUS, errors: bool = False) -> dict:
    from .. import Settings
    from ..actors import resolve_span
    from ..pipeline import Pipeline

    items = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_article: dict[str, list[dict]] = {}
    for it in items:
        if it.get("actor", True):
            by_article.setdefault(it["article"], []).append(it)
    pipe = Pipeline(Settings(), keep_parse=True)
    counts: Counter = Counter()
    wrong = []
    for doc in pipe.pipe(a for a in _articles(corpus) if a.id in by_article):
        for it in by_article[doc.article.id]:
            if doc.article.body[it["start"]:it["end"]] != it["text"]:
                raise ValueError(f"{dev}: {it['text']!r} is not at {it['start']} in article {it['article']}")
            ref = resolve_span(doc, it["start"], it["end"])
            # an actor of no one country is scored by its code's prefix (IGOUNO -> IGO, WSTPTY -> WST)
            country = ref.country or (ref.code[:3] if ref.code and ref.code != ref.sector else None)
            ok_c, ok_s = country == it["country"], _armed(ref.sector) == _armed(it["sector"])
            counts.update(n=1, coded=bool(ref.code), country=ok_c, sector=ok_s, both=ok_c and ok_s)
            if errors and not (ok_c and ok_s):
                wrong.append(f"{it['text']!r:45} gold {it['country']}/{it['sector']}  got {country}/{ref.sector} "
                             f"({ref.code})")
    n = counts["n"] or 1
    scores = {"mentions": counts["n"], **{k: round(counts[k] / n, 3) for k in ("coded", "country", "sector", "both")}}
    if errors:
        scores["errors"] = wrong
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--errors", action="store_true", help="list the mentions coded wrongly")
    ap.add_argument("--select", action="store_true", help="print the mentions the procedure selects (JSON lines)")
    args = ap.parse_args(argv)
    if args.select:
        for m in select_mentions(args.corpus):
            print(json.dumps(m, ensure_ascii=False))
        return 0
    scores = evaluate(args.dev, args.corpus, args.errors)
    for line in scores.pop("errors", []):
        print(line)
    print(json.dumps(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
