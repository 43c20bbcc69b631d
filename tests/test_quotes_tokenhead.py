"""The token-head attribution tagger (newsevents.quotes.tokenhead): its features over the parse's
own vectors, the numpy GRU against torch's, the shipped weights and the quotes it gives.
Sentences are our own."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from functools import lru_cache

import numpy as np
import pytest

from newsevents.data import data_path
from newsevents.model import Article
from newsevents.nlp import load as load_spacy
from newsevents.pipeline import Pipeline
from newsevents.quotes import tokenhead
from newsevents.quotes.tagger import LABELS
from newsevents.settings import Settings


@lru_cache(maxsize=1)
def nlp():
    return load_spacy(Settings().spacy_model)


def _column(name: str) -> int:
    return tokenhead.TENSOR_WIDTH + tokenhead.PARSE_WIDTH - len(tokenhead.FLAGS) + tokenhead.FLAGS.index(name)


def test_features_carry_the_vectors_the_rules_and_the_quote_marks():
    parse = nlp()('The minister said: "The talks have failed."')
    words = [t.text for t in parse]
    in_quote = [False] * len(parse)
    a, b = words.index("The", 1), words.index(".") + 1
    for i in range(a, b):
        in_quote[i] = True
    feats = tokenhead.token_features(parse, [("SRC", 0, 2), ("CUE", 2, 3), ("CON", a, b)], in_quote)
    assert feats.shape == (len(parse), tokenhead.TENSOR_WIDTH + tokenhead.PARSE_WIDTH)
    assert np.allclose(feats[:, :tokenhead.TENSOR_WIDTH], parse.tensor)  # the parse's own vectors
    rule = tokenhead.TENSOR_WIDTH  # the rules' tag, one-hot, first after the vectors
    assert feats[2, rule + LABELS.index("B-CUE")] == 1 and feats[0, rule + LABELS.index("B-SRC")] == 1
    assert feats[a + 1, rule + LABELS.index("I-CON")] == 1
    assert feats[a, _column("in_quote")] == 1 and feats[0, _column("in_quote")] == 0
    assert feats[2, _column("lex_verb")] == 1  # "say" is in the cue lexicon
    assert feats[0, _column("sent_start")] == 1 and feats[0, _column("para_start")] == 1


def test_features_without_a_tensor_leave_the_vectors_at_zero():
    parse = nlp()("Officials said the plan would work.")
    feats = tokenhead.token_features(parse, [], [False] * len(parse), tensor=np.zeros((0, 0)))
    assert not feats[:, :tokenhead.TENSOR_WIDTH].any() and feats[:, tokenhead.TENSOR_WIDTH:].any()


def test_long_paragraphs_are_read_in_pieces_of_whole_sentences():
    text = " ".join(f"Senator number {k} said on Tuesday that the long bill would pass the chamber easily." for k in range(20))
    parse = nlp()(text)
    blocks = tokenhead.blocks_of(parse)
    assert len(blocks) > 1 and blocks[0][0] == 0 and blocks[-1][1] == len(parse)
    assert all(b - a <= tokenhead.MAX_BLOCK for a, b in blocks)
    starts = {s.start for s in parse.sents}
    assert all(a in starts for a, _ in blocks)
    assert all(blocks[k][1] == blocks[k + 1][0] for k in range(len(blocks) - 1))


def test_numpy_gru_matches_torch():
    torch = pytest.importorskip("torch")
    from torch import nn

    torch.manual_seed(0)
    width = 12
    proj, gru, out = nn.Linear(width, 8), nn.GRU(8, 5, batch_first=True, bidirectional=True), nn.Linear(10, len(LABELS))
    arrays = {f"proj.{k}": v for k, v in proj.state_dict().items()}
    arrays.update({f"gru.{k}": v for k, v in gru.state_dict().items()})
    arrays.update({f"out.{k}": v for k, v in out.state_dict().items()})
    arrays = {k: v.detach().numpy() for k, v in arrays.items()}
    arrays["mean"], arrays["scale"] = np.full(width, 0.1, dtype=np.float32), np.full(width, 2.0, dtype=np.float32)
    feats = np.random.default_rng(0).normal(size=(17, width)).astype(np.float32)
    blocks = [(0, 4), (4, 13), (13, 17)]  # of different lengths: padding must not leak
    got = tokenhead.forward(tokenhead.Weights(arrays), feats, blocks)
    with torch.no_grad():
        for a, b in blocks:
            x = torch.relu(proj((torch.from_numpy(feats[a:b]) - 0.1) / 2.0))[None]
            want = torch.softmax(out(gru(x)[0]), dim=-1)[0].numpy()
            assert np.allclose(got[a:b], want, atol=1e-5)


# --- the shipped weights ------------------------------------------------------------------------

def test_shipped_weights_are_small_and_have_provenance():
    weights = data_path("quotes", tokenhead.WEIGHTS_FILE)
    prov = json.loads(data_path("quotes", tokenhead.PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert weights.stat().st_size < 5_000_000
    assert prov["model_sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert len(prov["data_sha256"]) == 64 and prov["command"].startswith("newsevents train quotes --model tensor")
    assert set(prov["confidence"]) <= {f"{a}-{k}" for a in ("agreed", "new") for k in ("direct", "indirect")}
    w = tokenhead.read_weights(weights)
    assert w["proj.weight"].shape[1] == tokenhead.TENSOR_WIDTH + tokenhead.PARSE_WIDTH


def test_missing_weights_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        tokenhead.load(str(tmp_path))


def test_tensor_reading_finds_reported_speech_with_its_speaker():
    pipe = Pipeline(Settings(stages=("parse", "actors", "quotes"), quotes_model="tensor"))
    doc = pipe(Article(id="t", body="Russian President Vladimir Putin said on Monday that the talks had failed. "
                       "\"We will not give up,\" the mayor told reporters.", language="en"))
    said = [q for q in doc.quotes if "talks had failed" in q.content.text]
    assert said and said[0].speaker is not None and "Putin" in said[0].speaker.text
    assert said[0].cue is not None and said[0].cue.text == "said"
    assert said[0].rule.startswith("learned") and 0.0 < said[0].confidence <= 1.0
    direct = [q for q in doc.quotes if "give up" in q.content.text]
    assert direct and direct[0].kind == "direct" and "mayor" in direct[0].speaker.text


def test_tensor_reading_runs_without_torch():
    # torch blocked (spaCy's thinc imports it when it is installed, so its presence says nothing)
    code = ("import sys; sys.modules['torch'] = None; "
            "from newsevents.pipeline import Pipeline; from newsevents.settings import Settings; "
            "from newsevents.model import Article; "
            "p = Pipeline(Settings(stages=('parse', 'actors', 'quotes'), quotes_model='tensor')); "
            "d = p(Article(id='t', body='Officials said the plan would work.', language='en')); "
            "print([q.content.text for q in d.quotes])")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "the plan would work" in got.stdout


def test_training_gives_weights_the_numpy_reader_runs():
    pytest.importorskip("torch")
    from newsevents.quotes.tokenhead_train import Item, fit

    items = []
    for k, text in enumerate(["The senator said the vote would fail.", "Analysts expect prices to rise again."]):
        parse = nlp()(text)
        words = [t.text for t in parse]
        cue = 2 if "said" in words else 1
        gold = [([("CON", cue + 1, len(parse) - 1)], [("CUE", cue, cue + 1)], [("SRC", 0, cue)])]
        items.append(Item(f"t{k}", parse, [], [], [False] * len(parse), gold).prepare())
    w = fit(items, {"epochs": 1, "proj": 8, "hidden": 4}, log=lambda m: None)
    probs = tokenhead.forward(w, items[0].feats, items[0].blocks)
    assert probs.shape == (len(items[0].parse), len(LABELS)) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert w["proj.weight"].shape == (8, tokenhead.TENSOR_WIDTH + tokenhead.PARSE_WIDTH)
