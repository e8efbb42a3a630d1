"""The learned quotes stage: tag each paragraph with the CRF, link the spans, build quotes.

``extract(doc, model, config)`` is the one path from a :class:`~quotecheck.pipeline.document.Document`
to quotes. It reads the document's text and segmentation (no parse: see ``tokens.py``), runs the
rule extractor once for its hints, tags every paragraph, links cue, source and contents
(``linking.py``) and cuts every span from the original text. ``Quote.confidence`` is the
model's calibrated probability that the attribution is right.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from typing import TYPE_CHECKING

from quotecheck.config import Config
from quotecheck.models import Quote, Span
from quotecheck.pipeline import quotes as rules
from quotecheck.pipeline.attribution.features import QuoteIndex, quote_mask, rule_tags, sequence_features
from quotecheck.pipeline.attribution.linking import Link, TaggedSpan, link, spans_of
from quotecheck.pipeline.attribution.repairs import Paragraph, repair
from quotecheck.pipeline.attribution.tokens import Sequence, Token, sequences
from quotecheck.pipeline.segment import Segmentation

if TYPE_CHECKING:
    from quotecheck.pipeline.attribution.model import QuoteModel
    from quotecheck.pipeline.document import Document

__all__ = ["extract", "extract_text", "paragraph_features"]


def paragraph_features(text: str, seg: Segmentation, config: Config) -> list[tuple[Sequence, list[bool], list[list[str]]]]:
    """Every paragraph's tokens, in-quote-marks flags and features: what training and tagging read."""
    return _inputs(text, seg, config)[1]


def _inputs(text: str, seg: Segmentation, config: Config) -> tuple[tuple[Quote, ...], list[tuple[Sequence, list[bool], list[list[str]]]], str]:
    """The rule extractor's quotes (hints), :func:`paragraph_features` and the normalised text.

    The quote marks are read once (:func:`~quotecheck.pipeline.quotes.mark_quotes`) and shared by
    the rules, the tokens and the features: the tokens are cut from the normalised copy (same
    offsets), so a British quote's single marks are the double marks the tagger learned."""
    marks = rules.mark_quotes(text, seg, config)
    seqs = sequences(marks.norm, seg)
    regions = sorted(piece for r in marks.regions for piece in r.pieces)
    hints = rules.extract(text, seg, config, marks=marks)
    out = []
    index = QuoteIndex(hints)
    starts = [s for s, _ in regions]
    for seq in seqs:
        inside = quote_mask(marks.norm, regions, seq.tokens, starts)
        out.append((seq, inside, sequence_features(seq, marks.norm, inside, rule_tags(hints, seq.tokens, index), first_paragraph=seq.paragraph == 0)))
    return hints, out, marks.norm


def _shared(a: tuple[Span, ...], b: tuple[Span, ...]) -> int:
    return sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)


def _fill_source(quote: Quote, hints: Seq[Quote], index: QuoteIndex | None = None) -> Quote:
    """A quote the tagger gave no source takes the source of the rule attribution that shares at
    least half of its content (+0.006 speaker accuracy on a held-out fifth of PolNeAR train, no
    other figure changed; the rules find the subject of a clause the tagger's window misses)."""
    if quote.source is not None:
        return quote
    size = sum(s.end - s.start for s in quote.content)
    best, best_shared = None, 0
    near = (index.overlapping(min(s.start for s in quote.content), max(s.end for s in quote.content))
            if index is not None and quote.content else range(len(hints)))
    for hint in (hints[n] for n in near):
        shared = _shared(quote.content, hint.content)
        if hint.source is not None and shared > best_shared and shared >= 0.5 * min(size, sum(s.end - s.start for s in hint.content)):
            best, best_shared = hint, shared
    return quote.model_copy(update={"source": best.source}) if best is not None else quote


_DASHES = ("―", "—", "–", "-", "--")


