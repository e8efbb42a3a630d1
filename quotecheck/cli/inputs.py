"""Reading user files: one clear error per kind of bad input, never a traceback."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from quotecheck.errors import Errors, InputError
from quotecheck.io.paths import expand_paths

__all__ = ["expand_inputs", "read_text", "write_atomic", "write_outputs", "TEXT_SUFFIXES"]

#: What a directory or a glob pattern given as input contributes.
TEXT_SUFFIXES = (".txt",)


def expand_inputs(paths: Sequence[str]) -> list[str]:
    """Files named by ``paths``: files as given, directories as their ``*.txt`` files (recursively,
    sorted), glob patterns (``'articles/**/*.txt'``, for shells that do not expand them) as the text
    files they match, and ``-`` for standard input. A directory or pattern with no text file is an
    error (E042); a missing file is left for :func:`read_text` to report.
    """
    return expand_paths(paths, TEXT_SUFFIXES, empty=Errors.E042, stdin=True, missing_ok=True)


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


def _new_file_mode(path: Path) -> int:
    """The mode ``open(path, "w")`` would give: an existing file's own, else 0666 less the umask.

    ``mkstemp`` creates its file 0600 whatever the umask, so without this every report would be
    private to its writer and unreadable by the web server or colleague it was written for.
    """
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, content: str, *, inputs: Sequence[str] = ()) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it over ``path``.

    A reader never sees a half-written file, and an existing file is left as it was when writing
    fails. The file gets the mode a plain write would give (0644 under the usual umask 022).
    """
    path = Path(path)
    resolved = path.resolve()
    if any(i != "-" and Path(i).resolve() == resolved for i in inputs):
        raise InputError(Errors.E018.format(path=path), path=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise InputError(Errors.E044.format(path=path, reason=err.strerror or err), path=str(path)) from err
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), _new_file_mode(path))
            fh.write(content)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(Errors.E044.format(path=path, reason=err.strerror or err), path=str(path)) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(folder: str, outputs: Sequence[tuple[str, str]], *, suffix: str, inputs: Sequence[str] = ()) -> list[Path]:
    """Write one file ``folder/<name><suffix>`` per (name, content), each atomically.

    Every content is rendered before this is called, so a run that fails on any input replaces
    no existing output.
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise InputError(Errors.E045.format(path=out), path=str(out))
    names = [name for name, _ in outputs]
    for name in names:
        if names.count(name) > 1:
            raise InputError(Errors.E046.format(name=name), path=str(out))
    written = []
    for name, content in outputs:
        target = out / f"{name}{suffix}"
        write_atomic(target, content, inputs=inputs)
        written.append(target)
    return written
