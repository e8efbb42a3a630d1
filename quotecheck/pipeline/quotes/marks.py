"""Quote marks: pairing double marks into regions paragraph by paragraph, and a content's kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotecheck.config import Config
from quotecheck.models import Span
from quotecheck.pipeline.quotes.patterns import P
from quotecheck.pipeline.segment import Segmentation

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"


@dataclass(frozen=True)
class QuoteRegion:
    """Text between paired quote marks; ``pieces`` are the per-paragraph parts including marks."""

    pieces: tuple[tuple[int, int], ...]
    closed: bool

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _one_mark(m: re.Match[str]) -> str:
    """One straight double mark where the pair sits, a space for the other character."""
    after = m.string[m.end()] if m.end() < len(m.string) else " "
    return '" ' if after.isalnum() or after in "$(['‘" else ' "'


def _normalise_marks(text: str) -> str:
    """Same-length copy where doubled single marks (``''``, the NYT style) read as straight double marks."""
    if "''" not in text and "``" not in text:
        return text
    norm = P.DOUBLED_SINGLE.sub(_one_mark, text)
    assert len(norm) == len(text)
    return norm


def find_quote_regions(text: str, seg: Segmentation, config: Config) -> list[QuoteRegion]:
    """Pair double quote marks paragraph by paragraph; never let one open mark swallow the text.

    A mark left open at the end of a paragraph continues into the next paragraph only when that
    paragraph opens with a quote mark (the news convention); otherwise the quote closes at the
    paragraph end and is marked ``closed=False``.
    """
    text = _normalise_marks(text)
    regions: list[QuoteRegion] = []
    carry: list[tuple[int, int]] = []
    for p_index, para in enumerate(seg.paragraphs):
        pos = para.start
        open_at: int | None = None
        if carry:
            first = text[para.start]
            if first in DOUBLE_OPEN or first == '"':
                open_at = para.start
                pos = para.start + 1
            else:
                regions.append(QuoteRegion(tuple(carry), closed=False))
                carry = []
        while pos < para.end:
            mark = _MARK.search(text, pos, para.end)  # other characters change nothing: skip them
            if mark is None:
                break
            pos = mark.start()
            ch = text[pos]
            if open_at is None:
                if ch in DOUBLE_OPEN or (ch == '"' and _opens_straight(text, pos)) or (
                    ch in DOUBLE_CLOSE and pos == para.start and _closes_later(text, pos + 1, para.end)
                ):  # '”Fear. …” ― Name': a paragraph opened with a closing mark by mistake
                    open_at = pos
            elif ch in DOUBLE_CLOSE or ch == '"':
                if ch == '"' and _opens_straight(text, pos) and not _closes_straight(text, pos):
                    pos += 1
                    continue
                carry.append((open_at, pos + 1))
                regions.append(QuoteRegion(tuple(carry), closed=True))
                carry, open_at = [], None
            elif ch in DOUBLE_OPEN and pos - open_at > 1:
                # A second opening mark before any close: the first one was stray.
                if carry:
                    regions.append(QuoteRegion(tuple(carry), closed=False))
                    carry = []
                open_at = pos
            pos += 1
        if open_at is not None:
            piece = (open_at, para.end)
            next_para = seg.paragraphs[p_index + 1] if p_index + 1 < len(seg.paragraphs) else None
            length = sum(e - s for s, e in carry) + para.end - open_at
            if (
                next_para is not None
                and text[next_para.start] in DOUBLE_OPEN + '"'
                and (text[open_at] == '"') == (text[next_para.start] == '"')  # one quoting style across paragraphs
                and length < config.max_quote_chars
            ):
                carry.append(piece)
            else:
                regions.append(QuoteRegion(tuple(carry) + (piece,), closed=False))
                carry = []
    if carry:
        regions.append(QuoteRegion(tuple(carry), closed=False))
    return regions


_MARK = re.compile("[" + DOUBLE_OPEN + DOUBLE_CLOSE + '"]')


def _closes_later(text: str, pos: int, end: int) -> bool:
    """True when a closing double mark follows in ``text[pos:end]``."""
    return any(text.find(mark, pos, end) >= 0 for mark in DOUBLE_CLOSE)


def _opens_straight(text: str, pos: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    return before.isspace() or before in "([{—–-/"


def _closes_straight(text: str, pos: int) -> bool:
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return after.isspace() or after in ".,;:!?)]}—–-"


def _merge(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping pieces."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(pieces)):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def content_kind(text: str, content: tuple[Span, ...]) -> str:
    """direct (all inside quote marks), mixed (some), or indirect (none); ``''`` counts as a mark."""
    joined = " ".join(_normalise_marks(s.text) for s in content)
    if not any(ch in joined for ch in DOUBLE_OPEN + DOUBLE_CLOSE + '"'):
        return "indirect"
    outside = re.sub(r"[“\"«„][^”\"»]*[”\"»]?", " ", joined)
    if P.WORD.search(outside):
        return "mixed"
    return "direct"
