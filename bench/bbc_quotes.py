"""The BBC quote set: selection, annotation (offsets only), brat export, agreement and scores.

A second domain for quote attribution (issue 17): 60 articles of ``../shared/data/bbc-news``,
12 per domain, annotated in the PolNeAR scheme (Source, Cue, Content spans tied by an
Attribution event; guideline in ``annotations/quotes-bbc/README.md``). The repository keeps
offsets and the article's SHA-256 only, never text.

Usage (from the repository root)::

    python bench/bbc_quotes.py select                      # → annotations/quotes-bbc/selection.json
    python bench/bbc_quotes.py resolve RAW_DIR --out F.jsonl --annotator NAME [--only agreement]
    python bench/bbc_quotes.py brat F.jsonl --out DIR       # DIR/text/*.txt + DIR/attributions/*.ann (scratch)
    python bench/bbc_quotes.py agree A.jsonl B.jsonl [--scorer PATH]   # the reference scorer, A as gold
    python bench/bbc_quotes.py score F.jsonl [--fast|--contextual] [--code CHECKOUT] [--show] [--json OUT] [--results]

**Selection rule** (``select``; fixed before any annotation): every ``text/<domain>/<name>.txt``
of bbc-news, minus near-duplicates (an article whose body — the text after the title line,
lower-cased, whitespace collapsed, first 300 characters — equals that of an article earlier
in name order); per domain the articles sorted by
``sha256("quotecheck/quotes-bbc/v1/<domain>/<name>")`` (hex, ascending); the first 12 are the
set, the first 3 of those the agreement sample (15 articles annotated twice).

**Raw annotation files** (text, kept outside the repository): one file per article,
``<domain>_<name>`` (``business_001.txt``), its first line ``# <domain>/<name>``, then one
attribution a line, fields separated by `` | ``:

``S: source | C: cue | Q: content piece | Q: second piece | P: speaker``

Each field is an exact substring of the article. Inside it, ``[…]`` marks the span within a
longer context (``C: Parsons [said]``), and ``…`` joins the first and the last words of a long
span (``Q: "Our financial…flexibility,"``). ``P`` names the speaker when the source does not
(a pronoun, a bare title): an excerpt naming them; ``P: ?`` says the speaker cannot be told from
the text. Occurrences are chosen so that content, cue and source lie nearest to each other, a cue
never being one that an earlier line took; an exact tie is an error that asks for context. ``S``, ``C`` and ``P`` are optional; ``Q`` is not.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "bbc-news"
SCORER = ROOT.parent / "shared" / "tools" / "polnear_eval.py"
FOLDER = ROOT / "annotations" / "quotes-bbc"
SELECTION = FOLDER / "selection.json"
DOMAINS = ("business", "entertainment", "politics", "sport", "tech")
PER_DOMAIN = 12
AGREEMENT_PER_DOMAIN = 3
SALT = "quotecheck/quotes-bbc/v1/"
#: How far apart (characters) the content, cue and source of one attribution may lie.
MAX_GAP = 700


# -- selection ----------------------------------------------------------------------------------


def _body_key(text: str) -> str:
    body = text.split("\n", 1)[1] if "\n" in text else text
    return " ".join(body.lower().split())[:300]


def select(data: Path = DATA) -> dict[str, Any]:
    seen: set[str] = set()
    duplicates: list[str] = []
    eligible: dict[str, list[str]] = {d: [] for d in DOMAINS}
    for domain in DOMAINS:
        for path in sorted((data / "text" / domain).glob("*.txt")):
            key = _body_key(path.read_text(encoding="utf-8"))
            name = f"{domain}/{path.name}"
            if key in seen:
                duplicates.append(name)
                continue
            seen.add(key)
            eligible[domain].append(path.name)
    articles, agreement = [], []
    for domain in DOMAINS:
        ranked = sorted(eligible[domain], key=lambda n: hashlib.sha256(f"{SALT}{domain}/{n}".encode()).hexdigest())
        chosen = [f"{domain}/{n}" for n in ranked[:PER_DOMAIN]]
        articles.extend(chosen)
        agreement.extend(chosen[:AGREEMENT_PER_DOMAIN])
    return {
        "rule": "bench/bbc_quotes.py (module docstring: Selection rule)",
        "salt": SALT,
        "near_duplicates_excluded": len(duplicates),
        "articles": articles,
        "agreement": agreement,
    }


def _selection() -> dict[str, Any]:
    return json.loads(SELECTION.read_text(encoding="utf-8"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_article(name: str, data: Path = DATA) -> str:
    return (data / "text" / name).read_bytes().decode("utf-8")


# -- resolving raw annotations to offsets --------------------------------------------------------


class Problem(ValueError):
    pass


def _candidates(text: str, field: str) -> list[tuple[int, int]]:
    """Every (start, end) the field's text can stand for (rules in the module docstring)."""
    field = field.strip()
    if not field:
        raise Problem("empty field")
    context = re.fullmatch(r"(.*)\[(.+)\](.*)", field, re.S)
    if context:
        before, inner, after = context.groups()
        return [(s + len(before), s + len(before) + len(inner)) for s, _ in _candidates(text, before + inner + after)]
    if "…" in field and "…" not in text:
        head, _, tail = field.partition("…")
        head, tail = head.strip(), tail.strip()
        if not head or not tail:
            raise Problem(f"an ellipsis needs words on both sides: {field!r}")
        out = []
        for m in re.finditer(re.escape(head), text):
            end = text.find(tail, m.end())
            if end >= 0:
                out.append((m.start(), end + len(tail)))
        if not out:
            raise Problem(f"not found: {field!r}")
        return out
    out = [(m.start(), m.start() + len(field)) for m in re.finditer(re.escape(field), text)]
    if not out:
        raise Problem(f"not found: {field!r}")
    return out


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def parse_line(line: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for part in line.split(" | "):
        m = re.match(r"\s*(S|C|Q|P):\s?(.*)$", part, re.S)
        if m is None:
            raise Problem(f"a field must start with S:, C:, Q: or P:, got {part!r}")
        fields.setdefault(m.group(1), []).append(m.group(2).rstrip("\n"))
    if "Q" not in fields:
        raise Problem("no content (Q:)")
    for k in ("S", "C", "P"):
        if len(fields.get(k, [])) > 1:
            raise Problem(f"{k}: given twice")
    return fields


def resolve_line(text: str, fields: dict[str, list[str]], taken: set[tuple[int, int]] = frozenset()) -> dict[str, Any]:
    """Offsets of one raw attribution; ``taken`` holds the cues of the lines before (a cue
    belongs to one attribution)."""
    pieces = [_candidates(text, q) for q in fields["Q"]]
    cue = [c for c in _candidates(text, fields["C"][0]) if c not in taken] if "C" in fields else [None]
    if not cue:
        raise Problem("every occurrence of the cue belongs to an earlier line")
    source = _candidates(text, fields["S"][0]) if "S" in fields else [None]
    best, best_cost, ties = None, None, 0
    for combo in itertools.product(*pieces):
        content_span = (min(s for s, _ in combo), max(e for _, e in combo))
        if len(pieces) > 1 and content_span[1] - content_span[0] > 4 * MAX_GAP:
            continue
        for c in cue:
            c_cost = _gap(content_span, c) if c else 0
            if c_cost > MAX_GAP:
                continue
            anchor = c or content_span
            for s in source:
                s_cost = _gap(anchor, s) if s else 0
                if s_cost > MAX_GAP:
                    continue
                cost = c_cost + s_cost + (content_span[1] - content_span[0] if len(pieces) > 1 else 0)
                if best_cost is None or cost < best_cost:
                    best, best_cost, ties = (combo, c, s), cost, 0
                elif cost == best_cost:
                    ties += 1
    if best is None:
        raise Problem("no occurrence of content, cue and source lie together")
    if ties:
        raise Problem(f"{ties + 1} equally near readings: add context with [..]")
    combo, c, s = best
    out: dict[str, Any] = {"content": sorted([list(p) for p in combo]), "cue": list(c) if c else None, "source": list(s) if s else None}
    if "P" in fields:
        if fields["P"][0].strip() == "?":
            out["speaker"] = None
        else:
            where = (s or c or combo[0])[0]
            found = _candidates(text, fields["P"][0])
            before = [x for x in found if x[0] <= where]
            pick = max(before) if before else min(found)
            out["speaker"] = list(pick)
    return out


def resolve_file(path: Path, data: Path = DATA) -> tuple[dict[str, Any] | None, list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("# "):
        return None, [f"{path}: the first line must be '# <domain>/<name>'"]
    name = lines[0][2:].strip()
    text = _read_article(name, data)
    problems, attributions = [], []
    taken: set[tuple[int, int]] = set()
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            attributions.append(resolve_line(text, parse_line(line), taken))
            if attributions[-1]["cue"]:
                taken.add(tuple(attributions[-1]["cue"]))
        except Problem as err:
            problems.append(f"{path}:{n}: {err}")
    attributions.sort(key=lambda a: (a["content"][0][0], a["content"][0][1]))
    return {"file": name, "sha256": _sha(text), "attributions": attributions}, problems


def read_records(path: Path, data: Path = DATA) -> list[dict[str, Any]]:
    """The records of a JSON Lines file, each checked against the article's current hash."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = _read_article(record["file"], data)
        if _sha(text) != record["sha256"]:
            raise SystemExit(f"{record['file']}: the article changed since it was annotated (sha256 differs); refusing it")
        out.append(record)
    return out


# -- brat ------------------------------------------------------------------------------------------


def _flat(s: str) -> str:
    return re.sub(r"[\n\r\t]", " ", s)


def to_brat(record: dict[str, Any], text: str) -> str:
    """brat lines of one record: T lines per role, an E line whose trigger is the cue (or the content)."""
    lines, t = [], 0
    for n, a in enumerate(record["attributions"], start=1):
        ids: dict[str, str] = {}
        for role, spans in (("Source", [a["source"]] if a["source"] else []), ("Cue", [a["cue"]] if a["cue"] else []),
                            ("Content", a["content"])):
            if spans:
                t += 1
                ids[role] = f"T{t}"
                offsets = ";".join(f"{s} {e}" for s, e in spans)
                lines.append(f"T{t}\t{role} {offsets}\t{_flat(' '.join(text[s:e] for s, e in spans))}")
        trigger = ids.get("Cue", ids["Content"])
        lines.append(f"E{n}\tAttribution:{trigger} " + " ".join(f"{role}:{tid}" for role, tid in ids.items()))
    return "\n".join(lines) + ("\n" if lines else "")


def _stem(name: str) -> str:
    return name.replace("/", "_").removesuffix(".txt")


def write_brat(records: list[dict[str, Any]], out: Path, data: Path = DATA) -> None:
    (out / "text").mkdir(parents=True, exist_ok=True)
    (out / "attributions").mkdir(parents=True, exist_ok=True)
    for record in records:
        text = _read_article(record["file"], data)
        (out / "text" / f"{_stem(record['file'])}.txt").write_bytes(text.encode("utf-8"))
        (out / "attributions" / f"{_stem(record['file'])}.ann").write_text(to_brat(record, text), encoding="utf-8")


# -- scoring -----------------------------------------------------------------------------------


def _run_scorer(gold: Path, pred: Path, scorer: Path) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        subprocess.run([sys.executable, str(scorer), "--gold-dir", str(gold), "--pred-dir", str(pred), "--json", tmp.name],
                       check=True, stdout=subprocess.DEVNULL)
        return json.loads(Path(tmp.name).read_text(encoding="utf-8"))


def _headline(report: dict[str, Any]) -> dict[str, float]:
    """The figures the README reports, read from the reference scorer's JSON."""
    flat: dict[str, float] = {}

    def walk(x: Any, prefix: str) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{prefix}.{k}" if prefix else k)
        elif isinstance(x, (int, float)):
            flat[prefix] = x

    walk(report, "")
    return flat


def speaker_scores(records: list[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]], data: Path = DATA) -> dict[str, Any]:
    """Canonical speaker accuracy over attributions whose contents overlap-match (the scorer's
    pairing): right when ``names_match`` holds between the gold speaker (``speaker``, else the
    source) and the predicted ``speaker_name``, or both are missing. ``predictions`` are the
    quotes of ``quotecheck quotes --format jsonl`` per article."""
    from quotecheck.eval.gold import Key
    from quotecheck.eval.scoring import pair
    from quotecheck.pipeline.names import names_match

    right = total = 0
    wrong: list[str] = []
    for record in records:
        text = _read_article(record["file"], data)
        quotes = predictions.get(record["file"], [])
        gold = record["attributions"]
        pairs = pair([Key.of([tuple(p) for p in a["content"]], text) for a in gold],
                     [Key.of([(c["start"], c["end"]) for c in q["content"]], text) for q in quotes])
        for gi, pi in pairs:
            a, q = gold[gi], quotes[pi]
            span = a["speaker"] if "speaker" in a else a["source"]
            want = text[span[0]:span[1]] if span else None
            got = q.get("speaker_name")
            ok = (want is None and got is None) or (want is not None and got is not None and names_match(want, got, loose=True))
            total += 1
            right += ok
            if not ok:
                source = q["source"]["text"] if q.get("source") else None
                wrong.append(f"{record['file']}: want {want!r} got {got!r} (source {source!r})")
    return {"matched": total, "speaker_accuracy": round(right / total, 4) if total else 0.0, "wrong": wrong}


def predict(records: list[dict[str, Any]], code: Path, fast: bool, data: Path = DATA, contextual: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Quotes of every article from ``quotecheck quotes --format jsonl``, run with the package in
    ``code`` first on the path (another checkout scores the same way: before and after)."""
    import os

    paths = [str(data / "text" / r["file"]) for r in records]
    cmd = [sys.executable, "-m", "quotecheck", "quotes", "--quiet", "--format", "jsonl", *paths] + (["--fast"] if fast else []) + (["--contextual"] if contextual else [])
    env = dict(os.environ, PYTHONPATH=str(code), HF_HUB_OFFLINE="1")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=str(code)).stdout
    by_path = {}
    for line in out.splitlines():
        doc = json.loads(line)
        by_path[doc["source"]] = doc["quotes"]
    return {r["file"]: by_path[p] for r, p in zip(records, paths)}


def _pred_brat(quotes: list[dict[str, Any]]) -> str:
    lines, t = [], 0
    for n, q in enumerate(quotes, start=1):
        ids = {}
        for role, spans in (("Source", [q["source"]] if q.get("source") else []), ("Cue", [q["cue"]] if q.get("cue") else []),
                            ("Content", q["content"])):
            if spans:
                t += 1
                ids[role] = f"T{t}"
                lines.append(f"T{t}\t{role} " + ";".join(f"{s['start']} {s['end']}" for s in spans) + "\t" + _flat(" ".join(s["text"] for s in spans)))
        lines.append(f"E{n}\tAttribution:{ids.get('Cue', ids['Content'])} " + " ".join(f"{r}:{i}" for r, i in ids.items()))
    return "\n".join(lines) + ("\n" if lines else "")


def cmd_select(args: argparse.Namespace) -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    SELECTION.write_text(json.dumps(select(), indent=1) + "\n", encoding="utf-8")
    print(f"→ {SELECTION}")
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    sel = _selection()
    wanted = set(sel["agreement"] if args.only == "agreement" else sel["articles"])
    records, problems = [], []
    for path in sorted(Path(args.raw).glob("*.txt")):
        record, found = resolve_file(path)
        problems += found
        if record is None:
            continue
        if record["file"] not in wanted:
            problems.append(f"{path}: {record['file']} is not in the selection")
            continue
        record["annotator"] = args.annotator
        records.append(record)
    missing = wanted - {r["file"] for r in records}
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    order = {name: i for i, name in enumerate(sel["articles"])}
    records.sort(key=lambda r: order[r["file"]])
    Path(args.out).write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records), encoding="utf-8")
    n = sum(len(r["attributions"]) for r in records)
    print(f"{len(records)} articles, {n} attributions → {args.out}" + (f"; {len(missing)} not yet annotated" if missing else ""))
    return 0


def cmd_brat(args: argparse.Namespace) -> int:
    write_brat(read_records(Path(args.file)), Path(args.out))
    print(f"→ {args.out}")
    return 0


def cmd_agree(args: argparse.Namespace) -> int:
    a, b = read_records(Path(args.a)), read_records(Path(args.b))
    common = sorted({r["file"] for r in a} & {r["file"] for r in b})
    with tempfile.TemporaryDirectory() as tmp:
        ga, gb = Path(tmp) / "a", Path(tmp) / "b"
        write_brat([r for r in a if r["file"] in common], ga)
        write_brat([r for r in b if r["file"] in common], gb)
        report = _run_scorer(ga, gb / "attributions", Path(args.scorer))
        subprocess.run([sys.executable, str(args.scorer), "--gold-dir", str(ga), "--pred-dir", str(gb / "attributions")], check=True)
    flat = _headline(report)
    out = {"articles": len(common), "scorer": str(args.scorer),
           "figures": {k: round(v, 4) for k, v in flat.items() if k.startswith(("attribution", "roles", "role"))}}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    records = read_records(Path(args.file))
    predictions = predict(records, Path(args.code).resolve(), args.fast, contextual=args.contextual)
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp) / "gold", Path(tmp) / "pred"
        write_brat(records, gold)
        pred.mkdir()
        for r in records:
            (pred / f"{_stem(r['file'])}.ann").write_text(_pred_brat(predictions[r["file"]]), encoding="utf-8")
        subprocess.run([sys.executable, str(args.scorer), "--gold-dir", str(gold), "--pred-dir", str(pred)], check=True)
        report = _run_scorer(gold, pred, Path(args.scorer))
    speakers = speaker_scores(records, predictions)
    print(f"canonical speaker accuracy {speakers['speaker_accuracy']:.3f} over {speakers['matched']} matched attributions")
    if args.show:
        print("\n".join(speakers["wrong"]))
    if args.json:
        Path(args.json).write_text(json.dumps({"code": str(args.code), "fast": args.fast, "reference": report, "speakers": speakers}, indent=1) + "\n", encoding="utf-8")
    if args.results:  # figures only: the report's per-article diagnostics quote the articles
        a, roles = report["attribution"], report["roles"]
        results_path = ROOT / "bench" / "results.json"
        results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else {}
        results["quotes_bbc" + ("_fast" if args.fast else "_contextual" if args.contextual else "")] = {
            "articles": len(records), "gold": a["gold"], "pred": a["pred"], "attribution_f1": round(a["content"]["f1"], 3),
            "exact_f1": {r: round(roles[r]["exact"]["f1"], 3) for r in ("source", "cue", "content")},
            "source_accuracy": round(a["source_accuracy"], 3), "canonical_speaker_accuracy": speakers["speaker_accuracy"],
        }
        results_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("select").set_defaults(run=cmd_select)
    p = sub.add_parser("resolve")
    p.add_argument("raw")
    p.add_argument("--out", required=True)
    p.add_argument("--annotator", required=True)
    p.add_argument("--only", choices=("all", "agreement"), default="all")
    p.set_defaults(run=cmd_resolve)
    p = sub.add_parser("brat")
    p.add_argument("file")
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_brat)
    p = sub.add_parser("agree")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--scorer", default=str(SCORER))
    p.add_argument("--json")
    p.set_defaults(run=cmd_agree)
    p = sub.add_parser("score")
    p.add_argument("file")
    p.add_argument("--fast", action="store_true")
    p.add_argument("--contextual", action="store_true", help="score the contextual model (quotecheck quotes --contextual)")
    p.add_argument("--show", action="store_true")
    p.add_argument("--code", default=str(ROOT), help="the checkout whose quotecheck is scored (default: this one)")
    p.add_argument("--scorer", default=str(SCORER))
    p.add_argument("--json", help="the whole report (it quotes the articles: keep it outside the repository)")
    p.add_argument("--results", action="store_true", help="write the figures (only) into bench/results.json as 'quotes_bbc'")
    p.set_defaults(run=cmd_score)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
