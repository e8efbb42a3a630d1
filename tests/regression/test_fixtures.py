"""The project's own fixture cases, one test per case, with the real model (the plugin's runner).

A case the project cannot pass yet carries ``xfail: <reason>`` in its fixture file; here it gets
a strict xfail mark, so a case that starts passing (XPASS) fails this suite just as a case that
starts failing does, and neither change goes unseen.
"""

from pathlib import Path

import pytest

from quotecheck.testing.cases import iter_case_files, load_cases, run_case
from tests.conftest import FIXTURES

pytestmark = pytest.mark.model


def _cases():
    for path in iter_case_files([FIXTURES]):
        for case, text in load_cases(path):
            marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
            yield pytest.param(path, case, text, id=f"{path.relative_to(FIXTURES)}::{case.id}", marks=marks)


@pytest.mark.parametrize("path, case, text", list(_cases()))
def test_fixtures_case(path: Path, case, text, model_checker):
    result = run_case(case, model_checker, text=text, path=str(path))
    assert result.passed, "\n".join(result.failures)
