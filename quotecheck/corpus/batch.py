"""The single-machine batch engine, and the parts every engine shares.

Work per article, in three steps:

1. **structure** (CPU-bound, model-free): ``Checker.structure`` — sentences, quotes, speakers,
   intention/action statements. Runs in worker processes (``spawn``ed, so they never hold
   torch) while the main process embeds the previous batch.
2. **embed and judge** (main process, one encoder): every event text and target phrase of a
   batch is embedded in one ``encode`` call; within-article pairs are judged from those vectors.
3. **write** (:class:`Sink`): records go to JSON Lines shards with their statement vectors;
   each finished shard is merged into the corpus index, which is saved as a folder swap. At the
   end, cross-article findings are judged over the whole index (an intention in one article, the
   action in another that is not older; ``Checker.check_index``) from the stored vectors.

Bad input never stops a run: every problem is handed to ``on_problem``, counted in the summary
and, when it is an error, the article is skipped with that reason.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from quotecheck.checker import Checker
from quotecheck.config import Config, default_model_path
from quotecheck.corpus.reader import Article, Problem, expand_corpus_inputs, iter_articles
from quotecheck.corpus.store import BatchOutput, ShardRecord, load_index, save_index
from quotecheck.embed import Encoder, SentenceTransformerEncoder
from quotecheck.errors import Errors, IndexStoreError, ModelError
from quotecheck.index import CorpusIndex
from quotecheck.models import Analysis, Finding
from quotecheck.pipeline.events import event_text

__all__ = ["BatchJob", "BatchSummary", "Sink", "MemoEncoder", "embed_and_judge", "run_local", "default_workers"]

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
    """Worker processes for extraction: all cores but the one the encoder uses (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


class BatchSummary(BaseModel):
    """What one ``quotecheck batch`` run did (written to ``DIR/summary.json``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    engine: str
    files: int
    articles: int
    processed: int
    already_done: int
    skipped: int
    warnings: int
    problems: dict[str, int]
    shards_written: int
    statements: int
    findings_within: int
    mismatches_within: int
    findings_cross: int
    index_documents: int
    index_statements: int
    seconds: float
    articles_per_second: float
    output: str
    index: str


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

    def make_checker(self) -> Checker:
        """The run's checker: its encoder remembers each batch's vectors (see :class:`MemoEncoder`)."""
        encoder = self.encoder_factory() if self.encoder_factory else SentenceTransformerEncoder(self.model)
        return Checker(model=self.model, nli_model=self.nli_model, config=self.config, encoder=MemoEncoder(encoder))


# ------------------------------------------------------------------------------ embed + judge


class MemoEncoder:
    """An encoder that remembers: ``prime`` embeds many strings in one call, later lookups are free.

    The batch engine primes it with every event text and target phrase of a batch, so that the
    checker's judging and the index get their vectors from one large encoder call; ``reset``
    forgets them before the next batch (memory stays bounded by one batch).
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


def _memo(checker: Checker) -> tuple[Checker, MemoEncoder]:
    """``checker`` with a remembering encoder: itself when it has one, else a copy around its encoder."""
    if isinstance(checker.encoder, MemoEncoder):
        return checker, checker.encoder
    memo = MemoEncoder(checker.encoder)
    return Checker(model=checker.model_path, nli_model=checker.nli_model, config=checker.config, encoder=memo), memo


def _judge(checker: Checker, analyses: list[Analysis]) -> list[Analysis]:
    """Within-article pairs and findings (``Checker.judge_within``); a seam for tests."""
    return checker.judge_within(analyses)


def embed_and_judge(checker: Checker, analyses: list[Analysis]) -> list[tuple[Analysis, np.ndarray] | Exception]:
    """Within-article findings and statement vectors of ``analyses``, with one encoder call.

    Returns, per analysis, (analysis with findings, vectors of its statements in order), or the
    exception that analysis raised (a batch that fails is retried one analysis at a time).
    """
    judge, memo = _memo(checker)
    memo.reset()
    texts = [event_text(s) for a in analyses for s in a.statements]
    texts += [s.target.text for a in analyses for s in a.statements if s.target]
    memo.prime(texts)
    try:
        judged: list[Analysis | Exception] = list(_judge(judge, analyses))
    except ModelError:
        raise  # the model itself is broken: every article would fail, so stop with its message
    except Exception:  # noqa: BLE001 - isolate the article at fault, keep the rest of the batch
        judged = []
        for analysis in analyses:
            try:
                judged.extend(_judge(judge, [analysis]))
            except ModelError:
                raise
            except Exception as err:  # noqa: BLE001
                judged.append(err)
    out: list[tuple[Analysis, np.ndarray] | Exception] = []
    for item in judged:
        if isinstance(item, Exception):
            out.append(item)
        else:
            out.append((item, memo.encode([event_text(s) for s in item.statements])))
    return out


def structure_one(checker: Checker, article: Article) -> Analysis | Problem:
    """``Checker.structure`` of one article; a failure becomes a Problem (E068), never a crash."""
    try:
        return checker.structure(article.text, doc_id=article.id, date=article.date)
    except Exception as err:  # noqa: BLE001 - one odd article must not stop a corpus
        return _failed(article, err)


def _failed(article: Article, err: BaseException) -> Problem:
    reason = f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}"
    return Problem(
        code="E068", message=Errors.E068.format(source=article.source, doc_id=article.id, reason=reason), source=article.source, doc_id=article.id
    )


