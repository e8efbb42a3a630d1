"""Attributions without a cue verb: speaker labels, dash attributions, quote-only sentences."""

from __future__ import annotations

from quotecheck.config import Config
from quotecheck.models import Quote, Span
from quotecheck.pipeline.quotes.common import _Draft
from quotecheck.pipeline.quotes.patterns import P, W
from quotecheck.pipeline.quotes.phrases import _rstrip
from quotecheck.pipeline.segment import Segmentation


def _speaker_labels(text: str, seg: Segmentation, drafts: list[_Draft]) -> list[_Draft]:
    """Transcript and headline attributions: ``NAME: content`` at the start of a paragraph."""
    taken = sorted(p for d in drafts for p in d.content)
    out = []
    for para in seg.paragraphs:
        m = P.LABEL.match(text, para.start, para.end)
        if m is None or m.group(1).lower() in W.NOT_SPEAKERS:
            continue
        start, end = m.end(), _rstrip(text, m.end(), para.end)
        if text[end - 1] in "”\"" and text[para.start] in "“\"":
            end -= 1
        if end - start < 3 or any(s < end and start < e for s, e in taken):
            continue
        out.append(_Draft([(start, end)], m.span(2), m.span(1), 0.7))
    return out


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
    for i, region in enumerate(regions):
        if i in claimed:
            continue
        inner = sum(len(P.WORD.findall(text[s:e])) for s, e in region.pieces)
        if inner < config.min_direct_words:
            continue
        sent = seg.sentences[seg.sentence_index(region.start)]
        para = seg.paragraphs[seg.paragraph_index(region.start)]
        outside = text[para.start : region.start] + text[region.end : para.end]
        if len(P.WORD.findall(outside)) > 3 and len(P.WORD.findall(text[sent.start : region.start])) > 3:
            continue  # quoted words inside a narrative sentence: a title or a mention
        host = _host_in_paragraph(drafts, para, region.start) if _MERGE_FOLLOWING else None
        if host is not None and text[sent.start] in "“\"" and region.end >= sent.end - 2:
            host.content.extend(region.pieces)  # '"C1," S said. "C2."': one attribution, two pieces
            host.regions.add(i)
            continue
        out.append(_Draft(list(region.pieces), None, None, 0.6 if region.closed else 0.4, {i}))
    return out

_MERGE_FOLLOWING = True


def _host_in_paragraph(drafts, para: Span, pos: int) -> _Draft | None:
    """The attributed direct quote right before ``pos`` in the same paragraph, if any."""
    best = None
    for d in drafts:
        end = max(e for _, e in d.content)
        if d.cue is not None and d.regions and para.start <= d.content[0][0] and end <= pos:
            if best is None or end > max(e for _, e in best.content):
                best = d
    return best
