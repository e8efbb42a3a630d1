"""The rule extractor's one loop: every cue read with the patterns, then the cue-less readings."""

from __future__ import annotations

from bisect import bisect_right

from quotecheck.config import Config
from quotecheck.lexicon import cue_forms
from quotecheck.models import Quote, Span
from quotecheck.pipeline.quotes.common import CUE_WINDOW_CHARS, RECENT_DRAFTS, _SPACE, _Draft, _cue_matches
from quotecheck.pipeline.quotes.cueless import _dash_attributions, _label_lines, _speaker_labels, _unclaimed
from quotecheck.pipeline.quotes.cues import _read_cue, _starts_sentence
from quotecheck.pipeline.quotes.marks import QuoteMarks, _merge, content_kind, mark_quotes
from quotecheck.pipeline.quotes.patterns import P, W
from quotecheck.pipeline.quotes.phrases import _in_headline, _with_quote_before
from quotecheck.pipeline.segment import Segmentation


def extract(text: str, seg: Segmentation, config: Config, *, marks: QuoteMarks | None = None) -> tuple[Quote, ...]:
    """Every attribution in ``text``; speakers are left for the speakers stage. ``marks``: the
    text's quote marks when the caller read them already (:func:`mark_quotes`, read once per text)."""
    original = text
    marks = marks if marks is not None else mark_quotes(text, seg, config)
    text = marks.norm  # same length: every span is still cut from ``original``
    regions = marks.regions
    region_starts = [r.start for r in regions]
    drafts: list[_Draft] = []
    claimed: set[int] = set()

    def region_at(offset: int) -> int | None:
        i = bisect_right(region_starts, offset) - 1
        if i >= 0 and any(s <= offset < e for s, e in regions[i].pieces):
            return i
        return None

    sent_starts = [x.start for x in seg.sentences] or [0]
    headline: dict[int, bool] = {}  # per paragraph: a long paragraph is looked at once, not per cue
    quote_before: dict[int, Span] = {}  # per sentence, likewise

    def in_headline(pos: int) -> bool:
        para = seg.paragraph_index(pos)
        if para not in headline:
            headline[para] = _in_headline(text, seg, pos)
        return headline[para]

    # A capitalised cue word mid-sentence ("Islamic State", "Report") is part of a name.
    cues = [
        m
        for m in _cue_matches(text, 0, len(text))
        if region_at(m.start()) is None
        and (
            m.group(0).islower()
            or _starts_sentence(text, m.start())
            or (in_headline(m.start()) and m.group(0).lower().endswith(("s", "ed", "ing")))
        )  # in a Title Case headline only an inflected verb ('Says', 'Warned'), not 'Plan' or 'Post'

    ]
    cues.extend(m for m in P.ACCORDING.finditer(text) if region_at(m.start()) is None)

    cues.sort(key=lambda m: m.start())
    # a noun cue ('statement', 'plan') does not open a new clause, so it never ends another content
    cue_starts = [m.start() for m in cues if m.group(0).lower() in cue_forms() or P.ACCORDING.fullmatch(m.group(0))]
    for index, match in enumerate(cues):
        recent = drafts[-RECENT_DRAFTS:]  # drafts come in cue order, so only recent ones can hold this cue
        if any(s <= match.start() < e for d in recent for s, e in d.content):
            continue  # a cue inside another attribution's content is part of what was said
        if any(d.cue is not None and d.cue[0] <= match.start() < d.cue[1] for d in recent):
            continue  # 'said in a statement that': the noun belongs to the cue before it
        s_index = bisect_right(sent_starts, match.start()) - 1
        if s_index not in quote_before:
            quote_before[s_index] = _with_quote_before(text, seg.sentences[s_index], regions, region_at)
        sent = _cue_window(text, quote_before[s_index], match.start())
        draft = _read_cue(text, match, sent, regions, region_at, cue_starts)
        if draft is None or (match.group(0).lower() in W.QUOTE_ONLY_CUES and not _quotes_or_colon(text, draft)):
            continue
        for s, e in draft.content:
            for i in {region_at(s), region_at(max(s, e - 1))} - {None}:
                draft.regions.add(i)  # type: ignore[arg-type]
        claimed |= draft.regions
        drafts.append(draft)
    for draft in _speaker_labels(text, seg, drafts):
        for s, e in draft.content:
            for i in {region_at(s), region_at(max(s, e - 1))} - {None}:
                draft.regions.add(i)  # type: ignore[arg-type]
        claimed |= draft.regions
        drafts.append(draft)
    for i, draft in _dash_attributions(text, regions, claimed):
        claimed.add(i)
        drafts.append(draft)
    for i, draft in _label_lines(text, seg, regions, claimed):
        claimed.add(i)
        drafts.append(draft)
    drafts.extend(_unclaimed(text, seg, regions, claimed, drafts, config))
    drafts.sort(key=lambda d: d.content[0][0])
    quotes = []
    for n, d in enumerate(drafts, start=1):
        content = tuple(Span.of(original, s, e) for s, e in _merge(d.content))
        quotes.append(
            Quote(
                id=f"q{n}",
                kind=content_kind(original, content, norm=text),
                content=content,
                cue=Span.of(original, *d.cue) if d.cue else None,
                source=Span.of(original, *d.source) if d.source else None,
                confidence=d.confidence,
            )
        )
    return tuple(quotes)


def _cue_window(text: str, sent: Span, pos: int) -> Span:
    """``sent`` itself, or for a sentence longer than two windows the part of it within
    ``CUE_WINDOW_CHARS`` of ``pos``, cut at spaces (see ``CUE_WINDOW_CHARS``)."""
    if sent.end - sent.start <= 2 * CUE_WINDOW_CHARS:
        return sent
    start, end = max(sent.start, pos - CUE_WINDOW_CHARS), min(sent.end, pos + CUE_WINDOW_CHARS)
    if start > sent.start:
        space = _SPACE.search(text, start, pos)
        start = space.end() if space else start
    if end < sent.end:
        space = text.rfind(" ", pos, end)
        end = space if space > pos else end
    return Span.of(text, start, end)


def _quotes_or_colon(text: str, draft: _Draft) -> bool:
    first = draft.content[0][0]
    return text[first] in "“\"" or (draft.cue is not None and text[draft.cue[1] : draft.cue[1] + 2].strip() == ":")
