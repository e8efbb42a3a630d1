"""``quotecheck regress PATH…``: run fixture cases, print a pass/fail table with diffs, write JUnit XML.

Exit status: 0 when every case passes (or fails as its ``xfail`` mark expects), 1 when any
fails or a case marked ``xfail`` passes (XPASS, strict), 2 when a fixture is malformed (every
problem of every malformed file is named with its line and field, and nothing is run or written).
Expected failures are run, shown and counted in the table, the summary and the JUnit report
(as ``<skipped type="pytest.xfail">``, like pytest's), never skipped silently.
``--update`` rewrites the expectations of failing cases from the current output, atomically,
and says which files changed; a case that XPASSes loses its ``xfail`` mark. It never happens
without the flag.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from quotecheck.cli.commands import ExamplesHelp, common_options, model_options
from quotecheck.cli.inputs import write_atomic
from quotecheck.cli.progress import Progress
from quotecheck.cli.render import table as text_table
from quotecheck.errors import CaseError

__all__ = ["register", "run", "table", "summary_line", "junit_xml"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``regress`` sub-command to the main parser."""
    r = sub.add_parser(
        "regress",
        parents=[common_options()],
        help="run fixture cases (*.qc.yaml, *.qc.json, *.qc.jsonl) and report pass/fail",
        description="Run every fixture case under PATH… and compare what quotecheck finds with what the case expects. "
        "Exit 0 when all pass, 1 when any fails, 2 on a malformed fixture.",
        epilog="example:\n  quotecheck regress fixtures/ --junit regress.xml", formatter_class=ExamplesHelp,
    )
    r.add_argument("paths", nargs="+", metavar="PATH", help="fixture files, directories searched for *.qc.* files, or glob patterns")
    r.add_argument("--format", choices=("text", "json", "jsonl"), default="text", help="text: a table with diffs; json/jsonl: one result per case")
    r.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report to FILE (atomically)")
    r.add_argument("--update", action="store_true", help="rewrite the expectations of failing cases from the current output (an XPASS case loses its xfail mark)")
    model_options(r, fail_on=False)
    r.set_defaults(handler=run)


def _load(paths: list[str]) -> tuple[list[tuple[Path, Any, str | None]], list[CaseError]]:
    """Every case under ``paths``, and every malformed file (each file is read once)."""
    from quotecheck.testing.cases import iter_case_files, load_cases

    cases, errors = [], []
    for path in iter_case_files(paths):
        try:
            cases.extend((path, case, text) for case, text in load_cases(path))
        except CaseError as err:
            errors.append(err)
    return cases, errors


def run(args: argparse.Namespace) -> int:
    from quotecheck.cli import commands
    from quotecheck.testing.cases import run_case

    quiet = bool(getattr(args, "quiet", False))
    cases, errors = _load(args.paths)
    if errors:
        for err in errors:
            print(f"quotecheck: error: {err}", file=sys.stderr)
        print(f"quotecheck: {len(errors)} malformed fixture file{'s' if len(errors) != 1 else ''}; no case was run", file=sys.stderr)
        return EXIT_USAGE
    checker = commands._checker(args)
    if any(case.needs_model for _, case, _ in cases):  # load now, so case times do not include it
        checker.load()
    started = time.perf_counter()
    results = []
    with Progress(len(cases), label="cases", quiet=quiet) as bar:
        for path, case, text in cases:
            results.append(run_case(case, checker, text=text, path=str(path)))
            bar.advance()
    elapsed = time.perf_counter() - started

    if args.format == "json":
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in results], indent=2, ensure_ascii=False) + "\n")
    elif args.format == "jsonl":
        sys.stdout.write("".join(r.model_dump_json() + "\n" for r in results))
    else:
        sys.stdout.write(table(results, quiet=quiet))
    if args.junit:
        write_atomic(Path(args.junit), junit_xml(results, elapsed=elapsed))
        if not quiet:
            print(f"wrote JUnit XML report {args.junit}", file=sys.stderr)

    failed = [r for r in results if not r.ok]
    if args.update and failed:
        still = _update(failed, cases, checker, quiet=quiet)
        return EXIT_FAILED if still else EXIT_OK
    return EXIT_FAILED if failed else EXIT_OK


_STATUS = {"passed": "pass", "failed": "FAIL", "xfailed": "xfail", "xpassed": "XPASS"}


def summary_line(results: list) -> str:
    """``N passed, M failed`` and, when any case is marked xfail, ``K xfailed`` / ``J xpassed``."""
    counts = {o: sum(r.outcome == o for r in results) for o in _STATUS}
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    for outcome in ("xfailed", "xpassed"):
        if counts[outcome]:
            line += f", {counts[outcome]} {outcome}"
    return line


