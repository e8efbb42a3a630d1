"""``quotecheck index add|check|stats``: a corpus index of statements across dated documents."""

from __future__ import annotations

import argparse
import json
import sys

from quotecheck.cli.commands import (
    ExamplesHelp,
    _checker,
    _fail,
    _iso_date,
    _note,
    _quiet,
    _read_all,
    _traced,
    _width,
    model_options,
    wide_option,
)
from quotecheck.cli.progress import Progress
from quotecheck.cli.render import Group, finding_sides, findings_view
from quotecheck.io.summary import plural
from quotecheck.models import Finding

__all__ = ["register"]


def register(sub: argparse._SubParsersAction, common: list[argparse.ArgumentParser], files_help: str) -> None:
    """Add ``index`` and its actions to the main parser's sub-parsers."""
    i = sub.add_parser(
        "index", parents=common, help="a corpus index of statements (faiss): add, check, stats",
        description="Keep the statements of many dated documents in one index folder, then pair the actions reported "
        "in one document with the intentions stated in earlier ones.",
        epilog="example:\n  quotecheck index add corpus-idx/ plan.txt --date 2024-01-05 && quotecheck index check corpus-idx/",
        formatter_class=ExamplesHelp,
    )
    isub = i.add_subparsers(dest="index_command", metavar="ACTION", required=True, parser_class=sub._parser_class)
    add = isub.add_parser(
        "add", parents=common, help="analyse FILEs and add their statements to INDEX",
        description="Analyse FILEs and add their statements (with the file's path and date) to the index folder INDEX, "
        "created when new. A document already in the index is skipped.",
        epilog="example:\n  quotecheck index add corpus-idx/ report.txt --date 2024-11-02", formatter_class=ExamplesHelp,
    )
    add.add_argument("index", metavar="INDEX")
    add.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    add.add_argument("--date", type=_iso_date("--date"), help="ISO date of the documents (YYYY-MM-DD)")
    model_options(add, fail_on=False)
    add.set_defaults(handler=_index_add)
    chk = isub.add_parser(
        "check", parents=common, help="pair actions with earlier intentions across the indexed documents",
        description="Pair every action reported in an indexed document with intentions stated in other, earlier ones, "
        "and judge each pair. Every finding names both documents (file, date) and both spans (offsets).",
        epilog="example:\n  quotecheck index check corpus-idx/ --since 2024-06-01 --format csv > findings.csv", formatter_class=ExamplesHelp,
    )
    chk.add_argument("index", metavar="INDEX")
    chk.add_argument("--since", metavar="DATE", type=_iso_date("--since"), help="only actions dated on or after DATE (YYYY-MM-DD)")
    chk.add_argument(
        "--format", choices=("text", "json", "jsonl", "csv"), default="text",
        help="every finding names both documents (source, date) and quotes both spans; csv: one row per finding",
    )
    chk.add_argument(
        "--per", choices=("finding",), default=None,
        help="jsonl: flat self-contained records (`quotecheck schema finding`) instead of findings with their documents",
    )
    wide_option(chk)
    model_options(chk)
    chk.set_defaults(handler=_index_check)
    st = isub.add_parser(
        "stats", parents=common, help="counts of documents and statements",
        description="Print what INDEX holds (documents, statements, model, vector index kind) as JSON.",
        epilog="example:\n  quotecheck index stats corpus-idx/", formatter_class=ExamplesHelp,
    )
    st.add_argument("index", metavar="INDEX")
    st.set_defaults(handler=_index_stats)


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
    from quotecheck.io.records import finding_records, records_csv, records_jsonl

    corpus = CorpusIndex.from_disk(args.index)
    checker = _checker(args)
    if corpus.encoder_name != checker.model_path:
        raise IndexStoreError(Errors.E032.format(path=args.index, have=corpus.encoder_name, want=checker.model_path), path=args.index)
    findings = checker.check_index(corpus, since=args.since)
    statements = {s.id: s for s in corpus.statements}
    if args.format in ("csv", "text") or args.per == "finding":
        records = finding_records(findings, corpus.documents, statements)
        if args.format == "csv":
            sys.stdout.write(records_csv(records))
        elif args.format == "text":
            group = Group(f"index {args.index}", records)
            lines = findings_view([group], width=_width(args), scope=f"across {plural(len(corpus.documents), 'indexed document')}")
            sys.stdout.write("\n".join(lines) + "\n")
        elif args.format == "jsonl":
            sys.stdout.write(records_jsonl(records))
        else:
            sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in records], indent=2, ensure_ascii=False) + "\n")
        return _fail(args, findings)
    sides = [finding_sides(f, statements, corpus.documents) for f in findings]
    records = [_traced_finding(f, pair) for f, pair in zip(findings, sides)]
    if args.format == "json":
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return _fail(args, findings)


def _traced_finding(finding: Finding, sides) -> dict[str, object]:
    """A corpus finding as JSON: the Finding's own fields plus ``documents`` naming both sides."""
    intention, action = sides
    return {**finding.model_dump(mode="json"), "documents": {"intention": intention.to_json(), "action": action.to_json()}}


def _index_stats(args: argparse.Namespace) -> int:
    from quotecheck.index import CorpusIndex

    sys.stdout.write(json.dumps(CorpusIndex.from_disk(args.index).stats(), indent=2) + "\n")
    return 0
