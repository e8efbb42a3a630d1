"""Segmentation: punkt sentences with news abbreviations, lines as paragraphs, exact offsets."""

import pytest

from quotecheck.pipeline.segment import segment


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sec. Kerry met Gov. Brown. Then Sen. Smith spoke.", ["Sec. Kerry met Gov. Brown.", "Then Sen. Smith spoke."]),
        ("The U.S. Army left at 5 p.m. Monday. It rained.", ["The U.S. Army left at 5 p.m. Monday.", "It rained."]),
        ("He fled the weapons.Syria denied it.", ["He fled the weapons.", "Syria denied it."]),
    ],
)
def test_segment_sentences_respect_abbreviations(text, expected):
    assert [s.text for s in segment(text).sentences] == expected


def test_segment_sentences_never_cross_a_line_break():
    seg = segment("First line without stop\nSecond line.\n\n  Third.  ")
    assert [s.text for s in seg.sentences] == ["First line without stop", "Second line.", "Third."]
    assert [p.text for p in seg.paragraphs] == ["First line without stop", "Second line.", "Third."]


def test_segment_offsets_point_into_the_original_text(seed_text):
    seg = segment(seed_text)
    for s in seg.sentences:
        assert seed_text[s.start : s.end] == s.text
    starts = [s.start for s in seg.sentences]
    assert starts == sorted(starts)


def test_segment_index_lookup():
    seg = segment("One. Two.\nThree.")
    assert seg.sentence_index(seg.sentences[2].start + 1) == 2
    assert seg.paragraph_index(seg.sentences[2].start) == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Del. Ada Fenwick spoke first.", ["Del. Ada Fenwick spoke first."]),
        ("His niece, state Del. Ada Price (D-Marlow), spoke.", ["His niece, state Del. Ada Price (D-Marlow), spoke."]),
        ("She lives in Dover, Del. The river rose.", ["She lives in Dover, Del.", "The river rose."]),
        ("He visited Topeka, Kan. Later he flew home.", ["He visited Topeka, Kan.", "Later he flew home."]),
        ("Ada Fenwick, 59, of Marlow, Ore., said so.", ["Ada Fenwick, 59, of Marlow, Ore., said so."]),
    ],
)
def test_segment_state_abbreviations(text, expected):
    assert [s.text for s in segment(text).sentences] == expected
