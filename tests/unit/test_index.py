"""Indexes: faiss search without padding rows, clipped cosines, save/load and incremental adds."""

import sys

import numpy as np
import pytest

from quotecheck import Checker
from quotecheck.errors import IndexStoreError
from quotecheck.index import CorpusIndex, VectorIndex
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")


def _unit(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_index_k_larger_than_index_returns_only_real_rows():
    idx = VectorIndex(8)
    idx.add(_unit(3), [10, 11, 12])
    (hits,) = idx.search(_unit(1, seed=1), k=10)
    assert sorted(i for i, _ in hits) == [10, 11, 12]


def test_index_cosine_is_clipped():
    idx = VectorIndex(8)
    v = _unit(1) * 1.0001
    idx.add(v, [0])
    ((_, score),) = idx.search(v, k=1)[0]
    assert -1.0 <= score <= 1.0


def test_index_empty_search():
    assert VectorIndex(8).search(_unit(2), k=3) == [[], []]


def test_index_switches_to_hnsw_past_threshold_and_keeps_ids():
    idx = VectorIndex(8, approx_threshold=5)
    idx.add(_unit(4), range(4))
    assert not idx.approximate
    idx.add(_unit(4, seed=3), range(4, 8))
    assert idx.approximate and len(idx) == 8
    data = _unit(4, seed=3)
    assert idx.search(data[:1], k=1)[0][0][0] == 4


def test_index_corpus_round_trip_and_incremental_add(tmp_path):
    checker = Checker(encoder=FakeEncoder())
    corpus = CorpusIndex(checker.model_path, 64)
    first = checker.structure("Acme said it would close the plant.", date="2024-01-01")
    assert checker.index_add(corpus, [first]) == 1
    corpus.to_disk(tmp_path / "idx")
    loaded = CorpusIndex.from_disk(tmp_path / "idx")
    assert loaded.stats() == corpus.stats()
    second = checker.structure("Acme closed the plant in May.", date="2024-06-01")
    assert checker.index_add(loaded, [second, first]) == 1  # the first is already there
    findings = checker.check_index(loaded)
    assert [(f.verdict, f.actor_name) for f in findings] == [("consistent", "Acme")]


def test_index_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(IndexStoreError, match=r"\[E030\]"):
        CorpusIndex.from_disk(tmp_path / "nothing")


def test_index_loaded_hnsw_uses_current_ef_search(tmp_path):
    import faiss

    from quotecheck import index as qindex

    idx = VectorIndex(8, approx_threshold=0)
    idx.add(_unit(50), range(50))
    faiss.downcast_index(idx._index.index).hnsw.efSearch = 7  # as saved by an older version
    idx.to_disk(tmp_path / "v.faiss")
    loaded = VectorIndex.from_disk(tmp_path / "v.faiss")
    assert loaded.approximate
    assert faiss.downcast_index(loaded._index.index).hnsw.efSearch == qindex._ef_search(50)


def test_index_hnsw_is_built_with_the_module_parameters():
    import faiss

    from quotecheck import index as qindex

    idx = VectorIndex(8, approx_threshold=0)
    idx.add(_unit(10), range(10))
    hnsw = faiss.downcast_index(idx._index.index).hnsw
    assert (hnsw.efConstruction, hnsw.efSearch) == (qindex._HNSW_EF_CONSTRUCTION, qindex._ef_search(10))
    assert hnsw.nb_neighbors(1) == qindex._HNSW_M


def test_index_ef_search_grows_with_size(monkeypatch):
    import faiss

    from quotecheck import index as qindex

    monkeypatch.setattr(qindex, "_HNSW_EF_SEARCH", ((5, 16), (10, 32), (sys.maxsize, 64)))
    idx = VectorIndex(8, approx_threshold=0)
    efs = []
    for start in (0, 5, 10):
        idx.add(_unit(5, seed=start), range(start, start + 5))
        efs.append(faiss.downcast_index(idx._index.index).hnsw.efSearch)
    assert efs == [16, 32, 64]


def test_index_vectors_returns_stored_rows_by_id():
    idx = VectorIndex(8)
    data = _unit(3)
    idx.add(data, [5, 6, 7])
    np.testing.assert_allclose(idx.vectors([7, 5]), data[[2, 0]], atol=1e-6)
