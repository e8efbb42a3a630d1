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
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date as _date
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from quotecheck.io.paths import DEFAULT_MAX_BYTES, expand_paths, read_limited, special_kind, utf16_kind
from quotecheck.errors import Errors

__all__ = ["Article", "Problem", "iter_articles", "expand_corpus_inputs", "content_hash", "CORPUS_SUFFIXES", "JSONL_SUFFIXES"]

#: Suffixes of JSON Lines files (one article per line); every other input file is one article.
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: What a directory or a glob pattern given as input contributes.
CORPUS_SUFFIXES = (".txt", *JSONL_SUFFIXES)
#: Bytes of a .txt file looked at for NUL bytes (a binary file is not an article).
_BINARY_PROBE = 65536
#: Bytes at the start of a JSON Lines file looked at for UTF-16.
_UTF16_PROBE = 4096


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


def iter_articles(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Problem]:
    """Articles and problems of every file in ``paths`` (already expanded), in order, streamed.

    ``max_bytes`` bounds a ``.txt`` file and a JSON Lines line (E085); files that are not regular
    (a FIFO, a device) are skipped (E084), so no input can block the run or fill the memory.
    """
    for path in paths:
        try:
            kind = special_kind(path)
        except OSError as err:
            yield Problem(code="E064", message=Errors.E064.format(source=path, reason=err.strerror or err), source=path)
            continue
        if kind is not None:
            yield Problem(code="E084", message=Errors.E084.format(source=path, kind=kind), source=path)
        elif Path(path).suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, max_bytes)
        else:
            yield from _read_txt(path, max_bytes)


def _read_txt(path: str, max_bytes: int) -> Iterator[Article | Problem]:
    doc_id = Path(path).stem
    try:
        with open(path, "rb") as fh:
            data = read_limited(fh, max_bytes)
    except OSError as err:
        yield Problem(code="E064", message=Errors.E064.format(source=path, reason=err.strerror or err), source=path, doc_id=doc_id)
        return
    if data is None:
        yield Problem(code="E085", message=Errors.E085.format(source=path, what="the file", limit=max_bytes), source=path, doc_id=doc_id)
        return
    utf16 = utf16_kind(data)
    if utf16 is not None:
        yield Problem(code="E086", message=Errors.E086.format(source=path, which=utf16), source=path, doc_id=doc_id)
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


def _lines(handle, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of a binary file; None for a line longer than ``max_bytes`` (read past, not kept)."""
    number = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # the rest of the oversized line, dropped block by block
            yield number, None
        else:
            yield number, raw


def _read_jsonl(path: str, max_bytes: int) -> Iterator[Article | Problem]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; binary so one bad line cannot stop the file
    except OSError as err:
        yield Problem(code="E064", message=Errors.E064.format(source=path, reason=err.strerror or err), source=path)
        return
    with handle:
        utf16 = utf16_kind(handle.read(_UTF16_PROBE))
        if utf16 is not None:
            yield Problem(code="E086", message=Errors.E086.format(source=path, which=utf16), source=path)
            return
        handle.seek(0)
        for number, raw in _lines(handle, max_bytes):
            where = f"{path}:{number}"
            if raw is None:
                yield Problem(code="E085", message=Errors.E085.format(source=where, what=f"line {number}", limit=max_bytes), source=path, line=number)
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                yield Problem(code="E062", message=Errors.E062.format(source=where, position=err.start), source=path, line=number)
                continue
            try:
                record = json.loads(line)
            except RecursionError:  # '[[[[…' 100,000 deep: Python's parser recurses per level
                yield Problem(code="E081", message=Errors.E081.format(source=path, line=number, limit=sys.getrecursionlimit()), source=path, line=number)
                continue
            except ValueError as err:  # JSONDecodeError, or an integer of more than 4,300 digits
                reason = err.msg if isinstance(err, json.JSONDecodeError) else str(err).splitlines()[0][:120]
                yield Problem(code="E060", message=Errors.E060.format(source=path, line=number, reason=reason), source=path, line=number)
                continue
            reason = _not_an_article(record)
            if reason:
                doc_id = str(record.get("id")) if isinstance(record, dict) and record.get("id") is not None else None
                yield Problem(code="E061", message=Errors.E061.format(source=path, line=number, reason=reason), source=path, line=number, doc_id=doc_id)
                continue
            surrogate = _unpaired_surrogate(record)
            if surrogate is not None:
                field, position, code = surrogate
                yield Problem(
                    code="E082", message=Errors.E082.format(source=path, line=number, field=field, code=code, position=position),
                    source=path, line=number,
                )
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unpaired_surrogate(record: dict) -> tuple[str, int, int] | None:
    """(field, position, code point) of the first lone surrogate in a string field, if any.

    JSON may escape one (``"\\ud800"``) and Python decodes it, but it is no character: the text
    could not be written out again as UTF-8 or JSON, so the line is refused where it is read.
    """
    for key in ("id", "text", "date", "url", "outlet"):
        value = record.get(key)
        if isinstance(value, str):
            m = _SURROGATE.search(value)
            if m:
                return key, m.start(), ord(m.group(0))
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
