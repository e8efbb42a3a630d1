"""Benchmark said-versus-did: fixtures/saydo and ../shared/data/saydo-dev end to end, plus analyze speed.

Usage: ``.venv/bin/python bench/bench_saydo.py [--saydo-dev ../shared/data/saydo-dev] [--gold-dir ../shared/data/polnear-dev]``

Scoring (end to end: quotecheck finds the pair itself). A gold pair is *paired* when a finding's
intention span overlaps the gold intention and its action span overlaps the gold action. Mismatch
precision/recall/F1 count a true positive for a paired gold mismatch judged mismatch; a false
positive for a mismatch finding on a consistent pair, on a must-not-pair text, or a mismatch
finding that matches no gold pair; a false negative for a gold mismatch not found as one. A
must-not-pair text is *flagged* when it yields any finding. Speed: PolNeAR dev articles through
``Checker.pipe`` (embeddings included), median of 3 passes after a warm-up. Writes the
``"saydo"`` section of ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results.json"


def _overlaps(span, text: str, excerpt: str | None) -> bool:
    if span is None or not excerpt:
        return False
    i = text.find(excerpt)
    return i >= 0 and span.start < i + len(excerpt) and i < span.end


def score_dev(checker, path: Path) -> dict:
    tp = fp = fn = 0
    paired = gold_pairs = 0
    flagged: list[str] = []
    types_right = 0
    per_case = []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if case.get("kind") == "two_texts":
            result = checker.compare(case["text_a"], case["text_b"])
            ta, tb = case["text_a"], case["text_b"]
            statements = {s.id: s for s in (*result.a.statements, *result.b.statements)}
        else:
            result = checker.analyze(case["text"])
            ta = tb = case["text"]
            statements = {s.id: s for s in result.statements}
        findings = list(result.findings)
        label = case["label"]
        if label == "none":
            if findings:
                flagged.append(case["id"])
            fp += sum(f.verdict == "mismatch" for f in findings)
            per_case.append({"id": case["id"], "label": label, "got": [f.type or f.verdict for f in findings]})
            continue
        gold_pairs += 1
        hits = [
            f for f in findings
            if _overlaps(statements[f.intention].span, ta, case["intention"]) and _overlaps(statements[f.action].span, tb, case["action"])
        ]
        paired += bool(hits)
        predicted = max(hits, key=lambda f: f.score) if hits else None
        is_m = predicted is not None and predicted.verdict == "mismatch"
        if label == "mismatch":
            tp += is_m
            fn += not is_m
            gold_type = "negation" if case["mismatch_type"] == "negation" else case["mismatch_type"]
            if is_m and predicted.type in (gold_type, "unfulfilled" if gold_type == "negation" else gold_type):
                types_right += 1
        else:
            fp += is_m
        fp += sum(f.verdict == "mismatch" for f in findings if f not in hits)
        per_case.append({"id": case["id"], "label": label, "paired": bool(hits), "got": predicted.type or predicted.verdict if predicted else None})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "cases": len(per_case), "mismatch_precision": round(precision, 3), "mismatch_recall": round(recall, 3),
        "mismatch_f1": round(f1, 3), "pairing_recall": round(paired / gold_pairs, 3) if gold_pairs else 0.0,
        "mismatch_type_correct": types_right, "none_flagged": len(flagged), "none_flagged_ids": flagged,
    }


def score_fixtures(checker, folder: Path) -> dict:
    from quotecheck.testing.cases import iter_case_files, load_cases, run_case

    tp = fp = fn = paired = total = 0
    none_flagged = n_none = passed = n = 0
    for path in iter_case_files([folder]):
        for case, text in load_cases(path):
            r = run_case(case, checker, text=text)
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
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "cases": n, "passed": passed, "mismatch_precision": round(precision, 3), "mismatch_recall": round(recall, 3),
        "pairing_recall": round(paired / total, 3) if total else 0.0, "none_flagged": none_flagged, "none_cases": n_none,
    }


def speed(checker, gold_dir: Path, runs: int = 3) -> dict:
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
    parser.add_argument("--saydo-dev", type=Path, default=ROOT.parent / "shared" / "data" / "saydo-dev")
    parser.add_argument("--gold-dir", type=Path, default=ROOT.parent / "shared" / "data" / "polnear-dev")
    args = parser.parse_args(argv)
    from quotecheck import Checker

    checker = Checker()
    t = time.perf_counter()
    checker.load()
    section = {"model_load_s": round(time.perf_counter() - t, 2), "model": checker.model_path}
    section["fixtures_saydo"] = score_fixtures(checker, ROOT / "fixtures" / "saydo")
    if (args.saydo_dev / "cases.jsonl").exists():
        section["saydo_dev"] = score_dev(checker, args.saydo_dev / "cases.jsonl")
    if (args.gold_dir / "text").is_dir():
        section["analyze_speed_polnear_dev"] = speed(checker, args.gold_dir)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["saydo"] = section
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(section, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
