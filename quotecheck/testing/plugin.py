"""pytest plugin (entry point ``pytest11``): collects ``*.qc.yaml`` / ``*.qc.json`` fixture files.

``pytest fixtures/`` runs every case as a test item named after its ``id`` (``-k`` also matches
the case's ``tags``), with pytest's own reporting; a failure shows what was expected and what
was found. A case with ``xfail: <reason>`` carries pytest's own strict xfail mark: it runs, a
failure is reported as XFAIL with the reason, and a pass is XPASS(strict), which fails the run. The runner is :func:`quotecheck.testing.cases.run_case`, the one ``quotecheck
regress`` uses. Items share no state but the read-only Checker, so pytest-xdist can spread them.

Loaded in every pytest run of the environment, so it imports nothing heavy: the Checker (and
the model) are created on the first case that needs them and shared for the whole session;
cases that check quotes only never load the model.

Options: ``--qc-model PATH`` (or ini ``qc_model``) picks the sentence-transformers folder;
``--qc-no-fixtures`` turns collection off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

#: Kept equal to ``quotecheck.testing.cases.CASE_SUFFIXES`` (a test checks); not imported from
#: there because that module imports pydantic, and this one is loaded in every pytest run.
_SUFFIXES = (".qc.yaml", ".qc.yml", ".qc.json", ".qc.jsonl")

_CHECKER_KEY = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("quotecheck")
    group.addoption("--qc-model", default=None, metavar="PATH", help="local sentence-transformers folder for fixture cases")
    group.addoption("--qc-no-fixtures", action="store_true", help="do not collect *.qc.* fixture files")
    parser.addini("qc_model", "local sentence-transformers folder for quotecheck fixture cases", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "quotecheck_case: a quotecheck fixture case")


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.name.endswith(_SUFFIXES) and not parent.config.getoption("--qc-no-fixtures"):
        return CaseFile.from_parent(parent, path=file_path)
    return None


def _checker(config: pytest.Config):
    """The session's Checker, created on first use; the model inside loads once per process."""
    checker = config.stash.get(_CHECKER_KEY, None)
    if checker is None:
        from quotecheck.checker import Checker

        model = config.getoption("--qc-model") or config.getini("qc_model") or None
        checker = Checker(model=model)
        config.stash[_CHECKER_KEY] = checker
    return checker


class CaseFile(pytest.File):
    """A fixture file: one item per case (JSON Lines files hold many)."""

    def collect(self):
        from quotecheck.errors import CaseError
        from quotecheck.testing.cases import load_cases

        try:
            cases = load_cases(self.path)
        except CaseError as err:
            raise self.CollectError(str(err)) from err
        for case, text in cases:
            yield CaseItem.from_parent(self, name=case.id, case=case, text=text)


class CaseFailed(Exception):
    """Raised by a case item: carries the :class:`~quotecheck.testing.cases.CaseResult`."""


class CaseItem(pytest.Item):
    """One fixture case."""

    def __init__(self, *, case, text, **kwargs) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.text = text
        self.add_marker("quotecheck_case")
        if case.xfail:
            self.add_marker(pytest.mark.xfail(reason=case.xfail, strict=True))
        self.extra_keyword_matches.update(case.tags)

    def runtest(self) -> None:
        from quotecheck.testing.cases import run_case

        result = run_case(self.case, _checker(self.config), text=self.text, path=str(self.path))
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            result = excinfo.value.args[0]
            failed = sum(not c.ok for c in result.checks)
            lines = [f"quotecheck case {self.case.id} ({self.path.name}): {failed} of {len(result.checks)} checks failed"]
            return "\n".join(lines + result.diff())
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"quotecheck case: {self.case.id}"