# ------------------------------------------------------------------------------ the writing side

Admission = Literal["new", "done", "conflict"]


class Sink:
    """Collects processed articles into shards, merges them into the index, counts everything."""

    def __init__(
        self,
        job: BatchJob,
        checker: Checker,
        *,
        engine: str,
        files: int,
        on_problem: Callable[[Problem], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.job, self.checker, self.engine, self.files = job, checker, engine, files
        self.on_problem = on_problem or (lambda p: None)
        self.on_progress = on_progress or (lambda n: None)
        self.started = time.monotonic()
        self.out = BatchOutput(job.output)
        self.corpus = self._open_index()
        self.seen: dict[str, str] = dict(self.out.done)
        self.counts: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()
        self.buffer: list[tuple[ShardRecord, np.ndarray]] = []
        self.shards_written = 0
        self.statements = 0
        self.findings_within = 0
        self.mismatches_within = 0
        self._saved = time.monotonic()
        self._dirty = False

    # -- resume
    def _open_index(self) -> CorpusIndex:
        corpus = load_index(self.job.index)
        if corpus is None:
            corpus = CorpusIndex(self.checker.model_path, self.checker.encoder.dim)
        elif corpus.encoder_name != self.checker.model_path:
            raise IndexStoreError(Errors.E032.format(path=self.job.index, have=corpus.encoder_name, want=self.checker.model_path))
        missing = [name for name, ids in self.out.shards if any(i not in corpus.documents for i in ids)]
        for records, vectors in self.out.iter_shards(missing):  # shards finished after the last save
            _merge(corpus, records, vectors)
        if missing:
            save_index(corpus, self.job.index)
        return corpus

    # -- intake
    def admit(self, article: Article) -> Admission:
        """Whether ``article`` is new, done already (same id and text), or clashes with a done id."""
        have = self.seen.get(article.id)
        if have is None:
            self.seen[article.id] = article.sha1
            return "new"
        if have == article.sha1:
            self.counts["already_done"] += 1
            return "done"
        self.problem(
            Problem(code="E065", message=Errors.E065.format(source=article.source, doc_id=article.id), source=article.source, doc_id=article.id)
        )
        return "conflict"

    def problem(self, problem: Problem) -> None:
        self.codes[problem.code] += 1
        self.counts["warnings" if problem.severity == "warning" else "skipped"] += 1
        self.on_problem(problem)

    def article(self, article: Article) -> None:
        self.counts["articles"] += 1

    def add(self, article: Article, analysis: Analysis, vectors: np.ndarray) -> None:
        record = ShardRecord(
            id=article.id, sha1=article.sha1, date=article.date, url=article.url, outlet=article.outlet, source=article.source, analysis=analysis
        )
        self.buffer.append((record, vectors))
        self.counts["processed"] += 1
        self.statements += len(analysis.statements)
        self.findings_within += len(analysis.findings)
        self.mismatches_within += sum(f.verdict == "mismatch" for f in analysis.findings)
        if len(self.buffer) >= self.job.shard_size:
            self.flush()

    def progress(self) -> None:
        self.on_progress(self.counts["processed"] + self.counts["already_done"] + self.counts["skipped"])

    def flush(self) -> None:
        if not self.buffer:
            return
        records = [r for r, _ in self.buffer]
        dim = self.corpus.vectors.dim
        vectors = np.concatenate([v.reshape(-1, dim) for _, v in self.buffer]) if self.buffer else np.zeros((0, dim), np.float32)
        self.out.write_shard(records, vectors)
        _merge(self.corpus, records, vectors)
        self.buffer = []
        self.shards_written += 1
        self._dirty = True
        if time.monotonic() - self._saved >= self.job.index_save_seconds:
            self._save()

    def _save(self) -> None:
        save_index(self.corpus, self.job.index)
        self._saved = time.monotonic()
        self._dirty = False

    # -- the end
    def finish(self) -> tuple[BatchSummary, list[Finding]]:
        self.flush()
        if self._dirty:
            self._save()
        cross = check_corpus(self.checker, self.corpus)
        self.out.write_text("findings.jsonl", "".join(f.model_dump_json() + "\n" for f in cross))
        seconds = time.monotonic() - self.started
        summary = BatchSummary(
            engine=self.engine,
            files=self.files,
            articles=self.counts["articles"],
            processed=self.counts["processed"],
            already_done=self.counts["already_done"],
            skipped=self.counts["skipped"],
            warnings=self.counts["warnings"],
            problems=dict(sorted(self.codes.items())),
            shards_written=self.shards_written,
            statements=self.statements,
            findings_within=self.findings_within,
            mismatches_within=self.mismatches_within,
            findings_cross=len(cross),
            index_documents=len(self.corpus.documents),
            index_statements=len(self.corpus),
            seconds=round(seconds, 3),
            articles_per_second=round(self.counts["processed"] / seconds, 2) if seconds > 0 else 0.0,
            output=str(self.job.output),
            index=str(self.job.index),
        )
        self.out.write_text("summary.json", summary.model_dump_json(indent=2) + "\n")
        return summary, cross


def _merge(corpus: CorpusIndex, records: Sequence[ShardRecord], vectors: np.ndarray) -> None:
    """Add a shard's documents to ``corpus`` with the shard's own vectors (no model needed).

    The index keeps each article's text, date and statements — what cross-article checking
    reads; sentences, entities, quotes and findings stay in the shards. That halves the memory
    of a large index (measured: 0.30 → 0.12 MB per document of 36 statements), which is what
    keeps a 10,000-article run under 4 GB.
    """
    row: dict[str, int] = {}
    n = 0
    for r in records:
        for s in r.analysis.statements:
            row[s.id] = n
            n += 1
    slim = (r.analysis.model_copy(update={"sentences": (), "entities": (), "quotes": (), "findings": ()}) for r in records)
    corpus.add(slim, lambda statements: vectors[[row[s.id] for s in statements]])


def check_corpus(checker: Checker, corpus: CorpusIndex) -> list[Finding]:
    """Cross-article findings over ``corpus``, from the vectors stored in the index (no re-embedding)."""
    judge, memo = _memo(checker)
    memo.reset()
    actions = [i for i, s in enumerate(corpus.statements) if s.kind == "action"]
    if actions:
        memo.prime([event_text(corpus.statements[i]) for i in actions], _stored_vectors(corpus, actions))
    findings = judge.check_index(corpus)
    memo.reset()
    return findings


def _stored_vectors(corpus: CorpusIndex, ids: Sequence[int]) -> np.ndarray:
    return corpus.vectors.vectors(ids)


# ------------------------------------------------------------------------------ the local engine

_WORKER: Checker | None = None


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


def _init_worker(model: str, config: Config) -> None:
    global _WORKER
    _WORKER = Checker(model=model, config=config)


def _structure_in_worker(article: Article) -> Analysis | Problem:
    assert _WORKER is not None  # set by the pool initializer
    return structure_one(_WORKER, article)


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
    sink = Sink(job, checker, engine="local" if job.workers else "single", files=len(paths), on_problem=on_problem, on_progress=on_progress)
    chunks = _chunks(admitted(iter_articles(paths), sink), job.embed_batch)

    def finish(chunk: list[Article], structured: list[Analysis | Problem]) -> None:
        ok = [(a, s) for a, s in zip(chunk, structured) if isinstance(s, Analysis)]
        for s in structured:
            if isinstance(s, Problem):
                sink.problem(s)
        results = embed_and_judge(checker, [s for _, s in ok])
        for (article, _), result in zip(ok, results):
            if isinstance(result, Exception):
                sink.problem(_failed(article, result))
            else:
                sink.add(article, *result)
        sink.progress()

    with faiss_threads(1):
        if job.workers == 0:
            for chunk in chunks:
                finish(chunk, [structure_one(checker, a) for a in chunk])
        else:
            _with_workers(job, chunks, finish)
        return sink.finish()


def _with_workers(job: BatchJob, chunks: Iterator[list[Article]], finish: Callable[[list[Article], list], None]) -> None:
    # spawn, not fork: the parent holds torch and its threads, which must not be forked. A pool
    # whose worker dies raises BrokenProcessPool instead of hanging (unlike multiprocessing.Pool).
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(job.workers, mp_context=context, initializer=_init_worker, initargs=(job.model, job.config)) as pool:
        pending = None
        for chunk in chunks:
            results = pool.map(_structure_in_worker, chunk, chunksize=max(1, len(chunk) // (job.workers * 4)))
            if pending is not None:
                finish(pending[0], list(pending[1]))  # embed batch k while the workers structure batch k+1
            pending = (chunk, results)
        if pending is not None:
            finish(pending[0], list(pending[1]))
