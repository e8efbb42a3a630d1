"""Sub-commands: quotes, check, compare, index add|check|stats."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from quotecheck.cli.inputs import read_text, write_atomic
from quotecheck.cli.render import analysis_text, comparison_text, findings_text, quotes_table
from quotecheck.errors import Errors, InputError
from quotecheck.models import Analysis

__all__ = ["register"]

EXIT_FINDINGS = 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add every sub-command of this module to the main parser."""
    q = sub.add_parser("quotes", help="who said what (no model needed)", description="Extract attributed quotes.")
    q.add_argument("files", nargs="+", metavar="FILE", help="text files ('-' reads standard input)")
    q.add_argument("--format", choices=("text", "json", "jsonl", "brat"), default="text")
    q.add_argument("--output", metavar="DIR", help="write one file per input into DIR instead of stdout")
    q.set_defaults(handler=_quotes)

    c = sub.add_parser("check", help="quotes, statements and said-versus-did findings", description="Analyse texts.")
    c.add_argument("files", nargs="+", metavar="FILE", help="text files ('-' reads standard input)")
    c.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    _model_options(c)
    c.set_defaults(handler=_check)

    m = sub.add_parser("compare", help="intentions in STATEMENT against actions in REPORT")
    m.add_argument("statement", metavar="STATEMENT")
    m.add_argument("report", metavar="REPORT")
    m.add_argument("--format", choices=("text", "json"), default="text")
    _model_options(m)
    m.set_defaults(handler=_compare)

    i = sub.add_parser("index", help="a corpus index of statements (faiss)")
    isub = i.add_subparsers(dest="index_command", metavar="ACTION", required=True, parser_class=sub._parser_class)
    add = isub.add_parser("add", help="analyse FILEs and add their statements to INDEX")
    add.add_argument("index", metavar="INDEX")
    add.add_argument("files", nargs="+", metavar="FILE")
    add.add_argument("--date", help="ISO date of the documents (YYYY-MM-DD)")
    _model_options(add)
    add.set_defaults(handler=_index_add)
    chk = isub.add_parser("check", help="pair actions with earlier intentions across the indexed documents")
    chk.add_argument("index", metavar="INDEX")
    chk.add_argument("--since", metavar="DATE", help="only actions dated on or after DATE")
    chk.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    _model_options(chk)
    chk.set_defaults(handler=_index_check)
    st = isub.add_parser("stats", help="counts of documents and statements")
    st.add_argument("index", metavar="INDEX")
    st.set_defaults(handler=_index_stats)


def _model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH", help="local sentence-transformers folder (default: $QUOTECHECK_MODEL or the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--fail-on", choices=("mismatch", "any"), help="exit 1 when such findings are present")


def _checker(args: argparse.Namespace):
    from quotecheck.checker import Checker

    return Checker(model=getattr(args, "model", None))


def _read_all(files: list[str]) -> list[tuple[str, str]]:
    return [read_text(f) for f in files]


def _fail(args: argparse.Namespace, findings) -> int:
    rule = getattr(args, "fail_on", None)
    if rule == "any" and findings:
        return EXIT_FINDINGS
    if rule == "mismatch" and any(f.verdict == "mismatch" for f in findings):
        return EXIT_FINDINGS
    return 0


def _emit(args: argparse.Namespace, named: list[tuple[str, Analysis]], render) -> None:
    if args.format == "json":
        if len(named) == 1:
            sys.stdout.write(named[0][1].model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write("[" + ",\n".join(a.model_dump_json(indent=2) for _, a in named) + "]\n")
    elif args.format == "jsonl":
        sys.stdout.write("".join(a.model_dump_json() + "\n" for _, a in named))
    else:
        sys.stdout.write("\n\n".join(render(a, name) for name, a in named) + "\n")


def _quotes(args: argparse.Namespace) -> int:
    from quotecheck._api import extract_quotes

    named = [(name, extract_quotes(text)) for name, text in _read_all(args.files)]
    if args.format == "brat" or args.output:
        return _write_outputs(args, named)
    _emit(args, named, quotes_table)
    return 0


def _write_outputs(args: argparse.Namespace, named: list[tuple[str, Analysis]]) -> int:
    from quotecheck.io import brat

    suffix = {"brat": ".ann", "json": ".json", "jsonl": ".jsonl", "text": ".txt"}[args.format]
    render = {
        "brat": brat.dumps,
        "json": lambda a: a.model_dump_json(indent=2) + "\n",
        "jsonl": lambda a: a.model_dump_json() + "\n",
        "text": lambda a: quotes_table(a) + "\n",
    }[args.format]
    if not args.output:
        sys.stdout.write("".join(render(a) for _, a in named))
        return 0
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise InputError(Errors.E015.format(path=out, reason="--output must be a directory"), path=str(out))
    names = [name for name, _ in named]
    if len(set(names)) != len(names) or "<stdin>" in names:
        raise InputError(Errors.E015.format(path=out, reason="inputs need distinct file names to write one file each"))
    for name, analysis in named:
        write_atomic(out / f"{name}{suffix}", render(analysis), inputs=tuple(args.files))
    return 0


def _check(args: argparse.Namespace) -> int:
    checker = _checker(args)
    texts = _read_all(args.files)
    named = [(name, a) for (name, _), a in zip(texts, checker.pipe(t for _, t in texts))]
    _emit(args, named, analysis_text)
    return _fail(args, [f for _, a in named for f in a.findings])


def _compare(args: argparse.Namespace) -> int:
    (name_a, text_a), (name_b, text_b) = read_text(args.statement), read_text(args.report)
    comparison = _checker(args).compare(text_a, text_b)
    if args.format == "json":
        sys.stdout.write(comparison.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(comparison_text(comparison, (name_a, name_b)) + "\n")
    return _fail(args, comparison.findings)


def _index_add(args: argparse.Namespace) -> int:
    from quotecheck.index import CorpusIndex

    checker = _checker(args)
    texts = _read_all(args.files)
    folder = Path(args.index)
    corpus = CorpusIndex.from_disk(folder) if (folder / "meta.json").exists() else CorpusIndex(checker.model_path, checker.encoder.dim)
    analyses = (checker.structure(text, date=args.date) for _, text in texts)
    added = checker.index_add(corpus, analyses)
    corpus.to_disk(folder)
    print(f"added {added} document(s); index now holds {len(corpus.documents)} documents, {len(corpus)} statements", file=sys.stderr)
    return 0


def _index_check(args: argparse.Namespace) -> int:
    from quotecheck.index import CorpusIndex

    corpus = CorpusIndex.from_disk(args.index)
    findings = _checker(args).check_index(corpus, since=args.since)
    if args.format == "json":
        sys.stdout.write(json.dumps([f.model_dump(mode="json") for f in findings], indent=2) + "\n")
    elif args.format == "jsonl":
        sys.stdout.write("".join(f.model_dump_json() + "\n" for f in findings))
    else:
        sys.stdout.write("\n".join(findings_text(findings)) + "\n")
    return _fail(args, findings)


def _index_stats(args: argparse.Namespace) -> int:
    from quotecheck.index import CorpusIndex

    sys.stdout.write(json.dumps(CorpusIndex.from_disk(args.index).stats(), indent=2) + "\n")
    return 0
