"""Benchmark ``quotecheck batch``: articles per second and peak memory, single process vs workers vs Ray.

Usage: ``.venv/bin/python bench/bench_batch.py [--sizes 1000,10000] [--configs single,workers,ray]
[--growth 10000,100000,1000000] [--encoder model|fake] [--no-write]``
(quick run: ``--sizes 200 --configs single,workers --growth 10000 --no-write``).

**Corpus.** Synthetic but realistic articles (``quotecheck.corpus.synth``): 10–24 paragraphs of
sentences recombined from our own fixture texts with a fixed seed, numbers and months redrawn,
dates over one year — about 3.7 kB and 13 statements each, near the PolNeAR dev articles (4.9 kB, 12.5 statements). Never texts from
``../shared/data``. ``--real DIR`` also times a folder of real ``.txt`` articles read in place.

**Runs.** Each configuration runs in its own child process (a fresh interpreter, cold model
load included: the figure is end to end), writing to a temporary output folder:

- ``single``: ``--workers 0``: extraction and the encoder in one process;
- ``workers``: ``--workers N`` (default one per core) spawned extraction processes, one encoder in the main process;
- ``ray``: ``--engine ray`` on a local Ray instance started by the run (``num_cpus`` = cores),
  start-up and shutdown included, so the Ray overhead is measured, not guessed.

``--rerun`` runs each configuration a second time on its finished output (nothing left to
do) and reports that rerun's wall time as a share of the first. Every run also reports
SHA-256 digests of its ``findings.jsonl``, shard files and shard vectors, and
``engines_identical_outputs`` says per size whether all configurations wrote the same bytes.
``--real DIR --real-articles N --real-configs workers,ray`` runs N real articles (the files of
DIR cycled, read in place into a temporary JSON Lines file).

Wall time, the run's own ``articles_per_second`` (from ``summary.json``) and the **peak RSS of the
whole process tree** (the child, its workers, and for Ray the raylet, GCS and worker processes,
sampled from ``/proc`` every 0.2 s; shared pages are counted once per process, so this is an
upper bound) are recorded per size. Growth is the ratio of time per article between sizes.

**Index growth** (``--growth``): a ``CorpusIndex`` filled with n synthetic statements (unit
vectors with a common mean direction, 384-d) — build seconds and peak RSS — then the
cross-article query that ``check_index`` runs: the k = 32 nearest statements of 1,000 action
vectors (queries per second). faiss's own exact-vs-HNSW figures are in the ``"index"`` section.

The machine is small (2 cores) and shared with other work, so the load average at the start of
each run is recorded beside it. The ``"batch"`` section of ``bench/results.json`` is replaced.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results.json"
SEED = 6


# ---------------------------------------------------------------- memory of a process tree


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_kb(p)
        stack.extend(_children(p))
    return total


class PeakSampler:
    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_kb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------- one run (child process)


def child(args: argparse.Namespace) -> None:
    """Run one configuration in this process and print its summary as JSON."""
    from quotecheck.corpus.batch import BatchJob, run_local

    factory = None
    if args.encoder == "fake":
        from quotecheck.testing.fakes import FakeEncoder

        factory = lambda: FakeEncoder(384)  # noqa: E731
    workers = 0 if args.child == "single" else args.workers
    job = BatchJob(args.output, encoder_factory=factory, workers=workers)
    if args.child == "ray":
        import ray

        from quotecheck.corpus.ray_engine import run_ray

        started = time.monotonic()
        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
        summary, _ = run_ray(job, [args.input], actors=1)
        ray.shutdown()
        extra = {"ray_total_seconds": round(time.monotonic() - started, 2)}
    else:
        summary, _ = run_local(job, [args.input])
        extra = {}
    print(json.dumps({**summary.model_dump(), **extra}))


def _child(config: str, corpus: Path, out: Path, *, encoder: str, workers: int) -> tuple[dict[str, object], float, int]:
    """(summary, wall seconds, peak RSS kB) of one child run writing to ``out``."""
    cmd = [sys.executable, __file__, "--child", config, "--input", str(corpus), "--output", str(out), "--encoder", encoder, "--workers", str(workers)]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    with PeakSampler(proc.pid) as sampler:
        stdout, stderr = proc.communicate()
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"{config} failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]), wall, sampler.peak


def _digest(folder: Path, pattern: str) -> str:
    """SHA-256 over the files of ``folder`` matching ``pattern``, in name order."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob(pattern)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def run_config(config: str, corpus: Path, *, encoder: str, workers: int, rerun: bool = False) -> dict[str, object]:
    """One configuration on ``corpus``; with ``rerun``, run it again on the finished output
    (nothing new to do) and report the second run's time as a share of the first."""
    tmp = Path(tempfile.mkdtemp(prefix=f"qc-bench-{config}-"))
    out = tmp / "run"
    load = os.getloadavg()[0]
    try:
        summary, wall, peak = _child(config, corpus, out, encoder=encoder, workers=workers)
        outputs = {
            "findings_sha256": _digest(out, "findings.jsonl"),
            "shards_sha256": _digest(out / "shards", "shard-*.jsonl"),
            "vectors_sha256": _digest(out / "shards", "shard-*.npy"),
        }
        again = {}
        if rerun:
            second, rewall, _ = _child(config, corpus, out, encoder=encoder, workers=workers)
            again = {
                "rerun_wall_seconds": round(rewall, 2),
                "rerun_share_of_first": round(rewall / wall, 3),
                "rerun_already_done": second.get("already_done"),
                "rerun_findings_reused": second.get("findings_cross_reused"),
                "rerun_same_findings": _digest(out, "findings.jsonl") == outputs["findings_sha256"],
            }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done = summary.get("done", summary.get("processed"))
    return {
        "config": config,
        "articles": done,
        "wall_seconds": round(wall, 2),
        "articles_per_second_wall": round(done / wall, 2),
        "articles_per_second_run": summary["articles_per_second"],
        "peak_rss_mb": round(peak / 1024, 1),
        "statements": summary["statements"],
        "index_statements": summary.get("index_statements"),
        "findings_within": summary["findings_within"],
        "findings_cross": summary["findings_cross"],
        "load_average_at_start": round(load, 2),
        **outputs,
        **again,
        **({"ray_total_seconds": summary["ray_total_seconds"]} if "ray_total_seconds" in summary else {}),
    }


