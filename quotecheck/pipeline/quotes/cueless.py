"""Attributions without a cue verb: speaker labels, dash attributions, quote-only sentences."""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from quotecheck.config import Config
from quotecheck.models import Quote, Span
from quotecheck.pipeline.quotes.common import _Draft
from quotecheck.pipeline.quotes.patterns import P, W
from quotecheck.pipeline.quotes.phrases import _rstrip
from quotecheck.pipeline.segment import Segmentation


def _speaker_labels(text: str, seg: Segmentation, drafts: list[_Draft]) -> list[_Draft]:
    """Transcript and headline attributions: ``NAME: content`` at the start of a paragraph."""
    taken = sorted(p for d in drafts for p in d.content)
    taken_starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))  # reach[k]: the furthest end among taken[:k + 1]
    out = []
    for para in seg.paragraphs:
        m = P.LABEL.match(text, para.start, para.end)
        if m is None or m.group(1).lower() in W.NOT_SPEAKERS:
            continue
        start, end = m.end(), _rstrip(text, m.end(), para.end)
        if text[end - 1] in "”\"" and text[para.start] in "“\"":
            end -= 1
        before = bisect_left(taken_starts, end)  # the pieces that start before this content ends
        if end - start < 3 or (before and reach[before - 1] > start):
            continue  # it overlaps a content found already
        out.append(_Draft([(start, end)], m.span(2), m.span(1), 0.7))
    return out


#: A paragraph that only names who speaks next: 'Dr Ines Valdez, head of the health service:' or a
#: short name line without final punctuation; the quote is the paragraph after it.
_LABEL_LINE = re.compile(r"\s*([A-Z][^\n:.!?“”\"]{1,120}?)\s*(:)?\s*$")
_MAX_LABEL_WORDS = 14


