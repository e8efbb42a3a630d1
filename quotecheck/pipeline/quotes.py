"""Quotes stage: find attributions (source, cue, content) with character spans.

Rule-based, no tagger: quote-mark regions are paired first (curly or straight, reopened on every
paragraph of a multi-paragraph quote); then every cue verb outside quote marks is read with the
patterns of news attribution: ``S said (that) C``, ``"C," S said``, ``"C," said S``,
``C, S said.``, ``S said: "C"``, ``According to S, C``, ``C, according to S``. Quote-only
sentences that no cue claims continue the previous speaker (the speakers stage resolves that).
Short unattributed quotes are scare quotes and are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from quotecheck.config import Config
from quotecheck.lexicon import cue_forms
from quotecheck.models import Quote, Span
from quotecheck.pipeline.segment import Segmentation

__all__ = ["QuoteRegion", "find_quote_regions", "extract", "content_kind"]

OPEN_MARKS = "“„«‘"
CLOSE_MARKS = "”»’"
DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
_WORD = re.compile(r"[\w’'-]+")

#: Words that open a new clause: a subject never reaches back across them.
_BOUNDARY = frozenset(
    "that which who whom whose and but or because as while though although when whereas after "
    "before since so if unless despite until where why how than even nor yet also—".split()
)
#: Words allowed between a subject and its cue verb; they are not part of the source.
_INTERVENING = frozenset(
    "also has have had was were is are will would could should may might did does do not never "
    "still later first then previously recently repeatedly publicly privately reportedly once "
    "again already often frequently initially earlier long just even only further simply "
    "flatly openly quickly falsely correctly rightly wrongly".split()
)
_PRONOUNS = frozenset("he she they it we i you who".split())
_DETERMINERS = frozenset("a an the this that these those his her their its our my your some many".split())
_ADJUNCT_START = re.compile(
    r"(?:on|in|at|during|after|before|last|this|yesterday|today|tonight|earlier|later|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|recently|then|to|at|via|from|"
    r"while|when|as|adding|noting|citing|according|told|hours|days|weeks|in|of)\b",
    re.I,
)
_THAT = re.compile(r"\s*(?:that\b|:)\s*", re.I)


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


@lru_cache(maxsize=1)
def _cue_regex() -> re.Pattern[str]:
    forms = sorted(cue_forms(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", re.I)


_DOUBLED_SINGLE = re.compile(r"''|``")


def _normalise_marks(text: str) -> str:
    """Same-length copy where doubled single marks (``''``, the NYT style) read as straight double marks."""
    if "''" not in text and "``" not in text:
        return text
    norm = _DOUBLED_SINGLE.sub('""', text)
    assert len(norm) == len(text)
    return norm


def find_quote_regions(text: str, seg: Segmentation, config: Config) -> list[QuoteRegion]:
    """Pair double quote marks paragraph by paragraph; never let one open mark swallow the text.

    A mark left open at the end of a paragraph continues into the next paragraph only when that
    paragraph opens with a quote mark (the news convention); otherwise the quote closes at the
    paragraph end and is marked ``closed=False``.
    """
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
            ch = text[pos]
            if open_at is None:
                if ch in DOUBLE_OPEN or (ch == '"' and _opens_straight(text, pos)):
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
            if next_para is not None and text[next_para.start] in DOUBLE_OPEN + '"' and length < config.max_quote_chars:
                carry.append(piece)
            else:
                regions.append(QuoteRegion(tuple(carry) + (piece,), closed=False))
                carry = []
    if carry:
        regions.append(QuoteRegion(tuple(carry), closed=False))
    return regions


def _opens_straight(text: str, pos: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    return before.isspace() or before in "([{—–-/"


def _closes_straight(text: str, pos: int) -> bool:
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return after.isspace() or after in ".,;:!?)]}—–-"


@dataclass
class _Draft:
    """A quote under construction (mutable only inside this module)."""

    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    confidence: float
    regions: set[int] = field(default_factory=set)


def extract(text: str, seg: Segmentation, config: Config) -> tuple[Quote, ...]:
    """Every attribution in ``text``; speakers are left for the speakers stage."""
    original = text
    text = _normalise_marks(text)
    regions = find_quote_regions(text, seg, config)
    region_starts = [r.start for r in regions]
    drafts: list[_Draft] = []
    claimed: set[int] = set()

    def region_at(offset: int) -> int | None:
        i = bisect_right(region_starts, offset) - 1
        if i >= 0 and any(s <= offset < e for s, e in regions[i].pieces):
            return i
        return None

    # A capitalised cue word mid-sentence ("Islamic State", "Report") is part of a name.
    cues = [
        m
        for m in _cue_regex().finditer(text)
        if region_at(m.start()) is None and (m.group(0).islower() or _starts_sentence(text, m.start()))
    ]
    cues.extend(m for m in _ACCORDING.finditer(text) if region_at(m.start()) is None)
    cues.sort(key=lambda m: m.start())
    for index, match in enumerate(cues):
        if _NESTED_SKIP and any(s <= match.start() < e for d in drafts for s, e in d.content):
            continue  # a cue inside another attribution's content is part of what was said
        sent = seg.sentences[seg.sentence_index(match.start())]
        nxt = cues[index + 1].start() if index + 1 < len(cues) else len(text)
        draft = _read_cue(text, match, sent, regions, region_at, nxt)
        if draft is None:
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
    drafts.extend(_unclaimed(text, seg, regions, claimed, drafts, config))
    drafts.sort(key=lambda d: d.content[0][0])
    quotes = []
    for n, d in enumerate(drafts, start=1):
        content = tuple(Span.of(original, s, e) for s, e in _merge(d.content))
        quotes.append(
            Quote(
                id=f"q{n}",
                kind=content_kind(text, content),
                content=content,
                cue=Span.of(original, *d.cue) if d.cue else None,
                source=Span.of(original, *d.source) if d.source else None,
                confidence=d.confidence,
            )
        )
    return tuple(quotes)


_ACCORDING = re.compile(r"\baccording to\b", re.I)
_NESTED_SKIP = True


class _LazyCue:
    """The cue regex, compiled on first use (the lexicon is read once)."""

    def search(self, text: str, pos: int, endpos: int):
        return _cue_regex().search(text, pos, endpos)


_SUBJECT_VERB = _LazyCue()


def _read_cue(text, match, sent: Span, regions, region_at, next_cue: int) -> _Draft | None:
    """Apply the attribution patterns around one cue occurrence."""
    c_start, c_end = match.span()
    if _ACCORDING.fullmatch(match.group(0)):
        return _according(text, c_start, c_end, sent)
    word_before = _prev_word(text, c_start, sent.start)
    if word_before and word_before.lower() in _DETERMINERS | {"to"}:
        return None  # "a promise", "the report", "to say": nouns and infinitives are not cues here
    if _NOUN_CUE.match(text, c_end, sent.end):
        return None  # 'worries have dogged', 'plans could': the cue word is a noun subject
    cue_start = _aux_start(text, sent.start, c_start)
    particle = _PARTICLE.match(text, c_end, sent.end)
    if particle and match.group(0).lower().startswith("call"):
        c_end = particle.end()
    subject = _subject(text, sent.start, cue_start)
    after_start = c_end
    source: tuple[int, int] | None = subject
    if subject is None:
        before = text[sent.start:cue_start].rstrip()
        if before.endswith(",") and match.group(0).lower().endswith("ing"):
            # ', saying that C' / ', adding C': the participle shares the main clause's subject
            source = _clause_subject(text, sent.start, cue_start)
            start = _skip_complementiser(text, c_end, sent.end)
            end = _rstrip(text, start, _content_end(text, start, sent, next_cue))
            if end - start < 3 or not _WORD.search(text, start, end):
                return None
            return _Draft([(start, end)], (cue_start, c_end), source, 0.6)
        # Inverted: '"C," said Carter' / ', said the institute'
        source = _right_np(text, c_end, sent.end)
        if source is None:
            return None
        appositive = _TRAILING_APPOSITIVE.match(text, source[1], sent.end)
        if appositive:
            source = (source[0], _rstrip(text, source[1], appositive.end()))
        after_start = source[1]
        if not _is_after_quote_or_comma(text, sent.start, cue_start):
            return None
    # What precedes the subject, up to the clause start: '"C," S said' and 'C, S said.'
    prefix_end = _rstrip_space(text, sent.start, (subject or (cue_start, cue_start))[0])
    rest = text[after_start:sent.end]
    rest_is_adjunct = _is_adjunct_tail(rest) or (
        prefix_end > sent.start and text[prefix_end - 1] in "”\"" and not _NEW_CONTENT.match(rest)
    )
    if prefix_end > sent.start and text[prefix_end - 1] in ",”\"" and rest_is_adjunct:
        content = _prefix_content(text, sent, prefix_end, regions, region_at)
        if content:
            follow = _following_quote(text, after_start, sent, regions, region_at)
            return _Draft(content + follow, (cue_start, c_end), source, 0.9)
    colon = re.match(r"\s*:\s*", text[after_start:])
    if colon:
        start = after_start + colon.end()
        r = region_at(start)
        end = regions[r].end if r is not None else _rstrip(text, start, _content_end(text, start, sent, next_cue))
        if end > start:
            return _Draft([(start, end)], (cue_start, c_end), source, 0.85)
        return None
    if subject is None:
        return None
    start = _skip_complementiser(text, after_start, sent.end)
    comma = _COMMA_QUOTE.match(text, start, sent.end)
    if comma:
        start = comma.end()  # 'said, "C"'
    elif text.startswith(",", start):
        # 'C1, S said, C2': the content is both sides of the parenthetical cue
        start = start + 1 + len(text[start + 1 : sent.end]) - len(text[start + 1 : sent.end].lstrip())
        end = _rstrip(text, start, _content_end(text, start, sent, next_cue))
        if end - start < 3:
            return None
        pieces = [(start, end)]
        if prefix_end > sent.start and text[prefix_end - 1] == ",":
            left = _rstrip(text, sent.start, prefix_end - 1)
            lead = _clause_lead(text, sent.start, left)
            if left - lead > 2:
                pieces.insert(0, (lead, left))
        return _Draft(pieces, (cue_start, c_end), source, 0.6)
    end = _rstrip(text, start, _content_end(text, start, sent, next_cue))
    r = region_at(end - 1) if end > start else None
    if r is not None and regions[r].end > end:
        end = regions[r].end  # a quote that runs past the sentence belongs to this content
    if end - start < 3 or not _WORD.search(text, start, end):
        return None
    return _Draft([(start, end)], (cue_start, c_end), source, 0.7)


#: ', the director of the agency.' after an inverted source: the appositive belongs to the source.
_TRAILING_APPOSITIVE = re.compile(r",\s+(?:a|an|the|who|whose|which|[a-z]+(?:\s+[a-z]+)?\s+(?:of|at|for|with))\b[^.;:“”\"]*[.]?$")
#: After '"C," S said', a clause that opens new content ('that …', ': …') instead of an adjunct.
_NEW_CONTENT = re.compile(r"\s*(?::|,?\s*(?:that|\w+ that)\b)")
_COMMA_QUOTE = re.compile(r",\s*(?=[“\"])")
_NOUN_CUE = re.compile(
    r"\s+(?:has|have|had|is|are|was|were|will|would|could|can|should|may|might|must|came|come|comes)\b"
)
_PARTICLE = re.compile(r"\s+(?:for|on)\b", re.I)
#: Auxiliaries and adverbs between a subject and its cue verb: PolNeAR counts them in the cue.
_AUX_RUN = re.compile(r"(?:\b(?:" + "|".join(sorted(_INTERVENING, key=len, reverse=True)) + r")(?:n[’']t)?\s+)+$", re.I)


def _aux_start(text: str, floor: int, cue_start: int) -> int:
    """Start of the auxiliaries and adverbs right before a cue verb ('has also said')."""
    m = _AUX_RUN.search(text, max(floor, cue_start - 60), cue_start)
    return m.start() if m else cue_start


_HARD_STOP = re.compile(r"[;:()\[\]—–“”\"]|\s-\s|--")
_NAME_WORD = re.compile(r"[A-Z][\w.’'&-]*")
_RELATIVES = frozenset({"who", "which"})
_PERSON_HEADS = frozenset(
    "police officials experts analysts critics aides advisers supporters voters lawmakers republicans "
    "democrats democrat republican residents staff spokesman spokeswoman spokesperson official observers "
    "authorities investigators prosecutors economists researchers scientists leaders members protesters "
    "sources polls surveys others people".split()
)


def _simple_np(text: str, floor: int, end: int) -> tuple[int, int] | None:
    """The noun phrase ending at ``end``: back to punctuation, a clause word or ``floor``."""
    stop = floor
    for m in _HARD_STOP.finditer(text, floor, end):
        stop = m.end()
    comma = text.rfind(",", stop, end)
    if comma >= 0:
        stop = comma + 1
    words = list(_WORD.finditer(text, stop, end))
    for i in range(len(words) - 1, -1, -1):
        w = words[i].group(0).lower()
        if w in _BOUNDARY and not (w == "and" and 0 < i < len(words) - 1 and words[i - 1].group(0)[0].isupper()):
            if w in _RELATIVES and i == len(words) - 1:
                return words[i].start(), words[i].end()  # 'X, who said ...': the relative is the source
            words = words[i + 1 :]
            break
    if not words or len(words) > 12:
        return None
    first, last = words[0].group(0), words[-1].group(0)
    low_first, low_last = first.lower(), last.lower()
    if low_first in _PRONOUNS:
        if len(words) > 1:
            return None
    elif not (first[0].isupper() or first[0].isdigit() or low_first in _DETERMINERS or low_first in _QUANTIFIERS):
        if not (len(words) <= 4 and low_last in _PERSON_HEADS):
            return None
    if low_last in _DETERMINERS or (low_last.endswith("ly") and not last[0].isupper()):
        return None
    for w in words[1:]:
        lw = w.group(0)
        if lw in _VERBISH:
            return None  # 'Trump did not unveil', 'her allies have been': a clause, not a noun phrase
    start = words[0].start()
    # a title abbreviation written with its full stop ('Sen. Perdue') is part of the name
    return start, words[-1].end()


_VERBISH = frozenset(
    "has have had is are was were be been being do does did not will would can could should may might must "
    "shall won't don't didn't doesn't isn't wasn't aren't weren't".split()
)
_NP_PARTICIPLES = frozenset("united leading ruling governing founding acting retired elected unnamed".split())
_QUANTIFIERS = frozenset("many some several most few all both two three four five other another one each".split())


def _subject(text: str, floor: int, cue_start: int) -> tuple[int, int] | None:
    """The source before a cue: a noun phrase, with a parenthesis ('Sen. X (R-Ga.)') or an
    appositive between commas ('Jane Doe, an economist at Y, said') when there is one."""
    end = _rstrip_space(text, floor, cue_start)
    if end <= floor:
        return None
    if text[end - 1] == ")":
        open_at = text.rfind("(", floor, end)
        if open_at > floor and end - open_at < 40:
            np = _simple_np(text, floor, _rstrip_space(text, floor, open_at))
            return (np[0], end) if np else None
    if text[end - 1] == ",":
        return _appositive_subject(text, floor, end)
    return _simple_np(text, floor, end)


def _appositive_subject(text: str, floor: int, end: int) -> tuple[int, int] | None:
    """'NAME, APPOSITIVE,' right before a cue; the appositive may hold commas ('59, of Ashton, Md.')."""
    comma = end - 1
    for _ in range(4):
        comma = text.rfind(",", floor, comma)
        if comma < 0:
            return None
        appositive = text[comma + 1 : end - 1]
        if _HARD_STOP.search(appositive.replace("(", "").replace(")", "")) or len(appositive.split()) > 30:
            return None
        name = _simple_np(text, floor, _rstrip_space(text, floor, comma))
        if name is not None and _NAME_WORD.match(text, name[0]) and len(_WORD.findall(text, name[0], comma)) <= 7:
            return name[0], end
    return None


def _clause_lead(text: str, floor: int, end: int) -> int:
    """Start of the clause that ends at ``end`` (after the last ';', ':' or dash)."""
    cut = floor
    for m in _HARD_STOP.finditer(text, floor, end):
        if m.group(0) not in "“”\"":
            cut = m.end()
    while cut < end and text[cut].isspace():
        cut += 1
    return cut


def _clause_subject(text: str, floor: int, end: int) -> tuple[int, int] | None:
    """The subject of the sentence's main clause, for a participle cue ('..., saying C')."""
    first = _SUBJECT_VERB.search(text, floor, end)
    if first is None:
        return None
    return _subject(text, floor, _aux_start(text, floor, first.start()))


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].strip()
    return not before or before[-1] in ".!?\n“\"”"


