"""Guards of a batch run: a time limit per article, workers that die with their parent, one run per output.

- :func:`deadline` raises :class:`ArticleTimeout` in the running code after a number of seconds
  (``SIGALRM``; Python checks for signals between bytecodes and inside the regex engine, so a
  runaway pattern is stopped too). It only works in a process's main thread — where the local
  engine's workers and its single-process mode run articles — and is a no-op elsewhere.
- :func:`die_with_parent` makes a worker process exit when the process that started it dies,
  even by ``kill -9`` (Linux ``PR_SET_PDEATHSIG``, and a watchdog thread as a fallback):
  a ``ProcessPoolExecutor`` worker would otherwise wait on its task queue for a long time.
- :class:`OutputLock` holds an exclusive ``flock`` on ``DIR/.lock`` (and beside a separate
  index) for the run, so two runs never write one output folder or index at once; the kernel
  drops it when the process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from quotecheck.errors import Errors, InputError

__all__ = ["ArticleTimeout", "deadline", "die_with_parent", "OutputLock", "DEFAULT_ARTICLE_TIMEOUT"]

#: Seconds one article may spend in the model-free extraction before it is skipped (E083). A
#: 1 MB article takes about 2 s here and a 50 MB one a few minutes: five minutes only catches
#: runaway input. 0 disables the limit.
DEFAULT_ARTICLE_TIMEOUT = 300.0
#: How often the fallback watchdog looks whether the parent is still there (seconds).
_WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


class ArticleTimeout(Exception):
    """Raised inside an article's processing when its time limit is over."""


def _expire(signum, frame) -> None:
    raise ArticleTimeout()


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ArticleTimeout` in the block once ``seconds`` have passed (0/None: no limit)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def die_with_parent(parent_pid: int) -> None:
    """Make this process exit as soon as ``parent_pid`` is gone (call it first thing in a worker)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watchdog below does it
        pass
    if os.getppid() != parent_pid:  # the parent died before the line above ran
        os._exit(1)

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            threading.Event().wait(_WATCH_SECONDS)

    threading.Thread(target=watch, name="quotecheck-parent-watch", daemon=True).start()


class OutputLock:
    """Exclusive locks for a run: ``output/.lock``, and ``.<index>.lock`` beside an index kept
    elsewhere (``--index``, which several outputs may share). E089 when another run holds one."""

    def __init__(self, output: Path | None, index: Path | None = None) -> None:
        self.files = [Path(output) / ".lock"] if output is not None else []
        if index is not None:
            index = Path(index).resolve()
            if output is None or index.parent != Path(output).resolve():
                self.files.append(index.parent / f".{index.name}.lock")
        self._fds: list[int] = []

    def __enter__(self) -> OutputLock:
        import fcntl

        for file in self.files:
            folder = file.parent
            if folder.exists() and not folder.is_dir():
                self.__exit__()
                raise InputError(Errors.E066.format(path=folder, reason="it is a file"), path=str(folder))
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(file, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                os.close(fd)
                self.__exit__()
                raise InputError(Errors.E089.format(path=folder), path=str(folder)) from err
            self._fds.append(fd)
        return self

    def __exit__(self, *exc: object) -> None:
        while self._fds:
            os.close(self._fds.pop())  # closing the descriptor releases the lock
