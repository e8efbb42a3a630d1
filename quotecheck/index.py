"""Vector and corpus indexes: statements in faiss, metadata beside them in JSON Lines.

``VectorIndex`` is exact (``IndexFlatIP`` on unit vectors = cosine) while small and switches
to HNSW past ``approx_threshold`` vectors. ``CorpusIndex`` keeps every analysed document's
statements so that a new text can be checked against what was said or done before.
faiss is imported on first use, never at ``import quotecheck``.

Determinism (issue 12): the same statements added in the same order give the same index and
the same neighbours, whichever engine built it and however often the run was interrupted.
HNSW levels are drawn from a hash of each vector's position instead of faiss's random
generator (whose state a saved index does not keep), the graph is built on one thread, and
:meth:`CorpusIndex.neighbours` re-ranks faiss's candidates by their exact float64 cosine with
ties in index order (document order, then the statement's place in its document).

On disk (``to_disk`` / ``from_disk``, :mod:`quotecheck.indexfile`): every file is checked
against ``meta.json`` before use, so a damaged index is refused with a numbered error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from quotecheck import indexfile
from quotecheck.errors import Errors, IndexStoreError
from quotecheck.models import Analysis, Statement

if TYPE_CHECKING:
    import faiss

__all__ = ["VectorIndex", "CorpusIndex", "DEFAULT_APPROX_THRESHOLD"]

#: Past this many vectors the exact index is rebuilt as HNSW. Measured (bench/bench_index.py,
#: 384-d, one faiss thread per query): exact single-query median 1.25 ms at 20k, 1.91 ms at 30k,
#: 2.7 ms at 40k, so exact search leaves the 2 ms budget just past 30k; 25k keeps ~20% headroom
#: for a loaded machine. Below it exact search is fast enough and has recall 1.
DEFAULT_APPROX_THRESHOLD = 25_000
#: HNSW links per node. At 10^5 (two --tune runs), M=16/efC=100 gives recall@10 0.989 at
#: ef=64 in 0.25 ms, M=32/efC=40 0.984 in 0.31 ms and M=32/efC=100 0.994 in 0.36 ms: per unit
#: of recall M=16 is as fast or faster, its graph is half the size (+9% over the vectors instead
#: of ~+17%), and build times on this shared 2-core machine overlap (21-40 s vs 17-30 s vs 65-79 s).
_HNSW_M = 16
#: Candidate list while building: 100 instead of faiss's 40 buys recall at every efSearch
#: (0.966 → 0.989 at ef=64, 10^5) for ~1.7x the build time.
_HNSW_EF_CONSTRUCTION = 100
#: Candidate list per query, by index size: (up to this many vectors, efSearch). Recall at a
#: fixed efSearch falls as the graph grows (ef=128: recall@10 0.998 at 10^5, 0.931 at 10^6), so
#: efSearch grows with it. Measured: 10^5 ef=96 recall 0.996, 0.36 ms; 10^6 ef=256 0.960,
#: 0.65 ms; ef=384 0.986, 1.04 ms; ef=512 0.995, 1.54 ms (median, one thread, load ~6 on
#: 2 cores). 400k is not measured: 256 is what 10^6 needs for 0.95, so it is a safe bound.
_HNSW_EF_SEARCH: tuple[tuple[int, int], ...] = ((150_000, 96), (400_000, 256), (sys.maxsize, 512))
#: Seed of the hash that gives each vector position its HNSW level (any fixed value will do).
_LEVEL_SEED = 0x5EED_0F_1E7E15
#: Candidates faiss proposes per query before the exact re-ranking: HNSW gets twice the number
#: asked for (its recall@64 at efSearch 96 is above 0.99 at 10^5), the flat index exactly k.
_HNSW_CANDIDATE_FACTOR = 2
#: Candidates beyond k the flat (exact) index proposes, to see whether the k-th place is a tie.
_FLAT_EXTRA = 8
#: Cosines closer than this are re-ranked as possible ties: faiss's float32 scores can differ
#: from the exact float64 ones by a few units in the 7th decimal.
_SCORE_SLACK = 1e-6
#: When the k-th and the last candidate still tie, more are fetched (doubling) up to this many
#: per query; past it, copies of one vector beyond the first few thousand are left out.
_MAX_CANDIDATES = 4096
#: Queries re-ranked per numpy block (bounds the gathered candidate vectors to ~30 MB).
_RERANK_BLOCK = 256


def _ef_search(n: int) -> int:
    """efSearch for an HNSW index holding ``n`` vectors."""
    return next(ef for limit, ef in _HNSW_EF_SEARCH if n <= limit)


def _faiss():
    import faiss

    return faiss


def _levels(first: int, n: int, probas: np.ndarray) -> np.ndarray:
    """HNSW levels (faiss counts them from 1) of vector positions ``first … first + n - 1``.

    Drawn like faiss's ``HNSW::random_level`` from the level probabilities, but from a hash of
    the position (splitmix64) instead of a generator: a saved index does not store the
    generator's state, so levels drawn from it after a reload differ from an uninterrupted run.
    """
    with np.errstate(over="ignore"):
        z = np.arange(first, first + n, dtype=np.uint64) + np.uint64(_LEVEL_SEED)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    level = np.searchsorted(np.cumsum(probas), u, side="right")
    return np.minimum(level, len(probas) - 1).astype(np.int32) + 1


class _one_thread:
    """faiss on one OpenMP thread inside the block: a multi-threaded HNSW build is not deterministic."""

    def __enter__(self) -> None:
        faiss = _faiss()
        self.before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)

    def __exit__(self, *exc: object) -> None:
        _faiss().omp_set_num_threads(self.before)


class VectorIndex:
    """Unit vectors with integer ids; inner-product search returns cosine clipped to [-1, 1]."""

    def __init__(self, dim: int, *, approx_threshold: int = DEFAULT_APPROX_THRESHOLD) -> None:
        self.dim = dim
        self.approx_threshold = approx_threshold
        self._index: faiss.Index = self._flat()

    def _flat(self) -> faiss.Index:
        faiss = _faiss()
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    def _hnsw(self) -> faiss.Index:
        faiss = _faiss()
        inner = faiss.IndexHNSWFlat(self.dim, _HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = _HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = _ef_search(0)
        return faiss.IndexIDMap2(inner)

    def _inner(self):
        return _faiss().downcast_index(self._index.index)

    def _tune_search(self) -> None:
        """Set efSearch for the current size (a search-time knob: follows the code, not the file)."""
        inner = self._inner()
        if hasattr(inner, "hnsw"):
            inner.hnsw.efSearch = _ef_search(len(self))

    @property
    def approximate(self) -> bool:
        return "HNSW" in type(self._inner()).__name__

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def _add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add to faiss; HNSW gets its levels preset (see :func:`_levels`) and one thread."""
        inner = self._inner()
        if not hasattr(inner, "hnsw"):
            self._index.add_with_ids(vectors, ids)
            return
        hnsw = inner.hnsw
        if hnsw.levels.size() != inner.ntotal:  # pragma: no cover - faiss keeps one level per vector
            raise IndexStoreError(Errors.E072.format(path="index", reason="HNSW levels do not match the vectors"))
        probas = _faiss().vector_to_array(hnsw.assign_probas)
        for level in _levels(int(inner.ntotal), len(vectors), probas):
            hnsw.levels.push_back(int(level))
        with _one_thread():
            self._index.add_with_ids(vectors, ids)

    def add(self, vectors: np.ndarray, ids: Iterable[int]) -> None:
        """Add rows of ``vectors`` under ``ids``; rebuilds as HNSW when the size passes the threshold."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        id_array = np.ascontiguousarray(np.fromiter(ids, dtype=np.int64))
        if len(id_array) != len(vectors):
            raise ValueError("one id per vector")
        if not len(vectors):
            return
        if not self.approximate and len(self) + len(vectors) > self.approx_threshold:
            old_ids = _faiss().vector_to_array(self._index.id_map).astype(np.int64)
            old = np.ascontiguousarray(self.rows()).copy()
            self._index = self._hnsw()
            if len(old_ids):
                self._add(old, old_ids)
        self._add(vectors, id_array)
        if self.approximate:
            self._tune_search()

    def search(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """The ``k`` nearest ids per query row as (id, cosine); faiss's -1 padding is dropped."""
        queries = self._queries(queries)
        if not len(self) or not len(queries) or k <= 0:
            return [[] for _ in range(len(queries))]
        scores, ids = self._index.search(queries, min(k, len(self)))
        scores = np.clip(scores, -1.0, 1.0)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i != -1] for row_ids, row_scores in zip(ids, scores)]

    def _queries(self, queries: np.ndarray) -> np.ndarray:
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if queries.ndim == 1:
            queries = queries.reshape(1, -1)
        if queries.ndim != 2 or (queries.shape[1] != self.dim and queries.size):
            raise IndexStoreError(Errors.E077.format(have=self.dim, want=queries.shape[-1]))
        return queries.reshape(-1, self.dim)

    def rows(self) -> np.ndarray:
        """The stored vectors as an (n, dim) float32 array in position order (a view, not a copy).

        Positions are the ids (``CorpusIndex`` adds vector i under id i; ``from_disk`` checks it).
        """
        return indexfile.stored_rows(self._index)

    def ids(self) -> np.ndarray:
        """The id of each stored vector, in position order."""
        return indexfile.stored_ids(self._index)

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        """The stored vectors of ``ids`` (flat and HNSW indexes both reconstruct by id)."""
        rows = [self._index.reconstruct(int(i)) for i in ids]
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, self.dim), np.float32)

    def to_disk(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @classmethod
    def from_disk(cls, path: Path, *, approx_threshold: int = DEFAULT_APPROX_THRESHOLD) -> VectorIndex:
        """The vectors in ``path``, checked as every index file is (:func:`indexfile.read_vectors`)."""
        return cls.from_faiss(indexfile.read_vectors(Path(path)), approx_threshold=approx_threshold)

    @classmethod
    def from_faiss(cls, index, *, approx_threshold: int = DEFAULT_APPROX_THRESHOLD) -> VectorIndex:
        """Around a checked faiss ``IndexIDMap2``, its search tuned for its size."""
        self = cls(index.d, approx_threshold=approx_threshold)
        self._index = index
        self._tune_search()
        return self


class CorpusIndex:
    """Statements of many documents: faiss vectors + ``statements.jsonl`` + ``documents.jsonl``.

    Loaded from disk, the statements and documents are parsed on first use only (see
    :mod:`quotecheck.indexfile`): a rerun that finds nothing new to check never parses them.
    """

    FORMAT = indexfile.FORMAT

    def __init__(self, encoder_name: str, dim: int) -> None:
        self.encoder_name = encoder_name
        self.vectors = VectorIndex(dim)
        self._statements: list[Statement] | None = []
        self._documents: dict[str, Analysis] | None = {}
        self._lazy = None  # set by from_disk: parses the JSON Lines files on first use
        self.path: Path | None = None
        #: SHA-256 of the files as last read or written (the findings cache keys on them).
        self.digests: dict[str, str] = {}

    # -- contents, parsed on first use
    def _load(self) -> None:
        if self._lazy is not None:
            lazy, self._lazy = self._lazy, None
            self._statements, self._documents = lazy.parse()

    @property
    def statements(self) -> list[Statement]:
        self._load()
        return self._statements  # type: ignore[return-value]

    @property
    def documents(self) -> dict[str, Analysis]:
        self._load()
        return self._documents  # type: ignore[return-value]

    def document_ids(self) -> set[str]:
        """Ids of the indexed documents (cheap: parses no document)."""
        if self._lazy is not None:
            return set(self._lazy.document_ids)
        return set(self.documents)

    def __len__(self) -> int:
        return len(self.vectors)

    def add(self, analyses: Iterable[Analysis], vectors_of) -> int:
        """Add documents not yet indexed; ``vectors_of(statements)`` embeds them. Returns how many were added."""
        added = 0
        documents, statements = self.documents, self.statements
        for analysis in analyses:
            if analysis.doc_id in documents:
                continue
            documents[analysis.doc_id] = analysis.model_copy(update={"findings": ()})
            new = list(analysis.statements)
            if new:
                first = len(statements)
                vectors = np.ascontiguousarray(vectors_of(new), dtype=np.float32).reshape(len(new), -1)
                self._check_vectors(vectors)
                self.vectors.add(vectors, range(first, first + len(new)))
                statements.extend(new)
            added += 1
        if added:
            self.digests = {}
        return added

    def _check_vectors(self, vectors: np.ndarray) -> None:
        """Refuse what would damage the index: another dimension, NaN or infinite values."""
        if vectors.shape[1] != self.vectors.dim:
            raise IndexStoreError(Errors.E077.format(have=self.vectors.dim, want=vectors.shape[1]))
        if not np.isfinite(vectors).all():
            raise IndexStoreError(Errors.E072.format(path=self.path or "index", reason="a new vector holds NaN or infinity"))

    def neighbours(self, vectors: np.ndarray, k: int) -> list[list[tuple[Statement, float]]]:
        """For each query row, the ``k`` nearest indexed statements with their cosine, nearest first.

        Exact and deterministic: faiss proposes candidates (the flat index exactly, HNSW past the
        switch twice as many as asked), their cosine is recomputed in float64 from the stored
        vectors, and equal cosines are ordered by position in the index — document order, then
        the statement's place in its document. When the k-th and the last candidate tie (within
        float32 noise), more candidates are fetched, so faiss's own order never decides a tie.
        """
        queries = self.vectors._queries(vectors)
        if not len(self) or not len(queries) or k <= 0:
            return [[] for _ in range(len(queries))]
        statements = self.statements
        return [[(statements[i], s) for i, s in row] for row in self._ranked(queries, k)]

    def _ranked(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        n = len(self)
        k = min(k, n)
        # more than k, so that a tie at the k-th place shows (the last candidate ties with it)
        fetch = min(n, k * _HNSW_CANDIDATE_FACTOR if self.vectors.approximate else k + _FLAT_EXTRA)
        rows = self.vectors.rows()
        out: list[list[tuple[int, float]]] = [[] for _ in range(len(queries))]
        todo = np.arange(len(queries))
        while len(todo):
            again = []
            for start in range(0, len(todo), _RERANK_BLOCK):
                block = todo[start : start + _RERANK_BLOCK]
                _, ids = self._search(queries[block], fetch)
                for q, cand in zip(block, ids):
                    cand = cand[cand >= 0]
                    exact = (rows[cand].astype(np.float64) * queries[q].astype(np.float64)).sum(axis=1)
                    order = np.lexsort((cand, -exact))
                    cand, exact = cand[order], exact[order]
                    if fetch < min(n, _MAX_CANDIDATES) and len(cand) == fetch and exact[k - 1] - exact[-1] <= _SCORE_SLACK:
                        again.append(q)  # the tie may go on past what was fetched
                        continue
                    out[q] = [(int(i), float(np.clip(s, -1.0, 1.0))) for i, s in zip(cand[:k], exact[:k])]
            todo = np.array(again, dtype=np.int64)
            fetch = min(n, _MAX_CANDIDATES, fetch * 2)
        return out

    def _search(self, queries: np.ndarray, fetch: int) -> tuple[np.ndarray, np.ndarray]:
        return self.vectors._index.search(queries, fetch)  # HNSW searches with max(efSearch, fetch)

    def stats(self) -> dict[str, object]:
        kinds = [s.kind for s in self.statements]
        return {
            "documents": len(self.documents),
            "statements": len(self.statements),
            "intentions": kinds.count("intention"),
            "actions": kinds.count("action"),
            "approximate": self.vectors.approximate,
            "model": self.encoder_name,
            "dim": self.vectors.dim,
        }

    def to_disk(self, path: str | os.PathLike[str]) -> None:
        """Write the index folder; each file is written to a temporary name, then renamed."""
        self.digests = indexfile.write(Path(path), model=self.encoder_name, dim=self.vectors.dim, vectors=self.vectors.to_disk,
                                       statements=self.statements, documents=self.documents.values())
        self.path = Path(path)

    @classmethod
    def from_disk(cls, path: str | os.PathLike[str]) -> CorpusIndex:
        """Open the index folder at ``path``; a damaged or foreign one raises ``IndexStoreError``."""
        parts = indexfile.read(Path(path))
        corpus = cls(parts.model, parts.dim)
        corpus.vectors = VectorIndex.from_faiss(parts.vectors)
        corpus.path, corpus.digests = parts.folder, dict(parts.digests)
        if parts.lazy is not None:
            corpus._statements = corpus._documents = None
            corpus._lazy = parts.lazy
        else:
            corpus._statements, corpus._documents = parts.statements, parts.documents
        return corpus
