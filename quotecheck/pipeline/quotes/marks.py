"""Quote marks: pairing marks into regions paragraph by paragraph, and a content's kind.

:func:`mark_quotes` reads a text's quote marks once: a same-length copy (``QuoteMarks.norm``)
where the doubled single marks of some wires (``''``) and the single marks of British quotes
(``'It is over,' she said``; ``‘…’``) read as double marks — the double marks inside a British
quote read as single ones — and the regions paired on it. Every reader of quote marks (the rule
patterns, the tagger's tokens and features, a content's kind) reads that one copy, so British
quotes are quotes everywhere and the marks are paired once per text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from quotecheck.config import Config
from quotecheck.models import Span
from quotecheck.pipeline.quotes.patterns import P
from quotecheck.pipeline.segment import Segmentation

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
#: What may stand right before an opening single mark: a paragraph start, a space, a bracket, a dash, a colon.
_SINGLE_BEFORE = set("([{—–-:/“\"")
#: Elisions that open with an apostrophe and are no quote: 'em, 'til, 'cause, rock 'n' roll, the '90s.
_ELISION = re.compile(r"(?:n[’']|em\b|til\b|cause\b|cos\b|tis\b|twas\b|bout\b|\d\ds?\b|\d0s\b)", re.I)


@dataclass(frozen=True)
class QuoteMarks:
    """A text's quote marks, read once: ``norm`` (same length, every quote mark a double one) and
    the ``regions`` paired on it."""

    norm: str
    regions: list[QuoteRegion]


def mark_quotes(text: str, seg: Segmentation, config: Config) -> QuoteMarks:
    """Normalise the marks of ``text`` (module docstring) and pair them into regions, once."""
    norm = _normalise_marks(text)
    double = _regions(norm, seg, config)
    if "'" not in norm and "‘" not in norm and "’" not in norm:
        return QuoteMarks(norm, double)
    pairs = _single_pairs(norm, seg, double)
    if not pairs:
        return QuoteMarks(norm, double)
    chars = list(norm)
    swap_in = {"“": "‘", "”": "’", '"': "'"}
    for pieces in pairs:
        for open_at, close_at in pieces:
            chars[open_at] = "“" if norm[open_at] == "‘" else '"'
            end = close_at if close_at is not None else next(
                (p.end for p in seg.paragraphs if p.start <= open_at < p.end), len(norm))
            if close_at is not None:
                chars[close_at] = "”" if norm[close_at] == "’" else '"'
            for k in range(open_at + 1, end):
                if norm[k] in swap_in:
                    chars[k] = swap_in[norm[k]]
    out = "".join(chars)
    assert len(out) == len(text)
    return QuoteMarks(out, _regions(out, seg, config))


def normalise_marks(text: str, seg: Segmentation, config: Config | None = None) -> str:
    """Same-length copy of ``text`` where doubled single marks and British single quote marks
    read as double marks (and double marks inside a British quote as single ones)."""
    return mark_quotes(text, seg, config or Config()).norm


def _opens_single(text: str, pos: int, para_start: int) -> bool:
    before = text[pos - 1] if pos > para_start else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return (before.isspace() or before in _SINGLE_BEFORE or pos == para_start) and (after.isalnum() or after in "“\"(…$£") and not (
        _ELISION.match(text, pos + 1)
    )


def _closes_single(text: str, pos: int, para_end: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < para_end else ""
    if before.isspace():
        return False
    return before in ",.!?…—-" or after == "" or after in ",.;:!?)—–" or (after.isspace() and before in "”\"")


def _single_pairs(text: str, seg: Segmentation, regions: list[QuoteRegion]) -> list[list[tuple[int, int | None]]]:
    """British quotes: pairs of single marks outside double-mark regions, per paragraph; a quote
    left open at a paragraph end continues when the next paragraph opens with a single mark (the
    multi-paragraph convention) and is dropped otherwise (an apostrophe is likelier than a quote
    that never closes)."""
    double = sorted(piece for r in regions for piece in r.pieces)
    starts = [a for a, _ in double]

    def in_double(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < double[i][1]

    out: list[list[tuple[int, int | None]]] = []
    carry: list[tuple[int, int | None]] = []
    for p_index, para in enumerate(seg.paragraphs):
        open_at: int | None = None
        if carry:
            if text[para.start] in "‘'" and not in_double(para.start):
                open_at = para.start
            else:
                carry = []
        pos = para.start + (1 if open_at is not None else 0)
        while True:
            m = _SINGLE.search(text, pos, para.end)
            if m is None:
                break
            pos = m.start()
            if in_double(pos):
                pos += 1
                continue
            ch = text[pos]
            if open_at is None:
                if ch in "‘'" and _opens_single(text, pos, para.start):
                    open_at = pos
            elif ch in "’'" and _closes_single(text, pos, para.end):
                out.append(carry + [(open_at, pos)])
                carry, open_at = [], None
            pos += 1
        if open_at is not None:
            next_para = seg.paragraphs[p_index + 1] if p_index + 1 < len(seg.paragraphs) else None
            if next_para is not None and text[next_para.start] in "‘'" and text[para.end - 1] in ".!?…—":
                carry.append((open_at, None))
            else:
                carry = []
    return out


_SINGLE = re.compile("[‘’']")


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
    """The quote regions of ``text`` (:func:`mark_quotes`; British quotes included)."""
    return mark_quotes(text, seg, config).regions


def _regions(text: str, seg: Segmentation, config: Config | None) -> list[QuoteRegion]:
    """Pair double quote marks paragraph by paragraph; never let one open mark swallow the text.

    A mark left open at the end of a paragraph continues into the next paragraph only when that
    paragraph opens with a quote mark (the news convention); otherwise the quote closes at the
    paragraph end and is marked ``closed=False``. ``text`` is normalised already.
    """
    max_chars = config.max_quote_chars if config is not None else Config().max_quote_chars
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
                and length < max_chars
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


_SINGLE_QUOTED = re.compile(r"(?:(?<=^)|(?<=[\s(—–:]))[‘'](?!(?:n[’']|em\b|til\b|\d))(.+?)[’'](?=[\s,.;:!?)—–]|$)", re.S)


def content_kind(text: str, content: tuple[Span, ...], *, norm: str | None = None) -> str:
    """direct (all inside quote marks), mixed (some), or indirect (none); ``''`` counts as a mark,
    and so do British single marks (read from ``norm``, the text of :func:`mark_quotes`, when given;
    else from a content that a single-mark quotation opens or closes)."""
    if norm is not None:
        joined = " ".join(norm[s.start : s.end] for s in content)
    else:
        joined = " ".join(_SINGLE_QUOTED.sub(lambda m: "“" + m.group(1) + "”", _normalise_marks(s.text)) for s in content)
    if not any(ch in joined for ch in DOUBLE_OPEN + DOUBLE_CLOSE + '"'):
        return "indirect"
    # per line: a quote reopened on each paragraph leaves its mark open at every paragraph end
    outside = " ".join(re.sub(r"[“\"«„][^”\"»]*[”\"»]?", " ", line) for line in joined.split("\n"))
    if P.WORD.search(outside):
        return "mixed"
    return "direct"
