"""Benchmark the quotes stage on PolNeAR dev: the learned model and the ``--fast`` rules side by side.

Usage: ``.venv/bin/python bench/bench_quotes.py [--gold-dir ../shared/data/polnear-dev] [--runs 5]``
→ ``bench/quotes.json`` (its own file; the lead merges figures into the README).

For each extractor (``learned``: the packaged CRF, ``rules``: ``--fast``, ``contextual``: the
packaged CRF mixed with the fine-tuned MiniLM, ``--contextual``):

* ``figures``: every score of ``quotecheck eval polnear`` on the gold folder;
* ``speed``: articles per second of segmentation + extraction + speakers
  (``Checker.extract_quotes``) in one process pinned to one core, after a warm-up pass: median,
  min and max of ``--runs`` passes over every article;
* ``cli``: wall time of ``quotecheck quotes --format jsonl`` over every article file as a user
  runs it (one process, cold start included) and its articles per second;
* ``cold_start_seconds``: wall time of a fresh process that imports quotecheck and extracts the
  quotes of one sentence (median of 5), and whether torch got imported (it must not).
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
RESULTS = ROOT / "bench" / "quotes.json"
EXTRACTORS = ("learned", "rules", "contextual")
_FLAGS = {"learned": [], "rules": ["--fast"], "contextual": ["--contextual"]}
_COLD = (
    "import sys; from quotecheck.checker import Checker; from quotecheck.config import Config; "
    "Checker(config=Config(**{settings!r})).extract_quotes('Ann Lee said taxes would rise.'); "
    "print(int('torch' in sys.modules))"
)


def _settings(kind: str) -> dict[str, str]:
    """The Config fields that select an extractor."""
    if kind == "contextual":
        from quotecheck.pipeline.attribution.model import contextual_model_path

        return {"quote_model": str(contextual_model_path())}
    return {"quote_extractor": kind}


def _texts(gold_dir: Path) -> list[str]:
    return [p.read_bytes().decode("utf-8") for p in sorted((gold_dir / "text").glob("*.txt"))]


def _speed(kind: str, texts: list[str], runs: int) -> dict[str, float]:
    from quotecheck.checker import Checker
    from quotecheck.config import Config

    checker = Checker(config=Config(**_settings(kind)))
    for text in texts:  # warm-up: model, lexicon and regex caches
        checker.extract_quotes(text)
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for text in texts:
            checker.extract_quotes(text)
        rates.append(len(texts) / (time.perf_counter() - t0))
    return {
        "articles_per_second_median": round(statistics.median(rates), 1),
        "articles_per_second_min": round(min(rates), 1),
        "articles_per_second_max": round(max(rates), 1),
        "runs": runs,
        "articles": len(texts),
    }


def _cli(kind: str, gold_dir: Path) -> dict[str, float]:
    files = sorted(str(p) for p in (gold_dir / "text").glob("*.txt"))
    cmd = [sys.executable, "-m", "quotecheck.cli", "quotes", "--quiet", "--format", "jsonl", *files, *_FLAGS[kind]]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "articles_per_second": round(len(files) / seconds, 1)}


def _cold_start(kind: str, repeats: int = 5) -> tuple[float, bool]:
    times, torch = [], False
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _COLD.format(settings=_settings(kind))], check=True, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        torch = torch or out.stdout.strip().endswith("1")
    return round(statistics.median(times), 3), torch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold-dir", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from quotecheck.checker import Checker
    from quotecheck.config import Config
    from quotecheck.eval import evaluate_polnear
    from quotecheck.pipeline.attribution.model import load_model

    cli = {kind: _cli(kind, args.gold_dir) for kind in EXTRACTORS}  # before pinning: the CLI as a user runs it
    cpu = "not pinned"
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        cpu = f"pinned to cpu {core}"
    texts = _texts(args.gold_dir)
    out: dict[str, object] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus": args.gold_dir.name,
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cpus": os.cpu_count(), "speed": cpu},
        "model": {k: v for k, v in load_model().meta.items() if k in ("format", "trained_on", "articles", "params", "seed")},
    }
    for kind in EXTRACTORS:
        checker = Checker(config=Config(**_settings(kind)))
        report = evaluate_polnear(args.gold_dir, predict=lambda t, c=checker: c.extract_quotes(t).quotes)
        cold, torch = _cold_start(kind)
        out[kind] = {
            "figures": {k: round(v, 4) for k, v in report.figures().items()},
            "speed": _speed(kind, texts, max(3, args.runs)),
            "cli": cli[kind],
            "cold_start_seconds": cold,
            "torch_imported": torch,
        }
    tmp = args.output.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.output)
    for kind in EXTRACTORS:
        r = out[kind]
        f = r["figures"]  # type: ignore[index]
        sys.stdout.write(
            f"{kind:8} attribution F1 {f['attribution.content.f1']:.3f}, exact F1 source {f['source.exact.f1']:.3f} "
            f"cue {f['cue.exact.f1']:.3f} content {f['content.exact.f1']:.3f}, speaker acc {f['attribution.source_accuracy']:.3f}, "
            f"indirect recall {f['recall_by_type.indirect.attribution_recall']:.3f}, "
            f"{r['speed']['articles_per_second_median']} articles/s (one core), CLI {r['cli']['articles_per_second']} articles/s, "
            f"cold start {r['cold_start_seconds']} s, torch {r['torch_imported']}\n"
        )
    sys.stdout.write(f"→ {args.output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
