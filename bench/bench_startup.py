"""Cold start of one-article commands: ``quotes``, ``check`` and ``compare`` on the seed, from a fresh process.

Usage: ``.venv/bin/python bench/bench_startup.py [--runs 5] [--no-write]``

Each command runs ``--runs`` times after one warm-up run (the file cache, not the process, is
warm), wall time from start to exit; the median is reported beside the issue's bounds (``quotes``
≤ 0.5 s, ``check`` ≤ 3 s). ``compare`` also runs with ``QUOTECHECK_ENCODER=torch`` to show what the
ONNX encoder saves. Writes the ``"startup"`` section of ``bench/results.json``.
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
QUOTECHECK = ROOT / ".venv" / "bin" / "quotecheck"
SEED = ROOT / "seeds" / "000_77f9f5edfd3afcc6.txt"


def wall(command: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall seconds of ``command`` over ``runs`` runs after one warm-up."""
    times = []
    for n in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        if done.returncode not in (0, 1):  # 1: findings reported under --fail-on; still a full run
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-300:]}")
        if n:
            times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryDirectory(prefix="qc-startup-") as tmp:
        plan, report = Path(tmp) / "plan.txt", Path(tmp) / "report.txt"
        plan.write_text("Acme said on Monday it would close its Leeds plant in March.\n", encoding="utf-8")
        report.write_text("The Leeds plant was still open in June, Acme said.\n", encoding="utf-8")
        compare = [str(QUOTECHECK), "compare", str(plan), str(report)]
        section = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "runs": args.runs,
            "quotes_seed_s": wall([str(QUOTECHECK), "quotes", str(SEED)], args.runs, env),
            "check_seed_s": wall([str(QUOTECHECK), "check", str(SEED)], args.runs, env),
            "compare_s": wall(compare, args.runs, env),
            "compare_torch_s": wall(compare, args.runs, {**env, "QUOTECHECK_ENCODER": "torch"}),
        }
    print(json.dumps(section, indent=2))
    if not args.no_write:
        sys.path.insert(0, str(ROOT))
        from bench import write_section

        write_section("startup", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
