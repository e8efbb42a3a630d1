"""Benchmark ``quotecheck.index.VectorIndex``: exact vs approximate search at 10^4, 10^5, 10^6 vectors.

Usage: ``.venv/bin/python bench/bench_index.py [--sizes 10000,100000,1000000] [--queries 1000] [--tune]``
(quick run: ``--sizes 10000 --queries 300 --no-write``).

What is measured, per size n (C-contiguous float32 unit vectors, dimension 384, k = 10):

- **exact**: ``VectorIndex`` below its threshold (faiss ``IndexFlatIP`` in ``IndexIDMap2``):
  build seconds, memory (RSS delta of the process and the index's own byte count), single-query
  latency median/p95 in ms (one ``search`` call per query through the wrapper, as ``CorpusIndex``
  uses it; at 10^6 the exact loop stops after ``--exact-budget`` seconds, with at least 100
  queries), and batched throughput (all queries in one call), which also gives the ground truth.
- **approx**: ``VectorIndex`` past its threshold (HNSW, parameters from ``quotecheck.index``):
  the same figures, plus recall@10 against exact search (|approx top-10 ∩ exact top-10| / 10,
  averaged over queries), and an efSearch sweep (recall and median latency per efSearch).
- **threshold**: exact single-query median at intermediate sizes (prefixes of the same data),
  to find where exact search stops meeting the 2 ms budget; ``DEFAULT_APPROX_THRESHOLD`` is set
  from this (see the ``"threshold"`` entry of the results).
- ``--tune`` (a separate run, e.g. ``--sizes 100000 --tune``): HNSW M × efConstruction builds
  with recall and latency per efSearch; written to ``index.tune``, which later runs keep.

Why these vectors: uniform random unit vectors in 384-d are nearly orthogonal to each other, so
every point is about as far from every other and approximate search behaves nothing like it does
on sentence embeddings, which are clustered (topics, repeated phrasings) and anisotropic (a
large common mean direction, variance concentrated in a few dozen principal axes). So we embed a
few thousand real news sentences (PolNeAR dev texts, read from ``../shared/data`` at run time and
never stored; the seed article and fixtures when it is missing) with the packaged MiniLM model,
and draw each vector as ``normalise((1-w)·b_i + w·b_j + σ·g)``: a random base sentence ``b_i``
mixed with another ``b_j`` (w ~ U(0, 0.5)), plus Gaussian noise ``g`` with the covariance of the
base embeddings (so the noise follows the real principal axes), σ = 0.55, fixed seed. σ and w
were chosen so that a sample the size of the base matches the base on mean pairwise cosine,
median nearest-neighbour cosine, the length of the mean vector and the share of variance in the
top 10 / 50 principal components; both sets of figures are written under ``"data"``. Queries are
drawn the same way with another seed: new statements near what the corpus already holds.

Timing caveats: the machine is small (2 cores) and shared, so we report medians and ratios, and
faiss's thread count. Single-query latency runs on one faiss thread: one query is served by one
thread, and with both threads faiss's OpenMP start-up makes an exact ``nq=1`` search slower
(0.72 vs 0.55 ms at 10^4 here) and, whenever the other core is busy, 10× noisier; the
default-thread median is kept beside it as ``median_ms_all_threads``. Builds and batched
searches use every thread. Memory figures are RSS deltas (Linux ``/proc/self/status``) and the index's
own size; the ``"index"`` section of ``bench/results.json`` is replaced, other sections kept.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quotecheck import index as qindex  # noqa: E402
from quotecheck.index import VectorIndex  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "polnear-dev" / "text"
BUDGET_MS = 2.0
K = 10
SIGMA = 0.55
MIX_MAX = 0.5
THRESHOLD_SIZES = (5_000, 10_000, 20_000, 30_000, 40_000, 50_000, 70_000, 100_000)
EF_SWEEP = (16, 32, 64, 96, 128, 192, 256, 384, 512, 768)


# ---------------------------------------------------------------- data


def _sentences(texts_dir: Path, limit: int) -> tuple[list[str], str]:
    from quotecheck.pipeline.segment import segment

    paths = sorted(texts_dir.glob("*.txt")) if texts_dir.is_dir() else []
    source = str(texts_dir)
    if not paths:
        paths = sorted((ROOT / "seeds").glob("*.txt"))
        source = "seeds (PolNeAR dev not found)"
    sentences: list[str] = []
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        sentences += [s.text for s in segment(text).sentences if len(s.text.split()) >= 6]
    sentences = list(dict.fromkeys(sentences))
    rng = np.random.default_rng(0)
    order = rng.permutation(len(sentences))[:limit]
    return [sentences[i] for i in sorted(order)], source


def _base_embeddings(sentences: list[str]) -> np.ndarray:
    """Embed with the packaged model; cached in the temp folder by a hash of the sentences."""
    from quotecheck.config import default_model_path
    from quotecheck.embed import SentenceTransformerEncoder

    model = default_model_path()
    key = hashlib.sha256(("\n".join(sentences) + model).encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"quotecheck-bench-base-{key}.npy"
    if cache.exists():
        return np.load(cache)
    vectors = SentenceTransformerEncoder(model).encode(sentences)
    np.save(cache, vectors)
    return vectors


class Generator:
    """Normalised mixtures of two base embeddings plus noise with the base covariance."""

    def __init__(self, base: np.ndarray, *, sigma: float = SIGMA, mix_max: float = MIX_MAX) -> None:
        self.base = np.ascontiguousarray(base, dtype=np.float32)
        centred = self.base - self.base.mean(axis=0)
        _, s, vt = np.linalg.svd(centred, full_matrices=False)
        self.axes = ((s[:, None] / np.sqrt(len(base))) * vt).astype(np.float32)  # z @ axes ~ N(0, cov)
        self.sigma = sigma
        self.mix_max = mix_max

    def draw(self, n: int, seed: int, chunk: int = 100_000) -> np.ndarray:
        rng = np.random.default_rng(seed)
        out = np.empty((n, self.base.shape[1]), dtype=np.float32)
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            i = rng.integers(len(self.base), size=m)
            j = rng.integers(len(self.base), size=m)
            w = rng.uniform(0.0, self.mix_max, size=(m, 1)).astype(np.float32)
            z = rng.standard_normal((m, len(self.axes)), dtype=np.float32)
            v = (1 - w) * self.base[i] + w * self.base[j] + self.sigma * (z @ self.axes)
            out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out


def _shape_stats(x: np.ndarray) -> dict[str, float]:
    sims = x @ x.T
    np.fill_diagonal(sims, -2.0)
    nearest = -np.sort(-sims, axis=1)
    upper = sims[np.triu_indices(len(x), 1)]
    var = np.linalg.svd(x - x.mean(axis=0), compute_uv=False) ** 2
    return {
        "mean_pairwise_cosine": round(float(upper.mean()), 3),
        "median_nn1_cosine": round(float(np.median(nearest[:, 0])), 3),
        "median_nn10_cosine": round(float(np.median(nearest[:, K - 1])), 3),
        "mean_vector_norm": round(float(np.linalg.norm(x.mean(axis=0))), 3),
        "top10_variance_share": round(float(var[:10].sum() / var.sum()), 3),
        "top50_variance_share": round(float(var[:50].sum() / var.sum()), 3),
    }


# ---------------------------------------------------------------- measuring


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _index_bytes(vi: VectorIndex) -> int:
    """Bytes held by the faiss index: vectors, HNSW links and the id map."""
    import faiss

    inner = faiss.downcast_index(vi._index.index)
    n, d = vi._index.ntotal, vi.dim
    total = n * d * 4 + n * 8  # float32 vectors + int64 id map
    if hasattr(inner, "hnsw"):
        h = inner.hnsw
        total += h.neighbors.size() * 4 + h.levels.size() * 4 + h.offsets.size() * 8
    return int(total)


def _build(n: int, data: np.ndarray, *, approximate: bool) -> tuple[VectorIndex, dict[str, float]]:
    gc.collect()
    rss0 = _rss_mb()
    vi = VectorIndex(data.shape[1], approx_threshold=0 if approximate else n + 1)
    t0 = time.perf_counter()
    vi.add(data[:n], range(n))
    seconds = time.perf_counter() - t0
    assert vi.approximate == approximate
    return vi, {
        "build_s": round(seconds, 3),
        "rss_delta_mb": round(_rss_mb() - rss0, 1),
        "index_mb": round(_index_bytes(vi) / 2**20, 1),
    }


@contextmanager
def _threads(n: int | None):
    import faiss

    saved = faiss.omp_get_max_threads()
    if n:
        faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(saved)


def _latency(vi: VectorIndex, queries: np.ndarray, *, budget_s: float | None = None, min_queries: int = 100,
             threads: int | None = 1) -> dict[str, float]:
    """One ``search`` call per query row, after 20 warm-up calls; ms per call, on ``threads`` faiss threads."""
    times = []
    with _threads(threads):
        for q in queries[:20]:
            vi.search(q[None, :], K)
        start = time.perf_counter()
        for q in queries:
            t0 = time.perf_counter()
            vi.search(q[None, :], K)
            times.append((time.perf_counter() - t0) * 1e3)
            if budget_s is not None and len(times) >= min_queries and time.perf_counter() - start > budget_s:
                break
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 4),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 4),
        "queries": len(times),
    }


def _latency_all_threads(vi: VectorIndex, queries: np.ndarray, budget_s: float) -> float:
    """Median single-query ms with faiss's default thread count (for comparison only)."""
    return _latency(vi, queries[:200], budget_s=budget_s, min_queries=50, threads=None)["median_ms"]


