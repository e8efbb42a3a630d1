"""Optional NLI backend: a local sentence-transformers ``CrossEncoder`` scoring contradiction.

``NLIScorer(path)`` only stores settings; the model loads on first use (``load()`` warms it),
from a local folder only (``local_files_only=True``, never a hub), and is cached per
(path, device) for the whole process. torch and sentence-transformers are imported inside the
loader, so ``import quotecheck.nli`` stays light.

Labels are looked up by name in the model config's ``id2label``, case-insensitively: the one
label that starts with "contradict" ("contradiction", "CONTRADICTION", "contradict") is the
contradiction class, wherever the model puts it. The probability is a softmax over all labels
of the raw logits (the stored activation function is bypassed, so a model saved with a softmax
or sigmoid head is not squashed twice).

Direction: NLI is asymmetric (premise → hypothesis), but "did the action contradict the
intention" is not, and NLI models are known to be more confident in one order for the same
pair. By default ``contradiction`` scores both orders and averages the two probabilities;
``symmetric=False`` halves the cost and scores (premise, hypothesis) as given.

``combine`` is the pure rule for folding the probability into a judge ``Finding``; see its
docstring for when, conservatively, it may turn a consistent finding into a mismatch.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from quotecheck.errors import Errors, InputError, ModelError

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

__all__ = ["NLIScorer", "combine", "find_contradiction_label", "NLI_FLIP_AT", "FLIP_TYPE"]

#: A consistent finding may become a mismatch only when P(contradiction) is at least this (probability).
#: Set high on purpose: the slot rules give explicit reasons, the NLI model only a number, and a
#: false mismatch about a kept promise costs more than a missed one. (Lead: move to Config.)
NLI_FLIP_AT = 0.9
#: Mismatch type of a finding that only NLI turned into a mismatch: no slot says why.
FLIP_TYPE = "other"
_PREFIX = "contradict"
_LOCK = threading.Lock()


def find_contradiction_label(id2label: Mapping[int | str, str], *, path: str = "") -> int:
    """Index of the one label whose lower-cased name starts with "contradict".

    Raises ``ModelError`` [E023] when there is none (e.g. ``LABEL_0``…, or a one-logit
    regression head) and [E024] when more than one label qualifies.
    """
    labels = {int(i): str(name) for i, name in id2label.items()}
    hits = [i for i, name in sorted(labels.items()) if name.strip().lower().startswith(_PREFIX)]
    shown = ", ".join(f"{i}={labels[i]!r}" for i in sorted(labels)) or "none"
    if not hits or len(labels) < 2:
        raise ModelError(Errors.E023.format(path=path, labels=shown), path=path or None)
    if len(hits) > 1:
        raise ModelError(Errors.E024.format(path=path, labels=shown), path=path or None)
    return hits[0]


@lru_cache(maxsize=2)
def _load(path: str, device: str | None) -> CrossEncoder:
    """Load a local CrossEncoder folder once per process (never from a hub)."""
    from quotecheck.embed import load_local

    return load_local("CrossEncoder", path, device, Errors.E022)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


class NLIScorer:
    """P(contradiction) for (premise, hypothesis) pairs from a local NLI cross-encoder folder."""

    def __init__(self, path: str, *, device: str | None = None, batch_size: int = 32, symmetric: bool = True) -> None:
        self.path = str(path)
        self.device = device
        self.batch_size = batch_size
        self.symmetric = symmetric
        self._label: int | None = None

    @property
    def model(self) -> CrossEncoder:
        with _LOCK:
            return _load(self.path, self.device)

    def load(self) -> NLIScorer:
        """Load the model and check its labels now rather than on first use."""
        _ = self.contradiction_label
        return self

    @property
    def labels(self) -> dict[int, str]:
        """The model's ``id2label`` (index → name)."""
        config = getattr(getattr(self.model, "model", None), "config", None)
        return {int(i): str(n) for i, n in (getattr(config, "id2label", None) or {}).items()}

    @property
    def contradiction_label(self) -> int:
        """Logit index of the contradiction class, looked up by name."""
        if self._label is None:
            self._label = find_contradiction_label(self.labels, path=self.path)
        return self._label

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Softmax over all labels, one row per pair in the given order: shape (n, num_labels)."""
        checked = _check_pairs(pairs)
        label = self.contradiction_label  # loads, and fails before inference on a bad label set
        if not checked:
            return np.zeros((0, max(len(self.labels), label + 1)), dtype=np.float32)
        import inspect

        import torch

        model = self.model
        # sentence-transformers 4 renamed predict's activation_fct to activation_fn
        activation = "activation_fn" if "activation_fn" in inspect.signature(model.predict).parameters else "activation_fct"
        try:
            logits = model.predict(
                checked,
                batch_size=self.batch_size,
                apply_softmax=False,
                convert_to_numpy=True,
                show_progress_bar=False,
                **{activation: torch.nn.Identity()},
            )
        except (RuntimeError, ValueError, IndexError) as err:
            reason = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
            raise ModelError(Errors.E025.format(path=self.path, count=len(checked), reason=reason), path=self.path) from err
        logits = np.asarray(logits, dtype=np.float64).reshape(len(checked), -1)
        return _softmax(logits).astype(np.float32)

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """P(contradiction) in [0, 1] per pair, float32, shape (len(pairs),).

        With ``symmetric`` (the default) each pair is also scored reversed, in the same batched
        call, and the two probabilities are averaged.
        """
        checked = _check_pairs(pairs)
        if not checked:
            return np.zeros(0, dtype=np.float32)
        label = self.contradiction_label
        if not self.symmetric:
            return np.ascontiguousarray(self.probabilities(checked)[:, label])
        both = self.probabilities(checked + [(b, a) for a, b in checked])[:, label]
        n = len(checked)
        return np.ascontiguousarray((both[:n] + both[n:]) / 2, dtype=np.float32)


def _check_pairs(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    checked = []
    for position, pair in enumerate(pairs):
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
            raise InputError(Errors.E026.format(position=position, value=pair))
        checked.append((pair[0], pair[1]))
    return checked


def combine(score: float, verdict: str, p_contradiction: float, weight: float, *, flip_at: float = NLI_FLIP_AT) -> tuple[float, str]:
    """Fold an NLI contradiction probability into a judged finding; returns ``(score, verdict)``.

    ``score`` is the judge's confidence in its ``verdict`` ("mismatch" or "consistent"), in [0, 1];
    ``weight`` is ``Config.nli_weight`` (0 turns NLI off).

    - mismatch: the verdict never changes (the slot rules found an explicit reason; NLI models
      miss quantity and date clashes), and the score moves towards the probability:
      ``(1 - w)·score + w·p``.
    - consistent: the score moves towards the probability of *no* contradiction:
      ``c = (1 - w)·score + w·(1 - p)``. The verdict becomes "mismatch" (of type
      ``FLIP_TYPE`` = "other", since no slot explains it) only when both hold: ``p ≥ flip_at``
      (0.9: the model is sure) and ``c < 0.5`` (the weighted evidence now leans to mismatch).
      The score is then the confidence in the mismatch, ``1 - c``.

    The result is rounded to 4 places, as ``Finding.score`` is. A NaN probability (no NLI
    figure for the pair) leaves the finding unchanged.
    """
    if verdict not in ("mismatch", "consistent"):
        raise InputError(Errors.E027.format(reason=f"unknown verdict {verdict!r}"))
    for name, value in (("score", score), ("weight", weight), ("flip_at", flip_at)):
        if not 0.0 <= value <= 1.0:  # also rejects NaN
            raise InputError(Errors.E027.format(reason=f"{name} {value!r} is outside [0, 1]"))
    if math.isnan(p_contradiction) or weight == 0.0:
        return score, verdict
    if not 0.0 <= p_contradiction <= 1.0:
        raise InputError(Errors.E027.format(reason=f"p_contradiction {p_contradiction!r} is outside [0, 1]"))
    if verdict == "mismatch":
        return _clip((1 - weight) * score + weight * p_contradiction), verdict
    consistent = (1 - weight) * score + weight * (1 - p_contradiction)
    if p_contradiction >= flip_at and consistent < 0.5:
        return _clip(1 - consistent), "mismatch"
    return _clip(consistent), verdict


def _clip(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)
