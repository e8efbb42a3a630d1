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

#: Measured with the committed defaults (score_fixtures on fixtures/saydo); a change that drops below
#: these is a regression. Moved 2026-12-01 (were 0.80 / 0.75 / 0.85 / 1) to the figures measured at
#: bfab2a2, after the rewrite for precision on real news: a plain act pairs with a plan only with its
#: verb (or one within 0.50 cosine) plus its object, within 12 sentences, and within one text a pair
#: tied only by its actor is a mismatch only when the act's words show it (target, reversal). So the
#: invented cases lost recall and pairing (measured 1.000 / 0.135 / 0.561 / 0, rounded down here).
FLOOR = {"mismatch_precision": 1.00, "mismatch_recall": 0.13, "pairing_recall": 0.56, "none_flagged": 0}
#: Issue 9's targets for fixtures/saydo (and issue 4's pairing and no-finding targets).
TARGET = {"mismatch_precision": 0.95, "mismatch_recall": 0.90, "pairing_recall": 0.90, "none_flagged": 0}
#: Targets not met yet, with what was measured (2026-12-01 at bfab2a2, 69 cases, 38 marked xfail).
#: mismatch_precision (1.000) is met since the rewrite and is a plain test.
NOT_MET = {
    "mismatch_recall": "measured 0.135 (precision first: plain acts need the plan's verb; actor-only ties within a text are unverified)",
    "pairing_recall": "measured 0.561 (precision first: plain acts need the plan's verb and object)",
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
