"""Mutation check of the said/did rules: disable each rule once and see a test fail.

Usage::

    .venv/bin/python bench/mutate_rules.py                       # saydo/decide.py and saydo/clauses.py against their unit tests
    .venv/bin/python bench/mutate_rules.py --module factuality   # pipeline/factuality.py against tests/unit/test_events.py
    .venv/bin/python bench/mutate_rules.py --list                # the rules it would disable, without running

A *rule* is an ``if`` whose body returns (a decision) inside a function of the module. Each
mutant replaces that condition with ``False`` in a copy of the repository (the working tree is
never touched) and runs the module's tests; a mutant that no test kills names a rule whose
removal nothing notices. Exit status 1 when any mutant survives; an early exit that changes no
answer is reported as ``equivalent`` (listed in ``EQUIVALENT``).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "decide": ("quotecheck/pipeline/saydo/decide.py", ["tests/unit/test_saydo_decide.py"]),
    "clauses": ("quotecheck/pipeline/saydo/clauses.py", ["tests/unit/test_saydo_clauses.py"]),
    "factuality": ("quotecheck/pipeline/factuality.py", ["tests/unit/test_events.py", "tests/unit/test_factuality.py"]),
    "mentions": ("quotecheck/pipeline/mentions.py", ["tests/unit/test_events.py"]),
    "events": ("quotecheck/pipeline/events.py", ["tests/unit/test_events.py"]),
}


#: Conditions whose removal changes no answer, only the work done (an early exit on empty input).
EQUIVALENT = frozenset({"not kept", "not infos"})


def rules(source: str) -> list[ast.If]:
    """Every ``if`` inside a function whose body returns: one decision of the rule set."""
    found: list[ast.If] = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.If) and any(isinstance(n, ast.Return) for n in node.body):
                found.append(node)
    return sorted({(n.lineno, n.col_offset): n for n in found}.values(), key=lambda n: (n.lineno, n.col_offset))


def mutate(source: str, node: ast.If) -> str:
    """``source`` with the condition of ``node`` replaced by ``False``."""
    lines = source.splitlines(keepends=True)
    test = node.test

    def offset(lineno: int, col: int) -> int:  # ast columns count UTF-8 bytes
        line = lines[lineno - 1]
        return sum(len(x) for x in lines[: lineno - 1]) + len(line.encode("utf-8")[:col].decode("utf-8"))

    start, end = offset(test.lineno, test.col_offset), offset(test.end_lineno or test.lineno, test.end_col_offset or 0)
    return source[:start] + "False" + source[end:]


def run(module: str, listing: bool) -> int:
    path, tests = MODULES[module]
    source = (ROOT / path).read_text(encoding="utf-8")
    found = rules(source)
    if listing:
        for node in found:
            print(f"{path}:{node.lineno}: if {ast.get_source_segment(source, node.test)}")
        return 0
    survived = []
    with tempfile.TemporaryDirectory(prefix="qc-mutants-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", "*.pyc", "bench"))
        base = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests], cwd=copy, capture_output=True, text=True)
        if base.returncode != 0:
            print(f"{module}: the tests fail before any mutation:\n{base.stdout[-2000:]}", file=sys.stderr)
            return 2
        for node in found:
            (copy / path).write_text(mutate(source, node), encoding="utf-8")
            r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests], cwd=copy, capture_output=True, text=True)
            killed = r.returncode != 0
            segment = ast.get_source_segment(source, node.test) or ""
            equivalent = not killed and segment in EQUIVALENT
            label = "killed  " if killed else "equivalent" if equivalent else "SURVIVED"
            print(f"{label} {path}:{node.lineno}: if {segment[:90]}", flush=True)
            if not killed and not equivalent:
                survived.append(node.lineno)
        (copy / path).write_text(source, encoding="utf-8")
    print(f"== {module}: {len(found)} rules, {len(survived)} survived")
    return 1 if survived else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES), help="modules to mutate (default: decide and clauses)")
    parser.add_argument("--list", action="store_true", help="list the rules, run nothing")
    args = parser.parse_args(argv)
    status = 0
    for module in args.module or ["decide", "clauses"]:
        status |= run(module, args.list)
    return status


if __name__ == "__main__":
    sys.exit(main())
