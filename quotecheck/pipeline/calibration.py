"""Calibration: the reported score of a finding, from its judgement and how its pair was tied.

Placeholder identity until fitted: the judge's prior strength is the score.
"""

from __future__ import annotations

from quotecheck.pipeline.judge import Judgement
from quotecheck.pipeline.match import Pair

__all__ = ["score"]


def score(pair: Pair, judgement: Judgement) -> float:
    """Probability-like score in [0, 1] that the finding is right."""
    return judgement.strength
