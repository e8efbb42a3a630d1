"""Analyse many texts in worker processes: one checker (one model load) per worker, results in input order.

``check`` over a folder uses it, as ``batch`` uses its own engine: the said/did stage within a
text needs the parser and the numpy models only, so each worker is a whole pipeline and the
main process just collects. Workers are ``spawn``ed (they never inherit torch or a parser half
loaded) and die with the main process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator

from quotecheck.checker import Checker
from quotecheck.config import Config
from quotecheck.models import Analysis

__all__ = ["analyze_many", "workers_for"]

#: Below this many texts one process is faster: a worker's start-up (imports, parser, models) is ~2 s.
MIN_TEXTS_PER_POOL = 32

_WORKER: Checker | None = None


def workers_for(texts: int, requested: int | None = None) -> int:
    """Worker processes for ``texts`` texts: ``requested`` when given, else every core for a
    corpus of :data:`MIN_TEXTS_PER_POOL` texts or more and none (this process) below."""
    if requested is not None:
        return max(1, requested)
    return (os.cpu_count() or 1) if texts >= MIN_TEXTS_PER_POOL else 1


def analyze_many(texts: Iterable[str], *, checker: Checker, workers: int = 1, chunksize: int = 4) -> Iterator[Analysis]:
    """``checker.pipe(texts)`` spread over ``workers`` processes (``workers`` 1: this process)."""
    if workers <= 1:
        yield from checker.pipe(texts)
        return
    ctx = multiprocessing.get_context("spawn")
    init = (checker.model_path, checker.nli_model, checker.config, os.getpid())
    with ctx.Pool(workers, initializer=_init_worker, initargs=init) as pool:
        yield from pool.imap(_analyze_in_worker, texts, chunksize=chunksize)


def _init_worker(model: str, nli_model: str | None, config: Config, parent: int) -> None:
    from quotecheck.corpus.guard import die_with_parent

    global _WORKER
    die_with_parent(parent)
    _WORKER = Checker(model=model, nli_model=nli_model, config=config)


def _analyze_in_worker(text: str) -> Analysis:
    assert _WORKER is not None  # set by the pool initializer
    return next(iter(_WORKER.pipe([text])))
