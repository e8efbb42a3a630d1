"""Reading user files: one clear error per kind of bad input, never a traceback."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from quotecheck.errors import Errors, InputError

__all__ = ["read_text", "write_atomic"]


def read_text(path: str) -> tuple[str, str]:
    """(name, text) of a UTF-8 file, or of standard input for '-'."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError(Errors.E011.format(path=path), path=path)
        if not p.exists():
            raise InputError(Errors.E010.format(path=path), path=path)
        try:
            data = p.read_bytes()
        except OSError as err:
            raise InputError(Errors.E015.format(path=path, reason=err.strerror or err), path=path) from err
        name = p.stem
    if b"\x00" in data[:65536]:
        raise InputError(Errors.E014.format(path=path), path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(Errors.E013.format(path=path, position=err.start), path=path) from err
    if not text.strip():
        raise InputError(Errors.E012.format(path=path), path=path)
    return name, text


def write_atomic(path: Path, content: str, *, inputs: tuple[str, ...] = ()) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it over ``path``."""
    resolved = path.resolve()
    if any(i != "-" and Path(i).resolve() == resolved for i in inputs):
        raise InputError(Errors.E018.format(path=path), path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
