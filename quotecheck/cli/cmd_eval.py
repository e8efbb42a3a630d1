"""``quotecheck eval polnear DIR [--pred-dir P] [--format text|json]``: score attributions."""

from __future__ import annotations

import argparse
import sys

from quotecheck.errors import Errors, InputError

__all__ = ["register", "run", "format_table"]

CORPORA = ("polnear",)
FORMATS = ("text", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``eval`` sub-command to the main parser's sub-parsers."""
    from quotecheck.cli.commands import ExamplesHelp, quote_options

    parser = subparsers.add_parser(
        "eval",
        help="score quote attributions against an annotated corpus",
        description="Score quote attribution (source, cue, content) against gold brat annotations: "
        "P/R/F1 per role under exact and overlap match, attribution-level F1, speaker accuracy and "
        "recall by direct/mixed/indirect content. Matching rules: quotecheck/eval.py.",
        epilog="example:\n  quotecheck eval polnear ../shared/data/polnear-dev --format json",
        formatter_class=ExamplesHelp,
    )
    parser.add_argument("corpus", choices=CORPORA, help="corpus format of DIR")
    parser.add_argument("dir", metavar="DIR", help="folder holding text/ and attributions/")
    parser.add_argument(
        "--pred-dir", metavar="P", default=None, help="read predictions from P/<article>.ann instead of running the extractor"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    quote_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print the report to stdout; bad input raises :class:`InputError`."""
    from quotecheck.eval import evaluate_polnear

    if args.corpus not in CORPORA:
        raise InputError(Errors.E053.format(corpus=args.corpus, choices=", ".join(CORPORA)))
    fmt = getattr(args, "format", "text")
    if fmt not in FORMATS:
        raise InputError(Errors.E017.format(fmt=fmt, choices=", ".join(FORMATS)))
    predict = None
    if args.pred_dir is None:
        from quotecheck.checker import Checker
        from quotecheck.cli.commands import quote_config

        checker = Checker(config=quote_config(args))
        predict = lambda text: checker.extract_quotes(text).quotes  # noqa: E731
    report = evaluate_polnear(args.dir, pred_dir=args.pred_dir, predict=predict)
    if fmt == "json":
        sys.stdout.write(report.model_dump_json(indent=1) + "\n")
    else:
        sys.stdout.write(format_table(report, title=f"{args.corpus} {args.dir}") + "\n")
    return 0


def format_table(report, title: str = "") -> str:
    """A readable table of every figure of a :class:`~quotecheck.eval.PolnearReport`."""
    out = [title] if title else []
    out.append(f"{report.n_articles} articles, overlap threshold {report.overlap_threshold:g}")
    out.append(f"{'role':<9} {'match':<8} {'gold':>6} {'pred':>6} {'tp':>6} {'P':>7} {'R':>7} {'F1':>7}")
    for role in ("source", "cue", "content"):
        for mode in ("exact", "overlap"):
            d = getattr(getattr(report.roles, role), mode)
            out.append(
                f"{role:<9} {mode:<8} {d.gold:>6} {d.pred:>6} {d.tp:>6} {d.precision:>7.3f} {d.recall:>7.3f} {d.f1:>7.3f}"
            )
    a = report.attribution
    out.append("")
    out.append(f"attribution (paired on content overlap): gold {a.gold}  pred {a.pred}")
    out.append(f"{'level':<28} {'tp':>6} {'P':>7} {'R':>7} {'F1':>7}")
    for name, field in (
        ("content", "content"),
        ("content+source", "content_source"),
        ("content+source+cue", "content_source_cue"),
        ("content+source(any-overlap)", "content_source_any"),
    ):
        d = getattr(a, field)
        out.append(f"{name:<28} {d.tp:>6} {d.precision:>7.3f} {d.recall:>7.3f} {d.f1:>7.3f}")
    out.append(
        f"matched pairs {a.matched_pairs}: speaker/source accuracy {a.source_accuracy:.3f} "
        f"(any overlap {a.source_accuracy_any_overlap:.3f}), cue accuracy {a.cue_accuracy:.3f}"
    )
    out.append("")
    out.append("recall by gold content type:")
    out.append(f"{'type':<9} {'units':>6} {'cont-ex':>8} {'cont-ov':>8} {'attrs':>6} {'attr':>7} {'+src':>7} {'+src+cue':>9}")
    for ty in ("direct", "mixed", "indirect"):
        d = getattr(report.recall_by_type, ty)
        out.append(
            f"{ty:<9} {d.gold_content_units:>6} {d.content_exact_recall:>8.3f} {d.content_overlap_recall:>8.3f} "
            f"{d.gold_attributions:>6} {d.attribution_recall:>7.3f} {d.attribution_source_recall:>7.3f} "
            f"{d.attribution_source_cue_recall:>9.3f}"
        )
    if report.pred_files_missing or report.pred_issues:
        out.append("")
        out.append(f"prediction files missing: {report.pred_files_missing}; malformed lines skipped: {report.pred_issues}")
    return "\n".join(out)
