"""pytest plugin (entry point ``pytest11``): collects ``*.qc.yaml`` / ``*.qc.json`` fixture files.

Loaded in every pytest run of the environment, so it imports nothing heavy: the Checker (and the
model) are created on the first collected case and shared for the whole session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

_SUFFIXES = (".qc.yaml", ".qc.yml", ".qc.json", ".qc.jsonl")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("quotecheck")
    group.addoption("--qc-model", default=None, help="local sentence-transformers folder for fixture cases")
    group.addoption("--qc-no-fixtures", action="store_true", help="do not collect *.qc.* fixture files")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "quotecheck_case: a quotecheck fixture case")


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.name.endswith(_SUFFIXES) and not parent.config.getoption("--qc-no-fixtures"):
        return CaseFile.from_parent(parent, path=file_path)
    return None


_CHECKER: Any = None


def _checker(config: pytest.Config):
    global _CHECKER
    if _CHECKER is None:
        from quotecheck.checker import Checker

        _CHECKER = Checker(model=config.getoption("--qc-model"))
    return _CHECKER


class CaseFile(pytest.File):
    def collect(self):
        from quotecheck.testing.cases import load_cases

        for case, text in load_cases(self.path):
            yield CaseItem.from_parent(self, name=case.id, case=case, text=text)


class CaseFailed(Exception):
    """Raised by a case item: carries the list of unmet expectations."""


class CaseItem(pytest.Item):
    def __init__(self, *, case, text, **kwargs) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.text = text
        self.add_marker("quotecheck_case")

    def runtest(self) -> None:
        from quotecheck.testing.cases import run_case

        result = run_case(self.case, _checker(self.config), text=self.text, path=str(self.path))
        if result.failures:
            raise CaseFailed(result.failures)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            lines = [f"quotecheck case {self.case.id} ({self.path.name}):"]
            lines += [f"  - {msg}" for msg in excinfo.value.args[0]]
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"quotecheck case: {self.case.id}"
