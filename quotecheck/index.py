"""Vector and corpus indexes: statements in faiss, metadata beside them in JSON Lines.

``VectorIndex`` is exact (``IndexFlatIP`` on unit vectors = cosine) while small and switches
to HNSW past ``approx_threshold`` vectors. ``CorpusIndex`` keeps every analysed document's
statements so that a new text can be checked against what was said or done before.
faiss is imported on first use, never at ``import quotecheck``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

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


def _ef_search(n: int) -> int:
    """efSearch for an HNSW index holding ``n`` vectors."""
    return next(ef for limit, ef in _HNSW_EF_SEARCH if n <= limit)


def _faiss():
    import faiss

    return faiss


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

    def _tune_search(self) -> None:
        """Set efSearch for the current size (a search-time knob: follows the code, not the file)."""
        inner = _faiss().downcast_index(self._index.index)
        if hasattr(inner, "hnsw"):
            inner.hnsw.efSearch = _ef_search(len(self))

    @property
    def approximate(self) -> bool:
        return "HNSW" in type(_faiss().downcast_index(self._index.index)).__name__

    def __len__(self) -> int:
        return int(self._index.ntotal)

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
            old = self._index.index.reconstruct_n(0, len(self)) if len(self) else np.zeros((0, self.dim), np.float32)
            self._index = self._hnsw()
            if len(old_ids):
                self._index.add_with_ids(np.ascontiguousarray(old), old_ids)
        self._index.add_with_ids(vectors, id_array)
        if self.approximate:
            self._tune_search()

    def search(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """The ``k`` nearest ids per query row as (id, cosine); faiss's -1 padding is dropped."""
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        if not len(self) or not len(queries) or k <= 0:
            return [[] for _ in range(len(queries))]
        scores, ids = self._index.search(queries, min(k, len(self)))
        scores = np.clip(scores, -1.0, 1.0)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i != -1] for row_ids, row_scores in zip(ids, scores)]

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        """The stored vectors of ``ids`` (flat and HNSW indexes both reconstruct by id)."""
        rows = [self._index.reconstruct(int(i)) for i in ids]
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, self.dim), np.float32)

    def to_disk(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @classmethod
    def from_disk(cls, path: Path, *, approx_threshold: int = DEFAULT_APPROX_THRESHOLD) -> VectorIndex:
        index = _faiss().read_index(str(path))
        self = cls(index.d, approx_threshold=approx_threshold)
        self._index = index
        self._tune_search()
        return self


class CorpusIndex:
    """Statements of many documents: faiss vectors + ``statements.jsonl`` + ``documents.jsonl``."""

    FORMAT = 1

    def __init__(self, encoder_name: str, dim: int) -> None:
        self.encoder_name = encoder_name
        self.vectors = VectorIndex(dim)
        self.statements: list[Statement] = []
        self.documents: dict[str, Analysis] = {}

    def __len__(self) -> int:
        return len(self.statements)

    def add(self, analyses: Iterable[Analysis], vectors_of) -> int:
        """Add documents not yet indexed; ``vectors_of(statements)`` embeds them. Returns how many were added."""
        added = 0
        for analysis in analyses:
            if analysis.doc_id in self.documents:
                continue
            self.documents[analysis.doc_id] = analysis.model_copy(update={"findings": ()})
            new = list(analysis.statements)
            if new:
                first = len(self.statements)
                self.vectors.add(vectors_of(new), range(first, first + len(new)))
                self.statements.extend(new)
            added += 1
        return added

    def neighbours(self, vectors: np.ndarray, k: int) -> list[list[tuple[Statement, float]]]:
        """For each query row, the ``k`` nearest indexed statements with their cosine."""
        return [[(self.statements[i], s) for i, s in row] for row in self.vectors.search(vectors, k)]

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
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        with _atomic(folder / "vectors.faiss") as tmp:
            self.vectors.to_disk(tmp)
        with _atomic(folder / "statements.jsonl") as tmp:
            tmp.write_text("".join(s.model_dump_json() + "\n" for s in self.statements), encoding="utf-8")
        with _atomic(folder / "documents.jsonl") as tmp:
            tmp.write_text("".join(a.model_dump_json() + "\n" for a in self.documents.values()), encoding="utf-8")
        meta = {"format": self.FORMAT, "model": self.encoder_name, "dim": self.vectors.dim, "statements": len(self)}
        with _atomic(folder / "meta.json") as tmp:
            tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | os.PathLike[str]) -> CorpusIndex:
        folder = Path(path)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            statements = [Statement.model_validate_json(line) for line in _lines(folder / "statements.jsonl")]
            documents = [Analysis.model_validate_json(line) for line in _lines(folder / "documents.jsonl")]
            vectors = VectorIndex.from_disk(folder / "vectors.faiss")
        except FileNotFoundError as err:
            raise IndexStoreError(Errors.E030.format(path=folder, reason=f"missing {Path(err.filename).name}"), path=str(folder)) from err
        except (ValueError, RuntimeError, KeyError) as err:
            raise IndexStoreError(Errors.E031.format(path=folder, reason=str(err).splitlines()[0][:200]), path=str(folder)) from err
        if len(vectors) != len(statements) or meta.get("statements") != len(statements):
            raise IndexStoreError(Errors.E031.format(path=folder, reason="vector and statement counts differ"), path=str(folder))
        self = cls(meta["model"], vectors.dim)
        self.vectors = vectors
        self.statements = statements
        self.documents = {a.doc_id: a for a in documents}
        return self


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class _atomic:
    """Context manager giving a temporary path beside ``target``; renamed over it on success."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> Path:
        fd, name = tempfile.mkstemp(prefix=".tmp-", dir=self.target.parent)
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)