def _batched(vi: VectorIndex, queries: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    t0 = time.perf_counter()
    rows = vi.search(queries, K)
    seconds = time.perf_counter() - t0
    ids = np.array([[i for i, _ in row] + [-1] * (K - len(row)) for row in rows], dtype=np.int64)
    return ids, {"batched_queries_per_s": round(len(queries) / seconds, 1), "batched_queries": len(queries)}


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(f) & set(t)) for f, t in zip(found.tolist(), truth.tolist()))
    return round(hits / truth.size, 4)


def _set_ef(vi: VectorIndex, ef: int) -> None:
    import faiss

    faiss.downcast_index(vi._index.index).hnsw.efSearch = ef


def _ef_sweep(vi: VectorIndex, queries: np.ndarray, truth: np.ndarray, efs=EF_SWEEP) -> list[dict[str, float]]:
    rows = []
    for ef in efs:
        _set_ef(vi, ef)
        ids, _ = _batched(vi, queries)
        lat = _latency(vi, queries)
        rows.append({"ef_search": ef, "recall_at_10": _recall(ids, truth), "median_ms": lat["median_ms"], "p95_ms": lat["p95_ms"]})
    _set_ef(vi, qindex._ef_search(len(vi)))
    return rows


@contextmanager
def _hnsw_params(m: int, ef_construction: int):
    saved = qindex._HNSW_M, qindex._HNSW_EF_CONSTRUCTION
    qindex._HNSW_M, qindex._HNSW_EF_CONSTRUCTION = m, ef_construction
    try:
        yield
    finally:
        qindex._HNSW_M, qindex._HNSW_EF_CONSTRUCTION = saved


