"""Encoders: the protocol the index and the judge use, and the sentence-transformers adapter.

``SentenceTransformerEncoder`` imports torch and loads the model only on first ``encode``; the
model is cached per (path, device) for the whole process, so many Checkers share one copy.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from quotecheck.errors import Errors, ModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["Encoder", "SentenceTransformerEncoder", "encode_unique", "load_local"]


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text, C-contiguous float32, unit length."""
        ...


_LOCK = threading.Lock()


def load_local(kind: str, path: str, device: str | None, error: str):
    """Load a local sentence-transformers ``SentenceTransformer`` or ``CrossEncoder`` folder.

    Never from a hub (``local_files_only=True``); failures become ``ModelError`` with the numbered
    message ``error`` (a template of ``Errors`` taking ``path`` and ``reason``).
    """
    if not path or not Path(path).is_dir():
        raise ModelError(error.format(path=path, reason="no such folder"), path=path)
    try:
        import sentence_transformers
    except ImportError as err:  # pragma: no cover - a core dependency
        raise ModelError(Errors.E021.format(reason=err)) from err
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars would pollute stderr
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    try:
        return getattr(sentence_transformers, kind)(path, device=device or "cpu", local_files_only=True)
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as err:
        reason = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
        raise ModelError(error.format(path=path, reason=reason), path=path) from err


@lru_cache(maxsize=4)
def _load(path: str, device: str | None) -> SentenceTransformer:
    """Load a local sentence-transformers folder once per process."""
    return load_local("SentenceTransformer", path, device, Errors.E020)


class SentenceTransformerEncoder:
    """A local sentence-transformers model, loaded lazily and shared per process."""

    def __init__(self, path: str, *, device: str | None = None, batch_size: int = 64) -> None:
        self.path = str(path)
        self.device = device
        self.batch_size = batch_size
        self.name = Path(self.path).name or self.path
        self._dim: int | None = None

    @property
    def model(self) -> SentenceTransformer:
        with _LOCK:
            return _load(self.path, self.device)

    @property
    def dim(self) -> int:
        if self._dim is None:
            getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
            self._dim = int(getter())
        return self._dim

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def encode_unique(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """Encode with one call per distinct string, then map rows back to ``texts``' order."""
    unique = list(dict.fromkeys(texts))
    if not unique:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    vectors = encoder.encode(unique)
    row = {t: i for i, t in enumerate(unique)}
    return np.ascontiguousarray(vectors[[row[t] for t in texts]], dtype=np.float32)
