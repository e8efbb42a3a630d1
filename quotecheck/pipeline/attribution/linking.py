"""From tagged tokens to attributions: spans per role, then cue ↔ content ↔ source links.

PolNeAR gives each attribution one cue, so the cue is the anchor: every content span joins the
cue of its paragraph nearest to it (one in the same sentence first), all contents of a cue form
that attribution's content (a split quote ``"C1," she said, "C2."`` becomes one content of two
pieces), and the cue takes the nearest source of its paragraph, one in the same sentence first.
A cue without content is dropped; a content without any cue in its paragraph is an attribution
without cue and source (the speakers stage may still find who continues speaking).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence as Seq
from dataclasses import dataclass

__all__ = ["TaggedSpan", "Link", "spans_of", "link"]


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """Tokens ``first``..``last`` (inclusive) of one paragraph tagged with ``role``; ``score`` is
    the mean marginal probability of their tags."""

    role: str
    first: int
    last: int
    sentence_first: int
    sentence_last: int
    score: float


@dataclass(frozen=True, slots=True)
class Link:
    """One attribution of a paragraph: its contents in order, its cue and source (or None)."""

    contents: tuple[TaggedSpan, ...]
    cue: TaggedSpan | None
    source: TaggedSpan | None


def spans_of(labels: Seq[str], sentences: Seq[int], scores: Seq[float]) -> list[TaggedSpan]:
    """Maximal runs of one role (``B-X I-X …``; an ``I-X`` after another role starts a run)."""
    out: list[TaggedSpan] = []
    start = None
    role = None
    for i, label in enumerate([*labels, "O"]):
        kind, _, r = label.partition("-")
        if start is not None and (kind != "I" or r != role):
            out.append(
                TaggedSpan(role, start, i - 1, sentences[start], sentences[i - 1], sum(scores[start:i]) / (i - start))  # type: ignore[arg-type]
            )
            start = None
        if kind in ("B", "I") and start is None:
            start, role = i, r
    return out


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    """Tokens between two spans (0 when adjacent)."""
    return max(b.first - a.last - 1, a.first - b.last - 1, 0)


def _same_sentence(a: TaggedSpan, b: TaggedSpan) -> bool:
    return a.sentence_first <= b.sentence_last and b.sentence_first <= a.sentence_last


def _nearest(target: TaggedSpan, candidates: Seq[TaggedSpan], firsts: Seq[int]) -> TaggedSpan | None:
    """The candidate of least (other sentence, gap, after the target): always the nearest one on
    the left or on the right, since spans are disjoint and in text order (``firsts``: their first
    tokens), so a paragraph links in linear time, not with every pair of spans."""
    i = bisect_left(firsts, target.first)
    best = None
    best_key = None
    for c in candidates[max(0, i - 1) : i + 1]:
        key = (not _same_sentence(target, c), _gap(target, c), c.first > target.first)
        if best_key is None or key < best_key:
            best, best_key = c, key
    return best


def link(spans: Seq[TaggedSpan]) -> list[Link]:
    """Group one paragraph's spans into attributions (rules in the module docstring)."""
    cues = [s for s in spans if s.role == "CUE"]
    sources = [s for s in spans if s.role == "SRC"]
    contents_of: dict[int, list[TaggedSpan]] = {}
    loose: list[TaggedSpan] = []
    cue_firsts, source_firsts = [c.first for c in cues], [s.first for s in sources]
    for c in (s for s in spans if s.role == "CON"):
        cue = _nearest(c, cues, cue_firsts)
        if cue is None:
            loose.append(c)
        else:
            contents_of.setdefault(cue.first, []).append(c)
    out = []
    for cue in cues:
        contents = contents_of.get(cue.first)
        if contents:
            out.append(Link(tuple(contents), cue, _nearest(cue, sources, source_firsts)))
    out.extend(Link((c,), None, None) for c in loose)
    out.sort(key=lambda x: x.contents[0].first)
    return out
