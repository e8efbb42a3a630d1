"""Quotes stage: find attributions (source, cue, content) with character spans.

Rule-based, no tagger. Quote-mark regions are paired first (curly or straight, and the doubled
single marks ``''`` of some wires read as double marks; reopened on every paragraph of a
multi-paragraph quote; an unbalanced mark closes at its paragraph end). Then every cue verb
outside quote marks (``lexicon/cues.txt``: speech, belief, intention and stance verbs) is read
with the patterns of news attribution:

* ``S said (that) C``, ``S told X (that) C``, ``S said: "C"``, ``S said, "C"``
* ``"C," S said`` / ``"C," said S`` / ``C, S said.`` and the split ``"C1," S said, "C2."``
* ``C1, S said, C2`` (a parenthetical cue: the content is both sides)
* ``According to S, C`` / ``C, according to S``
* ``…, saying C`` and ``S called X "Y" and called for Z`` (participles and coordinated cues share
  the clause's subject), ``S went on TV to accuse X of Y``
* ``S's claim that C`` (possessor and nominal cue), ``X is expected to Y`` / ``X was endorsed by
  S`` (passives: the content is the subject and the complement, the source the agent or none)

and, without a cue verb: ``NAME: C`` at the start of a paragraph (transcripts, headlines),
``"C" ― NAME`` (dash attribution), and quote-only sentences, which join the attributed quote
before them in the same paragraph or stand alone without source (the speakers stage resolves
those). Short unattributed quotes are scare quotes, titles or nicknames and are dropped.

Span conventions follow PolNeAR: the source is the whole noun phrase with titles, determiners,
parenthesised party tags and appositives (``Jane Doe, an economist at X,``) but not adjunct
asides (``Trump, speaking in Ohio,``); the cue includes auxiliaries and adverbs (``has also
said``), particles (``called for``, ``warned against``) and nominal adjuncts (``said in a
statement``), not time adjuncts (``said on Tuesday``); the content keeps its
``that`` and quote marks, and stops before a trailing ``in an interview``, a free participle
clause, or the clause of another cue.

Offsets are never computed on a changed copy: the only normalisation (``''`` → ``"``) is a
same-length substitution, and every span is cut from the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from quotecheck.config import Config
from quotecheck.lexicon import MONTHS, WEEKDAYS, cue_forms, lines, titles
from quotecheck.models import Quote, Span
from quotecheck.pipeline.segment import Segmentation

__all__ = ["QuoteRegion", "find_quote_regions", "extract", "content_kind"]

#: How many of the latest attributions a new cue is checked against (count): contents and cues
#: lie near their own cue, and checking all of them made long texts quadratic.
RECENT_DRAFTS = 40
#: How much of a sentence one cue reads on each side of it (characters). The longest sentence
#: of PolNeAR dev and train is 979 characters, so a real sentence is read whole; a longer one
#: (a scraped page with no full stops, ``"said " * 4000``) is read in a window around each cue,
#: which keeps the cost per cue bounded and the stage linear in the text length.
CUE_WINDOW_CHARS = 1500
#: How far back before a cue a source noun phrase is looked for (characters): a source has at
#: most ``_MAX_SUBJECT_WORDS`` words plus a short adjunct ('In a Bloomberg interview Trump said').
_NP_REACH_CHARS = 300
#: How far after an inverted cue its source is read ('said Ash Carter, the defense secretary').
_RIGHT_NP_REACH_CHARS = 300
#: How far back before a later cue a coordination ('… and called for') is looked for.
_COORDINATION_REACH_CHARS = 200

OPEN_MARKS = "“„«‘"
CLOSE_MARKS = "”»’"
DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
_WORD = re.compile(r"[\w’'/-]+")

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
    "flatly openly quickly falsely correctly rightly wrongly been be being".split()
)
_PRONOUNS = frozenset("he she they it we i you who".split())
_DETERMINERS = frozenset("a an the this that these those his her their its our my your some many".split())
_ADJUNCT_START = re.compile(
    r"(?:on|in|at|during|after|before|last|this|yesterday|today|tonight|earlier|later|"
    r"" + "|".join(WEEKDAYS) + r"|recently|then|to|at|via|from|"
    r"while|when|as|adding|noting|citing|according|told|hours|days|weeks|in|of)\b",
    re.I,
)


#: Size limits of the patterns (words unless said otherwise), chosen on PolNeAR dev.
_MAX_SUBJECT_WORDS = 12  # a source noun phrase before its cue ('The state's campaign chairman')
_MAX_NAME_WORDS = 7  # the name before an appositive ('Leonard E. Burman, director of …')
_MAX_APPOSITIVE_WORDS = 30  # the appositive itself, between commas
_MAX_ADDRESSEE_WORDS = 6  # who was told ('told reporters on Monday')
_MAX_CUE_CLAUSE_WORDS = 6  # the clause of a later cue that ends a content (', arguing that …')
_MIN_CONTENT_CHARS = 2  # PolNeAR annotates contents as short as 'it' and 'so'


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
def _cue_words() -> frozenset[str]:
    return frozenset(cue_forms()) | _noun_cues()


@lru_cache(maxsize=1)
def _noun_cues() -> frozenset[str]:
    """Surface forms of the nominal cues (``lexicon/nouncues.txt``)."""
    return frozenset(w.lower() for row in lines("nouncues.txt") for w in row)


_WORD_START = re.compile(r"(?<![\w’'-])[A-Za-z]+(?![\w’'-])")


def _cue_matches(text: str, pos: int, endpos: int):
    """Cue-verb occurrences in ``text[pos:endpos]``: one word scan and a set look-up (no big alternation)."""
    words = _cue_words()
    for m in _WORD_START.finditer(text, pos, endpos):
        if m.group(0).lower() in words:
            yield m


_DOUBLED_SINGLE = re.compile(r"''|``")


def _one_mark(m: re.Match[str]) -> str:
    """One straight double mark where the pair sits, a space for the other character."""
    after = m.string[m.end()] if m.end() < len(m.string) else " "
    return '" ' if after.isalnum() or after in "$(['‘" else ' "'


def _normalise_marks(text: str) -> str:
    """Same-length copy where doubled single marks (``''``, the NYT style) read as straight double marks."""
    if "''" not in text and "``" not in text:
        return text
    norm = _DOUBLED_SINGLE.sub(_one_mark, text)
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
    cues.extend(m for m in _ACCORDING.finditer(text) if region_at(m.start()) is None)

    cues.sort(key=lambda m: m.start())
    # a noun cue ('statement', 'plan') does not open a new clause, so it never ends another content
    cue_starts = [m.start() for m in cues if m.group(0).lower() in cue_forms() or _ACCORDING.fullmatch(m.group(0))]
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
        if draft is None or (match.group(0).lower() in _QUOTE_ONLY_CUES and not _quotes_or_colon(text, draft)):
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


_SPACE = re.compile(r"\s+")


#: Cue words that attribute only a quotation or a colon ('"C," she continued', 'the letter reads:').
_QUOTE_ONLY_CUES = frozenset("continue continued continues continuing read reads".split())


def _quotes_or_colon(text: str, draft: _Draft) -> bool:
    first = draft.content[0][0]
    return text[first] in "“\"" or (draft.cue is not None and text[draft.cue[1] : draft.cue[1] + 2].strip() == ":")


def _read_cue(text, match, sent: Span, regions, region_at, cue_starts: list[int]) -> _Draft | None:
    """Apply the attribution patterns around one cue occurrence."""
    c_start, c_end = match.span()
    if _ACCORDING.fullmatch(match.group(0)):
        return _according(text, c_start, c_end, sent)
    word_before = _prev_word(text, c_start, sent.start)
    if match.group(0).lower() not in cue_forms():  # a noun-only cue ('her assertion that C')
        if _NOUN_CUE.match(text, c_end, sent.end):
            return None
        found = _possessive_nominal(text, match, sent, cue_starts) or _bare_nominal(text, match, sent, cue_starts)
        if found is not None and not _WORD.search(text, sent.start, (found.source or found.cue)[0]):  # type: ignore[index]
            return None  # 'Her refusal to answer angered them': a subject clause, whose end needs a parser
        return found
    if word_before == "to" and match.group(0).lower() in _INFINITIVE_CUES:
        return _infinitive(text, match, sent, cue_starts)
    if match.group(0).lower() in _NOUNISH:
        nominal = _possessive_nominal(text, match, sent, cue_starts)
        if nominal is None and match.group(0).lower() in _noun_cues():
            nominal = _bare_nominal(text, match, sent, cue_starts)  # 'growing fears that C'
        if nominal is not None:
            return nominal
    if word_before and word_before.lower() in _DETERMINERS | {"to"} and not (
        word_before.lower() in _QUANTIFIERS and match.group(0).lower() not in _NOUNISH
    ):
        return None  # "a promise", "the report", "to say": nouns and infinitives are not cues here
    cue_start = _aux_start(text, sent.start, c_start)
    relative = _relative_clause_cue(text, cue_start, c_end, sent, cue_starts)
    if relative is not None:
        return relative
    if _NOUN_CUE.match(text, c_end, sent.end):
        return None  # 'worries have dogged', 'plans could': the cue word is a noun subject
    if cue_start < c_start and _PASSIVE_AUX.search(text, cue_start, c_start) and match.group(0).lower().endswith(
        _PARTICIPLE_ENDINGS
    ):
        return _passive(text, cue_start, c_end, sent, cue_starts)
    particle = _PARTICLE.match(text, c_end, sent.end)
    if cue_forms().get(match.group(0).lower()) in _TOPIC_CUES:
        if particle is None or particle.group(1).lower() not in ("of", "about", "out"):
            return None  # 'spoke for five minutes', 'talked to aides': only 'spoke of/about/out' reports
        c_end = particle.end()
        particle = None
    if particle and (match.group(0).lower().startswith("call") and particle.group(1).lower() in ("for", "on", "out")
                     or particle.group(1).lower() in ("against", "about")):
        c_end = particle.end()  # 'called for', 'warned against', 'complained about': the particle is cue
    lemma_particles = _LEMMA_PARTICLES.get(cue_forms().get(match.group(0).lower(), ""))
    if lemma_particles and c_end == match.end():
        extra = _ANY_PARTICLE.match(text, c_end, sent.end)
        if extra and extra.group(1).lower() in lemma_particles:
            c_end = extra.end()  # 'pointed out', 'pointed to', 'pleads for', 'agreed with'
    nominal = _NOMINAL_AFTER_CUE.match(text, c_end, sent.end)
    if nominal:
        c_end = nominal.end()  # 'said in a statement': PolNeAR's cue takes the nominal adjunct
    subject = _subject(text, sent.start, cue_start)
    if (
        subject is not None
        and match.group(0).lower() in _NOUNISH
        and cue_start == c_start
        and not _THAT_OR_TO.match(text, c_end, sent.end)
    ):
        head = text[subject[0] : subject[1]].split()[-1]
        if head[0].islower() and head.lower() not in _PRONOUNS | _RELATIVES | _PERSON_HEADS and head.lower() not in titles():
            return None  # 'emissions rules', 'member states': a noun compound, not 'S states'
    after_start = c_end
    source: tuple[int, int] | None = subject
    if subject is None:
        base = max(sent.start, cue_start - _COORDINATION_REACH_CHARS)
        before = text[base:cue_start].rstrip()
        shared = _COORDINATED_CUE.search(before)
        if shared and text[sent.start : base + shared.start()].strip():
            source = _clause_subject(text, sent.start, base + shared.start())
            start = _skip_complementiser(text, c_end, sent.end)
            end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
            if source is not None and end - start >= _MIN_CONTENT_CHARS and _WORD.search(text, start, end):
                return _Draft([(start, end)], (cue_start, c_end), source, 0.6)
            return None
        if match.group(0).lower().endswith("ing") and (
            before.endswith(",")
            or cue_forms().get(match.group(0).lower()) in _SPEECH_LEMMAS and (word_before or "").lower() not in _GERUND_PREPOSITIONS
        ):
            # ', saying that C' / ', adding C': the participle shares the main clause's subject
            source = _clause_subject(text, sent.start, cue_start)
            start = _skip_complementiser(text, c_end, sent.end)
            end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
            if end - start < _MIN_CONTENT_CHARS or not _WORD.search(text, start, end):
                return None
            return _Draft([(start, end)], (cue_start, c_end), source, 0.6)
        if (
            match.group(0).lower().endswith("ing")
            and (word_before or "").lower() in _GERUND_PREPOSITIONS
            and cue_forms().get(match.group(0).lower()) in _SPEECH_LEMMAS
        ):
            return _prepositional_gerund(text, match, cue_start, c_end, sent, cue_starts)
        # Inverted: '"C," said Carter' / ', said the institute'
        source = _right_np(text, c_end, sent.end, allow_lower=_is_after_quote_or_comma(text, sent.start, cue_start))
        if source is None:
            return None
        party = _PARTY_TAG.match(text, source[1], sent.end)
        if party:
            source = (source[0], party.end())
        appositive = _TRAILING_APPOSITIVE.match(text, source[1], sent.end)
        if appositive:
            source = (source[0], _rstrip(text, source[1], appositive.end()))
        after_start = source[1]
        if not _is_after_quote_or_comma(text, sent.start, cue_start):
            return None
    # What precedes the subject, up to the clause start: '"C," S said' and 'C, S said.'
    prefix_end = _rstrip_space(text, sent.start, (subject or (cue_start, cue_start))[0])
    rest = text[after_start:sent.end]
    rest_is_adjunct = _is_adjunct_tail(rest) or _is_addressee_tail(match.group(0), rest) or (
        prefix_end > sent.start
        and text[prefix_end - 1] in "”\""
        and not _NEW_CONTENT.match(rest)
        and not _quote_is_embedded(text, sent.start, prefix_end, regions, region_at)
    )
    if prefix_end > sent.start and text[prefix_end - 1] in ",”\"" and rest_is_adjunct:
        content = _prefix_content(text, sent, prefix_end, regions, region_at)
        if content:
            follow = _following_quote(text, after_start, sent, regions, region_at)
            return _Draft(content + follow, (cue_start, c_end), source, 0.9)
    colon = _COLON.match(text, after_start)  # not on text[after_start:]: a copy of the rest of the text per cue
    if colon:
        start = colon.end()
        r = region_at(start)
        end = regions[r].end if r is not None else _rstrip(text, start, _content_end(text, start, sent, cue_starts))
        if end > start:
            return _Draft([(start, end)], (cue_start, c_end), source, 0.85)
        return None
    if subject is None:
        return None
    start = _skip_complementiser(text, after_start, sent.end)
    if not text.startswith("that", start):
        if match.group(0).lower() in _ADDRESSEE_CUES:
            addressee = _ADDRESSEE.match(text, after_start, sent.end)
            if addressee and len(addressee.group(0).split()) <= _MAX_ADDRESSEE_WORDS:
                start = addressee.end()  # 'told reporters on Monday he would …': skip who was told
    comma = _COMMA_QUOTE.match(text, start, sent.end)
    if comma:
        start = comma.end()  # 'said, "C"'
    elif text.startswith(",", start):
        # 'C1, S said, C2': the content is both sides of the parenthetical cue
        start = start + 1 + len(text[start + 1 : sent.end]) - len(text[start + 1 : sent.end].lstrip())
        end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
        if end - start < _MIN_CONTENT_CHARS:
            return None
        pieces = [(start, end)]
        if prefix_end > sent.start and text[prefix_end - 1] == ",":
            left = _rstrip(text, sent.start, prefix_end - 1)
            lead = _clause_lead(text, sent.start, left)
            conj = _LEAD_CONJUNCTION.match(text, lead, left)
            if conj:
                lead = conj.end()
            if left - lead > 2 and not _LEAD_ADJUNCT.match(text, lead, left):
                pieces.insert(0, (lead, left))
        return _Draft(pieces, (cue_start, c_end), source, 0.6)
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    r = region_at(end - 1) if end > start else None
    if r is not None and regions[r].end > end:
        end = regions[r].end  # a quote that runs past the sentence belongs to this content
    if end - start < _MIN_CONTENT_CHARS or not _WORD.search(text, start, end):
        return None
    return _Draft([(start, end)], (cue_start, c_end), source, 0.7)


_COLON = re.compile(r"\s*:\s*")
#: Verbs of saying proper: a gerund after a preposition ('by saying', 'for claiming') reports speech.
_SPEECH_LEMMAS = frozenset(
    "say tell claim argue insist suggest warn promise pledge vow deny admit announce declare note point accuse "
    "ask add state assert allege write tweet predict complain threaten urge describe mention stress explain "
    "acknowledge concede confirm reveal disclose call joke boast brag contend maintain".split()
)
_GERUND_PREPOSITIONS = frozenset("by for after before while from without upon on in".split())


def _prepositional_gerund(text: str, match, cue_start: int, c_end: int, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'… aside from saying he wants X' / 'After saying C, she left': the gerund's source is the
    main clause's subject; a sentence-initial adjunct ends at its comma."""
    start = _skip_complementiser(text, c_end, sent.end)
    lead = _LEAD.match(text, sent.start, cue_start).end()
    initial = len(_WORD.findall(text, lead, cue_start)) == 1  # only the preposition precedes
    end = _content_end(text, start, sent, cue_starts)
    if initial:
        comma = start
        while True:
            comma = text.find(",", comma + 1, end)
            if comma < 0 or not _inside_quotes(text, start, comma):
                break
        if comma < 0:
            return None
        end = comma
        after = comma + 1 + len(text[comma + 1 : sent.end]) - len(text[comma + 1 : sent.end].lstrip())
        source = _clause_subject(text, after, sent.end)
    else:
        source = _clause_subject(text, sent.start, cue_start)
    end = _rstrip(text, start, end)
    if source is None or end - start < _MIN_CONTENT_CHARS or not _WORD.search(text, start, end):
        return None
    return _Draft([(start, end)], (match.start(), c_end), source, 0.5)


