"""Streaming corpus input: ``.txt`` files and JSON Lines files with one article per line.

:func:`iter_articles` yields :class:`Article` records one at a time (a JSON Lines file is read
line by line, never whole) and a :class:`Problem` for every bad input — a malformed JSON line,
a line that is not an article, a file that is not UTF-8, an empty article — with the file, the
line number and the article id when known, so a run can log it, count it and go on.

A ``.txt`` file is one article whose id is the file name without its suffix; a JSON Lines
line is ``{"id", "text", "date"?, "url"?, "outlet"?}`` (without an id, the id is the text's
hash). Every article carries the SHA-1 of its text, which with the id keys resumable runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date as _date
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from quotecheck.io.paths import expand_paths
from quotecheck.errors import Errors

__all__ = ["Article", "Problem", "iter_articles", "expand_corpus_inputs", "content_hash", "CORPUS_SUFFIXES", "JSONL_SUFFIXES"]

#: Suffixes of JSON Lines files (one article per line); every other input file is one article.
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: What a directory or a glob pattern given as input contributes.
CORPUS_SUFFIXES = (".txt", *JSONL_SUFFIXES)
#: Bytes of a .txt file looked at for NUL bytes (a binary file is not an article).
_BINARY_PROBE = 65536


class Article(BaseModel):
    """One article to analyse; ``source`` names where it came from (``file`` or ``file:line``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    text: str
    sha1: str
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    source: str


class Problem(BaseModel):
    """Bad input met while reading: logged with its place, counted, and (for errors) skipped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    message: str
    source: str
    line: int | None = None
    doc_id: str | None = None
    severity: Literal["error", "warning"] = "error"


def content_hash(text: str) -> str:
    """SHA-1 hex digest of the UTF-8 text: with the id, what marks an article as done."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def expand_corpus_inputs(paths: Sequence[str]) -> list[str]:
    """Files named by ``paths``: files as given, directories as their ``*.txt``/``*.jsonl`` files
    (recursively, sorted), glob patterns as the corpus files they match. A missing file is an
    error (E010), and so is a directory or pattern holding no corpus file (E069): both are usage
    mistakes found before any work starts.
    """
    return expand_paths(paths, CORPUS_SUFFIXES, empty=Errors.E069)


def iter_articles(paths: Iterable[str]) -> Iterator[Article | Problem]:
    """Articles and problems of every file in ``paths`` (already expanded), in order, streamed."""
    for path in paths:
        if Path(path).suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path)
        else:
            yield from _read_txt(path)


def _read_txt(path: str) -> Iterator[Article | Problem]:
    doc_id = Path(path).stem
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        yield Problem(code="E064", message=Errors.E064.format(source=path, reason=err.strerror or err), source=path, doc_id=doc_id)
        return
    if b"\x00" in data[:_BINARY_PROBE]:
        yield Problem(code="E064", message=Errors.E064.format(source=path, reason="binary file: it contains NUL bytes"), source=path, doc_id=doc_id)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        yield Problem(code="E062", message=Errors.E062.format(source=path, position=err.start), source=path, doc_id=doc_id)
        return
    yield from _article(doc_id, text, None, None, None, source=path, line=None)


def _read_jsonl(path: str) -> Iterator[Article | Problem]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; binary so one bad line cannot stop the file
    except OSError as err:
        yield Problem(code="E064", message=Errors.E064.format(source=path, reason=err.strerror or err), source=path)
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                yield Problem(code="E062", message=Errors.E062.format(source=where, position=err.start), source=path, line=number)
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield Problem(code="E060", message=Errors.E060.format(source=path, line=number, reason=err.msg), source=path, line=number)
                continue
            reason = _not_an_article(record)
            if reason:
                doc_id = str(record.get("id")) if isinstance(record, dict) and record.get("id") is not None else None
                yield Problem(code="E061", message=Errors.E061.format(source=path, line=number, reason=reason), source=path, line=number, doc_id=doc_id)
                continue
            text = record["text"]
            doc_id = str(record["id"]) if record.get("id") not in (None, "") else "d" + content_hash(text)[:10]
            yield from _article(doc_id, text, record.get("date"), record.get("url"), record.get("outlet"), source=where, line=number)


def _not_an_article(record: object) -> str | None:
    if not isinstance(record, dict):
        return f"a JSON {type(record).__name__}, not an object"
    if "text" not in record:
        return "no 'text' field"
    if not isinstance(record["text"], str):
        return f"'text' is a {type(record['text']).__name__}, not a string"
    if "id" in record and record["id"] is not None and not isinstance(record["id"], str | int):
        return f"'id' is a {type(record['id']).__name__}, not a string"
    for key in ("date", "url", "outlet"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return f"{key!r} is a {type(record[key]).__name__}, not a string"
    return None


def _article(
    doc_id: str, text: str, date: str | None, url: str | None, outlet: str | None, *, source: str, line: int | None
) -> Iterator[Article | Problem]:
    path = source.rsplit(":", 1)[0] if line is not None else source
    if not text.strip():
        yield Problem(code="E063", message=Errors.E063.format(source=source, doc_id=doc_id), source=path, line=line, doc_id=doc_id)
        return
    iso = _iso_date(date)
    if date is not None and iso is None:
        yield Problem(
            code="W060", message=Errors.W060.format(source=source, doc_id=doc_id, date=date), source=path, line=line, doc_id=doc_id,
            severity="warning",
        )
    yield Article(id=doc_id, text=text, sha1=content_hash(text), date=iso, url=url, outlet=outlet, source=source)


def _iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or date-time, else None (dates are compared as strings)."""
    if not value:
        return None
    try:
        return _date.fromisoformat(value[:10]).isoformat() if len(value) == 10 else datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None
