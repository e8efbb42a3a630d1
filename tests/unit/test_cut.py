"""Shortening spans and explanations after a whole word, never inside one (issue 18, part 2)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotecheck.io.cut import cut_words, one_line, recut_quotes

WORD = re.compile(r"[\w’'-]")
ASSAD = "hitting areas around Homs in eastern Syria that are under Assad’s control"


def _ends_on_a_word_boundary(whole: str, shown: str) -> bool:
    kept = shown[:-1]
    return whole.startswith(kept) and not (kept and WORD.match(kept[-1]) and WORD.match(whole[len(kept)]))


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        (ASSAD, 66, "hitting areas around Homs in eastern Syria that are under Assad’s…"),
        ("Apple will ship the iPhone in April", 26, "Apple will ship the…"),
        ("a, b, c, d, e", 6, "a, b…"),
        ("short enough", 40, "short enough"),
        ("Supercalifragilistic words", 5, "Supercalifragilistic…"),  # a first word longer than the limit stays whole
        ("line\nbreaks  and\ttabs", None, "line breaks and tabs"),
    ],
)
def test_cut_words_cuts_after_a_whole_word(text, limit, expected):
    assert cut_words(text, limit) == expected


@given(st.text(alphabet=st.sampled_from(list("ab cd’-,.\n“”")), max_size=80), st.integers(min_value=1, max_value=60))
def test_cut_words_never_ends_inside_a_word(text, limit):
    whole = one_line(text)
    shown = cut_words(text, limit)
    if shown == whole:
        return
    assert shown.endswith("…") and _ends_on_a_word_boundary(whole, shown)
    assert len(shown) <= limit or len(shown.split()) == 1  # over the limit only to keep a first long word whole


@pytest.mark.parametrize(
    "explanation, spans, expected",
    [
        # the judge's cut inside "control": moved back to the whole word before it
        (f"Russia: planned “it would strike” — reported “{ASSAD[:68]}…”: target.", [ASSAD], "under Assad’s…”: target."),
        # a cut that fell between two words is kept
        ("X: planned “Apple will ship the iPhone…” — y", ["Apple will ship the iPhone in April"], "“Apple will ship the iPhone…”"),
        # without the whole span the last, possibly cut, word is dropped
        ("X: planned “Apple will ship the iPhon…” — y", [], "“Apple will ship the…”"),
        ("no quotes here", [], "no quotes here"),
    ],
)
def test_cut_recut_quotes_never_leaves_half_a_word(explanation, spans, expected):
    assert expected in recut_quotes(explanation, spans)