def _according(text: str, c_start: int, c_end: int, sent: Span) -> _Draft | None:
    """``According to S, C`` and ``C, according to S``."""
    src = _right_np(text, c_end, sent.end, allow_lower=True)
    if src is None:
        return None
    before = _rstrip_space(text, sent.start, c_start)
    if before > sent.start and text[before - 1] == ",":
        end = _rstrip(text, sent.start, before - 1)
        return _Draft([(sent.start, end)], (c_start, c_end), src, 0.8)
    after = re.match(r"[^,]*,\s*", text[src[1] : sent.end])
    if after is None:
        return None
    start = src[1] + after.end()
    end = _rstrip(text, start, sent.end)
    if end <= start:
        return None
    return _Draft([(start, end)], (c_start, c_end), src, 0.8)


def _prev_word(text: str, pos: int, floor: int) -> str | None:
    m = re.search(r"([\w’'-]+)\W*$", text[max(floor, pos - 40) : pos])
    return m.group(1) if m else None


_RIGHT_NP = re.compile(
    r"\s*((?:(?:the|a|an|The|A|An)\s+)?"
    r"(?:[A-Z][\w.’'&-]*|[0-9]+)(?:\s+(?:[A-Z][\w.’'&-]*|of|for|the|and|de|al-\w+|on|at))*"
    r"|he|she|they|it|we|I)\b"
)
_RIGHT_NP_LOWER = re.compile(r"\s*((?:the|a|an|The|A|An|some|many|several|two|three)?\s*[\w’'.&-]+(?:\s+[\w’'.&-]+){0,7}?)(?=\s*(?:,|\.|;|$))")


