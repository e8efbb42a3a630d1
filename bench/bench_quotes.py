"""Benchmark the quotes stage on PolNeAR dev: evaluation figures and speed → bench/results.json.

Usage: ``.venv/bin/python bench/bench_quotes.py [--gold-dir ../shared/data/polnear-dev] [--runs 7]``

Speed is articles per second on one core (the process is pinned to one CPU where the OS allows),
segmentation plus quote extraction, after one warm-up pass: the median of ``--runs`` timed passes
over every article, with min and max. Cold start is the wall time of a fresh
``python -c "import quotecheck.pipeline.quotes"`` (median of 5). The ``"quotes"`` section of
``bench/results.json`` is replaced; other sections are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "data" / "polnear-dev"
RESULTS = ROOT / "bench" / "results.json"


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to cpu {cpu}"
    return "not pinned (no sched_setaffinity)"


def _texts(gold_dir: Path) -> list[str]:
    return [p.read_bytes().decode("utf-8") for p in sorted((gold_dir / "text").glob("*.txt"))]


def _speed(texts: list[str], runs: int) -> dict[str, float]:
    from quotecheck.config import Config
    from quotecheck.pipeline.quotes import extract
    from quotecheck.pipeline.segment import segment

    config = Config()
    for text in texts:  # warm-up: tokenizer, lexicon and regex caches
        extract(text, segment(text), config)
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for text in texts:
            extract(text, segment(text), config)
        rates.append(len(texts) / (time.perf_counter() - t0))
    return {
        "articles_per_second_median": round(statistics.median(rates), 1),
        "articles_per_second_min": round(min(rates), 1),
        "articles_per_second_max": round(max(rates), 1),
        "runs": runs,
        "articles": len(texts),
        "characters": sum(len(t) for t in texts),
    }


def _cold_start(repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import quotecheck.pipeline.quotes"], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold-dir", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from quotecheck.eval import default_predictor, evaluate_polnear

    pinning = _pin_one_core()
    texts = _texts(args.gold_dir)
    report = evaluate_polnear(args.gold_dir, predict=default_predictor())
    section = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus": str(args.gold_dir.name),
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cpu": pinning},
        "speed": _speed(texts, max(5, args.runs)),
        "cold_start_import_seconds": _cold_start(),
        "figures": {k: round(v, 4) for k, v in report.figures().items()},
        "report": report.model_dump(mode="json"),
    }
    results = json.loads(args.output.read_text(encoding="utf-8")) if args.output.exists() else {}
    results["quotes"] = section
    tmp = args.output.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.output)
    f = section["figures"]
    sys.stdout.write(
        f"quotes: attribution F1 {f['attribution.content.f1']:.3f}, "
        f"exact F1 source {f['source.exact.f1']:.3f} cue {f['cue.exact.f1']:.3f} content {f['content.exact.f1']:.3f}, "
        f"indirect recall {f['recall_by_type.indirect.attribution_recall']:.3f}, "
        f"{section['speed']['articles_per_second_median']} articles/s, cold start {section['cold_start_import_seconds']} s "
        f"→ {args.output}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
