"""The index on disk (issue 12): damage is refused with a numbered error, loading is cheap, the
HNSW graph and the neighbours are deterministic, and ties are broken by index order."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from quotecheck import Checker
from quotecheck.errors import IndexStoreError
from quotecheck.index import CorpusIndex, VectorIndex
from quotecheck.models import Analysis, Span, Statement
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

TEXTS = [
    ("Acme said it would close the plant.", "2024-01-01"),
    ("Acme closed the plant in May.", "2024-06-01"),
    ("The mayor said she would open a library.", "2024-02-01"),
]


@pytest.fixture
def index(tmp_path) -> Path:
    """A small valid index folder built with the fake encoder."""
    checker = Checker(encoder=FakeEncoder())
    corpus = CorpusIndex(checker.model_path, 64)
    checker.index_add(corpus, [checker.structure(t, date=d) for t, d in TEXTS])
    corpus.to_disk(tmp_path / "idx")
    return tmp_path / "idx"


def _meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text())


def _write_meta(folder: Path, meta: object) -> None:
    (folder / "meta.json").write_text(json.dumps(meta))


def _rewrite_vectors(folder: Path, vectors: np.ndarray, ids: np.ndarray) -> None:
    import faiss

    index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    faiss.write_index(index, str(folder / "vectors.faiss"))


def _stored(folder: Path) -> np.ndarray:
    return CorpusIndex.from_disk(folder).vectors.rows().copy()


# -- damage is refused with its own numbered error ------------------------------------------


@pytest.mark.parametrize(
    "damage, code",
    [
        (lambda f: _write_meta(f, [1, 2]), "E070"),  # a list, not an object
        (lambda f: _write_meta(f, {k: v for k, v in _meta(f).items() if k != "model"}), "E070"),
        (lambda f: _write_meta(f, {**_meta(f), "dim": "64"}), "E070"),
        (lambda f: (f / "meta.json").write_text("{not json"), "E070"),
        (lambda f: _write_meta(f, {**_meta(f), "format": 99}), "E071"),
        (lambda f: _write_meta(f, {**_meta(f), "format": "1"}), "E071"),
        (lambda f: (f / "vectors.faiss").write_bytes(b"garbage"), "E072"),
    ],
)
def test_indexfile_damaged_meta_or_faiss_file_is_refused(index, damage, code):
    damage(index)
    with pytest.raises(IndexStoreError, match=rf"\[{code}\]"):
        CorpusIndex.from_disk(index)


def test_indexfile_faiss_ids_out_of_range_are_refused(index):
    vectors = _stored(index)
    _rewrite_vectors(index, vectors, np.arange(len(vectors)) + 1000)
    with pytest.raises(IndexStoreError, match=r"\[E072\].*ids must be 0"):
        CorpusIndex.from_disk(index)


def test_indexfile_vectors_of_another_dimension_than_meta_are_refused(index):
    n = len(_stored(index))
    _rewrite_vectors(index, _unit(n, 16), np.arange(n))
    with pytest.raises(IndexStoreError, match=r"\[E072\].*16 dimensions"):
        CorpusIndex.from_disk(index)


def test_indexfile_nan_vectors_are_refused(index):
    vectors = _stored(index)
    vectors[1, 3] = np.nan
    _rewrite_vectors(index, vectors, np.arange(len(vectors)))
    with pytest.raises(IndexStoreError, match=r"\[E072\].*vector 1 holds NaN"):
        CorpusIndex.from_disk(index)


def test_indexfile_vector_count_other_than_meta_is_refused(index):
    vectors = _stored(index)
    _rewrite_vectors(index, vectors[:-1], np.arange(len(vectors) - 1))
    with pytest.raises(IndexStoreError, match=r"\[E031\]"):
        CorpusIndex.from_disk(index)


def test_indexfile_statements_of_unknown_documents_are_refused(index):
    lines = (index / "documents.jsonl").read_text().splitlines()
    (index / "documents.jsonl").write_text("\n".join(lines[1:]) + "\n")  # the first document is gone
    _write_meta(index, {k: v for k, v in _meta(index).items() if k != "documents"})  # and no count to give it away
    with pytest.raises(IndexStoreError, match=r"\[E031\].*which documents.jsonl does not hold"):
        CorpusIndex.from_disk(index)


def test_indexfile_emptied_documents_file_is_refused(index):
    (index / "documents.jsonl").write_text("")
    with pytest.raises(IndexStoreError, match=r"\[E031\]"):
        CorpusIndex.from_disk(index)


def test_indexfile_malformed_statement_line_is_refused(index):
    with open(index / "statements.jsonl", "a") as fh:
        fh.write('{"id": "x"}\n')
    with pytest.raises(IndexStoreError, match=r"\[E073\].*statements.jsonl"):
        CorpusIndex.from_disk(index)


def test_indexfile_index_of_other_dimension_than_the_model_is_refused_at_query(tmp_path):
    checker = Checker(encoder=FakeEncoder(16))
    corpus = CorpusIndex(checker.model_path, 16)
    checker.index_add(corpus, [checker.structure(t, date=d) for t, d in TEXTS])
    corpus.to_disk(tmp_path / "idx")
    loaded = CorpusIndex.from_disk(tmp_path / "idx")  # a sound 16-d index …
    with pytest.raises(IndexStoreError, match=r"\[E077\]"):
        Checker(encoder=FakeEncoder(64)).check_index(loaded)  # … queried with 64-d vectors


def test_indexfile_older_index_without_digests_is_validated_in_full(index):
    meta = _meta(index)
    del meta["sha256"], meta["documents"]
    _write_meta(index, meta)
    loaded = CorpusIndex.from_disk(index)
    assert loaded._lazy is None and len(loaded.documents) == 3


# -- loading is cheap: a verified index is parsed on first use ------------------------------


def test_indexfile_verified_index_is_parsed_on_first_use(index, monkeypatch):
    ids = set(CorpusIndex.from_disk(index).documents)
    parsed = []
    real = Statement.model_validate_json
    monkeypatch.setattr(Statement, "model_validate_json", lambda line: parsed.append(1) or real(line))
    loaded = CorpusIndex.from_disk(index)
    assert loaded.document_ids() == ids and len(loaded) > 0
    assert parsed == []  # counts and ids without parsing a statement
    assert len(loaded.statements) == len(loaded) and parsed


def test_indexfile_edited_but_consistent_file_is_validated_and_accepted(index):
    path = index / "documents.jsonl"
    path.write_text(path.read_text().replace('"2024-02-01"', '"2024-02-02"'))
    loaded = CorpusIndex.from_disk(index)
    assert loaded._lazy is None and sorted(a.date for a in loaded.documents.values()) == ["2024-01-01", "2024-02-02", "2024-06-01"]


# -- determinism -----------------------------------------------------------------------------


def _unit(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _graph(index: VectorIndex) -> np.ndarray:
    import faiss

    return faiss.vector_to_array(index._inner().hnsw.neighbors)


def test_indexfile_hnsw_graph_is_the_same_after_a_save_and_reload(tmp_path):
    data = _unit(600)
    straight = VectorIndex(16, approx_threshold=100)
    resumed = VectorIndex(16, approx_threshold=100)
    for part in (data[:200], data[200:400]):
        straight.add(part, range(len(straight), len(straight) + len(part)))
        resumed.add(part, range(len(resumed), len(resumed) + len(part)))
    resumed.to_disk(tmp_path / "v.faiss")
    resumed = VectorIndex.from_disk(tmp_path / "v.faiss", approx_threshold=100)
    for index in (straight, resumed):
        index.add(data[400:], range(400, 600))
    assert straight.approximate and np.array_equal(_graph(straight), _graph(resumed))


def _corpus(vectors: np.ndarray, *, per_doc: int = 5, threshold: int = 25_000) -> CorpusIndex:
    text = "Acme said it would close the plant."
    span = Span.of(text, 0, len(text))
    corpus = CorpusIndex("m", vectors.shape[1])
    corpus.vectors.approx_threshold = threshold
    rows = iter(range(len(vectors)))
    for d in range(len(vectors) // per_doc):
        statements = tuple(
            Statement(id=f"d{d}:s{i}", doc_id=f"d{d}", kind="intention", actor_name="Acme", predicate="close", span=span) for i in range(1, per_doc + 1)
        )
        corpus.add([Analysis(doc_id=f"d{d}", text=text, statements=statements)], lambda s: vectors[[next(rows) for _ in s]])
    return corpus


@pytest.mark.parametrize("threshold", [25_000, 100], ids=["flat", "hnsw"])
def test_indexfile_neighbours_are_the_exact_float64_ranking(threshold):
    base = _unit(60, seed=2)
    vectors = base[np.random.default_rng(3).integers(0, 60, size=500)]  # many exact copies
    corpus = _corpus(vectors, threshold=threshold)
    assert corpus.vectors.approximate == (threshold == 100)
    queries = vectors[:40]
    exact = (vectors.astype(np.float64)[None] * queries.astype(np.float64)[:, None]).sum(axis=2)
    for q, row in enumerate(corpus._ranked(queries, 12)):
        want = np.lexsort((np.arange(len(vectors)), -exact[q]))[:12]  # cosine, then index order
        assert [i for i, _ in row] == list(want)


def test_indexfile_neighbours_break_a_tie_wider_than_k_by_index_order():
    one = _unit(1, seed=5)
    vectors = np.concatenate([_unit(30, seed=6), np.repeat(one, 40, axis=0)])  # 40 copies after 30 others
    corpus = _corpus(vectors)
    (row,) = corpus.neighbours(one, 10)
    assert [s.id for s, _ in row] == [f"d{d}:s{i}" for d in (6, 7) for i in range(1, 6)]  # positions 30…39
    assert all(sim == row[0][1] for _, sim in row)


def test_indexfile_rows_stay_valid_after_the_index_is_dropped(tmp_path):
    """rows() is a view of faiss memory: it must keep the index alive, or a later read sees freed memory."""
    import gc

    data = _unit(200, 32)
    index = VectorIndex(32)
    index.add(data, range(200))
    index.to_disk(tmp_path / "v.faiss")
    rows = VectorIndex.from_disk(tmp_path / "v.faiss").rows()  # the loaded index has no other reference
    gc.collect()
    for _ in range(20):  # reuse the memory a freed index would leave
        other = VectorIndex(32)
        other.add(_unit(200, 32) * 0.5, range(200))
    assert np.allclose(rows, data, atol=1e-6)