def real_corpus(folder: Path, n: int, path: Path) -> Path:
    """``n`` articles as JSON Lines from the ``.txt`` files of ``folder`` (read in place, cycled
    with new ids and dates when there are fewer files): real-length news, and the copies of
    one article are exact duplicates, which is what tests tie-breaking hardest."""
    files = sorted(folder.glob("*.txt"))
    start = datetime(2016, 1, 1)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = files[i % len(files)].read_text(encoding="utf-8")
            day = (start + timedelta(days=i % 365)).date().isoformat()
            fh.write(json.dumps({"id": f"real-{i:06d}", "text": text, "date": day}) + "\n")
    return path


# ---------------------------------------------------------------- index growth


def index_growth(n: int, *, dim: int = 384, queries: int = 1000, k: int = 32) -> dict[str, object]:
    import numpy as np

    from quotecheck.index import CorpusIndex
    from quotecheck.models import Analysis, Span, Statement

    rng = np.random.default_rng(SEED)
    mean = rng.normal(size=dim).astype(np.float32)
    mean /= np.linalg.norm(mean)

    def unit(m: int) -> np.ndarray:
        v = rng.normal(size=(m, dim)).astype(np.float32) + 4.0 * mean  # anisotropic, like sentence embeddings
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    rss0 = _rss_kb(os.getpid())
    corpus = CorpusIndex("bench", dim)
    per_doc = 40
    text = "Acme said it would close the plant."
    span = Span.of(text, 0, len(text))
    started = time.monotonic()
    for first in range(0, n, per_doc * 250):
        docs = []
        for d in range(first // per_doc, min(n, first + per_doc * 250) // per_doc):
            doc_id = f"d{d}"
            statements = tuple(
                Statement(id=f"{doc_id}:s{i}", doc_id=doc_id, kind="action" if i % 2 else "intention", actor_name="Acme", predicate="close", span=span)
                for i in range(per_doc)
            )
            docs.append(Analysis(doc_id=doc_id, text=text, statements=statements))
        vectors = unit(len(docs) * per_doc)
        rows = iter(range(len(vectors)))
        corpus.add(docs, lambda statements: vectors[[next(rows) for _ in statements]])
    build = time.monotonic() - started
    q = unit(queries)
    started = time.monotonic()
    corpus.neighbours(q, k)
    query = time.monotonic() - started
    return {
        "statements": len(corpus),
        "approximate": corpus.vectors.approximate,
        "build_seconds": round(build, 2),
        "build_statements_per_second": round(len(corpus) / build, 1),
        "query_seconds_per_1000_actions": round(query * 1000 / queries, 3),
        "rss_growth_mb": round((_rss_kb(os.getpid()) - rss0) / 1024, 1),
    }


def growth_child(n: int) -> None:
    print(json.dumps(index_growth(n)))


# ---------------------------------------------------------------- main


def _write(section: dict[str, object], name: str = "batch") -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results[name] = section
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, RESULTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes in articles")
    parser.add_argument("--configs", default="single,workers,ray")
    parser.add_argument("--growth", default="10000,100000,1000000", help="index sizes in statements ('' to skip)")
    parser.add_argument("--encoder", choices=("model", "fake"), default="model", help="fake: FakeEncoder (no model), to isolate extraction and memory")
    parser.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1), help="extraction processes of the workers engine (default: one per core, as quotecheck batch)")
    parser.add_argument("--real", metavar="DIR", help="also time the .txt articles of DIR, read in place")
    parser.add_argument("--real-articles", type=int, help="with --real: this many articles, the files cycled with new ids and dates")
    parser.add_argument("--real-configs", help="with --real: configurations to run (default workers)")
    parser.add_argument("--rerun", action="store_true", help="run each configuration again on its finished output and time that rerun")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--section", default="batch", help="section of bench/results.json to replace (default batch; "
                        "the engine-agreement run at 10,000 articles writes batch_agreement)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--growth-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.growth_child:
        return growth_child(args.growth_child)

    from quotecheck.corpus.synth import fixture_sentences, synthetic_articles, write_jsonl

    sentences = fixture_sentences(ROOT / "fixtures")
    section: dict[str, object] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "encoder": args.encoder,
        "workers": args.workers,
        "corpus": {"kind": "synthetic (fixture sentences recombined, seed 6)", "sentences": len(sentences)},
        "runs": [],
        "growth": [],
    }
    with tempfile.TemporaryDirectory(prefix="qc-bench-corpus-") as tmp:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            corpus = Path(tmp) / f"synthetic-{size}.jsonl"
            write_jsonl(corpus, synthetic_articles(size, sentences, seed=SEED))
            for config in args.configs.split(","):
                row = {"size": size, "bytes": corpus.stat().st_size, **run_config(config, corpus, encoder=args.encoder, workers=args.workers, rerun=args.rerun)}
                print(json.dumps(row), flush=True)
                section["runs"].append(row)
        if args.real:
            real = Path(args.real)
            n = args.real_articles or len(list(real.glob("*.txt")))
            corpus = real_corpus(real, n, Path(tmp) / f"real-{n}.jsonl")
            for config in (args.real_configs or "workers").split(","):
                row = {"size": "real", "folder": real.name, "real_articles": n, **run_config(config, corpus, encoder=args.encoder, workers=args.workers, rerun=args.rerun)}
                print(json.dumps(row), flush=True)
                section["runs"].append(row)
    runs = section["runs"]
    by = {(r["size"], r["config"]): r for r in runs}
    ratios = {}
    for size in {r["size"] for r in runs}:
        base = by.get((size, "workers")) or by.get((size, "single"))
        if base and (size, "ray") in by:
            ratios[str(size)] = round(by[(size, "ray")]["wall_seconds"] / base["wall_seconds"], 2)
    section["ray_over_local_wall_ratio"] = ratios
    same: dict[str, bool] = {}
    for size in {r["size"] for r in runs}:
        digests = {(r["findings_sha256"], r["shards_sha256"], r["vectors_sha256"]) for r in runs if r["size"] == size}
        if len([r for r in runs if r["size"] == size]) > 1:
            same[str(size)] = len(digests) == 1
    section["engines_identical_outputs"] = same  # findings, shards and vectors byte for byte
    sizes = sorted(s for s in {r["size"] for r in runs} if isinstance(s, int))
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        section["seconds_per_article_growth"] = {
            c: round((by[(large, c)]["wall_seconds"] / large) / (by[(small, c)]["wall_seconds"] / small), 2)
            for c in args.configs.split(",")
            if (large, c) in by and (small, c) in by
        }
    for n in [int(s) for s in args.growth.split(",") if s]:
        out = subprocess.run([sys.executable, __file__, "--growth-child", str(n)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(row), flush=True)
        section["growth"].append(row)
    if not args.no_write:
        _write(section, args.section)


if __name__ == "__main__":
    main()
