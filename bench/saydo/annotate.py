"""Said/did annotation tool: list batches, check raw files, resolve them to offsets, measure agreement.

Usage (from the repository root)::

    python bench/saydo/annotate.py batch N                 # the files of batch N (agreement sample left out)
    python bench/saydo/annotate.py agree-batch K           # group K (0-3) of the 64-article agreement sample
    python bench/saydo/annotate.py check FILE_OR_DIR…      # validate raw annotation files (docs/annotation.md §6)
    python bench/saydo/annotate.py resolve DIR… --out annotations/saydo/   # train.jsonl + test.jsonl by the frozen split
    python bench/saydo/annotate.py agree A.jsonl B.jsonl   # statement / link F1, verdict agreement

Raw files hold text (exact substrings of the article) and live outside the repository; the
resolved JSON Lines hold character offsets and the article's SHA-256, never text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
SELECTION = ROOT / "annotations" / "saydo" / "selection.json"

from quotecheck.train.annotations import (  # noqa: E402
    LINK_TYPES, OUTCOME_STATUS, VERDICTS, agreement, read_annotations,
)

CORPORA = ("bbc-news", "polnear-train")


def article_path(corpus: str, file: str, data: Path = DATA) -> Path:
    return data / corpus / "text" / file


def _find(text: str, needle: str, occurrence: int | None) -> tuple[int, int] | str:
    if not needle:
        return "empty string"
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    if not starts:
        squash = re.sub(r"\s+", " ", needle.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')).strip()
        hint = ""
        norm = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
        norm = re.sub(r"\s", " ", norm)
        i = norm.find(squash)
        if i >= 0:
            hint = f"; the article has it with other quote marks or spacing: {text[i:i + len(squash)]!r}"
        return f"not found in the article{hint}"
    if occurrence is None:
        if len(starts) > 1:
            return f"occurs {len(starts)} times: add an occurrence number (1-{len(starts)})"
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        return f"occurrence {occurrence} out of range (1-{len(starts)})"
    s = starts[occurrence - 1]
    return (s, s + len(needle))


def resolve_one(raw: dict[str, Any], data: Path = DATA) -> tuple[dict[str, Any] | None, list[str]]:
    """A raw annotation (texts) → the repository record (offsets), or the problems found."""
    problems: list[str] = []
    corpus, file = raw.get("corpus"), raw.get("file")
    if corpus not in CORPORA or not isinstance(file, str):
        return None, [f"corpus must be one of {CORPORA} and file a path, got {corpus!r} {file!r}"]
    path = article_path(corpus, file, data)
    if not path.is_file():
        return None, [f"no article {path}"]
    text = path.read_text(encoding="utf-8")
    out: dict[str, Any] = {
        "corpus": corpus, "file": file, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "annotator": str(raw.get("annotator", "")), "commitments": [], "outcomes": [], "links": [],
    }
    ids: dict[str, str] = {}
    for kind, key in (("commitment", "commitments"), ("outcome", "outcomes")):
        for n, item in enumerate(raw.get(key) or []):
            where = f"{key}[{n}] ({item.get('id')})"
            sid = item.get("id")
            if not isinstance(sid, str) or sid in ids:
                problems.append(f"{where}: id missing or repeated")
                continue
            ids[sid] = kind
            span = _find(text, item.get("text") or "", item.get("occurrence"))
            if isinstance(span, str):
                problems.append(f"{where}: text {item.get('text')!r} {span}")
                continue
            if "\n\n" in text[span[0] : span[1]]:
                problems.append(f"{where}: the span crosses a paragraph break")
            rec: dict[str, Any] = {"id": sid, "start": span[0], "end": span[1]}
            if item.get("restates"):
                rec["restates"] = str(item["restates"])
            actor = item.get("actor")
            if not isinstance(actor, str) or not actor.strip():
                problems.append(f"{where}: actor (a short name) is missing")
            rec["actor"] = (actor or "").strip()
            if item.get("actor_text"):
                a = _find(text, item["actor_text"], item.get("actor_occurrence"))
                if isinstance(a, str):
                    problems.append(f"{where}: actor_text {item['actor_text']!r} {a}")
                else:
                    rec["actor_start"], rec["actor_end"] = a
            if kind == "commitment":
                rec["conditional"] = bool(item.get("conditional", False))
                if item.get("due_text"):
                    d = _find(text, item["due_text"], item.get("due_occurrence"))
                    if isinstance(d, str):
                        problems.append(f"{where}: due_text {item['due_text']!r} {d}")
                    else:
                        rec["due_start"], rec["due_end"] = d
            else:
                status = item.get("status")
                if status not in OUTCOME_STATUS:
                    problems.append(f"{where}: status must be one of {OUTCOME_STATUS}, got {status!r}")
                rec["status"] = status
            out[key].append(rec)
    restated = {r["id"]: r["restates"] for key in ("commitments", "outcomes") for r in out[key] if "restates" in r}
    for sid, target in restated.items():
        if ids.get(target) != ids.get(sid) or target in restated:
            problems.append(f"{sid}: restates {target!r}, which is not an annotated {ids.get(sid)} of its own (a restatement points at the fullest statement)")
    for n, link in enumerate(raw.get("links") or []):
        where = f"links[{n}]"
        c, o = link.get("commitment"), link.get("outcome")
        if ids.get(c) != "commitment" or ids.get(o) != "outcome":
            problems.append(f"{where}: commitment {c!r} / outcome {o!r} are not ids of a commitment and an outcome")
            continue
        if c in restated or o in restated:
            problems.append(f"{where}: link the fullest statement, not the restatement {c if c in restated else o!r}")
        verdict, typ = link.get("verdict"), link.get("type")
        if verdict not in VERDICTS:
            problems.append(f"{where}: verdict must be one of {VERDICTS}")
        if verdict == "mismatch" and typ not in LINK_TYPES:
            problems.append(f"{where}: a mismatch needs a type, one of {LINK_TYPES}")
        if verdict != "mismatch" and typ:
            problems.append(f"{where}: only a mismatch has a type")
        # notes stay in the raw files: they may quote the article, and the repository keeps offsets only
        out["links"].append({"commitment": c, "outcome": o, "verdict": verdict, "type": typ if verdict == "mismatch" else None})
    return (None if problems else out), problems


def _raw_files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.rglob("*.json")) if p.is_dir() else [p]
    return out


AGREE_GROUPS = 4


def batch_names(sel: dict[str, Any], n: int, *, agreement: bool = False) -> list[str]:
    """Regular batch ``n`` without the agreement sample, or agreement group ``n`` (half from each corpus)."""
    sample = sel["agreement_sample"]
    if agreement:
        groups: list[list[str]] = [[] for _ in range(AGREE_GROUPS)]
        for corpus in CORPORA:
            mine = [x for x in sample if x.startswith(corpus + "/")]
            for i, name in enumerate(mine):
                groups[i % AGREE_GROUPS].append(name)
        return groups[n]
    return [x for x in sel["batches"][n] if x not in set(sample)]


def cmd_batch(args: argparse.Namespace) -> int:
    sel = json.loads(SELECTION.read_text(encoding="utf-8"))
    limit = AGREE_GROUPS if args.agreement else len(sel["batches"])
    if not 0 <= args.n < limit:
        print(f"batch must be 0-{limit - 1}", file=sys.stderr)
        return 2
    for name in batch_names(sel, args.n, agreement=args.agreement):
        corpus, file = name.split("/", 1)
        print(f"{corpus}\t{file}\t{article_path(corpus, file)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    bad = 0
    files = _raw_files(args.paths)
    for path in files:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            print(f"{path}: not JSON: {err}")
            bad += 1
            continue
        _, problems = resolve_one(raw)
        for p in problems:
            print(f"{path}: {p}")
        bad += bool(problems)
    print(f"{len(files) - bad} of {len(files)} files valid", file=sys.stderr)
    return 1 if bad else 0


def cmd_resolve(args: argparse.Namespace) -> int:
    records, bad = [], 0
    for path in _raw_files(args.paths):
        rec, problems = resolve_one(json.loads(path.read_text(encoding="utf-8")))
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        if rec is None:
            bad += 1
        else:
            records.append(rec)
    seen: dict[tuple[str, str], dict] = {}
    for rec in records:
        seen[(rec["corpus"], rec["file"])] = rec  # a later file of the same article replaces an earlier one
    out = Path(args.out)
    if out.suffix != ".jsonl":  # a folder: the frozen split decides which file each article goes to
        test = {f"{a['corpus']}/{a['file']}" for a in json.loads(SELECTION.read_text(encoding="utf-8"))["articles"] if a["split"] == "test"}
        out.mkdir(parents=True, exist_ok=True)
        for name, keep in (("train.jsonl", False), ("test.jsonl", True)):
            part = [json.dumps(r, ensure_ascii=False, sort_keys=True) for k, r in sorted(seen.items()) if (f"{k[0]}/{k[1]}" in test) == keep]
            (out / name).write_text("\n".join(part) + "\n", encoding="utf-8")
    else:
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for _, r in sorted(seen.items())]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_links = sum(len(r["links"]) for r in seen.values())
    print(f"{len(seen)} articles ({bad} refused), {sum(len(r['commitments']) for r in seen.values())} commitments, "
          f"{sum(len(r['outcomes']) for r in seen.values())} outcomes, {n_links} links → {out}", file=sys.stderr)
    return 1 if bad else 0


def cmd_agree(args: argparse.Namespace) -> int:
    a = {(x.corpus, x.file): x for x in read_annotations(Path(args.a), DATA)}
    b = {(x.corpus, x.file): x for x in read_annotations(Path(args.b), DATA)}
    common = sorted(set(a) & set(b))
    report = agreement([a[k] for k in common], [b[k] for k in common])
    print(json.dumps({"articles": len(common), **report}, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("batch")
    p.add_argument("n", type=int)
    p.set_defaults(agreement=False)
    p = sub.add_parser("agree-batch")
    p.add_argument("n", type=int)
    p.set_defaults(agreement=True)
    p = sub.add_parser("check")
    p.add_argument("paths", nargs="+")
    p = sub.add_parser("resolve")
    p.add_argument("paths", nargs="+")
    p.add_argument("--out", required=True)
    p = sub.add_parser("agree")
    p.add_argument("a")
    p.add_argument("b")
    args = ap.parse_args(argv)
    return {"batch": cmd_batch, "agree-batch": cmd_batch, "check": cmd_check, "resolve": cmd_resolve, "agree": cmd_agree}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())
