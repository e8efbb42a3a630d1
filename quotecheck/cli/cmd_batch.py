"""``quotecheck batch INPUT… --output DIR``: a whole corpus, resumable, on one machine or on Ray.

Results go to files under DIR (shards, index, findings.jsonl, summary.json); cross-article
findings are printed on standard output, problems and the summary on standard error.
Exit status: 0 when every article was processed or skipped with a logged reason; 1 for
``--fail-on`` findings; 2 bad usage (no input, an output folder that is not ours, Ray missing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quotecheck.cli.commands import ExamplesHelp, common_options, model_options
from quotecheck.cli.progress import Progress

__all__ = ["register", "run"]

EXIT_OK, EXIT_FINDINGS = 0, 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``batch`` sub-command to the main parser."""
    from quotecheck.corpus.job import DEFAULT_EMBED_BATCH, DEFAULT_SHARD_SIZE
    from quotecheck.corpus.guard import DEFAULT_ARTICLE_TIMEOUT
    from quotecheck.io.paths import DEFAULT_MAX_BYTES

    b = sub.add_parser(
        "batch",
        parents=[common_options()],
        help="analyse a corpus into JSON Lines shards and a corpus index; cross-article findings",
        description="Analyse every article of INPUT… (text files, JSON Lines files with one article per line "
        '{"id", "text", "date"?, "url"?, "outlet"?}, directories or glob patterns) into JSON Lines shards under DIR, '
        "add their statements to a corpus index, and report cross-article findings (an intention in one article, the "
        "action in a later one). A rerun skips the articles already done.",
        epilog="example:\n  quotecheck batch articles.jsonl --output run/ --fail-on mismatch", formatter_class=ExamplesHelp,
    )
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="*.txt and *.jsonl files, directories holding them, or glob patterns")
    b.add_argument("--output", metavar="DIR", required=True, help="folder for shards, manifest, findings.jsonl and summary.json (resumable)")
    b.add_argument("--index", metavar="INDEX", help="corpus index folder to load and extend (default: DIR/index)")
    b.add_argument("--engine", choices=("local", "ray"), default="local", help="local: worker processes on this machine; ray: Ray Data (needs quotecheck[ray])")
    b.add_argument("--workers", type=_count, metavar="N", help="extraction processes for --engine local (default: one per core; 0 = in the main process)")
    b.add_argument("--shard-size", type=_positive, default=DEFAULT_SHARD_SIZE, metavar="N", help=f"articles per shard: the most a crash can lose (default {DEFAULT_SHARD_SIZE})")
    b.add_argument("--batch-size", type=_positive, default=DEFAULT_EMBED_BATCH, metavar="N", help=f"articles per encoder batch (default {DEFAULT_EMBED_BATCH})")
    b.add_argument("--ray-address", metavar="ADDR", help="Ray cluster to join (default: $RAY_ADDRESS, else a local Ray instance)")
    b.add_argument("--ray-actors", type=_positive, default=1, metavar="N", help="encoder actors for --engine ray, each loading the model once (default 1)")
    b.add_argument(
        "--article-timeout", type=_seconds, default=DEFAULT_ARTICLE_TIMEOUT, metavar="SECONDS",
        help=f"skip an article whose extraction takes longer (E083; default {DEFAULT_ARTICLE_TIMEOUT:g}, 0 = no limit)",
    )
    b.add_argument(
        "--max-bytes", type=_size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
        help=f"skip a .txt file or JSON Lines line larger than this (E085; bytes, or with K/M/G; default {DEFAULT_MAX_BYTES // 1024**2}M)",
    )
    b.add_argument("--format", choices=("text", "jsonl"), default="text", help="how cross-article findings are printed on standard output")
    model_options(b)
    b.set_defaults(handler=run)


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value!r}")
    return n


def _positive(value: str) -> int:
    n = _count(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value!r}")
    return n


def _seconds(value: str) -> float:
    from quotecheck.errors import Errors

    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(Errors.E090.format(value=value)) from None
    if not seconds >= 0 or seconds == float("inf"):  # also NaN
        raise argparse.ArgumentTypeError(Errors.E090.format(value=value))
    return seconds


