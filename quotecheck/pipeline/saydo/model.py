"""The said/did models: five small linear heads over clause and pair features, saved without pickle.

* ``detector`` — clause → none / commitment / outcome (string features of the parse and lexicon);
* ``status`` — an outcome clause → done / not_done / cancelled / postponed / changed / partial;
* ``linker`` — (commitment, clause of the same text) → is this clause the outcome that reports on
  the commitment (parse, lexicon, actors, positions; no encoder);
* ``xlinker`` — the same across two texts (no positions; the encoder's cosine instead);
* ``judge`` — a linked pair → consistent / unverified / mismatch:<type>.

Each head is a :class:`LinearHead` (scikit-learn's logistic regression, fitted by
``quotecheck.train.saydo``, kept as a vocabulary and a weight matrix); predicting needs numpy
only. A model is a folder: ``meta.json`` (version, classes, vocabularies, thresholds, training
record) and ``weights.npz`` (float32 arrays, read with ``allow_pickle=False``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from quotecheck.errors import Errors, ModelError

__all__ = ["LinearHead", "SaydoModel", "MODEL_VERSION", "default_saydo_model_path", "load_saydo_model", "SAYDO_MODEL_ENV"]

#: Environment variable naming a said/did model folder (same as ``--saydo-model``).
SAYDO_MODEL_ENV = "QUOTECHECK_SAYDO_MODEL"

#: Bumped whenever features change meaning: a model of another version is refused (E165).
MODEL_VERSION = 1
HEADS = ("detector", "status", "linker", "xlinker", "judge")


def default_saydo_model_path() -> Path:
    """The packaged model, trained on the annotated corpus (``quotecheck/weights/saydo``)."""
    return Path(__file__).resolve().parents[2] / "weights" / "saydo"


@dataclass
class LinearHead:
    """A multinomial (or binary) logistic model over sparse string features and dense numbers.

    ``vocab`` maps a string feature to its row of ``weights``; dense inputs take the last
    ``dense`` rows. Binary heads have two classes and one column of weights (the second class).
    """

    classes: tuple[str, ...]
    vocab: dict[str, int]
    dense: int
    weights: np.ndarray  # (len(vocab) + dense, n_columns)
    bias: np.ndarray  # (n_columns,)

    def scores(self, sparse: Sequence[Sequence[str]] | None, dense: np.ndarray | None) -> np.ndarray:
        """Logits for a batch: ``sparse`` features per row and/or a dense (rows × dense) matrix."""
        rows = len(sparse) if sparse is not None else (0 if dense is None else dense.shape[0])
        out = np.tile(self.bias.astype(np.float64), (rows, 1))
        if sparse is not None and self.vocab:
            for r, feats in enumerate(sparse):
                # sorted: a set's order changes with the process's hash seed, and so would the sum's last digit
                idx = sorted({self.vocab[f] for f in feats if f in self.vocab})
                if idx:
                    out[r] += self.weights[idx].astype(np.float64).sum(axis=0)
        if self.dense and dense is not None and rows:
            out += dense.astype(np.float64) @ self.weights[len(self.vocab) :]
        return out

    def predict_proba(self, sparse: Sequence[Sequence[str]] | None = None, dense: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities (rows × classes)."""
        z = self.scores(sparse, dense)
        if len(self.classes) == 2 and z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_meta(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "vocab": sorted(self.vocab, key=self.vocab.__getitem__), "dense": self.dense}

    @classmethod
    def from_parts(cls, meta: dict[str, Any], weights: np.ndarray, bias: np.ndarray) -> LinearHead:
        vocab = {f: i for i, f in enumerate(meta["vocab"])}
        return cls(tuple(meta["classes"]), vocab, int(meta["dense"]), weights, bias)


@dataclass
class SaydoModel:
    """The five heads, the thresholds that turn their probabilities into decisions, and a record."""

    detector: LinearHead
    status: LinearHead
    linker: LinearHead
    xlinker: LinearHead
    judge: LinearHead
    thresholds: dict[str, float] = field(default_factory=dict)
    embeddings: bool = False
    record: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """Write ``meta.json`` and ``weights.npz`` into the folder ``path``."""
        path.mkdir(parents=True, exist_ok=True)
        meta = {
            "version": MODEL_VERSION, "thresholds": self.thresholds, "embeddings": self.embeddings, "record": self.record,
            "heads": {name: getattr(self, name).to_meta() for name in HEADS},
        }
        arrays: dict[str, np.ndarray] = {}
        for name in HEADS:
            head = getattr(self, name)
            arrays[f"{name}_w"] = head.weights.astype(np.float32)
            arrays[f"{name}_b"] = head.bias.astype(np.float32)
        tmp = path / "weights.tmp.npz"
        np.savez_compressed(tmp, **arrays)
        tmp.replace(path / "weights.npz")
        (path / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> SaydoModel:
        """Read a model folder; refuses a missing, damaged or other-version model (E164, E165)."""
        path = Path(path)
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            with np.load(path / "weights.npz", allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(Errors.E164.format(path=path, reason=str(err)[:200] or type(err).__name__), path=str(path)) from err
        if meta.get("version") != MODEL_VERSION:
            raise ModelError(Errors.E165.format(path=path, have=meta.get("version"), want=MODEL_VERSION), path=str(path))
        try:
            heads = {n: LinearHead.from_parts(meta["heads"][n], arrays[f"{n}_w"], arrays[f"{n}_b"]) for n in HEADS}
        except KeyError as err:
            raise ModelError(Errors.E164.format(path=path, reason=f"missing {err}"), path=str(path)) from err
        return cls(**heads, thresholds=dict(meta.get("thresholds", {})), embeddings=bool(meta.get("embeddings")),
                   record=meta.get("record", {}))


def load_saydo_model(path: str | os.PathLike[str] | None = None) -> SaydoModel:
    """The said/did model at ``path`` (else ``$QUOTECHECK_SAYDO_MODEL``, else the packaged one), once per process."""
    chosen = path or os.environ.get(SAYDO_MODEL_ENV) or default_saydo_model_path()
    return _load_cached(str(Path(chosen).resolve()))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> SaydoModel:
    return SaydoModel.load(path)
