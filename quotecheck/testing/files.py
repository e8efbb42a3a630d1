"""Reading fixture files: finding them, parsing them safely, and reporting every problem at once.

A fixture file is untrusted input (it may come with a pull request), so reading one never hangs,
never reads outside its folder and never exhausts memory or the stack:

* only regular files are read (a FIFO or ``/dev/zero`` is refused, never opened for a blocking
  read), and only up to a size limit;
* nesting deeper than :data:`MAX_DEPTH` or more than :data:`MAX_VALUES` values (YAML aliases
  expand) is refused before the case is validated ([E101], [E102]), and a parser's own
  ``RecursionError`` becomes [E101];
* a duplicate key in a YAML or JSON mapping is a problem, not a silent "last one wins";
* ``text_file`` must name a regular file inside the case file's own folder tree.

Problems of the records (fields, duplicate keys and ids, ``text_file``) are all collected and
reported in one error: [E040] for one problem, [E100] listing each when there are several.
Problems with the file as a whole (unreadable, too large, too deep) stop at once.
"""

from __future__ import annotations

import glob
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quotecheck.errors import CaseError, Errors
from quotecheck.testing.model import Case

__all__ = [
    "CASE_SUFFIXES",
    "MAX_CASE_FILE_BYTES",
    "MAX_TEXT_FILE_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "iter_case_files",
    "load_records",
    "load_cases",
]

CASE_SUFFIXES = (".qc.yaml", ".qc.yml", ".qc.json", ".qc.jsonl")
#: Suffixes accepted when a file is named explicitly (directories are searched for CASE_SUFFIXES only).
_EXPLICIT_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")

#: A JSON Lines file of thousands of cases stays far below this; a larger "fixture" is something else.
MAX_CASE_FILE_BYTES = 64 * 2**20
#: A ``text_file`` is one article (a long one is ~50 kB); 10 MB leaves room for a whole book.
MAX_TEXT_FILE_BYTES = 10 * 2**20
#: A case nests four levels (case → findings → finding → field); anything this deep is not a case.
MAX_DEPTH = 32
#: Values (scalars and collections, aliases counted each time they are used) in one record.
MAX_VALUES = 100_000


def _fail(path: Path, reason: str) -> CaseError:
    return CaseError(Errors.E040.format(path=path, reason=reason), path=str(path))


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "case"


# -- finding files ---------------------------------------------------------------------------------


