"""Experiment (issue 17): the CRF's marginals and the fine-tuned MiniLM's label probabilities mixed.

Per token, ``p = (1 - w) · CRF marginals + w · classifier probabilities``, the argmax taken and
BIO repaired, then the same linking, repairs and reference scorer as ``quotecheck eval``. Both
models are trained on the same four fifths of PolNeAR train (``exp_finetune.py`` writes the
classifier); scored on the held-out fifth, so every figure is a development figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

DECODER = "argmax"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "attribution"))
sys.path.insert(0, str(ROOT))

from exp_finetune import LABELS, Standin, batches, pieces  # noqa: E402

from quotecheck.config import Config  # noqa: E402
from quotecheck.pipeline.attribution.classifier import viterbi  # noqa: E402  (the shipped decoder)
from quotecheck.pipeline.attribution.extract import extract_text, paragraph_features  # noqa: E402
from quotecheck.train import crf  # noqa: E402
from quotecheck.train.data import read_folder  # noqa: E402


def classifier_probs(model, tok, text, seqs, torch):
    """Per paragraph, a (tokens × labels) array; tokens without a word piece get 'O'."""
    items, owners = [], []
    for k, seq in enumerate(seqs):
        for ids, members in pieces(tok, text, seq.tokens):
            items.append((ids, [-100] * len(ids)))
            owners.append((k, members))
    out = [np.tile(np.eye(len(LABELS))[0], (len(seq.tokens), 1)) for seq in seqs]
    with torch.no_grad():
        for g, ids, mask, _ in batches(items, 32, tok, torch, False, None):
            probs = torch.softmax(model(input_ids=ids, attention_mask=mask).logits, -1).numpy()
            for r, i in enumerate(g):
                k, members = owners[i]
                for t, p in members:
                    out[k][t] = probs[r, 1 + p]
    return out


def crf_marginals(tagger, features):
    tagger.set(features)
    tagger.tag()
    return np.array([[tagger.marginal(lab, i) for lab in LABELS] for i in range(len(features))])


def decode(p):
    if DECODER == "viterbi":
        return viterbi(p, LABELS)
    labels = [LABELS[int(j)] for j in p.argmax(1)]
    for t, lab in enumerate(labels):
        if lab.startswith("I-") and (t == 0 or labels[t - 1][2:] != lab[2:]):
            labels[t] = "B-" + lab[2:]
    return labels, [float(p[t].max()) for t in range(len(p))]


def main() -> None:
    import pycrfsuite
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from quotecheck.eval.gold import article_from_quotes
    from quotecheck.eval.report import report_of
    from quotecheck.eval.scoring import OVERLAP, ArticleCounts, score_article
    from quotecheck.pipeline.attribution.model import load_model
    from quotecheck.train.run import gold_article

    p = argparse.ArgumentParser()
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--classifier", default="/work/cache/ft-e3")
    p.add_argument("--crf", default="/work/cache/crf-fold0")
    p.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.3, 0.5, 0.7, 1.0])
    p.add_argument("--decoder", choices=["argmax", "viterbi"], default="argmax")
    args = p.parse_args()
    global DECODER
    DECODER = args.decoder
    torch.set_num_threads(2)
    config = Config()
    articles = read_folder(Path(args.data) / "polnear-train")
    held = set(crf.folds([a.name for a in articles], 5, seed=0)[0])
    inputs = {a.name: crf.featurize([a], config)[0] for a in articles}
    if not (Path(args.crf) / "model.crfsuite").exists():
        crf.train_model([inputs[a.name] for a in articles if a.name not in held], args.crf)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(Path(args.crf) / "model.crfsuite"))
    tok = AutoTokenizer.from_pretrained(args.classifier)
    model = AutoModelForTokenClassification.from_pretrained(args.classifier).eval()
    both = []
    for a in (a for a in articles if a.name in held):
        seqs = [seq for seq, _, _ in paragraph_features(a.text, a.seg, config)]
        cls = classifier_probs(model, tok, a.text, seqs, torch)
        crfm = [crf_marginals(tagger, feats) for feats, _ in inputs[a.name].items]
        both.append((a, cls, crfm))
    standin = Standin(load_model())
    for w in args.weights:
        total = ArticleCounts()
        for a, cls, crfm in both:
            standin.queue = [decode((1 - w) * m + w * c) for m, c in zip(crfm, cls)]
            quotes = extract_text(a.text, a.seg, standin, config)
            total = total + score_article(gold_article(a), article_from_quotes(list(quotes), a.text), a.text, OVERLAP)
        f = report_of(total, len(both), OVERLAP, 0, 0, 0).figures()
        keys = ["attribution.content.f1", "source.exact.f1", "cue.exact.f1", "content.exact.f1", "attribution.source_accuracy",
                "recall_by_type.indirect.attribution_recall"]
        print(json.dumps({"w": w, **{k: round(f[k], 4) for k in keys}}), flush=True)


if __name__ == "__main__":
    main()
