"""Training settings as plain records (no model code), so the command line reads its defaults
without importing the trainers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["TrainParams", "DEFAULT_PARAMS", "FineTuneParams"]


@dataclass(frozen=True)
class TrainParams:
    """crfsuite settings: L1 weight ``c1``, L2 weight ``c2``, L-BFGS ``iterations``, and
    ``min_freq`` (a feature seen fewer times in training is dropped). The defaults were chosen on
    a held-out fifth of PolNeAR train (``folds(names, 5, seed=0)[0]``, trained on the rest):
    (c1, c2) = (0.05, 0.01) / (0.2, 0.05) / (0.6, 0.2) gave attribution F1 .627 / .649 / .660
    and content exact F1 .426 / .467 / .500 on features v2; on v3, (0.6, 0.2) .661 / .501 and
    (1.5, 0.5) .666 / .516. Stronger regularisation also shrinks the model (11 MB → 2.4 MB)."""

    c1: float = 1.5
    c2: float = 0.5
    iterations: int = 150
    min_freq: int = 2

    def crfsuite(self) -> dict[str, Any]:
        return {
            "c1": self.c1,
            "c2": self.c2,
            "max_iterations": self.iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": self.min_freq,
        }


DEFAULT_PARAMS = TrainParams()


@dataclass(frozen=True)
class FineTuneParams:
    """Schedule of the fine-tuning; ``weight`` is the classifier's share when mixed with the CRF."""

    epochs: float = 3.0
    freeze: int = 2
    lr: float = 8e-5
    batch: int = 16
    negatives: float = 0.3
    weight: float = 0.6
    threads: int = 0
