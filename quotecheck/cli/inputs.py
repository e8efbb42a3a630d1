"""Reading user files: one clear error per kind of bad input, never a traceback."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from quotecheck.errors import Errors, InputError
from quotecheck.io.paths import DEFAULT_MAX_BYTES, expand_paths, parse_size, read_limited, special_kind, utf16_kind

__all__ = ["expand_inputs", "read_text", "max_bytes_default", "write_atomic", "write_outputs", "TEXT_SUFFIXES", "MAX_BYTES_ENV"]

#: What a directory or a glob pattern given as input contributes.
TEXT_SUFFIXES = (".txt",)


def expand_inputs(paths: Sequence[str]) -> list[str]:
    """Files named by ``paths``: files as given, directories as their ``*.txt`` files (recursively,
    sorted), glob patterns (``'articles/**/*.txt'``, for shells that do not expand them) as the text
    files they match, and ``-`` for standard input. A directory or pattern with no text file is an
    error (E042); a missing file is left for :func:`read_text` to report.
    """
    return expand_paths(paths, TEXT_SUFFIXES, empty=Errors.E042, stdin=True, missing_ok=True)


#: Environment variable with the size limit of an input (bytes, or 64K / 50M / 2G), for the
#: commands without a ``--max-bytes`` option.
MAX_BYTES_ENV = "QUOTECHECK_MAX_BYTES"


def max_bytes_default() -> int:
    """``$QUOTECHECK_MAX_BYTES`` (E088 when it is not a size), else :data:`DEFAULT_MAX_BYTES`."""
    raw = os.environ.get(MAX_BYTES_ENV)
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(raw)
    except ValueError:
        raise InputError(Errors.E088.format(value=raw)) from None


def read_text(path: str, *, max_bytes: int | None = None) -> tuple[str, str]:
    """(name, text) of a UTF-8 file, or of standard input for '-'.

    Only regular files (and '-') are read, and at most ``max_bytes`` of them (default
    :func:`max_bytes_default`): a FIFO would block and /dev/zero would never end (E078, E079).
    UTF-16 is named as such (E080).
    """
    max_bytes = max_bytes_default() if max_bytes is None else max_bytes
    if path == "-":
        data = read_limited(sys.stdin.buffer, max_bytes)
        name = "<stdin>"
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError(Errors.E011.format(path=path), path=path)
        if not p.exists():
            raise InputError(Errors.E010.format(path=path), path=path)
        try:
            kind = special_kind(p)
            if kind is not None:
                raise InputError(Errors.E078.format(path=path, kind=kind), path=path)
            size = p.stat().st_size
            if size > max_bytes:
                raise InputError(Errors.E079.format(path=path, size=size, limit=max_bytes), path=path)
            with open(p, "rb") as fh:
                data = read_limited(fh, max_bytes)
        except OSError as err:
            raise InputError(Errors.E015.format(path=path, reason=err.strerror or err), path=path) from err
        name = p.stem
    if data is None:
        raise InputError(Errors.E079.format(path=path, size=f"over {max_bytes}", limit=max_bytes), path=path)
    utf16 = utf16_kind(data)
    if utf16 is not None:
        raise InputError(Errors.E080.format(path=path, which=utf16), path=path)
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
