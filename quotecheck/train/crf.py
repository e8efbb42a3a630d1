"""Train, cross-validate and save the CRF attribution tagger.

``train_model(articles, output, params=…, seed=…)`` fits crfsuite's L-BFGS CRF (L1 + L2
regularised: L1 prunes the feature set, which keeps the shipped file small) on every paragraph
of ``articles``, fits the confidence calibration on cross-validation predictions when asked,
and writes ``model.crfsuite`` + ``meta.json``. ``cross_validate`` scores a setting with k folds
of articles (folds by article, assigned by a seeded shuffle of the names), with the same scorer
as ``quotecheck eval``.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotecheck.config import Config
from quotecheck.errors import Errors, InputError, ModelError
from quotecheck.pipeline.attribution.extract import paragraph_features
from quotecheck.pipeline.attribution.features import FEATURE_VERSION
from quotecheck.pipeline.attribution.model import META_FILE, MODEL_FILE
from quotecheck.train.data import Article, labels_for
from quotecheck.train.params import DEFAULT_PARAMS, TrainParams

__all__ = ["TrainParams", "featurize", "train_model", "folds", "DEFAULT_PARAMS"]

LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")




@dataclass
class Featurized:
    """One article's paragraphs as (features, gold labels)."""

    name: str
    items: list[tuple[list[list[str]], list[str]]] = field(default_factory=list)


def featurize(articles: Sequence[Article], config: Config) -> list[Featurized]:
    """Features and gold labels of every paragraph (computed once, reused by every fold)."""
    out = []
    for a in articles:
        f = Featurized(a.name)
        for seq, _, features in paragraph_features(a.text, a.seg, config):
            f.items.append((features, labels_for(a, seq.tokens)))
        out.append(f)
    return out


def folds(names: Sequence[str], k: int, seed: int) -> list[list[str]]:
    """``k`` disjoint groups of article names from a seeded shuffle (every name in exactly one)."""
    if not 2 <= k <= len(names):
        raise InputError(Errors.E126.format(n=len(names), folds=k))
    order = sorted(names)
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def fit(data: Sequence[Featurized], path: Path, params: TrainParams) -> float:
    """Train one CRF on ``data`` into ``path``; returns the training time in seconds."""
    try:
        import pycrfsuite
    except ImportError as err:  # pragma: no cover - a core dependency
        raise ModelError(Errors.E124.format(reason=err)) from err
    trainer = pycrfsuite.Trainer(verbose=False)
    for article in data:
        for features, labels in article.items:
            trainer.append(features, labels)
    trainer.set_params(params.crfsuite())
    t0 = time.perf_counter()
    trainer.train(str(path))
    return time.perf_counter() - t0


def fit_calibration(samples: Sequence[tuple[float, float | None, float | None, bool]], *, steps: int = 300) -> dict[str, float]:
    """Logistic calibration of quote confidence: P(right | content, cue, source marginals, no cue).

    ``samples`` are (content, cue, source, matched gold) for predictions on held-out folds;
    plain gradient descent on the log loss (four weights and a bias; no dependency)."""
    names = ("content", "cue", "source", "no_cue")
    w = {k: 0.0 for k in names}
    bias = 0.0
    rows = [((c, q or 0.0, s or 0.0, float(q is None)), float(y)) for c, q, s, y in samples]
    if not rows:
        return {"bias": 0.0, "content": 1.0, "cue": 0.0, "source": 0.0, "no_cue": 0.0}
    rate = 1.0
    for _ in range(steps):
        grad = {k: 0.0 for k in names}
        gb = 0.0
        for x, y in rows:
            z = bias + sum(w[k] * v for k, v in zip(names, x))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            gb += p - y
            for k, v in zip(names, x):
                grad[k] += (p - y) * v
        bias -= rate * gb / len(rows)
        for k in names:
            w[k] -= rate * grad[k] / len(rows)
    return {"bias": round(bias, 4), **{k: round(v, 4) for k, v in w.items()}}


def write_meta(output: Path, *, params: TrainParams, seed: int, trained_on: str, articles: int,
               calibration: dict[str, float] | None, extra: dict[str, Any] | None = None) -> None:
    meta = {
        "format": "quotecheck-attribution-crf",
        "feature_version": FEATURE_VERSION,
        "labels": list(LABELS),
        "params": params.__dict__,
        "seed": seed,
        "trained_on": trained_on,
        "articles": articles,
        "calibration": calibration,
        **(extra or {}),
    }
    (output / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def train_model(data: Sequence[Featurized], output: str | Path, *, params: TrainParams = DEFAULT_PARAMS, seed: int = 0,
                trained_on: str = "", calibration: dict[str, float] | None = None,
                extra: dict[str, Any] | None = None) -> Path:
    """Fit on ``data`` and write the model folder ``output`` (created when missing)."""
    output = Path(output)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ModelError(Errors.E125.format(path=output, reason=err.strerror or err), path=str(output)) from err
    seconds = fit(data, output / MODEL_FILE, params)
    write_meta(output, params=params, seed=seed, trained_on=trained_on, articles=len(data), calibration=calibration,
               extra={"train_seconds": round(seconds, 1), **(extra or {})})
    return output

