"""Benchmark said-versus-did: fixtures/saydo, both saydo-dev files end to end, and analyze speed.

Usage: ``HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_saydo.py [--saydo-dev DIR] [--gold-dir DIR]
[--only-dev] [--no-speed]``

Scoring of ``cases.jsonl`` and ``cases-b.jsonl`` (each file, then both pooled). quotecheck finds
the pair itself. A gold pair is *paired* when a finding's intention span overlaps the gold
intention excerpt and its action span overlaps the gold action excerpt (first occurrence in the
text; for ``two_texts`` the intention in ``text_a`` and the action in ``text_b``). The *predicted*
finding of a gold pair is its highest-score hit (ties: the checker's order).

* TP: a gold mismatch whose prediction is a mismatch; FN: a gold mismatch whose prediction is not
  (or that was not paired).
* FP: a mismatch predicted on a consistent gold pair; any mismatch finding that matches no gold
  pair; any mismatch finding on a must-not-pair (``none``) text.
* consistent recognised: gold consistent pairs whose prediction is consistent.
* must-not-pair flagged: ``none`` texts with any finding whose verdict is not ``unverified``.
* mismatch types right: TPs whose type equals the gold type (gold ``negation`` also accepts
  ``unfulfilled``).

``unverified`` findings never count as mismatches or flags. Speed: PolNeAR dev articles through
``Checker.pipe``, median of 3 passes after a warm-up. Writes the ``"saydo"`` section of
``bench/results.json``: other sections are kept, and so are the figures of skipped parts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV_FILES = ("cases.jsonl", "cases-b.jsonl")
DEFAULT_DEV = ROOT.parent / "shared" / "data" / "saydo-dev"

from bench import write_section  # noqa: E402
from quotecheck.models import Finding, Span, Statement  # noqa: E402


@dataclass(frozen=True)
class CaseRun:
    """One case and what the checker found in it (run once, scored many times)."""

    case: dict[str, Any]
    findings: tuple[Finding, ...]
    statements: dict[str, Statement]
    hits: tuple[Finding, ...]  # findings overlapping the gold pair; empty for a `none` text

    @property
    def label(self) -> str:
        return str(self.case["label"])


def _overlaps(span: Span | None, text: str, excerpt: str | None) -> bool:
    if span is None or not excerpt:
        return False
    i = text.find(excerpt)
    return i >= 0 and span.start < i + len(excerpt) and i < span.end


def run_case(checker: Any, case: dict[str, Any]) -> CaseRun:
    """Run the checker once on a case and collect the findings that hit its gold pair."""
    if case.get("kind") == "two_texts":
        result = checker.compare(case["text_a"], case["text_b"])
        ta, tb = case["text_a"], case["text_b"]
        statements = {s.id: s for s in (*result.a.statements, *result.b.statements)}
    else:
        result = checker.analyze(case["text"])
        ta = tb = case["text"]
        statements = {s.id: s for s in result.statements}
    findings = tuple(result.findings)
    hits: tuple[Finding, ...] = ()
    if case["label"] != "none":
        hits = tuple(f for f in findings if _overlaps(statements[f.intention].span, ta, case["intention"])
                     and _overlaps(statements[f.action].span, tb, case["action"]))
    return CaseRun(case, findings, statements, hits)


def run_file(checker: Any, path: Path) -> list[CaseRun]:
    return [run_case(checker, json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


ScoreFn = Callable[[Finding], float]


def predicted(run: CaseRun, score: ScoreFn | None = None) -> Finding | None:
    """The highest-score hit of the gold pair, ties broken like the checker's finding order."""
    if not run.hits:
        return None
    value = score or (lambda f: f.score)

    def order(f: Finding) -> tuple[float, str, int, str]:
        a = run.statements[f.action]
        return (-value(f), a.doc_id, a.span.start, a.id)

    return min(run.hits, key=order)


