"""The trained attribution tagger on disk: a crfsuite model file plus a JSON card of metadata.

A model folder holds ``model.crfsuite`` (crfsuite's own binary format, read by its C library:
no pickle, nothing executable) and ``meta.json`` (feature version, labels, the calibration of
quote confidence, and how the model was trained). :func:`load_model` opens one folder once per
process and path; the packaged model lives in ``quotecheck/weights/attribution``.
``--quote-model PATH`` or ``$QUOTECHECK_QUOTE_MODEL`` chooses another.
"""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from collections.abc import Sequence as Seq
from typing import TYPE_CHECKING, Any

from quotecheck.errors import Errors, ModelError
from quotecheck.pipeline.attribution.features import FEATURE_VERSION

if TYPE_CHECKING:
    import numpy as np

    from quotecheck.pipeline.attribution.tokens import Token

__all__ = ["QuoteModel", "load_model", "default_quote_model_path", "contextual_model_path", "QUOTE_MODEL_ENV", "MODEL_FILE", "META_FILE"]

QUOTE_MODEL_ENV = "QUOTECHECK_QUOTE_MODEL"
MODEL_FILE = "model.crfsuite"
META_FILE = "meta.json"
_LOCK = threading.Lock()


def default_quote_model_path() -> Path:
    """``$QUOTECHECK_QUOTE_MODEL`` when set, else the model shipped in the package."""
    env = os.environ.get(QUOTE_MODEL_ENV)
    if env:
        return Path(env)
    return Path(str(files("quotecheck").joinpath("weights", "attribution")))


def contextual_model_path() -> Path:
    """The packaged contextual model (``--contextual``): the CRF mixed with a fine-tuned MiniLM."""
    return Path(str(files("quotecheck").joinpath("weights", "attribution-context")))


@dataclass
class QuoteModel:
    """An opened tagger and its metadata; ``tag`` labels one token sequence."""

    path: Path
    meta: dict[str, Any]
    _tagger: Any = field(repr=False)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.meta["labels"])

    @property
    def contextual(self) -> bool:
        """Whether the folder holds a fine-tuned MiniLM classifier mixed into the CRF's reading."""
        return bool(self.meta.get("classifier"))

    def tag_all(self, text: str, paragraphs: Seq[Seq[Token]], features: Seq[list[list[str]]]) -> list[tuple[list[str], list[float]]]:
        """Labels and label probabilities of every paragraph of ``text``.

        The CRF alone decodes each paragraph (Viterbi). With a classifier, the CRF's marginals and
        the classifier's probabilities are mixed per token (``meta.classifier.weight``) and the
        mixture decoded under the BIO constraint (:func:`~.classifier.viterbi`)."""
        if not self.contextual:
            return [self.tag(f) for f in features]
        from quotecheck.pipeline.attribution.classifier import mix, open_classifier, viterbi

        settings = self.meta["classifier"]
        probs = open_classifier(self.path, self.labels, settings).probabilities(text, paragraphs)
        return [viterbi(mix(self.marginals(f), p, float(settings["weight"])), self.labels) for f, p in zip(features, probs)]

    def marginals(self, features: list[list[str]]) -> np.ndarray:
        """The CRF's (tokens × labels) marginal probabilities of one sequence."""
        import numpy as np

        tagger, known = self._tagger, set(self._tagger.labels())  # a label never seen in training has no marginal: 0
        self._set(features)  # the marginals need the sequence, not a decoded path
        return np.array([[tagger.marginal(label, i) if label in known else 0.0 for label in self.labels] for i in range(len(features))])

    def tag(self, features: list[list[str]]) -> tuple[list[str], list[float]]:
        """Best labels of one sequence and the marginal probability of each chosen label."""
        tagger = self._tagger
        self._set(features)
        labels = tagger.tag()
        return labels, [tagger.marginal(label, i) for i, label in enumerate(labels)]

    def _set(self, features: list[list[str]]) -> None:
        try:
            self._tagger.set(features)
        except (SystemError, UnicodeError):  # crfsuite takes UTF-8: a lone surrogate cannot be encoded
            self._tagger.set([[f.encode("utf-8", "replace").decode("utf-8") for f in item] for item in features])

    def confidence(self, content: float, cue: float | None, source: float | None) -> float:
        """Calibrated probability that an attribution is right, from its spans' mean marginals.

        A logistic model over (content, cue, source) marginals, fitted on cross-validation
        predictions of the training split (``meta.json`` ``calibration``)."""
        cal = self.meta.get("calibration") or {"bias": 0.0, "content": 1.0, "cue": 0.0, "source": 0.0, "no_cue": 0.0}
        z = cal["bias"] + cal["content"] * content + cal["cue"] * (cue or 0.0) + cal["source"] * (source or 0.0)
        z += cal.get("no_cue", 0.0) * (cue is None)
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=4)
def _open(path: str) -> QuoteModel:
    folder = Path(path)
    model_file, meta_file = folder / MODEL_FILE, folder / META_FILE
    if not model_file.is_file() or not meta_file.is_file():
        raise ModelError(Errors.E120.format(path=folder), path=str(folder))
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(Errors.E121.format(path=meta_file, reason=err), path=str(meta_file)) from err
    if meta.get("feature_version") != FEATURE_VERSION:
        raise ModelError(Errors.E122.format(path=folder, have=meta.get("feature_version"), want=FEATURE_VERSION), path=str(folder))
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(model_file))
    except (OSError, ValueError) as err:
        raise ModelError(Errors.E121.format(path=model_file, reason=err), path=str(model_file)) from err
    return QuoteModel(folder, meta, tagger)


def load_model(path: str | Path | None = None) -> QuoteModel:
    """The model in folder ``path`` (default: :func:`default_quote_model_path`), opened once per process."""
    folder = Path(path) if path else default_quote_model_path()
    with _LOCK:
        return _open(str(folder.resolve()))
