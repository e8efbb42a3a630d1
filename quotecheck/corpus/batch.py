"""The single-machine batch engine, and the parts every engine shares.

Work per article, in three steps:

1. **structure** (CPU-bound, no encoder): ``Checker.structure`` — sentences, quotes, speakers,
   commitments, outcomes and the findings within the article (parser + the numpy said/did
   model). Runs in worker processes (``spawn``ed, so they never hold torch) while the main
   process embeds the previous batch; each article has a time limit (``article_timeout``, E083)
   and the workers die with the main process.
2. **embed** (main process, one encoder): each article's statement clauses are embedded in one
   encoder call of their own (and the optional NLI model reads its findings), so that its
   vectors do not depend on which other articles share the batch (an encoder's floats do, by
   ~1e-7): every engine, a resumed run and any batch size give the same vectors and shards.
3. **write** (:class:`~quotecheck.corpus.sink.Sink`): records go to JSON Lines shards with
   their statement vectors; each finished shard is merged into the corpus index. At the end,
   cross-article findings are judged over the whole index (``Checker.check_index``).

Bad input never stops a run: every problem is handed to ``on_problem``, counted in the summary
and, when it is an error, the record is skipped with that reason. The output folder is locked
for the run (E089); a run killed at any moment and started again loses and repeats nothing.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from quotecheck.checker import Checker
from quotecheck.config import Config
from quotecheck.corpus.guard import ArticleTimeout, OutputLock, deadline, die_with_parent
from quotecheck.corpus.job import BatchJob, MemoEncoder, default_workers, memo_checker
from quotecheck.corpus.reader import Article, Problem, expand_corpus_inputs, iter_articles
from quotecheck.corpus.sink import BatchSummary, Sink
from quotecheck.errors import Errors, ModelError
from quotecheck.models import Analysis, Finding
from quotecheck.pipeline.saydo.stage import statement_text

__all__ = ["BatchJob", "BatchSummary", "Sink", "MemoEncoder", "embed_and_judge", "run_local", "default_workers"]

def _judge(checker: Checker, analyses: list[Analysis]) -> list[Analysis]:
    """Within-article pairs and findings (``Checker.judge_within``); a seam for tests."""
    return checker.judge_within(analyses)


def article_texts(analysis: Analysis) -> list[str]:
    """What one article gives the encoder: its statements' clauses, each once."""
    return list(dict.fromkeys(statement_text(s) for s in analysis.statements))


def embed_and_judge(checker: Checker, analyses: list[Analysis]) -> list[tuple[Analysis, np.ndarray] | Exception]:
    """Within-article findings and statement vectors of ``analyses``, one encoder call per article.

    Returns, per analysis, (analysis with findings, vectors of its statements in order), or the
    exception that analysis raised (the others go on). An article is embedded on its own so
    that its vectors are a function of its text alone (see the module docstring).
    """
    judge, memo = memo_checker(checker)
    out: list[tuple[Analysis, np.ndarray] | Exception] = []
    for analysis in analyses:
        memo.reset()
        try:
            memo.prime(article_texts(analysis))
            (judged,) = _judge(judge, [analysis])
            out.append((judged, memo.encode([statement_text(s) for s in judged.statements])))
        except ModelError:
            raise  # the model itself is broken: every article would fail, so stop with its message
        except Exception as err:  # noqa: BLE001 - isolate the article at fault, keep the rest of the batch
            out.append(err)
    memo.reset()
    return out


def structure_one(checker: Checker, article: Article, *, timeout: float | None = None) -> Analysis | Problem:
    """``Checker.structure`` of one article within ``timeout`` seconds; a failure becomes a
    Problem (E068, or E083 past the limit), never a crash."""
    try:
        with deadline(timeout):
            return checker.structure(article.text, doc_id=article.id, date=article.date)
    except ArticleTimeout:
        return Problem(
            code="E083", message=Errors.E083.format(source=article.source, doc_id=article.id, seconds=timeout),
            source=article.source, doc_id=article.id,
        )
    except Exception as err:  # noqa: BLE001 - one odd article must not stop a corpus (RecursionError included)
        return _failed(article, err)


def _failed(article: Article, err: BaseException) -> Problem:
    reason = f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}"
    return Problem(
        code="E068", message=Errors.E068.format(source=article.source, doc_id=article.id, reason=reason), source=article.source, doc_id=article.id
    )


