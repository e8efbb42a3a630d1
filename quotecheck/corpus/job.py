"""One batch run's settings and the remembering encoder every engine and the sink share.

Its own module so that the engines (``batch``, ``ray_engine``) and the writer (``sink``) import
it, and not each other.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from quotecheck.checker import Checker
from quotecheck.config import Config, default_model_path
from quotecheck.corpus.guard import DEFAULT_ARTICLE_TIMEOUT
from quotecheck.embed import Encoder
from quotecheck.embed_onnx import encoder_for
from quotecheck.io.paths import DEFAULT_MAX_BYTES

__all__ = ["BatchJob", "MemoEncoder", "memo_checker", "default_workers", "DEFAULT_SHARD_SIZE", "DEFAULT_EMBED_BATCH", "DEFAULT_INDEX_SAVE_SECONDS"]

#: Articles per shard: the most a crash can lose, and the step at which the index is saved.
DEFAULT_SHARD_SIZE = 500
#: Articles embedded per encoder call (each has ~5–15 event texts and targets, so ~1–2k strings).
DEFAULT_EMBED_BATCH = 128
#: Seconds between two saves of the corpus index (it is always saved at the end). A save rewrites
#: the whole index folder — measured 0.31 s per 200 articles (24 MB, mostly documents.jsonl and the
#: vectors), so about 15 s at 10,000 articles — and saving after every shard would make a run
#: quadratic. Nothing is lost in between: every finished shard is durable with its vectors, and a
#: rerun merges the shards the saved index lacks (no model needed). 0 saves after every shard.
DEFAULT_INDEX_SAVE_SECONDS = 120.0


def default_workers() -> int:
    """Worker processes for extraction: one per core. The main process only encodes the few
    statements of each article and writes (on 2 cores, `batch` over the 84 PolNeAR dev files:
    10.6 s with two workers against 16.9 s with one, farm-bench medians), so it needs no core of its own."""
    return max(1, os.cpu_count() or 1)


class BatchJob:
    """Settings of one run, picklable so that Ray actors can rebuild the checker from them."""

    def __init__(
        self,
        output: str | os.PathLike[str],
        *,
        index: str | os.PathLike[str] | None = None,
        model: str | None = None,
        nli_model: str | None = None,
        config: Config | None = None,
        encoder_factory: Callable[[], Encoder] | None = None,
        shard_size: int = DEFAULT_SHARD_SIZE,
        embed_batch: int = DEFAULT_EMBED_BATCH,
        workers: int | None = None,
        index_save_seconds: float = DEFAULT_INDEX_SAVE_SECONDS,
        article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.output = Path(output)
        self.index = Path(index) if index else self.output / "index"
        self.model = model or default_model_path()
        self.nli_model = nli_model
        self.config = config or Config.from_env()
        self.encoder_factory = encoder_factory
        self.shard_size = max(1, shard_size)
        self.embed_batch = max(1, embed_batch)
        self.workers = default_workers() if workers is None else max(0, workers)
        self.index_save_seconds = index_save_seconds
        self.article_timeout = article_timeout or None
        self.max_bytes = max_bytes

    def make_checker(self) -> Checker:
        """The run's checker: its encoder remembers each batch's vectors (see :class:`MemoEncoder`)."""
        encoder = self.encoder_factory() if self.encoder_factory else encoder_for(self.model)
        return Checker(model=self.model, nli_model=self.nli_model, config=self.config, encoder=MemoEncoder(encoder))


class MemoEncoder:
    """An encoder that remembers: ``prime`` embeds many strings in one call, later lookups are free.

    The batch engine primes it with every event text and target phrase of one article, so that
    the checker's judging and the index get their vectors from one encoder call whose contents
    depend on that article only; ``reset`` forgets them before the next article. The
    cross-article check primes it with the vectors stored in the index instead.
    """

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self._rows: dict[str, np.ndarray] = {}

    @property
    def dim(self) -> int:
        return self.inner.dim

    def reset(self) -> None:
        self._rows = {}

    def prime(self, texts: Iterable[str], vectors: np.ndarray | None = None) -> None:
        """Remember ``texts``: with their given ``vectors``, else embedded in one call (only the new ones)."""
        if vectors is not None:
            self._rows.update(zip(texts, vectors))
            return
        new = [t for t in dict.fromkeys(texts) if t not in self._rows]
        if new:
            self._rows.update(zip(new, self.inner.encode(new)))

    def encode(self, texts: list[str]) -> np.ndarray:
        self.prime(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(np.stack([self._rows[t] for t in texts]), dtype=np.float32)


def memo_checker(checker: Checker) -> tuple[Checker, MemoEncoder]:
    """``checker`` with a remembering encoder: itself when it has one, else a copy around its encoder."""
    if isinstance(checker.encoder, MemoEncoder):
        return checker, checker.encoder
    memo = MemoEncoder(checker.encoder)
    return Checker(model=checker.model_path, nli_model=checker.nli_model, config=checker.config, encoder=memo), memo
