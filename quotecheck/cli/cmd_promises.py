"""``quotecheck promises INDEX|FILE…``: the promise tracker over a dated corpus.

Every commitment (a stated intention) per actor, where and when it was stated, its due date when
the text gives one, and every later report that answers it, with a status: kept, broken,
changed, pending or overdue (``quotecheck/tracker.py`` says how each is decided). Text, JSON,
CSV (one row per promise) or an HTML timeline (``io/timeline.py``).

Inputs: one corpus index folder (``index add`` / ``batch``: its documents are judged again
within each text and across texts), or text and JSON Lines files (one article per line, with
its ``date``), directories or glob patterns, analysed here. ``--date-from-name`` dates a
document without a date by its file name (``nyt_2016-10-23_….txt``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quotecheck.cli.commands import ExamplesHelp, _checker, _iso_date, _note, _quiet, common_options, model_options, quote_options, wide_option
from quotecheck.cli.progress import Progress
from quotecheck.cli.render import terminal_width, why_of, wrap
from quotecheck.io.cut import cut_words, one_line
from quotecheck.io.summary import plural

__all__ = ["register", "run", "promises_text"]

#: Indent of the lines under a promise's head, and width of their labels.
_INDENT, _LABEL = 4, 10


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``promises`` sub-command to the main parser."""
    p = sub.add_parser(
        "promises", parents=[common_options()], help="the promise tracker: every commitment per actor, kept, broken, changed, pending or overdue",
        description="Follow every commitment in a dated corpus to its outcome: per actor, each intention stated (where, "
        "when, what was promised, its due date when the text gives one) and every later report that answers it, with a "
        "status: kept, broken (with its type), changed (done later, elsewhere or in another amount), pending, or overdue "
        "(due before the corpus' latest date, or --as-of, with no report). Dates come from `index add --date`, the "
        "JSON Lines 'date' field, or with --date-from-name the file name.",
        epilog="examples:\n  quotecheck promises ../shared/data/polnear-train/text --date-from-name --format html --output promises.html\n"
        "  quotecheck promises corpus-idx/ --as-of 2016-11-08 --format csv > promises.csv",
        formatter_class=ExamplesHelp,
    )
    p.add_argument(
        "inputs", nargs="+", metavar="INDEX|FILE",
        help="one corpus index folder, or *.txt and *.jsonl files (one article per line: id, text, date), directories or glob patterns",
    )
    p.add_argument("--date-from-name", action="store_true", help="date a document that has no date by the date in its file name (nyt_2016-10-23_title.txt)")
    p.add_argument("--as-of", metavar="DATE", type=_iso_date("--as-of"), help="count as overdue what was due before DATE (default: the corpus' latest date)")
    p.add_argument("--overdue-confidence", metavar="P", type=float,
                   help="call a commitment overdue only when the detector's probability reaches P "
                   "(default: the said/did model's commitment_sure threshold, chosen on cross-validation)")
    p.add_argument("--format", choices=("text", "json", "csv", "html"), default="text", help="csv: one row per promise; html: a self-contained timeline, one lane per actor")
    p.add_argument("--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    wide_option(p)
    model_options(p, fail_on=False)
    quote_options(p)
    p.set_defaults(handler=run)


def _index_folder(inputs: list[str]) -> Path | None:
    """The corpus index given as the only input, or None for files; an index among other inputs is E180."""
    from quotecheck.errors import Errors, InputError
    from quotecheck.indexfile import META

    folders = [i for i in inputs if (Path(i) / META).is_file()]
    if not folders:
        return None
    if len(inputs) > 1:
        raise InputError(Errors.E180.format(path=folders[0]), path=folders[0])
    return Path(folders[0])


def _from_index(args: argparse.Namespace, folder: Path):
    from quotecheck.errors import Errors, IndexStoreError
    from quotecheck.index import CorpusIndex
    from quotecheck.indexfile import FILES

    corpus = CorpusIndex.from_disk(folder)
    checker = _checker(args)
    if corpus.encoder_name != checker.model_path:
        raise IndexStoreError(Errors.E032.format(path=folder, have=corpus.encoder_name, want=checker.model_path), path=str(folder))
    args.files = [str(folder / name) for name in FILES]
    documents = list(corpus.documents.values())
    within = checker.judge_within(documents)
    return within, checker.check_index(corpus)


def _from_files(args: argparse.Namespace):
    from quotecheck.corpus.reader import Article, expand_corpus_inputs, iter_articles
    from quotecheck.duedates import date_in_name
    from quotecheck.index import CorpusIndex

    items = []
    args.files = expand_corpus_inputs(args.inputs)  # what --output must never overwrite
    for found in iter_articles(args.files):
        if isinstance(found, Article):
            date = found.date or (date_in_name(found.source.rsplit(":", 1)[0]) if args.date_from_name else None)
            items.append((found.text, {"date": date, "source": found.source}))
        else:
            _note(args, f"quotecheck: {found.severity}: {found.message}")
    checker = _checker(args)
    analyses, seen = [], set()
    with Progress(len(items), quiet=_quiet(args)) as bar:
        for analysis, context in checker.pipe(iter(items), as_tuples=True):
            bar.advance()
            if analysis.doc_id not in seen:  # the same text twice is one document
                seen.add(analysis.doc_id)
                analyses.append(analysis.model_copy(update={"source": context["source"]}))
    corpus = CorpusIndex(checker.model_path, checker.encoder.dim)
    checker.index_add(corpus, analyses)
    return analyses, checker.check_index(corpus)


def run(args: argparse.Namespace) -> int:
    from quotecheck.cli.inputs import write_atomic
    from quotecheck.tracker import promises

    folder = _index_folder(args.inputs)
    analyses, cross = _from_index(args, folder) if folder is not None else _from_files(args)
    report = promises(analyses, findings=cross, as_of=args.as_of, date_from_name=args.date_from_name,
                      overdue_confidence=args.overdue_confidence)
    if args.format == "json":
        content = report.model_dump_json(indent=2) + "\n"
    elif args.format == "csv":
        from quotecheck.io.records import promises_csv

        content = promises_csv(report)
    elif args.format == "html":
        from quotecheck.io.timeline import render_timeline

        content = render_timeline(report, texts={a.doc_id: a.text for a in analyses})
    else:
        content = "\n".join(promises_text(report, width=None if args.wide else terminal_width())) + "\n"
    if args.output:
        write_atomic(Path(args.output), content, inputs=getattr(args, "files", args.inputs))
        _note(args, f"wrote {args.output}: {plural(report.counts.total(), 'commitment')} by {plural(len(report.actors), 'actor')}")
    else:
        sys.stdout.write(content)
    return 0


def _place(where, width: int | None, label: str) -> list[str]:
    first = " " * _INDENT + f"{label:<{_LABEL}}"
    head = f"{where.date or 'undated'} {where.source or where.doc_id} [{where.span.start}, {where.span.end}) "
    limit = None if width is None else max(2 * (width - len(first)) - len(head) - 2, 30)
    return wrap(f"{head}“{cut_words(where.span.text, limit)}”", width, indent=len(first), first=first)


def promises_text(report, *, width: int | None) -> list[str]:
    """The promise tracker as text: the counts, then per actor each promise and its reports."""
    from quotecheck.tracker import STATUS_ORDER

    c = report.counts
    head = (
        f"-- {plural(c.total(), 'commitment')} by {plural(len(report.actors), 'actor')} in {plural(report.documents, 'document')}"
        + (f" ({report.first_date} to {report.last_date})" if report.first_date else "")
        + (f", as of {report.as_of}" if report.as_of else "")
        + ": " + ", ".join(f"{getattr(c, s)} {s}" for s in STATUS_ORDER)
        + (f"; {plural(report.undated, 'undated document')}" if report.undated else "")
    )
    lines = wrap(head, width, indent=3)
    for actor in report.actors:
        counts = ", ".join(f"{getattr(actor.counts, s)} {s}" for s in STATUS_ORDER if getattr(actor.counts, s))
        lines += ["", *wrap(f"== {actor.actor}: {plural(len(actor.promises), 'commitment')} ({counts})", width, indent=3)]
        for p in actor.promises:
            status = p.status.upper() + (f" ({p.type})" if p.type else "")
            extra = [f"due {p.due} (“{p.due_text}”)"] if p.due else []
            extra += ["conditional"] if p.conditional else []
            extra += [f"subject: {p.subject}"] if p.subject else []
            lines += wrap(f"{status}  {p.id}" + (f"  {'  '.join(extra)}" if extra else ""), width, indent=_INDENT)
            lines += _place(p.stated, width, "stated")
            for r in p.reports:
                lines += _place(r.where, width, "reported")
                verdict = r.verdict.upper() + (f" ({r.type})" if r.type else "")
                pad = " " * (_INDENT + _LABEL)
                lines += wrap(f"{verdict} {r.score:.2f}: {one_line(why_of(r.explanation))}", width, indent=len(pad), first=pad)
    return lines