def _right_np(text: str, pos: int, end: int, *, allow_lower: bool = False) -> tuple[int, int] | None:
    """A noun phrase right after ``pos`` ('said Ash Carter', 'according to the institute')."""
    m = _RIGHT_NP.match(text, pos, end)
    if m and m.group(1).strip():
        s, e = m.span(1)
        while e > s and text[e - 1] in ".,":
            e -= 1
        return (s, e) if e > s else None
    if allow_lower:
        m = _RIGHT_NP_LOWER.match(text, pos, end)
        if m:
            s, e = m.span(1)
            return (s, e) if e > s else None
    return None


def _is_after_quote_or_comma(text: str, floor: int, pos: int) -> bool:
    before = text[floor:pos].rstrip()
    return bool(before) and before[-1] in ",”\"—–:"


def _rstrip_space(text: str, floor: int, end: int) -> int:
    """Move ``end`` left past whitespace only."""
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def _rstrip(text: str, floor: int, end: int) -> int:
    """Move ``end`` left past whitespace and trailing sentence punctuation (not quote marks)."""
    while end > floor and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-"):
        end -= 1
    return end


def _is_adjunct_tail(rest: str) -> bool:
    """True when what follows the cue and source is only a time/place adjunct or nothing."""
    stripped = rest.strip().lstrip(",").strip()
    if not stripped or stripped in {".", "!", "?"} or stripped[0] in ".;:!?,":
        return True
    if stripped[0] in "“\"":
        return True  # '"C1," he said, "C2."': the second piece follows
    return bool(_ADJUNCT_START.match(stripped)) and len(stripped.split()) <= 12 and " that " not in stripped


