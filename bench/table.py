"""Render the README's benchmark table from bench/results.json, so no figure is typed by hand.

``python bench/table.py`` prints the table; ``--write README.md`` replaces the block between
``<!-- bench:start -->`` and ``<!-- bench:end -->``. Sections that were not run are left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def rows(results: dict) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    quotes_file = ROOT / "bench" / "quotes.json"
    q = json.loads(quotes_file.read_text(encoding="utf-8")) if quotes_file.exists() else {}
    for name, label in (("learned", "CRF tagger (default)"), ("contextual", "CRF + fine-tuned MiniLM (--contextual)"), ("rules", "rules (--fast)")):
        run = q.get(name)
        if not run:
            continue
        f = run["figures"]
        out += [
            (f"attribution F1 (content overlap), {label}", "PolNeAR dev, 84 articles", f"{f['attribution.content.f1']:.3f}"),
            (f"exact F1 source / cue / content; speaker accuracy, {label}", "PolNeAR dev",
             f"{f['source.exact.f1']:.3f} / {f['cue.exact.f1']:.3f} / {f['content.exact.f1']:.3f}; {f['attribution.source_accuracy']:.3f}"),
            (f"recall direct / mixed / indirect, {label}", "PolNeAR dev",
             " / ".join(f"{f[f'recall_by_type.{t}.attribution_recall']:.3f}" for t in ("direct", "mixed", "indirect"))),
            (f"`quotes` speed, one process, {label}", "PolNeAR dev",
             f"{run['speed']['articles_per_second_median']} articles/s (median of {run['speed']['runs']}), cold start {run['cold_start_seconds']} s"),
        ]
    for key, label in (("quotes_bbc", "CRF tagger"), ("quotes_bbc_contextual", "CRF + fine-tuned MiniLM (--contextual)")):
        bbc = results.get(key)
        if not bbc:
            continue
        e = bbc["exact_f1"]
        out.append((f"attribution F1; exact F1 source / cue / content; speaker accuracy, canonical speaker accuracy, {label}",
                        f"BBC quote set ({bbc['articles']} articles, {bbc['gold']} attributions, second domain)",
                        f"{bbc['attribution_f1']:.3f}; {e['source']:.3f} / {e['cue']:.3f} / {e['content']:.3f}; {bbc['source_accuracy']:.3f}, {bbc['canonical_speaker_accuracy']:.3f}"))
    out += saydo_rows(results)
    idx = results.get("index")
    if idx:
        for size in idx.get("sizes", []):
            a, e = size["approx"], size["exact"]
            out.append(("index query median, recall@10 (HNSW vs exact)", f"{size['n']:,} vectors, 384-d",
                        f"{a['median_ms']:.2f} ms vs {e['median_ms']:.2f} ms, {a['recall_at_10']:.3f}; build {a['build_s']:.0f} s, {a['index_mb']:.0f} MB"))
    sc = results.get("scaling")
    if sc:
        for command in ("quotes", "check"):
            rows_ = sc.get(command) or []
            if rows_:
                out.append((f"`{command}` on one long text, start-up included (time ratio per size step)", "PolNeAR dev articles joined",
                            "; ".join(f"{r['megabytes']:g} MB {r['median_s']} s" + (f" (×{r['ratio']} for ×{r['size_ratio']:g})" if "ratio" in r else "")
                                      for r in rows_)))
    fuzz_file = ROOT / "bench" / "fuzz.json"
    fz = json.loads(fuzz_file.read_text(encoding="utf-8")).get("fuzz") if fuzz_file.exists() else None
    if fz:
        out.append(("fuzz: exceptions, span violations, slow inputs (over 1 s per 10 kB)",
                    f"{fz['inputs_extract_quotes']:,} generated, mutated and hostile inputs ({fz['inputs_structure']:,} also through the parse and said/did)",
                    f"{fz['exceptions']}, {fz['span_violations']}, {fz['slow']} (slowest {fz['max_seconds_per_10kB']} s per 10 kB"
                    + (f"; longest input {fz['max_seconds_one_input']['seconds']} s" if "max_seconds_one_input" in fz else "") + ")"))
    b = results.get("batch")
    if isinstance(b, dict):
        for run in b.get("runs", []):
            data = f"{run['articles']:,} real articles ({run['folder']} cycled)" if run.get("size") == "real" else f"{run['articles']:,} synthetic articles"
            out.append((f"batch end to end, {run['config']} engine", data,
                        f"{run['articles_per_second_wall']} articles/s, peak RSS {run['peak_rss_mb'] / 1024:.2f} GB"))
    su = results.get("startup")
    if su:
        out.append(("cold start, whole command (median of %d): `quotes` / `check` on the seed; `compare` of two one-line texts, ONNX vs torch encoder" % su["runs"],
                    "seed article", f"{su['quotes_seed_s']} s / {su['check_seed_s']} s; {su['compare_s']} s vs {su['compare_torch_s']} s"))
    agree = results.get("batch_agreement")
    if isinstance(agree, dict) and agree.get("engines_identical_outputs"):
        runs = agree.get("runs", [])
        n = max((r["articles"] for r in runs), default=0)
        same = all(agree["engines_identical_outputs"].values())
        out.append(("local, workers and Ray engines: identical findings, shards and vectors (SHA-256)",
                    f"{n:,} real-length articles (PolNeAR dev cycled)",
                    ("yes" if same else "NO") + "; " + ", ".join(f"{r['config']} {r['articles_per_second_wall']} articles/s" for r in runs)))
    return out


def _p(value: float | None) -> str:
    """A precision, or why there is none (nothing was flagged, so nothing can be wrong)."""
    return "none flagged" if value is None else f"{value:.2f}"


def _prf(d: dict) -> str:
    return f"{d['p']:.2f} / {d['r']:.2f} / {d['f1']:.2f}"


def saydo_rows(results: dict) -> list[tuple[str, str, str]]:
    """Said versus did: the frozen test split first (the figure that judges), then the rest."""
    out: list[tuple[str, str, str]] = []
    m = results.get("saydo_models")
    if m:
        where = f"said/did test split, frozen ({m['test_articles']} whole articles, never read)"
        t = m["test_split"]["pooled"]
        out.append(("commitment / outcome detection P / R / F1", where, f"{_prf(t['commitment'])}; {_prf(t['outcome'])}"))
        out.append(("pairs shown / gold, pairing recall; mismatches flagged, right", where,
                    f"{t['link']['pred']} / {t['link']['gold']}, {t['pairing_recall']:.2f}; {t['mismatch']['pred']}, {t['mismatch']['tp']}"))
        for corpus in ("polnear-train", "bbc-news"):
            c = m["test_split"].get(corpus)
            if c:
                out.append(("commitment / outcome detection P / R / F1", f"said/did test split, {corpus} articles only",
                            f"{_prf(c['commitment'])}; {_prf(c['outcome'])}"))
        for name, c in (m.get("cross_domain") or {}).items():
            out.append(("commitment / outcome detection F1 (cross-domain)", f"test split, {name}",
                        f"{c['commitment']['f1']:.2f}; {c['outcome']['f1']:.2f}"))
        curve = dict(sorted((m.get("learning_curve") or {}).items(), key=lambda kv: kv[1]["articles"]))
        if curve:
            out.append(("learning curve: commitment F1 at " + " / ".join(curve), "test split, models fitted on part of the 616 training articles",
                        " / ".join(f"{c['commitment']['f1']:.2f}" for c in curve.values())))
    s = results.get("saydo") or {}
    fx = s.get("fixtures_saydo")
    if fx:
        out.append(("mismatch P / R, pairing recall, must-not-pair flagged", f"fixtures/saydo ({fx['cases']} cases)",
                    f"{_p(fx['mismatch_precision'])} / {fx['mismatch_recall']:.2f}, {fx['pairing_recall']:.2f}, {fx['none_flagged']} of {fx['none_cases']}"))
    for name, d in (s.get("saydo_dev") or {}).items():
        if not isinstance(d, dict) or "mismatch_f1" not in d:
            continue  # an older single-file layout
        where = "saydo-dev, both files pooled" if name == "pooled" else f"saydo-dev {name}"
        out.append(("mismatch P / R / F1, pairing recall, consistent recognised, must-not-pair flagged",
                    f"{where} ({d['cases']} real excerpts)",
                    f"{_p(d['mismatch_precision'])} / {d['mismatch_recall']:.2f} / {d['mismatch_f1']:.2f}, "
                    f"{d['pairing_recall']:.2f}, {d['consistent_recognised']} of {d['consistent_cases']}, "
                    f"{d['none_flagged']} of {d['none_cases']}"))
    sp = s.get("analyze_speed_polnear_dev")
    if sp:
        out.append(("`Checker.pipe` (analyze) speed, one process, no encoder needed", "PolNeAR dev", f"{sp['articles_per_s']} articles/s (median of {sp['runs']})"))
    for key, data in (("audit", "PolNeAR dev, 84 whole articles"), ("audit_bbc-audit", "BBC news, 40 whole articles outside the annotated ones")):
        a = results.get(key)
        if a:
            precision = "no mismatch reported" if a["mismatch_precision"] is None else f"{a['mismatches_correct']} of {a['mismatches_labelled']} right"
            out.append(("mismatches per article; read by hand", data,
                        f"{a['mismatches_per_article']}; {precision} ({a['mismatches_unlabelled']} unlabelled); consistent {a['consistent_correct']} of {a['consistent_labelled']} right"))
    return out


def stage_table(results: dict) -> list[str]:
    """Where a corpus run spends its time, stage by stage (``bench/bench_stages.py``)."""
    st = results.get("stages")
    if not st:
        return []
    lines = ["", f"Stage by stage: `quotecheck batch` in one process over {st['articles']} PolNeAR dev articles "
             f"({st['articles_per_s']} articles/s, encoder {st['encoder']}, median of {st['runs']} runs; "
             "a stage's time excludes the stages inside it).", "", "| stage | ms per article | share of wall time |", "|---|---|---|"]
    lines += [f"| {s['stage']} | {s['ms_per_article']} | {100 * s['share']:.1f} % |" for s in st["stages"]]
    return lines


def table(results: dict) -> str:
    lines = ["| what | data | figure |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows(results)]
    lines += stage_table(results)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="README to update between the bench markers")
    args = parser.parse_args(argv)
    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    block = table(results)
    if not args.write:
        print(block)
        return 0
    text = args.write.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{args.write}: no {START} … {END} block", file=sys.stderr)
        return 2
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    args.write.write_text(f"{head}{START}\n{block}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