def _size(value: str) -> int:
    from quotecheck.errors import Errors
    from quotecheck.io.paths import parse_size

    try:
        size = parse_size(value)
    except ValueError:
        raise argparse.ArgumentTypeError(Errors.E088.format(value=value)) from None
    if size < 1:
        raise argparse.ArgumentTypeError(Errors.E088.format(value=value))
    return size


def _estimate(paths: list[str]) -> int:
    """Articles to expect: one per text file, one per line of a JSON Lines file (counted in blocks)."""
    from quotecheck.corpus.reader import JSONL_SUFFIXES

    total = 0
    for path in paths:
        if Path(path).suffix not in JSONL_SUFFIXES or not Path(path).is_file():  # a FIFO is not read here
            total += 1
            continue
        try:
            with open(path, "rb") as fh:
                last = b"\n"
                while block := fh.read(1 << 20):
                    total += block.count(b"\n")
                    last = block[-1:]
                total += last != b"\n"
        except OSError:
            total += 1
    return total


def run(args: argparse.Namespace) -> int:
    from quotecheck.corpus.batch import BatchJob, corpus_paths, run_local

    quiet = bool(getattr(args, "quiet", False))
    job = BatchJob(
        args.output, index=args.index, model=args.model, nli_model=getattr(args, "nli", None), shard_size=args.shard_size,
        embed_batch=args.batch_size, workers=args.workers, article_timeout=args.article_timeout, max_bytes=args.max_bytes,
    )
    paths = corpus_paths(job, args.inputs)  # usage mistakes (E010, E069) stop here, before any work
    if args.engine == "ray":
        from quotecheck.corpus.ray_engine import import_ray

        import_ray()  # E067 names the extra before the model loads
    problems: list[str] = []
    bar = Progress(_estimate(paths), label="articles", quiet=quiet, rate=True)

    def on_problem(problem) -> None:
        problems.append(problem.message)
        if bar.enabled:
            bar.stream.write("\r\x1b[K")
        print(f"quotecheck: {'warning' if problem.severity == 'warning' else 'skipped'}: {problem.message}", file=sys.stderr)

    def on_progress(done: int) -> None:
        bar.advance(done - bar.done)

    with bar:
        if args.engine == "ray":
            from quotecheck.corpus.ray_engine import run_ray

            summary, cross = run_ray(job, paths, actors=args.ray_actors, address=args.ray_address, on_problem=on_problem, on_progress=on_progress)
        else:
            summary, cross = run_local(job, paths, on_problem=on_problem, on_progress=on_progress)
    if args.format == "jsonl":
        sys.stdout.write("".join(f.model_dump_json() + "\n" for f in cross))
    else:
        from quotecheck.cli.render import findings_text

        sys.stdout.write("\n".join(findings_text(cross)) + "\n")
    if not quiet:
        print(_summary_text(summary), file=sys.stderr)
    return _fail(args, cross, summary)


def _summary_text(summary) -> str:
    reasons = ", ".join(f"{code} ×{n}" for code, n in summary.skipped_by_reason.items())
    warnings = ", ".join(f"{code} ×{n}" for code, n in summary.warnings_by_code.items())
    reused = " (reused: nothing changed)" if summary.findings_cross_reused else ""
    lines = [
        f"quotecheck batch ({summary.engine}): {summary.read} read: {summary.done} done, {summary.already_done} already done, "
        f"{summary.skipped} skipped" + (f" [{reasons}]" if reasons else "") + f"; {summary.warnings} warning(s)" + (f" [{warnings}]" if warnings else ""),
        f"  {summary.statements} statements, {summary.findings_within} within-article and {summary.findings_cross} cross-article findings{reused}; "
        f"index {summary.index} holds {summary.index_documents} documents, {summary.index_statements} statements",
        f"  {summary.seconds:.1f}s, {summary.articles_per_second:.1f} articles/s; shards and summary.json (skipped inputs listed) in {summary.output}",
    ]
    return "\n".join(lines)


def _fail(args: argparse.Namespace, cross, summary) -> int:
    rule = getattr(args, "fail_on", None)
    if rule == "any" and (cross or summary.findings_within):
        return EXIT_FINDINGS
    if rule == "mismatch" and (summary.mismatches_within or any(f.verdict == "mismatch" for f in cross)):
        return EXIT_FINDINGS
    return EXIT_OK
