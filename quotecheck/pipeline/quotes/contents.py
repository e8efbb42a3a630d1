"""Where a content starts and ends: complementisers, split quotes, later cues, adjunct tails."""

from __future__ import annotations

import re
from bisect import bisect_right

from quotecheck.models import Span
from quotecheck.pipeline.quotes.common import _COORDINATION_REACH_CHARS, _MAX_CUE_CLAUSE_WORDS, _NON_SPACE
from quotecheck.pipeline.quotes.patterns import P, W
from quotecheck.pipeline.quotes.phrases import _rstrip_space


def _prefix_content(text, sent: Span, prefix_end: int, regions, region_at) -> list[tuple[int, int]]:
    """Content of '"C," S said' (the quote region ending at the comma) or 'C, S said.'."""
    end = prefix_end
    while end > sent.start and text[end - 1] in ",":
        end -= 1
    start = sent.start
    r = region_at(max(sent.start, end - 1))
    if r is not None and (
        not P.WORD.search(text, sent.start, regions[r].start)
        or text[_rstrip_space(text, sent.start, regions[r].start) - 1] in ",:"
    ):
        return [p for p in regions[r].pieces if p[1] <= end + 1] or [(regions[r].start, end)]
    if P.LEAD_ADJUNCT.match(text, start, end):
        return []  # 'In a statement, S said …': the clause before the subject is an adjunct, not content
    conj = P.LEAD_CONJUNCTION.match(text, start, end) or P.DATELINE.match(text, start, end)
    if conj:
        start = conj.end()
    return [(start, end)] if end - start > 2 else []


def _following_quote(text, pos: int, sent: Span, regions, region_at) -> list[tuple[int, int]]:
    """The second piece of a quote split by its cue: '"C1," he said, "C2."'."""
    m = P.SPLIT_QUOTE_GAP.match(text, pos, sent.end + 1)
    if not m:
        return []
    r = region_at(m.end())
    return list(regions[r].pieces) if r is not None else []


def _skip_complementiser(text: str, pos: int, end: int) -> int:
    """Skip 'that', an indirect object ('told reporters that') or a short adjunct before the content."""
    window = text[pos:end]
    m = P.UP_TO_THAT.match(window, 0, 80)
    if m:
        skipped = m.group(0).split()
        # "criticised Brant's assertion that …": a possessive object is content, not an addressee
        possessive = any(w.endswith(("'s", "’s")) for w in skipped)
        if not possessive and (not skipped or P.SKIPPABLE.match(m.group(0).strip()) or (
            len(skipped) <= 3 and skipped[0].lower() not in W.PRONOUNS | W.DETERMINERS and not P.VERB_LIKE.search(m.group(0))
        )):
            return pos + m.end()  # content keeps its 'that' (the PolNeAR convention)
    m = re.match(r"\s*:?\s*", window)
    return pos + (m.end() if m else 0)


def _content_end(text: str, start: int, sent: Span, cue_starts: list[int]) -> int:
    """Indirect content runs to the end of the sentence, or to the clause of a later cue:
    the next cue's clause ('C1, he said, C2'), a coordinated cue ('… and called for …') or a
    short clause before a later cue (', arguing that …')."""
    end = sent.end
    i = bisect_right(cue_starts, start)
    first = True
    cut, scanned = -1, start  # the last clause mark in [start, scanned), found incrementally
    while i < len(cue_starts) and cue_starts[i] < end:
        cue = cue_starts[i]
        i += 1
        coordinated = P.COORDINATION.search(text, max(start, cue - _COORDINATION_REACH_CHARS), cue)
        if coordinated and coordinated.start() > start:
            end = coordinated.start()  # 'called X "outrageous" and called for Y': the next cue shares the subject
            break
        lo = max(start, scanned - 3)  # ' -- ' may straddle the part already scanned
        cut = max(cut, text.rfind(",", lo, cue), text.rfind("—", lo, cue), text.rfind(";", lo, cue), text.rfind(" -- ", lo, cue))
        scanned = cue
        if cut > start and (first and not P.GERUND_AFTER_PREP.match(text, max(start, cue - 10), cue) or _at_most_words(text, cut, cue, _MAX_CUE_CLAUSE_WORDS)):
            end = cut
            break
        first = False
    for pattern in _CONTENT_BREAKS:
        brk = pattern.search(text, start + 10, end)
        if brk and not _inside_quotes(text, start, brk.start()):
            end = brk.start()
    participle = P.PARTICIPLE_CLAUSE.search(text, start + 10, end)
    if participle:
        end = participle.start()  # '…, implicitly putting his name on the line': a free adjunct, not content
    tail = P.NOMINAL_TAIL.search(text, start, end)
    if tail and tail.start() > start + 10:
        end = tail.start()
    return end

def _at_most_words(text: str, start: int, end: int, n: int) -> bool:
    """``len(text[start:end].split()) <= n``, reading no more than n + 1 words."""
    for count, _ in enumerate(_NON_SPACE.finditer(text, start, end), start=1):
        if count > n:
            return False
    return True


#: Where indirect content ends before the sentence does: a new clause with its own subject after
#: ', and' / ', but' (dash asides and 'where' clauses were tried on dev and did not help).
_CONTENT_BREAKS = (
    re.compile(r",\s+(?:and|but)\s+(?=(?:the|a|an|he|she|they|it|we|I|[A-Z][a-z]+)\b)"),
    re.compile(r";\s"),  # a semicolon joins a new clause ('…; the other group puts it at $5')
)


def _inside_quotes(text: str, start: int, pos: int) -> bool:
    """True when ``pos`` lies inside a quotation opened after ``start`` (straight marks counted by parity)."""
    chunk = text[start:pos]
    return chunk.count("“") > chunk.count("”") or chunk.count('"') % 2 == 1
