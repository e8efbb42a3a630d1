"""A progress bar on standard error for runs over many files; silent when stderr is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "MIN_ITEMS"]

#: Runs over fewer files than this finish too fast for a bar to help.
MIN_ITEMS = 5


class Progress:
    """``with Progress(n, label="files") as bar: … bar.advance()`` draws ``[#####.....] 12/40 files``.

    Drawn only when ``stream`` is a terminal, ``quiet`` is off and there are at least
    :data:`MIN_ITEMS` items; redrawn at most ten times a second and erased at the end, so it
    never mixes with results on standard output.
    """

    def __init__(
        self, total: int, *, label: str = "files", quiet: bool = False, stream: TextIO | None = None, width: int = 30, rate: bool = False
    ) -> None:
        self.total = total
        self.rate = rate
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.done = 0
        self.enabled = not quiet and total >= MIN_ITEMS and _isatty(self.stream)
        self._started = time.monotonic()
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw(force=self.done >= self.total)

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        elapsed = now - self._started
        filled = self.width * min(self.done, self.total) // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        speed = f"  {self.done / elapsed if elapsed > 0 else 0.0:.1f}/s" if self.rate else ""
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {self.label}{speed}  {elapsed:.1f}s")
        self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
