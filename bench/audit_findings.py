"""Precision audit on whole articles: every finding of ``check`` over real articles, labelled by hand.

Usage::

    .venv/bin/python bench/audit_findings.py [FOLDER ...]            # default ../shared/data/polnear-dev/text
    .venv/bin/python bench/audit_findings.py --show [FOLDER ...]     # print unlabelled findings with their text
    .venv/bin/python bench/audit_findings.py --name polnear-train ../shared/data/polnear-train/text   # its own files
    .venv/bin/python bench/audit_findings.py --bbc-audit    # the 40 bbc-news audit articles of the said/did selection

The run writes ``bench/audit/findings.jsonl`` (one line per finding: article file name, the
character offsets of both statements, verdict, type, link, score — never the text, which belongs to
its publisher). ``bench/audit/labels.jsonl`` holds the hand labels, keyed the same way, with
``"label": "correct" | "wrong"`` and a ``"reason"``; labels survive reruns as long as the
finding's key (article, offsets, verdict, type) is unchanged. The summary — findings and mismatches per
article, precision of the labelled ones, count of unlabelled ones — goes into ``bench/results.json``
under ``"audit"``. ``--show`` prints each unlabelled finding's statements, to label them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AUDIT = ROOT / "bench" / "audit"
RESULTS = ROOT / "bench" / "results.json"
DATA = ROOT.parent / "shared" / "data"
DEFAULT = DATA / "polnear-dev" / "text"


def key(row: dict) -> tuple:
    return (row["article"], tuple(row["intention"]), tuple(row["action"]), row["verdict"], row["type"])


def bbc_audit_paths() -> list[Path]:
    """The 40 bbc-news articles the said/did selection set aside for this audit (never annotated)."""
    selection = json.loads((ROOT / "annotations" / "saydo" / "selection.json").read_text(encoding="utf-8"))
    return [DATA / "bbc-news" / "text" / Path(*Path(name).parts[1:]) for name in selection["audit_bbc"]]


def run(folders: list[Path], files: list[Path] | None = None) -> tuple[list[dict], int, dict[tuple, tuple]]:
    from quotecheck import Checker

    checker = Checker().load()
    paths = sorted(p for folder in folders for p in folder.glob("*.txt")) + list(files or [])
    rows: list[dict] = []
    shown: dict[tuple, tuple] = {}
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for path, analysis in zip(paths, checker.pipe(texts, batch_size=16)):
        statements = {s.id: s for s in analysis.statements}
        for f in analysis.findings:
            i, a = statements[f.intention], statements[f.action]
            row = {
                "article": path.name if not files else f"{path.parent.name}/{path.name}", "intention": [i.span.start, i.span.end], "action": [a.span.start, a.span.end],
                "verdict": f.verdict, "type": f.type, "link": f.link, "score": f.score,
            }
            rows.append(row)
            shown[key(row)] = (i.span.text, a.span.text, f.explanation)
    return rows, len(paths), shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--show", action="store_true", help="print the unlabelled findings with their statements")
    parser.add_argument("--name", default="", help="audit another folder under its own files (findings-NAME.jsonl, labels-NAME.jsonl, results 'audit_NAME')")
    parser.add_argument("--bbc-audit", action="store_true", help="audit the 40 bbc-news articles of annotations/saydo/selection.json (results 'audit_bbc-audit')")
    args = parser.parse_args(argv)
    files = bbc_audit_paths() if args.bbc_audit else None
    if files:
        args.name = args.name or "bbc-audit"
    folders = [] if files else (args.folders or [DEFAULT])
    rows, articles, shown = run(folders, files)
    AUDIT.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.name}" if args.name else ""
    (AUDIT / f"findings{suffix}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    labels_path = AUDIT / f"labels{suffix}.jsonl"
    labels = {key(r): r for r in (json.loads(x) for x in labels_path.read_text().splitlines() if x.strip())} if labels_path.exists() else {}
    mismatches = [r for r in rows if r["verdict"] == "mismatch"]
    labelled = [labels[key(r)] for r in mismatches if key(r) in labels]
    correct = sum(r["label"] == "correct" for r in labelled)
    section = {
        "folders": [str(f) for f in folders], "articles": articles, "findings": len(rows),
        "by_verdict": {v: sum(r["verdict"] == v for r in rows) for v in ("mismatch", "consistent", "unverified")},
        "mismatches_per_article": round(len(mismatches) / articles, 3) if articles else 0.0,
        "mismatches_labelled": len(labelled), "mismatches_correct": correct,
        "mismatch_precision": round(correct / len(labelled), 3) if labelled else None,
        "mismatches_unlabelled": len(mismatches) - len(labelled),
        "consistent_labelled": sum(key(r) in labels for r in rows if r["verdict"] == "consistent"),
        "consistent_correct": sum(labels[key(r)]["label"] == "correct" for r in rows if r["verdict"] == "consistent" and key(r) in labels),
    }
    if args.show:
        for r in rows:
            if key(r) not in labels and r["verdict"] != "unverified":
                intention, action, explanation = shown[key(r)]
                print(json.dumps({k: r[k] for k in ("article", "intention", "action", "verdict", "type")}))
                print(f"   PLAN: {intention}\n   DONE: {action}\n   WHY:  {explanation}\n")
    if folders == [DEFAULT] or args.name:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results[f"audit_{args.name}" if args.name else "audit"] = section
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(section, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
