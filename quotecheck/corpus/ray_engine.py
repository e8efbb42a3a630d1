"""The batch job on Ray Data: read → structure → embed and judge (actor pool) → write.

The same steps as :mod:`quotecheck.corpus.batch`, spread over a Ray cluster:

- **read** (one task per input file): articles and problems from :func:`iter_articles`;
  articles finished by an earlier run come out as small "done" rows;
- **structure** (CPU tasks): ``Checker.structure`` per article, model-free;
- **embed and judge** (an actor pool, ``actors`` wide): each actor loads the model once and
  runs :func:`~quotecheck.corpus.batch.embed_and_judge` on batches of ``embed_batch`` articles;
- **write** (the driver): rows come back in input order (``preserve_order``) and go through
  the same :class:`~quotecheck.corpus.sink.Sink` as on one machine, which writes the shards
  and merges each shard's statements and vectors into the corpus index; so for the same inputs
  both engines write the same shards and the same findings.

``ray.init()`` joins the cluster named by ``RAY_ADDRESS`` (or ``address=``), else starts a local
Ray instance, which is shut down at the end. Ray is an optional extra: ``pip install 'quotecheck[ray]'``.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from quotecheck.config import Config
from quotecheck.corpus.batch import BatchSummary, Sink, _failed, corpus_paths, embed_and_judge, faiss_threads, structure_one
from quotecheck.corpus.job import BatchJob
from quotecheck.corpus.guard import OutputLock
from quotecheck.corpus.reader import Problem, iter_articles
from quotecheck.errors import Errors, InputError
from quotecheck.models import Finding

__all__ = ["run_ray", "import_ray"]

#: Bytes per Ray Data block: small enough that a large JSON Lines file streams as many blocks.
_BLOCK_BYTES = 8 * 1024 * 1024
#: Memory an encoder actor asks for (the MiniLM model with torch is ~0.5 GB resident, plus batches).
_ACTOR_MEMORY = 1 << 30
#: Articles per structure task batch.
_STRUCTURE_BATCH = 32


def import_ray():
    """The ``ray`` module with Ray Data, or a numbered error naming the extra to install."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise InputError(Errors.E067.format(reason=err)) from err
    return ray


def _rows(kind: str, payload: Any, key: str = "") -> dict[str, Any]:
    # pickle only carries objects between Ray processes of one run; nothing pickled is stored.
    return {"kind": kind, "key": key, "payload": pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)}


def _read(row: dict[str, Any], *, done: dict[str, str], max_bytes: int) -> Iterator[dict[str, Any]]:
    for item in iter_articles([row["path"]], max_bytes=max_bytes):
        if isinstance(item, Problem):
            yield _rows("problem", item)
        elif done.get(item.id) == item.sha1:
            yield _rows("done", item.model_copy(update={"text": ""}), item.id)
        else:
            yield _rows("article", item, item.id)


_CHECKER = None


def _structure(batch, *, model: str, config: Config, timeout: float | None):
    import pyarrow as pa

    from quotecheck.checker import Checker

    global _CHECKER
    if _CHECKER is None:
        _CHECKER = Checker(model=model, config=config)
    kinds, keys, payloads = batch.column("kind").to_pylist(), batch.column("key").to_pylist(), batch.column("payload").to_pylist()
    out_payloads = []
    for kind, payload in zip(kinds, payloads):
        if kind == "article":
            article = pickle.loads(payload)
            payload = pickle.dumps((article, structure_one(_CHECKER, article, timeout=timeout)), protocol=pickle.HIGHEST_PROTOCOL)
        out_payloads.append(payload)
    return pa.table({"kind": kinds, "key": keys, "payload": pa.array(out_payloads, pa.binary())})