def _prefix_content(text, sent: Span, prefix_end: int, regions, region_at) -> list[tuple[int, int]]:
    """Content of '"C," S said' (the quote region ending at the comma) or 'C, S said.'."""
    end = prefix_end
    while end > sent.start and text[end - 1] in ",":
        end -= 1
    start = sent.start
    r = region_at(max(sent.start, end - 1))
    if r is not None and not _WORD.search(text, sent.start, regions[r].start):
        return [p for p in regions[r].pieces if p[1] <= end + 1] or [(regions[r].start, end)]
    if _LEAD_ADJUNCT.match(text, start, end):
        return []  # 'In a statement, S said …': the clause before the subject is an adjunct, not content
    return [(start, end)] if end - start > 2 else []


#: A short introductory adjunct ('In a statement', 'On Tuesday', 'Speaking to reporters').
_LEAD_ADJUNCT = re.compile(
    r"(?:in|on|at|during|after|before|speaking|asked|when|while|earlier|later|last|this|from|with|for|"
    r"meanwhile|however|also|still|yet|instead|then|now|today|yesterday|separately)\b[^,;:“”\"]{0,60}$",
    re.I,
)


def _following_quote(text, pos: int, sent: Span, regions, region_at) -> list[tuple[int, int]]:
    """The second piece of a quote split by its cue: '"C1," he said, "C2."'."""
    m = re.match(r"[^“\"]{0,60}?[,:]\s*(?=[“\"])", text[pos : sent.end + 1])
    if not m:
        return []
    r = region_at(pos + m.end())
    return list(regions[r].pieces) if r is not None else []


