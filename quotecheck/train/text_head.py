"""A fine-tuned MiniLM classifier over marked clauses: the second stage of the said/did detector.

The linear detector (cheap, every clause) passes the clauses that may state something; this
model reads each survivor in its sentence, the clause in double brackets, and says none,
commitment or outcome. It starts from the packaged all-MiniLM-L6-v2 weights, freezes the
embeddings and the lowest layers (CPU training in minutes), and is exported to int8 ONNX for
inference (``quotecheck.pipeline.saydo.text_model``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["TextHeadSettings", "train_text_head", "predict_torch"]


class TextHeadSettings:
    """Knobs of the fine-tuning (kept small enough for two CPU cores)."""

    def __init__(self, *, epochs: int = 2, lr: float = 4e-5, batch_size: int = 32, max_length: int = 96,
                 frozen_layers: int = 2, seed: int = 0, threads: int = 2) -> None:
        self.epochs, self.lr, self.batch_size, self.max_length = epochs, lr, batch_size, max_length
        self.frozen_layers, self.seed, self.threads = frozen_layers, seed, threads

    def as_dict(self) -> dict[str, object]:
        return dict(vars(self))


def train_text_head(texts: Sequence[str], labels: Sequence[int], n_labels: int, base: str, settings: TextHeadSettings,
                    *, log=None):
    """Fine-tune ``base`` (a BERT folder) as a classifier; returns (model, tokenizer)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    tok = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=n_labels)
    bert = model.base_model
    for p in bert.embeddings.parameters():
        p.requires_grad = False
    for layer in bert.encoder.layer[: settings.frozen_layers]:
        for p in layer.parameters():
            p.requires_grad = False
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=settings.lr, weight_decay=0.01)
    order = list(range(len(texts)))
    steps = settings.epochs * math.ceil(len(order) / settings.batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps))
    counts = np.bincount(np.asarray(labels), minlength=n_labels).astype(float)
    weight = torch.tensor(np.sqrt(counts.sum() / np.maximum(counts, 1) / n_labels), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
    model.train()
    step = 0
    for epoch in range(settings.epochs):
        rng.shuffle(order)
        # batches of similar length cut the padding (the order inside each chunk stays random)
        chunks = [order[i : i + settings.batch_size * 20] for i in range(0, len(order), settings.batch_size * 20)]
        for chunk in chunks:
            chunk.sort(key=lambda i: len(texts[i]))
            batches = [chunk[i : i + settings.batch_size] for i in range(0, len(chunk), settings.batch_size)]
            rng.shuffle(batches)
            for b in batches:
                enc = tok([texts[i] for i in b], padding=True, truncation=True, max_length=settings.max_length, return_tensors="pt")
                out = model(**enc)
                loss = loss_fn(out.logits, torch.tensor([labels[i] for i in b]))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                opt.step()
                sched.step()
                opt.zero_grad()
                step += 1
                if log and step % 50 == 0:
                    log(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f}")
    model.eval()
    return model, tok


def predict_torch(model, tok, texts: Sequence[str], *, max_length: int = 96, batch_size: int = 64) -> np.ndarray:
    """Class probabilities for ``texts`` with a torch model (training-time evaluation)."""
    import torch

    out = []
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    probs = np.zeros((len(texts), model.config.num_labels), dtype=np.float32)
    with torch.no_grad():
        for i in range(0, len(order), batch_size):
            idx = order[i : i + batch_size]
            enc = tok([texts[j] for j in idx], padding=True, truncation=True, max_length=max_length, return_tensors="pt")
            p = torch.softmax(model(**enc).logits, dim=-1).numpy()
            probs[idx] = p
    del out
    return probs


def save_torch(model, tok, path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path)
    tok.save_pretrained(path)