# ---------------------------------------------------------------- runs


def _size(n: int, data: np.ndarray, queries: np.ndarray, exact_budget: float, sweep: bool) -> dict[str, object]:
    exact, exact_build = _build(n, data, approximate=False)
    truth, exact_batch = _batched(exact, queries)
    exact_lat = _latency(exact, queries, budget_s=exact_budget)
    exact_lat["median_ms_all_threads"] = _latency_all_threads(exact, queries, exact_budget / 3)
    del exact
    approx, approx_build = _build(n, data, approximate=True)
    found, approx_batch = _batched(approx, queries)
    approx_lat = _latency(approx, queries)
    approx_lat["median_ms_all_threads"] = _latency_all_threads(approx, queries, exact_budget / 3)
    row: dict[str, object] = {
        "n": n,
        "exact": {**exact_build, **exact_lat, **exact_batch},
        "approx": {**approx_build, **approx_lat, **approx_batch, "recall_at_10": _recall(found, truth),
                   "ef_search": qindex._ef_search(n)},
    }
    row["ratios"] = {
        "exact_over_approx_median_latency": round(exact_lat["median_ms"] / approx_lat["median_ms"], 2),
        "approx_over_exact_build_time": round(approx_build["build_s"] / max(exact_build["build_s"], 1e-6), 1),
        "approx_over_exact_index_size": round(approx_build["index_mb"] / exact_build["index_mb"], 2),
    }
    if sweep:
        row["ef_search_sweep"] = _ef_sweep(approx, queries, truth)
    print(f"n={n:>9,}  exact {exact_lat['median_ms']:.3f} ms  approx {approx_lat['median_ms']:.3f} ms "
          f"recall@10 {row['approx']['recall_at_10']:.4f}  build {exact_build['build_s']:.1f}s / {approx_build['build_s']:.1f}s", flush=True)
    return row


def _threshold(data: np.ndarray, queries: np.ndarray, sizes: tuple[int, ...]) -> dict[str, object]:
    points = []
    for n in sizes:
        if n > len(data):
            break
        vi, _ = _build(n, data, approximate=False)
        lat = _latency(vi, queries)
        points.append({"n": n, "median_ms": lat["median_ms"], "p95_ms": lat["p95_ms"]})
        print(f"exact n={n:>7,}: median {lat['median_ms']:.3f} ms  p95 {lat['p95_ms']:.3f} ms", flush=True)
    within = [p["n"] for p in points if p["median_ms"] <= BUDGET_MS]
    over = [p for p in points if p["median_ms"] > BUDGET_MS]
    crossing = None
    if within and over:  # linear interpolation between the last size within and the first over budget
        a = max((p for p in points if p["n"] in within), key=lambda p: p["n"])
        b = over[0]
        if b["n"] > a["n"]:
            crossing = int(a["n"] + (BUDGET_MS - a["median_ms"]) * (b["n"] - a["n"]) / (b["median_ms"] - a["median_ms"]))
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "budget_ms": BUDGET_MS, "exact_points": points, "largest_within_budget": max(within) if within else None,
            "interpolated_crossing": crossing}


