"""Repairs of linked attributions: one test per rule, on sentences written for it (issue 10)."""

from __future__ import annotations

import pytest

from quotecheck.pipeline.attribution.linking import Link, TaggedSpan
from quotecheck.pipeline.attribution.repairs import Paragraph, repair
from quotecheck.pipeline.attribution.tokens import tokenize


def _paragraph(text: str, quoted: tuple[str, ...] = ()) -> Paragraph:
    tokens = tokenize(text, 0, len(text), 0)
    inside = [any(text.find(q) <= t.start < text.find(q) + len(q) for q in quoted if q in text) for t in tokens]
    return Paragraph(text, tokens, inside)


def _at(p: Paragraph, role: str, words: str) -> TaggedSpan:
    """The tokens spelling ``words`` (first occurrence) as a tagged span."""
    seq = [t.text for t in p.tokens]
    want = [t.text for t in tokenize(words, 0, len(words), 0)]
    for i in range(len(seq)):
        if seq[i : i + len(want)] == want:
            return TaggedSpan(role, i, i + len(want) - 1, 0, 0, 0.9)
    raise AssertionError(words)


def test_repairs_drop_a_cueless_quote_in_a_heading():
    p = _paragraph("Profile: Boko Haram")
    assert repair(p, [Link((_at(p, "CON", "Boko Haram"),), _at(p, "CUE", ":"), _at(p, "SRC", "Profile"))]) == []


def test_repairs_keep_a_headline_with_a_real_cue():
    p = _paragraph("Trump says Mexico will pay for the wall")
    item = Link((_at(p, "CON", "Mexico will pay for the wall"),), _at(p, "CUE", "says"), _at(p, "SRC", "Trump"))
    assert repair(p, [item]) == [item]


@pytest.mark.parametrize(
    "text, cue, content",
    [
        ("The group promotes a strict reading of the law.", "promotes", "a strict reading of the law"),
        ("Its fighters frequently attack villages near the border.", "frequently attack", "villages near the border"),
        ("He sees the bridge from his window.", "sees", "the bridge from his window"),
        ("The raid aimed at the camp.", "aimed", "at the camp"),
    ],
)
def test_repairs_drop_non_speech_cues(text, cue, content):
    p = _paragraph(text)
    assert repair(p, [Link((_at(p, "CON", content),), _at(p, "CUE", cue), None)]) == []


def test_repairs_keep_a_non_speech_verb_that_introduces_a_quotation():
    text = "He attacked the plan as “a disaster for the city.”"
    p = _paragraph(text, quoted=("“a disaster for the city.”",))
    item = Link((_at(p, "CON", "“ a disaster for the city . ”"),), _at(p, "CUE", "attacked"), _at(p, "SRC", "He"))
    assert repair(p, [item]) == [item]


def test_repairs_a_dateline_is_no_source():
    text = "LAGOS, Nigeria (Reuters) - The army said the town was retaken."
    p = _paragraph(text)
    item = Link((_at(p, "CON", "the town was retaken"),), _at(p, "CUE", "said"), _at(p, "SRC", "LAGOS , Nigeria ( Reuters ) -"))
    (out,) = repair(p, [item])
    assert out.source is None


def test_repairs_a_saying_clause_takes_the_subject_of_its_sentence():
    text = "Boko Haram laughed off the claims on Tuesday, saying its fighters were winning."
    p = _paragraph(text)
    (out,) = repair(p, [Link((_at(p, "CON", "its fighters were winning"),), _at(p, "CUE", "saying"), None)])
    assert text[p.tokens[out.source.first].start : p.tokens[out.source.last].end] == "Boko Haram"


def test_repairs_a_saying_clause_keeps_its_source_when_it_has_one():
    text = "The army, saying the town was calm, left."
    p = _paragraph(text)
    item = Link((_at(p, "CON", "the town was calm"),), _at(p, "CUE", "saying"), _at(p, "SRC", "The army"))
    assert repair(p, [item]) == [item]


def test_repairs_can_be_skipped_by_name():
    p = _paragraph("Profile: Boko Haram")
    item = Link((_at(p, "CON", "Boko Haram"),), None, None)
    assert repair(p, [item], skip=frozenset({"heading_without_cue"})) == [item]
