"""Test doubles: a deterministic encoder that needs no model (hashed bag of words)."""

from __future__ import annotations

import hashlib
import re

import numpy as np

__all__ = ["FakeEncoder"]


class FakeEncoder:
    """Hashed bag-of-lower-cased-words vectors, L2-normalised: equal words → similar vectors."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"fake-{dim}"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
            norm = float(np.linalg.norm(out[i]))
            if norm:
                out[i] /= norm
        return out
