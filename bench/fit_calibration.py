"""Fit the said-versus-did score calibration on saydo-dev and cross-validate it.

Usage: ``HF_HUB_OFFLINE=1 .venv/bin/python bench/fit_calibration.py [--saydo-dev DIR] [--k K] [--dry-run]``

The checker runs once per case of ``cases.jsonl`` and ``cases-b.jsonl`` with the shipped table
switched off (and no NLI model), so every finding's score is the judge's prior and the fit does not
depend on an earlier fit. Each finding whose verdict is not ``unverified`` is labelled:

* correct: it is the predicted finding of the case's gold pair (highest-score hit, as in
  ``bench/bench_saydo.py``) and its verdict equals the gold label (mismatch/consistent);
* wrong: every other non-``unverified`` finding (other hits, unpaired findings, findings on
  ``none`` texts). ``unverified`` findings are skipped.

A table counts correct/total per key ``verdict|type|link``; the fitted score is
``(correct + k * prior) / (total + k)``. Cross-validation fits on one file and scores the other
(both ways): Brier score and log-loss of the fitted score against the prior, and the precision of
mismatch findings at score thresholds 0.5/0.6/0.7 with the true positives kept. On the held-out
file each scorer picks the predicted findings by its own scores, so the labels follow the ranking.
``k`` is the grid value with the lowest held-out Brier score (pooled over both directions) unless
``--k`` is given. The final table is fitted on both files and written to
``quotecheck/pipeline/calibration.json`` (aggregate counts only); the cross-validated figures go
to the ``"calibration"`` section of ``bench/results.json``. The pipeline changes under this
script: rerun it after any change to the match or judge stages.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_saydo import DEFAULT_DEV, DEV_FILES, CaseRun, ScoreFn, predicted, run_dev, write_section  # noqa: E402
from quotecheck.models import Finding  # noqa: E402
from quotecheck.pipeline import calibration as cal  # noqa: E402

K_GRID = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
THRESHOLDS = (0.5, 0.6, 0.7)
EPS = 1e-6

Sample = tuple[str, bool, float]  # (verdict, correct, score)


def _key(f: Finding) -> str:
    return cal.key(f.verdict, f.type, f.link)


def prior(f: Finding) -> float:
    return f.score  # the run is made with the table off: the score is the judge's strength


def rescorer(table: cal.Table) -> ScoreFn:
    """The score the checker would report with ``table`` (same rounding and clipping)."""
    return lambda f: round(max(0.0, min(1.0, cal.shrink(table.cells.get(_key(f)), prior(f), table.k))), 4)


def label(runs: Sequence[CaseRun], score: ScoreFn) -> list[tuple[Finding, bool]]:
    """Every non-unverified finding, correct or wrong, with predictions chosen by ``score``."""
    out: list[tuple[Finding, bool]] = []
    for run in runs:
        pred = predicted(run, score) if run.label != "none" else None
        for f in run.findings:
            if f.verdict != "unverified":
                out.append((f, pred is not None and f is pred and f.verdict == run.label))
    return out


def fit(runs: Sequence[CaseRun], k: float) -> cal.Table:
    cells: dict[str, list[int]] = {}
    for f, ok in label(runs, prior):
        cell = cells.setdefault(_key(f), [0, 0])
        cell[0] += ok
        cell[1] += 1
    return cal.Table(k, {name: cal.Cell(c, t) for name, (c, t) in sorted(cells.items())})


def samples(runs: Sequence[CaseRun], score: ScoreFn) -> list[Sample]:
    return [(f.verdict, ok, score(f)) for f, ok in label(runs, score)]


def figures(data: Sequence[Sample]) -> dict[str, Any]:
    """Brier, log-loss and mismatch precision at the thresholds of one scorer's samples."""
    n = len(data)
    brier = sum((s - ok) ** 2 for _, ok, s in data) / n if n else 0.0
    clip = [min(1 - EPS, max(EPS, s)) for _, _, s in data]
    logloss = -sum(math.log(p if ok else 1 - p) for (_, ok, _), p in zip(data, clip)) / n if n else 0.0
    mism = [(ok, s) for v, ok, s in data if v == "mismatch"]
    tps = sum(ok for ok, _ in mism)
    at = {}
    for t in THRESHOLDS:
        kept = [ok for ok, s in mism if s >= t]
        at[f"{t:.1f}"] = {"kept": len(kept), "tp_kept": sum(kept), "tp_total": tps,
                          "precision": round(sum(kept) / len(kept), 3) if kept else None}
    return {"brier": round(brier, 4), "log_loss": round(logloss, 4), "mismatch_at": at}