def _type_right(gold: str | None, got: str | None) -> bool:
    return got == gold or (gold == "negation" and got == "unfulfilled")


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def score_runs(runs: Sequence[CaseRun]) -> dict[str, Any]:
    """The figures of the module docstring over ``runs``."""
    tp = fp = fn = paired = gold = cons = cons_ok = n_none = types_right = 0
    flagged: list[str] = []
    missed: list[str] = []
    for run in runs:
        mismatches = [f for f in run.findings if f.verdict == "mismatch"]
        if run.label == "none":
            n_none += 1
            fp += len(mismatches)
            if any(f.verdict != "unverified" for f in run.findings):
                flagged.append(run.case["id"])
            continue
        gold += 1
        paired += bool(run.hits)
        pred = predicted(run)
        is_m = pred is not None and pred.verdict == "mismatch"
        fp += sum(f not in run.hits for f in mismatches)
        if run.label == "mismatch":
            tp += is_m
            fn += not is_m
            types_right += is_m and _type_right(run.case.get("mismatch_type"), pred.type if pred else None)
            if not is_m:
                missed.append(run.case["id"])
        else:
            cons += 1
            fp += is_m
            ok = pred is not None and pred.verdict == "consistent"
            cons_ok += ok
            if not ok:
                missed.append(run.case["id"])
    precision = tp / (tp + fp) if tp + fp else None  # nothing flagged: no precision to report
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {
        "cases": len(runs), "gold_pairs": gold, "tp": tp, "fp": fp, "fn": fn, "mismatches_flagged": tp + fp,
        "mismatch_precision": None if precision is None else round(precision, 3), "mismatch_recall": round(recall, 3), "mismatch_f1": round(f1, 3),
        "paired": paired, "pairing_recall": _ratio(paired, gold),
        "consistent_recognised": cons_ok, "consistent_cases": cons,
        "none_flagged": len(flagged), "none_cases": n_none, "none_flagged_ids": flagged,
        "mismatch_type_correct": types_right, "missed_ids": missed,
    }


def run_dev(checker: Any, folder: Path) -> dict[str, list[CaseRun]]:
    """Every saydo-dev file present in ``folder``, each case run once."""
    return {name: run_file(checker, folder / name) for name in DEV_FILES if (folder / name).exists()}


def score_dev(runs: dict[str, list[CaseRun]]) -> dict[str, Any]:
    out: dict[str, Any] = {name: score_runs(r) for name, r in runs.items()}
    if len(runs) > 1:
        out["pooled"] = score_runs([r for rs in runs.values() for r in rs])
    return out


def score_fixtures(checker: Any, folder: Path) -> dict[str, Any]:
    from quotecheck.testing.cases import iter_case_files, load_cases, run_case as run_fixture

    tp = fp = fn = paired = total = 0
    none_flagged = n_none = passed = n = 0
    for path in iter_case_files([folder]):
        for case, text in load_cases(path):
            r = run_fixture(case, checker, text=text)
            n += 1
            passed += r.passed
            if case.no_findings:
                n_none += 1
                none_flagged += not r.passed
            for exp, was_paired, verdict in zip(case.findings, r.paired, r.verdicts):
                total += 1
                paired += was_paired
                gold_m, pred_m = exp.verdict == "mismatch", bool(verdict and verdict.startswith("mismatch"))
                tp += gold_m and pred_m
                fp += (not gold_m) and pred_m
                fn += gold_m and not pred_m
            fp += r.extra_findings
    precision = round(tp / (tp + fp), 3) if tp + fp else None  # nothing flagged: no precision to speak of
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "cases": n, "passed": passed, "mismatches_flagged": tp + fp, "mismatch_precision": precision, "mismatch_recall": round(recall, 3),
        "pairing_recall": _ratio(paired, total), "none_flagged": none_flagged, "none_cases": n_none,
    }


def speed(checker: Any, gold_dir: Path, runs: int = 3) -> dict[str, Any]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((gold_dir / "text").glob("*.txt"))]
    list(checker.pipe(texts[:8]))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        list(checker.pipe(texts, batch_size=32))
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    return {"articles": len(texts), "runs": runs, "median_s": round(med, 3), "articles_per_s": round(len(texts) / med, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saydo-dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--gold-dir", type=Path, default=ROOT.parent / "shared" / "data" / "polnear-dev")
    parser.add_argument("--only-dev", action="store_true", help="skip fixtures/saydo")
    parser.add_argument("--no-speed", action="store_true", help="skip the analyze-speed passes")
    args = parser.parse_args(argv)
    from quotecheck import Checker

    checker = Checker()
    t = time.perf_counter()
    checker.load()
    section: dict[str, Any] = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "model_load_s": round(time.perf_counter() - t, 2),
                               "model": checker.model_path}
    if not args.only_dev:
        section["fixtures_saydo"] = score_fixtures(checker, ROOT / "fixtures" / "saydo")
    runs = run_dev(checker, args.saydo_dev)
    if runs:
        section["saydo_dev"] = score_dev(runs)
    if not args.no_speed and (args.gold_dir / "text").is_dir():
        section["analyze_speed_polnear_dev"] = speed(checker, args.gold_dir)
    write_section("saydo", section, merge=True)
    print(json.dumps(section, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