#: 'which he said', 'what the senators said': a relative word, then a short subject before the cue.
_RELATIVE_SUBJECT = re.compile(
    r"\b(which|what|whom)\s+((?:he|she|they|it|we|I|you)|(?:(?:the|a|an|his|her|their|its)\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,4})\s+$"
)
#: After the cue of a relative attribution, the relative clause's own verb ('… said was false').
_RELATIVE_VERB = re.compile(
    r"\s+(?:is|was|were|are|has|had|have|would|will|could|can|should|may|might|did|does|do|must)\b"
)


def _relative_clause_cue(text: str, cue_start: int, c_end: int, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'what the senators said was gerrymandering' / 'which he said were favours': the content is
    the relative word and the clause after the cue; the source the subject between them."""
    m = _RELATIVE_SUBJECT.search(text, max(sent.start, cue_start - 60), cue_start)
    if m is None:
        return None
    verb = _RELATIVE_VERB.match(text, c_end, sent.end)
    if verb is None and m.group(1) != "what":
        return None
    source = _simple_np(text, m.end(1), _rstrip_space(text, m.end(1), cue_start), trim_adjunct=False)
    if source is None or source[0] != m.start(2):
        return None
    start = c_end + len(text[c_end : sent.end]) - len(text[c_end : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    return _Draft([m.span(1), (start, end)], (cue_start, c_end), source, 0.5)


#: ', the director of the agency.' after an inverted source: the appositive belongs to the source.
_TRAILING_APPOSITIVE = re.compile(
    r",\s+(?:(?:now|also|then|formerly)\s+)?(?:a|an|the|who|whose|which|of|(?![a-z]+ing\b)[a-z][\w-]*(?:\s+[\w-]+){0,3}\s+(?:of|at|for|with|in))\b"
    r"(?:[^.;:“”\"]|(?<=[A-Z])\.(?=[A-Z,\s])|(?<=Jr|Sr|Dr|St|Co|Mr|Ms)\.|(?<=Inc|Mrs|Ltd)\.)*[.]?$"
)
#: ' (D-N.C.)' after a name.
_PARTY_TAG = re.compile(r"\s*\([^()]{1,20}\)")
#: After '"C," S said', a clause that opens new content ('that …', ': …') instead of an adjunct.
_NEW_CONTENT = re.compile(r"\s*(?::|(?:that|\w+ that)\b)")
_ADDRESSEE_CUES = frozenset("told tell tells telling reminded remind reminds assured assure assures informed".split())
_ADDRESSEE = re.compile(r"\s*[^,.;:“”\"]{1,60}?\s(?=(?:that|he|she|they|it|we|I|you|there|his|her|their)\b)")
_NOMINAL_AFTER_CUE = re.compile(
    r"\s+(?:in|during)\s+(?:a|an|the|his|her|their|its)\s+(?:[a-z]+\s+){0,2}"
    r"(?:interview|statement|speech|email|letter|news conference|press conference|briefing|op-ed)"
    r"(?:\s+with\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)?"
)
_COMMA_QUOTE = re.compile(r",\s*(?=[“\"])")
_NOUN_CUE = re.compile(
    r"\s+(?:has|have|had|is|are|was|were|will|would|could|can|should|may|might|must|came|come|comes)\b"
)
_COORDINATED_CUE = re.compile(r",?\s*\b(?:and|but)$", re.I)
#: Cue forms that are also common nouns ('rules', 'plans', 'support'); read as verbs only after a
#: pronoun, a name or a person noun.
_NOUNISH = frozenset(
    "state states rule rules rate rates point points question questions note notes support supports plan plans "
    "report reports claim claims call calls attack attacks charge charges estimate estimates "
    "forecast forecasts promise promises pledge pledges fear fears hope hopes worry worries doubt doubts "
    "concern concerns threat threats warning warnings comment comments label labels detail details "
    "outline outlines reference references highlight highlights blame demand demands answer answers "
    "reply replies respond signal signals project projects".split()
)
_THAT_OR_TO = re.compile(r"\s+(?:that\b|to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b)[a-z]+\b)")
#: Particles PolNeAR keeps in the cue, by lemma.
_LEMMA_PARTICLES = {
    "point": ("out", "to"), "plead": ("for",), "agree": ("with",), "know": ("as",), "learn": ("of", "about"),
    "warn": ("of",), "speak": ("out",), "accuse": ("of",), "complain": ("of",), "hint": ("at",),
    "advocate": ("for",), "describe": ("as",), "blame": ("for",), "characterize": ("as",), "characterise": ("as",),
}
_ANY_PARTICLE = re.compile(r"\s+(out|to|for|with|as|of|about|at)\b")
_PARTICLE = re.compile(r"\s+(out|to|for|with|as|of|about|at)\b")
_BARE_TIME = re.compile(
    r"\s+(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:this|last)\s+(?:week|month|year|weekend)|then)\b"
)
#: What may follow a cue's time word: the content ('that', a quote mark, a colon, a comma) or a subject.
_TIME_CUE_NEXT = re.compile(r"\s*(?:that\b|[“\":,]|\.?$|(?:he|she|they|it|we|I|the|a|an|his|her|their)\b|[A-Z])")
_PARTICLE = re.compile(r"\s+(for|on|against|about|of|out)\b", re.I)
#: Lemmas that report only with a topic particle ('spoke of', 'talked about', 'spoke out').
_TOPIC_CUES = frozenset({"speak", "talk"})
#: Words ending in -ly that are not adverbs ('the family said', 'the daily reported').
_LY_NOUNS = frozenset(
    "family ally rally assembly supply daily weekly monthly quarterly yearly anomaly monopoly italy july "
    "fly belly bully jelly lily holly reply comply apply imply".split()
)
#: Auxiliaries and adverbs between a subject and its cue verb: PolNeAR counts them in the cue.
_AUX_RUN = re.compile(
    r"(?:\b(?:" + "|".join(sorted(_INTERVENING, key=len, reverse=True)) + r"|now|(?!(?:"
    + "|".join(sorted(_LY_NOUNS, key=len, reverse=True)) + r")\b)[a-z]+ly)(?:n[’']t)?\s+)+$"
)


def _aux_start(text: str, floor: int, cue_start: int) -> int:
    """Start of the auxiliaries and adverbs right before a cue verb ('has also said', 'he’s claiming')."""
    m = _AUX_RUN.search(text, max(floor, cue_start - 60), cue_start)
    start = m.start() if m else cue_start
    clitic = _CLITIC.search(text, max(floor, start - 4), start)
    if clitic and clitic.group(1) == "s" and not _VERB_FORM.match(text, cue_start):
        return start  # "Editor’s note", "the campaign’s plan": a possessive, not 'he’s claiming'
    return clitic.start() if clitic else start


_CLITIC = re.compile(r"(?<=\w)[’'](s|ve|re|ll|d)\s+$")
_VERB_FORM = re.compile(r"[a-z]+(?:ing|ed|en|wn|ld|ght|id)\b")


_HARD_STOP = re.compile(r"[;:()\[\]—–“”\"]|\s-\s|--")
_NAME_WORD = re.compile(r"[A-Z][\w.’'&-]*")
_RELATIVES = frozenset({"who", "which"})
_PERSON_HEADS = frozenset(
    "police officials experts analysts critics aides advisers supporters voters lawmakers republicans "
    "democrats democrat republican residents staff spokesman spokeswoman spokesperson official observers "
    "authorities investigators prosecutors economists researchers scientists leaders members protesters "
    "sources polls surveys others people poll survey study studies report reports data analysis research "
    "figures numbers records documents campaign administration government party committee company group "
    "agency department ministry office court statement letter memo complaint lawsuit filing emails "
    "transcript website ad ads video footage review audit investigation percent average averages slide "
    "chart map".split()
)


def _simple_np(text: str, floor: int, end: int, *, trim_adjunct: bool = True) -> tuple[int, int] | None:
    """The noun phrase ending at ``end``: back to punctuation, a clause word or ``floor``
    (never more than ``_NP_REACH_CHARS`` back, cut at a space)."""
    if end - floor > _NP_REACH_CHARS:
        space = _SPACE.search(text, end - _NP_REACH_CHARS, end)
        floor = space.end() if space else end - _NP_REACH_CHARS
    stop = floor
    for m in _HARD_STOP.finditer(text, floor, end):
        stop = m.end()
    comma = text.rfind(",", stop, end)
    if comma >= 0:
        stop = comma + 1
    words = list(_WORD.finditer(text, stop, end))
    for i in range(len(words) - 1, -1, -1):
        w = words[i].group(0).lower()
        if w == "and" and 0 < i < len(words) - 1 and _np_coordination(words, i):
            continue  # 'Federal and state officials', 'the former secretary and current nominee'
        if w in _BOUNDARY:
            if w in _RELATIVES and i == len(words) - 1:
                return words[i].start(), words[i].end()  # 'X, who said ...': the relative is the source
            words = words[i + 1 :]
            break
    if trim_adjunct and words and words[0].group(0).lower() in _PREPOSITIONS and words[-1].group(0)[0].isupper():
        # 'In a Bloomberg interview Trump declared': the name after an unpunctuated adjunct
        k = len(words) - 1
        while k > 0 and words[k - 1].group(0)[0].isupper():
            k -= 1
        words = words[k:]
    if len(words) >= 3 and words[-2].group(0).lower() in ("on", "last", "this") and words[-1].group(0).lower() in _TIME_WORDS:
        words = words[:-2]  # 'The Times on Saturday wrote': the time adjunct is not part of the source
    if not words or len(words) > _MAX_SUBJECT_WORDS:
        return None
    first, last = words[0].group(0), words[-1].group(0)
    low_first, low_last = first.lower(), last.lower()
    if low_first in _PRONOUNS:
        if len(words) > 1:
            return None
    elif not (first[0].isupper() or first[0].isdigit() or low_first in _DETERMINERS or low_first in _QUANTIFIERS):
        if not (len(words) <= 4 and (low_last in _PERSON_HEADS or low_first in _PERSON_HEADS)) and not (
            last[0].isupper() and len(words) <= 6 and any(w.group(0)[0].isupper() for w in words[1:-1])
        ) and not (
            len(words) <= 3 and len(low_last) > 4 and low_last.endswith("s") and not low_last.endswith("ss")
        ):
            return None
    if (low_last in _DETERMINERS and not (len(words) == 1 and low_last in _QUANTIFIERS)) or (
        low_last.endswith("ly") and not last[0].isupper() and low_last not in _LY_NOUNS
    ):
        return None
    if low_first in _PREPOSITIONS or low_last in _PREPOSITIONS or low_last.endswith(("'s", "’s")):
        return None  # 'the secretary of state', "Editor's note": the cue word is a noun here
    for prev, w in zip(words, words[1:]):
        lw = w.group(0)
        if lw in _VERBISH:
            return None  # 'Trump did not unveil', 'her allies have been': a clause, not a noun phrase
        if prev.group(0)[0].isupper() and _PAST_AFTER_NAME.fullmatch(lw) and lw not in _ED_ADJECTIVES:
            return None  # 'Trump unleashed a series of tweets': a name and its past-tense verb
    start = words[0].start()
    # a title abbreviation written with its full stop ('Sen. Perdue') is part of the name
    return start, words[-1].end()


_PAST_AFTER_NAME = re.compile(
    r"[a-z]{2,}ed|sent|made|gave|took|wrote|went|came|got|held|put|set|began|spent|brought|kept|left|met|ran|sat|"
    r"stood|won|lost|paid|built|bought|led|drew|threw|chose|spoke|broke|fell|hit|cut|let|shut|told|said"
)
#: -ed words that follow a capitalised word inside a noun phrase ('Saudi-led', 'Democratic elected officials').
_ED_ADJECTIVES = frozenset("elected appointed retired armed based led backed owned funded affiliated aligned united".split())
_VERBISH = frozenset(
    "has have had is are was were be been being do does did not will would can could should may might must "
    "shall won't don't didn't doesn't isn't wasn't aren't weren't".split()
)
_PREPOSITIONS = frozenset("of for in on at to by with from about into over under than as".split())
_TIME_WORDS = frozenset(
    "week month year morning afternoon evening night weekend".split()
) | frozenset(MONTHS) | frozenset(WEEKDAYS)
_QUANTIFIERS = frozenset("many some several most few all both two three four five other another one each".split())


def _np_coordination(words: list, i: int) -> bool:
    """True when the 'and' at ``words[i]`` joins two parts of one noun phrase."""
    if words[i - 1].group(0)[0].isupper():
        return True
    j = i - 1
    while j >= 0 and words[j].group(0).lower() not in _BOUNDARY:
        j -= 1
    head = words[j + 1].group(0).lower()
    return j + 1 < i and head in ("the", "a", "an") and i - j <= 8


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
    if text.endswith(("--", "—"), floor, end):
        dash = text.rfind("--" if text[end - 1] == "-" else "—", floor, end - 2)
        if dash > floor:
            name = _simple_np(text, floor, _rstrip_space(text, floor, dash), trim_adjunct=False)
            if name is not None and _NAME_WORD.match(text, name[0]):
                return name[0], end  # 'Kall -- co-editor of a book on debates -- said'
        return None
    return _simple_np(text, floor, end)


_ADJUNCT_APPOSITIVE = re.compile(
    r"\s*(?:[a-z]+ing|in|at|on|during|after|before|however|though|meanwhile|also|too|speaking|asked|"
    r"when|while|in a|at a)\b"
)


def _appositive_subject(text: str, floor: int, end: int) -> tuple[int, int] | None:
    """'NAME, APPOSITIVE,' right before a cue; the appositive may hold commas ('59, of Ashton, Md.')."""
    comma = end - 1
    for _ in range(4):
        comma = text.rfind(",", floor, comma)
        if comma < 0:
            return None
        appositive = text[comma + 1 : end - 1]
        if _HARD_STOP.search(appositive.replace("(", "").replace(")", "")) or len(appositive.split()) > _MAX_APPOSITIVE_WORDS:
            return None
        name_end = _rstrip_space(text, floor, comma)
        if text[name_end - 1 : name_end] == ")":
            open_at = text.rfind("(", floor, name_end)
            name_end = _rstrip_space(text, floor, open_at) if open_at > floor else name_end
        name = _simple_np(text, floor, name_end, trim_adjunct=False)
        if name is not None and _NAME_WORD.match(text, name[0]) and len(_WORD.findall(text, name[0], comma)) <= _MAX_NAME_WORDS:
            if _ADJUNCT_APPOSITIVE.match(appositive):
                return name  # 'Trump, speaking to veterans in Virginia, said': an adjunct, not part of the source
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
    # the first lower-case cue ('State' in 'secretary of State' is a name, not a cue)
    first = next((m for m in _cue_matches(text, floor, end) if m.group(0).islower()), None)
    if first is not None:
        found = _subject(text, floor, _aux_start(text, floor, first.start()))
        if found is not None:
            return found
    pos = _LEAD.match(text, floor, end).end()
    for _ in range(3):
        m = _SENTENCE_SUBJECT.match(text, pos, end)
        if m is not None and m.group(1).split()[0].lower() not in _PREPOSITIONS | _BOUNDARY:
            return m.start(1), _extend_subject(text, m.end(1), end)
        comma = text.find(",", pos, end)
        if comma < 0 or comma - pos > 60:
            return None
        pos = comma + 1
        while pos < end and text[pos].isspace():
            pos += 1
    return None


_NP_FUNCTION_WORDS = frozenset("of for the a an and at in on from with".split())


def _extend_subject(text: str, pos: int, end: int) -> int:
    """Extend a subject's capitalised head over the nouns that follow it ('A reporter for USA
    Today', 'Other leaders') up to the first word that looks like its verb."""
    best = pos
    for count, w in enumerate(_WORD.finditer(text, pos, end)):
        word = w.group(0)
        low = word.lower()
        if count >= _MAX_NAME_WORDS or text[pos : w.start()].strip() or low in _VERBISH or low in _BOUNDARY:
            break
        if word[0].islower() and (
            _PAST_AFTER_NAME.fullmatch(low) or low in _cue_words() or (low.endswith("ly") and low not in _LY_NOUNS)
        ):
            break
        pos = w.end()
        if low not in _NP_FUNCTION_WORDS:
            best = pos
    return best


#: What may open a sentence before its subject: a conjunction, a short adjunct and its comma.
_LEAD = re.compile(r"(?:(?:But|And|Yet|So|Still|Meanwhile|However|Instead|Then|Now),?\s+)?")
#: A sentence subject: a pronoun or a run of capitalised words ('Senator Ada Fenwick').
_SENTENCE_SUBJECT = re.compile(
    r"((?:He|She|They|It|We|I|he|she|they|it|we)\b|(?:(?:The|the)\s+)?[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|for|the|and))*)"
    r"(?=\s+[a-z])"
)


def _with_quote_before(text: str, sent: Span, regions, region_at) -> Span:
    """'"Why?" she said.' is cut after '?"': give the cue's sentence back the quote right before it."""
    pos = _rstrip_space(text, 0, sent.start)
    if pos == 0 or text[pos - 1] not in "”\"" or "\n" in text[pos : sent.start]:
        return sent
    r = region_at(pos - 1)
    if r is None or regions[r].end != pos or len(regions[r].pieces) > 1 or text[pos - 2] not in ",?!—–-":
        return sent  # '"C." She says …' starts a new sentence; only '"C?" she said' and kin are cut wrongly
    before = _rstrip_space(text, 0, regions[r].start)
    if before > 0 and text[before - 1] not in "\n.!?”\"":
        return sent
    return Span(start=regions[r].start, end=sent.end, text=text[regions[r].start : sent.end])


def _in_headline(text: str, seg: Segmentation, pos: int) -> bool:
    """True inside a Title Case line ('New Poll Shows Bump For Clinton'), where verbs are capitalised."""
    para = seg.paragraphs[seg.paragraph_index(pos)]
    words = _WORD.findall(text, para.start, para.end)
    if len(words) < 3 or len(words) > 25:
        return False
    words = [w.lstrip("'’") or w for w in words]  # "'Suffering and Delight'": a quoted title word
    return sum(w[0].isupper() or w[0].isdigit() for w in words) >= 0.75 * len(words)


#: Cue verbs annotated even as infinitives ('took to Twitter to accuse X of Y'): the main
#: clause's subject is the source.
_INFINITIVE_CUES = frozenset("accuse discuss criticize criticise attack blame urge warn demand condemn denounce praise".split())


def _infinitive(text: str, match, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'S went on TV to accuse X of Y': source S, cue 'to accuse', content the rest of the clause."""
    source = _clause_subject(text, sent.start, match.start())
    if source is None:
        return None
    start = _skip_complementiser(text, match.end(), sent.end)
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    to = text.rfind("to", sent.start, match.start())
    return _Draft([(start, end)], (to, match.end()), source, 0.5)


#: 'Trump’s claim that …', 'his promise to …': a possessor before a nominal cue.
_POSSESSOR = re.compile(
    r"(?:\b([Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|[Mm]y)|((?:(?:the|The)\s+)?(?:[A-Z][\w.&-]*\s+){0,4}[\w.&-]+[’']s?))"
    r"\s+(?:[a-z]+\s+)?$"
)


def _possessive_nominal(text: str, match, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'S's claim that C' / 'his promise to C': source the possessor, cue the noun."""
    if not _THAT_OR_TO.match(text, match.end(), sent.end):
        return None
    m = _POSSESSOR.search(text, max(sent.start, match.start() - 80), match.start())
    if m is None:
        return None
    source = m.span(1) if m.group(1) else m.span(2)
    start = match.end() + len(text[match.end() : sent.end]) - len(text[match.end() : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    return _Draft([(start, end)], match.span(), source, 0.5)


#: What may precede a nominal cue without a possessor: 'the', 'a', 'growing', 'widespread' …
_BARE_NOMINAL_BEFORE = re.compile(r"(?:\b(?:the|a|an|growing|widespread|rising|renewed|new|broad)\s+)(?:[a-z]+\s+)?$", re.I)
_THAT_CLAUSE = re.compile(r"\s+that\s+(?!is\b|was\b|are\b|were\b|has\b|have\b|had\b|would\b|will\b|could\b)")


def _bare_nominal(text: str, match, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'growing fears that C', 'the belief that C': a nominal cue with no possessor, so no source."""
    if not _THAT_CLAUSE.match(text, match.end(), sent.end):
        return None  # 'the claim that was made' is a relative clause, not content
    before = _BARE_NOMINAL_BEFORE.search(text, max(sent.start, match.start() - 30), match.start())
    if before is None or before.start() <= _LEAD.match(text, sent.start, match.start()).end():
        return None  # 'The fear that C drove them': a subject clause, whose end needs a parser
    start = match.end() + len(text[match.end() : sent.end]) - len(text[match.end() : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    return _Draft([(start, end)], match.span(), None, 0.4)


_PASSIVE_AUX = re.compile(r"\b(?:is|are|was|were|been|be|being)\b")
_PARTICIPLE_ENDINGS = ("ed", "en", "wn", "id", "ld", "ght", "ard")
_BY_AGENT = re.compile(r"\s*by\s+")


def _passive(text: str, cue_start: int, c_end: int, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'X is expected to Y' / 'X was criticized by Z for Y': the content is the subject and the
    complement, the source the agent after 'by' (or none)."""
    subject = _subject(text, sent.start, cue_start)
    if subject is None:
        return None
    source = None
    start = c_end
    by = _BY_AGENT.match(text, c_end, sent.end)
    if by:
        agent = _right_np(text, by.end(), sent.end, allow_lower=True)
        if agent is not None:
            source, start = agent, agent[1]
            c_end = _rstrip_space(text, c_end, by.end())  # PolNeAR's cue is 'endorsed by'
    start += len(text[start : sent.end]) - len(text[start : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    pieces = [subject] + ([(start, end)] if end - start >= _MIN_CONTENT_CHARS else [])
    return _Draft(pieces, (cue_start, c_end), source, 0.5)


_WORD_BEFORE = re.compile(r"\b(\w+)\s+$")


def _quote_is_embedded(text: str, floor: int, end: int, regions, region_at) -> bool:
    """True when the quote ending at ``end`` hangs off a preposition or determiner ('the broadcast
    of "Fox News Sunday,"'): a title or a mention, not the content of a following 'S said'."""
    r = region_at(end - 1)
    if r is None:
        return False
    m = _WORD_BEFORE.search(text, max(floor, regions[r].start - 40), regions[r].start)
    return m is not None and m.group(1).lower() in _PREPOSITIONS | _DETERMINERS


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].strip()
    return not before or before[-1] in ".!?\n“\"”"


def _according(text: str, c_start: int, c_end: int, sent: Span) -> _Draft | None:
    """``According to S, C`` and ``C, according to S``."""
    src = _right_np(text, c_end, sent.end, allow_lower=True)
    if src is None:
        return None
    before = _rstrip_space(text, sent.start, c_start)
    if before > sent.start and text[before - 1] in ",—–":
        end = _rstrip(text, sent.start, before - 1)
        start = sent.start
        conj = _LEAD_CONJUNCTION.match(text, start, end)
        if conj:
            start = conj.end()
        return _Draft([(start, end)], (c_start, c_end), src, 0.8)
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
    r"(?:[A-Z][\w.’'&/-]*|[0-9][\w/-]*)(?:\s+(?:[A-Z][\w.’'&-]*|of|for|the|and|de|al-\w+|"
    r"(?!(?:in|on|at|to|by|from|with|after|before|during|as|when|while|that|but)\b)[a-z]+(?=\s+[A-Z])))*"
    r"|he|she|they|it|we|I)\b"
)
_RIGHT_NP_LOWER = re.compile(r"\s*((?:the|a|an|The|A|An|some|many|several|two|three)?\s*[\w’'.&-]+(?:\s+[\w’'.&-]+){0,7}?)(?=\s*(?:,|\.|;|$))")


def _right_np(text: str, pos: int, end: int, *, allow_lower: bool = False) -> tuple[int, int] | None:
    """A noun phrase right after ``pos`` ('said Ash Carter', 'according to the institute'),
    read up to ``_RIGHT_NP_REACH_CHARS`` on."""
    m = _RIGHT_NP.match(text, pos, min(end, pos + _RIGHT_NP_REACH_CHARS))
    if m and m.group(1).strip():
        s, e = m.span(1)
        while e > s and text[e - 1] in ".,":
            e -= 1
        return (s, e) if e > s else None
    if allow_lower:
        m = _RIGHT_NP_LOWER.match(text, pos, end)
        if m:
            s, e = m.span(1)
            while e > s and text[e - 1] in ".,;:":
                e -= 1
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


def _is_addressee_tail(cue: str, rest: str) -> bool:
    """'C, Graham told The Harbour Post on Thursday.': after 'told' only the addressee remains."""
    if cue.lower() not in _ADDRESSEE_CUES:
        return False
    stripped = rest.strip().rstrip(".!?")
    words = stripped.split()
    return 0 < len(words) <= _MAX_ADDRESSEE_WORDS + 2 and not re.search(r"\bthat\b|[,;:“”\"]", stripped)


def _is_adjunct_tail(rest: str) -> bool:
    """True when what follows the cue and source is only a time/place adjunct or nothing."""
    stripped = rest.strip().lstrip(",").strip()
    if not stripped or stripped in {".", "!", "?"} or stripped[0] in ".;:!?,":
        return True
    if stripped[0] in "“\"" and rest.lstrip().startswith((",", ":")):
        return True  # '"C1," he said, "C2."': the second piece follows
    first = stripped.split(",", 1)[0]
    return bool(_ADJUNCT_START.match(first)) and len(first.split()) <= 8 and " that " not in f" {first} "


def _prefix_content(text, sent: Span, prefix_end: int, regions, region_at) -> list[tuple[int, int]]:
    """Content of '"C," S said' (the quote region ending at the comma) or 'C, S said.'."""
    end = prefix_end
    while end > sent.start and text[end - 1] in ",":
        end -= 1
    start = sent.start
    r = region_at(max(sent.start, end - 1))
    if r is not None and (
        not _WORD.search(text, sent.start, regions[r].start)
        or text[_rstrip_space(text, sent.start, regions[r].start) - 1] in ",:"
    ):
        return [p for p in regions[r].pieces if p[1] <= end + 1] or [(regions[r].start, end)]
    if _LEAD_ADJUNCT.match(text, start, end):
        return []  # 'In a statement, S said …': the clause before the subject is an adjunct, not content
    conj = _LEAD_CONJUNCTION.match(text, start, end) or _DATELINE.match(text, start, end)
    if conj:
        start = conj.end()
    return [(start, end)] if end - start > 2 else []


_LEAD_CONJUNCTION = re.compile(r"(?:And|But|So|Yet|Or)\s+")
#: 'WASHINGTON ― ' / 'NEW YORK (AP) -- ': a dateline opening the first paragraph.
_DATELINE = re.compile(r"[A-Z][A-Z.,' ]+(?:\([^)]{1,20}\))?\s*(?:―|—|–|--|-)\s*")


#: A short introductory adjunct ('In a statement', 'On Tuesday', 'Speaking to reporters').
_LEAD_ADJUNCT = re.compile(
    r"(?:in|on|at|during|after|before|speaking|asked|when|while|earlier|later|last|this|from|with|for|"
    r"meanwhile|however|also|still|yet|instead|then|now|today|yesterday|separately)\b[^,;:“”\"]{0,60}$",
    re.I,
)


_SPLIT_QUOTE_GAP = re.compile(r"[^“\"]{0,60}?[,:]\s*(?:(?:but|and)\s+)?(?=[“\"])")


def _following_quote(text, pos: int, sent: Span, regions, region_at) -> list[tuple[int, int]]:
    """The second piece of a quote split by its cue: '"C1," he said, "C2."'."""
    m = _SPLIT_QUOTE_GAP.match(text, pos, sent.end + 1)
    if not m:
        return []
    r = region_at(m.end())
    return list(regions[r].pieces) if r is not None else []


#: Adjuncts between a cue and its 'that' ('said on Tuesday that', 'said in a statement that').
_SKIPPABLE = re.compile(
    r"(?:on|in|at|during|last|this|yesterday|today|tonight|earlier|later|recently|again|publicly|privately|"
    r"repeatedly|" + "|".join(WEEKDAYS) + r")\b",
    re.I,
)
_VERB_LIKE = re.compile(r"\b[a-z]+(?:s|ed)\b")
_UP_TO_THAT = re.compile(r"[^,.;:“\"]{0,60}?(?=\bthat\b)")


def _skip_complementiser(text: str, pos: int, end: int) -> int:
    """Skip 'that', an indirect object ('told reporters that') or a short adjunct before the content."""
    window = text[pos:end]
    m = _UP_TO_THAT.match(window, 0, 80)
    if m:
        skipped = m.group(0).split()
        # "criticised Brant's assertion that …": a possessive object is content, not an addressee
        possessive = any(w.endswith(("'s", "’s")) for w in skipped)
        if not possessive and (not skipped or _SKIPPABLE.match(m.group(0).strip()) or (
            len(skipped) <= 3 and skipped[0].lower() not in _PRONOUNS | _DETERMINERS and not _VERB_LIKE.search(m.group(0))
        )):
            return pos + m.end()  # content keeps its 'that' (the PolNeAR convention)
    m = re.match(r"\s*:?\s*", window)
    return pos + (m.end() if m else 0)


#: 'for acknowledging', 'by saying': a gerund governed by a preposition stays inside the content.
_GERUND_AFTER_PREP = re.compile(r".*\b(?:for|by|of|about|after|before|without|from|in)\s+$", re.S)


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
        coordinated = _COORDINATION.search(text, max(start, cue - _COORDINATION_REACH_CHARS), cue)
        if coordinated and coordinated.start() > start:
            end = coordinated.start()  # 'called X "outrageous" and called for Y': the next cue shares the subject
            break
        lo = max(start, scanned - 3)  # ' -- ' may straddle the part already scanned
        cut = max(cut, text.rfind(",", lo, cue), text.rfind("—", lo, cue), text.rfind(";", lo, cue), text.rfind(" -- ", lo, cue))
        scanned = cue
        if cut > start and (first and not _GERUND_AFTER_PREP.match(text, max(start, cue - 10), cue) or _at_most_words(text, cut, cue, _MAX_CUE_CLAUSE_WORDS)):
            end = cut
            break
        first = False
    for pattern in _CONTENT_BREAKS:
        brk = pattern.search(text, start + 10, end)
        if brk and not _inside_quotes(text, start, brk.start()):
            end = brk.start()
    participle = _PARTICIPLE_CLAUSE.search(text, start + 10, end)
    if participle:
        end = participle.start()  # '…, implicitly putting his name on the line': a free adjunct, not content
    tail = _NOMINAL_TAIL.search(text, start, end)
    if tail and tail.start() > start + 10:
        end = tail.start()
    return end


_NON_SPACE = re.compile(r"\S+")


def _at_most_words(text: str, start: int, end: int, n: int) -> bool:
    """``len(text[start:end].split()) <= n``, reading no more than n + 1 words."""
    for count, _ in enumerate(_NON_SPACE.finditer(text, start, end), start=1):
        if count > n:
            return False
    return True


#: A trailing nominal cue ('…, in an interview with X last week.') is not part of the content.
_COORDINATION = re.compile(
    r",?\s+(?:and|but)\s+(?:(?:" + "|".join(sorted(_INTERVENING, key=len, reverse=True)) + r")\s+)*$", re.I
)
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


_PARTICIPLE_CLAUSE = re.compile(r",\s+(?:[a-z]+ly\s+)?(?!including\b|according\b|notwithstanding\b)[a-z]+ing\b")
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
    taken_starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))  # reach[k]: the furthest end among taken[:k + 1]
    out = []
    for para in seg.paragraphs:
        m = _LABEL.match(text, para.start, para.end)
        if m is None or m.group(1).lower() in _NOT_SPEAKERS:
            continue
        start, end = m.end(), _rstrip(text, m.end(), para.end)
        if text[end - 1] in "”\"" and text[para.start] in "“\"":
            end -= 1
        before = bisect_left(taken_starts, end)  # the pieces that start before this content ends
        if end - start < 3 or (before and reach[before - 1] > start):
            continue  # it overlaps a content found already
        out.append(_Draft([(start, end)], m.span(2), m.span(1), 0.7))
    return out


#: '"C" ― Jane Doe, a voter in Ohio': a dash after a closing quote mark, then a capitalised name.
_DASH_SOURCE = re.compile(r"[^\S\n]*([―—–]|--?)[^\S\n]*([A-Z][\w.’'-]*(?:[^\S\n]+(?:[A-Z][\w.’'-]*|de|van|von|al))*)")


def _dash_attributions(text: str, regions, claimed: set[int]):
    """Dash attribution: a quote followed by a dash and the speaker's name."""
    for i, region in enumerate(regions):
        if i in claimed or not region.closed:
            continue
        m = _DASH_SOURCE.match(text, region.end)
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
        inner = sum(len(_WORD.findall(text[s:e])) for s, e in region.pieces)
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
    and ``between`` those of ``text[a:b]``, as ``_WORD.findall`` on those slices would, but from
    the word starts of the paragraph (found once), so many regions in one long paragraph cost
    one scan of it, not one each.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._para: Span | None = None
        self._starts: list[int] = []

    def _words(self, para: Span) -> list[int]:
        if self._para is None or self._para.start != para.start:
            self._para, self._starts = para, [m.start() for m in _WORD.finditer(self.text, para.start, para.end)]
        return self._starts

    def _joined(self, left: int, right: int) -> bool:
        """True when a word runs across ``left``/``right`` once the text between them is cut out."""
        return 0 < left and right < len(self.text) and bool(_WORD_CHAR.match(self.text, left - 1)) and bool(_WORD_CHAR.match(self.text, right))

    def between(self, para: Span, a: int, b: int) -> int:
        if a >= b:
            return 0
        if a < para.start or b > para.end:
            return len(_WORD.findall(self.text[a:b]))
        starts = self._words(para)
        straddles = a > para.start and self._joined(a, a)  # a word begun before ``a`` counts from it
        return bisect_left(starts, b) - bisect_left(starts, a) + straddles

    def outside(self, para: Span, region: QuoteRegion) -> int:
        if not (para.start <= region.start <= para.end):
            return len(_WORD.findall(self.text[para.start : region.start] + self.text[region.end : para.end]))
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
    if _WORD.search(outside):
        return "mixed"
    return "direct"
