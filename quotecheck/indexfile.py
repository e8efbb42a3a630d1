"""The corpus index folder on disk: written atomically, checked before use, parsed lazily.

Layout::

    INDEX/meta.json         {"format": 1, "model", "dim", "statements", "documents", "sha256": {file: hex}}
    INDEX/vectors.faiss     faiss IndexIDMap2 (flat or HNSW, inner product); vector i under id i
    INDEX/statements.jsonl  one Statement per line, in index order
    INDEX/documents.jsonl   one slim Analysis per line (text, date, statements), in the order added

Every file is written to a temporary name and renamed; ``meta.json`` comes last. Reading checks,
and refuses with a numbered error (``IndexStoreError``, exit 2 in the CLI):

- ``meta.json`` is a JSON object with ``format`` (one this version reads, E071), ``model``,
  ``dim`` and ``statements`` of the right types (E070);
- ``vectors.faiss`` reads, is an inner-product index of ``dim`` dimensions holding
  ``statements`` vectors under ids 0…n-1, every one finite and of at most unit length (E072);
- the JSON Lines files: when their SHA-256 digests match ``meta.json`` they are exactly what
  quotecheck wrote, and are parsed on first use only (a rerun with nothing new never parses
  them, which is what makes resuming cheap). Otherwise (an index written before digests, or an
  edited file) every line is validated now (E073) and the files are cross-checked: the counts
  agree, every statement names an indexed document and the documents' statements are the
  statement file in order (E031).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from pydantic import ValidationError

from quotecheck.errors import Errors, IndexStoreError
from quotecheck.models import Analysis, Statement

__all__ = ["read", "write", "read_vectors", "stored_ids", "stored_rows", "IndexParts", "FORMAT", "META", "FILES"]

#: The folder format this version writes and reads.
FORMAT = 1

META = "meta.json"
VECTORS, STATEMENTS, DOCUMENTS = "vectors.faiss", "statements.jsonl", "documents.jsonl"
FILES = (META, VECTORS, STATEMENTS, DOCUMENTS)
#: A stored vector may be this much longer than unit length (float32 rounding of a normalised vector).
_NORM_SLACK = 1e-3
#: Rows checked per numpy block when scanning the stored vectors.
_SCAN_ROWS = 65536
_DOC_PREFIX = b'{"doc_id":'


def _error(template: str, folder: Path, **fields: object) -> IndexStoreError:
    return IndexStoreError(template.format(path=folder, **fields), path=str(folder))


# ------------------------------------------------------------------------------ writing


def write(folder: Path, *, model: str, dim: int, vectors: Callable[[Path], None], statements: Iterable[Statement],
          documents: Iterable[Analysis]) -> dict[str, str]:
    """Write an index into ``folder``: ``vectors(path)`` writes the faiss file, then the JSON Lines
    files, ``meta.json`` (with their digests) last. Returns the files' SHA-256 digests."""
    folder.mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}
    with _atomic(folder / VECTORS) as tmp:
        vectors(tmp)
        digests[VECTORS] = _file_digest(tmp)
    counts = {"statements": 0, "documents": 0}

    def lines(items: Iterable, key: str) -> Iterator[str]:
        for item in items:
            counts[key] += 1
            yield item.model_dump_json()

    with _atomic(folder / STATEMENTS) as tmp, open(tmp, "wb") as fh:
        digests[STATEMENTS] = _write_lines(fh, lines(statements, "statements"))
    with _atomic(folder / DOCUMENTS) as tmp, open(tmp, "wb") as fh:
        digests[DOCUMENTS] = _write_lines(fh, lines(documents, "documents"))
    meta = {"format": FORMAT, "model": model, "dim": dim, **counts, "sha256": {name: digests[name] for name in (STATEMENTS, DOCUMENTS)}}
    with _atomic(folder / META) as tmp:
        tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return digests


