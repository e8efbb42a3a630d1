"""Said-versus-did on our own labelled cases (fixtures/saydo): a floor that must hold, and the targets."""

import pytest

from bench.bench_saydo import score_fixtures
from tests.conftest import FIXTURES

pytestmark = pytest.mark.model

#: Measured with the committed defaults (bench/results.json "saydo.fixtures_saydo"); a change that
#: drops below these is a regression.
FLOOR = {"mismatch_precision": 0.80, "mismatch_recall": 0.75, "pairing_recall": 0.85, "none_flagged": 1}
#: Issue 4's targets.
TARGET = {"mismatch_precision": 0.95, "mismatch_recall": 0.90, "pairing_recall": 0.90, "none_flagged": 0}


@pytest.fixture(scope="module")
def metrics(model_checker):
    return score_fixtures(model_checker, FIXTURES / "saydo")


def test_saydo_fixtures_do_not_regress(metrics):
    for key in ("mismatch_precision", "mismatch_recall", "pairing_recall"):
        assert metrics[key] >= FLOOR[key], (key, metrics)
    assert metrics["none_flagged"] <= FLOOR["none_flagged"], metrics


@pytest.mark.xfail(reason="issue 4 targets not reached yet; see bench/results.json", strict=False)
def test_saydo_fixtures_meet_the_targets(metrics):
    for key in ("mismatch_precision", "mismatch_recall", "pairing_recall"):
        assert metrics[key] >= TARGET[key], (key, metrics)
    assert metrics["none_flagged"] <= TARGET["none_flagged"], metrics