def _tune(data: np.ndarray, queries: np.ndarray, n: int) -> list[dict[str, object]]:
    exact, _ = _build(n, data, approximate=False)
    truth, _ = _batched(exact, queries)
    del exact
    rows = []
    for m, efc in ((16, 40), (16, 100), (32, 40), (32, 100)):
        with _hnsw_params(m, efc):
            vi, build = _build(n, data, approximate=True)
        sweep = _ef_sweep(vi, queries, truth, efs=(32, 64, 128, 256))
        rows.append({"m": m, "ef_construction": efc, "n": n, **build, "sweep": sweep})
        print(f"tune n={n:,} M={m} efC={efc}: build {build['build_s']:.1f}s  "
              + "  ".join(f"ef{r['ef_search']}: {r['recall_at_10']:.3f}/{r['median_ms']:.2f}ms" for r in sweep), flush=True)
        del vi
    return rows


def _write(section: dict[str, object], *, only_tune: bool = False) -> None:
    """Read-modify-write: replace the ``"index"`` section (or only its ``"tune"`` entry), keep the rest."""
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    old = results.get("index", {})
    if only_tune:
        section = {**old, "tune": section["tune"]}
    for key in ("tune", "threshold"):  # kept from an earlier run (--no-threshold, no --tune), with its date
        if key in old and key not in section:
            section[key] = {"date": old.get("date"), **old[key]}
    results["index"] = section
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, RESULTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated index sizes")
    parser.add_argument("--queries", type=int, default=1000, help="query vectors (single-query loop and batch)")
    parser.add_argument("--base-sentences", type=int, default=4000, help="real sentences to embed (at most)")
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of .txt articles for the base sentences")
    parser.add_argument("--exact-budget", type=float, default=45.0, help="seconds for the exact single-query loop per size")
    parser.add_argument("--no-threshold", action="store_true", help="skip the exact-latency sweep over intermediate sizes")
    parser.add_argument("--tune", action="store_true",
                        help="only sweep HNSW M x efConstruction at the largest --sizes; writes index.tune")
    parser.add_argument("--no-write", action="store_true", help="print only, leave bench/results.json alone")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())

    import faiss

    started = time.perf_counter()
    sentences, source = _sentences(args.texts, args.base_sentences)
    base = _base_embeddings(sentences)
    gen = Generator(base)
    sample = gen.draw(len(base), seed=2)
    queries = gen.draw(args.queries, seed=1)
    data = gen.draw(max(sizes + [THRESHOLD_SIZES[0]]), seed=0)
    print(f"{len(base)} base sentences from {source}; {len(data):,} vectors generated", flush=True)

    section: dict[str, object] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "faiss": faiss.__version__,
                    "faiss_threads": faiss.omp_get_max_threads(), "load_average_at_start": list(os.getloadavg())},
        "data": {"dim": int(data.shape[1]), "k": K, "queries": len(queries), "base_sentences": len(base),
                 "base_source": source, "sigma": SIGMA, "mix_max": MIX_MAX,
                 "base_shape": _shape_stats(base), "generated_shape": _shape_stats(sample)},
        "params": {"hnsw_m": qindex._HNSW_M, "hnsw_ef_construction": qindex._HNSW_EF_CONSTRUCTION,
                   "hnsw_ef_search_by_size": [list(r) for r in qindex._HNSW_EF_SEARCH[:-1]] + [["larger", qindex._HNSW_EF_SEARCH[-1][1]]], "default_approx_threshold": qindex.DEFAULT_APPROX_THRESHOLD},
        "sizes": [],
    }
    if not args.no_threshold and not args.tune:
        section["threshold"] = _threshold(data, queries, tuple(n for n in THRESHOLD_SIZES if n <= max(sizes)))
    if args.tune:
        section["tune"] = {"date": section["date"], "load_average_at_start": section["machine"]["load_average_at_start"],
                           "rows": _tune(data, queries, max(sizes))}
        if not args.no_write:
            _write(section, only_tune=True)
        return 0
    for n in sizes:
        section["sizes"].append(_size(n, data, queries, args.exact_budget, sweep=True))
    section["total_s"] = round(time.perf_counter() - started, 1)
    section["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(section["sizes"], indent=1))
    if not args.no_write:
        _write(section)
    return 0


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    sys.exit(main())
