"""The project's own fixture cases, run with the real model (the same runner as the pytest plugin)."""

from pathlib import Path

import pytest

from quotecheck.testing.cases import load_cases, run_case
from tests.conftest import FIXTURES

pytestmark = pytest.mark.model

#: Core cases that do not pass yet, with the reason (tracked in the issues).
KNOWN_GAPS = {
    "kept-promise": "anaphoric 'the city' intention is not paired with the city's action yet",
    "broken-promise": "'“C,” S told parliament in February' is not attributed yet",
    "no-intentions": "inverted 'said S, who …' with a relative clause is not attributed yet",
}
CORE = sorted(p for p in FIXTURES.glob("*.qc.yaml"))


@pytest.mark.parametrize("path", CORE, ids=[p.name for p in CORE])
def test_fixtures_core_case(path: Path, model_checker, request):
    for case, text in load_cases(path):
        if case.id in KNOWN_GAPS:
            request.applymarker(pytest.mark.xfail(reason=KNOWN_GAPS[case.id], strict=False))
        result = run_case(case, model_checker, text=text, path=str(path))
        assert result.passed, "\n".join(result.failures)
