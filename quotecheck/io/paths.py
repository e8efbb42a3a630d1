"""User paths: expanding them (files as given, directories and glob patterns as the files they
hold) and reading them safely (regular files only, a size limit, UTF-16 recognised)."""

from __future__ import annotations

import glob
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from quotecheck.errors import Errors, InputError

__all__ = ["expand_paths", "parse_size", "special_kind", "read_limited", "utf16_kind", "DEFAULT_MAX_BYTES"]


def expand_paths(paths: Sequence[str], suffixes: tuple[str, ...], *, empty: str, stdin: bool = False, missing_ok: bool = False) -> list[str]:
    """Files named by ``paths``, in order and without repeats.

    Files stay as given; a directory becomes its files with one of ``suffixes`` (recursively,
    sorted); a glob pattern (``'articles/**/*.txt'``, for shells that do not expand it) becomes
    the matching files. A directory or pattern with no such file raises ``InputError`` with the
    numbered message ``empty``. ``-`` is kept when ``stdin``; any other missing path is kept when
    ``missing_ok`` (the reader reports it) and raises [E010] otherwise. A path that exists but is
    neither a file nor a directory (a FIFO, /dev/zero) is kept for the reader to refuse.
    """
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if (stdin and raw == "-") or p.is_file():
            out.append(raw)
            continue
        if p.exists() and not p.is_dir():  # a FIFO or a device: kept, so that reading it names what it is
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


# ------------------------------------------------------------------------------ reading safely

#: Largest input read by default (bytes): a 50 MB text goes through; /dev/zero or a runaway
#: file stops here instead of eating the memory. ``--max-bytes`` changes it.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_SIZE = re.compile(r"\s*(\d+)\s*([KMG]?)(?:i?B)?\s*", re.I)
#: Bytes looked at to tell UTF-16 without a byte-order mark (every other byte NUL).
_SNIFF = 4096


def parse_size(value: str) -> int:
    """Bytes of '1000', '64K', '50M' or '2G' (powers of 1024); ValueError otherwise."""
    m = _SIZE.fullmatch(value)
    if m is None:
        raise ValueError(value)
    return int(m.group(1)) * _UNITS[m.group(2).upper()]


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is when it is not a regular file ('a FIFO', 'a character device', …), else None.

    Only regular files are read: a FIFO blocks its reader forever, /dev/zero never ends.
    """
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    for test, kind in (
        (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def read_limited(fh: BinaryIO, limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``fh``; None when there are more."""
    data = fh.read(limit + 1)
    return None if len(data) > limit else data


def utf16_kind(data: bytes) -> str | None:
    """How ``data`` looks like UTF-16 ('with a byte-order mark', 'little-endian without a
    byte-order mark', …), or None: a BOM, or a NUL in nearly every other byte of its start."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        return "with a byte-order mark"
    head = data[:_SNIFF]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd >= 0.4 * pairs and even <= 0.05 * pairs:
        return "little-endian, without a byte-order mark"
    if even >= 0.4 * pairs and odd <= 0.05 * pairs:
        return "big-endian, without a byte-order mark"
    return None