def table(results: list, *, quiet: bool = False) -> str:
    """The pass/fail table, then a diff for every case that fails the run, then the summary line.

    No cell is cut: ids and paths are shown whole, so a row can be found in the files.
    """
    shown = [r for r in results if not (quiet and r.outcome == "passed")]
    lines = []
    if shown:
        rows = []
        for r in shown:
            failed = sum(not c.ok for c in r.checks)
            note = f"{len(r.checks) - failed}/{len(r.checks)} ok" + (f"; xfail: {r.xfail}" if r.xfail else "")
            rows.append((_STATUS[r.outcome], r.case_id, r.path, f"{r.seconds:.2f}s", note))
        lines += text_table(("result", "case", "file", "time", "checks"), rows, width=None)
    for r in results:
        if r.outcome == "failed":
            lines += ["", f"--- {r.case_id} ({r.path})"]
            lines += r.diff()
        elif r.outcome == "xpassed":
            lines += ["", f"--- {r.case_id} ({r.path}): XPASS, every check passed but the case is marked xfail ({r.xfail})"]
            lines += ["  remove its 'xfail' field (regress --update does)"]
    lines += ["", summary_line(results)]
    return "\n".join(lines) + "\n"


def junit_xml(results: list, *, elapsed: float = 0.0, name: str = "quotecheck regress") -> str:
    """A JUnit XML report: one <testsuite> per fixture file, one <testcase> per case.

    An expected failure is ``<skipped type="pytest.xfail">`` and an XPASS a ``<failure>``, as
    pytest's own JUnit report writes them, so CI dashboards count them the same way.
    """
    by_file: dict[str, list] = {}
    for r in results:
        by_file.setdefault(r.path, []).append(r)

    def counts(group: list) -> dict[str, str]:
        return {
            "tests": str(len(group)),
            "failures": str(sum(not r.ok for r in group)),
            "errors": "0",
            "skipped": str(sum(r.outcome == "xfailed" for r in group)),
        }

    root = ET.Element("testsuites", name=name, **counts(results), time=f"{elapsed:.3f}")
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    for path, group in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            **counts(group),
            time=f"{sum(r.seconds for r in group):.3f}",
            timestamp=stamp,
            hostname=socket.gethostname(),
        )
        classname = _classname(path)
        for r in group:
            case = ET.SubElement(suite, "testcase", classname=classname, name=r.case_id, file=path, time=f"{r.seconds:.3f}")
            failed = sum(not c.ok for c in r.checks)
            if r.outcome == "failed":
                failure = ET.SubElement(case, "failure", message=f"{failed} of {len(r.checks)} checks failed", type="quotecheck.CaseFailed")
                failure.text = "\n".join(r.diff())
            elif r.outcome == "xpassed":
                ET.SubElement(case, "failure", message=f"[XPASS(strict)] {r.xfail}", type="quotecheck.XPass")
            elif r.outcome == "xfailed":
                skipped = ET.SubElement(case, "skipped", type="pytest.xfail", message=r.xfail or "")
                skipped.text = "\n".join(r.diff())
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _classname(path: str) -> str:
    p = Path(path)
    name = p.name
    for suffix in (".qc.yaml", ".qc.yml", ".qc.jsonl", ".qc.json", ".yaml", ".yml", ".jsonl", ".json"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    parts = [x for x in p.parent.parts if x not in ("", ".", "/")] + [name]
    return ".".join(parts).replace(" ", "_")


# -- --update ---------------------------------------------------------------------------------


def _update(failed: list, cases: list, checker, *, quiet: bool) -> int:
    """Rewrite the failing cases' files; rerun them; return how many still fail."""
    from quotecheck.testing.cases import load_cases, load_records, run_case, updated_record

    by_path: dict[str, dict[str, Any]] = {}
    known = {(str(path), case.id): case for path, case, _ in cases}
    for r in failed:
        by_path.setdefault(r.path, {})[r.case_id] = r
    still = 0
    for path_str, wanted in by_path.items():
        path = Path(path_str)
        records = load_records(path)
        changed: dict[int, dict[str, Any]] = {}
        for index, (_, record) in enumerate(records):
            result = wanted.get(record.get("id")) if isinstance(record, dict) else None
            if result is None:
                continue
            new = updated_record(record, known[(path_str, result.case_id)], result)
            if new != record:
                changed[index] = new
        if not changed:
            continue
        write_atomic(path, _dump(path, records, changed))
        print(f"updated {path}: {', '.join(records[i][1]['id'] for i in changed)}", file=sys.stderr)
        for case, text in load_cases(path):  # the rewritten file must load and, where it can, pass
            if case.id in wanted and not run_case(case, checker, text=text, path=path_str).ok:
                still += 1
                print(f"quotecheck: {path}: case {case.id} still fails after --update (see 'forbid')", file=sys.stderr)
    return still


def _dump(path: Path, records: list[tuple[int, Any]], changed: dict[int, dict[str, Any]]) -> str:
    if path.name.endswith(".jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, new in changed.items():
            line_number = records[index][0]
            lines[line_number - 1] = json.dumps(new, ensure_ascii=False)
        return "\n".join(lines) + "\n"
    record = changed[0]
    if path.name.endswith(".json"):
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