_UP_TO_THAT = re.compile(r"[^,.;:“\"]{0,60}?(?=\bthat\b)")


def _skip_complementiser(text: str, pos: int, end: int) -> int:
    """Skip 'that', an indirect object ('told reporters that') or a short adjunct before the content."""
    window = text[pos:end]
    m = _UP_TO_THAT.match(window, 0, 80)
    if m:
        skipped = m.group(0).split()
        if len(skipped) <= 3 or _ADJUNCT_START.match(m.group(0).strip()):
            return pos + m.end()  # content keeps its 'that' (the PolNeAR convention)
    m = re.match(r"\s*:?\s*", window)
    return pos + (m.end() if m else 0)


def _content_end(text: str, start: int, sent: Span, next_cue: int) -> int:
    """Indirect content runs to the end of the sentence, or to the clause of the next cue."""
    end = sent.end
    if next_cue < end:
        cut = text.rfind(",", start, next_cue)
        if cut > start:
            end = cut
    tail = _NOMINAL_TAIL.search(text, start, end)
    if tail and tail.start() > start + 10:
        end = tail.start()
    return end


#: A trailing nominal cue ('…, in an interview with X last week.') is not part of the content.
_NOMINAL_TAIL = re.compile(
    r",?\s+(?:in|during)\s+(?:a|an|the|his|her|their|its)\s+(?:\w+\s+){0,2}"
    r"(?:interview|statement|speech|interviews|statements|op-ed|email|letter|news conference|press conference|post|tweet)\b"
    r"[^,;:“”\"]*[.!?]?$"
)


