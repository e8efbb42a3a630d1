"""Properties over generated news-like text, checked against the ORIGINAL text.

The risk these guard against is offsets computed on a changed copy of the text: ``''`` read as
a quote mark, curly and straight marks, NBSP, CRLF, tabs, zero-width characters and combining
marks all tempt code to normalise first and count later, and a span cut from the original at
offsets counted on a copy still passes ``text[start:end] == span.text`` (``Span.of`` slices the
original), so that check proves nothing. Instead the generator writes each transformation into
the text and remembers where it did, and every span of ``extract_quotes`` and
``Checker.structure`` must

* never start or end inside what a transformation made of one character (the two characters
  of ``''`` or ```` `` ````, of ``\\r\\n``), nor between a letter and its combining mark;
* sit where its role says in the original text: no boundary inside a word, no span starting
  or ending in white space, a cue starting on its word (or a dash), a direct quote on its mark.

A shifted offset breaks these almost at once: with the stages made to count on a copy without
NBSP, with tabs expanded, with CRLF as LF or with ``''`` as one mark, these properties fail,
where the old ``text[start:end] == span.text`` check passed six of those seven. The pipeline
must also never raise, be deterministic and survive a JSON round trip.

Where the pipeline breaks a rule today, the property is a strict xfail with the smallest text
that shows it (an explicit ``@example``, so the outcome does not depend on the random draw):
the day the stage is fixed, the property XPASSes and the mark has to go.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from quotecheck import Analysis, Checker
from quotecheck.models import Span
from quotecheck.testing.fakes import FakeEncoder

_CHECKER = Checker(encoder=FakeEncoder())

#: Attribution-shaped sentences (our own), so the transformations meet quotes, cues and sources.
_SENTENCES = [
    "“We will win the vote,” Ana Ruiz said.",
    "Acme Corp said it would close the plant in March.",
    "\"Taxes will fall,\" the minister said on Tuesday.",
    "According to the council, the library would reopen in May.",
    "Russia said it would strike the Islamic State.",
    "Russian jets struck areas around Homs.",
    "“It is over,” said Carter. “We move on.”",
    "The mayor told reporters that the bridge would reopen by Easter.",
    "He added: “No jobs will be cut.”",
    "Acme closed the plant in October.",
    "Zoë Brontë said she would resign.",
    "“Fear. Always fear.” — Jean Dupont",
    "“We are ready,” the general said, “to act.”",
    "Sen. John Doe (D-Ohio) said he would vote no.",
    "“The plan,” she said, “is dead.”",
]
#: Loose pieces, biased towards marks, dashes and line breaks (STYLE.md §5).
_PIECES = ["“", "”", '"', "‘", "’", "«", "»", "—", "–", "-", "\n", "\n\n", ", ", ". ", " said ", " would strike ",
           "Carter", " he ", "according to ", ": ", "Russia", " struck ", " the plant", " not ", "1,000 ", "in March"]
_CHUNK = st.one_of(
    st.tuples(st.sampled_from(_SENTENCES), st.sampled_from([" ", "\n", "\n\n"])).map("".join),
    st.sampled_from(_PIECES),
    st.text(max_size=12),
)
_BASE = st.lists(_CHUNK, min_size=1, max_size=14).map("".join)
#: Only whole sentences: where the role rules must hold (junk pieces make junk quotes, whose
#: quality is not what these properties are about).
_WELL_FORMED = st.lists(st.tuples(st.sampled_from(_SENTENCES), st.sampled_from([" ", "\n", "\n\n"])).map("".join), min_size=1, max_size=10).map("".join)

_DOUBLE_MARKS = "“”\""
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_COMBINING = "\u0301\u0308\u0327\u0300"
TRANSFORMATIONS = ("doubled", "straight", "crlf", "nbsp", "tab", "zero-width", "combining")


@dataclass(frozen=True)
class Sample:
    """A generated text and, per transformation, the offsets no span boundary may fall on."""

    text: str
    crlf: frozenset[int] = frozenset()  # between the \r and the \n of a CRLF made from one \n
    doubled: frozenset[int] = frozenset()  # between the two marks of a '' or `` made from one quote mark
    marks: frozenset[int] = frozenset()  # before a combining mark, which belongs to the letter before it

    def __repr__(self) -> str:  # what hypothesis prints for a falsifying example
        return f"Sample({self.text!r})"


def transform(base: str, on: frozenset[str], rnd: random.Random) -> Sample:
    """Rewrite ``base`` one character at a time with the transformations in ``on``."""
    out: list[str] = []
    kept: dict[str, set[int]] = {"crlf": set(), "doubled": set(), "marks": set()}
    pos = 0

    def put(piece: str, protect: str | None = None, at: int = 1) -> None:
        nonlocal pos
        if protect:
            kept[protect].add(pos + at)
        out.append(piece)
        pos += len(piece)

    for i, ch in enumerate(base):
        if "zero-width" in on and rnd.random() < 0.03:
            put(rnd.choice(_ZERO_WIDTH))
        # three apostrophes in a row are ambiguous even to a reader, so a doubled mark never touches another
        alone = not (out and out[-1][-1:] in "'`") and base[i + 1 : i + 2] not in ("'", "`")
        if "doubled" in on and ch in _DOUBLE_MARKS and alone and rnd.random() < 0.6:
            put("``" if ch == "“" and rnd.random() < 0.3 else "''", "doubled")
        elif "straight" in on and ch in "“”‘’" and rnd.random() < 0.6:
            put('"' if ch in "“”" else "'")
        elif "crlf" in on and ch == "\n" and rnd.random() < 0.7:
            put("\r\n", "crlf")
        elif "nbsp" in on and ch == " " and rnd.random() < 0.2:
            put("\u00a0")
        elif "tab" in on and ch == " " and rnd.random() < 0.2:
            put("\t")
        elif "combining" in on and ch.isalpha() and rnd.random() < 0.08:
            put(ch + rnd.choice(_COMBINING), "marks")
        else:
            put(ch)
    return Sample("".join(out), *(frozenset(kept[k]) for k in ("crlf", "doubled", "marks")))


def sample_of(text: str) -> Sample:
    """A Sample for a hand-written text: every CRLF, '', `` and combining mark in it is protected."""
    return Sample(
        text,
        crlf=frozenset(m.start() + 1 for m in re.finditer(r"\r\n", text)),
        doubled=frozenset(m.start() + 1 for m in re.finditer(r"''|``", text)),
        marks=frozenset(i for i, ch in enumerate(text) if unicodedata.combining(ch)),
    )


@st.composite
def samples(draw, allowed: tuple[str, ...] = TRANSFORMATIONS, base: st.SearchStrategy[str] = _BASE) -> Sample:
    on = frozenset(draw(st.sets(st.sampled_from(allowed), min_size=1)))
    return transform(draw(base), on, draw(st.randoms(use_true_random=False)))


def _roles(a: Analysis) -> Iterator[tuple[str, Span]]:
    for s in a.sentences:
        yield "sentence", s
    for e in a.entities:
        for m in e.mentions:
            yield "mention", m
    for q in a.quotes:
        for i, c in enumerate(q.content):
            yield (f"content-{q.kind}" if i == 0 else "content"), c
        if q.cue is not None:
            yield "cue", q.cue
        if q.source is not None:
            yield "source", q.source
    for s in a.statements:
        yield "statement", s.span
        for role, spans in (("target", (s.target,)), ("quantity", s.quantities), ("time", s.times), ("stated_at", (s.stated_at,))):
            yield from ((role, x) for x in spans if x is not None)
    for f in a.findings:
        for ev in f.evidence:
            yield f"evidence-{ev.role}", ev.span


def _analyses(text: str) -> list[Analysis]:
    return [_CHECKER.extract_quotes(text), _CHECKER.structure(text)]


def _visible(text: str, start: int, end: int) -> int | None:
    """The first offset in [start, end) that is not a zero-width format character."""
    return next((i for i in range(start, end) if unicodedata.category(text[i]) != "Cf"), None)


_QUOTE_MARKS = "“”„«»\"'`"
_CUE_PUNCTUATION = "—–―-:"


def _misplaced(text: str, role: str, span: Span) -> str | None:
    """Why ``span`` does not sit where a span of its role can sit in ``text``, or None.

    The rules hold for any correct span, and a span shifted by even one character breaks one:
    it starts or ends inside a word or in white space, a cue no longer starts on its word, a
    direct quote no longer starts on its mark.
    """
    if span.end <= span.start:
        return None  # empty spans have their own rule below
    for b in (span.start, span.end):
        if 0 < b < len(text) and text[b - 1].isalnum() and text[b].isalnum():
            return "a boundary inside a word"
    if role != "target" and (text[span.start].isspace() or text[span.end - 1].isspace()):
        return "starts or ends in white space"
    first = _visible(text, span.start, span.end)
    if first is None:
        return None
    if role == "cue" and not (text[first].isalpha() or text[first] in _CUE_PUNCTUATION):
        return "a cue that does not start on its word"
    if role == "content-direct" and text[first] not in _QUOTE_MARKS:
        return "a direct quote that does not start on a quote mark"
    return None


def _violations(sample: Sample, rule: str) -> list[str]:
    text = sample.text
    out = []
    for a in _analyses(text):
        for role, span in _roles(a):
            where = f"{role} [{span.start}, {span.end}) {span.text!r}"
            if rule in ("crlf", "doubled", "marks") and {span.start, span.end} & getattr(sample, rule):
                out.append(f"{where}: a boundary inside {rule}")
            elif rule == "place" and (why := _misplaced(text, role, span)):
                out.append(f"{where}: {why}")
            elif rule == "empty" and role.startswith("content") and span.end == span.start:
                out.append(f"{where}: empty quote content")
            elif rule == "target-space" and role == "target" and (text[span.start].isspace() or text[span.end - 1].isspace()):
                out.append(f"{where}: starts or ends in white space")
    return out


@given(samples())
def test_properties_never_raise(sample):
    for a in _analyses(sample.text):
        assert a.text == sample.text
    _CHECKER.analyze(sample.text)


@given(st.text(max_size=200))
def test_properties_never_raise_on_any_text(text):
    _CHECKER.analyze(text)


@given(samples())
@example(sample_of("Ruiz said:\r\n“We will win.”\r\nAcme said it would close the plant.\r\n"))
def test_properties_spans_never_split_a_crlf(sample):
    assert not _violations(sample, "crlf")


#: What the pipeline handles today. Zero-width characters and combining marks are generated for
#: every other property, and have their own (expected to fail) properties below.
_HANDLED = ("doubled", "straight", "crlf", "nbsp", "tab")


@given(samples(_HANDLED, _WELL_FORMED))
@example(transform("\n".join(_SENTENCES), frozenset(_HANDLED), random.Random(0)))
def test_properties_spans_sit_where_their_role_says(sample):
    assert not _violations(sample, "place")


@pytest.mark.xfail(
    strict=True,
    reason="pipeline/quotes.py does not read zero-width characters as invisible: after 'added:\\u200c' the quote "
    "content starts at the zero-width character, before the quote mark (issue 11 §2)",
)
@given(samples(("zero-width",), _WELL_FORMED))
@example(sample_of("He added:\u200c “No jobs will be cut.”"))
def test_properties_zero_width_characters_do_not_move_spans(sample):
    assert not _violations(sample, "place")


@pytest.mark.xfail(
    strict=True,
    reason="a quote opening '' right after a zero-width character (U+200B, U+2060, U+FEFF) is split between the two "
    "marks: extract_quotes gives a mixed quote whose first content is the second ' alone ([2, 3)) (issue 11 §2; "
    "the earlier example \"''...and then we left,''\" no longer fails, 2026-12-01)",
)
@given(samples(("doubled", "straight", "zero-width")))
@example(sample_of("\u200b''We will win,'' she said."))
def test_properties_spans_never_split_a_doubled_mark(sample):
    assert not _violations(sample, "doubled")


@pytest.mark.xfail(
    strict=True,
    reason="word rules match [\\w'’-]+, which has no combining marks: a cue with a decomposed accent ('said\u0301') "
    "is cut before its mark (issue 11 §2). The example below is the one the search found; it keeps the test "
    "failing on every machine, not only where hypothesis stored it",
)
@given(samples(("combining",)))
@example(sample_of("“It is over,” said Carte\u0308r."))
@example(sample_of("“We will win the vote,” Ana Ruiz said\u0301. "))
def test_properties_spans_never_cut_a_combining_mark(sample):
    assert not _violations(sample, "marks")


@given(samples(("nbsp", "tab")))
@example(sample_of("Acme closed the plant\u00a0in October."))
def test_properties_targets_do_not_end_in_white_space(sample):
    assert not _violations(sample, "target-space")


@given(samples())
@example(sample_of("Russian jets struck areas around Homs.\n\n—According to the council, the library would reopen in May.\n"))
def test_properties_quote_content_is_never_empty(sample):  # the learned quotes stage (issue 10) never cuts an empty content
    assert not _violations(sample, "empty")


@given(samples())
def test_properties_sentences_ordered_and_disjoint(sample):
    sentences = _CHECKER.extract_quotes(sample.text).sentences
    for a, b in zip(sentences, sentences[1:]):
        assert a.end <= b.start


@given(samples())
def test_properties_deterministic_and_json_round_trip(sample):
    a = _CHECKER.analyze(sample.text)
    assert _CHECKER.analyze(sample.text) == a
    assert Analysis.model_validate_json(a.model_dump_json()) == a
