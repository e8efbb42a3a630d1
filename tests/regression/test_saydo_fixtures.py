"""Said-versus-did on our own labelled cases (fixtures/saydo): a floor that must hold, and each target.

Each target is its own test. A target not met yet is a strict xfail carrying the figure measured
when it was marked, so the day it is met the test XPASSes and fails: remove its entry from
``NOT_MET`` then. A target that is met is a plain test, so falling back below it fails too. The
cases themselves are run one by one in ``test_fixtures.py`` (strict ``xfail`` from each file).
"""

import pytest

from bench.bench_saydo import score_fixtures
from tests.conftest import FIXTURES

pytestmark = pytest.mark.model

#: What must hold whatever the model (a change that breaks it is a regression): no must-not-pair case
#: gets a finding, and every mismatch flagged on our cases is right (``mismatch_precision`` is None
#: while nothing is flagged; the learned model of issue 15 flags nothing within a text yet).
FLOOR = {"none_flagged": 0, "mismatch_precision": 0.95}
#: Issue 9's targets for fixtures/saydo (and issue 4's pairing and no-finding targets).
TARGET = {"mismatch_precision": 0.95, "mismatch_recall": 0.90, "pairing_recall": 0.90, "none_flagged": 0}
#: Targets not met yet, with what was measured (2026-12-06, the shipped learned model, 69 cases).
NOT_MET = {
    "mismatch_recall": "measured 0.0: the learned linker's cross-validated precision within a text stays below 0.2, so it never pairs (issue 15)",
    "pairing_recall": "measured 0.0: no pair is shown within a text (issue 15)",
}


def _meets(key: str, value: float | None, bound: float) -> bool:
    if value is None:  # a precision with nothing flagged: nothing wrong was flagged
        return True
    return value <= bound if key == "none_flagged" else value >= bound


@pytest.fixture(scope="module")
def metrics(model_checker):
    return score_fixtures(model_checker, FIXTURES / "saydo")


@pytest.mark.parametrize("key", sorted(FLOOR))
def test_saydo_fixtures_do_not_regress(metrics, key):
    assert _meets(key, metrics[key], FLOOR[key]), (key, metrics)


@pytest.mark.parametrize(
    "key", [pytest.param(k, marks=[pytest.mark.xfail(reason=NOT_MET[k], strict=True)] if k in NOT_MET else []) for k in sorted(TARGET)]
)
def test_saydo_fixtures_meet_the_target(metrics, key):
    assert _meets(key, metrics[key], TARGET[key]), (key, metrics[key], TARGET[key])