#: 'PENCE: …', 'Rush Limbaugh: …': a short capitalised name opening a paragraph, then a colon.
_LABEL = re.compile(r"[“\"]?([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})(:)\s+(?=\S)")
#: Paragraph labels that name no speaker.
_NOT_SPEAKERS = frozenset(
    "the latest|correction|corrections|update|updated|source|sources|note|editor's note|editor’s note|"
    "watch|related|photo|photos|video|read more|breaking|exclusive|analysis|opinion|q|a".split("|")
)


def _speaker_labels(text: str, seg: Segmentation, drafts: list[_Draft]) -> list[_Draft]:
    """Transcript and headline attributions: ``NAME: content`` at the start of a paragraph."""
    taken = sorted(p for d in drafts for p in d.content)
    out = []
    for para in seg.paragraphs:
        m = _LABEL.match(text, para.start, para.end)
        if m is None or m.group(1).lower() in _NOT_SPEAKERS:
            continue
        start, end = m.end(), _rstrip(text, m.end(), para.end)
        if text[end - 1] in "”\"" and text[para.start] in "“\"":
            end -= 1
        if end - start < 3 or any(s < end and start < e for s, e in taken):
            continue
        out.append(_Draft([(start, end)], m.span(2), m.span(1), 0.7))
    return out


def _unclaimed(text, seg: Segmentation, regions, claimed: set[int], drafts, config: Config) -> list[_Draft]:
    """Quote regions no cue claimed: quote-only sentences continue a speaker; short ones are scare quotes."""
    out = []
    for i, region in enumerate(regions):
        if i in claimed:
            continue
        inner = sum(len(_WORD.findall(text[s:e])) for s, e in region.pieces)
        if inner < config.min_direct_words:
            continue
        sent = seg.sentences[seg.sentence_index(region.start)]
        para = seg.paragraphs[seg.paragraph_index(region.start)]
        outside = text[para.start : region.start] + text[region.end : para.end]
        if len(_WORD.findall(outside)) > 3 and len(_WORD.findall(text[sent.start : region.start])) > 3:
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
    """direct (all inside quote marks), mixed (some), or indirect (none)."""
    joined = "".join(s.text for s in content)
    if not any(ch in joined for ch in DOUBLE_OPEN + DOUBLE_CLOSE + '"'):
        return "indirect"
    outside = re.sub(r"[“\"«„][^”\"»]*[”\"»]?", " ", joined)
    if _WORD.search(outside):
        return "mixed"
    return "direct"