def iter_case_files(paths: list[str | Path]) -> Iterator[Path]:
    """Case files under ``paths`` (files, directories or glob patterns), sorted; raises when there are none."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside = sorted(f for f in p.rglob("*") if f.name.endswith(CASE_SUFFIXES) and f.is_file())
            if not inside:
                raise CaseError(Errors.E041.format(path=p), path=str(p))
            found.extend(inside)
        elif p.is_file():
            if not p.name.endswith(_EXPLICIT_SUFFIXES):
                raise _fail(p, "not a fixture file: the name must end in .qc.yaml, .qc.json or .qc.jsonl")
            found.append(p)
        elif p.exists():
            raise CaseError(Errors.E103.format(path=p, what="the fixture", kind=_kind(p)), path=str(p))
        elif glob.has_magic(str(raw)):
            matches = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            files = [m for m in matches if m.is_file() and m.name.endswith(_EXPLICIT_SUFFIXES)]
            if not files:
                raise CaseError(Errors.E041.format(path=raw), path=str(raw))
            found.extend(files)
        else:
            raise _fail(p, "no such file or directory")
    if not found:
        raise CaseError(Errors.E041.format(path=", ".join(map(str, paths))))
    seen: set[Path] = set()
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            yield f


# -- reading safely --------------------------------------------------------------------------------


def _kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "unreadable"
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


class _NotRegular(Exception):
    pass


class _TooLarge(Exception):
    pass


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Opened non-blocking, so a FIFO returns at once; checked with ``fstat`` on the open file, so
    the file that is read is the one that was checked; read at most ``limit + 1`` bytes, so a
    file that grows while being read is still caught.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular
        if info.st_size > limit:
            raise _TooLarge
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _TooLarge
    return data


def _shape(value: Any) -> str | None:
    """'deep' or 'many' when ``value`` nests deeper than MAX_DEPTH or holds more than MAX_VALUES values."""
    stack = [(value, 1)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            return "many"
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return "deep"
            stack.extend((x, depth + 1) for x in (item.values() if isinstance(item, dict) else item))
    return None


def _check_shape(path: Path, value: Any, *, at: str = "") -> None:
    shape = _shape(value)
    if shape == "deep":
        raise CaseError(Errors.E101.format(path=path, at=at, limit=MAX_DEPTH), path=str(path))
    if shape == "many":
        raise CaseError(Errors.E102.format(path=path, at=at, limit=MAX_VALUES), path=str(path))


def _json(text: str, duplicates: list[str]) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(f"duplicate key {key!r}")
            out[key] = value
        return out

    return json.loads(text, object_pairs_hook=pairs)


def _yaml(path: Path, raw: str, duplicates: list[str]) -> Any:
    """Parse one YAML document: depth checked on the event stream first, duplicate keys collected."""
    import yaml

    depth = 0
    for event in yaml.parse(raw, Loader=yaml.SafeLoader):  # events come one by one: no recursion, no tree yet
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise CaseError(Errors.E101.format(path=path, at=f" (line {line})", limit=MAX_DEPTH), path=str(path))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
            if isinstance(node, yaml.MappingNode):
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    if isinstance(key, str | int | float | bool) or key is None:
                        if key in seen:
                            duplicates.append(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
                        seen.add(key)
            return super().construct_mapping(node, deep=deep)

    loader = Loader(raw)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _parse_error(path: Path, err: Exception) -> CaseError:
    mark = getattr(err, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark is not None else ""
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    return _fail(path, f"{where}not valid YAML ({problem})")


def load_records(path: Path, problems: list[str] | None = None) -> list[tuple[int, Any]]:
    """The raw records of a case file as (line number, parsed value); line is 1 for YAML/JSON files.

    Per-record problems (a bad JSON line, a duplicate key) are appended to ``problems`` when it is
    given, and raised at once otherwise; whole-file problems always raise.
    """
    path = Path(path)
    collect: list[str] = [] if problems is None else problems
    try:
        data = _read_regular(path, MAX_CASE_FILE_BYTES)
    except _NotRegular:
        raise CaseError(Errors.E103.format(path=path, what="the fixture", kind=_kind(path)), path=str(path)) from None
    except _TooLarge:
        raise CaseError(Errors.E104.format(path=path, what="the fixture", limit=MAX_CASE_FILE_BYTES), path=str(path)) from None
    except OSError as err:
        raise _fail(path, f"cannot read ({err.strerror or err})") from err
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _fail(path, f"not UTF-8 text (byte {err.start}); a fixture is a YAML or JSON file") from err
    if not raw.strip():
        raise _fail(path, "the file is empty; a fixture holds at least 'id' and 'text'")
    records: list[tuple[int, Any]] = []
    if path.name.endswith(".jsonl"):
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            duplicates: list[str] = []
            try:
                value = _json(line, duplicates)
            except RecursionError:
                raise CaseError(Errors.E101.format(path=path, at=f" (line {number})", limit=MAX_DEPTH), path=str(path)) from None
            except ValueError as err:
                collect.append(f"line {number}: not valid JSON ({err})")
                continue
            _check_shape(path, value, at=f" (line {number})")
            collect.extend(f"line {number}: {d}" for d in duplicates)
            records.append((number, value))
    else:
        duplicates = []
        if path.name.endswith(".json"):
            try:
                value = _json(raw, duplicates)
            except RecursionError:
                raise CaseError(Errors.E101.format(path=path, at="", limit=MAX_DEPTH), path=str(path)) from None
            except ValueError as err:
                raise _fail(path, f"not valid JSON ({err})") from err
        else:
            import yaml

            try:
                value = _yaml(path, raw, duplicates)
            except RecursionError:  # not reached after the depth check; kept as the last line of defence
                raise CaseError(Errors.E101.format(path=path, at="", limit=MAX_DEPTH), path=str(path)) from None
            except yaml.YAMLError as err:
                raise _parse_error(path, err) from err
        _check_shape(path, value)
        collect.extend(duplicates)
        records.append((1, value))
    if problems is None and collect:
        raise _problems(path, collect)
    return records


def _problems(path: Path, problems: list[str]) -> CaseError:
    if len(problems) == 1:
        return _fail(path, problems[0])
    listed = "".join(f"\n  - {p}" for p in problems)
    return CaseError(Errors.E100.format(path=path, count=len(problems), problems=listed), path=str(path))


def _text_file(path: Path, name: str) -> tuple[str | None, str | None]:
    """(text, None) of a case's ``text_file``, or (None, the problem)."""
    folder = path.parent.resolve()
    target = (path.parent / name).resolve()
    if not target.is_relative_to(folder):
        return None, f"field 'text_file': {name} is outside the fixture's folder {folder}; put the text in that folder or below it"
    try:
        data = _read_regular(target, MAX_TEXT_FILE_BYTES)
    except _NotRegular:
        return None, f"field 'text_file': {target} is {_kind(target)}, not a regular file; name a plain text file"
    except _TooLarge:
        return None, f"field 'text_file': {target} is larger than {MAX_TEXT_FILE_BYTES} bytes; give a smaller text"
    except OSError as err:
        return None, f"field 'text_file': cannot read {target} ({err.strerror or err})"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"field 'text_file': {target} is not UTF-8 text (byte {err.start})"
    if not text.strip():
        return None, f"field 'text_file': {target} is empty"
    return text, None


def load_cases(path: Path) -> list[tuple[Case, str | None]]:
    """Cases of one file as (case, resolved text_file contents or None).

    Every problem of every record is collected first and reported in one error that names the
    file, the line (JSON Lines) and the field of each: nothing is loaded from a file with a problem.
    """
    path = Path(path)
    problems: list[str] = []
    out: list[tuple[Case, str | None]] = []
    ids: set[str] = set()
    jsonl = path.name.endswith(".jsonl")
    for number, record in load_records(path, problems):
        at = f"line {number}, " if jsonl else ""
        if not isinstance(record, dict):
            got = type(record).__name__ if record is not None else "nothing"
            problems.append(f"{at}a case must be a mapping of fields (id, text, quotes, findings…), got {got}")
            continue
        try:
            case = Case(**{str(k): v for k, v in record.items()})
        except ValidationError as err:
            for e in err.errors():
                problems.append(f"{at}field '{_where(e['loc'])}': {e['msg'].removeprefix('Value error, ')}")
            continue
        if case.id in ids:
            problems.append(f"{at}field 'id': duplicate case id {case.id!r} in this file")
        ids.add(case.id)
        text = None
        if case.text_file:
            text, problem = _text_file(path, case.text_file)
            if problem:
                problems.append(at + problem)
        out.append((case, text))
    if problems:
        raise _problems(path, problems)
    return out
