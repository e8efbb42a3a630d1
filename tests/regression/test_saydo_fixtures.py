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

#: Measured with the committed defaults (bench/results.json "saydo.fixtures_saydo"); a change that
#: drops below these is a regression.
FLOOR = {"mismatch_precision": 0.80, "mismatch_recall": 0.75, "pairing_recall": 0.85, "none_flagged": 1}
#: Issue 9's targets for fixtures/saydo (and issue 4's pairing and no-finding targets).
TARGET = {"mismatch_precision": 0.95, "mismatch_recall": 0.90, "pairing_recall": 0.90, "none_flagged": 0}
#: Targets not met yet, with what the landed main measured (69 cases, 11 marked xfail).
NOT_MET = {
    "mismatch_precision": "measured 0.833 (issue 9 event layer pending)",
    "mismatch_recall": "measured 0.811 (issue 9 event layer pending)",
    "pairing_recall": "measured 0.895 (issue 9 event layer pending)",
}


def _meets(key: str, value: float, bound: float) -> bool:
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