def _label_lines(text: str, seg: Segmentation, regions, claimed: set[int]):
    """Speaker on the line before: a paragraph naming someone (ending with a colon, or a short
    line with no final punctuation) followed by a paragraph that opens with a quote."""
    starts = {r.start: i for i, r in enumerate(regions)}
    for p_index in range(len(seg.paragraphs) - 1):
        para, following = seg.paragraphs[p_index], seg.paragraphs[p_index + 1]
        i = starts.get(following.start)
        if i is None or i in claimed:
            continue
        m = _LABEL_LINE.fullmatch(text, para.start, para.end)
        if m is None or len(m.group(1).split()) > _MAX_LABEL_WORDS:
            continue
        name = m.group(1).rstrip(" ,")
        if m.group(2) is None and (len(name.split()) > 8 or not re.search(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+", name)):
            continue  # without a colon only a short line holding a name ('Dr Ines Valdez, health service')
        if P.WORD.match(name) and name.split()[0].lower() in W.NOT_SPEAKERS:
            continue
        source = (m.start(1), m.start(1) + len(name))
        cue = m.span(2) if m.group(2) else None
        yield i, _Draft(list(regions[i].pieces), cue, source, 0.6, {i})


def _dash_attributions(text: str, regions, claimed: set[int]):
    """Dash attribution: a quote followed by a dash and the speaker's name."""
    for i, region in enumerate(regions):
        if i in claimed or not region.closed:
            continue
        m = P.DASH_SOURCE.match(text, region.end)
        if m is None or len(m.group(2).split()) > 6:
            continue
        after = text[m.end() : m.end() + 1]
        if after and after not in ",.\n;(" and not after.isspace():
            continue
        name_end = m.end(2)
        if text[name_end - 1] == "." and name_end - m.start(2) > 2 and text[name_end - 3] != " ":
            name_end -= 1  # 'Jane Doe.' ends the paragraph; 'Jane A.' keeps its initial
        yield i, _Draft(list(region.pieces), m.span(1), (m.start(2), name_end), 0.7, {i})


def _unclaimed(text, seg: Segmentation, regions, claimed: set[int], drafts, config: Config) -> list[_Draft]:
    """Quote regions no cue claimed: quote-only sentences continue a speaker; short ones are scare quotes."""
    out = []
    hosts = _Hosts(drafts, seg)
    words = _WordCounter(text)
    for i, region in enumerate(regions):
        if i in claimed:
            continue
        inner = sum(len(P.WORD.findall(text[s:e])) for s, e in region.pieces)
        if inner < config.min_direct_words:
            continue
        sent = seg.sentences[seg.sentence_index(region.start)]
        p_index = seg.paragraph_index(region.start)
        para = seg.paragraphs[p_index]
        if words.outside(para, region) > 3 and words.between(para, sent.start, region.start) > 3:
            continue  # quoted words inside a narrative sentence: a title or a mention
        host = hosts.before(p_index, para, region.start) if _MERGE_FOLLOWING else None
        if host is not None and text[sent.start] in "“\"" and region.end >= sent.end - 2:
            host.content.extend(region.pieces)  # '"C1," S said. "C2."': one attribution, two pieces
            host.regions.add(i)
            hosts.grew(p_index, region.end)
            continue
        out.append(_Draft(list(region.pieces), None, None, 0.6 if region.closed else 0.4, {i}))
    return out


_MERGE_FOLLOWING = True


class _WordCounter:
    """Words of a paragraph around a quote region, from one scan of the paragraph.

    ``outside`` counts the words of ``text[para.start:region.start] + text[region.end:para.end]``
    and ``between`` those of ``text[a:b]``, as ``P.WORD.findall`` on those slices would, but from
    the word starts of the paragraph (found once), so many regions in one long paragraph cost
    one scan of it, not one each.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._para: Span | None = None
        self._starts: list[int] = []

    def _words(self, para: Span) -> list[int]:
        if self._para is None or self._para.start != para.start:
            self._para, self._starts = para, [m.start() for m in P.WORD.finditer(self.text, para.start, para.end)]
        return self._starts

    def _joined(self, left: int, right: int) -> bool:
        """True when a word runs across ``left``/``right`` once the text between them is cut out."""
        return 0 < left and right < len(self.text) and bool(_WORD_CHAR.match(self.text, left - 1)) and bool(_WORD_CHAR.match(self.text, right))

    def between(self, para: Span, a: int, b: int) -> int:
        if a >= b:
            return 0
        if a < para.start or b > para.end:
            return len(P.WORD.findall(self.text[a:b]))
        starts = self._words(para)
        straddles = a > para.start and self._joined(a, a)  # a word begun before ``a`` counts from it
        return bisect_left(starts, b) - bisect_left(starts, a) + straddles

    def outside(self, para: Span, region: QuoteRegion) -> int:
        if not (para.start <= region.start <= para.end):
            return len(P.WORD.findall(self.text[para.start : region.start] + self.text[region.end : para.end]))
        left = self.between(para, para.start, region.start)
        right = self.between(para, region.end, para.end) if region.end < para.end else 0
        joined = region.start > para.start and region.end < para.end and self._joined(region.start, region.end)
        return left + right - joined


_WORD_CHAR = re.compile(r"[\w’'/-]")


class _Hosts:
    """For each quote region, the attributed direct quote right before it in its paragraph.

    The same answer as scanning every draft for the one whose content ends last at or before
    ``pos`` and starts in the paragraph (the earliest draft on a tie), but each draft is looked
    at once: regions come in text order, so drafts are taken in the order of their ends and the
    best one per paragraph is kept. A host that absorbs a region grows (``grew``).
    """

    def __init__(self, drafts: list[_Draft], seg: Segmentation) -> None:
        self.seg = seg
        self.drafts = drafts
        self._start()

    def _start(self) -> None:
        self.pending = sorted(
            (max(e for _, e in d.content), n) for n, d in enumerate(self.drafts) if d.cue is not None and d.regions
        )
        self.next = 0
        self.last_pos = -1
        self.best: dict[int, tuple[int, int]] = {}  # paragraph index -> (end, draft number)

    def _offer(self, end: int, n: int) -> None:
        para = self.seg.paragraph_index(self.drafts[n].content[0][0])
        have = self.best.get(para)
        if have is None or end > have[0] or (end == have[0] and n < have[1]):
            self.best[para] = (end, n)

    def before(self, p_index: int, para: Span, pos: int) -> _Draft | None:
        if pos < self.last_pos:  # not in text order: start again (never happens with sorted regions)
            self._start()
        self.last_pos = pos
        while self.next < len(self.pending) and self.pending[self.next][0] <= pos:
            self._offer(*self.pending[self.next])
            self.next += 1
        have = self.best.get(p_index)
        if have is None or have[0] > pos or self.drafts[have[1]].content[0][0] < para.start:
            return None
        return self.drafts[have[1]]

    def grew(self, p_index: int, end: int) -> None:
        """The host just returned for paragraph ``p_index`` now ends at ``end``."""
        have, n = self.best[p_index]
        self.best[p_index] = (max(have, end), n)
