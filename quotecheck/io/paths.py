"""Expanding user paths: files as given, directories and glob patterns as the files they hold."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from quotecheck.errors import Errors, InputError

__all__ = ["expand_paths"]


def expand_paths(paths: Sequence[str], suffixes: tuple[str, ...], *, empty: str, stdin: bool = False, missing_ok: bool = False) -> list[str]:
    """Files named by ``paths``, in order and without repeats.

    Files stay as given; a directory becomes its files with one of ``suffixes`` (recursively,
    sorted); a glob pattern (``'articles/**/*.txt'``, for shells that do not expand it) becomes
    the matching files. A directory or pattern with no such file raises ``InputError`` with the
    numbered message ``empty``. ``-`` is kept when ``stdin``; any other missing path is kept when
    ``missing_ok`` (the reader reports it) and raises [E010] otherwise.
    """
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if (stdin and raw == "-") or p.is_file():
            out.append(raw)
            continue
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.suffix in suffixes and f.is_file())
        elif glob.has_magic(raw):
            found = sorted(m for m in glob.glob(raw, recursive=True) if Path(m).is_file() and Path(m).suffix in suffixes)
        elif missing_ok:
            out.append(raw)
            continue
        else:
            raise InputError(Errors.E010.format(path=raw), path=raw)
        if not found:
            raise InputError(empty.format(path=raw), path=raw)
        out.extend(found)
    return list(dict.fromkeys(out))
