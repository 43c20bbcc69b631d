"""Tone: how positive or negative an article and each sentence read, in GDELT's spirit.

Scored with VADER (vaderSentiment, MIT, which ships its 7,500-word lexicon), sentence by
sentence. For each sentence VADER gives every word a valence after its rules (negation "not
good", boosters "very", "but" shifts, capitals); from those:

- ``Sentence.tone``: VADER's compound score of the sentence, in [-1, 1];
- ``Document.tone`` (:class:`~newsevents.model.Tone`), GDELT's GKG definitions on VADER's words:
  ``positive`` = % of the article's words with a positive valence, ``negative`` = % with a
  negative one (both 0..100), ``tone`` = positive - negative (-100..100; GDELT's average news
  article sits around -2 to -4 on its own lexicon), ``polarity`` = positive + negative (% of
  words carrying sentiment), ``words`` = word count; ``compound`` = the mean of the sentence
  compound scores weighted by their words, in [-1, 1] (VADER's compound over a whole article
  saturates at +-1, so we do not compute it on the full text).

Unlike GDELT's bag of words, negation is applied: "not good" counts as a negative word.
"""

from __future__ import annotations

from functools import lru_cache

from .model import Document, Tone
from .settings import Settings


@lru_cache(maxsize=1)
def analyzer():
    """VADER's analyzer (reads its lexicon once per process)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def word_valences(text: str) -> tuple[list[float], float]:
    """VADER's per-word valences of ``text`` and its compound score.

    This is ``SentimentIntensityAnalyzer.polarity_scores`` (vaderSentiment 3.3) stopped before it
    sums the valences away, so that words can be counted as GDELT counts them."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentiText

    vader = analyzer()
    if any(ch in vader.emojis for ch in text):
        text = _emojis(text, vader.emojis)
    text = text.strip()
    sentitext = SentiText(text)
    words = sentitext.words_and_emoticons
    sentiments: list[float] = []
    for i, item in enumerate(words):
        low = item.lower()
        if low in BOOSTER_DICT or (low == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"):
            sentiments.append(0)
            continue
        sentiments = vader.sentiment_valence(0, sentitext, item, i, sentiments)
    sentiments = vader._but_check(words, sentiments)
    return sentiments, vader.score_valence(sentiments, text)["compound"]


def _emojis(text: str, table: dict[str, str]) -> str:
    """Emojis replaced by their descriptions, as VADER does."""
    out, prev_space = [], True
    for ch in text:
        if ch in table:
            out.append(("" if prev_space else " ") + table[ch])
            prev_space = False
        else:
            out.append(ch)
            prev_space = ch == " "
    return "".join(out)


def score(texts: list[str]) -> tuple[Tone, list[float]]:
    """The tone of a text made of ``texts`` (its sentences) and each sentence's compound score."""
    pos = neg = words = 0
    weighted = 0.0
    compounds = []
    for text in texts:
        valences, compound = word_valences(text)
        compounds.append(compound)
        pos += sum(1 for v in valences if v > 0)
        neg += sum(1 for v in valences if v < 0)
        words += len(valences)
        weighted += compound * len(valences)
    if not words:
        return Tone(), compounds
    p, n = 100.0 * pos / words, 100.0 * neg / words
    return Tone(positive=round(p, 3), negative=round(n, 3), polarity=round(p + n, 3), tone=round(p - n, 3),
                compound=round(weighted / words, 4), words=words), compounds


class ToneStage:
    """Fills ``doc.tone`` and each ``Sentence.tone``."""

    name = "tone"
    language_bound = True  # reads English (see pipeline.py)
    requires = ("article",)  # the sentences when there are some, else the body
    assigns = ("tone", "sentences.tone")

    def __init__(self, settings: Settings):
        self.settings = settings
        analyzer()

    def __call__(self, doc: Document) -> Document:
        texts = [s.text for s in doc.sentences] or ([doc.article.body] if doc.article.body.strip() else [])
        doc.tone, compounds = score(texts)
        for sentence, compound in zip(doc.sentences, compounds):
            sentence.tone = compound
        return doc


__all__ = ["ToneStage", "analyzer", "score", "word_valences"]
