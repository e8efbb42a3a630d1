"""The rule extractor's patterns as data: regular expressions and word sets read from text files.

``lexicon/quote_patterns.tsv`` holds one regular expression a line (``NAME<TAB>FLAGS<TAB>PATTERN``;
``{weekdays}`` and ``{months}`` stand for the calendar words of :mod:`quotecheck.lexicon`), and
``lexicon/quote_words.txt`` the word sets (a ``NAME:`` line, then its words; ``NAME::``, then one entry a line). Both are read and
compiled once, on first import; code reads ``P.NAME`` (a compiled pattern) and ``W.NAME`` (a
frozenset). Editing a pattern never touches code, and a test checks every name is used.
"""

from __future__ import annotations

import re
from importlib.resources import files
from types import SimpleNamespace

from quotecheck.lexicon import MONTHS, WEEKDAYS

__all__ = ["P", "W", "load_patterns", "load_words"]

_FLAGS = {"I": re.I, "S": re.S, "M": re.M, "X": re.X}


def load_patterns(raw: str) -> dict[str, re.Pattern[str]]:
    """``NAME -> compiled pattern`` from the text of a patterns file."""
    out: dict[str, re.Pattern[str]] = {}
    calendar = {"weekdays": "|".join(WEEKDAYS), "months": "|".join(MONTHS)}
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, flags, pattern = line.split("\t", 2)
        value = 0
        for letter in flags.strip("-"):
            value |= _FLAGS[letter]
        for key, words in calendar.items():
            pattern = pattern.replace("{" + key + "}", words)
        out[name] = re.compile(pattern, value)
    return out


def load_words(raw: str) -> dict[str, frozenset[str]]:
    """``NAME -> frozenset of words`` from the text of a word-sets file."""
    out: dict[str, set[str]] = {}
    current: set[str] | None = None
    whole_lines = False
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.endswith(":") and " " not in line:
            whole_lines = line.endswith("::")
            current = out.setdefault(line.rstrip(":"), set())
        elif current is not None:
            current.update([line.strip()] if whole_lines else line.split())
    return {k: frozenset(v) for k, v in out.items()}


def _read(name: str) -> str:
    return files("quotecheck.lexicon").joinpath(name).read_text(encoding="utf-8")

P = SimpleNamespace(**load_patterns(_read("quote_patterns.tsv")))
W = SimpleNamespace(**load_words(_read("quote_words.txt")))