def _write_lines(fh: IO[bytes], lines: Iterator[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        data = (line + "\n").encode("utf-8")
        digest.update(data)
        fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


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


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class IndexParts:
    """What an index folder holds, checked: the index builds itself from these (``CorpusIndex.from_disk``).

    ``lazy`` is set when the JSON Lines files are exactly what quotecheck wrote (their digests match):
    they are parsed on first use; otherwise ``statements`` and ``documents`` were parsed and cross-checked now.
    """

    folder: Path
    model: str
    dim: int
    vectors: Any  # a faiss IndexIDMap2, checked by read_vectors
    digests: dict[str, str]
    statements: list[Statement] | None = None
    documents: dict[str, Analysis] | None = None
    lazy: _Lazy | None = None


def read(folder: Path) -> IndexParts:
    """The parts of the index in ``folder``, checked as the module docstring says."""
    meta = _meta(folder)
    for name in (VECTORS, STATEMENTS, DOCUMENTS):
        if not (folder / name).is_file():
            raise _error(Errors.E030, folder, reason=f"missing {name}")
    vectors = read_vectors(folder / VECTORS, folder=folder, dim=meta["dim"], count=meta["statements"])
    statements_digest = _file_digest(folder / STATEMENTS)
    documents_digest, document_ids = _scan_documents(folder / DOCUMENTS)
    digests = {VECTORS: _file_digest(folder / VECTORS), STATEMENTS: statements_digest, DOCUMENTS: documents_digest}
    parts = {"folder": folder, "model": meta["model"], "dim": meta["dim"], "vectors": vectors, "digests": digests}
    claimed = meta.get("sha256") or {}
    trusted = claimed.get(STATEMENTS) == statements_digest and claimed.get(DOCUMENTS) == documents_digest
    if trusted and document_ids is not None:
        if meta.get("documents", len(document_ids)) != len(document_ids):
            raise _error(Errors.E031, folder, reason=f"meta.json counts {meta['documents']} documents, documents.jsonl holds {len(document_ids)}")
        return IndexParts(**parts, lazy=_Lazy(folder, document_ids, meta["statements"]))
    statements, documents = _parse(folder)
    _cross_check(folder, meta, statements, documents)
    return IndexParts(**parts, statements=statements, documents=documents)


def _meta(folder: Path) -> dict:
    path = folder / META
    if not path.is_file():
        if not folder.is_dir():
            raise _error(Errors.E030, folder, reason="no such folder")
        raise _error(Errors.E030, folder, reason=f"missing {META}")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        raise _error(Errors.E070, folder, reason=f"not readable JSON: {str(err).splitlines()[0][:120]}") from err
    if not isinstance(meta, dict):
        raise _error(Errors.E070, folder, reason=f"it is a JSON {type(meta).__name__}, not an object")
    if "format" not in meta:
        raise _error(Errors.E070, folder, reason="no 'format'")
    if meta["format"] != FORMAT or isinstance(meta["format"], bool):
        raise _error(Errors.E071, folder, have=meta["format"], want=FORMAT)
    for key, kind, test in (
        ("model", "a non-empty string", lambda v: isinstance(v, str) and bool(v)),
        ("dim", "a positive whole number", lambda v: _whole(v) and v > 0),
        ("statements", "a whole number", lambda v: _whole(v) and v >= 0),
    ):
        if key not in meta:
            raise _error(Errors.E070, folder, reason=f"no {key!r}")
        if not test(meta[key]):
            raise _error(Errors.E070, folder, reason=f"{key!r} is {meta[key]!r}, not {kind}")
    if "documents" in meta and not (_whole(meta["documents"]) and meta["documents"] >= 0):
        raise _error(Errors.E070, folder, reason=f"'documents' is {meta['documents']!r}, not a whole number")
    if "sha256" in meta and not (isinstance(meta["sha256"], dict) and all(isinstance(v, str) for v in meta["sha256"].values())):
        raise _error(Errors.E070, folder, reason="'sha256' is not an object of file digests")
    return meta


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def stored_ids(index) -> np.ndarray:
    """The id of each vector of a faiss ``IndexIDMap2``, in position order."""
    import faiss

    return faiss.vector_to_array(index.id_map).astype(np.int64)


class _Rows(np.ndarray):
    """A view of a faiss index's memory that keeps the index alive (``owner``) as long as it lives."""

    owner: object = None


def stored_rows(index) -> np.ndarray:
    """The vectors of a flat or HNSW ``IndexIDMap2`` as an (n, dim) float32 view in position order.

    The view holds the index: read after the index's last other reference is gone, a bare view
    of faiss memory would read freed memory (seen as one vector of infinite length)."""
    import faiss

    inner = faiss.downcast_index(index.index)
    storage = faiss.downcast_index(inner.storage) if hasattr(inner, "hnsw") else inner
    n = int(storage.ntotal)
    if not n:
        return np.zeros((0, index.d), np.float32)
    rows = faiss.rev_swig_ptr(storage.get_xb(), n * index.d).reshape(n, index.d).view(_Rows)
    rows.owner = index
    return rows


def read_vectors(path: Path, *, folder: Path | None = None, dim: int | None = None, count: int | None = None):
    """The faiss index in ``path``, checked: quotecheck's id-mapped flat or HNSW inner-product
    index whose graph covers its vectors, every vector finite and of at most unit length; with
    ``dim`` and ``count`` (an index folder's meta.json), of that size under ids 0…count-1."""
    import faiss

    where = folder or path
    try:
        index = faiss.read_index(str(path))
    except (RuntimeError, TypeError, MemoryError) as err:
        reason = str(err).strip().splitlines()[-1][:160] if str(err).strip() else type(err).__name__
        raise _error(Errors.E072, where, reason=f"faiss cannot read it: {reason}") from err
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else None
    if inner is None or type(inner).__name__ not in ("IndexFlatIP", "IndexFlat", "IndexHNSWFlat"):
        kind = type(index).__name__ + (f" of {type(inner).__name__}" if inner is not None else "")
        raise _error(Errors.E072, where, reason=f"a {kind}, not quotecheck's id-mapped flat or HNSW index")
    if index.metric_type != faiss.METRIC_INNER_PRODUCT:
        raise _error(Errors.E072, where, reason="its metric is not the inner product")
    if dim is not None and index.d != dim:
        raise _error(Errors.E072, where, reason=f"its vectors have {index.d} dimensions, meta.json says {dim}")
    n = int(index.ntotal)
    if count is not None and n != count:
        raise _error(Errors.E031, where, reason=f"vector and statement counts differ ({n} vectors, meta.json counts {count} statements)")
    if hasattr(inner, "hnsw") and inner.hnsw.levels.size() != n:
        raise _error(Errors.E072, where, reason="its HNSW graph does not cover its vectors")
    ids = stored_ids(index)
    if len(ids) != n:
        raise _error(Errors.E072, where, reason=f"{len(ids)} ids for {n} vectors")
    if count is not None and n and not np.array_equal(ids, np.arange(n, dtype=np.int64)):
        bad = next(i for i, v in enumerate(ids) if v != i)
        raise _error(Errors.E072, where, reason=f"ids must be 0…{n - 1} in order; position {bad} holds id {ids[bad]}")
    rows = stored_rows(index)
    for start in range(0, n, _SCAN_ROWS):
        block = rows[start : start + _SCAN_ROWS]
        finite = np.isfinite(block).all(axis=1)
        if not finite.all():
            raise _error(Errors.E072, where, reason=f"vector {start + int(np.argmin(finite))} holds NaN or infinity")
        norms = np.linalg.norm(block.astype(np.float64), axis=1)
        if (norms > 1 + _NORM_SLACK).any():
            i = int(np.argmax(norms))
            raise _error(Errors.E072, where, reason=f"vector {start + i} has length {norms[i]:.3g}, not a unit vector")
    return index


def _scan_documents(path: Path) -> tuple[str, list[str] | None]:
    """SHA-256 of documents.jsonl and its document ids read from each line's start (None when a
    line does not start the way quotecheck writes it: the file is then parsed in full)."""
    digest = hashlib.sha256()
    ids: list[str] | None = []
    decoder = json.JSONDecoder()
    with open(path, "rb") as fh:
        for raw in fh:
            digest.update(raw)
            if ids is None or not raw.strip():
                continue
            if not raw.startswith(_DOC_PREFIX):
                ids = None
                continue
            try:
                doc_id, _ = decoder.raw_decode(raw[len(_DOC_PREFIX) : len(_DOC_PREFIX) + 4096].decode("utf-8", "replace"))
            except ValueError:
                ids = None
                continue
            if isinstance(doc_id, str):
                ids.append(doc_id)
            else:
                ids = None
    return digest.hexdigest(), ids


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="strict") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                yield number, line


def _parse_file(folder: Path, name: str, parse: Callable[[str], object]) -> list:
    out = []
    try:
        for number, line in _lines(folder / name):
            try:
                out.append(parse(line))
            except (ValidationError, ValueError, RecursionError) as err:
                reason = str(err).splitlines()[0][:160] if str(err) else type(err).__name__
                raise _error(Errors.E073, folder, file=name, reason=f"line {number}: {reason}") from err
    except UnicodeDecodeError as err:
        raise _error(Errors.E073, folder, file=name, reason=f"not UTF-8 (byte {err.start})") from err
    return out


def _parse(folder: Path) -> tuple[list[Statement], dict[str, Analysis]]:
    statements = _parse_file(folder, STATEMENTS, Statement.model_validate_json)
    documents: dict[str, Analysis] = {}
    for analysis in _parse_file(folder, DOCUMENTS, Analysis.model_validate_json):
        if analysis.doc_id in documents:
            raise _error(Errors.E031, folder, reason=f"document {analysis.doc_id!r} appears twice in documents.jsonl")
        documents[analysis.doc_id] = analysis
    return statements, documents


def _cross_check(folder: Path, meta: dict, statements: list[Statement], documents: dict[str, Analysis]) -> None:
    if len(statements) != meta["statements"]:
        raise _error(Errors.E031, folder, reason=f"statements.jsonl holds {len(statements)} statements, meta.json counts {meta['statements']}")
    if "documents" in meta and meta["documents"] != len(documents):
        raise _error(Errors.E031, folder, reason=f"documents.jsonl holds {len(documents)} documents, meta.json counts {meta['documents']}")
    for s in statements:
        if s.doc_id not in documents:
            raise _error(Errors.E031, folder, reason=f"statement {s.id!r} names document {s.doc_id!r}, which documents.jsonl does not hold")
    listed = [s.id for a in documents.values() for s in a.statements]
    if listed != [s.id for s in statements]:
        raise _error(Errors.E031, folder, reason="the documents' statements are not those of statements.jsonl, in order")


class _Lazy:
    """The JSON Lines files of a verified index, parsed when the statements or documents are first used."""

    def __init__(self, folder: Path, document_ids: list[str], statements: int) -> None:
        self.folder = folder
        self.document_ids = document_ids
        self.count = statements

    def parse(self) -> tuple[list[Statement], dict[str, Analysis]]:
        statements, documents = _parse(self.folder)
        if len(statements) != self.count or list(documents) != self.document_ids:
            raise _error(Errors.E031, self.folder, reason="the files changed while the index was open")
        return statements, documents
