"""Compare the ONNX Runtime encoder (``quotecheck.embed_onnx``) with the torch one: equivalence and speed.

Usage: ``HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_encoder.py --onnx DIR [--onnx DIR ...] [--report FILE]``
(each DIR an export made by ``python -m quotecheck.embed_onnx build --out DIR [--fp32]``).

- equivalence: 3,000 PolNeAR dev sentences (``../shared/data``, read at run time, never stored; a
  regex split), cosine of each ONNX vector to its torch vector (mean, min, 1st percentile), and for
  1,000 query sentences the overlap of their top-10 neighbours among the 3,000 (self excluded).
- speed, one thread each (``torch.set_num_threads(1)``, ``intra_op_num_threads=1``): the median
  ``encode`` call on 10-sentence batches (the batch engine's per-article call) and 64-sentence batches.
- cold: a fresh ``python -c`` that imports the encoder and encodes ``['x']``, median of 3 wall times.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polnear-dev" / "text"
_SPLIT = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“A-Z])")


def sentences(n: int) -> list[str]:
    """``n`` distinct sentences of 20–400 characters, sampled with a fixed seed."""
    found: dict[str, None] = {}
    for path in sorted(DATA.glob("*.txt")):
        for part in _SPLIT.split(path.read_text(encoding="utf-8")):
            s = " ".join(part.split())
            if 20 <= len(s) <= 400:
                found[s] = None
    pool = list(found)
    random.Random(0).shuffle(pool)
    return pool[:n]


def top10(v: np.ndarray, queries: int) -> np.ndarray:
    """Indices of each query's 10 nearest rows of ``v`` by cosine, itself excluded."""
    sims = v[:queries] @ v.T
    sims[np.arange(queries), np.arange(queries)] = -np.inf
    return np.argpartition(-sims, 10, axis=1)[:, :10]


def timed(encoder, texts: list[str], size: int, calls: int) -> float:
    """Median milliseconds of one ``encode`` call on ``size`` texts."""
    encoder.encode(texts[:size])  # warm
    out = []
    for c in range(calls):
        batch = texts[(c * size) % (len(texts) - size):][:size]
        t = time.perf_counter()
        encoder.encode(batch)
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def cold(code: str) -> float:
    """Median wall seconds of 3 fresh interpreters running ``code``."""
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    """Measure, print and write the markdown report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--onnx", type=Path, action="append", required=True)
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()

    import torch

    from quotecheck.config import default_model_path
    from quotecheck.embed import SentenceTransformerEncoder
    from quotecheck.embed_onnx import OnnxEncoder

    torch.set_num_threads(1)
    model = default_model_path()
    texts = sentences(args.n)
    lines = [f"Sentences: {len(texts)} from {DATA} (regex split, 20–400 chars, seed 0); queries: {args.queries}; 1 thread each.", ""]
    ref_enc = SentenceTransformerEncoder(model)
    ref = ref_enc.encode(texts)
    ref_top = top10(ref, args.queries)
    speed = {"torch": (timed(ref_enc, texts, 10, 100), timed(ref_enc, texts, 64, 20))}
    lines += ["| encoder | cosine mean | cosine min | cosine p1 | top-10 overlap | 10-batch ms | 64-batch ms |", "|---|---|---|---|---|---|---|"]
    lines.append(f"| torch | 1 | 1 | 1 | 1 | {speed['torch'][0]:.1f} | {speed['torch'][1]:.1f} |")
    for folder in args.onnx:
        enc = OnnxEncoder(folder, threads=1)
        vec = enc.encode(texts)
        cos = (vec * ref).sum(axis=1)
        overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ref_top, top10(vec, args.queries))])
        ms10, ms64 = timed(enc, texts, 10, 100), timed(enc, texts, 64, 20)
        lines.append(f"| onnx {folder.name} | {cos.mean():.5f} | {cos.min():.5f} | {np.percentile(cos, 1):.5f} | {overlap:.4f} | {ms10:.1f} | {ms64:.1f} |")
    lines.append("")
    torch_code = f"from quotecheck.embed import SentenceTransformerEncoder; SentenceTransformerEncoder({model!r}).encode(['x'])"
    lines.append(f"Cold start (fresh interpreter, import + load + encode ['x'], median of 3): torch {cold(torch_code):.2f} s")
    for folder in args.onnx:
        code = f"from quotecheck.embed_onnx import OnnxEncoder; OnnxEncoder({str(folder)!r}).encode(['x'])"
        lines.append(f"; onnx {folder.name} {cold(code):.2f} s")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
