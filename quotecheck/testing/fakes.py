"""Test doubles: a deterministic encoder that needs no model (hashed bag of words), and hand-built statements."""

from __future__ import annotations

import hashlib
import re

import numpy as np

__all__ = ["FakeEncoder", "statement"]


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


def statement(
    text: str,
    words: str,
    *,
    kind: str = "intention",
    factuality: str | None = None,
    actor: str = "Acme",
    predicate: str = "close",
    doc_id: str = "d",
    number: int = 1,
    **fields: object,
):
    """A hand-built Statement whose span is the first occurrence of ``words`` in ``text``.

    Span-valued ``fields`` (``phrase``, ``cue``, ``theme``, ``target``, ``stated_at``) and the tuples
    ``quantities``/``times`` are given as words of ``text`` too; anything else passes through.
    Tests of the match and judge rules build statements with this, not through the parser.
    """
    from quotecheck.models import Span, Statement

    def span(excerpt: str) -> Span:
        start = text.index(excerpt)
        return Span.of(text, start, start + len(excerpt))

    values: dict[str, object] = dict(fields)
    for name in ("phrase", "cue", "theme", "target", "stated_at"):
        if isinstance(values.get(name), str):
            values[name] = span(values[name])  # type: ignore[arg-type]
    for name in ("quantities", "times"):
        if name in values:
            values[name] = tuple(span(x) for x in values[name])  # type: ignore[union-attr]
    values.setdefault("phrase", span(words))
    return Statement(
        id=f"{doc_id}:s{number}",
        doc_id=doc_id,
        kind=kind,  # type: ignore[arg-type]
        factuality=factuality or ("intended" if kind == "intention" else "realised"),  # type: ignore[arg-type]
        actor_name=actor,
        predicate=predicate,
        span=span(words),
        **values,  # type: ignore[arg-type]
    )