def _with_cueless_rules(text: str, seg: Segmentation, quotes: tuple[Quote, ...], hints: Seq[Quote]) -> tuple[Quote, ...]:
    """Quotes the tagger missed that a cue-less rule pattern reads with a named source: a trailing
    dash attribution ('"C" ― Jane Doe') and a speaker on the line before ('Jane Doe:' then
    '"C"'). PolNeAR has few of either, so the tagger rarely learned them; the rules are exact."""
    added, replaced = [], set()
    found = QuoteIndex(quotes)
    for hint in hints:
        if hint.source is None or not hint.content:
            continue
        dash = hint.cue is not None and hint.cue.text.strip() in _DASHES
        line_before = seg.paragraph_index(hint.source.start) == seg.paragraph_index(hint.content[0].start) - 1
        if not (dash or line_before):
            continue
        near = found.overlapping(min(s.start for s in hint.content), max(s.end for s in hint.content))
        overlapping = [n for n in near if _shared(quotes[n].content, hint.content)]
        if any(quotes[n].cue is not None or (quotes[n].source is not None and quotes[n].source != hint.source) for n in overlapping):
            continue  # the tagger read it another way, with a cue of its own
        replaced.update(overlapping)
        added.append(hint)
    if not added:
        return quotes
    kept = [q for n, q in enumerate(quotes) if n not in replaced]
    merged = sorted((*kept, *added), key=lambda q: (q.content[0].start, q.content[0].end))
    return tuple(q.model_copy(update={"id": f"q{n}"}) for n, q in enumerate(merged, start=1))


def _cut(text: str, tokens: Seq[Token], span: TaggedSpan) -> Span:
    return Span.of(text, tokens[span.first].start, tokens[span.last].end)


def _quote(text: str, norm: str, tokens: Seq[Token], item: Link, model: QuoteModel, n: int) -> Quote:
    content = tuple(_cut(text, tokens, c) for c in item.contents)
    return Quote(
        id=f"q{n}",
        kind=rules.content_kind(text, content, norm=norm),
        content=content,
        cue=_cut(text, tokens, item.cue) if item.cue else None,
        source=_cut(text, tokens, item.source) if item.source else None,
        confidence=round(model.confidence(*_scores(item)), 4),
    )


def extract_text(text: str, seg: Segmentation, model: QuoteModel, config: Config, *, with_scores: bool = False,
                 skip: frozenset[str] = frozenset()):
    """Quotes of ``text`` (speakers are left for the speakers stage).

    ``skip`` names repairs (``repairs.REPAIRS``, ``rule_source``: :func:`_fill_source`, ``rule_cueless``:
    :func:`_with_cueless_rules`) not to apply. ``with_scores``: pairs of
    (quote, (content, cue, source) mean marginals) instead, for calibration."""
    found: list[tuple[Seq[Token], Link]] = []
    hints, inputs, norm = _inputs(text, seg, config)
    tagged = model.tag_all(norm, [seq.tokens for seq, _, _ in inputs], [features for _, _, features in inputs])
    for (seq, inside, _), (labels, scores) in zip(inputs, tagged):
        spans = spans_of(labels, [t.sentence for t in seq.tokens], scores)
        items = repair(Paragraph(norm, seq.tokens, inside), link(spans), skip=skip)
        found.extend((seq.tokens, item) for item in items)
    quotes = tuple(_quote(text, norm, tokens, item, model, n) for n, (tokens, item) in enumerate(found, start=1))
    if "rule_source" not in skip:
        index = QuoteIndex(hints)
        quotes = tuple(_fill_source(q, hints, index) for q in quotes)
    if "rule_cueless" not in skip and not with_scores:
        quotes = _with_cueless_rules(text, seg, quotes, hints)
    if not with_scores:
        return quotes
    return tuple((q, _scores(item)) for q, (_, item) in zip(quotes, found))


def _scores(item: Link) -> tuple[float, float | None, float | None]:
    weight = sum(c.last - c.first + 1 for c in item.contents)
    content = sum(c.score * (c.last - c.first + 1) for c in item.contents) / weight
    return content, item.cue.score if item.cue else None, item.source.score if item.source else None


def extract(doc: Document, model: QuoteModel, config: Config) -> tuple[Quote, ...]:
    """Quotes of a parsed document (its parse is not needed; its text and segmentation are)."""
    return extract_text(doc.text, doc.seg, model, config)
