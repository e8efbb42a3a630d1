"""Development runs of the said/did models: cross-validation on the TRAIN split only.

Usage: ``python bench/saydo/experiment.py [--annotations FILE] [--folds K] [--set key=value …]``

Reads the annotated articles whose names the frozen selection puts in the train split (the test
split is never read here), builds the examples, embeds their clauses with the packaged MiniLM
(cached in build/saydo-vectors/), cross-validates the whole pipeline by article and prints the
figures at the chosen thresholds. Every figure printed here is a development figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
SELECTION = ROOT / "annotations" / "saydo" / "selection.json"
CACHE = ROOT / "build" / "saydo-vectors"

from quotecheck.train.annotations import read_annotations  # noqa: E402


def split_names(split: str) -> set[str]:
    sel = json.loads(SELECTION.read_text(encoding="utf-8"))
    return {f"{a['corpus']}/{a['file']}" for a in sel["articles"] if a["split"] == split}


class CachedVectors:
    """Unit vectors of texts from the packaged encoder, cached on disk by text hash."""

    def __init__(self, encoder=None) -> None:
        self.encoder = encoder
        self.mem: dict[str, np.ndarray] = {}
        CACHE.mkdir(parents=True, exist_ok=True)
        self.file = CACHE / "vectors.npy"
        self.keys_file = CACHE / "keys.json"
        if self.file.exists() and self.keys_file.exists():
            keys = json.loads(self.keys_file.read_text())
            arr = np.load(self.file, allow_pickle=False)
            self.mem = {k: arr[i] for i, k in enumerate(keys)}
        self.dirty = False

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()

    def __call__(self, texts):
        missing = sorted({t for t in texts if self.key(t) not in self.mem})
        if missing:
            if self.encoder is None:
                from quotecheck.config import default_model_path
                from quotecheck.embed import SentenceTransformerEncoder

                self.encoder = SentenceTransformerEncoder(default_model_path(), batch_size=128)
            vec = self.encoder.encode(missing)
            for t, v in zip(missing, vec):
                self.mem[self.key(t)] = np.asarray(v, dtype=np.float32)
            self.dirty = True
        return np.stack([self.mem[self.key(t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def save(self) -> None:
        if self.dirty:
            keys = sorted(self.mem)
            np.save(self.file, np.stack([self.mem[k] for k in keys]), allow_pickle=False)
            self.keys_file.write_text(json.dumps(keys))
            self.dirty = False


def main(argv: list[str] | None = None) -> int:
    from quotecheck.train.saydo import TrainSettings, choose_thresholds, cross_validate
    from quotecheck.train.saydo_data import build_examples

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", type=Path, nargs="+", default=[ROOT / "annotations" / "saydo" / "train.jsonl"])
    ap.add_argument("--set", nargs="*", default=[], help="settings overrides, key=value")
    ap.add_argument("--corpus", choices=("bbc-news", "polnear-train"), default=None, help="only this corpus")
    args = ap.parse_args(argv)
    overrides = {}
    for kv in args.set:
        k, v = kv.split("=", 1)
        overrides[k] = json.loads(v)
    settings = TrainSettings.load(**overrides)
    train = split_names("train")
    arts = []
    for path in args.annotations:
        arts += read_annotations(path, DATA, names=train)
    if args.corpus:
        arts = [a for a in arts if a.corpus == args.corpus]
    t = time.time()
    examples = build_examples(arts)
    print(f"{len(examples)} train-split articles parsed in {time.time() - t:.1f}s; "
          f"{sum(len(e.clauses) for e in examples)} clauses; unaligned {sum(len(e.unaligned) for e in examples)}; "
          f"links aligned {sum(len(e.links) for e in examples)} of {sum(len(e.gold.links) for e in examples)}", file=sys.stderr)
    vectors = CachedVectors()
    t = time.time()
    runs = cross_validate(examples, settings, vectors)
    th, score = choose_thresholds(examples, runs, settings)
    vectors.save()
    print(f"cross-validated in {time.time() - t:.1f}s; thresholds {th}", file=sys.stderr)
    print(json.dumps({"development (train-split CV)": score.figures(), "thresholds": th}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
