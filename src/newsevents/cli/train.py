"""``newsevents train ...``: rebuild the shipped models from data (one command per model)."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import app
from ._common import console, plain

train_app = typer.Typer(help="Rebuild the shipped models from the gold data.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("events")
def events(
    gold: Path = typer.Option(Path("../shared/gold/events"), "--gold", exists=True, file_okay=False,
                              help="Folder with the ConfliBERT class and NER files and plv-train.tsv."),
    out: Path = typer.Option(None, "--out", help="The model folder to write (default: the package's own)."),
    vectors: str = typer.Option("tok2vec", "--vectors", help="The token vectors it reads: tok2vec (the parse's own, "
                                "free at run time) or minilm (a frozen MiniLM encoder, ~2 ms of CPU a sentence; evtype-v1)."),
    encoder: bool = typer.Option(False, "--encoder", help="With --vectors minilm: export the MiniLM encoder into it again "
                                 "(needs the train extra); it is exported anyway where the folder lacks it."),
) -> None:
    """Fit the event type model (the sentence's token vectors with the dyad marked + the rules' evidence) on all the event gold.

    Example: newsevents train events --gold ../shared/gold/events
    """
    from ..evaluation.event_model import cross_validate
    from ..events.typemodel import WIDTHS
    from ..events.typetrain import train

    if vectors not in WIDTHS:
        raise typer.BadParameter(f"{vectors!r}: choose one of {', '.join(WIDTHS)}", param_hint="--vectors")
    path = train(gold, cross_validate, out=out, export_encoder=encoder, vectors=vectors,
                 log=lambda m: console.print(m, highlight=False))
    console.print(f"wrote {plain(path)}; score it with `newsevents evaluate events`", highlight=False)


@train_app.command("geo")
def geo(
    gold: Path = typer.Option(Path("../shared/gold/geo"), "--gold", exists=True, file_okay=False,
                              help="Folder with GWN.xml and GeoVirus.xml."),
    out: Path = typer.Option(None, "--out", help="The weights file to write (default: the package's data/geo/ranker.json)."),
) -> None:
    """Fit the place ranker (logistic regression over each toponym's candidate places) on every geo gold set.

    Example: newsevents train geo --gold ../shared/gold/geo
    """
    from ..geo.train import train

    path = train(gold, out=out, log=lambda m: console.print(m, highlight=False))
    console.print(f"wrote {plain(path)}; score it with `newsevents evaluate geo` (each set with a ranker trained on the "
                  "other)", highlight=False)


@train_app.command("quotes")
def quotes(
    polnear: Path = typer.Option(Path("../shared/gold/quotes/polnear/train"), "--polnear", exists=True, file_okay=False,
                                 help="A PolNeAR split folder (text/ and attributions/) to learn from."),
    out: Path = typer.Option(None, "--out", help="The folder to write the weights to (default: the package's own)."),
    folds: int = typer.Option(3, "--folds", help="Cross-validate by article with this many folds first (0: skip)."),
    model: str = typer.Option("predicates", "--model", help="predicates: the cue classifier (data/quotes/predicates.json, "
                              "the default reading); crf: the CRF tagger (data/quotes/attribution.crfsuite); tensor: "
                              "the token head over the parse's own vectors (data/quotes/tokenhead.npz; needs torch)."),
) -> None:
    """Fit the learned attribution reading on PolNeAR train: the cue classifier over the parse's
    predicates (default), the CRF tagger over the parse and the rules' reading, or the token head
    (a small GRU) over the parse's own token vectors.

    Example: newsevents train quotes --polnear ../shared/gold/quotes/polnear/train
    """
    from ..quotes.learn import train, train_predicates

    if model not in ("predicates", "crf", "tensor"):
        raise typer.BadParameter(f"--model {model}: use predicates, crf or tensor")
    if model == "tensor":
        from ..quotes.tokenhead_train import train as fit
    else:
        fit = train_predicates if model == "predicates" else train
    path = fit(polnear, out=out, folds_k=folds, log=lambda m: console.print(m, highlight=False))
    named = {"predicates": "shipped"}.get(model, model)
    console.print(f"wrote {plain(path)}; score it with `newsevents evaluate quotes --polnear ../shared/gold/quotes/polnear/dev "
                  f"--quotes-model {named if out is None else plain(out)}`", highlight=False)


@train_app.command("spans")
def spans(
    gold: Path = typer.Option(Path("../shared/gold/events"), "--gold", exists=True, file_okay=False,
                              help="Folder with the ConfliBERT NER file and plv-train.tsv."),
    out: Path = typer.Option(None, "--out", help="The folder to write the weights to (default: the package's own)."),
    folds: int = typer.Option(0, "--folds", help="Also cross-validate with this many folds and leave each set out, "
                              "and keep the figures in the provenance (0: skip)."),
) -> None:
    """Fit the source/target span tagger (a CRF over the parse and the rules' reading) on the ConfliBERT NER
    file and PLV's marked dyads.

    Example: newsevents train spans --gold ../shared/gold/events
    """
    from ..events.spantrain import train

    path = train(gold, out=out, measure_k=folds, log=lambda m: console.print(m, highlight=False))
    console.print(f"wrote {plain(path)}; score it with `newsevents evaluate events` (the span tagger's figures) and use "
                  "it with the setting event_spans='shipped'", highlight=False)