def held_out(train: Sequence[CaseRun], test: Sequence[CaseRun], k: float) -> tuple[list[Sample], list[Sample]]:
    """Samples of ``test`` scored by the table fitted on ``train``, and by the prior."""
    return samples(test, rescorer(fit(train, k))), samples(test, prior)


def cross_validate(runs: dict[str, list[CaseRun]], k: float) -> dict[str, Any]:
    a, b = (runs[name] for name in DEV_FILES)
    out: dict[str, Any] = {}
    pooled_fit: list[Sample] = []
    pooled_prior: list[Sample] = []
    for (tr, te), (train, test) in (((DEV_FILES[0], DEV_FILES[1]), (a, b)), ((DEV_FILES[1], DEV_FILES[0]), (b, a))):
        fitted, base = held_out(train, test, k)
        pooled_fit += fitted
        pooled_prior += base
        out[f"fit_{tr}_eval_{te}"] = _pair(fitted, base)
    out["pooled_held_out"] = _pair(pooled_fit, pooled_prior)
    return out


def _pair(fitted: Sequence[Sample], base: Sequence[Sample]) -> dict[str, Any]:
    return {"findings": len(base), "correct_rate": round(sum(ok for _, ok, _ in base) / len(base), 3) if base else None,
            "fitted": figures(fitted), "prior": figures(base)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saydo-dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--k", type=float, default=None, help="pseudo-count (default: chosen by cross-validation)")
    parser.add_argument("--dry-run", action="store_true", help="print the figures; write neither the table nor results.json")
    args = parser.parse_args(argv)
    from quotecheck import Checker

    cal._table = lambda: cal.Table(cal.DEFAULT_K, {})  # type: ignore[assignment]  # score = prior during the run
    checker = Checker()
    checker.nli_model = None
    checker.load()
    t = time.perf_counter()
    runs = run_dev(checker, args.saydo_dev)
    if set(runs) != set(DEV_FILES):
        print(f"need both {DEV_FILES} in {args.saydo_dev}", file=sys.stderr)
        return 2
    run_s = round(time.perf_counter() - t, 1)
    grid = {k: cross_validate(runs, k)["pooled_held_out"]["fitted"] for k in K_GRID}
    k = args.k if args.k is not None else min(K_GRID, key=lambda x: (grid[x]["brier"], x))
    cv = cross_validate(runs, k)
    table = fit([r for rs in runs.values() for r in rs], k)
    section = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "data": list(DEV_FILES), "run_s": run_s, "k": k,
        "k_chosen_by": "given" if args.k is not None else "lowest pooled held-out Brier over the grid",
        "k_grid": {str(x): {"brier": g["brier"], "log_loss": g["log_loss"]} for x, g in grid.items()},
        "fitted_beats_prior": cv["pooled_held_out"]["fitted"]["brier"] < cv["pooled_held_out"]["prior"]["brier"],
        "k_at_grid_edge": args.k is None and k in (K_GRID[0], K_GRID[-1]),
        "cross_validated": cv, "table_cells": len(table.cells),
        "table_findings": sum(c.total for c in table.cells.values()),
    }
    print(json.dumps(section, indent=2))
    if args.dry_run:
        return 0
    payload = {"k": k, "fitted_on": list(DEV_FILES), "date": section["date"],
               "cells": {name: {"correct": c.correct, "total": c.total} for name, c in table.cells.items()}}
    cal.TABLE_PATH.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    write_section("calibration", section)
    print(f"wrote {cal.TABLE_PATH.relative_to(ROOT)} ({len(table.cells)} cells) and the calibration section of bench/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
