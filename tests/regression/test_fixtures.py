"""The project's own fixture cases, run with the real model (the same runner as the pytest plugin)."""

from pathlib import Path

import pytest

from quotecheck.testing.cases import load_cases, run_case
from tests.conftest import FIXTURES

pytestmark = pytest.mark.model

#: Core cases that do not pass yet, with the reason (none at the moment).
KNOWN_GAPS: dict[str, str] = {}
CORE = sorted(p for p in FIXTURES.glob("*.qc.yaml"))


@pytest.mark.parametrize("path", CORE, ids=[p.name for p in CORE])
def test_fixtures_core_case(path: Path, model_checker, request):
    for case, text in load_cases(path):
        if case.id in KNOWN_GAPS:
            request.applymarker(pytest.mark.xfail(reason=KNOWN_GAPS[case.id], strict=False))
        result = run_case(case, model_checker, text=text, path=str(path))
        assert result.passed, "\n".join(result.failures)