# ------------------------------------------------------------------------------ the local engine

_WORKER: Checker | None = None
_TIMEOUT: float | None = None


class faiss_threads:
    """Run faiss on ``n`` OpenMP threads inside the block (restored after).

    A batch run searches many tiny per-article indexes while the other cores are busy (workers,
    the encoder); there faiss's OpenMP start-up on every core costs more than the search itself
    (25 ms instead of under 1 ms per article on the 2-core machine, see bench/bench_batch.py).
    """

    def __init__(self, n: int = 1) -> None:
        self.n = n

    def __enter__(self) -> None:
        import faiss

        self.before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(self.n)

    def __exit__(self, *exc: object) -> None:
        import faiss

        faiss.omp_set_num_threads(self.before)


def corpus_paths(job: BatchJob, inputs: Sequence[str]) -> list[str]:
    """Input files of ``inputs``, less any inside the run's own output or index folder (a rerun
    over ``.`` must not read its own shards as articles)."""
    own = [job.output.resolve(), job.index.resolve()]
    return [p for p in expand_corpus_inputs(inputs) if not any(Path(p).resolve().is_relative_to(o) for o in own)]


def _init_worker(model: str, config: Config, timeout: float | None, parent: int) -> None:
    global _WORKER, _TIMEOUT
    die_with_parent(parent)  # a killed batch must not leave its workers behind
    _WORKER = Checker(model=model, config=config)
    _TIMEOUT = timeout


def _structure_in_worker(article: Article) -> Analysis | Problem:
    assert _WORKER is not None  # set by the pool initializer
    return structure_one(_WORKER, article, timeout=_TIMEOUT)


def _chunks(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def admitted(items: Iterable[Article | Problem], sink: Sink) -> Iterator[Article]:
    """The new articles of ``items``; problems and done articles are handed to ``sink``."""
    for item in items:
        if isinstance(item, Problem):
            sink.problem(item)
            sink.progress()
            continue
        sink.article(item)
        if sink.admit(item) == "new":
            yield item
        else:
            sink.progress()


def run_local(
    job: BatchJob,
    inputs: Sequence[str],
    *,
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[BatchSummary, list[Finding]]:
    """Run ``job`` over ``inputs`` on this machine: ``job.workers`` extraction processes, one encoder."""
    paths = corpus_paths(job, inputs)
    checker = job.make_checker()
    with OutputLock(job.output, job.index):
        sink = Sink(job, checker, engine="local" if job.workers else "single", files=len(paths), on_problem=on_problem, on_progress=on_progress)
        chunks = _chunks(admitted(iter_articles(paths, max_bytes=job.max_bytes), sink), job.embed_batch)

        def finish(chunk: list[Article], structured: list[Analysis | Problem]) -> None:
            ok = [(a, s) for a, s in zip(chunk, structured) if isinstance(s, Analysis)]
            for s in structured:
                if isinstance(s, Problem):
                    sink.problem(s, article_read=True)
            results = embed_and_judge(checker, [s for _, s in ok])
            for (article, _), result in zip(ok, results):
                if isinstance(result, Exception):
                    sink.problem(_failed(article, result), article_read=True)
                else:
                    sink.add(article, *result)
            sink.progress()

        with faiss_threads(1):
            if job.workers == 0:
                for chunk in chunks:
                    finish(chunk, [structure_one(checker, a, timeout=job.article_timeout) for a in chunk])
            else:
                _with_workers(job, chunks, finish)
            return sink.finish()


def _with_workers(job: BatchJob, chunks: Iterator[list[Article]], finish: Callable[[list[Article], list], None]) -> None:
    # spawn, not fork: the parent holds torch and its threads, which must not be forked. A pool
    # whose worker dies raises BrokenProcessPool instead of hanging (unlike multiprocessing.Pool).
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    initargs = (job.model, job.config, job.article_timeout, os.getpid())
    with ProcessPoolExecutor(job.workers, mp_context=context, initializer=_init_worker, initargs=initargs) as pool:
        pending = None
        for chunk in chunks:
            results = pool.map(_structure_in_worker, chunk, chunksize=max(1, len(chunk) // (job.workers * 4)))
            if pending is not None:
                finish(pending[0], list(pending[1]))  # embed batch k while the workers structure batch k+1
            pending = (chunk, results)
        if pending is not None:
            finish(pending[0], list(pending[1]))