class _EmbedJudge:
    """A Ray actor: loads the model once, then embeds and judges batches of structured articles."""

    def __init__(self, job: BatchJob) -> None:
        self.checker = job.make_checker()
        _ = self.checker.encoder.dim  # load the model now, once per actor

    def __call__(self, batch):
        import pyarrow as pa

        from quotecheck.models import Analysis

        kinds, keys, payloads = batch.column("kind").to_pylist(), batch.column("key").to_pylist(), batch.column("payload").to_pylist()
        work = [(i, *pickle.loads(p)) for i, (k, p) in enumerate(zip(kinds, payloads)) if k == "article"]
        ok = [(i, article, analysis) for i, article, analysis in work if isinstance(analysis, Analysis)]
        with faiss_threads(1):
            results = dict(zip((i for i, _, _ in ok), embed_and_judge(self.checker, [a for _, _, a in ok])))
        out_kinds, out_payloads = list(kinds), list(payloads)
        for i, article, structured in work:
            result = results.get(i, structured)
            stub = article.model_copy(update={"text": ""})
            if isinstance(result, Problem):
                out_kinds[i], out_payloads[i] = "failed", pickle.dumps((stub, result))
            elif isinstance(result, Exception):
                out_kinds[i], out_payloads[i] = "failed", pickle.dumps((stub, _failed(article, result)))
            else:
                out_kinds[i], out_payloads[i] = "result", pickle.dumps((stub, *result), protocol=pickle.HIGHEST_PROTOCOL)
        return pa.table({"kind": out_kinds, "key": keys, "payload": pa.array(out_payloads, pa.binary())})


def run_ray(
    job: BatchJob,
    inputs: Sequence[str],
    *,
    actors: int = 1,
    address: str | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[BatchSummary, list[Finding]]:
    """Run ``job`` over ``inputs`` on Ray; ``actors`` encoder actors (each loads the model once)."""
    ray = import_ray()
    paths = corpus_paths(job, inputs)
    checker = job.make_checker()
    with OutputLock(job.output, job.index):
        sink = Sink(job, checker, engine="ray", files=len(paths), on_problem=on_problem, on_progress=on_progress)
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR, configure_logging=True)
        # The driver merges every shard into the index on one faiss thread, as the local engine does:
        # a multi-threaded HNSW build is not deterministic, and the two engines must agree.
        with faiss_threads(1):
            try:
                _pipeline(ray, job, paths, sink, actors=max(1, actors))
            finally:
                if started_here:
                    ray.shutdown()
            return sink.finish()


def _pipeline(ray, job: BatchJob, paths: list[str], sink: Sink, *, actors: int) -> None:
    from ray.data import DataContext

    context = DataContext.get_current()
    context.execution_options.preserve_order = True  # shards and ids come out as on one machine
    context.enable_progress_bars = False
    context.target_max_block_size = _BLOCK_BYTES
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # e.g. "progress bars disabled"

    ds = ray.data.from_items([{"path": p} for p in paths], override_num_blocks=max(1, len(paths)))
    ds = ds.flat_map(_read, fn_kwargs={"done": dict(sink.out.done), "max_bytes": job.max_bytes})
    ds = ds.map_batches(
        _structure, batch_size=_STRUCTURE_BATCH, batch_format="pyarrow",
        fn_kwargs={"model": job.model, "config": job.config, "timeout": job.article_timeout}, num_cpus=1,
    )
    # The actors declare the memory the model needs; with resource requests that differ, Ray does
    # not fuse the structure step into the actors, so extraction runs as CPU tasks beside them
    # instead of in series inside them. The actors reserve no CPU, as the local engine's main
    # process: they only encode each article's few statements, and a reserved core would leave
    # extraction one task short (on 2 cores: one structure task at a time, 6.6 articles/s).
    ds = ds.map_batches(
        _EmbedJudge, batch_size=job.embed_batch, batch_format="pyarrow", fn_constructor_kwargs={"job": job},
        compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=0, memory=_ACTOR_MEMORY,
    )
    for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
        for kind, payload in zip(batch.column("kind").to_pylist(), batch.column("payload").to_pylist()):
            item = pickle.loads(payload)
            if kind == "problem":
                sink.problem(item)
            elif kind == "done":
                sink.article(item)
                sink.admit(item)
            elif kind == "failed":
                article, problem = item
                sink.article(article)
                if sink.admit(article) == "new":
                    sink.problem(problem, article_read=True)
            else:
                article, analysis, vectors = item
                sink.article(article)
                if sink.admit(article) == "new":
                    sink.add(article, analysis, vectors)
        sink.progress()
