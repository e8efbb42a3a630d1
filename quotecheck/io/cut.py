"""Shortening text for people without cutting a word: "closed the Leeds…", never "closed the Le…".

A shortened span always ends on a whole word followed by "…"; the whole span stays in the JSON
and in the records (``io/records.py``), so nothing is lost, only not shown. Explanations written
by the judge quote spans it shortened itself; :func:`recut_quotes` moves any of those cuts that
fall inside a word back to the last whole word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ELLIPSIS", "one_line", "cut_words", "recut_quotes"]

ELLIPSIS = "…"
#: A quoted fragment the judge shortened: “…text…”.
_CUT_QUOTE = re.compile(r"“([^“”]*?)…”")
#: Characters that belong to a word: a cut between two of them splits the word.
_WORD = re.compile(r"[\w’'-]")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines too) made one space."""
    return " ".join(text.split())


def _word_end(text: str, at: int) -> int:
    """The longest prefix length ``<= at`` of ``text`` that ends a whole word (0 when none)."""
    at = min(at, len(text))
    while at > 0 and at < len(text) and _WORD.match(text[at - 1]) and _WORD.match(text[at]):
        at -= 1
    while at > 0 and not _WORD.match(text[at - 1]) and text[at - 1] not in ".!?)”\"’":
        at -= 1  # no dangling space, comma or opening mark before the "…"
    return at


def cut_words(text: str, limit: int | None) -> str:
    """``text`` on one line, at most ``limit`` characters, cut after a whole word with "…".

    ``limit`` None keeps the whole text. A first word longer than ``limit`` is kept whole
    rather than split: a reader can find a whole word in the text, not half of one.
    """
    text = one_line(text)
    if limit is None or len(text) <= limit:
        return text
    keep = _word_end(text, max(limit - 1, 0))
    if keep == 0:
        first = re.match(r"\S+", text)
        keep = first.end() if first else 0
        if keep >= len(text):
            return text
    return text[:keep] + ELLIPSIS


def recut_quotes(explanation: str, spans: Iterable[str] = ()) -> str:
    """``explanation`` with every quoted fragment that ends in "…" cut after a whole word.

    ``spans`` are the whole texts the fragments were cut from (the finding's two spans): where a
    fragment is a prefix of one and the cut falls between two words, it is kept as it is;
    otherwise it is cut back to the last whole word. Without the spans every cut is moved back,
    which may drop a word that was whole but never leaves half of one.
    """
    wholes = [one_line(s) for s in spans]

    def fix(m: re.Match[str]) -> str:
        fragment = one_line(m.group(1))
        for whole in wholes:
            if whole.startswith(fragment) and len(whole) > len(fragment):
                nxt = whole[len(fragment)]
                if not (fragment and _WORD.match(fragment[-1]) and _WORD.match(nxt)):
                    return f"“{fragment.rstrip()}{ELLIPSIS}”"
        keep = _word_end(fragment, len(fragment) - 1) if fragment and _WORD.match(fragment[-1]) else len(fragment)
        return f"“{fragment[:keep].rstrip()}{ELLIPSIS}”"

    return _CUT_QUOTE.sub(fix, explanation)
