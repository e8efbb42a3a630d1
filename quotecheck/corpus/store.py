"""The output folder of a batch run: JSON Lines shards, their vectors, a manifest; the corpus index.

Layout of ``--output DIR``::

    DIR/manifest.jsonl          one line per finished shard: its file and the (id, sha1) of its articles
    DIR/shards/shard-00000.jsonl  one article per line: {"id", "sha1", "date", "url", "outlet", "source", "analysis"}
    DIR/shards/shard-00000.npy    float32 vectors of the shard's statements, in order (numpy's own format)
    DIR/findings.jsonl          cross-article findings of the whole index, rewritten at the end of each run
    DIR/summary.json            counts of the last run

A shard is written to a temporary name and renamed, its vectors likewise, and only then is its
manifest line appended (and flushed to disk): a crash loses at most the shard in progress, and
a rerun skips every article listed in the manifest. A shard file that the manifest does not
list (a crash between the rename and the append) is overwritten by the rerun.

The corpus index is saved as a whole folder swap (write ``INDEX.tmp-*``, move the old folder
aside, move the new one in, delete the old), so a reader or a rerun sees the old index or the
new one, never a mix; a folder left aside by a crash is taken back on the next load.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from quotecheck.errors import Errors, IndexStoreError, InputError
from quotecheck.index import CorpusIndex
from quotecheck.models import Analysis

__all__ = ["BatchOutput", "ShardRecord", "load_index", "save_index", "MANIFEST"]

MANIFEST = "manifest.jsonl"
_SHARDS = "shards"
_SHARD_NAME = re.compile(r"shard-(\d{5,})\.jsonl")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Temporary files and folders are private (0600/0700); the renamed results get the usual modes.
_FILE_MODE = 0o666 & ~_umask()
_DIR_MODE = 0o777 & ~_umask()


class ShardRecord:
    """One processed article: where it came from and its analysis (with within-article findings)."""

    __slots__ = ("id", "sha1", "date", "url", "outlet", "source", "analysis")

    def __init__(self, *, id: str, sha1: str, date: str | None, url: str | None, outlet: str | None, source: str, analysis: Analysis) -> None:
        self.id, self.sha1, self.date, self.url, self.outlet, self.source, self.analysis = id, sha1, date, url, outlet, source, analysis

    def to_json(self) -> str:
        head = json.dumps(
            {"id": self.id, "sha1": self.sha1, "date": self.date, "url": self.url, "outlet": self.outlet, "source": self.source},
            ensure_ascii=False,
        )
        return head[:-1] + ', "analysis": ' + self.analysis.model_dump_json() + "}"

    @classmethod
    def from_json(cls, line: str) -> ShardRecord:
        data = json.loads(line)
        analysis = Analysis.model_validate(data.pop("analysis"))
        return cls(**data, analysis=analysis)


def _ours(path: Path) -> bool:
    """What a run leaves before its first manifest line (killed early): dot files, the index, and
    a shards folder holding only shard files — a rerun continues there; anything else is not ours."""
    if path.name.startswith((".", "index")):
        return True
    return path.name == _SHARDS and path.is_dir() and all(p.name.startswith(("shard-", ".")) for p in path.iterdir())


class BatchOutput:
    """The ``--output`` folder: which articles are done, and where the next shard goes."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(Errors.E066.format(path=self.folder, reason="it is a file"), path=str(self.folder))
        manifest = self.folder / MANIFEST
        if self.folder.is_dir() and not manifest.exists() and any(not _ours(p) for p in self.folder.iterdir()):
            raise InputError(Errors.E066.format(path=self.folder, reason=f"it holds other files and no {MANIFEST}"), path=str(self.folder))
        (self.folder / _SHARDS).mkdir(parents=True, exist_ok=True)
        self.done: dict[str, str] = {}
        self.shards: list[tuple[str, list[str]]] = []  # (file name, article ids) per finished shard
        if manifest.exists():
            for line in manifest.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    name, articles = entry["shard"], [(str(i), str(h)) for i, h in entry["articles"]]
                except (ValueError, KeyError, TypeError, RecursionError):
                    continue  # a line torn by a crash: its shard is redone
                if not isinstance(name, str) or not _SHARD_NAME.fullmatch(name) or not (self.folder / _SHARDS / name).is_file():
                    continue  # not a shard of ours (or its file is gone): its articles are redone
                self.shards.append((name, [i for i, _ in articles]))
                self.done.update(articles)
        for stale in (self.folder / _SHARDS).glob(".*.tmp"):  # temporary files of a killed run
            stale.unlink(missing_ok=True)

    @property
    def next_shard(self) -> int:
        """One past the highest shard number listed: a shard in the manifest is never overwritten."""
        numbers = [int(_SHARD_NAME.fullmatch(name).group(1)) for name, _ in self.shards]  # type: ignore[union-attr]
        return max(numbers, default=-1) + 1

    def shard_path(self, number: int) -> Path:
        return self.folder / _SHARDS / f"shard-{number:05d}.jsonl"

    def write_shard(self, records: Sequence[ShardRecord], vectors: np.ndarray, *, lines: Sequence[bytes] | None = None) -> str:
        """Write one shard (records, or their ``lines`` serialised already, and statement vectors)
        atomically, then record it in the manifest."""
        path = self.shard_path(self.next_shard)
        data = b"".join(lines) if lines is not None else "".join(r.to_json() + "\n" for r in records).encode("utf-8")
        _write_atomic(path, lambda fh: fh.write(data))
        _write_atomic(path.with_suffix(".npy"), lambda fh: np.save(fh, np.ascontiguousarray(vectors, dtype=np.float32)))
        entry = {"shard": path.name, "articles": [[r.id, r.sha1] for r in records]}
        with open(self.folder / MANIFEST, "ab") as fh:
            if fh.tell() and not _ends_with_newline(self.folder / MANIFEST):
                fh.write(b"\n")  # a line torn by a crash must not swallow this one
            fh.write((json.dumps(entry) + "\n").encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        self.shards.append((path.name, [r.id for r in records]))
        self.done.update((r.id, r.sha1) for r in records)
        return path.name

    def iter_shards(self, names: Sequence[str]) -> Iterator[tuple[list[ShardRecord], np.ndarray]]:
        """The records and vectors of the finished shards ``names``, in order (to merge into an index)."""
        for name in names:
            path = self.folder / _SHARDS / name
            records = [ShardRecord.from_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            yield records, np.load(path.with_suffix(".npy"))

    def write_text(self, name: str, content: str) -> Path:
        target = self.folder / name
        _write_atomic(target, lambda fh: fh.write(content.encode("utf-8")))
        return target


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _write_atomic(target: Path, write) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(name, _FILE_MODE)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def load_index(path: str | os.PathLike[str]) -> CorpusIndex | None:
    """The index saved at ``path`` (None when there is none yet); finishes a swap a crash interrupted."""
    folder = Path(path)
    aside = folder.with_name(folder.name + ".old")
    if not (folder / "meta.json").exists() and (aside / "meta.json").exists():
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(aside, folder)  # the crash came between moving the old index aside and the new one in
    if not (folder / "meta.json").exists():
        if folder.exists() and any(folder.iterdir()):
            raise IndexStoreError(Errors.E030.format(path=folder, reason="no meta.json"), path=str(folder))
        return None
    return CorpusIndex.from_disk(folder)


def save_index(corpus: CorpusIndex, path: str | os.PathLike[str]) -> None:
    """Save ``corpus`` at ``path`` as one folder swap: readers see the old index or the new one."""
    folder = Path(path)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        corpus.to_disk(tmp)
        os.chmod(tmp, _DIR_MODE)
        for file in tmp.iterdir():
            os.chmod(file, _FILE_MODE)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    aside = folder.with_name(folder.name + ".old")
    if aside.exists():
        shutil.rmtree(aside)
    if folder.exists():
        os.replace(folder, aside)
    os.replace(tmp, folder)
    shutil.rmtree(aside, ignore_errors=True)
