"""Is every stage linear in the text? ``quotecheck quotes`` and ``check`` on one long text, doubled.

Usage: ``.venv/bin/python bench/bench_scaling.py [--sizes 0.25,0.5,1,2,5] [--check-sizes 0.25,0.5,1] [--runs 3] [--no-write]``

Texts are the PolNeAR dev articles (``../shared/data``, read in place, written to a temporary
folder) joined by blank lines and repeated to each size in MB, cut at a paragraph end. Each size
runs as a whole command in a fresh process (start-up included), median of ``--runs`` (one run
from 2 MB up). ``ratio`` is the time of a size over the time of the size before it: a linear
stage gives about the size ratio (2.0 for a doubling), a quadratic one about its square.
``dense`` times, in one process, ``Checker.extract_quotes`` and ``Checker.structure`` on the
shapes the fuzz run found slowest (one paragraph of thousands of short quotes, of cues, of
nested clauses) at 16, 32 and 64 kB: a stage that compares every quote or clause with every
other shows there as a ratio near 4. Writes the ``"scaling"`` section of ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
SOURCE = ROOT.parent / "shared" / "data" / "polnear-dev" / "text"
QUOTECHECK = ROOT / ".venv" / "bin" / "quotecheck"


def long_text(megabytes: float) -> str:
    """News-like text of about ``megabytes`` MB: the dev articles joined, repeated, cut at a paragraph."""
    parts = [p.read_text(encoding="utf-8").strip() for p in sorted(SOURCE.glob("*.txt"))]
    one = "\n\n".join(parts)
    want = int(megabytes * 1_000_000)
    text = "\n\n".join([one] * (want // len(one) + 1))[:want]
    return text[: text.rfind("\n\n")] + "\n"


def timed(command: list[str], runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-400:]}")
    return {"median_s": round(statistics.median(times), 2), "runs": runs}


def series(command: str, sizes: list[float], runs: int, folder: Path) -> list[dict]:
    rows: list[dict] = []
    for size in sizes:
        path = folder / f"text-{size}MB.txt"
        if not path.exists():
            path.write_text(long_text(size), encoding="utf-8")
        row = {"megabytes": size, "bytes": path.stat().st_size,
               **timed([str(QUOTECHECK), command, str(path), "--format", "json"], runs if size < 2 else 1)}
        if rows:
            row["ratio"] = round(row["median_s"] / rows[-1]["median_s"], 2)
            row["size_ratio"] = round(size / rows[-1]["megabytes"], 2)
        print(json.dumps({"command": command, **row}), flush=True)
        rows.append(row)
    return rows


#: One paragraph of one unit repeated: the fuzz run's slowest shapes (bench/fuzz.json).
DENSE_UNITS = {"quotes": '"a b," he said. ', "cues": "he said: ", "clauses": "saying "}


def dense(sizes_kb: tuple[int, ...] = (16, 32, 64)) -> list[dict]:
    """Seconds per stage on each dense shape at each size (in process, after a warm-up call)."""
    sys.path.insert(0, str(ROOT))
    from quotecheck import Checker

    checker = Checker()
    checker.structure(DENSE_UNITS["quotes"] * 3)
    rows: list[dict] = []
    for shape, unit in DENSE_UNITS.items():
        for stage in ("extract_quotes", "structure"):
            before = None
            for kb in sizes_kb:
                text = (unit * (kb * 1000 // len(unit) + 1))[: kb * 1000]
                start = time.perf_counter()
                getattr(checker, stage)(text)
                row = {"shape": shape, "stage": stage, "kilobytes": kb, "seconds": round(time.perf_counter() - start, 3)}
                if before:
                    row["ratio"] = round(row["seconds"] / before, 2)
                before = row["seconds"]
                print(json.dumps(row), flush=True)
                rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1,2,5", help="quotes: text sizes in MB")
    parser.add_argument("--check-sizes", default="0.25,0.5,1", help="check: text sizes in MB ('' to skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-dense", action="store_true", help="skip the dense shapes")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not SOURCE.is_dir():
        print(f"bench_scaling: {SOURCE} not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="qc-scaling-") as tmp:
        section = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "quotes": series("quotes", [float(s) for s in args.sizes.split(",") if s], args.runs, Path(tmp)),
            "check": series("check", [float(s) for s in args.check_sizes.split(",") if s], args.runs, Path(tmp)),
        }
    if not args.no_dense:
        section["dense"] = dense()
    if not args.no_write:
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        results["scaling"] = {**{k: v for k, v in results.get("scaling", {}).items() if k == "dense"}, **section}
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
